import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  ComplaintChallengesTable,
  ComplaintNoticesTable,
  ComplaintPausesTable,
  ComplaintStatus,
  ComplaintsTable,
  ComplaintsTables,
} from './tables.ts';

// SQL for this module's own tables, and only those.
type CDb = Db<ComplaintsTables>;

export type ComplaintRow = Selectable<ComplaintsTable>;
export type PauseRow = Selectable<ComplaintPausesTable>;
export type NoticeRow = Selectable<ComplaintNoticesTable>;
export type ChallengeRow = Selectable<ComplaintChallengesTable>;

export const OPEN_STATUSES: readonly ComplaintStatus[] = ['received', 'correction', 'accepted', 'paused'];

// ---- complaints ----

export async function nextComplaintNumber(db: CDb): Promise<number> {
  const { rows } = await sql<{ n: string }>`select nextval('complaint_numbers') as n`.execute(db);
  return Number(rows[0]?.n);
}

export function insertComplaint(db: CDb, row: Insertable<ComplaintsTable>) {
  return db.insertInto('complaints').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findComplaint(db: CDb, id: string) {
  return db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockComplaint(db: CDb, id: string) {
  return db.selectFrom('complaints').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateComplaint(db: CDb, id: string, changes: Updateable<ComplaintsTable>) {
  return db
    .updateTable('complaints')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Serialises one complainant's filings on one lot for the rest of the transaction. */
export async function lockComplainantOnLot(db: CDb, lotId: string, organizationId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`complaints:${lotId}:${organizationId}`}))`.execute(db);
}

/** The complainant's earlier complaints on a lot, oldest first (the first receiver handles a matter). */
export function listComplaintsOnLotBy(db: CDb, lotId: string, organizationId: string) {
  return db
    .selectFrom('complaints')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('complainant_organization_id', '=', organizationId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
}

export function listComplaintsOfComplainant(db: CDb, organizationId: string) {
  return db
    .selectFrom('complaints')
    .selectAll()
    .where('complainant_organization_id', '=', organizationId)
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
}

/** Complaints whose lot lies in a supervisor's scope (行业 × 地域 prefixes), newest first. */
export function listComplaintsInScope(
  db: CDb,
  scope: { regionPrefixes: readonly string[]; catalogPrefixes: readonly string[] },
  statuses: readonly ComplaintStatus[] | null,
) {
  let q = db
    .selectFrom('complaints')
    .selectAll()
    .where((eb) => eb.or(scope.regionPrefixes.map((p) => eb('region_code', 'like', `${escapeLike(p)}%`))))
    .where((eb) =>
      eb.or(scope.catalogPrefixes.map((p) => eb('catalog_item_code', 'like', `${escapeLike(p)}%`))),
    );
  if (statuses) q = q.where('status', 'in', [...statuses]);
  return q.orderBy('received_at', 'desc').orderBy('id').limit(1000).execute();
}

function escapeLike(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Complaints a written notice was delivered to this organisation for (as respondent or related party). */
export function listComplaintsNoticedTo(db: CDb, organizationId: string) {
  return db
    .selectFrom('complaints')
    .selectAll()
    .where(
      'id',
      'in',
      db
        .selectFrom('complaint_notices')
        .select('complaint_id')
        .where('recipient_organization_id', '=', organizationId)
        .where('recipient_role', 'in', ['respondent', 'related']),
    )
    .orderBy('received_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
}

/** Open complaints with a clock past due and not yet flagged (the sweep's safety net). */
export function listOpenComplaintsPastDue(db: CDb, now: Date) {
  return db
    .selectFrom('complaints')
    .select('id')
    .where('status', 'in', [...OPEN_STATUSES])
    .where((eb) =>
      eb.or([
        eb.and([
          eb('acceptance_due_at', '<', now),
          eb('acceptance_overdue_at', 'is', null),
          eb('accepted_at', 'is', null),
        ]),
        eb.and([eb('decision_due_at', '<', now), eb('decision_overdue_at', 'is', null)]),
        eb.and([
          eb('copies_due_at', '<', now),
          eb('copies_overdue_at', 'is', null),
          eb('copies_sent_at', 'is', null),
        ]),
        eb.and([
          eb('explanation_due_at', '<', now),
          eb('explanation_overdue_at', 'is', null),
          eb('explanation_at', 'is', null),
        ]),
        eb.and([
          eb('correction_due_at', '<', now),
          eb('correction_lapsed_at', 'is', null),
          eb('status', '=', 'correction'),
        ]),
      ]),
    )
    .limit(500)
    .execute();
}

export function listPublishedDecisions(
  db: CDb,
  q: { law: 'works' | 'gp' | undefined; text: string | undefined; offset: number; limit: number },
) {
  return filterPublished(db, q)
    .selectAll()
    .orderBy('decided_at', 'desc')
    .orderBy('id')
    .offset(q.offset)
    .limit(q.limit)
    .execute();
}

export async function countPublishedDecisions(
  db: CDb,
  q: { law: 'works' | 'gp' | undefined; text: string | undefined },
): Promise<number> {
  const row = await filterPublished(db, q)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

function filterPublished(db: CDb, q: { law: 'works' | 'gp' | undefined; text: string | undefined }) {
  let query = db.selectFrom('complaints').where('status', '=', 'decided');
  if (q.law) query = query.where('law', '=', q.law);
  if (q.text) {
    const like = `%${escapeLike(q.text)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('project_name', 'like', like),
        eb('lot_name', 'like', like),
        eb('code', 'like', like),
        eb('complainant_name', 'like', like),
      ]),
    );
  }
  return query;
}

