import { Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { AwardsContext } from './context.ts';
import { assertMayActForLot, type LotSummary } from './deps.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export function noReport(): NotFound {
  return new NotFound('AWARD_NO_REPORT', {
    title: '评标报告尚未完成',
    detail: '评标委员会全体成员签署评标报告后，方可进行定标。',
  });
}

/** The actor acts for the lot: its initiator, or the agency it authorised. */
export async function assertActsForLot(ctx: AwardsContext, lotId: string): Promise<LotSummary> {
  const actor = requireSignedIn(ctx.actor);
  return assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
}

/** 定标 is the initiator's own decision (招标投标法第四十条): an agency prepares it but does not make it. */
export async function assertInitiatorOfLot(ctx: AwardsContext, lotId: string): Promise<LotSummary> {
  const lot = await assertActsForLot(ctx, lotId);
  if (ctx.actor?.organizationId !== lot.initiatorOrganizationId) {
    throw new Forbidden('AWARD_INITIATOR_ONLY', {
      title: '中标人由招标人（采购人）确定',
      detail: '招标代理机构可以办理公示、通知书等事务，但确定中标人须由招标人（采购人）本单位账号操作。',
      citation: '《中华人民共和国招标投标法》第四十条',
    });
  }
  return lot;
}

/** A signed-in responder account of an organisation: the bidder's own view. */
export function assertResponder(actor: Actor | null): Actor & { organizationId: string } {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('responder') || !signedIn.organizationId) {
    throw new Forbidden('BIDDER_REQUIRED', { title: '仅限投标人（供应商）' });
  }
  return signedIn as Actor & { organizationId: string };
}
