import { listSequencedEvents, type SequencedEvent } from '../../platform/witness/index.ts';
import type { MonitoringDeps, Tx } from './context.ts';
import { raiseSplitAlert, type ScanResult, scanAwardedLot, scanEvaluatedLot, scanOpenedLot } from './scan.ts';
import * as store from './store.ts';
import type { ScanStage } from './tables.ts';

/** The witness actions the monitoring reacts to (entity id = the lot id for each). */
export const MONITORED_ACTIONS = [
  'opening.record-published',
  'evaluation.reported',
  'award.winner-confirmed',
  'award.winner-deemed',
  'lot.split-flagged',
] as const;

export interface FollowResult {
  events: number;
  scans: ScanResult[];
  /** Events whose processing failed: logged and passed over (a full rerun computes them again). */
  failed: number;
}

function payloadOf(event: SequencedEvent): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(event.payload);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Whether the stage was computed at or after `at` already (by the live path or another instance). */
async function alreadyScanned(tx: Tx, lotId: string, stage: ScanStage, at: Date): Promise<boolean> {
  const scan = await store.findLotScan(tx, lotId, stage);
  return scan !== undefined && scan.scanned_at.getTime() >= at.getTime();
}

/** Computes what one witness event of the lot calls for, in the caller's transaction. */
export async function handleEvent(
  deps: MonitoringDeps,
  tx: Tx,
  event: Pick<SequencedEvent, 'action' | 'entityId' | 'occurredAt' | 'payload'>,
): Promise<ScanResult | null> {
  const lotId = event.entityId;
  const opts = { source: 'incremental' as const, at: event.occurredAt };
  switch (event.action) {
    case 'opening.record-published':
      if (await alreadyScanned(tx, lotId, 'opening', event.occurredAt)) return null;
      return scanOpenedLot(deps, tx, lotId, opts);
    case 'evaluation.reported':
      if (await alreadyScanned(tx, lotId, 'evaluation', event.occurredAt)) return null;
      return scanEvaluatedLot(deps, tx, lotId, opts);
    case 'award.winner-confirmed':
    case 'award.winner-deemed':
      return scanAwardedLot(deps, tx, lotId, opts);
    case 'lot.split-flagged':
      await raiseSplitAlert(deps, tx, lotId, payloadOf(event as SequencedEvent), opts);
      return null;
    default:
      return null;
  }
}

/**
 * One lot's opening stage in its own transaction, serialised with the follower by the position's lock:
 * the live path and the bench call it. Null when the stage was computed at or after `unlessScannedSince`.
 */
export async function computeOpenedLot(
  deps: MonitoringDeps,
  lotId: string,
  opts: { source: 'incremental' | 'rerun'; at?: Date; unlessScannedSince?: Date },
): Promise<ScanResult | null> {
  return deps.db.transaction().execute(async (tx) => {
    await store.lockCursor(tx);
    if (opts.unlessScannedSince && (await alreadyScanned(tx, lotId, 'opening', opts.unlessScannedSince)))
      return null;
    return scanOpenedLot(deps, tx, lotId, { source: opts.source, ...(opts.at ? { at: opts.at } : {}) });
  });
}

/**
 * 增量计算: follows the witness log (sequenced, so in commit order) from the stored position and computes
 * each lot's signals as its records land. Each event is handled in its own transaction under the
 * position's row lock — one follower at a time across instances, the position moved with the alerts it
 * raised. An event that cannot be handled is logged and passed over so one bad record does not stop the
 * monitoring; `ggzy`'s full rerun (runs.ts) computes it again.
 */
export async function followWitnessLog(
  deps: MonitoringDeps,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<FollowResult> {
  const batchSize = opts.batchSize ?? 100;
  const maxBatches = opts.maxBatches ?? 50;
  const result: FollowResult = { events: 0, scans: [], failed: 0 };
  for (let batch = 0; batch < maxBatches; batch++) {
    const { lastLeafIndex } = await store.readCursor(deps.db);
    const events = await listSequencedEvents(deps.db, {
      after: lastLeafIndex,
      limit: batchSize,
      actions: MONITORED_ACTIONS,
    });
    if (events.length === 0) break;
    for (const event of events) {
      result.events++;
      try {
        const scan = await deps.db.transaction().execute(async (tx) => {
          const position = await store.lockCursor(tx);
          if (position >= event.leafIndex) return null; // another instance handled it
          const done = await handleEvent(deps, tx, event);
          await store.setCursor(tx, event.leafIndex, deps.clock.now());
          return done;
        });
        if (scan) result.scans.push(scan);
      } catch (error) {
        result.failed++;
        deps.logger?.error(
          { err: error, eventId: event.id, action: event.action, lotId: event.entityId },
          '风险监测：见证事件处理失败，已跳过（可由全量重算补算）',
        );
        await deps.db.transaction().execute(async (tx) => {
          await store.lockCursor(tx);
          await store.setCursor(tx, event.leafIndex, deps.clock.now());
        });
      }
    }
    if (events.length < batchSize) break;
  }
  return result;
}
