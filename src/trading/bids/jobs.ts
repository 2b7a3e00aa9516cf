import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import { expireUnfinishedUploads } from './bids.ts';
import { type BidsDb, DEADLINE_JOB } from './context.ts';

const DeadlinePayload = z.object({ lotId: z.string().min(1) });

/** What registering needs of the platform's JobRunner. */
export interface BidJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<BidsDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/** At each lot's bid deadline: unfinished uploads count as withdrawn (电子招标投标办法第二十六条). */
export function registerBidJobs(jobs: BidJobRegistry, deps: { dataDir: string }): void {
  jobs.register(
    DEADLINE_JOB,
    async (ctx) => {
      await expireUnfinishedUploads(ctx.db, ctx.clock, deps.dataDir, ctx.payload.lotId);
    },
    { payload: DeadlinePayload },
  );
}
