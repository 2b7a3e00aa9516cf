import { clarificationViews } from './clarifications.ts';
import type { EvaluationContext } from './context.ts';
import { findLot, getLotTimeline } from './deps.ts';
import { assertMember, assertOrganiser, isSupervisor, requireSignedIn } from './policy.ts';
import { MEMBER_KIND_NAMES_ZH, reportSigningText, SIGNATURE_KIND_NAMES_ZH } from './report.ts';
import {
  AFTER_AGGREGATION_GROUNDS,
  CORRECTION_RULES,
  METHOD_NAMES_ZH,
  REJECTION_GROUNDS,
  REPORT_SIGNING_MINUTES,
  rejectionCitation,
  STEP_NAMES_ZH,
} from './rules.ts';
import type { AggregationSnapshot } from './scoring.ts';
import {
  abnormalFlags,
  bidsUnderReview,
  correctedPrices,
  type EvaluationState,
  entriesOf,
  isStepComplete,
  loadState,
  stepCriteria,
} from './state.ts';
import * as store from './store.ts';
import type { EvaluationStatus } from './tables.ts';

export const EVALUATION_STATUS_NAMES_ZH: Record<EvaluationStatus | 'unplanned', string> = {
  unplanned: '未设定评标办法',
  planned: '已设定评标办法',
  committee: '评标中',
  aggregated: '已汇总',
  reporting: '评标报告签署中',
  reported: '评标结束',
};

function stepsView(state: EvaluationState) {
  return state.steps.map((step) => {
    const submitted = new Set(state.sheets.filter((s) => s.step === step).map((s) => s.member_id));
    return {
      step,
      nameZh: STEP_NAMES_ZH[step],
      complete: isStepComplete(state, step),
      submitted: state.active.filter((m) => submitted.has(m.id)).length,
      members: state.active.length,
    };
  });
}

function membersView(state: EvaluationState) {
  return state.members.map((m) => ({
    id: m.id,
    seq: m.seq,
    name: m.name,
    kind: m.kind,
    kindNameZh: MEMBER_KIND_NAMES_ZH[m.kind],
    status: m.status,
    replacedReason: m.replaced_reason,
    isChair: state.evaluation.chair_member_id === m.id,
    venueRole: m.venue_role,
    venueName: m.venue_name,
    signedInAt: m.signed_in_at,
    late: m.late,
    declaredAt: m.declared_at,
    hasVoted: m.chair_vote_for !== null,
    leftAt: m.left_at,
    submittedSteps: state.sheets.filter((s) => s.member_id === m.id).map((s) => s.step),
  }));
}

function biddersView(state: EvaluationState) {
  const prices = correctedPrices(state);
  const flags = abnormalFlags(state);
  const under = new Set(bidsUnderReview(state));
  const explicit = new Map(state.rejections.map((r) => [r.bid_id, r]));
  const grounds = REJECTION_GROUNDS[state.law];
  return entriesOf(state).map((e) => {
    const r = explicit.get(e.bidId);
    return {
      bidId: e.bidId,
      seq: e.seq,
      bidderName: e.bidderName,
      creditCode: e.creditCode,
      openedPriceYuan: e.priceYuan,
      priceYuan: prices.get(e.bidId) ?? null,
      abnormallyLow: flags.has(e.bidId),
      underReview: under.has(e.bidId),
      rejection: r
        ? { ground: r.ground, groundNameZh: grounds[r.ground] ?? r.ground, reason: r.reason }
        : null,
    };
  });
}

async function reportView(lotId: string, ctx: EvaluationContext, state: EvaluationState) {
  const report = await store.findReport(ctx.db, lotId);
  if (!report) return null;
  const signatures = await store.listSignatures(ctx.db, report.id);
  return {
    id: report.id,
    sm3: report.sm3,
    signingText: reportSigningText(lotId, report.sm3),
    generatedAt: report.generated_at,
    signingUntil: report.signing_until,
    completedAt: report.completed_at,
    pdfSha256: report.pdf_sha256,
    pdfSm3: report.pdf_sm3,
    pdfSize: report.pdf_size,
    signatures: signatures.map((s) => ({
      memberId: s.member_id,
      name: state.members.find((m) => m.id === s.member_id)?.name ?? '',
      kind: s.kind,
      kindNameZh: SIGNATURE_KIND_NAMES_ZH[s.kind],
      text: s.text,
      certificateFingerprint: s.certificate_fingerprint,
      signedAt: s.signed_at,
    })),
  };
}

