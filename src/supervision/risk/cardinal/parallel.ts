import { createReadStream, existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { foldStream, LineFolder, type LineWarning, scanJsonLines, skippedLineMessage } from './lines.ts';
import { type CardinalResult, CardinalScan } from './scan.ts';
import type { CardinalSettings } from './settings.ts';
import type { RangeJob, RangeResult } from './worker.ts';

export interface ScanFileOptions {
  /** Threads, this one included (default: one per available core; 1 scans on this thread alone). */
  threads?: number;
  /** Below this many bytes per thread, fewer threads are used (default 32 MiB). */
  minBytesPerThread?: number;
  /** Told how the file is split: threads (1: this one alone) and the bytes folded here before splitting. */
  onPlan?: (plan: { threads: number; headBytes: number }) => void;
}

const WORKER_SOURCE = path.join('src', 'supervision', 'risk', 'cardinal', 'worker.ts');

let workerCode: Promise<string | undefined> | undefined;

/** A larger nursery for the workers: JSON.parse makes short-lived garbage fast (fewer scavenges). */
const YOUNG_GENERATION_MB = Number(process.env.GGZY_RISK_YOUNG_MB ?? 64);

/**
 * The worker's code as one CommonJS script, bundled by esbuild from worker.ts — the TypeScript source
 * beside this module, or, when this code runs bundled into dist/ggzy.mjs, in the repository around it.
 * Undefined when it cannot be built: then the scan runs on this thread.
 */
function loadWorkerCode(): Promise<string | undefined> {
  workerCode ??= (async () => {
    try {
      const here = path.dirname(fileURLToPath(import.meta.url));
      let entry = path.join(here, 'worker.ts');
      for (let dir = here; !existsSync(entry); dir = path.dirname(dir)) {
        if (path.dirname(dir) === dir) return undefined;
        entry = path.join(path.dirname(dir), WORKER_SOURCE);
      }
      const { build } = await import('esbuild');
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        write: false,
        logLevel: 'silent',
      });
      return result.outputFiles[0]?.text;
    } catch {
      return undefined;
    }
  })();
  return workerCode;
}

/** Line starts that cut [from, size) into `parts` ranges of about equal size. */
async function lineBoundaries(file: string, from: number, size: number, parts: number): Promise<number[]> {
  const bounds = [from];
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64 << 10);
    for (let k = 1; k < parts; k++) {
      const previous = bounds[bounds.length - 1]!;
      let position = Math.max(previous, from + Math.floor(((size - from) * k) / parts) - 1);
      let bound = size;
      // The first line start after `position`: just past the next newline.
      while (position < size) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) break;
        const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
        if (newline !== -1) {
          bound = position + newline + 1;
          break;
        }
        position += bytesRead;
      }
      bounds.push(Math.max(bound, previous));
    }
  } finally {
    await handle.close();
  }
  bounds.push(size);
  return bounds;
}

function runRange(worker: Worker, job: RangeJob): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { ok: true; result: RangeResult } | { ok: false; message: string }) => {
      if (message.ok) resolve(message.result);
      else reject(new Error(message.message));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`risk scan worker exited with code ${code}`)));
    worker.postMessage(job);
  });
}

/**
 * `scanJsonLines` over a file on every core, as Cardinal folds on every core: the file is cut into byte
 * ranges of whole lines, the first folded on this thread and each other by a worker thread, and the
 * partial folds are reduced in file order,
 * so the result is the same as one pass over the file — repeated ocids, flag order, line numbers of
 * skipped lines (reported once every range is done) and the main currency. That currency is the first one
 * seen, so the head of the file is folded here first, until it is known.
 */
export async function scanFile(
  file: string,
  settings: CardinalSettings,
  onWarning: LineWarning,
  options: ScanFileOptions = {},
): Promise<CardinalResult> {
  const { size } = await stat(file);
  const minBytes = options.minBytesPerThread ?? 32 << 20;
  const count = Math.min(options.threads ?? availableParallelism(), Math.floor(size / Math.max(1, minBytes)));
  const code = count > 1 ? await loadWorkerCode() : undefined;
  if (code === undefined) {
    options.onPlan?.({ threads: 1, headBytes: size });
    return scanJsonLines(createReadStream(file, { highWaterMark: 256 << 10 }), settings, onWarning);
  }

  // This thread folds the first range, a worker each of the others; the workers start (and compile their
  // code) while the head of the file is folded here.
  const workers = Array.from(
    { length: count - 1 },
    () => new Worker(code, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } }),
  );
  try {
    const scan = new CardinalScan(settings);
    const folder = new LineFolder(scan, (skipped) => onWarning(skipped.lineNo, skippedLineMessage(skipped)));
    const head = scan.currencySettled
      ? 0
      : await foldStream(
          createReadStream(file, { highWaterMark: 64 << 10 }),
          folder,
          () => scan.currencySettled,
        );
    options.onPlan?.({ threads: count, headBytes: head });
    const rangeSettings: CardinalSettings = { ...settings, currency: scan.currency };
    const bounds = await lineBoundaries(file, head, size, count);
    const others = Promise.all(
      workers.map((worker, k) =>
        runRange(worker, { file, start: bounds[k + 1]!, end: bounds[k + 2]!, settings: rangeSettings }),
      ),
    );
    // Keep a worker's failure from going unhandled while this thread folds its own range.
    others.catch(() => {});
    if (bounds[1]! > bounds[0]!) {
      const stream = createReadStream(file, {
        start: bounds[0]!,
        end: bounds[1]! - 1,
        highWaterMark: 256 << 10,
      });
      await foldStream(stream, folder);
    }
    let lineBase = folder.lineNo;
    for (const { partial, lines, skipped } of await others) {
      for (const line of skipped) {
        const lineNo = lineBase + line.lineNo;
        onWarning(lineNo, skippedLineMessage({ ...line, lineNo }));
      }
      scan.merge(partial);
      lineBase += lines;
    }
    return scan.result();
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
