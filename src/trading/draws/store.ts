import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { WitnessTables } from '../../platform/witness/index.ts';
import type {
  AssignmentStatus,
  DrawRulesTable,
  DrawsTables,
  ExpertAssignmentsTable,
  ExpertDrawExclusionsTable,
  ExpertDrawRoundsTable,
  ExpertDrawsTable,
  ExpertNotificationsTable,
} from './tables.ts';

// SQL for this module's own tables, and two read-only lookups in the witness tables (a commit event's
// leaf and the first checkpoint covering it) that the kernel does not export a function for.
type DDb = Db<DrawsTables>;

export type DrawRow = Selectable<ExpertDrawsTable>;
export type ExclusionRow = Selectable<ExpertDrawExclusionsTable>;
export type RoundRow = Selectable<ExpertDrawRoundsTable>;
export type AssignmentRow = Selectable<ExpertAssignmentsTable>;
export type NotificationRow = Selectable<ExpertNotificationsTable>;
export type DrawRuleRow = Selectable<DrawRulesTable>;

// ------------------------------------------------------------------------------------------- draws

export async function insertDraw(
  db: DDb,
  row: Insertable<ExpertDrawsTable>,
  exclusions: Insertable<ExpertDrawExclusionsTable>[],
) {
  await db.insertInto('expert_draws').values(row).execute();
  if (exclusions.length > 0) await db.insertInto('expert_draw_exclusions').values(exclusions).execute();
}

