import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { IdentityTables, Role } from '../../platform/identity/index.ts';
import type {
  EntitiesTables,
  EntityQualificationsTable,
  EntityStatus,
  IdType,
  MarketEntitiesTable,
} from './tables.ts';

type EntitiesDb = Db<EntitiesTables>;
type WithIdentity = Db<EntitiesTables & IdentityTables>;

export type EntityRow = Selectable<MarketEntitiesTable>;
export type QualificationRow = Selectable<EntityQualificationsTable>;

// ---- market_entities ----

export function insertEntity(db: EntitiesDb, row: Insertable<MarketEntitiesTable>) {
  return db.insertInto('market_entities').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateEntity(db: EntitiesDb, id: string, changes: Updateable<MarketEntitiesTable>) {
  return db
    .updateTable('market_entities')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Moves the status only from the expected one, so two operators cannot both act on the same entity. */
export function transitionEntity(
  db: EntitiesDb,
  id: string,
  from: EntityStatus,
  changes: Updateable<MarketEntitiesTable> & { status: EntityStatus },
) {
  return db
    .updateTable('market_entities')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
}

export function findEntityById(db: EntitiesDb, id: string) {
  return db.selectFrom('market_entities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the row for the rest of the transaction: concurrent edits of one entity run one after another. */
export function lockEntity(db: EntitiesDb, id: string) {
  return db.selectFrom('market_entities').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findEntityByOrganization(db: EntitiesDb, organizationId: string) {
  return db
    .selectFrom('market_entities')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export function findEntityByCreditCode(db: EntitiesDb, creditCode: string) {
  return db
    .selectFrom('market_entities')
    .select(['id'])
    .where('credit_code', '=', creditCode)
    .executeTakeFirst();
}

export function findPersonEntity(db: EntitiesDb, idType: IdType, idNumber: string) {
  return db
    .selectFrom('market_entities')
    .select(['id'])
    .where('kind', '=', 'natural_person')
    .where('person_id_type', '=', idType)
    .where('person_id_number', '=', idNumber)
    .executeTakeFirst();
}

export function listEntities(
  db: EntitiesDb,
  opts: { status?: EntityStatus | undefined; limit: number; offset: number },
) {
  let query = db.selectFrom('market_entities').selectAll();
  if (opts.status) query = query.where('status', '=', opts.status);
  // The queue is served oldest first: whoever submitted first is received first.
  return query.orderBy('updated_at').orderBy('id').limit(opts.limit).offset(opts.offset).execute();
}

export async function countEntities(db: EntitiesDb, opts: { status?: EntityStatus | undefined }) {
  let query = db.selectFrom('market_entities').select((eb) => eb.fn.countAll<number>().as('n'));
  if (opts.status) query = query.where('status', '=', opts.status);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Escapes LIKE wildcards so a name fragment is matched literally. */
function likePattern(fragment: string): string {
  return `%${fragment.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** 公开查询: active organisations (never natural persons) by exact credit code or name fragment. */
export function searchPublicEntities(
  db: EntitiesDb,
  q: { creditCode?: string; nameFragment?: string; limit: number },
) {
  let query = db
    .selectFrom('market_entities')
    .selectAll()
    .where('status', '=', 'active')
    .where('kind', '!=', 'natural_person');
  if (q.creditCode) query = query.where('credit_code', '=', q.creditCode);
  else if (q.nameFragment) query = query.where('name', 'ilike', likePattern(q.nameFragment));
  return query.orderBy('name').orderBy('id').limit(q.limit).execute();
}

// ---- entity_qualifications ----

export function insertQualifications(db: EntitiesDb, rows: Insertable<EntityQualificationsTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('entity_qualifications').values(rows).returningAll().execute();
}

export function deleteQualification(db: EntitiesDb, entityId: string, qualificationId: string) {
  return db
    .deleteFrom('entity_qualifications')
    .where('entity_id', '=', entityId)
    .where('id', '=', qualificationId)
    .returningAll()
    .executeTakeFirst();
}

export function listQualifications(db: EntitiesDb, entityIds: string[]) {
  if (entityIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('entity_qualifications')
    .selectAll()
    .where('entity_id', 'in', entityIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Certificates whose last valid day is before `today`, optionally only those not yet flagged. */
export function findExpiredQualifications(
  db: EntitiesDb,
  q: { today: string; unflaggedOnly?: boolean; entityId?: string; limit?: number },
) {
  let query = db
    .selectFrom('entity_qualifications')
    .innerJoin('market_entities', 'market_entities.id', 'entity_qualifications.entity_id')
    .selectAll('entity_qualifications')
    .select(['market_entities.name as entity_name', 'market_entities.organization_id'])
    .where('entity_qualifications.valid_until', 'is not', null)
    .where('entity_qualifications.valid_until', '<', q.today);
  if (q.unflaggedOnly) query = query.where('entity_qualifications.expired_flagged_at', 'is', null);
  if (q.entityId) query = query.where('entity_qualifications.entity_id', '=', q.entityId);
  return query
    .orderBy('entity_qualifications.valid_until')
    .orderBy('entity_qualifications.id')
    .limit(q.limit ?? 1000)
    .execute();
}

export function flagQualificationExpired(db: EntitiesDb, qualificationId: string, at: Date) {
  return db
    .updateTable('entity_qualifications')
    .set({ expired_flagged_at: at })
    .where('id', '=', qualificationId)
    .where('expired_flagged_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

// ---- entity_versions ----

export function insertVersion(
  db: EntitiesDb,
  row: {
    entity_id: string;
    version: number;
    action: string;
    snapshot: string;
    snapshot_sm3: string;
    changed_by: string | null;
    changed_at: Date;
  },
) {
  return db.insertInto('entity_versions').values(row).returning(['id', 'version']).executeTakeFirstOrThrow();
}

export function findVersion(db: EntitiesDb, entityId: string, version: number) {
  return db
    .selectFrom('entity_versions')
    .select(['version', 'snapshot_sm3'])
    .where('entity_id', '=', entityId)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function listVersions(db: EntitiesDb, entityId: string) {
  return db
    .selectFrom('entity_versions')
    .selectAll()
    .where('entity_id', '=', entityId)
    .orderBy('version')
    .execute();
}

// ---- kernel tables this module writes ----
// The identity module's use cases open their own transactions and admit only operators, so a registration
// (organisation + first account + entity, all or nothing) and an organisation administrator's actions
// write these rows here, each with the same witness events identity itself records.

export function insertOrganization(
  db: WithIdentity,
  row: { id: string; name: string; credit_code: string | null },
) {
  return db.insertInto('organizations').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateOrganization(
  db: WithIdentity,
  id: string,
  row: { name: string; credit_code: string | null },
) {
  return db.updateTable('organizations').set(row).where('id', '=', id).execute();
}

export function findOrganizationByCreditCode(db: WithIdentity, creditCode: string) {
  return db
    .selectFrom('organizations')
    .select(['id'])
    .where('credit_code', '=', creditCode)
    .executeTakeFirst();
}

export function findAccountByUsername(db: WithIdentity, username: string) {
  return db.selectFrom('accounts').select(['id']).where('username', '=', username).executeTakeFirst();
}

export function insertAccount(
  db: WithIdentity,
  row: {
    id: string;
    username: string;
    display_name: string;
    password_hash: string;
    roles: Role[];
    organization_id: string;
  },
) {
  return db
    .insertInto('accounts')
    .values({ ...row, status: 'active' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findAccount(db: WithIdentity, accountId: string) {
  return db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
}

export function listOrganizationAccounts(db: WithIdentity, organizationId: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'username', 'display_name', 'roles', 'status', 'created_at'])
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('username')
    .execute();
}

export function setAccountRoles(db: WithIdentity, accountId: string, roles: Role[]) {
  return db.updateTable('accounts').set({ roles }).where('id', '=', accountId).execute();
}

export function disableAccount(db: WithIdentity, accountId: string) {
  return db
    .updateTable('accounts')
    .set({ status: 'disabled' })
    .where('id', '=', accountId)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

export async function revokeSessionsOfAccount(
  db: WithIdentity,
  accountId: string,
  at: Date,
): Promise<number> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Accounts holding an active grant with this relation on the organisation. */
export async function accountsWithGrant(db: WithIdentity, organizationId: string, relation: string) {
  const rows = await db
    .selectFrom('grants')
    .select('subject_id')
    .where('subject_type', '=', 'account')
    .where('relation', '=', relation)
    .where('object_type', '=', 'organization')
    .where('object_id', '=', organizationId)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.subject_id);
}
