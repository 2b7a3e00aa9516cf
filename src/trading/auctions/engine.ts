import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { fenToYuan, formatYuanZh, yuanToFen } from '../../platform/money/index.ts';
import { notify } from '../../platform/notify/index.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import { bidHash } from './chain.ts';
import {
  AUCTION_CHANNEL,
  AUCTION_WITNESS_TYPE,
  type AuctionContext,
  type AuctionsDeps,
  announceState,
  DEADLINE_JOB,
  REGISTRATION_WITNESS_TYPE,
  type Tx,
  witness,
} from './context.ts';
import { assertLotNotSuspended, CREDIT_CITATION, depositStatus } from './deps.ts';
import { advanceAuction } from './lifecycle.ts';
import { assertBidder, auctionNotFound, bidderRefOf, notRegistered } from './policy.ts';
import { amountsHidden, fenOf, HIDDEN_AMOUNT, isSingleBid, nextValidYuan, priceStateOf } from './pricing.ts';
import { CITATIONS, nextValidFen } from './rules.ts';
import * as store from './store.ts';
import type { AuctionPhase, AuctionTerms, BidKind } from './tables.ts';

export { AUCTION_CHANNEL, type AuctionContext } from './context.ts';

/**
 * The engine's heart (issue 10 "The engine"): a bid is validated and written in ONE serialized step under
 * the per-auction writer lock (`select … for update` on the auction row), with server time taken under
 * the lock, so two bids at the same instant can never both win; the order of record is the sequence; every
 * bid is witnessed and chained (chain.ts) in the same transaction, and announced to every instance's live
 * rooms (LISTEN/NOTIFY) when it commits.
 */

export interface BidAck {
  seq: number;
  at: string;
  amountYuan: string;
  currentPriceYuan: string;
  countdownEndsAt: string | null;
  nextValidYuan: string[];
}

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
  me: { pseudonym: string; leading: boolean; cleared: boolean; nextValidYuan: string[] } | null;
  result: { outcome: string; priceYuan: string | null; winnerPseudonym: string | null } | null;
}

/** What a bid notification carries (public: the pseudonym, never the bidder). */
export interface BidNotification {
  auctionId: string;
  seq: number;
  pseudonym: string;
  amountYuan: string;
  at: string;
  phase: string;
  kind: string;
  countdownEndsAt: string | null;
  currentPriceYuan: string | null;
}

/** The most bids a room shows at once (older ones are in the record). */
export const ROOM_BIDS_LIMIT = 200;

const ACTIVE_REGISTRATION = new Set(['registered', 'qualified']);

/** The phase or countdown ended and no job has moved the auction on yet: advance it, then try again. */
class DeadlinePassed extends Error {}

function notBidding(detail: string): RuleViolation {
  return new RuleViolation('AUCTION_NOT_BIDDING', { title: '当前不在竞价时间内', detail });
}

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
  const auction = await store.findAuction(ctx.db, input.auctionId);
  if (!auction || auction.status === 'draft') throw auctionNotFound();
  const registration = await store.findRegistrationByRef(
    ctx.db,
    auction.id,
    bidderRefOf(ctx.sealer, auction.id, actor.organizationId),
  );
  if (!registration || !ACTIVE_REGISTRATION.has(registration.status)) throw notRegistered();
  if (auction.status !== 'bidding') {
    throw notBidding(
      auction.status === 'announced'
        ? `竞价将于 ${formatShanghaiTime(auction.bidding_starts_at)} 开始。`
        : '本项目竞价已经结束。',
    );
  }
  await assertLotNotSuspended(ctx.db, auction.lot_id, ctx.clock.now());
  await clearRegistration(ctx, auction, registration, actor.organizationId);
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await ctx.db
        .transaction()
        .execute((tx) => bidLocked(tx, ctx, auction.id, registration.id, amountFen, kind));
    } catch (error) {
      if (error instanceof DeadlinePassed && attempt === 0) {
        await advanceAuction(depsOf(ctx), auction.id);
        continue;
      }
      if (error instanceof DeadlinePassed) throw notBidding('本阶段竞价已经结束。');
      throw error;
    }
  }
}

