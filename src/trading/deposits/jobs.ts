import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { DepositsDb } from './context.ts';
import { flagLateRefunds, REFUND_LATE_JOB } from './refunds.ts';

/** What registering needs of the platform's JobRunner. */
export interface DepositJobRegistry {
  every(
    type: string,
    intervalMs: number,
    handler: (ctx: { db: Kysely<DepositsDb>; clock: Clock }) => Promise<void>,
  ): unknown;
}

/** Hourly: refunds past their legal date are flagged late (and the 占用费 accrued so far recorded). */
export function registerDepositJobs(jobs: DepositJobRegistry): void {
  jobs.every(REFUND_LATE_JOB, 3_600_000, async (ctx) => {
    await flagLateRefunds(ctx.db, ctx.clock);
  });
}
