import { sm3Hex } from '../../platform/crypto/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import { canonicalJson } from '../../platform/witness/index.ts';
import { type EvaluationContext, witness } from './context.ts';
import { getLotTimeline, getProcedure, tenderLawOf } from './deps.ts';
import { assertOrganiser } from './policy.ts';
import { assertValidPlan, CITATIONS, METHOD_NAMES_ZH } from './rules.ts';
import * as store from './store.ts';
import type { EvaluationPlan } from './tables.ts';

export function planSm3(plan: EvaluationPlan): string {
  return sm3Hex(canonicalJson(plan));
}

/**
 * 设定评标办法: the initiator or its agency sets the lot's method and criteria before the bid deadline;
 * from the deadline on the plan is frozen (only the tender documents' criteria count, 实施条例第四十九条).
 */
export async function setPlan(ctx: EvaluationContext, lotId: string, plan: EvaluationPlan) {
  const lot = await assertOrganiser(ctx, lotId);
  const actor = ctx.actor;
  if (!actor) throw new Error('unreachable: organiser without actor');
  const law = tenderLawOf(lot.procedureType);
  const now = ctx.clock.now();
  const timeline = await getLotTimeline(ctx.db, lotId);
  if (timeline && now >= timeline.bidDeadline) {
    throw new RuleViolation('PLAN_FROZEN', {
      title: '投标截止后不得修改评标办法',
      detail: '评标办法是招标文件的组成部分，投标截止后评标委员会只能按招标文件载明的标准和方法评审。',
      citation: CITATIONS.planFrozen,
    });
  }
  assertValidPlan(plan, { law, catalogItemCode: lot.catalogItemCode });
  const sm3 = planSm3(plan);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockEvaluation(tx, lotId);
    if (current && current.status !== 'planned') {
      throw new RuleViolation('PLAN_FROZEN', {
        title: '评标已开始，评标办法不得修改',
        citation: CITATIONS.planFrozen,
      });
    }
    const fields = {
      method: plan.method,
      plan: JSON.stringify(plan),
      plan_sm3: sm3,
      plan_set_by: actor.accountId,
      plan_set_at: now,
      updated_at: now,
    };
    if (current) {
      await store.updateEvaluation(tx, lotId, fields);
    } else {
      await store.insertEvaluation(tx, {
        lot_id: lotId,
        project_id: lot.projectId,
        initiator_organization_id: lot.initiatorOrganizationId,
        agency_organization_id: lot.agencyOrganizationId,
        procedure_type: lot.procedureType,
        law,
        catalog_item_code: lot.catalogItemCode,
        estimate_yuan: lot.estimateYuan,
        status: 'planned',
        draw_id: null,
        evaluation_starts_at: null,
        evaluation_ends_at: null,
        opening_record_sm3: null,
        committee_formed_at: null,
        chair_member_id: null,
        aggregation: null,
        aggregated_at: null,
        outcome: null,
        failed_reason: null,
        created_at: now,
        ...fields,
      });
    }
    await witness(tx, now, ctx.origin, lotId, 'evaluation.plan-set', {
      method: plan.method,
      methodNameZh: METHOD_NAMES_ZH[plan.method],
      planSm3: sm3,
      criteria: plan.criteria.length,
      priceWeight: plan.priceWeight,
    });
    return { lotId, planSm3: sm3 };
  });
}
