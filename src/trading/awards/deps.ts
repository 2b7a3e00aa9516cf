/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2): the
 * evaluation's outcome (评标报告), the opening record's entries, the lot, system announcements and deposit
 * refunds. Nothing here reads another module's tables.
 */
export { type DepositsDb, scheduleDepositRefunds } from '../deposits/index.ts';
export {
  EVALUATION_REPORT_COMPLETED_JOB,
  type EvaluationDb,
  type EvaluationOutcome,
  getEvaluationOutcome,
} from '../evaluation/index.ts';
export { type OpeningDb, type OpeningOutcome, readOpeningOutcome } from '../opening/index.ts';
export {
  assertLotNotSuspended,
  CREDIT_CITATION,
  getProcedure,
  type PartyEligibility,
  type ProceduresTables,
  tenderLawOf,
} from '../procedures/index.ts';
export { assertMayActForLot, findLot, type LotSummary } from '../projects/index.ts';
export { publishSystemAnnouncement, type TendersDb } from '../tenders/index.ts';
