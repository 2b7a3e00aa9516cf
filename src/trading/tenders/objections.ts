import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { NotFound, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  CITATIONS,
  notifyOrganizations,
  OBJECTION_OVERDUE_JOB,
  TENDER_WITNESS_TYPE,
  type TendersContext,
  type TendersDb,
  TIMELINE_TICK_JOB,
  witness,
} from './context.ts';
import { assertMayActForLot, type LotSummary, objectionAnswerDue, objectionWindow } from './deps.ts';
import { applyClarification, prepareClarification } from './documents.ts';
import { assertInvited } from './invitations.ts';
import { assertRegisteredResponder, requireSignedIn } from './policy.ts';
import type { ObjectionAnswerInput } from './schemas.ts';
import * as store from './store.ts';

function objectionNotFound(): NotFound {
  return new NotFound('OBJECTION_NOT_FOUND', { title: '异议不存在' });
}

/**
 * 对招标文件提出异议 (条例第二十二条): by a potential bidder that obtained the documents, within the
 * window (工程: until 10 日 before the deadline). While any objection is unanswered the procedure is
 * suspended: the deadline jobs do not advance the timeline and downloads pause.
 */
export async function fileObjection(ctx: TendersContext, lotId: string, input: { content: string }) {
  const { actor, organizationId, entity } = await assertRegisteredResponder(ctx.db, ctx.actor);
  const timeline = await store.findTimeline(ctx.db, lotId);
  if (!timeline) throw new NotFound('TENDER_NOT_ANNOUNCED', { title: '尚未发布招标（采购）公告' });
  await assertInvited(ctx.db, timeline, organizationId);
  const type = timeline.procedure_type as LotSummary['procedureType'];
  const rulesAsOf = timeline.rules_as_of as LotSummary['rulesAsOf'];
  const downloads = (await store.listDownloads(ctx.db, lotId)).filter(
    (d) => d.organization_id === organizationId,
  );
  const firstDownload = downloads[0];
  if (!firstDownload) {
    throw new RuleViolation('OBJECTION_REQUIRES_DOCUMENTS', {
      title: '未获取招标文件，不能对招标文件提出异议',
      detail: '对招标文件的异议由已获取招标文件的潜在投标人提出。',
      citation: CITATIONS.objection,
    });
  }
  const now = ctx.clock.now();
  const window = objectionWindow(
    type,
    {
      bidDeadline: timeline.bid_deadline,
      documentsObtainedAt: firstDownload.downloaded_at,
      documentsUntil: timeline.documents_until,
    },
    rulesAsOf,
  );
  if (!window || timeline.status === 'terminated' || now > window.until) {
    throw new RuleViolation('OBJECTION_OUT_OF_WINDOW', {
      title: '已超过对招标文件提出异议的期限',
      detail: window
        ? `${window.nameZh}应在 ${formatShanghaiTime(window.until)} 前提出，当前时间为 ${formatShanghaiTime(now)}。`
        : '该交易方式不适用对招标文件的异议程序。',
      citation: window?.citation ?? CITATIONS.objection,
    });
  }
  const answerDueAt = objectionAnswerDue(window, now);
  const initiatorOrganizationId = await initiatorOrganizationOf(ctx, lotId);
  return ctx.db.transaction().execute(async (tx) => {
    const locked = await store.lockTimeline(tx, lotId);
    if (!locked) throw new NotFound('TENDER_NOT_ANNOUNCED', { title: '尚未发布招标（采购）公告' });
    const row = await store.insertObjection(tx, {
      id: randomUUID(),
      lot_id: lotId,
      organization_id: organizationId,
      organization_name: entity.name,
      account_id: actor.accountId,
      content: input.content,
      filed_at: now,
      answer_due_at: answerDueAt,
      status: 'pending',
      answer: null,
      answered_at: null,
      answered_by: null,
      changes_documents: false,
      clarification_id: null,
      overdue_flagged_at: null,
    });
    if (window.suspendsProcedure && !locked.suspended) {
      await store.updateTimeline(tx, lotId, { suspended: true, updated_at: now });
      await witness(tx, now, ctx.origin, TENDER_WITNESS_TYPE, lotId, 'tender.suspended', {
        objectionId: row.id,
        citation: window.citation,
      });
    }
    await enqueueJob(tx, {
      type: OBJECTION_OVERDUE_JOB,
      payload: { objectionId: row.id },
      runAt: new Date(answerDueAt.getTime() + 1),
      dedupeKey: `${OBJECTION_OVERDUE_JOB}:${row.id}`,
    });
    await notifyOrganizations(tx, now, ctx.origin, {
      lotId,
      organizationIds: initiatorOrganizationId ? [initiatorOrganizationId] : [],
      kind: 'objection-filed',
      title: '收到对招标文件的异议',
      body: `请于 ${formatShanghaiTime(answerDueAt)} 前答复；答复前招标投标活动暂停。`,
      referenceId: row.id,
    });
    await witness(tx, now, ctx.origin, 'tender-objection', row.id, 'tender.objection-filed', {
      lotId,
      answerDueAt,
    });
    return row;
  });
}

