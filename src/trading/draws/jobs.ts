import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import {
  type DrawsDb,
  type DrawsDeps,
  RECHECK_JOB,
  REVEAL_JOB,
  ROUND_JOB,
  SMS_JOB,
  SUPPLEMENTARY_JOB,
  WINDOW_END_JOB,
} from './context.ts';
import { closeWindow, completeRound, revealDraw, runSupplementary } from './draws.ts';
import { sendPendingSms } from './notifications.ts';
import { recheckBidders } from './recheck.ts';
import * as store from './store.ts';

const DrawPayload = z.object({ drawId: z.string().min(1) });
const RoundPayload = DrawPayload.extend({ round: z.number().int().min(1) });
const AssignmentPayload = DrawPayload.extend({ assignmentId: z.string().min(1) });

export interface DrawJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<DrawsDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/**
 * The clock-driven steps: a round committed but not drawn (a restart) is completed; the confirmation
 * window's end turns silence into 未答复 and 补抽; each 补抽 runs; the SMS outbox is sent and retried; at
 * the bid deadline the serving experts are checked against the final bidders; at the evaluation's start
 * the draw is revealed. Every handler is idempotent (jobs run at least once).
 */
export function registerDrawJobs(jobs: DrawJobRegistry, deps: DrawsDeps): void {
  jobs.register(
    ROUND_JOB,
    async ({ payload }) => {
      const round = (await store.listRounds(deps.db, payload.drawId)).find((r) => r.round === payload.round);
      if (round?.status === 'committed') await completeRound(deps, payload.drawId, payload.round);
    },
    { payload: RoundPayload },
  );
  jobs.register(
    WINDOW_END_JOB,
    async ({ payload }) => {
      await closeWindow(deps, payload.drawId, payload.round);
    },
    { payload: RoundPayload },
  );
  jobs.register(
    SUPPLEMENTARY_JOB,
    async ({ payload }) => {
      await runSupplementary(deps, payload.drawId, payload.assignmentId);
    },
    { payload: AssignmentPayload },
  );
  jobs.register(
    SMS_JOB,
    async ({ payload }) => {
      const pending = await sendPendingSms(deps, payload.drawId);
      if (pending > 0) throw new Error(`${pending} 条短信通知待重试`);
    },
    { payload: DrawPayload },
  );
  jobs.register(
    RECHECK_JOB,
    async ({ payload }) => {
      await recheckBidders(deps, payload.drawId);
    },
    { payload: DrawPayload },
  );
  jobs.register(
    REVEAL_JOB,
    async ({ payload }) => {
      // Bids may have arrived after the bid-deadline check was scheduled (a deadline moved): check again.
      await recheckBidders(deps, payload.drawId);
      await revealDraw(deps, payload.drawId);
    },
    { payload: DrawPayload },
  );
}
