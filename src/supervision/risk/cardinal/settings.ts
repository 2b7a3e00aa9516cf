import { InvalidInput } from '../../../platform/errors.ts';
import { INDICATOR_CODES, type IndicatorCode, isIndicatorCode } from './codes.ts';

/**
 * The settings of each indicator, named as in Cardinal's settings.ini (`[R003]` `threshold = 10`). Every
 * field is optional; an absent field takes Cardinal's default (docs/risk-scan.md §设置文件).
 */
export type IndicatorSettings = {
  /** Short submission period: flagged when the tender period is fewer whole days than the threshold. */
  R003: {
    /** Days; default 15. */
    threshold?: number;
    /** Only these `tender.procurementMethod`s (default: all). */
    procurement_methods?: string[];
    /** Days per `tender.procurementMethodDetails`, overriding `threshold`. */
    procurement_method_details?: Record<string, number>;
  };
  /** Single bid received, for these competitive methods (default open|selective). */
  R018: { procurement_methods?: string[] };
  /** Fixed lower fence for the second-lowest bid ratio instead of Q1 − 1.5·IQR. */
  R024: { threshold?: number };
  /** `percentile` of valid-bid counts a tenderer must reach (default 75); fixed lower fence of its win ratio. */
  R025: { percentile?: number; threshold?: number };
  R028: Record<string, never>;
  R030: Record<string, never>;
  /** Minimum number of other tenderers disqualified (default 1, at least 1). */
  R035: { threshold?: number };
  R036: Record<string, never>;
  /** Fixed upper fence of the disqualified ratio; minimum bids per tenderer and per buyer (both default 2). */
  R038: { threshold?: number; minimum_submitted_bids?: number; minimum_contracting_processes?: number };
  /** Classification prefix length (default 2), fixed upper fence, minimum awarded processes (default 20). */
  R048: { digits?: number; threshold?: number; minimum_contracting_processes?: number };
  /** Fixed upper fence for the second-lowest bid ratio instead of Q3 + 1.5·IQR. */
  R058: { threshold?: number };
};

export type PerIndicatorSettings = { [K in IndicatorCode]?: IndicatorSettings[K] };

/** What `ggzy risk scan` computes, and how: Cardinal's `indicators` settings. */
export interface CardinalSettings {
  /** The main currency: amounts in another currency are ignored. Default: the first currency observed. */
  currency?: string;
  /** `tender.procurementMethodDetails` values without price comparison (R024, R028, R036, R058 skip them). */
  noPriceComparisonProcurementMethods?: string[];
  /** If set, only these `tender.procurementMethodDetails` values compare prices (overrides the above). */
  priceComparisonProcurementMethods?: string[];
  /** Contracting processes left out of every indicator. */
  exclusions?: { procurementMethodDetails?: string[] };
  perIndicator: PerIndicatorSettings;
  /** The indicators to compute, in any order. */
  enabled: IndicatorCode[];
}

/** Every indicator (or those named) with Cardinal's defaults. */
export function defaultCardinalSettings(
  enabled: readonly IndicatorCode[] = INDICATOR_CODES,
): CardinalSettings {
  return { perIndicator: {}, enabled: [...enabled] };
}

// ------------------------------------------------------------------------------------ ini parsing

type Kind = 'days' | 'count' | 'ratio' | 'percentile' | 'list';

/** The keys each `[Rxxx]` section accepts and the kind of value (Cardinal's settings structs). */
const INDICATOR_KEYS: Record<IndicatorCode, Record<string, Kind>> = {
  R003: { threshold: 'days', procurement_methods: 'list' },
  R018: { procurement_methods: 'list' },
  R024: { threshold: 'ratio' },
  R025: { percentile: 'percentile', threshold: 'ratio' },
  R028: {},
  R030: {},
  R035: { threshold: 'count' },
  R036: {},
  R038: { threshold: 'ratio', minimum_submitted_bids: 'count', minimum_contracting_processes: 'count' },
  R048: { digits: 'count', threshold: 'count', minimum_contracting_processes: 'count' },
  R058: { threshold: 'ratio' },
};

const ROOT_KEYS: Record<string, Kind> = {
  currency: 'list', // checked separately: one value
  no_price_comparison_procurement_methods: 'list',
  price_comparison_procurement_methods: 'list',
};

/** Sections of Cardinal's `prepare` command: allowed in a shared settings.ini, not used by the scan. */
const PREPARE_SECTIONS = new Set([
  'defaults',
  'redactions',
  'corrections',
  'modifications',
  'modifications_move',
  'modifications_split',
  'codelists.bid_status',
  'codelists.award_status',
]);

const KIND_TEXT: Record<Kind, string> = {
  days: '非负整数（天数）',
  count: '非负整数',
  ratio: '非负数',
  percentile: '0 到 100 之间的整数',
  list: '以 | 分隔的列表',
};

type Section =
  | { kind: 'root' }
  | { kind: 'indicator'; code: IndicatorCode }
  | { kind: 'map'; code: 'R003' }
  | { kind: 'exclusions' }
  | { kind: 'ignored' };

function settingsError(line: number, detail: string): InvalidInput {
  return new InvalidInput('RISK_SETTINGS_INVALID', {
    title: '风险扫描设置文件有误',
    detail: `第 ${line} 行：${detail}`,
    extensions: { line },
  });
}

