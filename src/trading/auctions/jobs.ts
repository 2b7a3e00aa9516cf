import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import {
  type AuctionsDb,
  type AuctionsDeps,
  DEADLINE_JOB,
  QUALIFICATION_DUE_JOB,
  START_JOB,
} from './context.ts';
import { advanceAuction, finalizeDeal, flagQualificationOverdue, startBidding } from './lifecycle.ts';
import { FINALIZE_JOB } from './results.ts';

// lotId lets the runner hold a suspended lot's jobs (procedures' suspensionHoldUntil).
const AuctionPayload = z.object({ auctionId: z.string().min(1), lotId: z.string().min(1) });

export interface AuctionJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<AuctionsDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/** The auction's clock: the start, every phase end and countdown end, the deal after the close, overdue reviews. */
export function registerAuctionJobs(jobs: AuctionJobRegistry, deps: AuctionsDeps): void {
  jobs.register(START_JOB, async ({ payload }) => startBidding(deps, payload.auctionId), {
    payload: AuctionPayload,
  });
  jobs.register(DEADLINE_JOB, async ({ payload }) => advanceAuction(deps, payload.auctionId), {
    payload: AuctionPayload,
  });
  jobs.register(FINALIZE_JOB, async ({ payload }) => finalizeDeal(deps, payload.auctionId), {
    payload: AuctionPayload,
  });
  jobs.register(
    QUALIFICATION_DUE_JOB,
    async ({ payload }) => flagQualificationOverdue(deps, payload.auctionId),
    {
      payload: AuctionPayload,
    },
  );
}
