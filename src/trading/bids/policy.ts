import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { type BidsContext, CITATIONS } from './context.ts';
import { findEntityOfOrganization } from './deps.ts';

/** 主体角色 that respond to a tender (投标人/供应商/竞买人/受让人). */
const RESPONDER_ENTITY_ROLES = new Set(['bidder', 'supplier', 'competitive_bidder', 'assignee']);

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export interface Bidder {
  actor: Actor;
  organizationId: string;
  creditCode: string;
  name: string;
}

/**
 * A registered bidder: a responder account whose organisation is a market entity accepted (受理) by the
 * trading centre in a responding role. Only they submit bids.
 */
export async function requireBidder(ctx: BidsContext): Promise<Bidder> {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.roles.includes('responder') || !actor.organizationId) {
    throw new Forbidden('RESPONDER_REQUIRED', {
      title: '仅限已登记的投标人（供应商）',
      detail: '递交投标文件需以投标人（供应商）身份登录。',
      citation: CITATIONS.registered,
    });
  }
  const entity = await findEntityOfOrganization(ctx.db, actor.organizationId);
  if (entity?.status !== 'active' || !entity.roles.some((r) => RESPONDER_ENTITY_ROLES.has(r))) {
    throw new Forbidden('RESPONDER_NOT_REGISTERED', {
      title: '本单位尚未完成市场主体登记',
      detail: '只有经交易中心受理、登记为投标人（供应商）的市场主体才能递交投标文件。',
      citation: CITATIONS.registered,
    });
  }
  return {
    actor,
    organizationId: actor.organizationId,
    creditCode: entity.creditCode ?? '',
    name: entity.name,
  };
}

/** The blind index naming a bidder of a lot in this module's tables (docs/bids.md "Secrecy"). */
export function bidderRefOf(ctx: Pick<BidsContext, 'deps'>, lotId: string, organizationId: string): string {
  return ctx.deps.sealer.blindIndex('bidder', lotId, organizationId);
}
