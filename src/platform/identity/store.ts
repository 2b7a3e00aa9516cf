import type { Db } from '../db/index.ts';
import type { Role } from './roles.ts';
import type { IdentityTables } from './tables.ts';

type IdDb = Db<IdentityTables>;

export function findAccountByUsername(db: IdDb, username: string) {
  return db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findAccountById(db: IdDb, id: string) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertAccount(
  db: IdDb,
  row: {
    id: string;
    username: string;
    display_name: string;
    password_hash: string | null;
    roles: Role[];
    organization_id: string | null;
  },
) {
  return db
    .insertInto('accounts')
    .values({ ...row, status: 'active' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function setPasswordHash(db: IdDb, accountId: string, passwordHash: string) {
  return db
    .updateTable('accounts')
    .set({ password_hash: passwordHash })
    .where('id', '=', accountId)
    .execute();
}

/** Disables the account only if it is active: undefined when it is missing or already disabled. */
export function disableActiveAccount(db: IdDb, accountId: string) {
  return db
    .updateTable('accounts')
    .set({ status: 'disabled' })
    .where('id', '=', accountId)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

export function setAccountRoles(db: IdDb, accountId: string, roles: Role[]) {
  return db
    .updateTable('accounts')
    .set({ roles })
    .where('id', '=', accountId)
    .returningAll()
    .executeTakeFirst();
}

export function listAccountsOfOrganization(db: IdDb, organizationId: string) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('username')
    .execute();
}

export function listAccounts(db: IdDb, opts: { limit: number; offset: number }) {
  return db
    .selectFrom('accounts')
    .leftJoin('organizations', 'organizations.id', 'accounts.organization_id')
    .select([
      'accounts.id',
      'accounts.username',
      'accounts.display_name',
      'accounts.roles',
      'accounts.status',
      'accounts.organization_id',
      'accounts.created_at',
      'organizations.name as organization_name',
    ])
    .orderBy('accounts.created_at')
    .orderBy('accounts.username')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}

export async function countAccounts(db: IdDb): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function insertOrganization(db: IdDb, row: { id: string; name: string; credit_code: string | null }) {
  return db.insertInto('organizations').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findOrganizationById(db: IdDb, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrganizationByCreditCode(db: IdDb, creditCode: string) {
  return db.selectFrom('organizations').selectAll().where('credit_code', '=', creditCode).executeTakeFirst();
}

/** Locks the row for the rest of the transaction: concurrent edits of one organisation run one after another. */
export function lockOrganization(db: IdDb, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateOrganization(db: IdDb, id: string, row: { name: string; credit_code: string | null }) {
  return db
    .updateTable('organizations')
    .set(row)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findOrganizationByName(db: IdDb, name: string) {
  return db.selectFrom('organizations').selectAll().where('name', '=', name).executeTakeFirst();
}

export function insertSession(db: IdDb, row: IdentityTables['sessions']) {
  return db.insertInto('sessions').values(row).execute();
}

export function findSessionWithAccount(db: IdDb, tokenHash: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .leftJoin('organizations', 'organizations.id', 'accounts.organization_id')
    .select([
      'sessions.id as session_id',
      'sessions.expires_at',
      'sessions.revoked_at',
      'accounts.id as account_id',
      'accounts.username',
      'accounts.display_name',
      'accounts.roles',
      'accounts.status',
      'accounts.organization_id',
      'organizations.name as organization_name',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function revokeSession(db: IdDb, sessionId: string, at: Date) {
  return db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function revokeSessionsOfAccount(db: IdDb, accountId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export function insertGrant(db: IdDb, row: Omit<IdentityTables['grants'], 'id' | 'revoked_at'>) {
  return db
    .insertInto('grants')
    .values({ ...row, revoked_at: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function revokeGrant(db: IdDb, grantId: number, at: Date) {
  return db
    .updateTable('grants')
    .set({ revoked_at: at })
    .where('id', '=', grantId)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function findActiveGrant(
  db: IdDb,
  q: {
    subjects: { type: 'account' | 'organization'; id: string }[];
    relation: string;
    objectType: string;
    objectId: string;
  },
) {
  if (q.subjects.length === 0) return undefined;
  return db
    .selectFrom('grants')
    .selectAll()
    .where('relation', '=', q.relation)
    .where('object_type', '=', q.objectType)
    .where('object_id', '=', q.objectId)
    .where('revoked_at', 'is', null)
    .where((eb) =>
      eb.or(q.subjects.map((s) => eb.and([eb('subject_type', '=', s.type), eb('subject_id', '=', s.id)]))),
    )
    .executeTakeFirst();
}

/** Accounts (not organisations) holding an active grant of this relation on the object. */
export async function accountSubjectsOfGrant(
  db: IdDb,
  q: { relation: string; objectType: string; objectId: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom('grants')
    .select('subject_id')
    .where('subject_type', '=', 'account')
    .where('relation', '=', q.relation)
    .where('object_type', '=', q.objectType)
    .where('object_id', '=', q.objectId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();
  return [...new Set(rows.map((r) => r.subject_id))];
}

export function listOrganizations(db: IdDb, opts: { limit: number; offset: number }) {
  return db
    .selectFrom('organizations')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('name')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
}
