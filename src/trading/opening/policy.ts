import { AppError, Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { OpeningContext, ReadDb } from './context.ts';
import { assertMayActForLot, findLot, getLotTimeline, type LotSummary } from './deps.ts';
import * as store from './store.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

/** 主持人: 交易中心 staff, the lot's agency, or the initiator when it has no agency (87号令第四十条). */
export type HostParty = 'operator' | 'agency' | 'initiator';

export type Viewer =
  | { kind: 'host'; party: HostParty; actor: Actor }
  | { kind: 'watcher'; actor: Actor }
  | { kind: 'bidder'; actor: Actor; organizationId: string };

async function lotParty(
  db: ReadDb,
  actor: Actor,
  lotId: string,
  at: Date,
): Promise<{ lot: LotSummary; party: 'initiator' | 'agency' } | null> {
  try {
    const lot = await assertMayActForLot(db, actor, lotId, at);
    const party = actor.organizationId === lot.agencyOrganizationId ? 'agency' : 'initiator';
    return { lot, party };
  } catch (error) {
    if (error instanceof Forbidden || error instanceof Unauthenticated) return null;
    throw error;
  }
}

export async function hostPartyOf(ctx: OpeningContext, lotId: string): Promise<HostParty | null> {
  const actor = ctx.actor;
  if (!actor) return null;
  if (actor.roles.includes('operator')) return 'operator';
  if (!actor.roles.includes('agency') && !actor.roles.includes('initiator')) return null;
  const found = await lotParty(ctx.db, actor, lotId, ctx.clock.now());
  if (!found) return null;
  // With an agency, the agency hosts; the initiator watches (its representative attends, 87号令第四十条).
  if (found.party === 'initiator' && found.lot.agencyOrganizationId) return null;
  return found.party;
}

export async function assertHost(
  ctx: OpeningContext,
  lotId: string,
): Promise<{ actor: Actor; party: HostParty }> {
  const actor = requireSignedIn(ctx.actor);
  const party = await hostPartyOf(ctx, lotId);
  if (!party) {
    throw new Forbidden('NOT_OPENING_HOST', {
      title: '您不是本标段开标的主持人',
      detail: '开标由代理机构（无代理机构时为招标人/采购人）或交易中心工作人员主持。',
    });
  }
  return { actor, party };
}

/**
 * Who may watch the hall: host parties, the initiator, 交易中心 staff, supervisors, and the organisations
 * with a live bid (before the reveal: checked against the sealed bids, told to nobody but themselves).
 */
export async function viewerOf(ctx: OpeningContext, lotId: string): Promise<Viewer> {
  const actor = requireSignedIn(ctx.actor);
  const lot = await findLot(ctx.db, lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  const party = await hostPartyOf(ctx, lotId);
  if (party) return { kind: 'host', party, actor };
  if (actor.roles.includes('supervisor')) return { kind: 'watcher', actor };
  if (actor.roles.includes('initiator') || actor.roles.includes('agency')) {
    if (await lotParty(ctx.db, actor, lotId, ctx.clock.now())) return { kind: 'watcher', actor };
  }
  if (actor.roles.includes('responder') && actor.organizationId) {
    if (await hasLiveBid(ctx, lotId, actor.organizationId)) {
      return { kind: 'bidder', actor, organizationId: actor.organizationId };
    }
    throw new Forbidden('NO_BID_IN_LOT', {
      title: '本单位在该标段没有有效的投标文件',
      detail: '只有递交了投标文件（且未撤回）的投标人可以进入开标大厅。',
    });
  }
  throw new Forbidden('NOT_OPENING_PARTY', { title: '无权进入该标段的开标大厅' });
}

/** The organisation has a live bid: from the reveal on our own rows, before it the sealed bids. */
export async function hasLiveBid(
  ctx: OpeningContext,
  lotId: string,
  organizationId: string,
): Promise<boolean> {
  const hall = await store.findHall(ctx.db, lotId);
  if (hall && hall.state !== 'check-in') {
    return Boolean(await store.findDecryptionOfOrganization(ctx.db, lotId, organizationId));
  }
  const timeline = await getLotTimeline(ctx.db, lotId);
  // Before the deadline bids are sealed even from this check (and the hall is not open anyway).
  if (!timeline || ctx.clock.now() < timeline.bidDeadline) return false;
  try {
    const bids = await ctx.ports.revealBids(ctx.db, lotId);
    return bids.some((b) => b.organizationId === organizationId);
  } catch (error) {
    if (error instanceof AppError && error.status === 409) return false;
    throw error;
  }
}