export function findDraw(db: DDb, id: string) {
  return db.selectFrom('expert_draws').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockDraw(db: DDb, id: string) {
  return db.selectFrom('expert_draws').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateDraw(db: DDb, id: string, changes: Updateable<ExpertDrawsTable>) {
  return db.updateTable('expert_draws').set(changes).where('id', '=', id).execute();
}

export function listDrawsOfLot(db: DDb, lotId: string) {
  return db
    .selectFrom('expert_draws')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export function listDrawsOfOrganization(db: DDb, organizationId: string) {
  return db
    .selectFrom('expert_draws')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('initiator_organization_id', '=', organizationId),
        eb('agency_organization_id', '=', organizationId),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(200)
    .execute();
}

export function listAllDraws(db: DDb, limit: number) {
  return db
    .selectFrom('expert_draws')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

export function listExclusions(db: DDb, drawId: string) {
  return db
    .selectFrom('expert_draw_exclusions')
    .selectAll()
    .where('draw_id', '=', drawId)
    .orderBy('seq')
    .execute();
}

// ------------------------------------------------------------------------------------------ rounds

export function insertRound(db: DDb, row: Insertable<ExpertDrawRoundsTable>) {
  return db.insertInto('expert_draw_rounds').values(row).execute();
}

export function listRounds(db: DDb, drawId: string) {
  return db
    .selectFrom('expert_draw_rounds')
    .selectAll()
    .where('draw_id', '=', drawId)
    .orderBy('round')
    .execute();
}

export function lockRound(db: DDb, drawId: string, round: number) {
  return db
    .selectFrom('expert_draw_rounds')
    .selectAll()
    .where('draw_id', '=', drawId)
    .where('round', '=', round)
    .forUpdate()
    .executeTakeFirst();
}

export async function lastRoundNo(db: DDb, drawId: string): Promise<number> {
  const row = await db
    .selectFrom('expert_draw_rounds')
    .select((eb) => eb.fn.max('round').as('last'))
    .where('draw_id', '=', drawId)
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

export function updateRound(
  db: DDb,
  drawId: string,
  round: number,
  changes: Updateable<ExpertDrawRoundsTable>,
) {
  return db
    .updateTable('expert_draw_rounds')
    .set(changes)
    .where('draw_id', '=', drawId)
    .where('round', '=', round)
    .execute();
}

// ------------------------------------------------------------------------------------- assignments

export function insertAssignments(db: DDb, rows: Insertable<ExpertAssignmentsTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('expert_assignments').values(rows).execute();
}

export function listAssignmentsOfDraw(db: DDb, drawId: string) {
  return db
    .selectFrom('expert_assignments')
    .selectAll()
    .where('draw_id', '=', drawId)
    .orderBy('round')
    .orderBy('group_index')
    .orderBy('position')
    .execute();
}

export function findAssignment(db: DDb, id: string) {
  return db.selectFrom('expert_assignments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockAssignment(db: DDb, id: string) {
  return db.selectFrom('expert_assignments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateAssignment(db: DDb, id: string, changes: Updateable<ExpertAssignmentsTable>) {
  return db.updateTable('expert_assignments').set(changes).where('id', '=', id).execute();
}

export function setAssignmentsStatus(
  db: DDb,
  drawId: string,
  from: AssignmentStatus[],
  to: AssignmentStatus,
) {
  return db
    .updateTable('expert_assignments')
    .set({ status: to })
    .where('draw_id', '=', drawId)
    .where('status', 'in', from)
    .returning('id')
    .execute();
}

export function listAssignmentsOfExpert(db: DDb, expertRef: string) {
  return db
    .selectFrom('expert_assignments')
    .innerJoin('expert_draws', 'expert_draws.id', 'expert_assignments.draw_id')
    .selectAll('expert_assignments')
    .select([
      'expert_draws.lot_id',
      'expert_draws.venues',
      'expert_draws.groups',
      'expert_draws.evaluation_starts_at',
      'expert_draws.evaluation_ends_at',
      'expert_draws.status as draw_status',
      'expert_draws.revealed_at',
    ])
    .where('expert_assignments.expert_ref', '=', expertRef)
    .orderBy('expert_assignments.created_at', 'desc')
    .limit(200)
    .execute();
}

/** Assignments of a round still waiting for an answer (the window's end). */
export function listNotifiedOfRound(db: DDb, drawId: string, round: number) {
  return db
    .selectFrom('expert_assignments')
    .selectAll()
    .where('draw_id', '=', drawId)
    .where('round', '=', round)
    .where('status', '=', 'notified')
    .forUpdate()
    .execute();
}

/**
 * The rules' one query: serving assignments (notified or confirmed) whose evaluation starts in
 * [from, to). Only the tag and the times leave the database (partial index expert_assignments_serving).
 */
export function listServingAssignments(db: DDb, from: Date, to: Date) {
  return db
    .selectFrom('expert_assignments')
    .select(['draw_id', 'code_tag', 'initiator_organization_id', 'period_from', 'period_to'])
    .where('status', 'in', ['notified', 'confirmed'])
    .where('period_from', '>=', from)
    .where('period_from', '<', to)
    .execute();
}

// ----------------------------------------------------------------------------------- notifications

export function insertNotifications(db: DDb, rows: Insertable<ExpertNotificationsTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('expert_notifications').values(rows).execute();
}

export function listNotificationsOfDraw(db: DDb, drawId: string) {
  return db
    .selectFrom('expert_notifications')
    .selectAll()
    .where('draw_id', '=', drawId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function listPendingSms(db: DDb, drawId: string) {
  return db
    .selectFrom('expert_notifications')
    .selectAll()
    .where('draw_id', '=', drawId)
    .where('channel', '=', 'sms')
    .where('status', '=', 'pending')
    .orderBy('id')
    .execute();
}

export function updateNotification(db: DDb, id: string, changes: Updateable<ExpertNotificationsTable>) {
  return db.updateTable('expert_notifications').set(changes).where('id', '=', id).execute();
}

// ------------------------------------------------------------------------------------------- rules

/** The most specific rule row among these region codes (county, city, province). */
export async function findDrawRule(db: DDb, regionCodes: string[]): Promise<DrawRuleRow | undefined> {
  const rows = await db
    .selectFrom('draw_rules')
    .selectAll()
    .where('region_code', 'in', regionCodes)
    .execute();
  for (const code of regionCodes) {
    const row = rows.find((r) => r.region_code === code);
    if (row) return row;
  }
  return undefined;
}

export function listDrawRules(db: DDb) {
  return db.selectFrom('draw_rules').selectAll().orderBy('region_code').execute();
}

export function upsertDrawRule(db: DDb, row: Insertable<DrawRulesTable>) {
  return db
    .insertInto('draw_rules')
    .values(row)
    .onConflict((oc) =>
      oc.column('region_code').doUpdateSet({
        frequency_max: row.frequency_max,
        same_initiator_days: row.same_initiator_days,
        updated_at: row.updated_at,
        updated_by: row.updated_by ?? null,
      }),
    )
    .execute();
}

// ---------------------------------------------------------------------- read-only witness lookups

export function witnessEventRow(db: Db<WitnessTables>, eventId: number) {
  return db
    .selectFrom('witness_events')
    .select(['id', 'leaf_index', 'entity_type', 'entity_id', 'action', 'payload'])
    .where('id', '=', eventId)
    .executeTakeFirst();
}

/** The first signed checkpoint whose tree contains leaf `leafIndex` (tree size > leafIndex). */
export function firstCheckpointCovering(db: Db<WitnessTables>, leafIndex: number) {
  return db
    .selectFrom('witness_checkpoints')
    .selectAll()
    .where('tree_size', '>', leafIndex)
    .orderBy('tree_size', 'asc')
    .limit(1)
    .executeTakeFirst();
}

export function checkpointRow(db: Db<WitnessTables>, treeSize: number) {
  return db
    .selectFrom('witness_checkpoints')
    .selectAll()
    .where('tree_size', '=', treeSize)
    .executeTakeFirst();
}
