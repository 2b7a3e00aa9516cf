import { randomUUID } from 'node:crypto';
import {
  type CalendarDate,
  compareDates,
  endOfShanghaiDay,
  formatShanghaiTime,
  shanghaiDateOf,
  shiftDate,
} from '../../platform/clock/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { scheduleDeadlineChecks } from './clocks.ts';
import {
  COMPLAINT_WITNESS_TYPE,
  type ComplaintsContext,
  suspensionCause,
  type Tx,
  witness,
} from './context.ts';
import { assertInScope, readOpeningOutcome, resumeLot, suspendLot, suspensionInForce } from './deps.ts';
import { endOpenPause, liftOwnSuspension } from './filing.ts';
import { deliver } from './notices.ts';
import {
  afterWorkingDays,
  CITATIONS,
  decisionDueAt,
  GP_EXPLANATION_WORKING_DAYS,
  GP_MAX_SUSPENSION_DAYS,
  gpSuspensionEnd,
  NOT_ACCEPTED_NAMES_ZH,
  notAcceptedCitation,
  OUTCOME_NAMES_ZH,
  OUTCOMES_OF_LAW,
  outcomeCitation,
  PAUSE_REASON_NAMES_ZH,
} from './rules.ts';
import type { DecideInput, PauseInput, RefuseInput, SuspendInput } from './schemas.ts';
import { assertCan, type ComplaintStep } from './states.ts';
import * as store from './store.ts';
import type { NotAcceptedReason, Outcome, Party } from './tables.ts';
import { toComplaintView } from './views.ts';

/**
 * The handling department's acts on a complaint (受理、补正、送达、调查、中止计时、暂停、决定). Every act is
 * by a supervisor whose scope (行业 × 地域) covers the complaint's lot — `assertInScope` refuses any other —
 * and commits with its witness event, its written notices and its deadline jobs.
 */

function notFound(): NotFound {
  return new NotFound('COMPLAINT_NOT_FOUND', { title: '投诉不存在' });
}

async function requireInScope(ctx: ComplaintsContext, complaintId: string) {
  const row = await store.findComplaint(ctx.db, complaintId);
  if (!row) throw notFound();
  await assertInScope(ctx.db, ctx.actor, {
    regionCode: row.region_code,
    catalogItemCode: row.catalog_item_code,
    label: `投诉 ${row.code}（${row.project_name}）`,
  });
  return row;
}

/** Runs one act: scope, state, then a transaction on the locked row; returns the department's view. */
async function act(
  ctx: ComplaintsContext,
  complaintId: string,
  step: ComplaintStep,
  apply: (tx: Tx, row: store.ComplaintRow, now: Date) => Promise<store.ComplaintRow>,
) {
  const before = await requireInScope(ctx, complaintId);
  assertCan(before.status, step);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.lockComplaint(tx, complaintId);
    if (!row) throw notFound();
    assertCan(row.status, step);
    const updated = await apply(tx, row, now);
    await scheduleDeadlineChecks(tx, updated, now);
    return toComplaintView(tx, updated, 'supervisor', now);
  });
}

const by = (ctx: ComplaintsContext) => ctx.actor?.accountId ?? null;

/**
 * 受理. 工程: the decision clock (30 个工作日) starts now (条例第六十一条); 政府采购: a compliant 投诉书 is
 * accepted as of its receipt (94号令第二十一条), its clocks already running. A late acceptance stays flagged.
 */
export function acceptComplaint(ctx: ComplaintsContext, complaintId: string) {
  return act(ctx, complaintId, 'accept', async (tx, row, now) => {
    const late = now.getTime() > row.acceptance_due_at.getTime();
    const updated = await store.updateComplaint(tx, row.id, {
      status: 'accepted',
      accepted_at: now,
      acceptance_overdue_at: late ? (row.acceptance_overdue_at ?? now) : row.acceptance_overdue_at,
      decision_due_at:
        row.law === 'works'
          ? decisionDueAt(
              'works',
              { receivedAt: row.received_at, acceptedAt: now },
              row.excluded_working_days,
            )
          : row.decision_due_at,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.accepted', {
      late,
      acceptanceDueAt: row.acceptance_due_at.toISOString(),
      decisionDueAt: updated.decision_due_at?.toISOString() ?? null,
      citation: row.law === 'works' ? CITATIONS.worksAcceptance : CITATIONS.gpReview,
    });
    await deliver(tx, updated, {
      kind: 'accepted',
      to: ['complainant'],
      body: `${row.department}决定受理您的投诉（${row.code}），将于 ${formatShanghaiTime(updated.decision_due_at!)} 前作出书面处理决定；检验、检测、鉴定、专家评审${row.law === 'gp' ? '、补正' : ''}所需时间不计算在内。`,
      at: now,
      by: by(ctx),
    });
    return updated;
  });
}

