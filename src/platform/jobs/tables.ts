import type { ColumnType, Generated } from 'kysely';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * 后台任务 — one row per unit of deferred work (deadline checks, notifications, sweeps). Written in the
 * transaction of the state change that asks for it, so a job exists exactly when its cause committed.
 */
export interface JobsTable {
  id: Generated<number>;
  type: string;
  /** jsonb: written as JSON text, read back as the parsed value. */
  payload: ColumnType<unknown, string, string>;
  /** Due time on the platform clock; null means "as soon as a runner polls". */
  run_at: Date | null;
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  last_error: string | null;
  locked_by: string | null;
  locked_until: Date | null;
  /** Unique when set: a second enqueue with the same key is a no-op. */
  dedupe_key: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  finished_at: Date | null;
}

/** Keys of effects already done, for at-least-once handlers (see `once`). */
export interface JobOnceKeysTable {
  key: string;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface JobTables {
  jobs: JobsTable;
  job_once_keys: JobOnceKeysTable;
}
