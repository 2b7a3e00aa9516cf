import type { Insertable, Kysely } from 'kysely';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { AppError, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { fenToYuan, formatYuanZh, yuanToFen } from '../../platform/money/index.ts';
import { MAX_NOTIFY_BYTES, notifyMany } from '../../platform/notify/index.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import { appendWitnessEvents, type WitnessAppend } from '../../platform/witness/index.ts';
import { bidHash, type ChainBid } from './chain.ts';
import {
  AUCTION_CHANNEL,
  AUCTION_WITNESS_TYPE,
  type AuctionContext,
  type AuctionsDb,
  DEADLINE_JOB,
  stateNotification,
  type Tx,
} from './context.ts';
import { suspendedLots } from './deps.ts';
import { auctionNotFound, notRegistered } from './policy.ts';
import { amountsHidden, fenOf, HIDDEN_AMOUNT, isSingleBid, nextValidYuan, priceStateOf } from './pricing.ts';
import { CITATIONS, nextValidFen } from './rules.ts';
import * as store from './store.ts';
import type { AuctionPhase, AuctionsTables, AuctionTerms, BidKind } from './tables.ts';

/**
 * The bid writer (issue 10 "one writer per auction"): bids are validated and written in serialized steps
 * under the auction's writer lock (`select … for update` on the auction row), with server time taken under
 * the lock, so two bids at the same instant can never both win and the order of record is the sequence.
 *
 * Group commit: the bids that arrive while a transaction is being written wait and go together into the
 * next one — each one still checked against the state the bids before it left, each with its own witness
 * event and chain hash, all committed together (or none) and acknowledged only after the commit. One
 * instance writes one batch at a time; several instances serialise on the rows they lock (in id order, so
 * two batches never deadlock). A batch that fails for another reason than a rule (a database error) is
 * written again bid by bid, so one bad bid cannot take the others down with it.
 */

export interface BidAck {
  seq: number;
  at: string;
  amountYuan: string;
  currentPriceYuan: string;
  countdownEndsAt: string | null;
  nextValidYuan: string[];
}

/** What a bid notification carries: the chained public bid (the pseudonym, never the bidder) and the state after it. */
export interface BidNotification extends ChainBid {
  countdownEndsAt: string | null;
  currentPriceYuan: string | null;
}

/** A batch's bids as AUCTION_CHANNEL carries them: `{ kind: 'bids', items }`, each item one bid. */
export const BIDS_NOTIFICATION = 'bids';

export interface BidRequest {
  ctx: AuctionContext;
  auctionId: string;
  bidderRef: string;
  amountFen: bigint;
  kind: BidKind;
}

/**
 * How a bid came out: placed (committed), refused by a rule, waiting for the bidder's first-bid checks
 * (deposit and credit, made outside the writer), or too late for the phase's deadline (the caller moves
 * the auction on and tries once more).
 */
export type BidOutcome =
  | { type: 'placed'; ack: BidAck }
  | { type: 'refused'; error: AppError }
  | { type: 'clear'; auction: store.AuctionRow; registration: store.RegistrationRow }
  | { type: 'deadline' };

const ACTIVE_REGISTRATION = new Set(['registered', 'qualified']);
/** The most bids one transaction takes. */
const MAX_BATCH = 256;

interface Pending {
  request: BidRequest;
  resolve(outcome: BidOutcome): void;
  reject(error: unknown): void;
}

class BidWriter {
  readonly #db: Kysely<AuctionsDb>;
  #queue: Pending[] = [];
  #running = false;

  constructor(db: Kysely<AuctionsDb>) {
    this.#db = db;
  }

  submit(request: BidRequest): Promise<BidOutcome> {
    return new Promise<BidOutcome>((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        // The bids read in this turn of the event loop go into the first batch together.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        await this.#write(batch);
      }
    } finally {
      this.#running = false;
    }
  }

  async #write(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await this.#db.transaction().execute((tx) =>
        writeBatch(
          tx,
          batch.map((p) => p.request),
        ),
      );
      for (const [i, pending] of batch.entries()) pending.resolve(outcomes[i] as BidOutcome);
      return;
    } catch (error) {
      if (batch.length === 1) {
        (batch[0] as Pending).reject(error);
        return;
      }
    }
    // The batch failed as a whole: each bid on its own, so the failure stays with the bid that caused it.
    for (const pending of batch) await this.#write([pending]);
  }
}

