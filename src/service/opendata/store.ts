import type { Insertable, Kysely, Transaction } from 'kysely';
import type { OpendataTables, PublicReleasesTable, WebhookSubscriptionsTable } from './tables.ts';

type ODb = Kysely<OpendataTables> | Transaction<OpendataTables>;

/** Locks the projection's row: one projector at a time, across instances, until the transaction ends. */
export async function lockProjection(tx: Transaction<OpendataTables>) {
  const row = await tx
    .selectFrom('opendata_projection')
    .select(['last_leaf_index'])
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return Number(row.last_leaf_index);
}

export function setLastLeafIndex(tx: ODb, leafIndex: number, at: Date) {
  return tx
    .updateTable('opendata_projection')
    .set({ last_leaf_index: leafIndex, updated_at: at })
    .where('id', '=', 1)
    .execute();
}

export async function readCursorKey(db: ODb): Promise<string | null> {
  const row = await db
    .selectFrom('opendata_projection')
    .select(['cursor_key'])
    .where('id', '=', 1)
    .executeTakeFirst();
  return row?.cursor_key ?? null;
}

/** Stores the key unless one is already there; returns the key in force. */
export async function storeCursorKeyIfAbsent(db: ODb, key: string): Promise<string> {
  await db
    .updateTable('opendata_projection')
    .set({ cursor_key: key })
    .where('id', '=', 1)
    .where('cursor_key', 'is', null)
    .execute();
  return (await readCursorKey(db)) ?? key;
}

export async function maxSeq(db: ODb): Promise<number> {
  const row = await db
    .selectFrom('public_releases')
    .select((eb) => eb.fn.max('seq').as('max'))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max);
}

export function insertRelease(db: ODb, row: Insertable<PublicReleasesTable>) {
  return db.insertInto('public_releases').values(row).execute();
}

export function upsertProcess(
  db: ODb,
  row: { lot_id: string; ocid: string; snapshot: string; updated_at: Date },
) {
  return db
    .insertInto('public_processes')
    .values(row)
    .onConflict((oc) =>
      oc.column('lot_id').doUpdateSet({
        snapshot: row.snapshot,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

const RELEASE_COLUMNS = [
  'seq',
  'release_id',
  'ocid',
  'lot_id',
  'trigger_kind',
  'published_at',
  'release',
] as const;

export function listReleasesAfter(db: ODb, afterSeq: number, limit: number, kinds?: readonly string[]) {
  let q = db
    .selectFrom('public_releases')
    .select(RELEASE_COLUMNS)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit);
  if (kinds && kinds.length > 0) q = q.where('trigger_kind', 'in', [...kinds]);
  return q.execute();
}

export function listReleasesOfOcid(db: ODb, ocid: string) {
  return db
    .selectFrom('public_releases')
    .select(RELEASE_COLUMNS)
    .where('ocid', '=', ocid)
    .orderBy('seq')
    .execute();
}

export function listReleasesOfOcids(db: ODb, ocids: readonly string[]) {
  return db
    .selectFrom('public_releases')
    .select(['ocid', 'release'])
    .where('ocid', 'in', [...ocids])
    .orderBy('ocid')
    .orderBy('seq')
    .execute();
}

export function findProcessByOcid(db: ODb, ocid: string) {
  return db.selectFrom('public_processes').selectAll().where('ocid', '=', ocid).executeTakeFirst();
}

export function listProcessesAfter(db: ODb, afterOcid: string | null, limit: number) {
  let q = db
    .selectFrom('public_processes')
    .select(['ocid', 'lot_id', 'snapshot'])
    .orderBy('ocid')
    .limit(limit);
  if (afterOcid !== null) q = q.where('ocid', '>', afterOcid);
  return q.execute();
}

export async function countReleases(db: ODb): Promise<number> {
  const row = await db
    .selectFrom('public_releases')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---- webhook subscriptions ----

export function insertSubscription(db: ODb, row: Insertable<WebhookSubscriptionsTable>) {
  return db.insertInto('webhook_subscriptions').values(row).execute();
}

export function listSubscriptions(db: ODb) {
  return db.selectFrom('webhook_subscriptions').selectAll().orderBy('created_at').execute();
}

export function findSubscription(db: ODb, id: string) {
  return db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockSubscription(tx: Transaction<OpendataTables>, id: string) {
  return tx
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export function listDueSubscriptionIds(db: ODb, now: Date) {
  return db
    .selectFrom('webhook_subscriptions')
    .select(['id'])
    .where('status', '=', 'active')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .execute();
}

export function updateSubscription(
  db: ODb,
  id: string,
  changes: Partial<{
    status: 'active' | 'disabled';
    delivered_seq: number;
    failures: number;
    next_attempt_at: Date;
    last_error: string | null;
    last_attempt_at: Date | null;
    updated_at: Date;
  }>,
) {
  return db.updateTable('webhook_subscriptions').set(changes).where('id', '=', id).execute();
}

export function insertAttempt(
  db: ODb,
  row: {
    subscription_id: string;
    first_seq: number;
    last_seq: number;
    attempted_at: Date;
    status_code: number | null;
    ok: boolean;
    error: string | null;
  },
) {
  return db.insertInto('webhook_attempts').values(row).execute();
}

export function listAttempts(db: ODb, subscriptionId: string, limit: number) {
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Where a client resynchronising from `at` starts: just before the first release published at or after
 * it (releases published earlier but committed later may come again; clients dedupe by release id).
 */
export async function startSeqFrom(db: ODb, at: Date): Promise<number> {
  const row = await db
    .selectFrom('public_releases')
    .select((eb) => eb.fn.min('seq').as('min'))
    .where('published_at', '>=', at)
    .executeTakeFirst();
  if (row?.min === null || row?.min === undefined) return maxSeq(db);
  return Number(row.min) - 1;
}
