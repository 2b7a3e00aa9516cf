import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import type { Db as AnyDb } from '../../platform/db/index.ts';
import type {
  OversightEntityLinksTable,
  OversightEventsTable,
  OversightLotsTable,
  OversightProjectsTable,
  OversightTables,
  SiteViolationsTable,
  ViolationReportsTable,
  ViolationStatus,
} from './tables.ts';

type Db = AnyDb<OversightTables>;

export type EventRow = Selectable<OversightEventsTable> & {
  project_code: string;
  project_name: string;
  lot_code: string | null;
  lot_name: string | null;
};
export type ProjectRow = Selectable<OversightProjectsTable>;
export type LotRow = Selectable<OversightLotsTable> & {
  project_code: string;
  project_name: string;
  region_code: string;
  catalog_item_code: string;
};
export type ViolationRow = Selectable<SiteViolationsTable>;
export type ReportRow = Selectable<ViolationReportsTable>;

/** A supervisor scope as SQL patterns (prefixes are digits only, validated by the scopes module). */
export interface ScopePatterns {
  regionPrefixes: string[];
  catalogPrefixes: string[];
}

const like = (prefixes: string[]) => prefixes.map((p) => `${p}%`);

// ---- the index's position ----

/** Locks the cursor row; null when another indexer holds it (that one is catching up already). */
export async function lockCursor(tx: Transaction<OversightTables>): Promise<number | null> {
  const row = await tx
    .selectFrom('oversight_index_cursor')
    .select('indexed_through')
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  return row ? Number(row.indexed_through) : null;
}

export async function readCursor(db: Db): Promise<number> {
  const row = await db
    .selectFrom('oversight_index_cursor')
    .select('indexed_through')
    .executeTakeFirstOrThrow();
  return Number(row.indexed_through);
}

export async function setCursor(tx: Db, leafIndex: number, at: Date): Promise<void> {
  await tx
    .updateTable('oversight_index_cursor')
    .set({ indexed_through: leafIndex, updated_at: at })
    .execute();
}

// ---- writing the index ----

export async function insertEvents(tx: Db, rows: Insertable<OversightEventsTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('oversight_events')
    .values(rows)
    .onConflict((oc) => oc.column('leaf_index').doNothing())
    .execute();
}

export async function upsertProjects(tx: Db, rows: Insertable<OversightProjectsTable>[]): Promise<void> {
  for (const row of rows) {
    await tx
      .insertInto('oversight_projects')
      .values(row)
      .onConflict((oc) =>
        oc.column('project_id').doUpdateSet({
          project_code: row.project_code,
          project_name: row.project_name,
          region_code: row.region_code,
          catalog_item_code: row.catalog_item_code,
          regulator: row.regulator,
          updated_at: row.updated_at,
        }),
      )
      .execute();
  }
}

export async function upsertLots(tx: Db, rows: Insertable<OversightLotsTable>[]): Promise<void> {
  for (const row of rows) {
    await tx
      .insertInto('oversight_lots')
      .values(row)
      .onConflict((oc) =>
        oc.column('lot_id').doUpdateSet({
          lot_code: row.lot_code,
          lot_name: row.lot_name,
          procedure_type: row.procedure_type,
          last_leaf_index: sql<number>`greatest(oversight_lots.last_leaf_index, excluded.last_leaf_index)`,
          last_event_at: sql<Date>`greatest(oversight_lots.last_event_at, excluded.last_event_at)`,
        }),
      )
      .execute();
  }
}

/** The first tie wins: a record belongs to the lot it was first seen with. */
export async function insertLinks(tx: Db, rows: Insertable<OversightEntityLinksTable>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('oversight_entity_links')
    .values(rows)
    .onConflict((oc) => oc.columns(['entity_type', 'entity_id']).doNothing())
    .execute();
}

export async function findLink(db: Db, entityType: string, entityId: string) {
  return (
    (await db
      .selectFrom('oversight_entity_links')
      .select(['project_id', 'lot_id'])
      .where('entity_type', '=', entityType)
      .where('entity_id', '=', entityId)
      .executeTakeFirst()) ?? null
  );
}

export async function findLinkByIds(db: Db, entityIds: string[]) {
  if (entityIds.length === 0) return null;
  return (
    (await db
      .selectFrom('oversight_entity_links')
      .select(['project_id', 'lot_id'])
      .where('entity_id', 'in', entityIds)
      .orderBy('entity_type')
      .executeTakeFirst()) ?? null
  );
}

