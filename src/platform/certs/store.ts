import type { Db } from '../db/index.ts';
import type { CertsTables } from './tables.ts';

/** SQL for this part's own tables only; accounts and organisations are read through identity's index. */
type CertDb = Db<CertsTables>;

// ------------------------------------------------------------------------------------- trust store

export function findTrustedCa(db: CertDb, fingerprint: string) {
  return db
    .selectFrom('cert_trusted_cas')
    .selectAll()
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
}

export function trustedCasNamed(db: CertDb, subjectKey: string) {
  return db
    .selectFrom('cert_trusted_cas')
    .select(['fingerprint', 'certificate_der', 'status'])
    .where('subject_key', '=', subjectKey)
    .execute();
}

export function insertTrustedCa(db: CertDb, row: CertsTables['cert_trusted_cas']) {
  return db.insertInto('cert_trusted_cas').values(row).execute();
}

export function setTrustedCaStatus(
  db: CertDb,
  fingerprint: string,
  change: { status: 'active' | 'disabled'; by: string | null; at: Date },
) {
  return db
    .updateTable('cert_trusted_cas')
    .set(
      change.status === 'disabled'
        ? { status: 'disabled', disabled_by: change.by, disabled_at: change.at }
        : { status: 'active', disabled_by: null, disabled_at: null },
    )
    .where('fingerprint', '=', fingerprint)
    .returningAll()
    .executeTakeFirst();
}

export function listTrustedCas(db: CertDb, opts: { status?: 'active' | 'disabled' } = {}) {
  let query = db
    .selectFrom('cert_trusted_cas')
    .select([
      'fingerprint',
      'fingerprint_sm3',
      'subject',
      'issuer',
      'serial_number',
      'key_type',
      'is_root',
      'not_before',
      'not_after',
      'status',
      'added_by',
      'added_at',
      'disabled_by',
      'disabled_at',
      'certificate_der',
    ])
    .orderBy('is_root', 'desc')
    .orderBy('added_at');
  if (opts.status) query = query.where('status', '=', opts.status);
  return query.execute();
}

// --------------------------------------------------------------------------------------------- CRLs

export function latestCrlOf(db: CertDb, issuerKey: string) {
  return db
    .selectFrom('cert_crls')
    .select(['id', 'fingerprint', 'this_update', 'next_update', 'crl_number'])
    .where('issuer_key', '=', issuerKey)
    .orderBy('this_update', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findCrlByFingerprint(db: CertDb, fingerprint: string) {
  return db.selectFrom('cert_crls').selectAll().where('fingerprint', '=', fingerprint).executeTakeFirst();
}

export function insertCrl(db: CertDb, row: Omit<CertsTables['cert_crls'], 'id'>) {
  return db.insertInto('cert_crls').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function insertCrlEntries(db: CertDb, rows: CertsTables['cert_crl_entries'][]): Promise<void> {
  // A national CA's CRL holds tens of thousands of entries; one INSERT per thousand keeps each
  // statement within PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('cert_crl_entries')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}

/** The newest CRL of an issuer and, if it lists the serial, its entry. */
export function revocationFromLatestCrl(db: CertDb, issuerKey: string, serialNumber: string) {
  return db
    .selectFrom('cert_crls as c')
    .leftJoin('cert_crl_entries as e', (join) =>
      join.onRef('e.crl_id', '=', 'c.id').on('e.serial_number', '=', serialNumber),
    )
    .select(['c.id', 'c.this_update', 'c.next_update', 'e.revoked_at', 'e.reason'])
    .where('c.issuer_key', '=', issuerKey)
    .orderBy('c.this_update', 'desc')
    .orderBy('c.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listCrls(db: CertDb) {
  return db
    .selectFrom('cert_crls')
    .select([
      'id',
      'issuer',
      'issuer_fingerprint',
      'crl_number',
      'this_update',
      'next_update',
      'fingerprint',
      'revoked_count',
      'loaded_by',
      'loaded_at',
    ])
    .orderBy('loaded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

// ----------------------------------------------------------------------------------------- bindings

export function insertBinding(db: CertDb, row: CertsTables['cert_bindings']) {
  return db.insertInto('cert_bindings').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findBinding(db: CertDb, id: string) {
  return db.selectFrom('cert_bindings').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findLiveBindingBySignCert(db: CertDb, signFingerprint: string) {
  return db
    .selectFrom('cert_bindings')
    .selectAll()
    .where('sign_fingerprint', '=', signFingerprint)
    .where('status', '<>', 'revoked')
    .executeTakeFirst();
}

export function listBindings(
  db: CertDb,
  filter: { accountId?: string; status?: 'pending' | 'bound' | 'revoked' },
) {
  let query = db
    .selectFrom('cert_bindings')
    .select([
      'id',
      'account_id',
      'organization_id',
      'sign_fingerprint',
      'enc_fingerprint',
      'subject',
      'credit_code',
      'method',
      'status',
      'requested_at',
      'bound_at',
      'bound_by',
      'revoked_at',
      'last_used_at',
    ])
    .orderBy('requested_at', 'desc')
    .limit(500);
  if (filter.accountId) query = query.where('account_id', '=', filter.accountId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.execute();
}

export function updateBinding(
  db: CertDb,
  id: string,
  fromStatus: 'pending' | 'bound' | 'revoked' | readonly ('pending' | 'bound' | 'revoked')[],
  set: Partial<Omit<CertsTables['cert_bindings'], 'id'>>,
) {
  const from = Array.isArray(fromStatus) ? fromStatus : [fromStatus];
  return db
    .updateTable('cert_bindings')
    .set(set)
    .where('id', '=', id)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

// --------------------------------------------------------------------------------------- challenges

export function insertChallenge(db: CertDb, row: CertsTables['cert_challenges']) {
  return db.insertInto('cert_challenges').values(row).execute();
}

/** Marks the challenge used if it was not; only one caller can ever win (single use). */
export function consumeChallenge(db: CertDb, idHash: string, purpose: 'login' | 'second-factor', at: Date) {
  return db
    .updateTable('cert_challenges')
    .set({ used_at: at })
    .where('id_hash', '=', idHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function findChallenge(db: CertDb, idHash: string) {
  return db.selectFrom('cert_challenges').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}

/** Old challenges serve nobody; a day's worth is kept for anyone looking into a login problem. */
export async function deleteChallengesBefore(db: CertDb, before: Date): Promise<void> {
  await db.deleteFrom('cert_challenges').where('expires_at', '<', before).execute();
}

// ---------------------------------------------------------------------------------- session factors

export function upsertSessionFactor(db: CertDb, row: CertsTables['cert_session_factors']) {
  return db
    .insertInto('cert_session_factors')
    .values(row)
    .onConflict((oc) =>
      oc.column('session_id').doUpdateSet({
        binding_id: row.binding_id,
        sign_fingerprint: row.sign_fingerprint,
        verified_at: row.verified_at,
      }),
    )
    .execute();
}

export function findSessionFactor(db: CertDb, sessionId: string) {
  return db
    .selectFrom('cert_session_factors')
    .selectAll()
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
}

// ------------------------------------------------------------------------------------ CA key (demo)

export function activeAuthorityKey(db: CertDb, purpose: string) {
  return db
    .selectFrom('cert_authority_keys')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
}

export function insertAuthorityKeyIfNone(db: CertDb, row: CertsTables['cert_authority_keys']) {
  return db
    .insertInto('cert_authority_keys')
    .values(row)
    .onConflict((oc) => oc.column('purpose').where('retired_at', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst();
}
