import { InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { formatYuanZh, yuanToFen } from '../../platform/money/index.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import { type BidAck, notBidding, submitBid } from './bid-writer.ts';
import { type AuctionContext, type AuctionsDeps, REGISTRATION_WITNESS_TYPE, witness } from './context.ts';
import { CREDIT_CITATION, depositStatus } from './deps.ts';
import { advanceAuction } from './lifecycle.ts';
import { assertBidder, auctionNotFound, bidderRefOf, notRegistered } from './policy.ts';
import { amountsHidden, HIDDEN_AMOUNT, isSingleBid, nextValidYuan } from './pricing.ts';
import { CITATIONS } from './rules.ts';
import * as store from './store.ts';
import type { AuctionTerms, BidKind, BidMode } from './tables.ts';

export type { BidAck, BidNotification } from './bid-writer.ts';
export { AUCTION_CHANNEL, type AuctionContext } from './context.ts';

/**
 * The engine's use cases (issue 10 "The engine"): placing a bid — written by the bid writer
 * (bid-writer.ts: one serialized step per bid under the auction's writer lock, server time, witnessed and
 * chained, group-committed and announced to every instance's live rooms by LISTEN/NOTIFY) after the
 * bidder's first-bid checks — and reading the room.
 */

export interface PublicBid {
  seq: number;
  pseudonym: string;
  amountYuan: string;
  at: string;
  phase: string;
  kind: string;
}

export interface RoomView {
  auctionId: string;
  lotId: string;
  title: string;
  procedureType: string;
  /** 一次报价 ('single'): amounts and the leader stay sealed until the close. */
  bidMode: BidMode;
  status: string;
  phase: string | null;
  startPriceYuan: string;
  stepYuan: string;
  currentPriceYuan: string | null;
  leaderPseudonym: string | null;
  seq: number;
  countdownEndsAt: string | null;
  phaseEndsAt: string | null;
  serverTime: string;
  countdownMinutes: number;
  bids: PublicBid[];
  me: {
    pseudonym: string;
    leading: boolean;
    cleared: boolean;
    /** Holds a confirmed 优先受让权 (may 跟价 the current highest price). */
    preemptive: boolean;
    /** Confirmed to take part in 限时竞价 (entry rule `confirm`). */
    timedConfirmed: boolean;
    /** Not admitted to 限时竞价 (no listed bid, or not confirmed in time): may not bid there. */
    timedExcluded: boolean;
    nextValidYuan: string[];
  } | null;
  result: { outcome: string; priceYuan: string | null; winnerPseudonym: string | null } | null;
}

/** The most bids a room shows at once (older ones are in the record). */
export const ROOM_BIDS_LIMIT = 200;

const ACTIVE_REGISTRATION = new Set(['registered', 'qualified']);

function depsOf(ctx: AuctionContext): AuctionsDeps {
  return { db: ctx.db, clock: ctx.clock, sealer: ctx.sealer, eligibility: ctx.eligibility };
}

function parseAmount(amountYuan: string): bigint {
  let fen: bigint;
  try {
    fen = yuanToFen(amountYuan);
  } catch {
    throw new InvalidInput('BID_AMOUNT_INVALID', {
      title: '报价金额格式错误',
      detail: '金额须为不超过两位小数的非负数（元），例如 1250000.00。',
    });
  }
  if (fen < 0n || !/^\d{1,16}(\.\d{1,2})?$/.test(amountYuan.trim())) {
    throw new InvalidInput('BID_AMOUNT_INVALID', {
      title: '报价金额格式错误',
      detail: '金额须为不超过两位小数的非负数（元），例如 1250000.00。',
    });
  }
  return fen;
}

/**
 * Deposit and credit, checked once per bidder at its first bid (or its 限时竞价 confirmation) and recorded
 * on the registration: `DEPOSIT_NOT_PAID` (the deposits module's status for the lot) and `BIDDER_BARRED`
 * (the credit gate, stage 'bid'). Runs outside any transaction: the credit check records its evidence in a
 * transaction of its own.
 */
export async function clearRegistration(
  ctx: AuctionContext,
  auction: store.AuctionRow,
  registration: store.RegistrationRow,
  organizationId: string,
): Promise<void> {
  if (registration.cleared_at) return;
  const now = ctx.clock.now();
  const deposit = await depositStatus(ctx.db, ctx.sealer, auction.lot_id, organizationId);
  if (!deposit.satisfied) {
    throw new RuleViolation('DEPOSIT_NOT_PAID', {
      title: '竞买保证金未足额缴纳',
      detail: `本项目竞买保证金为 ${formatYuanZh(deposit.requiredYuan ?? '0')}，保证金缴纳截止前到账 ${formatYuanZh(deposit.paidYuan)}；保证金未足额到账（或未提交有效保函）的，不能报价。`,
      citation: CITATIONS.deposit,
    });
  }
  const barred = await ctx.eligibility.barredReasons({
    organizationId,
    lotId: auction.lot_id,
    stage: 'bid',
    at: now,
  });
  if (barred.length > 0) {
    throw new RuleViolation('BIDDER_BARRED', {
      title: '本单位被限制参加公共资源交易活动，不能报价',
      detail: barred.join('；'),
      citation: CREDIT_CITATION,
    });
  }
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.findRegistration(tx, registration.id);
    if (!current || current.cleared_at) return;
    await store.updateRegistration(tx, registration.id, { cleared_at: now });
    await witness(
      tx,
      now,
      sealedOrigin(ctx.origin),
      REGISTRATION_WITNESS_TYPE,
      registration.id,
      'auction-registration.cleared',
      { auctionId: auction.id, pseudonym: registration.pseudonym, depositYuan: deposit.requiredYuan },
    );
  });
  registration.cleared_at = now;
}

