export {
  ANNOUNCEMENT_KIND_NAMES_ZH,
  ANNOUNCEMENT_KINDS,
  type AnnouncementKind,
  AUCTION_PROCEDURE_TYPES,
  getProcedure,
  isAnnouncementKind,
  isAuctionProcedure,
  isProcedureType,
  PROCEDURE_STAGE_NAMES_ZH,
  PROCEDURE_TYPES,
  PROCEDURES,
  type ProcedureDefinition,
  type ProcedureLaw,
  type ProcedureStage,
  type ProcedureType,
  tenderLawOf,
} from './definitions.ts';
export {
  CREDIT_CITATION,
  ELIGIBILITY_STAGE_NAMES_ZH,
  type EligibilityStage,
  type PartyEligibility,
} from './eligibility.ts';
export { proceduresMigrations } from './migrations.ts';
export { registerProcedureRoutes } from './routes.ts';
export {
  type ClarificationRule,
  type DayCount,
  type DayCounting,
  type DepositRule,
  type ObjectionRule,
  type PeriodRule,
  PROCEDURE_RULES,
  type ProcedureRule,
  rulesInForce,
  type SameInstantRule,
  TIMELINE_FIELD_NAMES_ZH,
  type TimelineField,
} from './rules.ts';
export { ProcedureTypeSchema } from './schemas.ts';
export {
  assertLotNotSuspended,
  listSuspensions,
  resumeLot,
  SUSPENSION_RECHECK_MS,
  type Suspension,
  suspendedError,
  suspendedLots,
  suspendLot,
  suspensionHoldUntil,
  suspensionInForce,
} from './suspensions.ts';
export type { ProceduresTables } from './tables.ts';
export {
  assertDeposit,
  assertTimeline,
  type ClarificationEffect,
  checkTimeline,
  clarificationEffect,
  dateAfter,
  earliestBidDeadline,
  minimumResponders,
  type ObjectionWindow,
  objectionAnswerDue,
  objectionWindow,
  suggestTimeline,
  type Timeline,
} from './timeline.ts';
