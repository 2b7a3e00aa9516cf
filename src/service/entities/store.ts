import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  EntitiesTables,
  EntityQualificationsTable,
  EntityStatus,
  IdType,
  MarketEntitiesTable,
} from './tables.ts';

// This module's SQL touches only its own tables: the kernel's organisations, accounts, sessions and grants
// are identity's, read and written through identity's exported functions (kernel-tables.test.ts checks).
type EntitiesDb = Db<EntitiesTables>;

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
