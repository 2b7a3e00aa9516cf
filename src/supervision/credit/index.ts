export {
  CHECK_WITNESS_TYPE,
  type CreditCheckContext,
  type CreditCheckParty,
  type CreditCheckResult,
  checkCreditEligibility,
  createCreditGate,
  findRestrictionsInForce,
  type RestrictionInForce,
} from './eligibility.ts';
export { IMPORT_WITNESS_TYPE, importList } from './imports.ts';
export { creditMigrations } from './migrations.ts';
export type { CreditContext, CreditDb } from './policy.ts';
export { createRecord, RECORD_WITNESS_TYPE } from './records.ts';
export { applyForRepair, decideRepair, REPAIR_WITNESS_TYPE } from './repair.ts';
export { type CreditRouteDeps, registerCreditRoutes } from './routes.ts';
export {
  BAN_BASES,
  EXTERNAL_LISTS,
  FAIR_COMPETITION_CITATION,
  GP_CREDIT_CITATION,
  RESTRICTION_KIND_NAMES_ZH,
  WORKS_DEBTOR_CITATION,
} from './rules.ts';
export type { RecordInput, RestrictionInput } from './schemas.ts';
export { computeScore, createScoreRule, SCORE_RULE_WITNESS_TYPE } from './score.ts';
export type { CreditTables, ExternalListKind, RestrictionKind } from './tables.ts';