/**
 * 不予受理, with the ground and its article, in writing to the complainant (11号令第十二条; 94号令第二十一条).
 * Not published (94号令; 财政部令第101号). A suspension this complaint ordered ends with it.
 */
export function refuseComplaint(ctx: ComplaintsContext, complaintId: string, input: RefuseInput) {
  return act(ctx, complaintId, 'refuse', async (tx, row, now) => {
    const reason: NotAcceptedReason = input.reason;
    if (reason === 'correction-not-made' && !row.correction_requested_at) {
      throw new RuleViolation('NO_CORRECTION_REQUESTED', {
        title: '未通知补正，不能以逾期未补正为由不予受理',
        citation: CITATIONS.gpReview,
      });
    }
    await endOpenPause(tx, row.id, now, by(ctx));
    const citation = notAcceptedCitation(row.law, reason);
    const updated = await store.updateComplaint(tx, row.id, {
      status: 'not-accepted',
      not_accepted_at: now,
      not_accepted_reason: reason,
      not_accepted_text: input.text,
      not_accepted_citation: citation,
      closed_at: now,
      updated_at: now,
    });
    const lifted = await liftOwnSuspension(ctx, tx, updated, now);
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.not-accepted', {
      reason,
      late: now.getTime() > row.acceptance_due_at.getTime(),
      procedureResumed: lifted,
      citation,
    });
    await deliver(tx, updated, {
      kind: 'not-accepted',
      to: lifted ? ['complainant', 'respondents'] : ['complainant'],
      body: `${row.department}对您的投诉（${row.code}）不予受理。理由：${NOT_ACCEPTED_NAMES_ZH[reason]}。${input.text}（依据：${citation}）${lifted ? '暂停的招标投标（采购）活动同时恢复。' : ''}`,
      at: now,
      by: by(ctx),
    });
    return updated;
  });
}

/**
 * 补正 (政府采购, 94号令第二十一条): once, in writing, within 5 个工作日 of receipt, naming what to correct and
 * a reasonable period. The clocks stand still meanwhile (第二十七条).
 */
export function requestCorrection(
  ctx: ComplaintsContext,
  complaintId: string,
  input: { items: string; dueOn: string },
) {
  return act(ctx, complaintId, 'request-correction', async (tx, row, now) => {
    if (row.law !== 'gp') {
      throw new RuleViolation('CORRECTION_GP_ONLY', {
        title: '补正程序适用于政府采购投诉',
        detail: '工程建设项目投诉材料不全的，依照《工程建设项目招标投标活动投诉处理办法》第十二条处理。',
        citation: CITATIONS.worksNotAccepted,
      });
    }
    if (row.correction_requested_at) {
      throw new RuleViolation('CORRECTION_ONCE', {
        title: '补正通知只能发出一次',
        detail: `已于 ${formatShanghaiTime(row.correction_requested_at)} 一次性通知补正。`,
        citation: CITATIONS.gpReview,
      });
    }
    if (now.getTime() > row.acceptance_due_at.getTime()) {
      throw new RuleViolation('CORRECTION_NOTICE_LATE', {
        title: '已超过通知补正的期限',
        detail: `应当在收到投诉书5个工作日内（${formatShanghaiTime(row.acceptance_due_at)} 前）一次性书面通知补正。`,
        citation: CITATIONS.gpReview,
      });
    }
    if (compareDates(input.dueOn as CalendarDate, shanghaiDateOf(now)) <= 0) {
      throw new InvalidInput('CORRECTION_DUE_PASSED', {
        title: '补正期限应晚于今天',
        extensions: { field: 'dueOn' },
      });
    }
    const dueAt = endOfShanghaiDay(input.dueOn as CalendarDate);
    await store.insertPause(tx, {
      id: randomUUID(),
      complaint_id: row.id,
      reason: 'correction',
      note: input.items,
      started_at: now,
      ended_at: null,
      excluded_working_days: null,
      started_by: by(ctx),
      ended_by: null,
    });
    const updated = await store.updateComplaint(tx, row.id, {
      status: 'correction',
      correction_requested_at: now,
      correction_items: input.items,
      correction_due_at: dueAt,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.correction-requested', {
      items: input.items,
      dueAt: dueAt.toISOString(),
      citation: CITATIONS.gpReview,
    });
    await deliver(tx, updated, {
      kind: 'correction',
      to: ['complainant'],
      body: `您的投诉书（${row.code}）需要补正：${input.items}。请于 ${formatShanghaiTime(dueAt)} 前补正；未按期补正或者补正后仍不符合规定的，不予受理（${CITATIONS.gpReview}）。补正期间不计入处理期限。`,
      at: now,
      by: by(ctx),
    });
    return updated;
  });
}

