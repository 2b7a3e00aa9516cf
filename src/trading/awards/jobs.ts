import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import {
  deemWinnerIfUndecided,
  flagNoticeLate,
  flagObjectionLate,
  flagPublicationLate,
  openAward,
} from './awards.ts';
import {
  type AwardsDb,
  type AwardsDeps,
  DECISION_DUE_JOB,
  NOTICE_DUE_JOB,
  OBJECTION_DUE_JOB,
  PUBLICATION_DUE_JOB,
  REPORT_RECEIVED_JOB,
} from './context.ts';

const LotPayload = z.object({ lotId: z.string().min(1) });
const ObjectionPayload = z.object({ objectionId: z.string().min(1) });

export interface AwardJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<AwardsDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/**
 * The clock-driven steps of the award: the file opened at the report, late publication / notice /
 * answers flagged, and 政府采购's deemed winner after 5 工作日. Every handler is idempotent.
 */
export function registerAwardJobs(jobs: AwardJobRegistry, deps: AwardsDeps): void {
  jobs.register(
    REPORT_RECEIVED_JOB,
    async ({ payload }) => {
      await openAward(deps, payload.lotId);
    },
    { payload: LotPayload },
  );
  jobs.register(
    PUBLICATION_DUE_JOB,
    async ({ payload }) => {
      await flagPublicationLate(deps, payload.lotId);
    },
    { payload: LotPayload },
  );
  jobs.register(
    DECISION_DUE_JOB,
    async ({ payload }) => {
      await deemWinnerIfUndecided(deps, payload.lotId);
    },
    { payload: LotPayload },
  );
  jobs.register(
    NOTICE_DUE_JOB,
    async ({ payload }) => {
      await flagNoticeLate(deps, payload.lotId);
    },
    { payload: LotPayload },
  );
  jobs.register(
    OBJECTION_DUE_JOB,
    async ({ payload }) => {
      await flagObjectionLate(deps, payload.objectionId);
    },
    { payload: ObjectionPayload },
  );
}
