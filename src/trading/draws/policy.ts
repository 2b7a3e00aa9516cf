import { Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { DrawsContext } from './context.ts';
import { assertMayActForLot, findExpertOfAccount } from './deps.ts';
import { expertRefOf } from './refs.ts';
import * as store from './store.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export function drawNotFound(): NotFound {
  return new NotFound('DRAW_NOT_FOUND', { title: '专家抽取记录不存在' });
}

export function isSupervisor(actor: Actor | null): boolean {
  return actor?.roles.includes('supervisor') ?? false;
}

/** The draw exists and the actor acts for its lot (the initiator or its authorised agency). */
export async function assertRequesterOf(ctx: DrawsContext, drawId: string) {
  const actor = requireSignedIn(ctx.actor);
  const draw = await store.findDraw(ctx.db, drawId);
  if (!draw) throw drawNotFound();
  await assertMayActForLot(ctx.db, actor, draw.lot_id, ctx.clock.now());
  return draw;
}

/** The signed-in expert's pool record and blind reference; 403 for an account that is no active expert. */
export async function assertExpert(ctx: DrawsContext) {
  const actor = requireSignedIn(ctx.actor);
  const expert = actor.roles.includes('expert') ? await findExpertOfAccount(ctx.db, actor.accountId) : null;
  if (!expert) {
    throw new Forbidden('EXPERT_REQUIRED', {
      title: '仅限在库评标专家',
      detail: '抽取通知只对已入库（在库）的评标专家本人开放。',
    });
  }
  return { actor, expert, expertRef: expertRefOf(ctx.deps.sealer, expert.expertId) };
}