/** Bidders of the lot the department may name as related parties (与投诉事项有关的供应商): its opened bids. */
export async function listRelatedCandidates(ctx: ComplaintsContext, complaintId: string) {
  const row = await requireInScope(ctx, complaintId);
  const opening = await readOpeningOutcome(ctx.db, row.lot_id);
  return (opening?.entries ?? [])
    .filter((e) => e.organizationId !== row.complainant_organization_id)
    .map((e) => ({ organizationId: e.organizationId, name: e.bidderName }));
}

/**
 * 投诉答复通知书及投诉书副本 to the respondents and the related parties (政府采购: within 8 个工作日 of
 * receipt, 94号令第二十一条); 政府采购 respondents then explain within 5 个工作日 (第二十二条).
 */
export async function sendCopies(
  ctx: ComplaintsContext,
  complaintId: string,
  relatedOrganizationIds: string[],
) {
  const candidates = await listRelatedCandidates(ctx, complaintId);
  const related: Party[] = [];
  for (const id of [...new Set(relatedOrganizationIds)]) {
    const found = candidates.find((c) => c.organizationId === id);
    if (!found) {
      throw new InvalidInput('RELATED_PARTY_UNKNOWN', {
        title: '所选当事人不是该标段（包）的投标人（供应商）',
        extensions: { field: 'relatedOrganizationIds' },
      });
    }
    related.push({ organizationId: id, role: 'related', name: found.name });
  }
  return act(ctx, complaintId, 'send-copies', async (tx, row, now) => {
    if (row.copies_sent_at) {
      throw new RuleViolation('COPIES_ALREADY_SENT', {
        title: '投诉书副本已发送',
        detail: `已于 ${formatShanghaiTime(row.copies_sent_at)} 发送。`,
      });
    }
    const gp = row.law === 'gp';
    const late = row.copies_due_at !== null && now.getTime() > row.copies_due_at.getTime();
    const explanationDue = gp ? afterWorkingDays(now, GP_EXPLANATION_WORKING_DAYS) : null;
    const updated = await store.updateComplaint(tx, row.id, {
      copies_sent_at: now,
      copies_overdue_at: late ? (row.copies_overdue_at ?? now) : row.copies_overdue_at,
      related: JSON.stringify(related),
      explanation_due_at: explanationDue,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.copies-sent', {
      respondents: row.respondents.map((p) => p.organizationId),
      related: related.map((p) => p.organizationId),
      late,
      explanationDueAt: explanationDue?.toISOString() ?? null,
      citation: gp ? CITATIONS.gpReview : CITATIONS.worksDecisionContent,
    });
    await deliver(tx, updated, {
      kind: 'copy',
      to: ['respondents', 'related'],
      body: gp
        ? `${row.department}已受理${row.complainant_name}的投诉（${row.code}），现将投诉书副本送达。请于 ${formatShanghaiTime(explanationDue!)} 前以书面形式作出说明，并提交相关证据、依据和其他有关材料（${CITATIONS.gpExplanation}）。`
        : `${row.department}已受理${row.complainant_name}的投诉（${row.code}），现将投诉书副本送达，请就投诉事项作出书面说明并提交相关证据。`,
      at: now,
      by: by(ctx),
    });
    return updated;
  });
}

