export {
  CITATIONS as OPENING_CITATIONS,
  OPENING_CHANNEL,
  OPENING_WITNESS_TYPE,
  type OpeningDb,
  type OpeningPorts,
  type OpeningServices,
} from './context.ts';
export { registerOpeningJobs } from './jobs.ts';
export { openingMigrations } from './migrations.ts';
export { type OpeningOutcome, type OpeningOutcomeEntry, readOpeningOutcome } from './outcome.ts';
export { CONFIRM_FORMAT, confirmationMessage, RECORD_FORMAT } from './record.ts';
export { type OpeningRouteDeps, registerOpeningRoutes } from './routes.ts';
export { HALL_STATE_NAMES_ZH, HOST_STEPS, type HostStep, STEP_NAMES_ZH } from './states.ts';
export type { HallState, OpeningTables } from './tables.ts';
