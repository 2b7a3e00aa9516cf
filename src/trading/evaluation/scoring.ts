import { randomUUID } from 'node:crypto';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { canonicalJson } from '../../platform/witness/index.ts';
import { assertEvaluating } from './committee.ts';
import { CLARIFICATION_WITNESS_TYPE, type EvaluationContext, type Tx, witness } from './context.ts';
import { assertLotNotSuspended } from './deps.ts';
import {
  assertChair,
  assertDeclaredMember,
  assertMember,
  assertOrganiser,
  isSupervisor,
  requireEvaluation,
} from './policy.ts';
import {
  AFTER_AGGREGATION_GROUNDS,
  type AggregationResult,
  aggregate,
  CITATIONS,
  CORRECTION_RULES,
  centiText,
  REJECTION_GROUNDS,
  rejectionCitation,
  STEP_NAMES_ZH,
  toCenti,
} from './rules.ts';
import {
  abnormalFlags,
  aggregationInput,
  bidsUnderReview,
  correctedPrices,
  type EvaluationState,
  entriesOf,
  isStepComplete,
  loadState,
  stepCriteria,
} from './state.ts';
import * as store from './store.ts';
import type { StepCode } from './tables.ts';

export interface SheetItemInput {
  bidId: string;
  criterionId: string;
  passed?: boolean | null | undefined;
  score?: number | null | undefined;
  reason?: string | null | undefined;
}

function criterionNotInPlan(id: string, law: 'works' | 'gp'): RuleViolation {
  return new RuleViolation('CRITERION_NOT_IN_PLAN', {
    title: '评审因素不在招标文件规定的评标办法中',
    detail: `评审因素“${id.slice(0, 60)}”不是本项目评标办法载明的评审因素，不得作为评标依据。`,
    citation: law === 'gp' ? CITATIONS.gpCriteriaOnly : CITATIONS.criteriaOnly,
  });
}

/**
 * 提交评分表: a member's independent assessment of every bid under review on every criterion of the step,
 * final once submitted. Scores within the criterion's range; a fail or a deduction needs its reason; only
 * the plan's criteria count (实施条例第四十九条).
 */
