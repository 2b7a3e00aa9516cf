import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import {
  type CheckpointSigner,
  loadCheckpointSigner,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import type { DrawsDb, DrawsDeps } from './context.ts';

/** The draw's dependencies (main.ts, the CLI, the benchmark): the checkpoint signer is loaded once. */
export function createDrawsDeps(input: {
  db: Kysely<DrawsDb>;
  clock: Clock;
  sealer: FieldSealer;
  smsGatewayUrl?: string | null;
}): DrawsDeps {
  let signer: Promise<CheckpointSigner> | null = null;
  return {
    db: input.db,
    clock: input.clock,
    sealer: input.sealer,
    smsGatewayUrl: input.smsGatewayUrl ?? null,
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
