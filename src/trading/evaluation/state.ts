import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import type { ReadDb, Tx } from './context.ts';
import { minimumResponders, type OpeningOutcome, type ProcedureType, readOpeningOutcome } from './deps.ts';
import {
  type AggregationBid,
  type AggregationInput,
  abnormallyLow,
  aggregate,
  criteriaOf,
  type Law,
  type PassFailMark,
  type ScoreMark,
  stepsOf,
} from './rules.ts';
import * as store from './store.ts';
import type { EvaluationPlan, StepCode } from './tables.ts';

/**
 * Everything a decision of the evaluation is taken on, read once: the opening record's entries, the
 * committee, the sheets submitted, the committee's corrections and rejections — and what follows from them.
 */
export interface EvaluationState {
  evaluation: store.EvaluationRow;
  plan: EvaluationPlan;
  law: Law;
  opening: OpeningOutcome | null;
  members: store.MemberRow[];
  active: store.MemberRow[];
  sheets: store.SheetRow[];
  scores: store.ScoreRow[];
  rejections: store.RejectionRow[];
  corrections: store.PriceCorrectionRow[];
  clarifications: store.ClarificationRow[];
  steps: StepCode[];
  minimumQualified: number;
}

export async function loadState(db: ReadDb | Tx, evaluation: store.EvaluationRow): Promise<EvaluationState> {
  const lotId = evaluation.lot_id;
  const [opening, members, sheets, scores, rejections, corrections, clarifications] = await Promise.all([
    readOpeningOutcome(db, lotId),
    store.listMembers(db, lotId),
    store.listSheets(db, lotId),
    store.listScores(db, lotId),
    store.listRejections(db, lotId),
    store.listPriceCorrections(db, lotId),
    store.listClarifications(db, lotId),
  ]);
  const plan = evaluation.plan;
  return {
    evaluation,
    plan,
    law: evaluation.law,
    opening,
    members,
    active: members.filter((m) => m.status === 'active'),
    sheets,
    scores,
    rejections,
    corrections,
    clarifications,
    steps: stepsOf(plan),
    minimumQualified: minimumResponders(evaluation.procedure_type as ProcedureType).count,
  };
}

export function entriesOf(state: EvaluationState) {
  return state.opening?.entries ?? [];
}

/** Every active member has submitted the step. */
export function isStepComplete(state: EvaluationState, step: StepCode): boolean {
  if (state.active.length === 0) return false;
  const submitted = new Set(state.sheets.filter((s) => s.step === step).map((s) => s.member_id));
  return state.active.every((m) => submitted.has(m.id));
}

/** The price after the committee's latest correction (87号令第五十九条), or the opening record's. */
export function correctedPrices(state: EvaluationState): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const e of entriesOf(state)) out.set(e.bidId, e.priceYuan);
  for (const c of state.corrections) out.set(c.bid_id, fenToYuan(yuanToFen(c.corrected_yuan)));
  return out;
}

export function aggregationInput(state: EvaluationState, upTo?: StepCode): AggregationInput {
  const activeIds = new Set(state.active.map((m) => m.id));
  const steps = upTo ? state.steps.slice(0, state.steps.indexOf(upTo)) : state.steps;
  const completed = new Set(steps.filter((s) => isStepComplete(state, s)));
  const criteria = new Map(state.plan.criteria.map((c) => [c.id, c]));
  const prices = correctedPrices(state);
  const bids: AggregationBid[] = entriesOf(state).map((e) => {
    const price = prices.get(e.bidId) ?? null;
    return { bidId: e.bidId, seq: e.seq, priceFen: price === null ? null : yuanToFen(price) };
  });
  const passFail: PassFailMark[] = [];
  const scores: ScoreMark[] = [];
  for (const s of state.scores) {
    if (!activeIds.has(s.member_id) || !completed.has(s.step)) continue;
    const c = criteria.get(s.criterion_id);
    if (!c) continue;
    if (s.passed !== null) {
      passFail.push({
        memberId: s.member_id,
        bidId: s.bid_id,
        criterionId: s.criterion_id,
        passed: s.passed,
      });
    } else if (s.score_centi !== null) {
      scores.push({
        memberId: s.member_id,
        bidId: s.bid_id,
        criterionId: s.criterion_id,
        centi: s.score_centi,
      });
    }
  }
  return {
    plan: state.plan,
    law: state.law,
    memberIds: state.active.map((m) => m.id),
    bids,
    rejected: new Map(state.rejections.map((r) => [r.bid_id, r.ground])),
    passFail,
    scores,
    minimumQualified: state.minimumQualified,
  };
}

/** The bids still under review before `step`: not rejected by the committee or by a majority at an earlier step. */
export function bidsUnderReview(state: EvaluationState, step?: StepCode): string[] {
  const result = aggregate({ ...aggregationInput(state, step), minimumQualified: 0 });
  return result.bidders.filter((b) => !b.rejection).map((b) => b.bidId);
}

/** Abnormally low prices among the bids under review (87号令第六十条), with the plan's percentage. */
export function abnormalFlags(state: EvaluationState): Set<string> {
  const under = new Set(bidsUnderReview(state));
  const prices = correctedPrices(state);
  const list = [...under]
    .map((bidId) => ({ bidId, price: prices.get(bidId) ?? null }))
    .filter((p): p is { bidId: string; price: string } => p.price !== null)
    .map((p) => ({ bidId: p.bidId, priceFen: yuanToFen(p.price) }));
  return abnormallyLow(list, state.plan.abnormalLowPercent);
}

export function stepCriteria(state: EvaluationState, step: StepCode) {
  return criteriaOf(state.plan, step);
}
