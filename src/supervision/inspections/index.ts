export {
  COMPLETE_ROUND_JOB as SPOT_CHECK_COMPLETE_ROUND_JOB,
  type InspectionsDb,
  type InspectionsDeps,
  PUBLICATION_DUE_JOB as SPOT_CHECK_PUBLICATION_DUE_JOB,
  WITNESS as SPOT_CHECK_WITNESS_TYPES,
} from './context.ts';
export { drawBatch, publishDueAt, recuse } from './draw.ts';
export { type InspectionJobRegistry, registerInspectionJobs } from './jobs.ts';
export { LIST_NAMES_ZH as SPOT_CHECK_LIST_NAMES_ZH } from './lists.ts';
export { inspectionsMigrations } from './migrations.ts';
export {
  BATCH_STATUS_NAMES_ZH as SPOT_CHECK_BATCH_STATUS_NAMES_ZH,
  OUTCOME_NAMES_ZH as SPOT_CHECK_OUTCOME_NAMES_ZH,
} from './plans.ts';
export { buildSpotCheckRecord, SPOT_CHECK_RECORD_FORMAT, type SpotCheckRecord } from './record.ts';
export { RISK_LEVEL_NAMES_ZH, replayRound } from './replay.ts';
export { registerInspectionRoutes } from './routes.ts';
export { createInspectionsDeps } from './setup.ts';
export type { InspectionsTables } from './tables.ts';
export {
  SPOT_CHECK_NAMES_ZH,
  type SpotCheckVerification,
  verifySpotCheckInDatabase,
  verifySpotCheckRecord,
} from './verify.ts';