/** Cardinal's pipe-separated lists: `open|selective`; a trailing `|` adds nothing, pieces are trimmed. */
export function parsePipeList(value: string): string[] {
  const pieces = value.split('|').map((piece) => piece.trim());
  if (pieces.at(-1) === '') pieces.pop();
  return pieces;
}

function parseValue(kind: Exclude<Kind, 'list'>, raw: string, line: number, what: string): number {
  const integer = /^\d+$/.test(raw);
  const decimal = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(raw);
  const value = Number(raw);
  const ok =
    kind === 'ratio'
      ? decimal && Number.isFinite(value)
      : integer && Number.isSafeInteger(value) && (kind !== 'percentile' || value <= 100);
  if (!ok) throw settingsError(line, `${what} 应为${KIND_TEXT[kind]}，实际为“${raw}”。`);
  return value;
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) {
    return value.slice(1, -1);
  }
  return value;
}

function sectionOf(name: string, line: number): Section {
  const upper = name.toUpperCase();
  if (isIndicatorCode(upper)) return { kind: 'indicator', code: upper };
  if (upper === 'R003.PROCUREMENT_METHOD_DETAILS') return { kind: 'map', code: 'R003' };
  if (name === 'exclusions') return { kind: 'exclusions' };
  if (PREPARE_SECTIONS.has(name)) return { kind: 'ignored' };
  if (/^R\d{3}$/i.test(name)) {
    throw settingsError(
      line,
      `不支持指标 [${name}]。ggzy 支持的指标为 ${INDICATOR_CODES.join('、')}（unsupported indicator）。`,
    );
  }
  throw settingsError(line, `未知的节 [${name}]（unknown section）。`);
}

/**
 * Reads Cardinal's own settings.ini (the file `ocdscardinal init` writes):
 *
 * ```ini
 * currency = CNY
 * no_price_comparison_procurement_methods = 单一来源|询价
 * [exclusions]
 * procurement_method_details = 拍卖
 * [R003]
 * threshold = 20
 * procurement_methods = open|selective
 * [R003.procurement_method_details]
 * 邀请招标 = 15
 * [R024]
 * ```
 *
 * As in Cardinal, a section `[Rxxx]` — even an empty one — enables that indicator; a file that names no
 * indicator enables all of them. Lines starting with `;` or `#` are comments. Sections of Cardinal's
 * `prepare` command are accepted and ignored. A wrong value throws InvalidInput naming the line.
 */
export function parseCardinalSettings(iniText: string): CardinalSettings {
  const settings: CardinalSettings = { perIndicator: {}, enabled: [] };
  const enabled = new Set<IndicatorCode>();
  let section: Section = { kind: 'root' };
  const lines = iniText.replace(/^\uFEFF/, '').split(/\r?\n|\r/);

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const text = (lines[i] ?? '').trim();
    if (text === '' || text.startsWith(';') || text.startsWith('#')) continue;

    if (text.startsWith('[')) {
      if (!text.endsWith(']')) throw settingsError(lineNo, `节名缺少右方括号：${text}`);
      section = sectionOf(text.slice(1, -1).trim(), lineNo);
      if (section.kind === 'indicator' || section.kind === 'map') {
        enabled.add(section.code);
        settings.perIndicator[section.code] ??= {};
      }
      continue;
    }

    const eq = text.search(/[=:]/);
    if (eq <= 0) throw settingsError(lineNo, `应为“名称 = 值”，实际为“${text}”。`);
    const key = text.slice(0, eq).trim();
    const raw = unquote(text.slice(eq + 1).trim());

    switch (section.kind) {
      case 'ignored':
        break;
      case 'root': {
        if (!(key in ROOT_KEYS)) throw settingsError(lineNo, `未知的设置 ${key}（unknown setting）。`);
        if (key === 'currency') {
          if (raw === '') throw settingsError(lineNo, 'currency 不能为空。');
          settings.currency = raw;
        } else if (key === 'no_price_comparison_procurement_methods') {
          settings.noPriceComparisonProcurementMethods = parsePipeList(raw);
        } else {
          settings.priceComparisonProcurementMethods = parsePipeList(raw);
        }
        break;
      }
      case 'exclusions': {
        if (key !== 'procurement_method_details') {
          throw settingsError(lineNo, `[exclusions] 只接受 procurement_method_details，实际为 ${key}。`);
        }
        settings.exclusions = { procurementMethodDetails: parsePipeList(raw) };
        break;
      }
      case 'map': {
        const days = parseValue('days', raw, lineNo, `[R003.procurement_method_details] ${key}`);
        const r003 = settings.perIndicator.R003 ?? {};
        r003.procurement_method_details = { ...r003.procurement_method_details, [key]: days };
        settings.perIndicator.R003 = r003;
        break;
      }
      case 'indicator': {
        const kind = INDICATOR_KEYS[section.code][key];
        if (kind === undefined) {
          const known = Object.keys(INDICATOR_KEYS[section.code]);
          throw settingsError(
            lineNo,
            `[${section.code}] 没有设置 ${key}${known.length > 0 ? `；可用的设置：${known.join('、')}` : '；此指标没有设置项'}。`,
          );
        }
        const target = settings.perIndicator[section.code] as Record<string, unknown>;
        target[key] =
          kind === 'list' ? parsePipeList(raw) : parseValue(kind, raw, lineNo, `[${section.code}] ${key}`);
        break;
      }
    }
  }

  settings.enabled = enabled.size > 0 ? INDICATOR_CODES.filter((c) => enabled.has(c)) : [...INDICATOR_CODES];
  return settings;
}
