import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type { EvaluationDb, EvaluationDeps } from './context.ts';
import type { BlobStore, CertsModule } from './deps.ts';

/** The evaluation's dependencies (main.ts, the demo, the benchmark). */
export function createEvaluationDeps(input: {
  db: Kysely<EvaluationDb>;
  clock: Clock;
  sealer: FieldSealer;
  blobs: BlobStore;
  certs: Pick<CertsModule, 'trust'>;
}): EvaluationDeps {
  return { db: input.db, clock: input.clock, sealer: input.sealer, blobs: input.blobs, certs: input.certs };
}
