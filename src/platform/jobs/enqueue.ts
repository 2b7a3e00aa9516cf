import type { Db } from '../db/index.ts';
import type { JobTables } from './tables.ts';

export interface EnqueueJobInput {
  /** Handler name, dotted: `deposits.refund`, `lots.deadline-reached`. */
  type: string;
  /** Any JSON value; stored as jsonb. */
  payload?: unknown;
  /** Due time on the platform clock; omitted means as soon as a runner polls. */
  runAt?: Date;
  /** Attempts before the job is marked failed (default 5). */
  maxAttempts?: number;
  /**
   * A job with this key is enqueued once, ever: a second enqueue returns the first job, whatever its
   * status. Use it for "exactly one of these per thing", e.g. `lot-deadline:${lotId}`.
   */
  dedupeKey?: string;
}

export interface EnqueuedJob {
  id: number;
  /** False when a job with the same dedupe key already existed. */
  created: boolean;
}

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Enqueues a job inside the caller's transaction (DESIGN §2: state change, witness event and jobs in one
 * transaction): the job becomes visible to runners when the transaction commits, and never exists if it
 * rolls back.
 */
export async function enqueueJob(tx: Db<JobTables>, input: EnqueueJobInput): Promise<EnqueuedJob> {
  if (!/^[\w.:-]{1,200}$/.test(input.type))
    throw new RangeError(`invalid job type: ${JSON.stringify(input.type)}`);
  const maxAttempts = input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) {
    throw new RangeError(`maxAttempts must be an integer 1–100: ${maxAttempts}`);
  }
  if (input.runAt && Number.isNaN(input.runAt.getTime())) throw new RangeError('runAt is an invalid date');
  // JSON text, not the object: node-pg would turn a top-level array into a PostgreSQL array literal.
  const payload = JSON.stringify(input.payload ?? {});
  const inserted = await tx
    .insertInto('jobs')
    .values({
      type: input.type,
      payload,
      run_at: input.runAt ?? null,
      max_attempts: maxAttempts,
      dedupe_key: input.dedupeKey ?? null,
      last_error: null,
      locked_by: null,
      locked_until: null,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: Number(inserted.id), created: true };
  // Only a dedupe-key conflict skips the insert; the other job is committed by now (the insert waited for it).
  if (input.dedupeKey === undefined) throw new Error('job insert skipped without a dedupe key');
  const existing = await tx
    .selectFrom('jobs')
    .select('id')
    .where('dedupe_key', '=', input.dedupeKey)
    .executeTakeFirstOrThrow();
  return { id: Number(existing.id), created: false };
}
