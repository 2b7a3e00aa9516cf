import type { Db } from '../db/index.ts';
import { type Job, toJob } from './job.ts';
import type { JobStatus, JobTables } from './tables.ts';

/** SQL for the job table; the runner and the operator view go through here. */

export interface ClaimInput {
  types: readonly string[];
  workerId: string;
  /** Platform time: a queued job is due when run_at <= now. */
  now: Date;
  /** Lease time: a running job whose locked_until < leaseNow was left by a worker that died. */
  leaseNow: Date;
  lockedUntil: Date;
  limit: number;
}

/**
 * Claims up to `limit` due jobs for this worker. `FOR UPDATE SKIP LOCKED` lets concurrent runners each
 * take different rows without waiting on one another; a row another runner has just claimed is
 * re-checked against the condition after its lock is released, so it is never claimed twice.
 */
export async function claimDueJobs(db: Db<JobTables>, input: ClaimInput): Promise<Job[]> {
  if (input.types.length === 0) return [];
  const due = db
    .selectFrom('jobs')
    .select('id')
    .where('type', 'in', input.types)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'queued'),
          eb.or([eb('run_at', 'is', null), eb('run_at', '<=', input.now)]),
        ]),
        eb.and([
          eb('status', '=', 'running'),
          eb('locked_until', '<', input.leaseNow),
          eb('attempts', '<', eb.ref('max_attempts')),
        ]),
      ]),
    )
    .orderBy('id')
    .limit(input.limit)
    .forUpdate()
    .skipLocked();
  const rows = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      locked_by: input.workerId,
      locked_until: input.lockedUntil,
    }))
    .where('id', 'in', due)
    .returningAll()
    .execute();
  return rows.map(toJob).sort((a, b) => a.id - b.id);
}

/** A worker died on the job's last attempt: nobody will run it again, so it fails with that reason. */
export async function failAbandonedJobs(
  db: Db<JobTables>,
  input: { types: readonly string[]; leaseNow: Date; now: Date },
): Promise<number> {
  if (input.types.length === 0) return 0;
  const rows = await db
    .updateTable('jobs')
    .set({
      status: 'failed',
      finished_at: input.now,
      last_error: '执行超时：处理该任务的工作进程在租约到期前未报告结果（可能已退出），且重试次数已用完。',
      locked_by: null,
      locked_until: null,
    })
    .where('type', 'in', input.types)
    .where('status', '=', 'running')
    .where('locked_until', '<', input.leaseNow)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .returning('id')
    .execute();
  return rows.length;
}

/** Extends the lease of a job this worker still holds. False when the lease was lost. */
export async function extendLease(
  db: Db<JobTables>,
  input: { id: number; workerId: string; lockedUntil: Date },
): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({ locked_until: input.lockedUntil })
    .where('id', '=', input.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', input.workerId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Records success. False when this worker no longer held the job (its lease expired and it was reclaimed). */
export async function markSucceeded(
  db: Db<JobTables>,
  input: { id: number; workerId: string; now: Date },
): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set({ status: 'succeeded', finished_at: input.now, locked_by: null, locked_until: null })
    .where('id', '=', input.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', input.workerId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a failed attempt: back to the queue at `retryAt`, or failed for good when `retryAt` is null. */
export async function markAttemptFailed(
  db: Db<JobTables>,
  input: { id: number; workerId: string; now: Date; error: string; retryAt: Date | null },
): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set(
      input.retryAt
        ? {
            status: 'queued',
            run_at: input.retryAt,
            last_error: input.error,
            locked_by: null,
            locked_until: null,
          }
        : {
            status: 'failed',
            finished_at: input.now,
            last_error: input.error,
            locked_by: null,
            locked_until: null,
          },
    )
    .where('id', '=', input.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', input.workerId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Puts a claimed job back in the queue until `runAt`, giving back the attempt the claim counted. */
export async function deferJob(
  db: Db<JobTables>,
  input: { id: number; workerId: string; runAt: Date },
): Promise<boolean> {
  const row = await db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'queued',
      run_at: input.runAt,
      attempts: eb('attempts', '-', 1),
      locked_by: null,
      locked_until: null,
    }))
    .where('id', '=', input.id)
    .where('status', '=', 'running')
    .where('locked_by', '=', input.workerId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes succeeded jobs of a type that were due before `before` (old periodic slots). */
export async function pruneSucceeded(
  db: Db<JobTables>,
  input: { type: string; before: Date },
): Promise<number> {
  const rows = await db
    .deleteFrom('jobs')
    .where('type', '=', input.type)
    .where('status', '=', 'succeeded')
    .where('run_at', '<', input.before)
    .returning('id')
    .execute();
  return rows.length;
}

export interface JobFilter {
  status?: JobStatus;
  type?: string;
  /** Jobs with a smaller id than this (paging newest first). */
  beforeId?: number;
  /** Default 50, at most 500. */
  limit?: number;
}

export async function listJobs(db: Db<JobTables>, filter: JobFilter = {}): Promise<Job[]> {
  let query = db.selectFrom('jobs').selectAll();
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.type) query = query.where('type', '=', filter.type);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const rows = await query.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toJob);
}

export async function getJob(db: Db<JobTables>, id: number): Promise<Job | null> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toJob(row) : null;
}

export async function countJobsByStatus(db: Db<JobTables>): Promise<Record<JobStatus, number>> {
  const rows = await db
    .selectFrom('jobs')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  const counts: Record<JobStatus, number> = { queued: 0, running: 0, succeeded: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}
