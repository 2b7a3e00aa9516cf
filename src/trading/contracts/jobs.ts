import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import type { PayloadParser } from '../../platform/jobs/index.ts';
import { type ContractsDb, type ContractsDeps, PUBLICATION_DUE_JOB } from './context.ts';
import { flagPublicationLate, remindContractDeadline } from './contracts.ts';
import { CONTRACT_DEADLINE_JOB } from './deps.ts';

const DeadlinePayload = z.object({
  lotId: z.string().min(1),
  kind: z.enum(['reminder', 'overdue']),
  daysBefore: z.number().int().min(0).max(30),
});
const ContractPayload = z.object({ contractId: z.string().min(1) });

export interface ContractJobRegistry {
  register<P>(
    type: string,
    handler: (ctx: { payload: P; db: Kysely<ContractsDb>; clock: Clock }) => Promise<void>,
    options: { payload: PayloadParser<P> },
  ): unknown;
}

/** The 30-day limit's reminders and overdue alert (enqueued by the award), and 政府采购's publication limit. */
export function registerContractJobs(jobs: ContractJobRegistry, deps: ContractsDeps): void {
  jobs.register(
    CONTRACT_DEADLINE_JOB,
    async ({ payload }) => {
      await remindContractDeadline(deps, payload);
    },
    { payload: DeadlinePayload },
  );
  jobs.register(
    PUBLICATION_DUE_JOB,
    async ({ payload }) => {
      await flagPublicationLate(deps, payload.contractId);
    },
    { payload: ContractPayload },
  );
}