async function bidLocked(
  tx: Tx,
  ctx: AuctionContext,
  auctionId: string,
  registrationId: string,
  amountFen: bigint,
  kind: BidKind,
): Promise<BidAck> {
  const row = await store.lockAuction(tx, auctionId);
  if (!row) throw auctionNotFound();
  // Server time, taken while holding the auction's writer lock: the order of time is the order of record.
  const now = ctx.clock.now();
  if (row.status !== 'bidding' || !row.phase) throw notBidding('本项目竞价已经结束。');
  const phase: AuctionPhase = row.phase;
  const deadline = phase === 'timed' ? row.countdown_ends_at : row.phase_ends_at;
  if (deadline && now.getTime() >= deadline.getTime()) throw new DeadlinePassed();
  if (phase === 'entry') {
    throw notBidding(
      `挂牌报价期已结束，正在确认参加限时竞价的竞买人（至 ${row.phase_ends_at ? formatShanghaiTime(row.phase_ends_at) : ''}）。`,
    );
  }
  const registration = await store.findRegistration(tx, registrationId);
  if (!registration || !ACTIVE_REGISTRATION.has(registration.status)) throw notRegistered();
  if (!registration.cleared_at) throw notRegistered();
  if ((phase === 'timed' || phase === 'sealed') && registration.timed_excluded) {
    throw new RuleViolation('NOT_IN_TIMED_BIDDING', {
      title: '本单位未进入限时竞价',
      detail:
        (row.terms as AuctionTerms).timedEntry === 'confirm'
          ? '限时竞价仅限在确认时间内确认参加的竞买人。'
          : '限时竞价仅限在挂牌（自由竞价）期间有有效报价的竞买人。',
      citation: CITATIONS.listingClose,
    });
  }
  const terms = row.terms as AuctionTerms;
  const prices = priceStateOf(row);
  const seq = row.seq + 1;
  let current = prices.currentFen;
  let leader = row.leader_registration_id;
  let floor: bigint | null = null;

  if (phase === 'sealed') {
    if (kind !== 'sealed') {
      throw new RuleViolation('BID_KIND_NOT_ALLOWED', {
        title: '报价已达最高限价，现为一次报价',
        detail: '请提交一次报价（密封，竞价结束时公开）。',
        citation: CITATIONS.priceCap,
      });
    }
    if (await store.hasBid(tx, row.id, registration.id, 'sealed')) {
      throw new RuleViolation('SINGLE_BID_USED', {
        title: '一次报价只能提交一次',
        citation: CITATIONS.priceCap,
      });
    }
    floor = prices.floorFen;
  } else if (kind === 'sealed') {
    throw new RuleViolation('BID_KIND_NOT_ALLOWED', {
      title: '当前不是一次报价阶段',
      detail: '一次报价仅在报价达到最高限价后进行。',
      citation: CITATIONS.priceCap,
    });
  } else if (kind === 'match') {
    ({ current, leader } = await checkMatch(tx, row, registration, amountFen));
  } else if (isSingleBid(row)) {
    if (await store.hasBid(tx, row.id, registration.id)) {
      throw new RuleViolation('SINGLE_BID_USED', {
        title: '一次报价方式下每一竞买人只能报价一次',
        detail: '本单位已经报价，不能再次报价。',
        citation: CITATIONS.singleBid,
      });
    }
    checkGrid(amountFen, { ...prices, currentFen: null, floorFen: prices.startFen });
    if (current === null || amountFen > current) {
      current = amountFen;
      leader = registration.id;
    }
  } else {
    if (prices.floorFen === null && row.leader_registration_id === registration.id) {
      throw new RuleViolation('BID_SELF_OUTBID', {
        title: '您当前为最高报价人，不能自行加价',
        detail: `当前最高价 ${formatYuanZh(fenToYuan(prices.currentFen ?? 0n))} 由本单位报出，须待其他竞买人报价后方可再次报价。`,
        citation: CITATIONS.selfOutbid,
      });
    }
    checkGrid(amountFen, prices);
    current = amountFen;
    leader = registration.id;
  }

  const at = now.toISOString();
  const amountYuan = fenToYuan(amountFen);
  const hash = bidHash(row.chain_head, {
    auctionId: row.id,
    seq,
    pseudonym: registration.pseudonym,
    amountYuan,
    at,
    phase,
    kind,
  });
  await store.insertBid(tx, {
    auction_id: row.id,
    seq,
    registration_id: registration.id,
    amount_yuan: amountYuan,
    at: now,
    phase,
    kind,
    prev_hash: row.chain_head,
    hash,
  });

  // 限时竞价: each accepted bid restarts the countdown; the end comes only after N minutes without a bid.
  let countdownEndsAt = row.countdown_ends_at;
  if (phase === 'timed') countdownEndsAt = new Date(now.getTime() + terms.countdownMinutes * 60_000);
  let nextPhase: AuctionPhase = phase;
  let phaseEndsAt = row.phase_ends_at;
  // 最高限价: the cap reached, price bidding ends and the one-shot sealed round begins.
  const capReached =
    kind !== 'sealed' &&
    !isSingleBid(row) &&
    prices.capFen !== null &&
    current !== null &&
    current >= prices.capFen;
  if (capReached && phase !== 'sealed') {
    nextPhase = 'sealed';
    countdownEndsAt = null;
    phaseEndsAt = new Date(now.getTime() + terms.sealedMinutes * 60_000);
    floor = 0n;
    await enqueueJob(tx, {
      type: DEADLINE_JOB,
      payload: { auctionId: row.id, lotId: row.lot_id },
      runAt: phaseEndsAt,
      dedupeKey: `${DEADLINE_JOB}:${row.id}:${phaseEndsAt.getTime()}`,
    });
  }
  await store.updateAuction(tx, row.id, {
    current_price_yuan: current === null ? null : fenToYuan(current),
    leader_registration_id: leader,
    floor_yuan: floor === null ? null : fenToYuan(floor),
    seq,
    chain_head: hash,
    phase: nextPhase,
    phase_ends_at: phaseEndsAt,
    countdown_ends_at: countdownEndsAt,
    version: row.version + 1,
    updated_at: now,
  });
  const hidden = amountsHidden(row, kind);
  // The bidder stays unnamed in the log until the close: the pseudonym and the chain hash identify the bid.
  await witness(tx, now, sealedOrigin(ctx.origin), AUCTION_WITNESS_TYPE, row.id, 'auction.bid-placed', {
    seq,
    pseudonym: registration.pseudonym,
    amountYuan: hidden ? null : amountYuan,
    phase,
    kind,
    hash,
    countdownEndsAt: countdownEndsAt?.toISOString() ?? null,
  });
  const currentPriceYuan = current === null ? null : fenToYuan(current);
  const publicBid: BidNotification = {
    auctionId: row.id,
    seq,
    pseudonym: registration.pseudonym,
    amountYuan: hidden ? HIDDEN_AMOUNT : amountYuan,
    at,
    phase,
    kind,
    countdownEndsAt: countdownEndsAt?.toISOString() ?? null,
    currentPriceYuan: hidden ? null : currentPriceYuan,
  };
  await notify(tx, AUCTION_CHANNEL, publicBid);
  if (nextPhase !== phase) {
    await witness(tx, now, ctx.origin, AUCTION_WITNESS_TYPE, row.id, 'auction.price-cap-reached', {
      seq,
      priceCapYuan: terms.priceCapYuan,
      sealedEndsAt: phaseEndsAt?.toISOString() ?? null,
      citation: CITATIONS.priceCap,
    });
    await announceState(tx, row.id);
  }
  const after: store.AuctionRow = {
    ...row,
    current_price_yuan: currentPriceYuan,
    floor_yuan: floor === null ? null : fenToYuan(floor),
    phase: nextPhase,
    seq,
  };
  return {
    seq,
    at,
    amountYuan,
    currentPriceYuan: (hidden ? null : currentPriceYuan) ?? amountYuan,
    countdownEndsAt: countdownEndsAt?.toISOString() ?? null,
    nextValidYuan: nextValidYuan(after),
  };
}