/** The reference lists the pages offer (grounds, correction rules, 第六十四条 grounds). */
export function referenceLists(law: 'works' | 'gp') {
  return {
    rejectionGrounds: Object.entries(REJECTION_GROUNDS[law]).map(([code, nameZh]) => ({ code, nameZh })),
    rejectionCitation: rejectionCitation(law),
    correctionRules: CORRECTION_RULES,
    afterAggregationGrounds: Object.entries(AFTER_AGGREGATION_GROUNDS).map(([code, nameZh]) => ({
      code,
      nameZh,
    })),
    methods: Object.entries(METHOD_NAMES_ZH)
      .filter(([code]) => (law === 'works' ? code !== 'lowest-price' : code !== 'lowest-evaluated-price'))
      .map(([code, nameZh]) => ({ code, nameZh })),
  };
}

/** 评标组织 view (initiator, agency, supervisor): plan, committee, progress, clarifications, result, report. */
export async function getOrganiserView(ctx: EvaluationContext, lotId: string) {
  let lot = await findLot(ctx.db, lotId);
  if (!isSupervisor(ctx.actor) || !lot) lot = await assertOrganiser(ctx, lotId);
  const timeline = await getLotTimeline(ctx.db, lotId);
  const now = ctx.clock.now();
  const law = lot.procedureType.endsWith('.gp') ? 'gp' : 'works';
  const base = {
    lotId,
    lotCode: lot.code,
    lotName: lot.name,
    projectName: lot.projectName,
    procedureType: lot.procedureType,
    estimateYuan: lot.estimateYuan,
    catalogItemCode: lot.catalogItemCode,
    bidDeadline: timeline?.bidDeadline ?? null,
    planEditable: !timeline || now < timeline.bidDeadline,
    reference: referenceLists(law),
  };
  const evaluation = await store.findEvaluation(ctx.db, lotId);
  if (!evaluation)
    return {
      ...base,
      status: 'unplanned' as const,
      statusNameZh: EVALUATION_STATUS_NAMES_ZH.unplanned,
      plan: null,
    };
  const state = await loadState(ctx.db, evaluation);
  const formed = evaluation.status !== 'planned';
  return {
    ...base,
    planEditable: base.planEditable && evaluation.status === 'planned',
    status: evaluation.status,
    statusNameZh: EVALUATION_STATUS_NAMES_ZH[evaluation.status],
    method: evaluation.method,
    methodNameZh: METHOD_NAMES_ZH[evaluation.method],
    plan: state.plan,
    planSm3: evaluation.plan_sm3,
    planSetAt: evaluation.plan_set_at,
    evaluationStartsAt: evaluation.evaluation_starts_at,
    committeeFormedAt: evaluation.committee_formed_at,
    chairMemberId: evaluation.chair_member_id,
    members: membersView(state),
    steps: stepsView(state),
    bidders: formed ? biddersView(state) : [],
    priceCorrections: state.corrections.map((c) => ({
      id: c.id,
      bidId: c.bid_id,
      originalYuan: c.original_yuan,
      correctedYuan: c.corrected_yuan,
      rule: c.rule,
      reason: c.reason,
      recordedAt: c.recorded_at,
    })),
    clarifications: clarificationViews(state.clarifications),
    aggregation: evaluation.aggregation as AggregationSnapshot | null,
    outcome: evaluation.outcome,
    failedReason: evaluation.failed_reason,
    report: await reportView(lotId, ctx, state),
  };
}

/**
 * 评标任务 view of one lot for a member: the bidders only after sign-in (and their scores' sheets after
 * the declaration), the steps with the member's own progress, the result once aggregated, the report.
 */
