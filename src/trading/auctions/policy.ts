import { Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type { AuctionContext } from './context.ts';
import { assertInScope, assertMayActForLot, type LotSummary } from './deps.ts';
import type { AuctionRow } from './store.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export function notRegistered(): Forbidden {
  return new Forbidden('BIDDER_NOT_REGISTERED', {
    title: '本单位未报名参加该项目竞价',
    detail: '请先在公告规定的时间内提交竞买申请并缴纳竞买保证金。',
  });
}

/** A signed-in 竞买人 (responder) account of an organisation. */
export function assertBidder(actor: Actor | null): Actor & { organizationId: string } {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('responder') || !signedIn.organizationId) {
    throw new Forbidden('BIDDER_NOT_REGISTERED', {
      title: '仅限竞买人',
      detail: '竞买申请和报价须使用已受理的竞买人（响应方）单位账号。',
    });
  }
  return signedIn as Actor & { organizationId: string };
}

export function auctionNotFound(): NotFound {
  return new NotFound('AUCTION_NOT_FOUND', { title: '竞价项目不存在' });
}

/** The initiator (出让人/转让人) or its authorised agency acts for the auction's lot. */
export async function assertOrganiser(ctx: AuctionContext, lotId: string): Promise<LotSummary> {
  const actor = requireSignedIn(ctx.actor);
  return assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
}

export function isOrganiserOf(actor: Actor | null, row: AuctionRow): boolean {
  return (
    !!actor?.organizationId &&
    (actor.roles.includes('initiator') || actor.roles.includes('agency')) &&
    (actor.organizationId === row.initiator_organization_id ||
      actor.organizationId === row.agency_organization_id)
  );
}

/**
 * Who may watch the host's view and read the organisers' view: the lot's initiator or agency, the 交易中心
 * (operator), a supervisor whose scope covers the lot, an auditor.
 */
export async function assertMayOversee(ctx: AuctionContext, row: AuctionRow): Promise<'organiser' | 'staff'> {
  const actor = requireSignedIn(ctx.actor);
  if (actor.roles.includes('operator') || actor.roles.includes('auditor')) return 'staff';
  if (actor.roles.includes('supervisor')) {
    await assertInScope(ctx.db, actor, {
      regionCode: row.region_code,
      catalogItemCode: row.catalog_item_code,
      label: row.title,
    });
    return 'staff';
  }
  await assertOrganiser(ctx, row.lot_id);
  return 'organiser';
}

/** The blind lookup value of a bidder in an auction, and of an organisation across auctions. */
export function bidderRefOf(sealer: FieldSealer, auctionId: string, organizationId: string): string {
  return sealer.blindIndex('auction-bidder', auctionId, organizationId);
}

export function organizationRefOf(sealer: FieldSealer, organizationId: string): string {
  return sealer.blindIndex('auction-organization', organizationId);
}

export function registrationContext(registrationId: string): string {
  return `auction-registration:${registrationId}`;
}

export function reserveContext(auctionId: string): string {
  return `auction-reserve:${auctionId}`;
}
