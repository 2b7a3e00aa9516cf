import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  EvaluationAdjustmentsTable,
  EvaluationClarificationsTable,
  EvaluationMembersTable,
  EvaluationPriceCorrectionsTable,
  EvaluationRejectionsTable,
  EvaluationReportSignaturesTable,
  EvaluationReportsTable,
  EvaluationScoresTable,
  EvaluationSheetsTable,
  EvaluationsTable,
  EvaluationTables,
  StepCode,
} from './tables.ts';

// SQL for this module's own tables, and only those (DESIGN §2).
type EDb = Db<EvaluationTables>;

export type EvaluationRow = Selectable<EvaluationsTable>;
export type MemberRow = Selectable<EvaluationMembersTable>;
export type SheetRow = Selectable<EvaluationSheetsTable>;
export type ScoreRow = Selectable<EvaluationScoresTable>;
export type AdjustmentRow = Selectable<EvaluationAdjustmentsTable>;
export type PriceCorrectionRow = Selectable<EvaluationPriceCorrectionsTable>;
export type RejectionRow = Selectable<EvaluationRejectionsTable>;
export type ClarificationRow = Selectable<EvaluationClarificationsTable>;
export type ReportRow = Selectable<EvaluationReportsTable>;
export type SignatureRow = Selectable<EvaluationReportSignaturesTable>;

// ------------------------------------------------------------------------------------ evaluations