const writers = new WeakMap<Kysely<AuctionsDb>, BidWriter>();

/** Places a bid through the writer of the context's database (one per platform instance). */
export function submitBid(request: BidRequest): Promise<BidOutcome> {
  let writer = writers.get(request.ctx.db);
  if (!writer) {
    writer = new BidWriter(request.ctx.db);
    writers.set(request.ctx.db, writer);
  }
  return writer.submit(request);
}

export function notBidding(detail: string): RuleViolation {
  return new RuleViolation('AUCTION_NOT_BIDDING', { title: '当前不在竞价时间内', detail });
}

/** The phase or countdown ended and no job has moved the auction on yet. */
class DeadlinePassed extends Error {}

/** The bid needs the bidder's first-bid checks first. */
class NeedsClearing extends Error {
  constructor(
    readonly auction: store.AuctionRow,
    readonly registration: store.RegistrationRow,
  ) {
    super('registration not cleared');
  }
}

/** What a batch writes once all its bids are checked. */
interface BatchWrites {
  bids: Insertable<AuctionsTables['auction_bids']>[];
  witness: WitnessAppend[];
  notifications: BidNotification[];
  dirty: Set<string>;
  /** Auctions whose state changed beyond the price (the rooms re-read them). */
  stateChanged: Set<string>;
}

async function writeBatch(tx: Tx, requests: BidRequest[]): Promise<BidOutcome[]> {
  const ids = [...new Set(requests.map((r) => r.auctionId))].sort();
  const rows = new Map((await store.lockAuctions(tx, ids)).map((row) => [row.id, row]));
  const registrations = await store.findRegistrationsByRef(
    tx,
    requests.map((r) => ({ auctionId: r.auctionId, bidderRef: r.bidderRef })),
  );
  const lots = [...rows.values()].filter((row) => row.status === 'bidding').map((row) => row.lot_id);
  const suspended = await suspendedLots(tx, lots, (requests[0] as BidRequest).ctx.clock.now());
  const writes: BatchWrites = {
    bids: [],
    witness: [],
    notifications: [],
    dirty: new Set(),
    stateChanged: new Set(),
  };
  const outcomes: BidOutcome[] = [];
  for (const request of requests) {
    try {
      const row = rows.get(request.auctionId);
      if (!row || row.status === 'draft') throw auctionNotFound();
      const registration = registrations.get(`${request.auctionId}\u0000${request.bidderRef}`);
      if (!registration || !ACTIVE_REGISTRATION.has(registration.status)) throw notRegistered();
      if (row.status !== 'bidding') {
        throw notBidding(
          row.status === 'announced'
            ? `竞价将于 ${formatShanghaiTime(row.bidding_starts_at)} 开始。`
            : '本项目竞价已经结束。',
        );
      }
      const suspension = suspended.get(row.lot_id);
      if (suspension) throw suspension;
      if (!registration.cleared_at) throw new NeedsClearing(row, registration);
      const { ack, after } = await bidLocked(tx, request, row, registration, writes);
      rows.set(row.id, after);
      outcomes.push({ type: 'placed', ack });
    } catch (error) {
      if (error instanceof AppError) outcomes.push({ type: 'refused', error });
      else if (error instanceof DeadlinePassed) outcomes.push({ type: 'deadline' });
      else if (error instanceof NeedsClearing)
        outcomes.push({ type: 'clear', auction: error.auction, registration: error.registration });
      else throw error;
    }
  }
  await flushWrites(tx, rows, writes);
  return outcomes;
}