export async function submitSheet(
  ctx: EvaluationContext,
  lotId: string,
  step: StepCode,
  items: SheetItemInput[],
) {
  const { evaluation, member } = await assertDeclaredMember(ctx, lotId);
  await assertLotNotSuspended(ctx.db, lotId, ctx.clock.now());
  if (evaluation.status !== 'committee') {
    throw new RuleViolation('SCORING_CLOSED', {
      title: '评审结果已汇总，不能再提交或修改评分',
      detail: '汇总后只能按第六十四条规定的情形更正评分。',
      citation: CITATIONS.afterAggregation,
    });
  }
  if (!evaluation.chair_member_id) {
    throw new RuleViolation('CHAIR_NOT_ELECTED', {
      title: '评标委员会尚未推选组长',
      detail: '推选组长后开始评审。',
    });
  }
  const state = await loadState(ctx.db, evaluation);
  if (!state.steps.includes(step)) {
    throw new RuleViolation('STEP_NOT_IN_PLAN', {
      title: '评标办法没有该评审步骤',
      detail: `本项目评标办法不含“${STEP_NAMES_ZH[step]}”。`,
      citation: CITATIONS.criteriaOnly,
    });
  }
  const previous = state.steps.slice(0, state.steps.indexOf(step));
  const open = previous.find((s) => !isStepComplete(state, s));
  if (open) {
    throw new RuleViolation('PREVIOUS_STEP_OPEN', {
      title: '上一评审步骤尚未完成',
      detail: `全体成员提交“${STEP_NAMES_ZH[open]}”后，方可提交“${STEP_NAMES_ZH[step]}”。`,
    });
  }
  if (state.sheets.some((s) => s.member_id === member.id && s.step === step)) {
    throw new RuleViolation('SHEET_ALREADY_SUBMITTED', { title: '该步骤评分已提交，不能修改' });
  }
  const criteria = new Map(stepCriteria(state, step).map((c) => [c.id, c]));
  const all = new Map(state.plan.criteria.map((c) => [c.id, c]));
  const bids = new Set(bidsUnderReview(state, step));
  const seen = new Set<string>();
  const rows: {
    bid_id: string;
    criterion_id: string;
    passed: boolean | null;
    score_centi: number | null;
    reason: string | null;
  }[] = [];
  for (const item of items) {
    const c = criteria.get(item.criterionId);
    if (!c) {
      if (all.has(item.criterionId)) {
        throw new RuleViolation('CRITERION_NOT_IN_STEP', {
          title: '评审因素不属于该评审步骤',
          detail: `评审因素“${all.get(item.criterionId)?.name}”属于其他评审步骤。`,
        });
      }
      throw criterionNotInPlan(item.criterionId, state.law);
    }
    if (!bids.has(item.bidId)) {
      throw new RuleViolation('BID_NOT_UNDER_REVIEW', {
        title: '该投标不在本步骤评审范围内',
        detail: '投标不存在，或已在此前的评审中被否决。',
      });
    }
    const key = `${item.bidId}\u0000${item.criterionId}`;
    if (seen.has(key))
      throw new InvalidInput('SHEET_DUPLICATE_ITEM', { title: '同一投标的同一评审因素评了两次' });
    seen.add(key);
    const reason = item.reason?.trim() || null;
    if (c.kind === 'pass-fail') {
      if (typeof item.passed !== 'boolean' || (item.score !== undefined && item.score !== null)) {
        throw new InvalidInput('SHEET_ITEM_INVALID', {
          title: '合格制评审因素应填写是否合格',
          detail: `“${c.name}”为合格制，应选择合格或不合格，不打分。`,
        });
      }
      if (!item.passed && !reason) {
        throw new RuleViolation('REASON_REQUIRED', {
          title: '不合格须写明理由',
          detail: `“${c.name}”评为不合格的，应写明理由。`,
        });
      }
      rows.push({ bid_id: item.bidId, criterion_id: c.id, passed: item.passed, score_centi: null, reason });
    } else {
      const score = item.score;
      if (typeof score !== 'number' || (item.passed !== undefined && item.passed !== null)) {
        throw new InvalidInput('SHEET_ITEM_INVALID', {
          title: '打分项应填写分值',
          detail: `“${c.name}”为打分项，应填写分值。`,
        });
      }
      const centi = toCenti(score);
      if (
        Math.abs(score * 100 - centi) > 1e-6 ||
        centi < toCenti(c.min ?? 0) ||
        centi > toCenti(c.max ?? 0)
      ) {
        throw new RuleViolation('SCORE_OUT_OF_RANGE', {
          title: '评分超出评分标准规定的分值范围',
          detail: `“${c.name}”的分值范围为 ${c.min}～${c.max} 分（最多两位小数），所填为 ${score} 分。`,
          citation: state.law === 'gp' ? CITATIONS.gpCriteriaOnly : CITATIONS.criteriaOnly,
        });
      }
      if (centi < toCenti(c.max ?? 0) && !reason) {
        throw new RuleViolation('REASON_REQUIRED', {
          title: '扣分须写明理由',
          detail: `“${c.name}”未给满分的，应写明扣分理由。`,
        });
      }
      rows.push({ bid_id: item.bidId, criterion_id: c.id, passed: null, score_centi: centi, reason });
    }
  }
  const missing = bids.size * criteria.size - seen.size;
  if (missing > 0) {
    throw new RuleViolation('SHEET_INCOMPLETE', {
      title: '评分表不完整',
      detail: `本步骤应对 ${bids.size} 家投标的 ${criteria.size} 项评审因素逐一评审，尚缺 ${missing} 项。`,
    });
  }
  rows.sort((a, b) => (a.bid_id + a.criterion_id).localeCompare(b.bid_id + b.criterion_id));
  const sheetSm3 = sm3Hex(canonicalJson({ lotId, memberId: member.id, step, items: rows }));
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'committee')
      throw new RuleViolation('SCORING_CLOSED', {
        title: '评审结果已汇总，不能再提交评分',
        citation: CITATIONS.afterAggregation,
      });
    const inserted = await store.insertSheet(
      tx,
      { lot_id: lotId, member_id: member.id, step, sheet_sm3: sheetSm3, submitted_at: now },
      rows.map((r) => ({ ...r, lot_id: lotId, member_id: member.id, step })),
    );
    if (!inserted)
      throw new RuleViolation('SHEET_ALREADY_SUBMITTED', { title: '该步骤评分已提交，不能修改' });
    // The log holds the sheet's hash, never the scores: nobody reads them before the step is complete.
    await witness(tx, now, ctx.origin, lotId, 'evaluation.sheet-submitted', {
      memberId: member.id,
      step,
      items: rows.length,
      sheetSm3,
    });
    const sheets = await store.listSheets(tx, lotId);
    const submitted = new Set(sheets.filter((s) => s.step === step).map((s) => s.member_id));
    const complete = state.active.every((m) => submitted.has(m.id));
    if (complete) await witness(tx, now, ctx.origin, lotId, 'evaluation.step-completed', { step });
    return { step, sheetSm3, submittedAt: now, stepComplete: complete };
  });
}

