import type { Selectable } from 'kysely';
import type { JobStatus, JobsTable } from './tables.ts';

/** A job as handlers and the operator view see it. */
export interface Job {
  id: number;
  type: string;
  payload: unknown;
  runAt: Date | null;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  dedupeKey: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export function toJob(row: Selectable<JobsTable>): Job {
  return {
    // PGlite may hand int8 back as a bigint; ids stay far below 2^53.
    id: Number(row.id),
    type: row.type,
    payload: row.payload,
    runAt: row.run_at,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    lastError: row.last_error,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    dedupeKey: row.dedupe_key,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/**
 * Thrown by a handler when trying again cannot help (the payload names a record that does not exist,
 * the payload is malformed): the job is marked failed at once instead of being retried.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}
