import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { CalendarDate } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import type {
  AgencyAuthorisationsTable,
  LotsTable,
  ProjectStatus,
  ProjectsTable,
  ProjectsTables,
  SplitFlagsTable,
} from './tables.ts';

// This module's SQL touches only its own tables; entities, catalogs and identity are read through their
// index.ts functions.
type ProjectsDb = Db<ProjectsTables>;

export type ProjectRow = Selectable<ProjectsTable>;
export type LotRow = Selectable<LotsTable>;
export type AuthorisationRow = Selectable<AgencyAuthorisationsTable>;
export type SplitFlagRow = Selectable<SplitFlagsTable>;

// ---- projects ----

export function insertProject(db: ProjectsDb, row: Insertable<ProjectsTable>) {
  return db.insertInto('projects').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findProject(db: ProjectsDb, id: string) {
  return db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockProject(db: ProjectsDb, id: string) {
  return db.selectFrom('projects').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateProject(db: ProjectsDb, id: string, changes: Updateable<ProjectsTable>) {
  return db
    .updateTable('projects')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Hands out the next lot number of the project (the row is locked by the update). */
export async function nextLotSeq(db: ProjectsDb, projectId: string): Promise<number> {
  const row = await db
    .updateTable('projects')
    .set({ last_lot_seq: sql<number>`last_lot_seq + 1` })
    .where('id', '=', projectId)
    .returning('last_lot_seq')
    .executeTakeFirstOrThrow();
  return row.last_lot_seq;
}

export interface ProjectListFilter {
  status?: ProjectStatus | undefined;
  initiatorOrganizationId?: string | undefined;
  ids?: string[] | undefined;
  limit: number;
  offset: number;
}

export async function listProjects(db: ProjectsDb, filter: ProjectListFilter) {
  let query = db.selectFrom('projects');
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.initiatorOrganizationId) {
    query = query.where('initiator_organization_id', '=', filter.initiatorOrganizationId);
  }
  if (filter.ids) {
    if (filter.ids.length === 0) return { total: 0, rows: [] };
    query = query.where('id', 'in', filter.ids);
  }
  const count = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .selectAll()
    .select((eb) => [
      eb
        .selectFrom('lots')
        .whereRef('lots.project_id', '=', 'projects.id')
        .select((e) => e.fn.countAll<string>().as('c'))
        .as('lot_count'),
      eb
        .selectFrom('agency_authorisations')
        .whereRef('agency_authorisations.project_id', '=', 'projects.id')
        .where('agency_authorisations.status', '=', 'active')
        .select('agency_authorisations.agency_name')
        .limit(1)
        .as('agency_name'),
    ])
    .orderBy('updated_at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return { total: Number(count.n), rows };
}

// ---- lots ----

export function insertLot(db: ProjectsDb, row: Insertable<LotsTable>) {
  return db.insertInto('lots').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listLots(db: ProjectsDb, projectId: string) {
  return db.selectFrom('lots').selectAll().where('project_id', '=', projectId).orderBy('seq').execute();
}

export function receiveLots(db: ProjectsDb, projectId: string, at: Date) {
  return db
    .updateTable('lots')
    .set({ status: 'received', received_at: at, updated_at: at })
    .where('project_id', '=', projectId)
    .where('status', '=', 'registered')
    .returning(['id', 'code'])
    .execute();
}

/** The lot with its project's columns that other modules need. */
export function findLotWithProject(db: ProjectsDb, lotId: string) {
  return db
    .selectFrom('lots')
    .innerJoin('projects', 'projects.id', 'lots.project_id')
    .select([
      'lots.id',
      'lots.code',
      'lots.name',
      'lots.project_id',
      'lots.procedure_type',
      'lots.estimate',
      'lots.rules_as_of',
      'lots.status',
      'projects.code as project_code',
      'projects.tender_project_code',
      'projects.name as project_name',
      'projects.catalog_item_code',
      'projects.region_code',
      'projects.initiator_organization_id',
      'projects.mandatory_tender',
      'projects.regulator',
    ])
    .where('lots.id', '=', lotId)
    .executeTakeFirst();
}

/**
 * The initiator's other lots of this catalog item under the threshold registered on or after `since`
 * (化整为零, §49(1)).
 */
export function smallLotsOfInitiator(
  db: ProjectsDb,
  q: {
    organizationId: string;
    catalogItemCode: string;
    threshold: string;
    since: CalendarDate;
    exceptLotId: string;
  },
) {
  return db
    .selectFrom('lots')
    .innerJoin('projects', 'projects.id', 'lots.project_id')
    .select([
      'lots.id',
      'lots.code',
      'lots.name',
      'lots.estimate',
      'lots.rules_as_of',
      'projects.code as project_code',
      'projects.name as project_name',
    ])
    .where('projects.initiator_organization_id', '=', q.organizationId)
    .where('projects.catalog_item_code', '=', q.catalogItemCode)
    .where('lots.estimate', '<', q.threshold)
    .where('lots.rules_as_of', '>=', q.since)
    .where('lots.id', '<>', q.exceptLotId)
    .orderBy('lots.rules_as_of')
    .orderBy('lots.code')
    .execute();
}

// ---- agency authorisations ----

export function insertAuthorisation(db: ProjectsDb, row: Insertable<AgencyAuthorisationsTable>) {
  return db.insertInto('agency_authorisations').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listAuthorisations(db: ProjectsDb, projectId: string) {
  return db
    .selectFrom('agency_authorisations')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export function findActiveAuthorisation(db: ProjectsDb, projectId: string) {
  return db
    .selectFrom('agency_authorisations')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export function findAuthorisation(db: ProjectsDb, projectId: string, id: string) {
  return db
    .selectFrom('agency_authorisations')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function updateAuthorisation(
  db: ProjectsDb,
  id: string,
  changes: Updateable<AgencyAuthorisationsTable>,
) {
  return db
    .updateTable('agency_authorisations')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Projects an agency organisation holds an active authorisation for (validity dates checked by the caller). */
export function activeAuthorisationsOfAgency(db: ProjectsDb, agencyOrganizationId: string) {
  return db
    .selectFrom('agency_authorisations')
    .selectAll()
    .where('agency_organization_id', '=', agencyOrganizationId)
    .where('status', '=', 'active')
    .execute();
}

// ---- split flags ----

export function insertSplitFlag(db: ProjectsDb, row: Insertable<SplitFlagsTable>) {
  return db.insertInto('split_flags').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listSplitFlags(db: ProjectsDb, page: { limit: number; offset: number }) {
  const count = await db
    .selectFrom('split_flags')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('split_flags')
    .innerJoin('lots', 'lots.id', 'split_flags.lot_id')
    .innerJoin('projects', 'projects.id', 'split_flags.project_id')
    .selectAll('split_flags')
    .select(['lots.code as lot_code', 'projects.initiator_name'])
    .orderBy('split_flags.created_at', 'desc')
    .orderBy('split_flags.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { total: Number(count.n), rows };
}

export function splitFlagsOfLot(db: ProjectsDb, lotId: string) {
  return db.selectFrom('split_flags').selectAll().where('lot_id', '=', lotId).execute();
}
