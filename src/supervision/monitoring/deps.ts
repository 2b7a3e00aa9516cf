/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2): it reads the
 * trading records through the trading modules' evidence ports (after the opening / the finished evaluation),
 * the public OCDS releases through open data, the Cardinal set through risk, and the supervisors' scopes.
 */

export type { OcdsRelease, OpendataTables } from '../../service/opendata/index.ts';
export { compileReleases, iterateCompiledProcesses, iterateSnapshots } from '../../service/opendata/index.ts';
export { type AwardsDb, getAward } from '../../trading/awards/index.ts';
export { type BidEvidence, type BidsDb, readBidEvidence } from '../../trading/bids/index.ts';
export {
  type DepositPayerEvidence,
  type DepositsDb,
  readDepositEvidence,
} from '../../trading/deposits/index.ts';
export {
  type EvaluationDb,
  type EvaluationScoreEvidence,
  readEvaluationScores,
} from '../../trading/evaluation/index.ts';
export { OPENING_CHANNEL, type OpeningDb, readOpeningOutcome } from '../../trading/opening/index.ts';
export {
  getProcedure,
  isProcedureType,
  type ProceduresTables,
  rulesInForce,
} from '../../trading/procedures/index.ts';
export {
  findLot,
  type LotSummary,
  type ProjectsTables,
  SPLIT_CITATION,
} from '../../trading/projects/index.ts';
export { getLotTimeline, type LotTimeline, type TendersTables } from '../../trading/tenders/index.ts';
export {
  type CardinalResult,
  CardinalScan,
  type CardinalSettings,
  defaultCardinalSettings,
  INDICATOR_CODES,
  INDICATOR_TITLES_ZH,
  type IndicatorCode,
  type PerIndicatorSettings,
} from '../risk/index.ts';
export {
  assertInScope,
  covers,
  listSupervisorScopes,
  requireSupervisorScope,
  type ScopesTables,
  type SupervisorScope,
} from '../scopes/index.ts';
