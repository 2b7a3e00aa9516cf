import type { Kysely } from 'kysely';
import { NotFound, RuleViolation } from '../errors.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../witness/index.ts';
import { type Job, toJob } from './job.ts';
import type { JobTables } from './tables.ts';

/**
 * What the platform operator may do with jobs (交易中心 operator view). The operator may put a failed job
 * back in the queue — that is the platform's own machinery, not a decision on anyone's matter (§48(1)) —
 * and the retry is witnessed like every action a person takes.
 */
export async function retryJob(
  db: Kysely<JobTables & WitnessTables>,
  input: { id: number; at: Date; origin: WitnessOrigin },
): Promise<Job> {
  return db.transaction().execute(async (tx) => {
    const current = await tx
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', input.id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) {
      throw new NotFound('JOB_NOT_FOUND', {
        title: '任务不存在',
        detail: `编号为 ${input.id} 的后台任务不存在。`,
      });
    }
    if (current.status !== 'failed') {
      throw new RuleViolation('JOB_NOT_FAILED', {
        title: '只能重试失败的任务',
        detail: `任务 ${input.id} 当前状态为“${JOB_STATUS_NAMES_ZH[current.status]}”，无需重试。`,
      });
    }
    const row = await tx
      .updateTable('jobs')
      .set({
        status: 'queued',
        attempts: 0,
        run_at: null,
        finished_at: null,
        locked_by: null,
        locked_until: null,
      })
      .where('id', '=', input.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendWitnessEvent(tx, input.at, input.origin, {
      entityType: 'job',
      entityId: String(input.id),
      action: 'job.retried',
      payload: { type: current.type, previousAttempts: current.attempts, lastError: current.last_error },
    });
    return toJob(row);
  });
}

export const JOB_STATUS_NAMES_ZH = {
  queued: '排队中',
  running: '执行中',
  succeeded: '已完成',
  failed: '失败',
} as const;
