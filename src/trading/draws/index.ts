export { ASSIGNMENT_STATUS_NAMES_ZH } from './assignments.ts';
export { type DrawnCommittee, type DrawnMember, readDrawnCommittee } from './committee.ts';
export { type DrawsContext, type DrawsDb, type DrawsDeps, WITNESS as DRAW_WITNESS_TYPES } from './context.ts';
export {
  AVOID_REASON_NAMES_ZH,
  cancelDraw,
  completeRound,
  type DrawRunResult,
  requestDraw,
  revealDraw,
  runDraw,
} from './draws.ts';
export { registerDrawJobs } from './jobs.ts';
export { drawsMigrations } from './migrations.ts';
export { buildDrawRecord, type DrawRecord, RECORD_FORMAT } from './record.ts';
export {
  type EligibleEntry,
  type GroupNeed,
  listHash,
  type ReplayInput,
  type ReplaySelection,
  replayDraw,
  seedCommitment,
} from './replay.ts';
export { registerDrawRoutes } from './routes.ts';
export { DrawRequestBody, type DrawRequestInput } from './schemas.ts';
export { createDrawsDeps } from './setup.ts';
export type { DrawStatus, DrawsTables, DrawVenue } from './tables.ts';
export { CHECK_NAMES_ZH, type DrawVerification, verifyDrawRecord } from './verify.ts';
export { verifyDrawInDatabase } from './verify-db.ts';
export { DRAW_STATUS_NAMES_ZH } from './views.ts';
