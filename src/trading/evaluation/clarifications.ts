import { randomUUID } from 'node:crypto';
import { Forbidden, NotFound, RuleViolation } from '../../platform/errors.ts';
import { assertEvaluating } from './committee.ts';
import { CLARIFICATION_WITNESS_TYPE, type EvaluationContext, witness } from './context.ts';
import { findLot } from './deps.ts';
import { assertChair, requireSignedIn } from './policy.ts';
import { CITATIONS } from './rules.ts';
import { assertDue } from './scoring.ts';
import { entriesOf, loadState } from './state.ts';
import * as store from './store.ts';
import type { ClarificationKind } from './tables.ts';

export const CLARIFICATION_KIND_NAMES_ZH: Record<ClarificationKind, string> = {
  general: '澄清、说明',
  'abnormally-low': '报价合理性说明（异常低价）',
  'price-correction': '确认修正后的报价',
};

/**
 * 澄清 (实施条例第五十二条): the chair asks a bidder in writing, with a due time. The question may not
 * lead the bidder to change the substance of its bid; the platform says so to both sides.
 */
export async function askClarification(
  ctx: EvaluationContext,
  lotId: string,
  input: { bidId: string; kind: 'general' | 'abnormally-low'; question: string; dueAt: Date },
) {
  const { actor, evaluation } = await assertChair(ctx, lotId);
  assertEvaluating(evaluation);
  const state = await loadState(ctx.db, evaluation);
  const entry = entriesOf(state).find((e) => e.bidId === input.bidId);
  if (!entry) throw new NotFound('BID_NOT_IN_RECORD', { title: '开标记录中没有该投标' });
  const now = ctx.clock.now();
  assertDue(input.dueAt, now);
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current?.status !== 'committee')
      throw new RuleViolation('EVALUATION_NOT_IN_PROGRESS', { title: '评标不在进行中' });
    await store.insertClarification(tx, {
      id,
      lot_id: lotId,
      bid_id: input.bidId,
      organization_id: entry.organizationId,
      kind: input.kind,
      question: input.question,
      due_at: input.dueAt,
      asked_by: actor.accountId,
      asked_at: now,
      answer: null,
      answered_by: null,
      answered_at: null,
    });
    await witness(
      tx,
      now,
      ctx.origin,
      id,
      'evaluation.clarification-asked',
      {
        lotId,
        bidId: input.bidId,
        kind: input.kind,
        question: input.question,
        dueAt: input.dueAt.toISOString(),
      },
      CLARIFICATION_WITNESS_TYPE,
    );
  });
  return { id, dueAt: input.dueAt };
}

function toView(
  row: store.ClarificationRow,
  lot: { code: string; name: string; projectName: string } | null,
) {
  return {
    id: row.id,
    lotId: row.lot_id,
    lotCode: lot?.code ?? null,
    lotName: lot?.name ?? null,
    projectName: lot?.projectName ?? null,
    bidId: row.bid_id,
    kind: row.kind,
    kindNameZh: CLARIFICATION_KIND_NAMES_ZH[row.kind],
    question: row.question,
    dueAt: row.due_at,
    askedAt: row.asked_at,
    answer: row.answer,
    answeredAt: row.answered_at,
    notice: '澄清、说明不得超出投标文件的范围或者改变投标文件的实质性内容。',
  };
}

/** 我的澄清: the questions the committees put to the signed-in bidder's organisation. */
export async function listMyClarifications(ctx: EvaluationContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  const rows = await store.listClarificationsOfOrganization(ctx.db, actor.organizationId);
  const lots = new Map<string, Awaited<ReturnType<typeof findLot>>>();
  for (const r of rows) if (!lots.has(r.lot_id)) lots.set(r.lot_id, await findLot(ctx.db, r.lot_id));
  return rows.map((r) => toView(r, lots.get(r.lot_id) ?? null));
}

export function clarificationViews(rows: store.ClarificationRow[]) {
  return rows.map((r) => toView(r, null));
}

/** The bidder answers in writing through the platform, before the due time; the answer is final. */
export async function answerClarification(ctx: EvaluationContext, clarificationId: string, answer: string) {
  const actor = requireSignedIn(ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.lockClarification(tx, clarificationId);
    if (!row) throw new NotFound('CLARIFICATION_NOT_FOUND', { title: '澄清事项不存在' });
    if (
      !actor.organizationId ||
      actor.organizationId !== row.organization_id ||
      !actor.roles.includes('responder')
    ) {
      throw new Forbidden('NOT_CLARIFICATION_ADDRESSEE', { title: '该澄清事项不是向本单位提出的' });
    }
    if (row.answer !== null) throw new RuleViolation('CLARIFICATION_ANSWERED', { title: '已答复，不能修改' });
    if (now.getTime() > row.due_at.getTime()) {
      throw new RuleViolation('CLARIFICATION_OVERDUE', {
        title: '已过澄清截止时间',
        detail: '评标委员会要求的澄清截止时间已过，不能再答复。',
        citation: CITATIONS.clarification,
      });
    }
    const evaluation = await store.lockEvaluation(tx, row.lot_id);
    if (evaluation?.status !== 'committee') {
      throw new RuleViolation('EVALUATION_NOT_IN_PROGRESS', { title: '评标已结束，不能再答复' });
    }
    await store.answerClarification(tx, clarificationId, { text: answer, by: actor.accountId, at: now });
    await witness(
      tx,
      now,
      ctx.origin,
      clarificationId,
      'evaluation.clarification-answered',
      { lotId: row.lot_id, organizationId: row.organization_id, answer },
      CLARIFICATION_WITNESS_TYPE,
    );
    return { id: clarificationId, answeredAt: now };
  });
}
