import type { RatingsDeps } from './context.ts';
import { followAwardEvents } from './ratings.ts';

export interface RatingJobRegistry {
  every(name: string, intervalMs: number, fn: () => Promise<void>): unknown;
}

/** Every 5 minutes: lots that ended (notice issued, failed, terminated) get their rating windows. */
export function registerRatingJobs(jobs: RatingJobRegistry, deps: RatingsDeps): void {
  jobs.every('ratings.open-windows', 5 * 60_000, async () => {
    await followAwardEvents(deps);
  });
}
