import { createReadStream, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { AppError } from '../platform/errors.ts';
import {
  type CardinalResult,
  type CardinalSettings,
  defaultCardinalSettings,
  INDICATOR_CODES,
  INDICATOR_TITLES_ZH,
  type IndicatorCode,
  isIndicatorCode,
  parseCardinalSettings,
  scanFile,
  scanJsonLines,
} from '../supervision/risk/index.ts';

export interface RiskScanOptions {
  /** The JSON Lines file of compiled releases, or `-` for standard input. */
  ocds: string;
  /** Indicator codes (each may hold several, comma-separated); empty or absent: as the settings say. */
  indicator?: string[];
  /** Cardinal's settings.ini. */
  settings?: string;
  /** Include the `Meta` key (quartiles and fences); commander's `--no-meta` sets it false. */
  meta?: boolean;
}

export interface RiskScanIo {
  /** Standard output: the result JSON. */
  out: (text: string) => void;
  /** Standard error: warnings and errors, one line each. */
  err: (line: string) => void;
  stdin: NodeJS.ReadableStream;
}

const defaultIo: RiskScanIo = {
  out: (text) => process.stdout.write(text),
  err: (line) => console.error(line),
  stdin: process.stdin,
};

/** `--indicator R024 --indicator r058,R036` → the codes, or the first unknown one. */
export function parseIndicatorOption(
  values: readonly string[],
): { codes: IndicatorCode[] } | { unknown: string } {
  const codes: IndicatorCode[] = [];
  for (const value of values) {
    for (const piece of value.split(',')) {
      const code = piece.trim().toUpperCase();
      if (code === '') continue;
      if (!isIndicatorCode(code)) return { unknown: piece.trim() };
      if (!codes.includes(code)) codes.push(code);
    }
  }
  return { codes };
}

function listIndicators(): string {
  return INDICATOR_CODES.map((code) => `${code}（${INDICATOR_TITLES_ZH[code]}）`).join('、');
}

/** Commander's collector for a repeatable option. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

async function loadSettings(
  file: string | undefined,
  err: (line: string) => void,
): Promise<CardinalSettings | null> {
  if (file === undefined) return defaultCardinalSettings();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    err(`无法读取设置文件 ${file}：${(error as Error).message}`);
    return null;
  }
  try {
    return parseCardinalSettings(text);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    err(`${error.title}（${file}）：${error.detail ?? ''}`);
    return null;
  }
}

/**
 * `ggzy risk scan --ocds FILE.jsonl [--indicator CODE]… [--settings SETTINGS.ini] [--no-meta]`: Cardinal's
 * red flags over compiled releases, printed on standard output as Cardinal prints them. Lines that are not
 * JSON are reported on standard error and skipped. Returns the exit code: 0, or 2 for a wrong invocation
 * (unknown indicator, unreadable file, wrong settings).
 */
export async function riskScan(opts: RiskScanOptions, io: RiskScanIo = defaultIo): Promise<number> {
  const chosen = parseIndicatorOption(opts.indicator ?? []);
  if ('unknown' in chosen) {
    io.err(`未知的指标代码：${chosen.unknown}（unknown indicator）。可用的指标：${listIndicators()}`);
    return 2;
  }
  const settings = await loadSettings(opts.settings, io.err);
  if (settings === null) return 2;
  if (chosen.codes.length > 0) settings.enabled = chosen.codes;

  const warn = (_lineNo: number, message: string) => io.err(message);
  let threads = 1;
  const started = Date.now();
  let result: CardinalResult;
  if (opts.ocds === '-') {
    result = await scanJsonLines(io.stdin, settings, warn);
  } else {
    let info: Stats;
    try {
      info = await stat(opts.ocds);
    } catch (error) {
      io.err(`无法读取 OCDS 文件 ${opts.ocds}：${(error as Error).message}`);
      return 2;
    }
    if (info.isDirectory()) {
      io.err(`无法读取 OCDS 文件 ${opts.ocds}：这是一个目录，不是文件。`);
      return 2;
    }
    // A regular file is scanned on every core; a pipe or a device as one stream.
    result = info.isFile()
      ? await scanFile(opts.ocds, settings, warn, { onPlan: (plan) => (threads = plan.threads) })
      : await scanJsonLines(createReadStream(opts.ocds), settings, warn);
  }
  if (opts.meta === false) delete result.Meta;
  io.out(`${JSON.stringify(result)}\n`);
  // On a terminal, a summary after the JSON (never in a pipe or a log, like `ggzy export`).
  if (process.stderr.isTTY && io === defaultIo) {
    const flagged = (['OCID', 'Buyer', 'ProcuringEntity', 'Tenderer'] as const)
      .map((group) => `${group} ${Object.keys(result[group] ?? {}).length}`)
      .join('，');
    const seconds = ((Date.now() - started) / 1000).toFixed(2);
    io.err(
      `已扫描：指标 ${settings.enabled.join('、')}，${threads} 个线程，用时 ${seconds} 秒；有红旗的：${flagged}`,
    );
  }
  return 0;
}
