import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import { OBJECTION_OVERDUE_JOB, type TendersDb, TIMELINE_TICK_JOB } from './context.ts';
import { flagOverdueObjection } from './objections.ts';
import { advanceTimeline } from './timeline.ts';

const TickPayload = z.object({ lotId: z.string().min(1) });
const OverduePayload = z.object({ objectionId: z.string().min(1) });

/** What registering needs of the platform's JobRunner (any runner whose database holds these tables). */
export interface TenderJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<TendersDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/**
 * The deadline jobs (no human presses a button on time): each deadline of a lot's timeline has a job
 * due at that instant that moves the status; an unanswered objection has one due when its 3 日 end.
 */
export function registerTenderJobs(jobs: TenderJobRegistry): void {
  jobs.register(
    TIMELINE_TICK_JOB,
    async (ctx) => {
      await advanceTimeline(ctx.db, ctx.clock, ctx.payload.lotId);
    },
    { payload: TickPayload },
  );
  jobs.register(
    OBJECTION_OVERDUE_JOB,
    async (ctx) => {
      await flagOverdueObjection(ctx.db, ctx.clock, ctx.payload.objectionId);
    },
    { payload: OverduePayload },
  );
}
