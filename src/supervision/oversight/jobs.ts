import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import { FEEDBACK_OVERDUE_JOB, type OversightDb } from './context.ts';
import { catchUpIndex } from './indexer.ts';
import { flagOverdueFeedback } from './violations.ts';

const OverduePayload = z.object({ reportId: z.string().min(1) });

/** What registering needs of the platform's JobRunner. */
export interface OversightJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<OversightDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
  every(
    name: string,
    intervalMs: number,
    fn: (ctx: { db: Kysely<OversightDb>; clock: Clock }) => Promise<void>,
  ): unknown;
}

/**
 * A report without feedback is flagged when its limit passes; the witness index is kept warm every 30 s
 * (the live requests and timelines also bring it up to date before they read).
 */
export function registerOversightJobs(jobs: OversightJobRegistry): void {
  jobs.register(
    FEEDBACK_OVERDUE_JOB,
    async (ctx) => {
      await flagOverdueFeedback(ctx.db, ctx.clock, ctx.payload.reportId);
    },
    { payload: OverduePayload },
  );
  jobs.every('oversight.index-witness', 30_000, async (ctx) => {
    await catchUpIndex(ctx.db, ctx.clock);
  });
}