function checkGrid(amountFen: bigint, prices: ReturnType<typeof priceStateOf>): void {
  const next = nextValidFen(prices, 3).map((f) => formatYuanZh(fenToYuan(f)));
  const min =
    prices.floorFen ?? (prices.currentFen === null ? prices.startFen : prices.currentFen + prices.stepFen);
  const base = prices.floorFen ?? prices.currentFen ?? prices.startFen;
  if (amountFen < min) {
    throw new RuleViolation('BID_TOO_LOW', {
      title: prices.currentFen === null ? '报价低于起始价' : '报价须高于当前最高价至少一个加价幅度',
      detail: `${prices.currentFen === null ? `起始价 ${formatYuanZh(fenToYuan(prices.startFen))}` : `当前最高价 ${formatYuanZh(fenToYuan(prices.currentFen))}`}，加价幅度 ${formatYuanZh(fenToYuan(prices.stepFen))}；可报：${next.join('、')}……`,
      citation: CITATIONS.bidGrid,
    });
  }
  if ((amountFen - base) % prices.stepFen !== 0n) {
    throw new RuleViolation('BID_OFF_GRID', {
      title: '报价不符合加价幅度',
      detail: `报价须为 ${formatYuanZh(fenToYuan(base))} 加加价幅度 ${formatYuanZh(fenToYuan(prices.stepFen))} 的整数倍；可报：${next.join('、')}……`,
      citation: CITATIONS.bidGrid,
    });
  }
  if (prices.capFen !== null && amountFen > prices.capFen) {
    throw new RuleViolation('BID_OVER_CAP', {
      title: '报价超过最高限价',
      detail: `最高限价为 ${formatYuanZh(fenToYuan(prices.capFen))}；达到最高限价后转为一次报价。`,
      citation: CITATIONS.priceCap,
    });
  }
}