// ---- reading the index ----

function eventsQuery(db: Db) {
  return db
    .selectFrom('oversight_events as e')
    .innerJoin('oversight_projects as p', 'p.project_id', 'e.project_id')
    .leftJoin('oversight_lots as l', 'l.lot_id', 'e.lot_id')
    .selectAll('e')
    .select(['p.project_code', 'p.project_name', 'l.lot_code', 'l.lot_name']);
}

function inScope(scope: ScopePatterns) {
  return sql<boolean>`p.region_code like any(${like(scope.regionPrefixes)}::text[])
    and p.catalog_item_code like any(${like(scope.catalogPrefixes)}::text[])`;
}

/** Events in scope after a leaf index, oldest first. */
export async function listScopedEventsAfter(
  db: Db,
  scope: ScopePatterns,
  after: number,
  limit: number,
): Promise<EventRow[]> {
  return eventsQuery(db)
    .where('e.leaf_index', '>', after)
    .where(inScope(scope))
    .orderBy('e.leaf_index')
    .limit(limit)
    .execute();
}

/** The latest events in scope, oldest first. */
export async function listLatestScopedEvents(
  db: Db,
  scope: ScopePatterns,
  limit: number,
): Promise<EventRow[]> {
  const rows = await eventsQuery(db)
    .where(inScope(scope))
    .orderBy('e.leaf_index', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

export async function listProjectEvents(db: Db, projectId: string, limit: number): Promise<EventRow[]> {
  return eventsQuery(db).where('e.project_id', '=', projectId).orderBy('e.leaf_index').limit(limit).execute();
}

export async function findProject(db: Db, projectId: string): Promise<ProjectRow | null> {
  return (
    (await db
      .selectFrom('oversight_projects')
      .selectAll()
      .where('project_id', '=', projectId)
      .executeTakeFirst()) ?? null
  );
}

function lotsQuery(db: Db) {
  return db
    .selectFrom('oversight_lots as l')
    .innerJoin('oversight_projects as p', 'p.project_id', 'l.project_id')
    .selectAll('l')
    .select(['p.project_code', 'p.project_name', 'p.region_code', 'p.catalog_item_code']);
}

export async function listLotsOfProject(db: Db, projectId: string): Promise<LotRow[]> {
  return lotsQuery(db).where('l.project_id', '=', projectId).orderBy('l.lot_code').execute();
}

/** Lots in scope, most recently active first. */
export async function listScopedLots(db: Db, scope: ScopePatterns, limit: number): Promise<LotRow[]> {
  return lotsQuery(db).where(inScope(scope)).orderBy('l.last_leaf_index', 'desc').limit(limit).execute();
}

/** Lots whose code, name or project name contains `text` (in scope when given), most recently active first. */
export async function searchLots(
  db: Db,
  text: string,
  scope: ScopePatterns | null,
  limit: number,
): Promise<LotRow[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let q = lotsQuery(db).where((eb) =>
    eb.or([
      eb('l.lot_code', 'ilike', pattern),
      eb('l.lot_name', 'ilike', pattern),
      eb('p.project_name', 'ilike', pattern),
      eb('p.project_code', 'ilike', pattern),
    ]),
  );
  if (scope) q = q.where(inScope(scope));
  return q.orderBy('l.last_leaf_index', 'desc').limit(limit).execute();
}

/** The latest event of each lot (among these actions when given). */
export async function latestActionOfLots(
  db: Db,
  lotIds: string[],
  actions: readonly string[] | null,
): Promise<Map<string, { action: string; occurredAt: Date }>> {
  const result = new Map<string, { action: string; occurredAt: Date }>();
  if (lotIds.length === 0) return result;
  let q = db
    .selectFrom('oversight_events')
    .distinctOn('lot_id')
    .select(['lot_id', 'action', 'occurred_at'])
    .where('lot_id', 'in', lotIds);
  if (actions) q = q.where('action', 'in', [...actions]);
  const rows = await q.orderBy('lot_id').orderBy('leaf_index', 'desc').execute();
  for (const row of rows) {
    if (row.lot_id) result.set(row.lot_id, { action: row.action, occurredAt: row.occurred_at });
  }
  return result;
}

export async function countActionsOfLots(
  db: Db,
  lotIds: string[],
  action: string,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (lotIds.length === 0) return result;
  const rows = await db
    .selectFrom('oversight_events')
    .select(['lot_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('lot_id', 'in', lotIds)
    .where('action', '=', action)
    .groupBy('lot_id')
    .execute();
  for (const row of rows) if (row.lot_id) result.set(row.lot_id, Number(row.n));
  return result;
}

// ---- 现场管理 ----

export async function insertViolation(tx: Db, row: Insertable<SiteViolationsTable>): Promise<ViolationRow> {
  return tx.insertInto('site_violations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findViolation(db: Db, id: string): Promise<ViolationRow | null> {
  return (await db.selectFrom('site_violations').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function lockViolation(
  tx: Transaction<OversightTables>,
  id: string,
): Promise<ViolationRow | null> {
  return (
    (await tx
      .selectFrom('site_violations')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()) ?? null
  );
}

export async function updateViolation(
  tx: Db,
  id: string,
  patch: { status?: ViolationStatus; evidence?: string; updated_at: Date },
): Promise<ViolationRow> {
  return tx
    .updateTable('site_violations')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ViolationFilter {
  status?: ViolationStatus;
  lotId?: string;
  /** Only those reported and still without feedback past their deadline. */
  overdueAt?: Date;
  /** A supervisor sees only its scope. */
  scope?: ScopePatterns;
  limit: number;
  offset: number;
}

export async function listViolations(
  db: Db,
  filter: ViolationFilter,
): Promise<{ rows: (ViolationRow & { report: ReportRow | null })[]; total: number }> {
  let q = db.selectFrom('site_violations as v').leftJoin('violation_reports as r', 'r.violation_id', 'v.id');
  if (filter.status) q = q.where('v.status', '=', filter.status);
  if (filter.lotId) q = q.where('v.lot_id', '=', filter.lotId);
  if (filter.overdueAt) {
    const at = filter.overdueAt;
    q = q.where('r.feedback_at', 'is', null).where('r.feedback_due_at', '<', at);
  }
  if (filter.scope) {
    q = q.where(
      sql<boolean>`v.region_code like any(${like(filter.scope.regionPrefixes)}::text[])
        and v.catalog_item_code like any(${like(filter.scope.catalogPrefixes)}::text[])`,
    );
  }
  const [rows, count] = await Promise.all([
    q
      .selectAll('v')
      .select(['r.id as report_id'])
      .orderBy('v.recorded_at', 'desc')
      .orderBy('v.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const reportIds = rows.map((r) => r.report_id).filter((id): id is string => id !== null);
  const reports =
    reportIds.length === 0
      ? []
      : await db.selectFrom('violation_reports').selectAll().where('id', 'in', reportIds).execute();
  const byViolation = new Map(reports.map((r) => [r.violation_id, r]));
  return {
    rows: rows.map(({ report_id: _, ...v }) => ({ ...v, report: byViolation.get(v.id) ?? null })),
    total: Number(count.n),
  };
}

export async function insertReport(tx: Db, row: Insertable<ViolationReportsTable>): Promise<ReportRow> {
  return tx.insertInto('violation_reports').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findReportOfViolation(db: Db, violationId: string): Promise<ReportRow | null> {
  return (
    (await db
      .selectFrom('violation_reports')
      .selectAll()
      .where('violation_id', '=', violationId)
      .executeTakeFirst()) ?? null
  );
}

export async function lockReport(tx: Transaction<OversightTables>, id: string): Promise<ReportRow | null> {
  return (
    (await tx
      .selectFrom('violation_reports')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()) ?? null
  );
}

export async function updateReport(
  tx: Db,
  id: string,
  patch: Partial<{
    acknowledged_by: string;
    acknowledged_at: Date;
    feedback: string;
    feedback_evidence: string;
    feedback_by: string;
    feedback_at: Date;
    feedback_late: boolean;
    overdue_flagged_at: Date;
  }>,
): Promise<ReportRow> {
  return tx
    .updateTable('violation_reports')
    .set(patch)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function readSettings(db: Db) {
  return db.selectFrom('oversight_settings').selectAll().executeTakeFirstOrThrow();
}

export async function updateSettings(tx: Db, feedbackWorkingDays: number, at: Date, by: string | null) {
  return tx
    .updateTable('oversight_settings')
    .set({ feedback_working_days: feedbackWorkingDays, updated_at: at, updated_by: by })
    .returningAll()
    .executeTakeFirstOrThrow();
}
