export { ACTION_NAMES_ZH, actionNameZh, ENTITY_TYPE_NAMES_ZH } from './actions.ts';
export {
  FEEDBACK_OVERDUE_JOB,
  type OversightContext,
  type OversightDb,
  VIOLATION_WITNESS_TYPE,
} from './context.ts';
export { catchUpIndex, type IndexResult } from './indexer.ts';
export { type OversightJobRegistry, registerOversightJobs } from './jobs.ts';
export { LiveFeed, type LivePage, type LiveQuery, readLiveEvents } from './live.ts';
export { type EventSubject, type MappedBy, resolveSubject, type SubjectLookup } from './mapping.ts';
export { oversightMigrations } from './migrations.ts';
export { findLots, listLotProgress } from './progress.ts';
export { type OversightRouteDeps, registerOversightRoutes } from './routes.ts';
export { CITATIONS as OVERSIGHT_CITATIONS, DEFAULT_FEEDBACK_WORKING_DAYS, feedbackDueAt } from './rules.ts';
export type { OversightTables, ViolationStatus } from './tables.ts';
export { projectTimeline } from './timeline.ts';
export {
  acknowledgeReport,
  flagOverdueFeedback,
  getViolation,
  giveFeedback,
  listViolations,
  recordViolation,
  reportViolation,
  responsibleDepartment,
  VIOLATION_STATUS_NAMES_ZH,
  type ViolationView,
} from './violations.ts';
