import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { enqueueJob, type PayloadParser } from '../../platform/jobs/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  CONFIRM_WINDOW_END_JOB,
  DECRYPT_WINDOW_END_JOB,
  type OpeningDb,
  type OpeningServices,
  STORE_PART_JOB,
} from './context.ts';
import { storePart } from './decryption.ts';
import { closeDecryption, closeHall } from './hall.ts';

const LotPayload = z.object({ lotId: z.string().min(1) });
const PartPayload = z.object({ bidId: z.string().min(1), no: z.number().int().min(0) });

export interface OpeningJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<OpeningDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/** Re-check a little later when the plaintext jobs are still verifying parts. */
const RETRY_MS = 5_000;

/**
 * The clock-driven steps: the decryption window's end closes decryption, the confirmation window's end
 * closes the hall — unless paused (resume enqueues the job again at the extended end) — and the plaintext
 * job stores each opened part.
 */
export function registerOpeningJobs(jobs: OpeningJobRegistry, services: OpeningServices): void {
  jobs.register(
    DECRYPT_WINDOW_END_JOB,
    async ({ payload, db, clock }) => {
      const result = await closeDecryption({ db, clock, ...services }, payload.lotId, {
        actor: null,
        origin: SYSTEM_ORIGIN,
      });
      if (result === 'parts-verifying') {
        await db.transaction().execute((tx) =>
          enqueueJob(tx, {
            type: DECRYPT_WINDOW_END_JOB,
            payload,
            runAt: new Date(clock.now().getTime() + RETRY_MS),
            dedupeKey: `${DECRYPT_WINDOW_END_JOB}:${payload.lotId}:retry:${clock.now().getTime()}`,
          }),
        );
      }
    },
    { payload: LotPayload },
  );
  jobs.register(
    CONFIRM_WINDOW_END_JOB,
    async ({ payload, db, clock }) => {
      await closeHall({ db, clock, ...services }, payload.lotId, { actor: null, origin: SYSTEM_ORIGIN });
    },
    { payload: LotPayload },
  );
  jobs.register(
    STORE_PART_JOB,
    async ({ payload, db, clock }) => {
      await storePart({ db, clock, ...services }, payload.bidId, payload.no);
    },
    { payload: PartPayload },
  );
}
