import { z } from 'zod';
import { FOLLOW_JOB, type MonitoringDeps, RERUN_JOB } from './context.ts';
import { followWitnessLog } from './follower.ts';
import { executeRun } from './runs.ts';

/** What registering needs of the platform's JobRunner. */
export interface MonitoringJobRegistry {
  every(type: string, intervalMs: number, handler: () => Promise<void>): unknown;
  register<P>(
    type: string,
    handler: (ctx: { payload: P }) => Promise<void>,
    opts?: { payload?: { parse(value: unknown): P } },
  ): unknown;
}

const RunPayload = z.object({ runId: z.string().min(1) });

/**
 * The follower reads the witness log every 2 s (the witness loop sequences events first); the fast path
 * (live.ts) computes a lot as soon as its opening record commits. Reruns are jobs.
 */
export function registerMonitoringJobs(jobs: MonitoringJobRegistry, deps: MonitoringDeps): void {
  jobs.every(FOLLOW_JOB, 2_000, async () => {
    await followWitnessLog(deps);
  });
  jobs.register<{ runId: string }>(
    RERUN_JOB,
    async (ctx) => {
      await executeRun(deps, ctx.payload.runId);
    },
    { payload: RunPayload },
  );
}
