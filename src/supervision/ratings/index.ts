export {
  END_ACTIONS as RATING_END_ACTIONS,
  type RatingsDb,
  type RatingsDeps,
  WITNESS as RATING_WITNESS_TYPES,
} from './context.ts';
export { type RatingJobRegistry, registerRatingJobs } from './jobs.ts';
export { ratingsMigrations } from './migrations.ts';
export { END_KIND_NAMES_ZH, followAwardEvents, openRatingWindow } from './ratings.ts';
export { registerRatingRoutes } from './routes.ts';
export {
  CITATIONS as RATING_CITATIONS,
  PLATFORM_DIMENSIONS,
  quarterOf,
  RELATIONS as RATING_RELATIONS,
  WINDOW_WORKING_DAYS as RATING_WINDOW_WORKING_DAYS,
  windowEndsAt as ratingWindowEndsAt,
} from './rules.ts';
export type { RatingRelation, RatingsTables } from './tables.ts';
