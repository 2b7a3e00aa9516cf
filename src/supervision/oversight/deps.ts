/** Everything this module uses from other modules, through their public faces. */
export { type BlobDb, getBlobRecord } from '../../platform/blobs/index.ts';
export {
  AWARD_STATUS_NAMES_ZH,
  type AwardsDb,
  getAward,
} from '../../trading/awards/index.ts';
export {
  EVALUATION_STATUS_NAMES_ZH,
  type EvaluationDb,
  getEvaluationOutcome,
} from '../../trading/evaluation/index.ts';
export { HALL_STATE_NAMES_ZH, readOpeningOutcome } from '../../trading/opening/index.ts';
export {
  getProcedure,
  type ProceduresTables,
  type ProcedureType,
  suspensionInForce,
} from '../../trading/procedures/index.ts';
export {
  findLot,
  type LotSummary,
  listLotsOfProject,
  type ProjectsTables,
} from '../../trading/projects/index.ts';
export { getLotTimeline, type TendersTables } from '../../trading/tenders/index.ts';
export {
  assertInScope,
  covers,
  listSupervisorScopes,
  requireSupervisorScope,
  SCOPE_CITATION,
  type ScopesTables,
  type SupervisorScope,
} from '../scopes/index.ts';
