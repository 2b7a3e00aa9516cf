import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { type CheckpointSigner, loadCheckpointSigner } from '../../platform/witness/index.ts';
import type { InspectionsDb, InspectionsDeps } from './context.ts';

/** The spot checks' dependencies (main.ts): the checkpoint signer is loaded once, on first use. */
export function createInspectionsDeps(input: {
  db: Kysely<InspectionsDb>;
  clock: Clock;
  sealer: FieldSealer;
}): InspectionsDeps {
  let signer: Promise<CheckpointSigner> | null = null;
  return {
    db: input.db,
    clock: input.clock,
    sealer: input.sealer,
    signer() {
      signer ??= loadCheckpointSigner(input.db, input.clock).catch((error: unknown) => {
        signer = null;
        throw error;
      });
      return signer;
    },
  };
}
