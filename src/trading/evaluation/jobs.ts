import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import { type EvaluationDb, type EvaluationDeps, REPORT_WINDOW_END_JOB } from './context.ts';
import { finalizeReport } from './report.ts';

const LotPayload = z.object({ lotId: z.string().min(1) });

export interface EvaluationJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<EvaluationDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/**
 * The report's signing window ends: members who neither signed nor gave a written reason are recorded as
 * agreeing (实施条例第五十三条), the PDF is archived. Idempotent (a finished report is left alone).
 */
export function registerEvaluationJobs(jobs: EvaluationJobRegistry, deps: EvaluationDeps): void {
  jobs.register(
    REPORT_WINDOW_END_JOB,
    async ({ payload }) => {
      await finalizeReport(deps, payload.lotId, { force: true });
    },
    { payload: LotPayload },
  );
}