/**
 * The sheets of a step: a member sees the own sheet at once and the others' only once every member has
 * submitted the step (each scores independently, 招标投标法第三十八条); the organiser sees none before.
 */
export async function viewStepScores(ctx: EvaluationContext, lotId: string, step: StepCode) {
  const evaluation = await requireEvaluation(ctx, lotId);
  let ownMemberId: string | null = null;
  const membership = ctx.actor
    ? await store.findActiveMemberOfAccount(ctx.db, lotId, ctx.actor.accountId)
    : undefined;
  if (membership) {
    ownMemberId = (await assertMember(ctx, lotId)).member.id;
  } else if (!isSupervisor(ctx.actor)) {
    await assertOrganiser(ctx, lotId);
  }
  const state = await loadState(ctx.db, evaluation);
  const complete = isStepComplete(state, step);
  const names = new Map(state.members.map((m) => [m.id, m]));
  const visible = state.active.filter((m) => complete || m.id === ownMemberId);
  const submitted = new Set(state.sheets.filter((s) => s.step === step).map((s) => s.member_id));
  return {
    step,
    complete,
    submitted: state.active.filter((m) => submitted.has(m.id)).length,
    members: state.active.length,
    sheets: visible
      .filter((m) => submitted.has(m.id))
      .map((m) => ({
        memberId: m.id,
        name: names.get(m.id)?.name ?? '',
        items: state.scores
          .filter((s) => s.member_id === m.id && s.step === step)
          .map((s) => ({
            bidId: s.bid_id,
            criterionId: s.criterion_id,
            passed: s.passed,
            score: s.score_centi === null ? null : centiText(s.score_centi),
            reason: s.reason,
          })),
      })),
  };
}

function bidOf(state: EvaluationState, bidId: string) {
  const entry = entriesOf(state).find((e) => e.bidId === bidId);
  if (!entry) throw new NotFound('BID_NOT_IN_RECORD', { title: '开标记录中没有该投标' });
  return entry;
}

/**
 * 算术修正 (87号令第五十九条): the committee records the corrected price, the rule applied and why; the
 * bidder is asked in writing to confirm it (修正后的报价经投标人确认后产生约束力).
 */
