import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { TENDER_WITNESS_TYPE, type TendersDb, witness } from './context.ts';
import { statusAt, stepsForward, TIMELINE_STATUS_NAMES_ZH } from './states.ts';
import * as store from './store.ts';
import type { TendersTables, TimelineStatus } from './tables.ts';

/** The lot's deadlines as every party sees them (and as the sealed-bid issue reads the deadline). */
export interface LotTimeline {
  lotId: string;
  lotCode: string;
  procedureType: string;
  rulesAsOf: string;
  publishedAt: Date;
  documentsFrom: Date;
  documentsUntil: Date;
  bidDeadline: Date;
  openingAt: Date;
  /** Null when the procedure has no such window. */
  objectionUntil: Date | null;
  objectionCitation: string | null;
  /** 投标保证金 the tender asks for, or null (the sealed-bid stage checks it is paid). */
  depositYuan: string | null;
  status: TimelineStatus;
  statusNameZh: string;
  suspended: boolean;
  terminatedAt: Date | null;
}

export function toLotTimeline(row: store.TimelineRow): LotTimeline {
  return {
    lotId: row.lot_id,
    lotCode: row.lot_code,
    procedureType: row.procedure_type,
    rulesAsOf: row.rules_as_of,
    publishedAt: row.published_at,
    documentsFrom: row.documents_from,
    documentsUntil: row.documents_until,
    bidDeadline: row.bid_deadline,
    openingAt: row.opening_at,
    objectionUntil: row.objection_until,
    objectionCitation: row.objection_citation,
    depositYuan: row.deposit_yuan === null ? null : fenToYuan(yuanToFen(row.deposit_yuan)),
    status: row.status,
    statusNameZh: TIMELINE_STATUS_NAMES_ZH[row.status],
    suspended: row.suspended,
    terminatedAt: row.terminated_at,
  };
}

/** The lot's timeline, or null before its tender/procurement announcement is published. */
export async function getLotTimeline(db: Db<TendersTables>, lotId: string): Promise<LotTimeline | null> {
  const row = await store.findTimeline(db, lotId);
  return row ? toLotTimeline(row) : null;
}

/**
 * The deadline job: moves the status forward to where the clock says it should be, one witnessed step
 * at a time. Runs at each deadline and again whenever it is asked to (after a suspension is lifted);
 * a run with nothing to do changes nothing, so it is safe to run twice. A suspended or terminated
 * timeline does not move (条例第二十二条: 作出答复前，应当暂停招标投标活动).
 */
export async function advanceTimeline(
  db: Kysely<TendersDb>,
  clock: Clock,
  lotId: string,
): Promise<TimelineStatus | null> {
  return db.transaction().execute(async (tx) => {
    const row = await store.lockTimeline(tx, lotId);
    if (!row) return null;
    if (row.status === 'terminated' || row.suspended) return row.status;
    const now = clock.now();
    const target = statusAt(
      {
        documentsFrom: row.documents_from,
        documentsUntil: row.documents_until,
        bidDeadline: row.bid_deadline,
        openingAt: row.opening_at,
      },
      now,
    );
    let current: TimelineStatus = row.status;
    for (const next of stepsForward(current, target)) {
      await store.setTimelineStatus(tx, lotId, current, next, now);
      await witness(tx, now, SYSTEM_ORIGIN, TENDER_WITNESS_TYPE, lotId, 'tender.status-changed', {
        from: current,
        to: next,
      });
      current = next;
    }
    return current;
  });
}