async function flushWrites(tx: Tx, rows: Map<string, store.AuctionRow>, writes: BatchWrites): Promise<void> {
  if (writes.bids.length === 0) return;
  await store.insertBids(tx, writes.bids);
  await store.updateAuctionBidStates(
    tx,
    [...writes.dirty].map((id) => rows.get(id) as store.AuctionRow),
  );
  await appendWitnessEvents(tx, writes.witness);
  // Every instance's rooms: the bids in the order of record, in as few notifications as fit, then the
  // auctions whose state changed beyond the price (the rooms re-read those).
  const payloads: unknown[] = [];
  let chunk: BidNotification[] = [];
  let bytes = 0;
  for (const bid of writes.notifications) {
    const size = Buffer.byteLength(JSON.stringify(bid)) + 1;
    if (chunk.length > 0 && bytes + size > MAX_NOTIFY_BYTES - 64) {
      payloads.push({ kind: BIDS_NOTIFICATION, items: chunk });
      chunk = [];
      bytes = 0;
    }
    chunk.push(bid);
    bytes += size;
  }
  if (chunk.length > 0) payloads.push({ kind: BIDS_NOTIFICATION, items: chunk });
  for (const id of writes.stateChanged) payloads.push(stateNotification(id));
  await notifyMany(tx, AUCTION_CHANNEL, payloads);
}

/**
 * One bid against the auction's state as the bids before it in the batch left it. Reads only (rule
 * violations leave nothing behind); what it writes goes into `writes`, and the state after it is returned.
 */