/**
 * 优先权 跟价: a holder of a pre-emptive right (优先受让权) matches the current highest price and becomes the
 * leader; a holder of the same rank matching the same price joins the lottery at the close; a holder of a
 * lower rank cannot displace a higher one.
 */
async function checkMatch(
  tx: Tx,
  row: store.AuctionRow,
  registration: store.RegistrationRow,
  amountFen: bigint,
): Promise<{ current: bigint | null; leader: string | null }> {
  const current = fenOf(row.current_price_yuan);
  const rank = registration.preemptive_rank;
  if (rank === null) {
    throw new RuleViolation('PREEMPTIVE_NOT_HOLDER', {
      title: '本单位不享有优先受让权，不能跟价',
      detail: '跟价仅限竞买申请时经确认的优先权人。',
      citation: CITATIONS.preemptive,
    });
  }
  if (current === null || !row.leader_registration_id) {
    throw new RuleViolation('PREEMPTIVE_NOTHING_TO_MATCH', {
      title: '尚无报价，不能跟价',
      detail: '优先权人可按当前最高价跟价；尚无报价时请按起始价报价。',
      citation: CITATIONS.preemptive,
    });
  }
  if (amountFen !== current) {
    throw new RuleViolation('PREEMPTIVE_MATCH_PRICE', {
      title: '跟价金额须等于当前最高价',
      detail: `当前最高价为 ${formatYuanZh(fenToYuan(current))}。`,
      citation: CITATIONS.preemptive,
    });
  }
  if (row.leader_registration_id === registration.id) {
    throw new RuleViolation('BID_SELF_OUTBID', {
      title: '您当前为最高报价人，无需跟价',
      citation: CITATIONS.selfOutbid,
    });
  }
  if (await hasMatchedAt(tx, row.id, registration.id, row.current_price_yuan)) {
    throw new RuleViolation('PREEMPTIVE_ALREADY_MATCHED', {
      title: '本单位已按当前最高价跟价',
      citation: CITATIONS.preemptive,
    });
  }
  const leaderRow = await store.findRegistration(tx, row.leader_registration_id);
  const leaderRank = leaderRow?.preemptive_rank ?? null;
  if (leaderRank !== null && leaderRank < rank) {
    throw new RuleViolation('PREEMPTIVE_OUTRANKED', {
      title: '当前最高价由顺位在先的优先权人报出',
      detail: '顺位在后的优先权人不能以跟价取代顺位在先的优先权人，可按加价幅度加价。',
      citation: CITATIONS.preemptive,
    });
  }
  // Same rank: the first holder stays the leader; the lottery at the close decides between them.
  const leader = leaderRank !== null && leaderRank === rank ? row.leader_registration_id : registration.id;
  return { current, leader };
}

async function hasMatchedAt(tx: Tx, auctionId: string, registrationId: string, priceYuan: string | null) {
  if (priceYuan === null) return false;
  const bids = await store.listBidsOfRegistration(tx, auctionId, registrationId);
  return bids.some((b) => b.kind === 'match' && yuanToFen(b.amount_yuan) === yuanToFen(priceYuan));
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
            nextValidYuan: row.status === 'bidding' ? nextValidYuan(row) : [],
          }
        : null,
    result:
      result && row.status !== 'bidding'
        ? { outcome: result.outcome, priceYuan: result.price_yuan, winnerPseudonym }
        : null,
  };
}
