import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  InspectionAssignmentsTable,
  InspectionBatchesTable,
  InspectionDrawRoundsTable,
  InspectionListVersionsTable,
  InspectionPlansTable,
  InspectionsTables,
  InspectionTeamMembersTable,
  ListKind,
  TargetKind,
} from './tables.ts';

type IDb = Db<InspectionsTables>;

export type VersionRow = Selectable<InspectionListVersionsTable>;
export type PlanRow = Selectable<InspectionPlansTable>;
export type BatchRow = Selectable<InspectionBatchesTable>;
export type RoundRow = Selectable<InspectionDrawRoundsTable>;
export type AssignmentRow = Selectable<InspectionAssignmentsTable>;
export type MemberRow = Selectable<InspectionTeamMembersTable>;

// ---- list versions ----

/** Serialises new versions of one department's list (the version number is max + 1). */
export async function lockListHead(tx: IDb, department: string, kind: ListKind) {
  await sql`select pg_advisory_xact_lock(hashtext(${`inspection-list:${department}:${kind}`}))`.execute(tx);
}

export function latestVersion(db: IDb, department: string, kind: ListKind) {
  return db
    .selectFrom('inspection_list_versions')
    .selectAll()
    .where('department', '=', department)
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findVersion(db: IDb, id: string) {
  return db.selectFrom('inspection_list_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findVersionByNumber(db: IDb, department: string, kind: ListKind, version: number) {
  return db
    .selectFrom('inspection_list_versions')
    .selectAll()
    .where('department', '=', department)
    .where('kind', '=', kind)
    .where('version', '=', version)
    .executeTakeFirst();
}

export function listVersions(db: IDb, department: string, kind: ListKind) {
  return db
    .selectFrom('inspection_list_versions')
    .select([
      'id',
      'department',
      'kind',
      'version',
      'entries_sm3',
      'entry_count',
      'note',
      'created_by_name',
      'created_at',
    ])
    .where('department', '=', department)
    .where('kind', '=', kind)
    .orderBy('version', 'desc')
    .execute();
}

/** The newest item list of every department (the public 抽查事项清单). */
export function latestItemLists(db: IDb) {
  return db
    .selectFrom('inspection_list_versions as v')
    .selectAll('v')
    .where('v.kind', '=', 'items')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('inspection_list_versions as n')
            .select('n.id')
            .whereRef('n.department', '=', 'v.department')
            .where('n.kind', '=', 'items')
            .whereRef('n.version', '>', 'v.version'),
        ),
      ),
    )
    .orderBy('v.department')
    .execute();
}

export function insertVersion(db: IDb, row: Insertable<InspectionListVersionsTable>) {
  return db.insertInto('inspection_list_versions').values(row).returningAll().executeTakeFirstOrThrow();
}

// ---- plans and batches ----

