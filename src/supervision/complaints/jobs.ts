import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import { flagChallengeOverdue } from './challenges.ts';
import { checkComplaintDeadlines, sweepOverdueComplaints } from './clocks.ts';
import { CHALLENGE_ANSWER_DUE_JOB, COMPLAINT_DEADLINE_JOB, type ComplaintsDb } from './context.ts';

const ComplaintPayload = z.object({ complaintId: z.string().min(1) });
const ChallengePayload = z.object({ challengeId: z.string().min(1) });

/** What registering needs of the platform's JobRunner (any runner whose database holds these tables). */
export interface ComplaintJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<ComplaintsDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
  every(
    name: string,
    intervalMs: number,
    fn: (ctx: { db: Kysely<ComplaintsDb>; clock: Clock }) => Promise<void>,
  ): unknown;
}

/**
 * The clocks of 投诉处理 (no human presses a button on time): a job just after each due moment flags what ran
 * out (witnessed); an hourly sweep catches any clock a moved deadline left without a job. Idempotent.
 */
export function registerComplaintJobs(jobs: ComplaintJobRegistry): void {
  jobs.register(
    COMPLAINT_DEADLINE_JOB,
    async ({ payload, db, clock }) => {
      await checkComplaintDeadlines(db, clock, payload.complaintId);
    },
    { payload: ComplaintPayload },
  );
  jobs.register(
    CHALLENGE_ANSWER_DUE_JOB,
    async ({ payload, db, clock }) => {
      await flagChallengeOverdue(db, clock, payload.challengeId);
    },
    { payload: ChallengePayload },
  );
  jobs.every('complaints.overdue-sweep', 3_600_000, async ({ db, clock }) => {
    await sweepOverdueComplaints(db, clock);
  });
}