export async function getMemberView(ctx: EvaluationContext, lotId: string) {
  const { evaluation, member } = await assertMember(ctx, lotId);
  const state = await loadState(ctx.db, evaluation);
  const lot = await findLot(ctx.db, lotId);
  const signedIn = member.signed_in_at !== null;
  const declared = member.declared_at !== null;
  const isChair = evaluation.chair_member_id === member.id;
  const mySheets = new Set(state.sheets.filter((s) => s.member_id === member.id).map((s) => s.step));
  return {
    lotId,
    lotCode: lot?.code ?? '',
    lotName: lot?.name ?? '',
    projectName: lot?.projectName ?? '',
    status: evaluation.status,
    statusNameZh: EVALUATION_STATUS_NAMES_ZH[evaluation.status],
    method: evaluation.method,
    methodNameZh: METHOD_NAMES_ZH[evaluation.method],
    law: evaluation.law,
    planSm3: evaluation.plan_sm3,
    priceWeight: state.plan.priceWeight,
    evaluationStartsAt: evaluation.evaluation_starts_at,
    me: {
      memberId: member.id,
      name: member.name,
      kind: member.kind,
      venueRole: member.venue_role,
      venueName: member.venue_name,
      assignmentId: member.assignment_id,
      signedInAt: member.signed_in_at,
      late: member.late,
      declaredAt: member.declared_at,
      votedFor: member.chair_vote_for,
      isChair,
      leftAt: member.left_at,
    },
    chairMemberId: evaluation.chair_member_id,
    members: state.active.map((m) => ({
      id: m.id,
      seq: m.seq,
      name: m.name,
      kind: m.kind,
      kindNameZh: MEMBER_KIND_NAMES_ZH[m.kind],
      mayChair: !(evaluation.law === 'gp' && m.kind === 'initiator-representative'),
    })),
    bidders: signedIn ? biddersView(state) : [],
    steps: declared
      ? state.steps.map((step, i) => {
          const previousDone = state.steps.slice(0, i).every((s) => isStepComplete(state, s));
          return {
            step,
            nameZh: STEP_NAMES_ZH[step],
            criteria: stepCriteria(state, step),
            submitted: mySheets.has(step),
            complete: isStepComplete(state, step),
            open:
              evaluation.status === 'committee' &&
              previousDone &&
              !mySheets.has(step) &&
              evaluation.chair_member_id !== null,
            bids: previousDone ? bidsUnderReview(state, step) : [],
          };
        })
      : [],
    clarifications: isChair ? clarificationViews(state.clarifications) : [],
    reference: referenceLists(evaluation.law),
    aggregation:
      evaluation.status === 'committee' ? null : (evaluation.aggregation as AggregationSnapshot | null),
    report: await reportView(lotId, ctx, state),
    signingMinutes: REPORT_SIGNING_MINUTES,
  };
}

/** 我的评标任务: the evaluations the signed-in account sits on. */
export async function listMyEvaluations(ctx: EvaluationContext) {
  const actor = requireSignedIn(ctx.actor);
  const memberships = await store.listMembershipsOfAccount(ctx.db, actor.accountId);
  const evaluations = new Map(
    (await store.listEvaluationsByLots(ctx.db, [...new Set(memberships.map((m) => m.lot_id))])).map((e) => [
      e.lot_id,
      e,
    ]),
  );
  const out = [];
  for (const m of memberships) {
    const e = evaluations.get(m.lot_id);
    if (!e) continue;
    const lot = await findLot(ctx.db, m.lot_id);
    out.push({
      lotId: m.lot_id,
      lotCode: lot?.code ?? '',
      lotName: lot?.name ?? '',
      projectName: lot?.projectName ?? '',
      status: e.status,
      statusNameZh: EVALUATION_STATUS_NAMES_ZH[e.status],
      memberStatus: m.status,
      evaluationStartsAt: e.evaluation_starts_at,
      venueName: m.venue_name,
      isChair: e.chair_member_id === m.id,
    });
  }
  return out;
}

/** 本单位组织的评标: the evaluations of lots the signed-in organisation initiates or acts for as agency. */
export async function listOrganisedEvaluations(ctx: EvaluationContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  const rows = await store.listEvaluationsOfOrganization(ctx.db, actor.organizationId);
  const out = [];
  for (const e of rows) {
    const lot = await findLot(ctx.db, e.lot_id);
    out.push({
      lotId: e.lot_id,
      lotCode: lot?.code ?? '',
      lotName: lot?.name ?? '',
      projectName: lot?.projectName ?? '',
      status: e.status,
      statusNameZh: EVALUATION_STATUS_NAMES_ZH[e.status],
      methodNameZh: METHOD_NAMES_ZH[e.method],
    });
  }
  return out;
}