export function findEvaluation(db: EDb, lotId: string) {
  return db.selectFrom('evaluations').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export function lockEvaluation(db: EDb, lotId: string) {
  return db.selectFrom('evaluations').selectAll().where('lot_id', '=', lotId).forUpdate().executeTakeFirst();
}

export function insertEvaluation(db: EDb, row: Insertable<EvaluationsTable>) {
  return db.insertInto('evaluations').values(row).execute();
}

export function updateEvaluation(db: EDb, lotId: string, changes: Updateable<EvaluationsTable>) {
  return db.updateTable('evaluations').set(changes).where('lot_id', '=', lotId).execute();
}

export function listEvaluationsOfOrganization(db: EDb, organizationId: string) {
  return db
    .selectFrom('evaluations')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('initiator_organization_id', '=', organizationId),
        eb('agency_organization_id', '=', organizationId),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

export function listEvaluationsByLots(db: EDb, lotIds: string[]) {
  if (lotIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('evaluations').selectAll().where('lot_id', 'in', lotIds).execute();
}

// ---------------------------------------------------------------------------------------- members

export async function insertMembers(db: EDb, rows: Insertable<EvaluationMembersTable>[]) {
  if (rows.length > 0) await db.insertInto('evaluation_members').values(rows).execute();
}

export function listMembers(db: EDb, lotId: string) {
  return db.selectFrom('evaluation_members').selectAll().where('lot_id', '=', lotId).orderBy('seq').execute();
}

export function findActiveMemberOfAccount(db: EDb, lotId: string, accountId: string) {
  return db
    .selectFrom('evaluation_members')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('account_id', '=', accountId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

export function listMembershipsOfAccount(db: EDb, accountId: string) {
  return db
    .selectFrom('evaluation_members')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('joined_at', 'desc')
    .limit(200)
    .execute();
}

export function updateMember(db: EDb, id: string, changes: Updateable<EvaluationMembersTable>) {
  return db.updateTable('evaluation_members').set(changes).where('id', '=', id).execute();
}

export async function maxMemberSeq(db: EDb, lotId: string): Promise<number> {
  const row = await db
    .selectFrom('evaluation_members')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('lot_id', '=', lotId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

// ------------------------------------------------------------------------------- sheets and scores

export function listSheets(db: EDb, lotId: string) {
  return db.selectFrom('evaluation_sheets').selectAll().where('lot_id', '=', lotId).execute();
}

/** The sheet row and its scores; false when the member had submitted the step already. */
export async function insertSheet(
  db: EDb,
  sheet: Insertable<EvaluationSheetsTable>,
  scores: Insertable<EvaluationScoresTable>[],
): Promise<boolean> {
  const inserted = await db
    .insertInto('evaluation_sheets')
    .values(sheet)
    .onConflict((oc) => oc.columns(['member_id', 'step']).doNothing())
    .returning('member_id')
    .executeTakeFirst();
  if (!inserted) return false;
  for (let i = 0; i < scores.length; i += 1000) {
    await db
      .insertInto('evaluation_scores')
      .values(scores.slice(i, i + 1000))
      .execute();
  }
  return true;
}

export function listScores(db: EDb, lotId: string, step?: StepCode) {
  let q = db.selectFrom('evaluation_scores').selectAll().where('lot_id', '=', lotId);
  if (step) q = q.where('step', '=', step);
  return q.execute();
}

export function listScoresOfMember(db: EDb, memberId: string, step: StepCode) {
  return db
    .selectFrom('evaluation_scores')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('step', '=', step)
    .execute();
}

export function findScore(db: EDb, memberId: string, bidId: string, criterionId: string) {
  return db
    .selectFrom('evaluation_scores')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('bid_id', '=', bidId)
    .where('criterion_id', '=', criterionId)
    .forUpdate()
    .executeTakeFirst();
}

export function updateScore(
  db: EDb,
  key: { memberId: string; bidId: string; criterionId: string },
  changes: Updateable<EvaluationScoresTable>,
) {
  return db
    .updateTable('evaluation_scores')
    .set(changes)
    .where('member_id', '=', key.memberId)
    .where('bid_id', '=', key.bidId)
    .where('criterion_id', '=', key.criterionId)
    .execute();
}

export function insertAdjustment(db: EDb, row: Insertable<EvaluationAdjustmentsTable>) {
  return db.insertInto('evaluation_adjustments').values(row).execute();
}

export function listAdjustments(db: EDb, lotId: string) {
  return db
    .selectFrom('evaluation_adjustments')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

// ------------------------------------------------------------------- corrections and rejections

export function insertPriceCorrection(db: EDb, row: Insertable<EvaluationPriceCorrectionsTable>) {
  return db.insertInto('evaluation_price_corrections').values(row).execute();
}

export function listPriceCorrections(db: EDb, lotId: string) {
  return db
    .selectFrom('evaluation_price_corrections')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** False when the bid was rejected already. */
export async function insertRejection(db: EDb, row: Insertable<EvaluationRejectionsTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('evaluation_rejections')
    .values(row)
    .onConflict((oc) => oc.columns(['lot_id', 'bid_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function listRejections(db: EDb, lotId: string) {
  return db
    .selectFrom('evaluation_rejections')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('recorded_at')
    .execute();
}

// --------------------------------------------------------------------------------- clarifications

export function insertClarification(db: EDb, row: Insertable<EvaluationClarificationsTable>) {
  return db.insertInto('evaluation_clarifications').values(row).execute();
}

export function listClarifications(db: EDb, lotId: string) {
  return db
    .selectFrom('evaluation_clarifications')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('asked_at')
    .orderBy('id')
    .execute();
}

export function listClarificationsOfOrganization(db: EDb, organizationId: string) {
  return db
    .selectFrom('evaluation_clarifications')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('asked_at', 'desc')
    .limit(200)
    .execute();
}

export function lockClarification(db: EDb, id: string) {
  return db
    .selectFrom('evaluation_clarifications')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function answerClarification(db: EDb, id: string, answer: { text: string; by: string; at: Date }) {
  return db
    .updateTable('evaluation_clarifications')
    .set({ answer: answer.text, answered_by: answer.by, answered_at: answer.at })
    .where('id', '=', id)
    .where('answer', 'is', null)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------- reports

export function insertReport(db: EDb, row: Insertable<EvaluationReportsTable>) {
  return db.insertInto('evaluation_reports').values(row).execute();
}

export function findReport(db: EDb, lotId: string) {
  return db.selectFrom('evaluation_reports').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export function updateReport(db: EDb, id: string, changes: Updateable<EvaluationReportsTable>) {
  return db.updateTable('evaluation_reports').set(changes).where('id', '=', id).execute();
}

/** False when the member had answered already. */
export async function insertSignature(
  db: EDb,
  row: Insertable<EvaluationReportSignaturesTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('evaluation_report_signatures')
    .values(row)
    .onConflict((oc) => oc.columns(['report_id', 'member_id']).doNothing())
    .returning('member_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function listSignatures(db: EDb, reportId: string) {
  return db
    .selectFrom('evaluation_report_signatures')
    .selectAll()
    .where('report_id', '=', reportId)
    .orderBy('signed_at')
    .execute();
}