async function initiatorOrganizationOf(ctx: TendersContext, lotId: string): Promise<string | null> {
  const announcement = (await store.listAnnouncementsOfLot(ctx.db, lotId))[0];
  return announcement?.initiator_organization_id ?? null;
}

/**
 * 答复异议: the initiator or its agency answers (within 3 日). When no objection is left unanswered the
 * suspension is lifted and the deadline job runs at once. An answer that changes the documents goes
 * through a clarification in the same transaction (deadline re-computed, bidders notified).
 */
export async function answerObjection(
  ctx: TendersContext,
  lotId: string,
  objectionId: string,
  input: ObjectionAnswerInput,
) {
  const actor = requireSignedIn(ctx.actor);
  await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  const prepared = input.clarification ? await prepareClarification(ctx, lotId, input.clarification) : null;
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const objection = await store.lockObjection(tx, objectionId);
    if (!objection || objection.lot_id !== lotId) throw objectionNotFound();
    if (objection.status !== 'pending') {
      throw new RuleViolation('OBJECTION_ALREADY_ANSWERED', { title: '该异议已答复' });
    }
    const clarification =
      prepared && input.clarification
        ? await applyClarification(tx, prepared, input.clarification, now, ctx.origin, objectionId)
        : null;
    const answered = await store.updateObjection(tx, objectionId, {
      status: 'answered',
      answer: input.answer,
      answered_at: now,
      answered_by: actor.accountId,
      changes_documents: clarification !== null,
      clarification_id: clarification?.id ?? null,
    });
    await notifyOrganizations(tx, now, ctx.origin, {
      lotId,
      organizationIds: [objection.organization_id],
      kind: 'objection-answered',
      title: '您对招标文件的异议已答复',
      body: input.answer,
      referenceId: objectionId,
    });
    await witness(tx, now, ctx.origin, 'tender-objection', objectionId, 'tender.objection-answered', {
      lotId,
      changesDocuments: clarification !== null,
      clarificationId: clarification?.id ?? null,
      late: now > objection.answer_due_at,
    });
    const pending = await store.countPendingObjections(tx, lotId);
    const timeline = await store.lockTimeline(tx, lotId);
    if (pending === 0 && timeline?.suspended) {
      await store.updateTimeline(tx, lotId, { suspended: false, updated_at: now });
      await witness(tx, now, ctx.origin, TENDER_WITNESS_TYPE, lotId, 'tender.resumed', { objectionId });
      // Deadlines passed during the suspension take effect now.
      await enqueueJob(tx, {
        type: TIMELINE_TICK_JOB,
        payload: { lotId },
        dedupeKey: `${TIMELINE_TICK_JOB}:${lotId}:resumed:${objectionId}`,
      });
    }
    return answered;
  });
}

/** Objections of a lot: all of them for the initiator/agency, its own for a bidder. */
export async function listObjections(ctx: TendersContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  if (actor.roles.includes('responder') && !actor.roles.some((r) => r === 'initiator' || r === 'agency')) {
    const { organizationId } = await assertRegisteredResponder(ctx.db, actor);
    return store.listObjections(ctx.db, lotId, organizationId);
  }
  await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  return store.listObjections(ctx.db, lotId);
}

/**
 * The overdue job: an objection still unanswered after its 3 日 is flagged (witnessed, the initiator
 * reminded). Idempotent — flagged once, answered ones ignored.
 */
export async function flagOverdueObjection(db: Kysely<TendersDb>, clock: Clock, objectionId: string) {
  const now = clock.now();
  await db.transaction().execute(async (tx) => {
    const objection = await store.lockObjection(tx, objectionId);
    if (objection?.status !== 'pending' || objection.overdue_flagged_at) return;
    if (now <= objection.answer_due_at) return;
    await store.updateObjection(tx, objectionId, { overdue_flagged_at: now });
    const first = (await store.listAnnouncementsOfLot(tx, objection.lot_id))[0];
    if (first) {
      await notifyOrganizations(tx, now, SYSTEM_ORIGIN, {
        lotId: objection.lot_id,
        organizationIds: [first.initiator_organization_id],
        kind: 'objection-overdue',
        title: '异议答复已逾期',
        body: `对招标文件的异议应于 ${formatShanghaiTime(objection.answer_due_at)} 前答复，目前仍未答复；招标投标活动继续暂停。`,
        referenceId: objectionId,
      });
    }
    await witness(tx, now, SYSTEM_ORIGIN, 'tender-objection', objectionId, 'tender.objection-overdue', {
      lotId: objection.lot_id,
      answerDueAt: objection.answer_due_at,
      citation: CITATIONS.objection,
    });
  });
}