export async function recordPriceCorrection(
  ctx: EvaluationContext,
  lotId: string,
  input: { bidId: string; correctedPriceYuan: string; rule: string; reason: string; dueAt: Date },
) {
  const { actor, evaluation } = await assertChair(ctx, lotId);
  assertEvaluating(evaluation);
  const rule = CORRECTION_RULES.find((r) => r.code === input.rule);
  if (!rule) {
    throw new RuleViolation('CORRECTION_RULE_UNKNOWN', {
      title: '修正规则不在规定之列',
      detail: `可用的修正规则：${CORRECTION_RULES.map((r) => r.nameZh).join('；')}。`,
      citation: CITATIONS.arithmetic,
    });
  }
  const state = await loadState(ctx.db, evaluation);
  const entry = bidOf(state, input.bidId);
  const now = ctx.clock.now();
  assertDue(input.dueAt, now);
  const original = correctedPrices(state).get(input.bidId) ?? entry.priceYuan ?? '0.00';
  const corrected = fenToYuan(yuanToFen(input.correctedPriceYuan));
  const clarificationId = randomUUID();
  return ctx.db.transaction().execute(async (tx) => {
    await assertStillEvaluating(tx, lotId);
    const id = randomUUID();
    await store.insertClarification(tx, {
      id: clarificationId,
      lot_id: lotId,
      bid_id: input.bidId,
      organization_id: entry.organizationId,
      kind: 'price-correction',
      question: `评标委员会依据“${rule.nameZh}”的规则，将贵单位投标报价由 ${original} 元修正为 ${corrected} 元。理由：${input.reason}。请确认修正后的报价（不确认的，投标无效）。`,
      due_at: input.dueAt,
      asked_by: actor.accountId,
      asked_at: now,
      answer: null,
      answered_by: null,
      answered_at: null,
    });
    await store.insertPriceCorrection(tx, {
      id,
      lot_id: lotId,
      bid_id: input.bidId,
      original_yuan: original,
      corrected_yuan: corrected,
      rule: rule.code,
      reason: input.reason,
      clarification_id: clarificationId,
      recorded_by: actor.accountId,
      recorded_at: now,
    });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.price-corrected', {
      correctionId: id,
      bidId: input.bidId,
      originalYuan: original,
      correctedYuan: corrected,
      rule: rule.code,
      reason: input.reason,
      clarificationId,
    });
    await witness(
      tx,
      now,
      ctx.origin,
      clarificationId,
      'evaluation.clarification-asked',
      {
        lotId,
        bidId: input.bidId,
        kind: 'price-correction',
        dueAt: input.dueAt.toISOString(),
      },
      CLARIFICATION_WITNESS_TYPE,
    );
    return { id, clarificationId, originalYuan: original, correctedYuan: corrected };
  });
}

export function assertDue(dueAt: Date, now: Date) {
  if (dueAt.getTime() <= now.getTime()) {
    throw new RuleViolation('CLARIFICATION_DUE_PAST', { title: '澄清截止时间应晚于当前时间' });
  }
}

async function assertStillEvaluating(tx: Tx, lotId: string) {
  const current = await store.lockEvaluation(tx, lotId);
  if (current?.status !== 'committee') {
    throw new RuleViolation('EVALUATION_NOT_IN_PROGRESS', {
      title: '评标不在进行中',
      detail: '该事项在评标委员会组建后、评审结果汇总前办理。',
    });
  }
  return current;
}

