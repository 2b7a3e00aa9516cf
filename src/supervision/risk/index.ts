/**
 * 风险监测预警 — red-flag indicators (DESIGN §1: risk monitoring & early warning, 办法第七条、第四十二条).
 *
 * `cardinal/` computes the eleven red flags of OCP's Cardinal over OCDS compiled releases in one streaming
 * fold, with Cardinal's own semantics and settings file; `ggzy risk scan` (src/cli/risk.ts) runs it over a
 * JSON Lines file. The platform's own alerts build on `CardinalScan`. See docs/risk-scan.md.
 */
export {
  INDICATOR_CODES,
  INDICATOR_TITLES_ZH,
  type IndicatorCode,
  isIndicatorCode,
} from './cardinal/codes.ts';
export { type LineWarning, scanJsonLines } from './cardinal/lines.ts';
export { type ScanFileOptions, scanFile } from './cardinal/parallel.ts';
export {
  CARDINAL_GROUPS,
  type CardinalGroup,
  type CardinalPartial,
  type CardinalResult,
  CardinalScan,
} from './cardinal/scan.ts';
export {
  type CardinalSettings,
  defaultCardinalSettings,
  type IndicatorSettings,
  type PerIndicatorSettings,
  parseCardinalSettings,
} from './cardinal/settings.ts';