/**
 * Places a bid (报价) for the signed-in bidder. Refusals: AUCTION_NOT_BIDDING (not started, between phases,
 * at or after the end of the phase or countdown — the end is exclusive), BIDDER_NOT_REGISTERED (403),
 * DEPOSIT_NOT_PAID, BIDDER_BARRED, BID_SELF_OUTBID, BID_TOO_LOW, BID_OFF_GRID, BID_OVER_CAP,
 * SINGLE_BID_USED, NOT_IN_TIMED_BIDDING, and the 优先权 跟价 rules for kind 'match'.
 */
export async function placeBid(
  ctx: AuctionContext,
  input: { auctionId: string; amountYuan: string; kind?: 'bid' | 'match' | 'sealed' },
): Promise<BidAck> {
  const actor = assertBidder(ctx.actor);
  const kind: BidKind = input.kind ?? 'bid';
  const amountFen = parseAmount(input.amountYuan);
  if (input.auctionId.length > 64) throw auctionNotFound();
  const request = {
    ctx,
    auctionId: input.auctionId,
    bidderRef: bidderRefOf(ctx.sealer, input.auctionId, actor.organizationId),
    amountFen,
    kind,
  };
  let cleared = false;
  let advanced = false;
  for (;;) {
    const outcome = await submitBid(request);
    switch (outcome.type) {
      case 'placed':
        return outcome.ack;
      case 'refused':
        throw outcome.error;
      case 'clear':
        // The first bid: deposit and credit, outside the writer (the credit check writes its own evidence).
        if (cleared) throw notRegistered();
        await clearRegistration(ctx, outcome.auction, outcome.registration, actor.organizationId);
        cleared = true;
        break;
      case 'deadline':
        // The phase or countdown ended and no job has moved the auction on yet: advance it, then try again.
        if (advanced) throw notBidding('本阶段竞价已经结束。');
        await advanceAuction(depsOf(ctx), input.auctionId);
        advanced = true;
        break;
    }
  }
}

/**
 * What a room shows (public): the state, the countdown, the anonymised history since `sinceSeq` (all when
 * null, at most the last 200); for a registered bidder also its pseudonym and the next valid amounts.
 */
export async function readRoom(
  ctx: AuctionContext,
  auctionId: string,
  opts: { sinceSeq: number | null },
): Promise<RoomView> {
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row || row.status === 'draft') throw auctionNotFound();
  const terms = row.terms as AuctionTerms;
  const [bids, result, leader, mine] = await Promise.all([
    store.listPublicBids(ctx.db, auctionId, opts.sinceSeq, ROOM_BIDS_LIMIT),
    store.findResult(ctx.db, auctionId),
    row.leader_registration_id ? store.findRegistration(ctx.db, row.leader_registration_id) : undefined,
    ctx.actor?.organizationId && ctx.actor.roles.includes('responder')
      ? store.findRegistrationByRef(
          ctx.db,
          auctionId,
          bidderRefOf(ctx.sealer, auctionId, ctx.actor.organizationId),
        )
      : undefined,
  ]);
  const single = isSingleBid(row) && row.status === 'bidding';
  const sealedRound = row.phase === 'sealed';
  let winnerPseudonym: string | null = null;
  if (result?.close_winner_registration_id) {
    winnerPseudonym =
      (await store.findRegistration(ctx.db, result.close_winner_registration_id))?.pseudonym ?? null;
  }
  return {
    auctionId: row.id,
    lotId: row.lot_id,
    title: row.title,
    procedureType: row.procedure_type,
    bidMode: terms.bidMode,
    status: row.status,
    phase: row.phase,
    startPriceYuan: row.start_price_yuan,
    stepYuan: row.step_yuan,
    currentPriceYuan: single ? null : row.current_price_yuan,
    leaderPseudonym: single || sealedRound ? null : (leader?.pseudonym ?? null),
    seq: row.seq,
    countdownEndsAt: row.countdown_ends_at?.toISOString() ?? null,
    phaseEndsAt: row.phase_ends_at?.toISOString() ?? null,
    serverTime: ctx.clock.now().toISOString(),
    countdownMinutes: terms.countdownMinutes,
    bids: bids.map((b) => ({
      seq: b.seq,
      pseudonym: b.pseudonym,
      amountYuan: amountsHidden(row, b.kind) ? HIDDEN_AMOUNT : b.amount_yuan,
      at: b.at.toISOString(),
      phase: b.phase,
      kind: b.kind,
    })),
    me:
      mine && ACTIVE_REGISTRATION.has(mine.status)
        ? {
            pseudonym: mine.pseudonym,
            leading: !single && row.leader_registration_id === mine.id,
            cleared: mine.cleared_at !== null,
            preemptive: mine.preemptive_rank !== null,
            timedConfirmed: mine.timed_confirmed_at !== null,
            timedExcluded: mine.timed_excluded,
            nextValidYuan: row.status === 'bidding' ? nextValidYuan(row) : [],
          }
        : null,
    result:
      result && row.status !== 'bidding'
        ? { outcome: result.outcome, priceYuan: result.price_yuan, winnerPseudonym }
        : null,
  };
}
