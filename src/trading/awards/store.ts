import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { AwardLotsTable, AwardObjectionsTable, AwardsTables } from './tables.ts';

// SQL for this module's own tables, and only those.
type ADb = Db<AwardsTables>;

export type AwardRow = Selectable<AwardLotsTable>;
export type ObjectionRow = Selectable<AwardObjectionsTable>;

/** Inserts the award file unless another request opened it first; true when this one did. */
export async function insertAwardIfAbsent(db: ADb, row: Insertable<AwardLotsTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('award_lots')
    .values(row)
    .onConflict((oc) => oc.column('lot_id').doNothing())
    .returning('lot_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function findAward(db: ADb, lotId: string) {
  return db.selectFrom('award_lots').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export function lockAward(db: ADb, lotId: string) {
  return db.selectFrom('award_lots').selectAll().where('lot_id', '=', lotId).forUpdate().executeTakeFirst();
}

export async function updateAward(db: ADb, lotId: string, changes: Updateable<AwardLotsTable>) {
  await db.updateTable('award_lots').set(changes).where('lot_id', '=', lotId).execute();
}

export function listAwardsOfOrganization(db: ADb, organizationId: string) {
  return db
    .selectFrom('award_lots')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('initiator_organization_id', '=', organizationId),
        eb('agency_organization_id', '=', organizationId),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('lot_id')
    .limit(200)
    .execute();
}

export async function insertObjection(db: ADb, row: Omit<Insertable<AwardObjectionsTable>, 'seq'>) {
  const last = await db
    .selectFrom('award_objections')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('lot_id', '=', row.lot_id)
    .executeTakeFirst();
  const seq = Number(last?.seq ?? 0) + 1;
  await db
    .insertInto('award_objections')
    .values({ ...row, seq })
    .execute();
  return seq;
}

export function listObjections(db: ADb, lotId: string) {
  return db.selectFrom('award_objections').selectAll().where('lot_id', '=', lotId).orderBy('seq').execute();
}

export function findObjection(db: ADb, id: string) {
  return db.selectFrom('award_objections').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockObjection(db: ADb, id: string) {
  return db.selectFrom('award_objections').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateObjection(db: ADb, id: string, changes: Updateable<AwardObjectionsTable>) {
  await db.updateTable('award_objections').set(changes).where('id', '=', id).execute();
}

export async function countUnansweredObjections(db: ADb, lotId: string): Promise<number> {
  const row = await db
    .selectFrom('award_objections')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('lot_id', '=', lotId)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

// ---- read port for the supervision system (投诉处理: 投诉前须先提出异议) ----

/**
 * The 异议 an organisation raised on the evaluation result of a lot (or of every lot when `lotId` is null),
 * in the shape the complaint handling reads for every stage.
 */
export async function listObjectionsByOrganization(db: ADb, lotId: string | null, organizationId: string) {
  let q = db.selectFrom('award_objections').selectAll().where('organization_id', '=', organizationId);
  if (lotId !== null) q = q.where('lot_id', '=', lotId);
  const rows = await q.orderBy('raised_at').orderBy('id').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    lotId: r.lot_id,
    stage: 'result' as const,
    text: r.text,
    raisedAt: r.raised_at,
    answerDueAt: r.answer_due_at,
    answeredAt: r.answered_at,
    answer: r.answer,
  }));
}