/** 否决投标 / 投标无效: only on a ground the law lists (实施条例第五十一条; 87号令第六十三条), with its reason. */
export async function rejectBid(
  ctx: EvaluationContext,
  lotId: string,
  input: { bidId: string; ground: string; reason: string },
) {
  const { actor, evaluation } = await assertChair(ctx, lotId);
  assertEvaluating(evaluation);
  const grounds = REJECTION_GROUNDS[evaluation.law];
  if (!(input.ground in grounds)) {
    throw new RuleViolation('REJECTION_GROUND_NOT_LISTED', {
      title: evaluation.law === 'gp' ? '投标无效的情形不在法定之列' : '否决投标的情形不在法定之列',
      detail: `只能依据下列情形之一：${Object.values(grounds).join('；')}。`,
      citation: rejectionCitation(evaluation.law),
    });
  }
  const state = await loadState(ctx.db, evaluation);
  bidOf(state, input.bidId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    await assertStillEvaluating(tx, lotId);
    const id = randomUUID();
    const inserted = await store.insertRejection(tx, {
      id,
      lot_id: lotId,
      bid_id: input.bidId,
      ground: input.ground,
      reason: input.reason,
      recorded_by: actor.accountId,
      recorded_at: now,
    });
    if (!inserted) throw new RuleViolation('BID_ALREADY_REJECTED', { title: '该投标已被否决' });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.bid-rejected', {
      rejectionId: id,
      bidId: input.bidId,
      ground: input.ground,
      groundNameZh: grounds[input.ground],
      reason: input.reason,
      citation: rejectionCitation(evaluation.law),
    });
    return { id, bidId: input.bidId, ground: input.ground };
  });
}

/** What the aggregation leaves on the evaluation row: every opened bid with its result. */
export interface AggregationSnapshot {
  minimumQualified: number;
  failed: boolean;
  failedReason: string | null;
  candidates: string[];
  ranking: string[];
  bidders: SnapshotBidder[];
}

export interface SnapshotBidder {
  bidId: string;
  seq: number;
  organizationId: string;
  bidderName: string;
  creditCode: string;
  openedPriceYuan: string | null;
  priceYuan: string | null;
  abnormallyLow: boolean;
  rejected: boolean;
  rejectionGround: string | null;
  rejectionGroundNameZh: string | null;
  rejectionReason: string | null;
  rejectionCriterionId: string | null;
  priceScore: string | null;
  score: string | null;
  rank: number | null;
  memberTotals: { memberId: string; score: string }[];
}

export function snapshotOf(
  state: EvaluationState,
  result: AggregationResult,
  flags: Set<string>,
): AggregationSnapshot {
  const prices = correctedPrices(state);
  const byId = new Map(result.bidders.map((b) => [b.bidId, b]));
  const explicit = new Map(state.rejections.map((r) => [r.bid_id, r]));
  const criteria = new Map(state.plan.criteria.map((c) => [c.id, c]));
  const grounds = REJECTION_GROUNDS[state.law];
  return {
    minimumQualified: state.minimumQualified,
    failed: result.failed,
    failedReason: result.failedReason,
    candidates: result.candidates,
    ranking: result.ranking,
    bidders: entriesOf(state).map((e) => {
      const b = byId.get(e.bidId);
      const rejection = b?.rejection ?? null;
      const reason = rejection
        ? (explicit.get(e.bidId)?.reason ??
          (rejection.criterionId
            ? `评标委员会多数成员认定“${criteria.get(rejection.criterionId)?.name ?? rejection.criterionId}”不合格`
            : '开标记录无投标报价'))
        : null;
      return {
        bidId: e.bidId,
        seq: e.seq,
        organizationId: e.organizationId,
        bidderName: e.bidderName,
        creditCode: e.creditCode,
        openedPriceYuan: e.priceYuan,
        priceYuan: prices.get(e.bidId) ?? null,
        abnormallyLow: flags.has(e.bidId),
        rejected: rejection !== null,
        rejectionGround: rejection?.ground ?? null,
        rejectionGroundNameZh: rejection ? (grounds[rejection.ground] ?? rejection.ground) : null,
        rejectionReason: reason,
        rejectionCriterionId: rejection?.criterionId ?? null,
        priceScore: b?.priceScoreCenti == null ? null : centiText(b.priceScoreCenti),
        score: b?.scoreCenti == null ? null : centiText(b.scoreCenti),
        rank: b?.rank ?? null,
        memberTotals: (b?.memberTotals ?? []).map((t) => ({
          memberId: t.memberId,
          score: centiText(t.centi),
        })),
      };
    }),
  };
}