/** 中止计时: 检验、检测、鉴定、专家评审 time is not counted (条例第六十一条; 94号令第二十七条). */
export function pauseClock(ctx: ComplaintsContext, complaintId: string, input: PauseInput) {
  return act(ctx, complaintId, 'pause', async (tx, row, now) => {
    await store.insertPause(tx, {
      id: randomUUID(),
      complaint_id: row.id,
      reason: input.reason,
      note: input.note,
      started_at: now,
      ended_at: null,
      excluded_working_days: null,
      started_by: by(ctx),
      ended_by: null,
    });
    const updated = await store.updateComplaint(tx, row.id, { status: 'paused', updated_at: now });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.clock-paused', {
      reason: input.reason,
      reasonName: PAUSE_REASON_NAMES_ZH[input.reason],
      note: input.note,
      citation: row.law === 'gp' ? CITATIONS.gpDecision : CITATIONS.worksDecision,
    });
    return updated;
  });
}

/** 恢复计时: the working days the pause took are added to the decision period. */
export function resumeClock(ctx: ComplaintsContext, complaintId: string) {
  return act(ctx, complaintId, 'resume', async (tx, row, now) => {
    const excluded = await endOpenPause(tx, row.id, now, by(ctx));
    const total = row.excluded_working_days + excluded;
    const updated = await store.updateComplaint(tx, row.id, {
      status: 'accepted',
      excluded_working_days: total,
      decision_due_at: decisionDueAt(
        row.law,
        { receivedAt: row.received_at, acceptedAt: row.accepted_at },
        total,
      ),
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.clock-resumed', {
      excludedWorkingDays: excluded,
      totalExcludedWorkingDays: total,
      decisionDueAt: updated.decision_due_at?.toISOString() ?? null,
    });
    return updated;
  });
}

/**
 * 暂停招标投标（采购）活动 (条例第六十二条; 94号令第二十八条: 最长不得超过30日). The lot's procedure stops:
 * its jobs wait and its steps are refused (trading/procedures) until the department resumes it, the period
 * ends, or the handling closes.
 */
export function suspendProcedure(ctx: ComplaintsContext, complaintId: string, input: SuspendInput) {
  return act(ctx, complaintId, 'suspend', async (tx, row, now) => {
    const gp = row.law === 'gp';
    if (gp && input.days !== null && input.days > GP_MAX_SUSPENSION_DAYS) {
      throw new RuleViolation('SUSPENSION_TOO_LONG', {
        title: `暂停采购活动最长不得超过${GP_MAX_SUSPENSION_DAYS}日`,
        detail: `请求暂停 ${input.days} 日。`,
        citation: CITATIONS.gpSuspension,
        extensions: { field: 'days' },
      });
    }
    const days = gp ? (input.days ?? GP_MAX_SUSPENSION_DAYS) : input.days;
    const until =
      days === null
        ? null
        : gp
          ? gpSuspensionEnd(now, days)
          : endOfShanghaiDay(shiftDate(shanghaiDateOf(now), days));
    const citation = gp ? CITATIONS.gpSuspension : CITATIONS.worksSuspension;
    const suspension = await suspendLot(tx, now, ctx.origin, {
      lotId: row.lot_id,
      cause: suspensionCause(row.id),
      reason: `处理投诉（${row.code}）：${input.reason}`,
      citation,
      until,
    });
    const updated = await store.updateComplaint(tx, row.id, { updated_at: now });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.procedure-suspended', {
      lotId: row.lot_id,
      suspensionId: suspension.id,
      until: until?.toISOString() ?? null,
      reason: input.reason,
      citation,
    });
    await deliver(tx, updated, {
      kind: 'suspension',
      to: ['complainant', 'respondents'],
      body: `因处理投诉（${row.code}），${row.department}决定暂停${row.project_name}${row.lot_name}（${row.lot_code}）的${gp ? '采购' : '招标投标'}活动${until ? `，至 ${formatShanghaiTime(until)} 止` : '，直至书面通知恢复'}。理由：${input.reason}（${citation}）。暂停期间不得进行后续程序。`,
      at: now,
      by: by(ctx),
    });
    return updated;
  });
}

