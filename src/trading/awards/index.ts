export { markAwardContracted, NOTICE_FORMAT, scheduleContractDeadline } from './awards.ts';
export {
  AWARD_WITNESS_TYPE,
  type AwardsDb,
  type AwardsDeps,
  CONTRACT_DEADLINE_JOB,
  OBJECTION_WITNESS_TYPE,
  REPORT_RECEIVED_JOB,
} from './context.ts';
export { registerAwardJobs } from './jobs.ts';
export { awardsMigrations } from './migrations.ts';
export { registerAwardRoutes } from './routes.ts';
export {
  CITATIONS as AWARD_CITATIONS,
  CONTRACT_DAYS,
  CONTRACT_REMINDER_DAYS,
  contractDueAt,
  SKIP_REASON_NAMES_ZH,
} from './rules.ts';
export { createAwardsDeps } from './setup.ts';
export { listObjectionsByOrganization as listResultObjectionsByOrganization } from './store.ts';
export type { AwardStatus, AwardsTables } from './tables.ts';
export { AWARD_STATUS_NAMES_ZH, type AwardSummary, getAward } from './views.ts';
