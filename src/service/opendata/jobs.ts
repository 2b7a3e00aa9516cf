import type { Kysely } from 'kysely';
import { loadCheckpointSigner, type WitnessTables } from '../../platform/witness/index.ts';
import type { OpendataDeps } from './context.ts';
import { projectOpenData } from './projector.ts';
import { deliverWebhooks } from './webhooks.ts';

/** What registering needs of the platform's JobRunner. */
export interface OpendataJobRegistry {
  every(type: string, intervalMs: number, handler: () => Promise<void>): unknown;
}

/**
 * The feed follows the witness log every 2 s (the witness loop sequences events first); subscribers are
 * pushed every 5 s. Both are safe on any number of instances (row lock / compare-and-set).
 */
export function registerOpendataJobs(jobs: OpendataJobRegistry, deps: OpendataDeps): void {
  jobs.every('opendata.project', 2_000, async () => {
    await projectOpenData(deps);
  });
  jobs.every('opendata.webhooks', 5_000, async () => {
    await deliverWebhooks({
      db: deps.db,
      clock: deps.clock,
      signer: () => loadCheckpointSigner(deps.db as unknown as Kysely<WitnessTables>, deps.clock),
      publicUrl: deps.publicUrl,
    });
  });
}
