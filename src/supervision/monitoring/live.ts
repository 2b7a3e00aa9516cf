import type { Notifier } from '../../platform/notify/index.ts';
import type { MonitoringDeps } from './context.ts';
import { OPENING_CHANNEL, readOpeningOutcome } from './deps.ts';
import { computeOpenedLot } from './follower.ts';
import * as store from './store.ts';

/**
 * 即时计算 (the fast path): the opening hall announces every change of a lot on its notification channel
 * when the change commits; when the change is the published opening record, the lot's signals are computed
 * at once — well before the witness log has sequenced the event for the follower (which then finds the
 * lot done and passes). The follower stays the sure path: a notification missed (an instance down, the
 * listening connection lost) is caught up from the log.
 */
export async function startMonitoringLive(
  deps: MonitoringDeps,
  notifier: Notifier,
): Promise<() => Promise<void>> {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const scanIfPublished = async (lotId: string): Promise<void> => {
    const outcome = await readOpeningOutcome(deps.db, lotId);
    if (!outcome || (outcome.state !== 'published' && outcome.state !== 'closed') || !outcome.publishedAt)
      return;
    const publishedAt = outcome.publishedAt;
    const done = await store.findLotScan(deps.db, lotId, 'opening');
    if (done && done.scanned_at.getTime() >= publishedAt.getTime()) return;
    const result = await computeOpenedLot(deps, lotId, {
      source: 'incremental',
      at: publishedAt,
      unlessScannedSince: publishedAt,
    });
    if (result) {
      deps.logger?.info(
        { lotId, raised: result.raised, ms: Math.round(result.ms) },
        '风险监测：开标记录公布后即时计算完成',
      );
    }
  };

  const schedule = (lotId: string): void => {
    if (running.has(lotId)) {
      again.add(lotId);
      return;
    }
    const run = scanIfPublished(lotId)
      .catch((error: unknown) => {
        // Not lost: the witness-log follower computes the lot when it reaches the event.
        deps.logger?.warn({ err: error, lotId }, '风险监测：即时计算失败，将由见证日志跟随任务补算');
      })
      .finally(() => {
        running.delete(lotId);
        if (again.delete(lotId)) schedule(lotId);
      });
    running.set(lotId, run);
  };

  const unsubscribe = await notifier.subscribe(OPENING_CHANNEL, {
    onMessage: (payload) => {
      const { lotId, audience } = (payload ?? {}) as { lotId?: unknown; audience?: unknown };
      // A bidder-only notice (its own check-in, keys) never publishes the record.
      if (typeof lotId !== 'string' || audience !== undefined) return;
      schedule(lotId);
    },
  });
  return async () => {
    await unsubscribe();
    await Promise.allSettled([...running.values()]);
  };
}
