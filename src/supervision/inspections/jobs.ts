import { z } from 'zod';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import { COMPLETE_ROUND_JOB, type InspectionsDeps, PUBLICATION_DUE_JOB } from './context.ts';
import { completeRound } from './draw.ts';
import { flagPublicationOverdue } from './results.ts';

const RoundPayload = z.object({ batchId: z.string().min(1), round: z.number().int().min(1) });
const BatchPayload = z.object({ batchId: z.string().min(1) });

export interface InspectionJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/**
 * The spot checks' clock-driven steps: a committed round is finished should its process have stopped
 * (idempotent), and at the publication deadline an unpublished batch is flagged overdue.
 */
export function registerInspectionJobs(jobs: InspectionJobRegistry, deps: InspectionsDeps): void {
  jobs.register(
    COMPLETE_ROUND_JOB,
    async ({ payload }) => {
      await completeRound(deps, payload.batchId, payload.round);
    },
    { payload: RoundPayload },
  );
  jobs.register(
    PUBLICATION_DUE_JOB,
    async ({ payload }) => {
      await flagPublicationOverdue(deps, payload.batchId);
    },
    { payload: BatchPayload },
  );
}
