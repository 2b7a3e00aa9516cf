import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  OpeningDecryptionsTable,
  OpeningHallsTable,
  OpeningPartsTable,
  OpeningRecordEntriesTable,
  OpeningTables,
} from './tables.ts';

type D = Db<OpeningTables>;

export type HallRow = Selectable<OpeningHallsTable>;
export type DecryptionRow = Selectable<OpeningDecryptionsTable>;
export type PartRow = Selectable<OpeningPartsTable>;
export type EntryRow = Selectable<OpeningRecordEntriesTable>;

export function findHall(db: D, lotId: string) {
  return db.selectFrom('opening_halls').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export function lockHall(db: D, lotId: string) {
  return db
    .selectFrom('opening_halls')
    .selectAll()
    .where('lot_id', '=', lotId)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertHallIfAbsent(db: D, row: Insertable<OpeningHallsTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('opening_halls')
    .values(row)
    .onConflict((oc) => oc.column('lot_id').doNothing())
    .returning('lot_id')
    .executeTakeFirst();
  return Boolean(inserted);
}

/** Updates the hall and bumps its version (the live view's sequence). */
export function updateHall(db: D, lotId: string, set: Updateable<OpeningHallsTable>, at: Date) {
  return db
    .updateTable('opening_halls')
    .set({ ...set, updated_at: at, version: sql<number>`version + 1` })
    .where('lot_id', '=', lotId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertStep(
  db: D,
  row: {
    lot_id: string;
    step: string;
    from_state: string | null;
    to_state: string;
    account_id: string | null;
    reason: string | null;
    at: Date;
  },
) {
  return db.insertInto('opening_steps').values(row).execute();
}

export function listSteps(db: D, lotId: string) {
  return db.selectFrom('opening_steps').selectAll().where('lot_id', '=', lotId).orderBy('id').execute();
}

export function findAttendance(db: D, lotId: string, organizationId: string) {
  return db
    .selectFrom('opening_attendance')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export function listAttendance(db: D, lotId: string) {
  return db.selectFrom('opening_attendance').selectAll().where('lot_id', '=', lotId).execute();
}

export async function insertAttendanceIfAbsent(
  db: D,
  row: { id: string; lot_id: string; organization_id: string; account_id: string; signed_in_at: Date },
): Promise<boolean> {
  const inserted = await db
    .insertInto('opening_attendance')
    .values(row)
    .onConflict((oc) => oc.columns(['lot_id', 'organization_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return Boolean(inserted);
}

export function insertDecryptions(db: D, rows: Insertable<OpeningDecryptionsTable>[]) {
  return rows.length ? db.insertInto('opening_decryptions').values(rows).execute() : Promise.resolve([]);
}

export function insertParts(db: D, rows: Insertable<OpeningPartsTable>[]) {
  return rows.length ? db.insertInto('opening_parts').values(rows).execute() : Promise.resolve([]);
}

export function listDecryptions(db: D, lotId: string) {
  return db
    .selectFrom('opening_decryptions')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('seq')
    .execute();
}

export function findDecryption(db: D, bidId: string) {
  return db.selectFrom('opening_decryptions').selectAll().where('bid_id', '=', bidId).executeTakeFirst();
}

export function lockDecryption(db: D, bidId: string) {
  return db
    .selectFrom('opening_decryptions')
    .selectAll()
    .where('bid_id', '=', bidId)
    .forUpdate()
    .executeTakeFirst();
}

export function findDecryptionOfOrganization(db: D, lotId: string, organizationId: string) {
  return db
    .selectFrom('opening_decryptions')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export function updateDecryption(db: D, bidId: string, set: Updateable<OpeningDecryptionsTable>) {
  return db.updateTable('opening_decryptions').set(set).where('bid_id', '=', bidId).execute();
}

export function listParts(db: D, bidId: string) {
  return db.selectFrom('opening_parts').selectAll().where('bid_id', '=', bidId).orderBy('no').execute();
}

export function listPartsOfLot(db: D, lotId: string) {
  return db
    .selectFrom('opening_parts')
    .select([
      'bid_id',
      'no',
      'kind',
      'name',
      'status',
      'sealed_length',
      'plaintext_sm3',
      'plaintext_size',
      'error',
    ])
    .where('lot_id', '=', lotId)
    .orderBy('bid_id')
    .orderBy('no')
    .execute();
}

export function findPart(db: D, bidId: string, no: number) {
  return db
    .selectFrom('opening_parts')
    .selectAll()
    .where('bid_id', '=', bidId)
    .where('no', '=', no)
    .executeTakeFirst();
}

export function lockPart(db: D, bidId: string, no: number) {
  return db
    .selectFrom('opening_parts')
    .selectAll()
    .where('bid_id', '=', bidId)
    .where('no', '=', no)
    .forUpdate()
    .executeTakeFirst();
}

export function updatePart(db: D, bidId: string, no: number, set: Updateable<OpeningPartsTable>) {
  return db.updateTable('opening_parts').set(set).where('bid_id', '=', bidId).where('no', '=', no).execute();
}

export async function countPartsVerifying(db: D, lotId: string): Promise<number> {
  const row = await db
    .selectFrom('opening_parts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('lot_id', '=', lotId)
    .where('status', '=', 'verifying')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function insertEntry(db: D, row: Insertable<OpeningRecordEntriesTable>) {
  return db
    .insertInto('opening_record_entries')
    .values(row)
    .onConflict((oc) => oc.column('bid_id').doNothing())
    .execute();
}

export function listEntries(db: D, lotId: string) {
  return db
    .selectFrom('opening_record_entries')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('seq')
    .execute();
}

export function voidEntry(db: D, bidId: string, reason: string) {
  return db
    .updateTable('opening_record_entries')
    .set({ void_reason: reason })
    .where('bid_id', '=', bidId)
    .execute();
}

export function listObjections(db: D, lotId: string) {
  return db.selectFrom('opening_objections').selectAll().where('lot_id', '=', lotId).orderBy('seq').execute();
}

export async function nextObjectionSeq(db: D, lotId: string): Promise<number> {
  const row = await db
    .selectFrom('opening_objections')
    .select((eb) => eb.fn.max<number>('seq').as('max'))
    .where('lot_id', '=', lotId)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

export function listConfirmations(db: D, lotId: string) {
  return db
    .selectFrom('opening_confirmations')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('confirmed_at')
    .execute();
}

export async function insertConfirmationIfAbsent(
  db: D,
  row: {
    id: string;
    lot_id: string;
    party: 'host' | 'bidder';
    organization_id: string;
    account_id: string | null;
    method: 'sm2-signature' | 'session' | 'silence';
    record_sm3: string;
    signature: string | null;
    certificate_fingerprint: string | null;
    confirmed_at: Date;
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('opening_confirmations')
    .values(row)
    .onConflict((oc) => oc.columns(['lot_id', 'party', 'organization_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return Boolean(inserted);
}

export function listFallbackShares(db: D, lotId: string) {
  return db
    .selectFrom('opening_fallback_shares')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('share_index')
    .execute();
}

export function upsertFallbackShare(
  db: D,
  row: {
    lot_id: string;
    share_index: number;
    custodian_account_id: string;
    share_sealed: string;
    posted_at: Date;
  },
) {
  return db
    .insertInto('opening_fallback_shares')
    .values(row)
    .onConflict((oc) =>
      oc
        .columns(['lot_id', 'share_index'])
        .doUpdateSet({ share_sealed: row.share_sealed, posted_at: row.posted_at }),
    )
    .execute();
}

export function deleteFallbackShares(db: D, lotId: string) {
  return db.deleteFrom('opening_fallback_shares').where('lot_id', '=', lotId).execute();
}

export function listHalls(db: D, limit: number) {
  return db.selectFrom('opening_halls').selectAll().orderBy('opening_at', 'desc').limit(limit).execute();
}

/** The host's signature over the published record: its session confirmation becomes a signed one. */
export async function signHostConfirmation(
  db: D,
  lotId: string,
  input: { recordSm3: string; signature: string; fingerprint: string; accountId: string; at: Date },
): Promise<boolean> {
  const updated = await db
    .updateTable('opening_confirmations')
    .set({
      method: 'sm2-signature',
      signature: input.signature,
      certificate_fingerprint: input.fingerprint,
      account_id: input.accountId,
      confirmed_at: input.at,
    })
    .where('lot_id', '=', lotId)
    .where('party', '=', 'host')
    .where('record_sm3', '=', input.recordSm3)
    .where('method', '<>', 'sm2-signature')
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
}

// ---- 开标异议 ----

export function insertObjection(db: D, row: Insertable<OpeningTables['opening_objections']>) {
  return db.insertInto('opening_objections').values(row).execute();
}

/** Records the host's answer to an unanswered objection; undefined when there is none to answer. */
export function answerObjection(
  db: D,
  lotId: string,
  objectionId: string,
  input: { answer: string; answeredAt: Date; answeredBy: string },
) {
  return db
    .updateTable('opening_objections')
    .set({ answer: input.answer, answered_at: input.answeredAt, answered_by: input.answeredBy })
    .where('id', '=', objectionId)
    .where('lot_id', '=', lotId)
    .where('answer', 'is', null)
    .returning('seq')
    .executeTakeFirst();
}

export function findObjection(db: D, lotId: string, objectionId: string) {
  return db
    .selectFrom('opening_objections')
    .select('id')
    .where('id', '=', objectionId)
    .where('lot_id', '=', lotId)
    .executeTakeFirst();
}