async function bidLocked(
  tx: Tx,
  request: BidRequest,
  row: store.AuctionRow,
  registration: store.RegistrationRow,
  writes: BatchWrites,
): Promise<{ ack: BidAck; after: store.AuctionRow }> {
  const { ctx, amountFen, kind } = request;
  // Server time, taken while holding the auction's writer lock: the order of time is the order of record.
  const now = ctx.clock.now();
  if (!row.phase) throw notBidding('本项目竞价已经结束。');
  const phase: AuctionPhase = row.phase;
  const deadline = phase === 'timed' ? row.countdown_ends_at : row.phase_ends_at;
  if (deadline && now.getTime() >= deadline.getTime()) throw new DeadlinePassed();
  if (phase === 'entry') {
    throw notBidding(
      `挂牌报价期已结束，正在确认参加限时竞价的竞买人（至 ${row.phase_ends_at ? formatShanghaiTime(row.phase_ends_at) : ''}）。`,
    );
  }
  const terms = row.terms as AuctionTerms;
  if ((phase === 'timed' || phase === 'sealed') && registration.timed_excluded) {
    throw new RuleViolation('NOT_IN_TIMED_BIDDING', {
      title: '本单位未进入限时竞价',
      detail:
        terms.timedEntry === 'confirm'
          ? '限时竞价仅限在确认时间内确认参加的竞买人。'
          : '限时竞价仅限在挂牌（自由竞价）期间有有效报价的竞买人。',
      citation: CITATIONS.listingClose,
    });
  }
  const prices = priceStateOf(row);
  const seq = row.seq + 1;
  let current = prices.currentFen;
  let leader = row.leader_registration_id;
  let floor: bigint | null = prices.floorFen;
  const placedInBatch = (k?: BidKind) =>
    writes.bids.some(
      (b) =>
        b.auction_id === row.id && b.registration_id === registration.id && (k === undefined || b.kind === k),
    );

  if (phase === 'sealed') {
    if (kind !== 'sealed') {
      throw new RuleViolation('BID_KIND_NOT_ALLOWED', {
        title: '报价已达最高限价，现为一次报价',
        detail: '请提交一次报价（密封，竞价结束时公开）。',
        citation: CITATIONS.priceCap,
      });
    }
    if (placedInBatch('sealed') || (await store.hasBid(tx, row.id, registration.id, 'sealed'))) {
      throw new RuleViolation('SINGLE_BID_USED', {
        title: '一次报价只能提交一次',
        citation: CITATIONS.priceCap,
      });
    }
  } else if (kind === 'sealed') {
    throw new RuleViolation('BID_KIND_NOT_ALLOWED', {
      title: '当前不是一次报价阶段',
      detail: '一次报价仅在报价达到最高限价后进行。',
      citation: CITATIONS.priceCap,
    });
  } else if (kind === 'match') {
    ({ current, leader } = await checkMatch(tx, row, registration, amountFen, writes));
    floor = null;
  } else if (isSingleBid(row)) {
    if (placedInBatch() || (await store.hasBid(tx, row.id, registration.id))) {
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
    floor = null;
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
    floor = null;
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
  writes.bids.push({
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
  const currentPriceYuan = current === null ? null : fenToYuan(current);
  const after: store.AuctionRow = {
    ...row,
    current_price_yuan: currentPriceYuan,
    leader_registration_id: leader,
    floor_yuan: floor === null ? null : fenToYuan(floor),
    seq,
    chain_head: hash,
    phase: nextPhase,
    phase_ends_at: phaseEndsAt,
    countdown_ends_at: countdownEndsAt,
    version: row.version + 1,
    updated_at: now,
  };
  writes.dirty.add(row.id);
  const hidden = amountsHidden(row, kind);
  // The bidder stays unnamed in the log until the close: the pseudonym and the chain hash identify the bid.
  writes.witness.push({
    at: now,
    origin: sealedOrigin(ctx.origin),
    event: {
      entityType: AUCTION_WITNESS_TYPE,
      entityId: row.id,
      action: 'auction.bid-placed',
      payload: {
        seq,
        pseudonym: registration.pseudonym,
        amountYuan: hidden ? null : amountYuan,
        phase,
        kind,
        hash,
        countdownEndsAt: countdownEndsAt?.toISOString() ?? null,
      },
    },
  });
  writes.notifications.push({
    auctionId: row.id,
    seq,
    pseudonym: registration.pseudonym,
    amountYuan: hidden ? HIDDEN_AMOUNT : amountYuan,
    at,
    phase,
    kind,
    countdownEndsAt: countdownEndsAt?.toISOString() ?? null,
    currentPriceYuan: hidden ? null : currentPriceYuan,
  });
  if (nextPhase !== phase) {
    writes.witness.push({
      at: now,
      origin: ctx.origin,
      event: {
        entityType: AUCTION_WITNESS_TYPE,
        entityId: row.id,
        action: 'auction.price-cap-reached',
        payload: {
          seq,
          priceCapYuan: terms.priceCapYuan,
          sealedEndsAt: phaseEndsAt?.toISOString() ?? null,
          citation: CITATIONS.priceCap,
        },
      },
    });
    writes.stateChanged.add(row.id);
  }
  return {
    after,
    ack: {
      seq,
      at,
      amountYuan,
      currentPriceYuan: (hidden ? null : currentPriceYuan) ?? amountYuan,
      countdownEndsAt: countdownEndsAt?.toISOString() ?? null,
      nextValidYuan: nextValidYuan(after),
    },
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
  writes: BatchWrites,
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
  const matchedInBatch = writes.bids.some(
    (b) =>
      b.auction_id === row.id &&
      b.registration_id === registration.id &&
      b.kind === 'match' &&
      yuanToFen(String(b.amount_yuan)) === current,
  );
  if (matchedInBatch || (await hasMatchedAt(tx, row.id, registration.id, current))) {
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

async function hasMatchedAt(tx: Tx, auctionId: string, registrationId: string, priceFen: bigint) {
  const bids = await store.listBidsOfRegistration(tx, auctionId, registrationId);
  return bids.some((b) => b.kind === 'match' && yuanToFen(b.amount_yuan) === priceFen);
}