/** 恢复 the lot's procedure this complaint suspended (written notice). */
export function resumeProcedure(ctx: ComplaintsContext, complaintId: string) {
  return act(ctx, complaintId, 'suspend', async (tx, row, now) => {
    const s = await suspensionInForce(tx, row.lot_id, now);
    if (!s || s.cause !== suspensionCause(row.id)) {
      throw new RuleViolation('NOT_SUSPENDED', {
        title: '该标段没有因本投诉暂停',
        detail: '只能恢复由本投诉作出且仍在暂停期内的暂停。',
      });
    }
    await resumeLot(tx, now, ctx.origin, { lotId: row.lot_id, cause: suspensionCause(row.id) });
    const updated = await store.updateComplaint(tx, row.id, { updated_at: now });
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.procedure-resumed', {
      lotId: row.lot_id,
      suspensionId: s.id,
      reason: 'ordered',
    });
    await deliver(tx, updated, {
      kind: 'resumption',
      to: ['complainant', 'respondents'],
      body: `${row.department}通知：${row.project_name}${row.lot_name}（${row.lot_code}）因投诉（${row.code}）暂停的活动自 ${formatShanghaiTime(now)} 起恢复。`,
      at: now,
      by: by(ctx),
    });
    return updated;
  });
}

/**
 * 工程 withdrawal after acceptance (11号令第十八条): granted, the case closes and the same facts cannot be
 * filed again; refused when a violation is already established, and the investigation goes on.
 */
export function decideWithdrawal(
  ctx: ComplaintsContext,
  complaintId: string,
  input: { grant: boolean; reason: string | null },
) {
  return act(ctx, complaintId, 'decide-withdrawal', async (tx, row, now) => {
    if (row.law !== 'works' || !row.withdrawal_requested_at || row.withdrawal_decision !== null) {
      throw new RuleViolation('NO_WITHDRAWAL_REQUEST', { title: '没有待审查的撤回申请' });
    }
    if (!input.grant && !input.reason) {
      throw new InvalidInput('REFUSAL_REASON_REQUIRED', {
        title: '不予准许撤回的，应当说明理由',
        detail: '如：已经查实有明显违法行为，调查处理继续进行。',
        citation: CITATIONS.worksWithdrawal,
        extensions: { field: 'reason' },
      });
    }
    if (!input.grant) {
      const updated = await store.updateComplaint(tx, row.id, {
        withdrawal_decision: 'refused',
        withdrawal_decided_at: now,
        withdrawal_refusal_reason: input.reason,
        updated_at: now,
      });
      await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.withdrawal-refused', {
        reason: input.reason,
        citation: CITATIONS.worksWithdrawal,
      });
      await deliver(tx, updated, {
        kind: 'withdrawal-refused',
        to: ['complainant'],
        body: `您撤回投诉（${row.code}）的申请不予准许：${input.reason}。调查处理继续进行（${CITATIONS.worksWithdrawal}）。`,
        at: now,
        by: by(ctx),
      });
      return updated;
    }
    await endOpenPause(tx, row.id, now, by(ctx));
    const updated = await store.updateComplaint(tx, row.id, {
      status: 'withdrawn',
      withdrawal_decision: 'granted',
      withdrawal_decided_at: now,
      closed_at: now,
      updated_at: now,
    });
    const lifted = await liftOwnSuspension(ctx, tx, updated, now);
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.withdrawn', {
      reason: row.withdrawal_reason,
      granted: true,
      procedureResumed: lifted,
      citation: CITATIONS.worksWithdrawal,
    });
    await deliver(tx, updated, {
      kind: 'withdrawal-granted',
      to: ['complainant', 'respondents', 'related'],
      body: `准予撤回投诉（${row.code}），本案终结；投诉人不得以同一事实和理由再提出投诉（${CITATIONS.worksWithdrawal}）。${lifted ? '暂停的招标投标活动同时恢复。' : ''}`,
      at: now,
      by: by(ctx),
    });
    return updated;
  });
}

/**
 * 投诉处理决定, in writing, to the complainant, the respondents and the related parties; published on the
 * portal. 工程: 驳回 or 成立 with its handling (条例第六十一条). 政府采购: 驳回 (第二十九条) or the outcomes of
 * 第三十一条 (采购文件) / 第三十二条 (采购过程、结果 — only these allow another qualified candidate). A decision
 * after its due moment is allowed and stays flagged.
 */