/**
 * 汇总 (chair): once every step is complete — or too few qualified bids remain to go on — the platform
 * computes the price scores, the members' totals, the average and the ranking. Abnormally low prices need
 * the bidder's written explanation or a rejection first (87号令第六十条); corrected prices the bidder's
 * confirmation (第五十九条).
 */
export async function aggregateEvaluation(ctx: EvaluationContext, lotId: string) {
  const { evaluation } = await assertChair(ctx, lotId);
  assertEvaluating(evaluation);
  const state = await loadState(ctx.db, evaluation);
  const early = aggregate({ ...aggregationInput(state), minimumQualified: state.minimumQualified });
  const open = state.steps.find((s) => !isStepComplete(state, s));
  if (open && !early.failed) {
    throw new RuleViolation('STEPS_NOT_COMPLETE', {
      title: '评审尚未完成',
      detail: `全体成员提交“${STEP_NAMES_ZH[open]}”后方可汇总。`,
    });
  }
  const flags = abnormalFlags(state);
  const rejected = new Set(early.bidders.filter((b) => b.rejection).map((b) => b.bidId));
  if (!early.failed) {
    for (const bidId of flags) {
      if (rejected.has(bidId)) continue;
      const explained = state.clarifications.some(
        (c) => c.bid_id === bidId && c.kind === 'abnormally-low' && c.answer !== null,
      );
      if (!explained) {
        throw new RuleViolation('ABNORMALLY_LOW_UNEXPLAINED', {
          title: '异常低价尚未澄清',
          detail: `${bidOf(state, bidId).bidderName}的报价明显低于其他通过评审投标人的报价，应要求其书面说明并提供证明材料；不能证明其报价合理性的，应作无效投标处理。`,
          citation:
            state.law === 'gp' ? CITATIONS.abnormallyLow : '《评标委员会和评标方法暂行规定》第二十一条',
        });
      }
    }
    for (const c of state.corrections) {
      if (rejected.has(c.bid_id)) continue;
      const clarification = state.clarifications.find((x) => x.id === c.clarification_id);
      if (!clarification?.answer) {
        throw new RuleViolation('PRICE_CORRECTION_UNCONFIRMED', {
          title: '修正后的报价尚未经投标人确认',
          detail: `${bidOf(state, c.bid_id).bidderName}尚未确认修正后的报价；投标人不确认的，其投标无效。`,
          citation: CITATIONS.arithmetic,
        });
      }
    }
  }
  const snapshot = snapshotOf(state, early, flags);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    await assertStillEvaluating(tx, lotId);
    await store.updateEvaluation(tx, lotId, {
      status: 'aggregated',
      aggregation: JSON.stringify(snapshot),
      aggregated_at: now,
      outcome: snapshot.failed ? 'failed' : 'candidates',
      failed_reason: snapshot.failedReason,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.aggregated', {
      failed: snapshot.failed,
      failedReason: snapshot.failedReason,
      ranking: snapshot.ranking,
      candidates: snapshot.candidates,
      snapshotSm3: sm3Hex(canonicalJson(snapshot)),
    });
    return snapshot;
  });
}

/**
 * 汇总后更正 (87号令第六十四条): only a summing error, a score outside its range, inconsistent objective
 * scores, or a score the committee finds abnormally high or low; each recorded with its reason and by whom,
 * and the ranking recomputed.
 */
