/**
 * The red-flag indicators of OCP's Cardinal (open-contracting/cardinal-rs) that ggzy computes, with the
 * titles a supervisor (行政监督部门) reads. Definitions: docs/risk-scan.md.
 */
export type IndicatorCode =
  | 'R003'
  | 'R018'
  | 'R024'
  | 'R025'
  | 'R028'
  | 'R030'
  | 'R035'
  | 'R036'
  | 'R038'
  | 'R048'
  | 'R058';

export const INDICATOR_CODES: readonly IndicatorCode[] = Object.freeze([
  'R003',
  'R018',
  'R024',
  'R025',
  'R028',
  'R030',
  'R035',
  'R036',
  'R038',
  'R048',
  'R058',
] as const);

export const INDICATOR_TITLES_ZH: Record<IndicatorCode, string> = Object.freeze({
  R003: '投标期限过短',
  R018: '仅一家投标',
  R024: '次低价与中标价过近',
  R025: '投标屡次不中',
  R028: '投标报价相同',
  R030: '逾期投标中标',
  R035: '除中标人外全部被否决',
  R036: '最低价被否决',
  R038: '否决投标比例过高',
  R048: '供应商经营范围异常分散',
  R058: '中标价大幅低于次低价',
});

const CODE_SET: ReadonlySet<string> = new Set(INDICATOR_CODES);

export function isIndicatorCode(value: string): value is IndicatorCode {
  return CODE_SET.has(value);
}
