import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  DepositAccountsTable,
  DepositGuaranteesTable,
  DepositInstitutionsTable,
  DepositRefundsTable,
  DepositSignalsTable,
  DepositsTables,
  DepositTermsTable,
  DepositTransfersTable,
  InstitutionStatus,
} from './tables.ts';

type D = Db<DepositsTables>;
export type InstitutionRow = Selectable<DepositInstitutionsTable>;
export type AccountRow = Selectable<DepositAccountsTable>;
export type TransferRow = Selectable<DepositTransfersTable>;
export type GuaranteeRow = Selectable<DepositGuaranteesTable>;
export type RefundRow = Selectable<DepositRefundsTable>;
export type SignalRow = Selectable<DepositSignalsTable>;
export type TermsRow = Selectable<DepositTermsTable>;

// ---- terms of lots that are not tendered ----

export function findTerms(db: D, lotId: string) {
  return db.selectFrom('deposit_terms').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export function lockTerms(db: D, lotId: string) {
  return db
    .selectFrom('deposit_terms')
    .selectAll()
    .where('lot_id', '=', lotId)
    .forUpdate()
    .executeTakeFirst();
}

export function upsertTerms(db: D, row: Insertable<DepositTermsTable>) {
  return db
    .insertInto('deposit_terms')
    .values(row)
    .onConflict((oc) =>
      oc.column('lot_id').doUpdateSet({
        deposit_yuan: row.deposit_yuan,
        deadline: row.deadline,
        reveal_at: row.reveal_at,
        validity_until: row.validity_until,
        set_at: row.set_at,
        set_by: row.set_by,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- institutions ----

export function insertInstitution(db: D, row: Insertable<DepositInstitutionsTable>) {
  return db.insertInto('deposit_institutions').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findInstitution(db: D, id: string) {
  return db.selectFrom('deposit_institutions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findInstitutionByCreditCode(db: D, creditCode: string) {
  return db
    .selectFrom('deposit_institutions')
    .selectAll()
    .where('credit_code', '=', creditCode)
    .executeTakeFirst();
}

export function listInstitutions(db: D) {
  return db.selectFrom('deposit_institutions').selectAll().orderBy('created_at').orderBy('id').execute();
}

export function setInstitutionStatus(db: D, id: string, status: InstitutionStatus, at: Date) {
  return db
    .updateTable('deposit_institutions')
    .set({ status, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Records a nonce; false when it was already used within its window (replay). */
export async function claimNonce(db: D, institutionId: string, nonce: string, expiresAt: Date, now: Date) {
  await db.deleteFrom('deposit_request_nonces').where('expires_at', '<', now).execute();
  const inserted = await db
    .insertInto('deposit_request_nonces')
    .values({ institution_id: institutionId, nonce, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['institution_id', 'nonce']).doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return inserted !== undefined;
}

// ---- accounts ----

export function findAccount(db: D, lotId: string, bidderRef: string) {
  return db
    .selectFrom('deposit_accounts')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('bidder_ref', '=', bidderRef)
    .executeTakeFirst();
}

export function findAccountByNumber(db: D, virtualAccount: string) {
  return db
    .selectFrom('deposit_accounts')
    .selectAll()
    .where('virtual_account', '=', virtualAccount)
    .executeTakeFirst();
}

export function insertAccount(db: D, row: Insertable<DepositAccountsTable>) {
  return db
    .insertInto('deposit_accounts')
    .values(row)
    .onConflict((oc) => oc.columns(['lot_id', 'bidder_ref']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function listAccountsOfLot(db: D, lotId: string) {
  return db.selectFrom('deposit_accounts').selectAll().where('lot_id', '=', lotId).execute();
}

// ---- transfers ----

export function findTransferByBankId(db: D, institutionId: string, bankTransferId: string) {
  return db
    .selectFrom('deposit_transfers')
    .selectAll()
    .where('institution_id', '=', institutionId)
    .where('bank_transfer_id', '=', bankTransferId)
    .executeTakeFirst();
}

export function insertTransfer(db: D, row: Insertable<DepositTransfersTable>) {
  return db
    .insertInto('deposit_transfers')
    .values(row)
    .onConflict((oc) => oc.columns(['institution_id', 'bank_transfer_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function listTransfers(db: D, lotId: string, bidderRef?: string) {
  let q = db.selectFrom('deposit_transfers').selectAll().where('lot_id', '=', lotId);
  if (bidderRef) q = q.where('bidder_ref', '=', bidderRef);
  return q.orderBy('received_at').orderBy('id').execute();
}

/** Other bidders of the lot whose accepted or rejected transfers came from the same payer account. */
export function bidderRefsOfPayer(db: D, lotId: string, payerRef: string) {
  return db
    .selectFrom('deposit_transfers')
    .select('bidder_ref')
    .distinct()
    .where('lot_id', '=', lotId)
    .where('payer_ref', '=', payerRef)
    .execute();
}

// ---- guarantees ----

export function insertGuarantee(db: D, row: Insertable<DepositGuaranteesTable>) {
  return db
    .insertInto('deposit_guarantees')
    .values(row)
    .onConflict((oc) => oc.columns(['institution_id', 'guarantee_no']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findGuarantee(db: D, institutionId: string, guaranteeNo: string) {
  return db
    .selectFrom('deposit_guarantees')
    .selectAll()
    .where('institution_id', '=', institutionId)
    .where('guarantee_no', '=', guaranteeNo)
    .executeTakeFirst();
}

export function findGuaranteeBySm3(db: D, documentSm3: string) {
  return db
    .selectFrom('deposit_guarantees')
    .selectAll()
    .where('document_sm3', '=', documentSm3)
    .executeTakeFirst();
}

export function listGuarantees(db: D, lotId: string, bidderRef?: string) {
  let q = db.selectFrom('deposit_guarantees').selectAll().where('lot_id', '=', lotId);
  if (bidderRef) q = q.where('bidder_ref', '=', bidderRef);
  return q.orderBy('issued_at').orderBy('id').execute();
}

export function revokeGuarantee(db: D, id: string, at: Date, reason: string) {
  return db
    .updateTable('deposit_guarantees')
    .set({ status: 'revoked', revoked_at: at, revoke_reason: reason })
    .where('id', '=', id)
    .where('status', '=', 'valid')
    .returningAll()
    .executeTakeFirst();
}

export function releaseGuarantee(db: D, id: string, at: Date) {
  return db
    .updateTable('deposit_guarantees')
    .set({ status: 'released', released_at: at })
    .where('id', '=', id)
    .where('status', '=', 'valid')
    .returningAll()
    .executeTakeFirst();
}

// ---- refunds ----

export function insertRefund(db: D, row: Insertable<DepositRefundsTable>) {
  return db.insertInto('deposit_refunds').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findRefund(db: D, id: string) {
  return db.selectFrom('deposit_refunds').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockRefund(db: D, id: string) {
  return db.selectFrom('deposit_refunds').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The live (not cancelled) instruction of a transfer or guarantee, if any. */
export function liveRefundOf(db: D, source: 'transfer' | 'guarantee', sourceId: string) {
  return db
    .selectFrom('deposit_refunds')
    .selectAll()
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
}

export function listRefunds(db: D, lotId: string, bidderRef?: string) {
  let q = db.selectFrom('deposit_refunds').selectAll().where('lot_id', '=', lotId);
  if (bidderRef) q = q.where('bidder_ref', '=', bidderRef);
  return q.orderBy('created_at').orderBy('id').execute();
}

export function listPendingRefundsOf(db: D, institutionId: string) {
  return db
    .selectFrom('deposit_refunds')
    .selectAll()
    .where('institution_id', '=', institutionId)
    .where('status', '=', 'pending')
    .orderBy('due_at')
    .orderBy('id')
    .execute();
}

export function updateRefund(
  db: D,
  id: string,
  changes: Partial<Omit<Insertable<DepositRefundsTable>, 'id' | 'created_at'>>,
) {
  return db
    .updateTable('deposit_refunds')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Pending refunds past due that have not been flagged yet. */
export function listOverdueUnflagged(db: D, now: Date) {
  return db
    .selectFrom('deposit_refunds')
    .selectAll()
    .where('status', '=', 'pending')
    .where('due_at', '<', now)
    .where('late_flagged_at', 'is', null)
    .orderBy('due_at')
    .limit(500)
    .execute();
}

/** Refunds past due (pending, or executed late), across lots: the operator's and supervisors' monitor. */
export function listLateRefunds(db: D) {
  return db
    .selectFrom('deposit_refunds')
    .selectAll()
    .where('late_flagged_at', 'is not', null)
    .orderBy('due_at')
    .limit(500)
    .execute();
}

// ---- signals ----

export function upsertSignal(db: D, row: Insertable<DepositSignalsTable>) {
  return db
    .insertInto('deposit_signals')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['lot_id', 'kind', 'payer_ref']).doUpdateSet({ bidder_refs: sql`excluded.bidder_refs` }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listSignals(db: D, lotId: string) {
  return db
    .selectFrom('deposit_signals')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('created_at')
    .execute();
}
