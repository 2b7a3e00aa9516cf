export { DEFAULT_MAX_ATTEMPTS, type EnqueuedJob, type EnqueueJobInput, enqueueJob } from './enqueue.ts';
export { type Job, PermanentJobError } from './job.ts';
export { jobsMigrations } from './migrations.ts';
export { type OnceResult, once } from './once.ts';
export { JOB_STATUS_NAMES_ZH, retryJob } from './operator.ts';
export { type JobRouteDeps, registerJobRoutes } from './routes.ts';
export {
  type JobContext,
  type JobHandler,
  type JobLogger,
  JobRunner,
  type JobRunnerOptions,
  type PassReport,
  type PayloadParser,
  type PeriodicContext,
} from './runner.ts';
export { registerSandboxClockRoutes, type SandboxClockDeps } from './sandbox.ts';
export { countJobsByStatus, getJob, type JobFilter, listJobs } from './store.ts';
export { JOB_STATUSES, type JobStatus, type JobTables } from './tables.ts';
