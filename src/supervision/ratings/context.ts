import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type { AwardsDb, DrawsDb, ExpertsDb, OpeningDb, ProjectsDb, ScopesTables } from './deps.ts';
import type { RatingsTables } from './tables.ts';

export type RatingsDb = RatingsTables &
  ScopesTables &
  ProjectsDb &
  DrawsDb &
  AwardsDb &
  OpeningDb &
  ExpertsDb;
export type Tx = Transaction<RatingsDb>;
export type ReadDb = Kysely<RatingsDb>;

export interface RatingsDeps {
  db: ReadDb;
  clock: Clock;
  /** Opens the committee's names (sealed by the draw until its reveal). */
  sealer: FieldSealer;
}

export type RatingsContext = UseCaseContext<RatingsDb> & { deps: RatingsDeps };

export const WITNESS = {
  window: 'rating-window',
  rating: 'rating',
  selfAssessment: 'service-self-assessment',
  serviceRating: 'service-rating',
} as const;

/** The witness actions that end a lot (the award module's). */
export const END_ACTIONS = ['award.notice-issued', 'award.failed', 'award.terminated'] as const;
