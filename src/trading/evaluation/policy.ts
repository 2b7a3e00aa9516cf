import { Forbidden, NotFound, RuleViolation, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { EvaluationContext } from './context.ts';
import { assertMayActForLot, type LotSummary } from './deps.ts';
import * as store from './store.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export function evaluationNotFound(): NotFound {
  return new NotFound('EVALUATION_NOT_FOUND', {
    title: '评标信息不存在',
    detail: '该标段（包）尚未设定评标办法。',
  });
}

export function isSupervisor(actor: Actor | null): boolean {
  return actor?.roles.includes('supervisor') ?? false;
}

/** The initiator or its authorised agency (组织评标的一方) for the lot. */
export async function assertOrganiser(ctx: EvaluationContext, lotId: string): Promise<LotSummary> {
  const actor = requireSignedIn(ctx.actor);
  return assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
}

export async function requireEvaluation(ctx: EvaluationContext, lotId: string) {
  const evaluation = await store.findEvaluation(ctx.db, lotId);
  if (!evaluation) throw evaluationNotFound();
  return evaluation;
}

/** The signed-in account is an active member (评标委员会成员) of the lot's committee. */
export async function assertMember(ctx: EvaluationContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const evaluation = await requireEvaluation(ctx, lotId);
  const member = await store.findActiveMemberOfAccount(ctx.db, lotId, actor.accountId);
  if (!member) {
    throw new Forbidden('NOT_COMMITTEE_MEMBER', {
      title: '您不是本项目评标委员会成员',
      detail: '只有本标段评标委员会的在任成员可以查看和办理评标事项。',
    });
  }
  return { actor, evaluation, member };
}

/** A member who has signed in and signed the 回避声明: only then the bidders and the sheets open. */
export async function assertDeclaredMember(ctx: EvaluationContext, lotId: string) {
  const found = await assertMember(ctx, lotId);
  if (!found.member.signed_in_at) {
    throw new RuleViolation('SIGN_IN_REQUIRED', {
      title: '请先签到',
      detail: '评标委员会成员签到后方可查看投标人名单。',
    });
  }
  if (!found.member.declared_at) {
    throw new RuleViolation('DECLARATION_REQUIRED', {
      title: '请先签署回避声明',
      detail: '查看投标人名单后，确认与各投标人无利害关系并签署回避声明，方可评审。',
      citation: '《中华人民共和国招标投标法实施条例》第四十六条第三款',
    });
  }
  return found;
}

/** The elected chair (评标委员会组长), who records the committee's collective decisions. */
export async function assertChair(ctx: EvaluationContext, lotId: string) {
  const found = await assertDeclaredMember(ctx, lotId);
  if (found.evaluation.chair_member_id !== found.member.id) {
    throw new Forbidden('CHAIR_REQUIRED', {
      title: '仅限评标委员会组长办理',
      detail: found.evaluation.chair_member_id
        ? '该事项由评标委员会组长代表评标委员会办理。'
        : '评标委员会尚未推选组长。',
    });
  }
  return found;
}