export async function correctAfterAggregation(
  ctx: EvaluationContext,
  lotId: string,
  input: {
    memberId: string;
    bidId: string;
    criterionId: string;
    ground: string;
    reason: string;
    score?: number | null | undefined;
    passed?: boolean | null | undefined;
  },
) {
  const { actor, evaluation, member: chair } = await assertChair(ctx, lotId);
  if (evaluation.status !== 'aggregated') {
    throw new RuleViolation('CORRECTION_NOT_OPEN', {
      title: evaluation.status === 'committee' ? '尚未汇总' : '评标报告已生成，不能再更正评分',
      citation: CITATIONS.afterAggregation,
    });
  }
  if (!(input.ground in AFTER_AGGREGATION_GROUNDS)) {
    throw new RuleViolation('CORRECTION_NOT_ALLOWED', {
      title: '评审结果汇总完成后，除法定情形外不得修改评标结果',
      detail: `只能因下列情形之一更正：${Object.values(AFTER_AGGREGATION_GROUNDS).join('；')}。`,
      citation: CITATIONS.afterAggregation,
    });
  }
  const state = await loadState(ctx.db, evaluation);
  const criterion = state.plan.criteria.find((c) => c.id === input.criterionId);
  if (!criterion) throw criterionNotInPlan(input.criterionId, state.law);
  if (!state.active.some((m) => m.id === input.memberId)) {
    throw new RuleViolation('MEMBER_UNKNOWN', { title: '该成员不是本委员会在任成员' });
  }
  let newCenti: number | null = null;
  let newPassed: boolean | null = null;
  if (criterion.kind === 'scored') {
    if (typeof input.score !== 'number')
      throw new InvalidInput('SCORE_REQUIRED', { title: '请填写更正后的分值' });
    newCenti = toCenti(input.score);
    if (newCenti < toCenti(criterion.min ?? 0) || newCenti > toCenti(criterion.max ?? 0)) {
      throw new RuleViolation('SCORE_OUT_OF_RANGE', {
        title: '评分超出评分标准规定的分值范围',
        detail: `“${criterion.name}”的分值范围为 ${criterion.min}～${criterion.max} 分。`,
        citation: CITATIONS.afterAggregation,
      });
    }
  } else {
    if (typeof input.passed !== 'boolean')
      throw new InvalidInput('PASSED_REQUIRED', { title: '请选择更正后的结论' });
    newPassed = input.passed;
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'aggregated')
      throw new RuleViolation('CORRECTION_NOT_OPEN', {
        title: '当前不能更正评分',
        citation: CITATIONS.afterAggregation,
      });
    const score = await store.findScore(tx, input.memberId, input.bidId, input.criterionId);
    if (!score) throw new NotFound('SCORE_NOT_FOUND', { title: '没有该成员对该投标该评审因素的评分' });
    await store.updateScore(
      tx,
      { memberId: input.memberId, bidId: input.bidId, criterionId: input.criterionId },
      newCenti === null ? { passed: newPassed } : { score_centi: newCenti },
    );
    const id = randomUUID();
    await store.insertAdjustment(tx, {
      id,
      lot_id: lotId,
      member_id: input.memberId,
      bid_id: input.bidId,
      criterion_id: input.criterionId,
      old_centi: score.score_centi,
      new_centi: newCenti,
      old_passed: score.passed,
      new_passed: newPassed,
      ground: input.ground,
      reason: input.reason,
      recorded_by: actor.accountId,
      recorded_by_name: chair.name,
      recorded_at: now,
    });
    const fresh = await loadState(tx, current);
    const result = aggregate({ ...aggregationInput(fresh), minimumQualified: fresh.minimumQualified });
    const snapshot = snapshotOf(fresh, result, abnormalFlags(fresh));
    await store.updateEvaluation(tx, lotId, {
      aggregation: JSON.stringify(snapshot),
      outcome: snapshot.failed ? 'failed' : 'candidates',
      failed_reason: snapshot.failedReason,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, lotId, 'evaluation.score-corrected', {
      adjustmentId: id,
      memberId: input.memberId,
      bidId: input.bidId,
      criterionId: input.criterionId,
      ground: input.ground,
      reason: input.reason,
      old: score.score_centi ?? score.passed,
      new: newCenti ?? newPassed,
      citation: CITATIONS.afterAggregation,
    });
    return snapshot;
  });
}
