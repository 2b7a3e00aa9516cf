import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  COMPLAINT_DEADLINE_JOB,
  COMPLAINT_WITNESS_TYPE,
  type ComplaintsDb,
  type Tx,
  witness,
} from './context.ts';
import { CITATIONS } from './rules.ts';
import { isOpen } from './states.ts';
import * as store from './store.ts';

/**
 * Every clock of a complaint has its due moment stored on the row; a job is due just after each one and
 * flags what is then overdue (witnessed). Called in the transaction that set or moved a due moment; the
 * dedupe key carries the moment, so a moved deadline gets a job of its own and an unchanged one is not
 * enqueued twice.
 */
export async function scheduleDeadlineChecks(tx: Tx, row: store.ComplaintRow, now: Date): Promise<void> {
  const dues = [
    row.acceptance_due_at,
    row.correction_due_at,
    row.copies_due_at,
    row.explanation_due_at,
    row.decision_due_at,
  ];
  for (const due of dues) {
    if (!due || due.getTime() < now.getTime()) continue;
    await enqueueJob(tx, {
      type: COMPLAINT_DEADLINE_JOB,
      payload: { complaintId: row.id },
      runAt: new Date(due.getTime() + 1),
      dedupeKey: `${COMPLAINT_DEADLINE_JOB}:${row.id}:${due.toISOString()}`,
    });
  }
}

/**
 * The deadline job: flags each clock of the complaint that has run out without its step — acceptance
 * (工程 3 个工作日 / 政府采购 5 个工作日 review), the 补正 period, copies to the respondent (8 个工作日), the
 * respondent's explanation (5 个工作日), and the decision (30 个工作日, excluded time added). A clock that is
 * standing still (补正中, 检验检测鉴定专家评审中) is not overdue. Idempotent: each flag is set once.
 */
export async function checkComplaintDeadlines(
  db: Kysely<ComplaintsDb>,
  clock: Clock,
  complaintId: string,
): Promise<void> {
  const now = clock.now();
  await db.transaction().execute(async (tx) => {
    const row = await store.lockComplaint(tx, complaintId);
    if (!row || !isOpen(row.status)) return;
    const gp = row.law === 'gp';
    const flag = async (action: string, dueAt: Date, citation: string) =>
      witness(tx, now, SYSTEM_ORIGIN, COMPLAINT_WITNESS_TYPE, row.id, action, {
        code: row.code,
        lotId: row.lot_id,
        dueAt: dueAt.toISOString(),
        citation,
      });
    const changes: Parameters<typeof store.updateComplaint>[2] = {};
    if (
      row.status === 'received' &&
      !row.acceptance_overdue_at &&
      now.getTime() > row.acceptance_due_at.getTime()
    ) {
      changes.acceptance_overdue_at = now;
      await flag(
        'complaint.acceptance-overdue',
        row.acceptance_due_at,
        gp ? CITATIONS.gpReview : CITATIONS.worksAcceptance,
      );
    }
    if (
      row.status === 'correction' &&
      row.correction_due_at &&
      !row.correction_lapsed_at &&
      now.getTime() > row.correction_due_at.getTime()
    ) {
      changes.correction_lapsed_at = now;
      await flag('complaint.correction-lapsed', row.correction_due_at, CITATIONS.gpReview);
    }
    if (
      row.status !== 'correction' &&
      row.copies_due_at &&
      !row.copies_sent_at &&
      !row.copies_overdue_at &&
      now.getTime() > row.copies_due_at.getTime()
    ) {
      changes.copies_overdue_at = now;
      await flag('complaint.copies-overdue', row.copies_due_at, CITATIONS.gpReview);
    }
    if (
      row.explanation_due_at &&
      !row.explanation_at &&
      !row.explanation_overdue_at &&
      now.getTime() > row.explanation_due_at.getTime()
    ) {
      changes.explanation_overdue_at = now;
      await flag('complaint.explanation-overdue', row.explanation_due_at, CITATIONS.gpExplanation);
    }
    if (
      row.decision_due_at &&
      row.status !== 'paused' &&
      row.status !== 'correction' &&
      !row.decision_overdue_at &&
      now.getTime() > row.decision_due_at.getTime()
    ) {
      changes.decision_overdue_at = now;
      await flag(
        'complaint.decision-overdue',
        row.decision_due_at,
        gp ? CITATIONS.gpDecision : CITATIONS.worksDecision,
      );
    }
    if (Object.keys(changes).length > 0)
      await store.updateComplaint(tx, row.id, { ...changes, updated_at: now });
  });
}

/** The hourly safety net: every open complaint with a clock past due and not yet flagged is checked. */
export async function sweepOverdueComplaints(db: Kysely<ComplaintsDb>, clock: Clock): Promise<number> {
  const due = await store.listOpenComplaintsPastDue(db, clock.now());
  for (const { id } of due) await checkComplaintDeadlines(db, clock, id);
  return due.length;
}