export async function decideComplaint(ctx: ComplaintsContext, complaintId: string, input: DecideInput) {
  return act(ctx, complaintId, 'decide', async (tx, row, now) => {
    const outcome: Outcome = input.outcome;
    if (!OUTCOMES_OF_LAW[row.law].includes(outcome)) {
      throw new InvalidInput('OUTCOME_NOT_FOR_LAW', {
        title: '该处理结果不适用于本类投诉',
        detail: `“${OUTCOME_NAMES_ZH[outcome]}”不适用于${row.law === 'gp' ? '政府采购' : '工程建设项目'}投诉。`,
        extensions: { field: 'outcome' },
      });
    }
    const stages = row.items.map((i) => i.stage);
    if (row.law === 'gp' && outcome === 'founded-other-candidate' && stages.every((s) => s === 'documents')) {
      throw new RuleViolation('OUTCOME_NOT_FOR_DOCUMENTS', {
        title: '对采购文件的投诉不能另行确定中标（成交）供应商',
        detail: '投诉事项针对采购文件的，依照第三十一条处理：重新开展采购活动、认定结果无效或者撤销合同。',
        citation: CITATIONS.gpDocumentsOutcome,
      });
    }
    if (row.withdrawal_requested_at && row.withdrawal_decision === null) {
      throw new RuleViolation('WITHDRAWAL_PENDING', {
        title: '请先决定是否准予撤回投诉',
        citation: CITATIONS.worksWithdrawal,
      });
    }
    if (row.law === 'gp') {
      if (!row.copies_sent_at) {
        throw new RuleViolation('COPIES_NOT_SENT', {
          title: '尚未向被投诉人发送投诉书副本',
          detail:
            '财政部门应当将投诉书副本发送被投诉人和与投诉事项有关的供应商，听取其书面说明后作出处理决定。',
          citation: CITATIONS.gpReview,
        });
      }
      if (
        !row.explanation_at &&
        row.explanation_due_at &&
        now.getTime() <= row.explanation_due_at.getTime()
      ) {
        throw new RuleViolation('EXPLANATION_PERIOD_RUNNING', {
          title: '被投诉人书面说明期限尚未届满',
          detail: `被投诉人应于 ${formatShanghaiTime(row.explanation_due_at)} 前作出书面说明。`,
          citation: CITATIONS.gpExplanation,
        });
      }
    }
    const late = row.decision_due_at !== null && now.getTime() > row.decision_due_at.getTime();
    const citation = outcomeCitation(row.law, outcome, stages);
    const updated = await store.updateComplaint(tx, row.id, {
      status: 'decided',
      decided_at: now,
      outcome,
      decision_reasoning: input.reasoning,
      decision_handling: input.handling,
      decision_legal_basis: input.legalBasis,
      decision_citation: citation,
      decision_late: late,
      decision_overdue_at: late ? (row.decision_overdue_at ?? now) : row.decision_overdue_at,
      closed_at: now,
      updated_at: now,
    });
    const lifted = await liftOwnSuspension(ctx, tx, updated, now);
    await witness(tx, now, ctx.origin, COMPLAINT_WITNESS_TYPE, row.id, 'complaint.decided', {
      outcome,
      late,
      decisionDueAt: row.decision_due_at?.toISOString() ?? null,
      procedureResumed: lifted,
      published: true,
      citation,
    });
    await deliver(tx, updated, {
      kind: 'decision',
      to: ['complainant', 'respondents', 'related'],
      body: [
        `投诉人：${row.complainant_name}`,
        `被投诉人：${row.respondents.map((p) => p.name).join('、')}`,
        `处理结果：${OUTCOME_NAMES_ZH[outcome]}`,
        `认定的事实和理由：${input.reasoning}`,
        ...(input.handling ? [`处理意见：${input.handling}`] : []),
        `法律依据：${input.legalBasis}（${citation}）`,
        `作出决定的部门：${row.department}，${formatShanghaiTime(now)}`,
        '对本决定不服的，可以依法申请行政复议或者提起行政诉讼。',
      ].join('\n'),
      at: now,
      by: by(ctx),
    });
    return updated;
  });
}
