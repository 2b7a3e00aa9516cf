import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import {
  type CheckpointSigner,
  loadCheckpointSigner,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import type { AwardsDb, AwardsDeps } from './context.ts';
import type { PartyEligibility } from './deps.ts';

/** The award's dependencies (main.ts, the CLI): the platform signer is loaded once, outside transactions. */
export function createAwardsDeps(input: {
  db: Kysely<AwardsDb>;
  clock: Clock;
  eligibility: PartyEligibility;
}): AwardsDeps {
  let signer: Promise<CheckpointSigner> | null = null;
  return {
    db: input.db,
    clock: input.clock,
    eligibility: input.eligibility,
    signer() {
      signer ??= loadCheckpointSigner(input.db as unknown as Kysely<WitnessTables>, input.clock).catch(
        (error: unknown) => {
          signer = null;
          throw error;
        },
      );
      return signer;
    },
  };
}