export function insertPlan(db: IDb, row: Insertable<InspectionPlansTable>) {
  return db.insertInto('inspection_plans').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findPlan(db: IDb, id: string) {
  return db.selectFrom('inspection_plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockPlan(db: IDb, id: string) {
  return db.selectFrom('inspection_plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listPlans(db: IDb, department: string) {
  return db
    .selectFrom('inspection_plans')
    .selectAll()
    .where('department', '=', department)
    .orderBy('year', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function nextBatchSeq(db: IDb, planId: string): Promise<number> {
  const row = await db
    .selectFrom('inspection_batches')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0) + 1;
}

export function insertBatch(db: IDb, row: Insertable<InspectionBatchesTable>) {
  return db.insertInto('inspection_batches').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findBatch(db: IDb, id: string) {
  return db.selectFrom('inspection_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockBatch(db: IDb, id: string) {
  return db.selectFrom('inspection_batches').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateBatch(db: IDb, id: string, changes: Updateable<InspectionBatchesTable>) {
  return db
    .updateTable('inspection_batches')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listBatchesOfPlans(db: IDb, planIds: string[]) {
  if (planIds.length === 0) return Promise.resolve([] as BatchRow[]);
  return db
    .selectFrom('inspection_batches')
    .selectAll()
    .where('plan_id', 'in', planIds)
    .orderBy('plan_id')
    .orderBy('seq')
    .execute();
}

export async function listPublishedBatches(db: IDb, opts: { limit: number; offset: number }) {
  const base = db.selectFrom('inspection_batches').where('published_at', 'is not', null);
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    base
      .innerJoin('inspection_plans as p', 'p.id', 'inspection_batches.plan_id')
      .selectAll('inspection_batches')
      .select(['p.name as plan_name', 'p.year as plan_year'])
      .orderBy('inspection_batches.published_at', 'desc')
      .orderBy('inspection_batches.id')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

// ---- rounds ----

export function insertRound(db: IDb, row: Insertable<InspectionDrawRoundsTable>) {
  return db.insertInto('inspection_draw_rounds').values(row).execute();
}

export function listRounds(db: IDb, batchId: string) {
  return db
    .selectFrom('inspection_draw_rounds')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('round')
    .execute();
}

export function findRound(db: IDb, batchId: string, round: number) {
  return db
    .selectFrom('inspection_draw_rounds')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('round', '=', round)
    .executeTakeFirst();
}

export function lockRound(db: IDb, batchId: string, round: number) {
  return db
    .selectFrom('inspection_draw_rounds')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('round', '=', round)
    .forUpdate()
    .executeTakeFirst();
}

export async function lastRoundNo(db: IDb, batchId: string): Promise<number> {
  const row = await db
    .selectFrom('inspection_draw_rounds')
    .select((eb) => eb.fn.max('round').as('round'))
    .where('batch_id', '=', batchId)
    .executeTakeFirst();
  return Number(row?.round ?? 0);
}

export function updateRound(
  db: IDb,
  batchId: string,
  round: number,
  changes: Updateable<InspectionDrawRoundsTable>,
) {
  return db
    .updateTable('inspection_draw_rounds')
    .set(changes)
    .where('batch_id', '=', batchId)
    .where('round', '=', round)
    .execute();
}

// ---- assignments (targets drawn) ----

export function insertAssignments(db: IDb, rows: Insertable<InspectionAssignmentsTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('inspection_assignments').values(rows).execute();
}

export function listAssignments(db: IDb, batchId: string) {
  return db
    .selectFrom('inspection_assignments')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('group_index')
    .orderBy('position')
    .execute();
}

export function findAssignment(db: IDb, id: string) {
  return db.selectFrom('inspection_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAssignmentByTarget(db: IDb, batchId: string, targetCode: string) {
  return db
    .selectFrom('inspection_assignments')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('target_code', '=', targetCode)
    .executeTakeFirst();
}

export function updateAssignment(db: IDb, id: string, changes: Updateable<InspectionAssignmentsTable>) {
  return db
    .updateTable('inspection_assignments')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The latest draw of each of these targets since `since` in another batch of the same department (the
 * exclusion window).
 * Keys are `kind:entityId`.
 */
export async function lastDrawnSince(
  db: IDb,
  targets: { kind: TargetKind; entityId: string }[],
  since: Date,
  batch: { id: string; department: string },
): Promise<Map<string, { batchId: string; drawnAt: Date }>> {
  const out = new Map<string, { batchId: string; drawnAt: Date }>();
  if (targets.length === 0) return out;
  const ids = [...new Set(targets.map((t) => t.entityId))];
  const rows = await db
    .selectFrom('inspection_assignments as a')
    .innerJoin('inspection_batches as b', 'b.id', 'a.batch_id')
    .select(['a.target_kind', 'a.entity_id', 'a.batch_id', 'a.drawn_at'])
    .where('a.entity_id', 'in', ids)
    .where('a.drawn_at', '>=', since)
    .where('a.batch_id', '<>', batch.id)
    .where('b.department', '=', batch.department)
    .orderBy('a.drawn_at', 'asc')
    .execute();
  for (const r of rows)
    out.set(`${r.target_kind}:${r.entity_id}`, { batchId: r.batch_id, drawnAt: r.drawn_at });
  return out;
}

// ---- team members ----

export function insertMembers(db: IDb, rows: Insertable<InspectionTeamMembersTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('inspection_team_members').values(rows).execute();
}

export function listMembersOfBatch(db: IDb, batchId: string) {
  return db
    .selectFrom('inspection_team_members')
    .selectAll()
    .where('batch_id', '=', batchId)
    .orderBy('round')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function listMembersOfAssignment(db: IDb, assignmentId: string) {
  return db
    .selectFrom('inspection_team_members')
    .selectAll()
    .where('assignment_id', '=', assignmentId)
    .orderBy('round')
    .orderBy('id')
    .execute();
}

export function findMember(db: IDb, id: string) {
  return db.selectFrom('inspection_team_members').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockMember(db: IDb, id: string) {
  return db
    .selectFrom('inspection_team_members')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function updateMember(db: IDb, id: string, changes: Updateable<InspectionTeamMembersTable>) {
  return db.updateTable('inspection_team_members').set(changes).where('id', '=', id).execute();
}

/** The targets an inspector is (or was) drawn for, newest first. */
export function listMembershipsOfAccount(db: IDb, accountId: string) {
  return db
    .selectFrom('inspection_team_members as m')
    .innerJoin('inspection_assignments as a', 'a.id', 'm.assignment_id')
    .innerJoin('inspection_batches as b', 'b.id', 'm.batch_id')
    .selectAll('a')
    .select([
      'm.id as member_id',
      'm.status as member_status',
      'm.recusal_reason',
      'b.name as batch_name',
      'b.status as batch_status',
      'b.publish_due_at',
    ])
    .where('m.account_id', '=', accountId)
    .orderBy('a.drawn_at', 'desc')
    .orderBy('a.position')
    .limit(500)
    .execute();
}
