import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  BidLotSettingsTable,
  BidOpeningKeySharesTable,
  BidOpeningKeysTable,
  BidPartsTable,
  BidsTable,
  BidsTables,
  BidUploadPartsTable,
  BidUploadsTable,
  UploadStatus,
} from './tables.ts';

// SQL for this module's own tables, and two read-only lookups in kernel tables (certificate bindings,
// a witness event's leaf columns) that the kernel does not export a function for.
type BDb = Db<BidsTables>;

export type SettingsRow = Selectable<BidLotSettingsTable>;
export type UploadRow = Selectable<BidUploadsTable>;
export type UploadPartRow = Selectable<BidUploadPartsTable>;
export type BidRow = Selectable<BidsTable>;
export type BidPartRow = Selectable<BidPartsTable>;

// ---- settings and the intake lock ----

export function findSettings(db: BDb, lotId: string) {
  return db.selectFrom('bid_lot_settings').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export function upsertSettings(db: BDb, row: Insertable<BidLotSettingsTable>) {
  return db
    .insertInto('bid_lot_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('lot_id').doUpdateSet({
        summary_fields: row.summary_fields,
        deposit_forms: row.deposit_forms,
        allow_fallback: row.allow_fallback,
        decrypt_window_minutes: row.decrypt_window_minutes,
        max_part_bytes: row.max_part_bytes,
        saved: row.saved,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Creates the lot's intake row with the defaults if it has none (a lot whose tender saved no settings). */
export function ensureSettingsRow(db: BDb, row: Insertable<BidLotSettingsTable>) {
  return db
    .insertInto('bid_lot_settings')
    .values(row)
    .onConflict((oc) => oc.column('lot_id').doNothing())
    .execute();
}

/** The intake lock: held until the transaction ends (completion and the deadline job take turns). */
export function lockIntake(db: BDb, lotId: string) {
  return db
    .selectFrom('bid_lot_settings')
    .selectAll()
    .where('lot_id', '=', lotId)
    .forUpdate()
    .executeTakeFirst();
}

// ---- opening key ----

export function findOpeningKey(db: BDb, lotId: string) {
  return db.selectFrom('bid_opening_keys').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export async function replaceOpeningKey(
  db: BDb,
  key: Insertable<BidOpeningKeysTable> | null,
  lotId: string,
  shares: Insertable<BidOpeningKeySharesTable>[],
) {
  await db.deleteFrom('bid_opening_key_shares').where('lot_id', '=', lotId).execute();
  await db.deleteFrom('bid_opening_keys').where('lot_id', '=', lotId).execute();
  if (!key) return;
  await db.insertInto('bid_opening_keys').values(key).execute();
  if (shares.length > 0) await db.insertInto('bid_opening_key_shares').values(shares).execute();
}

export function listOpeningKeyShares(db: BDb, lotId: string) {
  return db
    .selectFrom('bid_opening_key_shares')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('share_index')
    .execute();
}

// ---- uploads ----

export function insertUpload(
  db: BDb,
  row: Insertable<BidUploadsTable>,
  parts: Insertable<BidUploadPartsTable>[],
) {
  return db
    .insertInto('bid_uploads')
    .values(row)
    .execute()
    .then(() => db.insertInto('bid_upload_parts').values(parts).execute());
}

export function findUpload(db: BDb, id: string) {
  return db.selectFrom('bid_uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockUpload(db: BDb, id: string) {
  return db.selectFrom('bid_uploads').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findUploadByNonce(db: BDb, nonce: string) {
  return db.selectFrom('bid_uploads').selectAll().where('nonce', '=', nonce).executeTakeFirst();
}

export function listUploadParts(db: BDb, uploadId: string) {
  return db
    .selectFrom('bid_upload_parts')
    .selectAll()
    .where('upload_id', '=', uploadId)
    .orderBy('no')
    .execute();
}

export function findUploadPart(db: BDb, uploadId: string, no: number) {
  return db
    .selectFrom('bid_upload_parts')
    .selectAll()
    .where('upload_id', '=', uploadId)
    .where('no', '=', no)
    .executeTakeFirst();
}

/** Moves a part's offset from `from` to `to`; false when it was not at `from` (another writer). */
export async function advanceUploadPart(db: BDb, uploadId: string, no: number, from: number, to: number) {
  const result = await db
    .updateTable('bid_upload_parts')
    .set({ received: to })
    .where('upload_id', '=', uploadId)
    .where('no', '=', no)
    .where('received', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Clears a part that failed verification so that the bidder uploads it again. */
export function resetUploadPart(db: BDb, uploadId: string, no: number, length: number) {
  return db
    .updateTable('bid_upload_parts')
    .set({ received: 0, verified_sha256: null })
    .where('upload_id', '=', uploadId)
    .where('no', '=', no)
    .where('received', '=', length)
    .execute();
}

export function markUploadPartVerified(db: BDb, uploadId: string, no: number, sha256: string) {
  return db
    .updateTable('bid_upload_parts')
    .set({ verified_sha256: sha256 })
    .where('upload_id', '=', uploadId)
    .where('no', '=', no)
    .execute();
}

export function setUploadStatus(
  db: BDb,
  id: string,
  from: UploadStatus,
  set: { status: UploadStatus; bid_id?: string | null; finished_at: Date },
) {
  return db
    .updateTable('bid_uploads')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
}

export function listOpenUploads(db: BDb, lotId: string) {
  return db
    .selectFrom('bid_uploads')
    .select(['id'])
    .where('lot_id', '=', lotId)
    .where('status', '=', 'uploading')
    .execute();
}

// ---- bids ----

export function insertBid(db: BDb, row: Insertable<BidsTable>, parts: Insertable<BidPartsTable>[]) {
  return db
    .insertInto('bids')
    .values(row)
    .execute()
    .then(() => db.insertInto('bid_parts').values(parts).execute());
}

export function findBid(db: BDb, id: string) {
  return db.selectFrom('bids').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findBidByUpload(db: BDb, uploadId: string) {
  return db.selectFrom('bids').selectAll().where('upload_id', '=', uploadId).executeTakeFirst();
}

export function findLiveBid(db: BDb, lotId: string, bidderRef: string) {
  return db
    .selectFrom('bids')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('bidder_ref', '=', bidderRef)
    .where('status', '=', 'live')
    .executeTakeFirst();
}

export function lockLiveBid(db: BDb, lotId: string, bidderRef: string) {
  return db
    .selectFrom('bids')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('bidder_ref', '=', bidderRef)
    .where('status', '=', 'live')
    .forUpdate()
    .executeTakeFirst();
}

export function supersedeBid(db: BDb, id: string, by: string) {
  return db
    .updateTable('bids')
    .set({ status: 'superseded', superseded_by: by })
    .where('id', '=', id)
    .where('status', '=', 'live')
    .executeTakeFirst();
}

export function withdrawBid(db: BDb, id: string, at: Date, eventId: number) {
  return db
    .updateTable('bids')
    .set({ status: 'withdrawn', withdrawn_at: at, withdrawal_event_id: eventId })
    .where('id', '=', id)
    .where('status', '=', 'live')
    .returningAll()
    .executeTakeFirst();
}

export function listLiveBids(db: BDb, lotId: string) {
  return db
    .selectFrom('bids')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('status', '=', 'live')
    .orderBy('received_at')
    .orderBy('id')
    .execute();
}

export function listBidParts(db: BDb, bidIds: string[]) {
  if (bidIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('bid_parts').selectAll().where('bid_id', 'in', bidIds).orderBy('no').execute();
}

export function isSealedBlobReferenced(db: BDb, sha256: string) {
  return db
    .selectFrom('bid_parts')
    .select('bid_id')
    .where('sealed_sha256', '=', sha256)
    .limit(1)
    .executeTakeFirst()
    .then((row) => row !== undefined);
}

// ---- evidence for the supervision system (风险监测预警), read after the opening ----

/** The uploads the given bids came from: who started each upload (sealed) and when. */
export function listUploadsByIds(db: BDb, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('bid_uploads').selectAll().where('id', 'in', ids).execute();
}