// ---- excluded time ----

export function insertPause(db: CDb, row: Insertable<ComplaintPausesTable>) {
  return db.insertInto('complaint_pauses').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findOpenPause(db: CDb, complaintId: string) {
  return db
    .selectFrom('complaint_pauses')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

export function endPause(
  db: CDb,
  id: string,
  changes: { endedAt: Date; excluded: number; by: string | null },
) {
  return db
    .updateTable('complaint_pauses')
    .set({ ended_at: changes.endedAt, excluded_working_days: changes.excluded, ended_by: changes.by })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function listPauses(db: CDb, complaintId: string) {
  return db
    .selectFrom('complaint_pauses')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
}

// ---- written notices ----

export async function insertNotices(db: CDb, rows: Insertable<ComplaintNoticesTable>[]) {
  if (rows.length > 0) await db.insertInto('complaint_notices').values(rows).execute();
}

export function listNotices(db: CDb, complaintId: string) {
  return db
    .selectFrom('complaint_notices')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .orderBy('issued_at')
    .orderBy('seq')
    .execute();
}

// ---- 质疑 on the process / result (政府采购) ----

export function insertChallenge(db: CDb, row: Insertable<ComplaintChallengesTable>) {
  return db.insertInto('complaint_challenges').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findChallenge(db: CDb, id: string) {
  return db.selectFrom('complaint_challenges').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockChallenge(db: CDb, id: string) {
  return db
    .selectFrom('complaint_challenges')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function updateChallenge(db: CDb, id: string, changes: Updateable<ComplaintChallengesTable>) {
  return db
    .updateTable('complaint_challenges')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listChallengesOfLot(db: CDb, lotId: string, organizationId: string | null) {
  let q = db.selectFrom('complaint_challenges').selectAll().where('lot_id', '=', lotId);
  if (organizationId !== null) q = q.where('organization_id', '=', organizationId);
  return q.orderBy('filed_at').orderBy('id').execute();
}

export function listChallengesOfOrganization(db: CDb, organizationId: string) {
  return db
    .selectFrom('complaint_challenges')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('filed_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
}

/** 质疑 addressed to an organisation as the lot's purchaser or agency (at filing). */
export function listChallengesAddressedTo(db: CDb, organizationId: string) {
  return db
    .selectFrom('complaint_challenges')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('initiator_organization_id', '=', organizationId),
        eb('agency_organization_id', '=', organizationId),
      ]),
    )
    .orderBy('filed_at', 'desc')
    .orderBy('id')
    .limit(500)
    .execute();
}
