import { randomUUID } from 'node:crypto';
import type { Db as AnyDb } from '../../platform/db/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import * as store from './store.ts';
import type { ProceduresTables } from './tables.ts';

/**
 * 暂停招标投标/采购活动 (《招标投标法实施条例》第六十二条；财政部令第94号 第二十八条). The regulator handling a
 * complaint orders it; while it is in force the lot's background jobs wait (the job runner asks
 * `suspensionHoldUntil`) and every step that moves the procedure on is refused (`assertLotNotSuspended`).
 */
export interface Suspension {
  id: string;
  lotId: string;
  cause: string;
  reason: string;
  citation: string;
  startedAt: Date;
  until: Date | null;
  endedAt: Date | null;
}

/** The witness entity a suspension is recorded on: the lot (same as trading/projects' LOT_WITNESS_TYPE). */
const LOT = 'lot';

type Db = AnyDb<ProceduresTables>;
type Tx = AnyDb<ProceduresTables & WitnessTables>;

function toSuspension(row: store.SuspensionRow): Suspension {
  return {
    id: row.id,
    lotId: row.lot_id,
    cause: row.cause,
    reason: row.reason,
    citation: row.citation,
    startedAt: row.started_at,
    until: row.until,
    endedAt: row.ended_at,
  };
}

/** The suspension in force at `at`, if any (one past its `until` is no longer in force). */
export async function suspensionInForce(db: Db, lotId: string, at: Date): Promise<Suspension | null> {
  const row = await store.findOpenSuspension(db, lotId);
  if (!row || (row.until && row.until.getTime() <= at.getTime())) return null;
  return toSuspension(row);
}

/**
 * For several lots at once (a writer checking many lots in one transaction): the refusal each lot's
 * suspension in force at `at` gives (PROCEDURE_SUSPENDED), by lot id; lots not suspended are absent.
 */
export async function suspendedLots(db: Db, lotIds: string[], at: Date): Promise<Map<string, RuleViolation>> {
  const out = new Map<string, RuleViolation>();
  for (const row of await store.findOpenSuspensions(db, [...new Set(lotIds)])) {
    if (row.until && row.until.getTime() <= at.getTime()) continue;
    out.set(row.lot_id, suspendedError(toSuspension(row)));
  }
  return out;
}

export function suspendedError(s: Suspension): RuleViolation {
  const until = s.until ? `，至 ${s.until.toISOString().slice(0, 10)} 止` : '，直至监督部门通知恢复';
  return new RuleViolation('PROCEDURE_SUSPENDED', {
    title: '该标段的交易活动已被暂停',
    detail: `行政监督部门因“${s.reason}”暂停了本标段的交易活动${until}；暂停期间不得进行后续程序。`,
    citation: s.citation,
  });
}

/** Refuses a step that would move a suspended procedure on. */
export async function assertLotNotSuspended(db: Db, lotId: string, at: Date): Promise<void> {
  const s = await suspensionInForce(db, lotId, at);
  if (s) throw suspendedError(s);
}

/**
 * Orders a suspension inside the caller's transaction, with its witness event. A lot has at most one in
 * force; a lapsed one (past its `until`) is closed first.
 */
export async function suspendLot(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  input: { lotId: string; cause: string; reason: string; citation: string; until: Date | null },
): Promise<Suspension> {
  if (input.until && input.until.getTime() <= at.getTime()) {
    throw new RuleViolation('SUSPENSION_END_PASSED', {
      title: '暂停截止时间须晚于现在',
      detail: `暂停截止时间 ${input.until.toISOString()} 不晚于当前时间。`,
    });
  }
  const open = await store.findOpenSuspension(tx, input.lotId);
  if (open) {
    if (open.until && open.until.getTime() <= at.getTime()) {
      await store.endSuspension(tx, open.id, open.until, null);
    } else {
      throw new RuleViolation('ALREADY_SUSPENDED', {
        title: '该标段已处于暂停状态',
        detail: `该标段已因“${open.reason}”暂停，不能重复暂停。`,
        citation: open.citation,
      });
    }
  }
  const row = await store.insertSuspension(tx, {
    id: randomUUID(),
    lot_id: input.lotId,
    cause: input.cause,
    reason: input.reason,
    citation: input.citation,
    started_at: at,
    until: input.until,
    ended_at: null,
    ordered_by: origin.accountId,
    ended_by: null,
  });
  await appendWitnessEvent(tx, at, origin, {
    entityType: LOT,
    entityId: input.lotId,
    action: 'procedure.suspended',
    payload: {
      suspensionId: row.id,
      cause: input.cause,
      reason: input.reason,
      citation: input.citation,
      until: input.until?.toISOString() ?? null,
    },
  });
  return toSuspension(row);
}

/** Ends the suspension in force (恢复), inside the caller's transaction, with its witness event. */
export async function resumeLot(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  input: { lotId: string; cause: string },
): Promise<Suspension> {
  const open = await store.findOpenSuspension(tx, input.lotId);
  if (!open || open.cause !== input.cause) {
    throw new RuleViolation('NOT_SUSPENDED', {
      title: '该标段没有因本事项暂停',
      detail: '只能恢复由本事项作出且尚未结束的暂停。',
    });
  }
  const ended = await store.endSuspension(tx, open.id, at, origin.accountId);
  if (!ended) throw new RuleViolation('NOT_SUSPENDED', { title: '该标段没有因本事项暂停' });
  await appendWitnessEvent(tx, at, origin, {
    entityType: LOT,
    entityId: input.lotId,
    action: 'procedure.resumed',
    payload: { suspensionId: open.id, cause: input.cause },
  });
  return toSuspension(ended);
}

export async function listSuspensions(db: Db, lotId: string): Promise<Suspension[]> {
  return (await store.listSuspensionsOfLot(db, lotId)).map(toSuspension);
}

/**
 * How often a held job looks again whether its lot was resumed (platform time): a minute, so that what
 * waits on the resumption (an auction's countdown given back, a deadline) follows it promptly.
 */
export const SUSPENSION_RECHECK_MS = 60_000;

/**
 * For the job runner: when a job of a suspended lot (payload `lotId`) is due, until when it waits —
 * the suspension's end, or a recheck while it has none. Null: run it now.
 */
export async function suspensionHoldUntil(db: Db, payload: unknown, at: Date): Promise<Date | null> {
  const lotId = (payload as { lotId?: unknown } | null)?.lotId;
  if (typeof lotId !== 'string') return null;
  const s = await suspensionInForce(db, lotId, at);
  if (!s) return null;
  const recheck = at.getTime() + SUSPENSION_RECHECK_MS;
  return new Date(s.until ? Math.min(s.until.getTime(), recheck) : recheck);
}
