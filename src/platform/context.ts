import type { Kysely } from 'kysely';
import type { Clock } from './clock/index.ts';
import type { Actor } from './identity/actor.ts';
import type { WitnessOrigin } from './witness/index.ts';

/**
 * What a use case receives: the database, platform time, the actor (null for the anonymous public or the
 * system) and where the action came from, for the witness log.
 */
export interface UseCaseContext<T> {
  db: Kysely<T>;
  clock: Clock;
  actor: Actor | null;
  origin: WitnessOrigin;
}
