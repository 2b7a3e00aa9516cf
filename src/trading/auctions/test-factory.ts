import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { type DepositFactoryPlatform, payTestDeposit } from '../deposits/test-factory.ts';
import {
  type FactoryAccount,
  type FactoryClient,
  type FactoryPlatform,
  type FactoryResponse,
  makeAcceptedEntity,
  registerReceivedLot,
} from '../projects/test-factory.ts';
import type { AuctionContext, AuctionsDb } from './context.ts';
import type { AuctionProcedureType, TimedEntry } from './tables.ts';

/**
 * Test factory (other modules' tests — the live room, the bench, the browser test — and this module's own):
 * an auction set up, announced and in bidding through the API, with bidders registered and their deposits
 * paid the way a real bidder pays (deposits' `payTestDeposit`), the clock moved into the bidding and the
 * jobs run. Production code may not import it. Pass `makeTestPlatform()`'s result.
 */
export interface AuctionFactoryClient extends FactoryClient {
  put(url: string, body?: unknown): Promise<FactoryResponse>;
}

export interface AuctionFactoryPlatform<C extends AuctionFactoryClient = AuctionFactoryClient>
  extends FactoryPlatform<C> {
  clock: Clock & { set(to: Date | string): void };
  jobs: { runDueJobs(): Promise<unknown> };
}

export interface AuctionFactoryOptions {
  procedureType?: AuctionProcedureType;
  /** Default: 0301 (挂牌、拍卖), 0601 (网络竞价). */
  catalogItemCode?: string;
  bidders: number;
  countdownMinutes?: number;
  /** Default 'automatic' (so that the factory can move a listing into 限时竞价 without bids). */
  timedEntry?: TimedEntry;
  /** 底价; default none. */
  reserveYuan?: string | null;
  startYuan?: string;
  stepYuan?: string;
  /** 竞买保证金; default 100000.00 ('0.00': none asked). */
  depositYuan?: string;
  /** Where to leave the auction: the listing / free period (default) or 限时竞价. */
  phase?: 'listing' | 'free' | 'timed';
  regionCode?: string;
  withAgency?: boolean;
  /** Bidders who do not pay (their index), e.g. to test DEPOSIT_NOT_PAID. */
  unpaid?: number[];
  /** Bidders who do not register (their index): accepted 竞买人 without a registration. */
  unregistered?: number[];
  /** 优先受让权 rank per bidder (null: none); the holders are named in the terms and claim it at registration. */
  preemptiveRanks?: (number | null)[];
  /** Any other setup fields (minBidders, priceCapYuan, bidMode, qualification, preemptiveHolders …). */
  setup?: Record<string, unknown>;
  /** Runs before the clock moves to the start of the bidding (e.g. to register more bidders). */
  beforeStart?: (ctx: { auctionId: string; lotId: string }) => Promise<void>;
  /** Runs after the publication, before the bidders register (e.g. to give a credit restriction). */
  beforeRegistration?: (ctx: { auctionId: string; lotId: string }) => Promise<void>;
}

export interface AuctionTestBidder<C extends AuctionFactoryClient = AuctionFactoryClient> {
  client: C;
  organizationId: string;
  pseudonym: string;
  account: FactoryAccount;
  creditCode: string;
  name: string;
}

export interface AuctionInBidding<C extends AuctionFactoryClient = AuctionFactoryClient> {
  auctionId: string;
  lotId: string;
  bidders: AuctionTestBidder<C>[];
  /** The 交易中心 operator (the host). */
  host: C;
  initiator: C;
  /** The initiator's account (to sign as it, e.g. the contract). */
  initiatorAccount: FactoryAccount;
  agency?: C;
  times: {
    biddingStartsAt: Date;
    registrationUntil: Date;
    listingEndsAt: Date | null;
    freeEndsAt: Date | null;
  };
  /** Sessions live in platform time: after the clock jumps, every party signs in again. */
  relogin(): Promise<void>;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function expectOk(res: FactoryResponse, what: string): unknown {
  if (res.statusCode !== 200 && res.statusCode !== 201)
    throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** The body of PUT /api/lots/:lotId/auction for a schedule starting `startsAt` (tests override what they need). */
export function auctionSetupBody(
  procedureType: AuctionProcedureType,
  startsAt: Date,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const registrationUntil = new Date(startsAt.getTime() - HOUR);
  return {
    title:
      procedureType === 'online-bidding'
        ? '某国有企业100%股权转让'
        : '呼和浩特市新城区2026-07号地块国有建设用地使用权',
    description: '宗地面积12000平方米，规划用途商业，容积率2.0，出让年限40年。',
    startPriceYuan: '1000000.00',
    stepYuan: '10000.00',
    depositYuan: '100000.00',
    announcementAt: new Date(startsAt.getTime() - 45 * DAY).toISOString(),
    registrationUntil: registrationUntil.toISOString(),
    depositDeadline: registrationUntil.toISOString(),
    biddingStartsAt: startsAt.toISOString(),
    ...(procedureType === 'listing'
      ? { listingEndsAt: new Date(startsAt.getTime() + 10 * DAY + HOUR).toISOString() }
      : { freeBiddingMinutes: 60 }),
    countdownMinutes: 5,
    timedEntry: 'automatic',
    ...overrides,
  };
}

/** 45 days ahead at 09:00 Beijing: past every announcement lead time (20 日, 20 工作日). */
export function defaultBiddingStart(now: Date): Date {
  const day = new Date(now.getTime() + 45 * DAY);
  day.setUTCHours(1, 0, 0, 0);
  return day;
}

export async function auctionInBidding<C extends AuctionFactoryClient>(
  p: AuctionFactoryPlatform<C> & DepositFactoryPlatform,
  opts: AuctionFactoryOptions,
): Promise<AuctionInBidding<C>> {
  const procedureType = opts.procedureType ?? 'listing';
  const received = await registerReceivedLot(p, {
    procedureType,
    ...(opts.catalogItemCode ? { catalogItemCode: opts.catalogItemCode } : {}),
    ...(opts.regionCode ? { regionCode: opts.regionCode } : {}),
    ...(opts.withAgency ? { withAgency: true } : {}),
  });
  const lotId = received.lot.id;
  const entities = [];
  for (let i = 0; i < opts.bidders; i += 1) {
    entities.push(
      await makeAcceptedEntity(p, ['competitive_bidder'], { operatorClient: received.operatorClient }),
    );
  }
  const ranks = opts.preemptiveRanks ?? [];
  const preemptiveHolders = entities.flatMap((e, i) =>
    ranks[i] ? [{ creditCode: e.creditCode, rank: ranks[i] as number }] : [],
  );
  const startsAt = defaultBiddingStart(p.clock.now());
  const depositYuan = opts.depositYuan ?? '100000.00';
  const body = auctionSetupBody(procedureType, startsAt, {
    announcementAt: p.clock.now().toISOString(),
    depositYuan,
    ...(opts.startYuan ? { startPriceYuan: opts.startYuan } : {}),
    ...(opts.stepYuan ? { stepYuan: opts.stepYuan } : {}),
    ...(opts.countdownMinutes ? { countdownMinutes: opts.countdownMinutes } : {}),
    ...(opts.timedEntry ? { timedEntry: opts.timedEntry } : {}),
    ...(preemptiveHolders.length > 0 ? { preemptiveHolders } : {}),
    ...(opts.setup ?? {}),
  });
  const initiator = received.initiatorClient as C;
  const setUp = expectOk(await initiator.put(`/api/lots/${lotId}/auction`, body), 'auction setup') as {
    id: string;
  };
  const auctionId = setUp.id;
  if (opts.reserveYuan) {
    expectOk(
      await initiator.post(`/api/auctions/${auctionId}/reserve`, { reserveYuan: opts.reserveYuan }),
      'reserve',
    );
  }
  expectOk(await initiator.post(`/api/auctions/${auctionId}/publish`), 'publish');
  if (opts.beforeRegistration) await opts.beforeRegistration({ auctionId, lotId });

  const bidders: AuctionTestBidder<C>[] = [];
  for (const [i, entity] of entities.entries()) {
    const organizationId = entity.account.organizationId!;
    let pseudonym = '';
    if (!(opts.unregistered ?? []).includes(i)) {
      const reg = expectOk(
        await entity.client.post(
          `/api/auctions/${auctionId}/registrations`,
          ranks[i] ? { preemptive: true } : {},
        ),
        `registration ${i}`,
      ) as { pseudonym: string };
      pseudonym = reg.pseudonym;
    }
    if (pseudonym && depositYuan !== '0.00' && !(opts.unpaid ?? []).includes(i)) {
      await payTestDeposit(p, {
        lotId,
        bidder: { client: entity.client, organizationId },
        amountYuan: depositYuan,
      });
    }
    bidders.push({
      client: entity.client as C,
      organizationId,
      pseudonym,
      account: entity.account,
      creditCode: entity.creditCode,
      name: entity.name,
    });
  }

  const hostAccount = await p.makeAccount(['operator'], { displayName: '交易中心主持人' });
  const result: AuctionInBidding<C> = {
    auctionId,
    lotId,
    bidders,
    host: await p.as(hostAccount),
    initiator,
    initiatorAccount: received.initiator,
    ...(received.agencyClient ? { agency: received.agencyClient as C } : {}),
    times: {
      biddingStartsAt: startsAt,
      registrationUntil: new Date(body.registrationUntil as string),
      listingEndsAt: body.listingEndsAt ? new Date(body.listingEndsAt as string) : null,
      freeEndsAt:
        procedureType === 'listing'
          ? null
          : new Date(startsAt.getTime() + Number(body.freeBiddingMinutes ?? 60) * 60_000),
    },
    async relogin() {
      for (const b of bidders) b.client = await p.as(b.account);
      result.initiator = await p.as(received.initiator);
      if (received.agency) result.agency = await p.as(received.agency);
      result.host = await p.as(hostAccount);
    },
  };
  if (opts.beforeStart) await opts.beforeStart({ auctionId, lotId });
  p.clock.set(startsAt);
  await p.jobs.runDueJobs();
  await result.relogin();
  if (opts.phase === 'timed') {
    const end = result.times.listingEndsAt ?? result.times.freeEndsAt!;
    p.clock.set(end);
    await p.jobs.runDueJobs();
    await result.relogin();
  }
  return result;
}

/** The platform's database as the auction tests read it. */
export function auctionsDbOf(p: { db: unknown }): Kysely<AuctionsDb> {
  return p.db as Kysely<AuctionsDb>;
}

/**
 * A bidder's use-case context without an account behind it (a fresh organisation, no credit restriction):
 * for tests that call the engine directly, many bidders at once.
 */
export function testBidderContext(
  p: { db: unknown; clock: Clock; sealer: FieldSealer },
  username: string,
): AuctionContext {
  return {
    db: auctionsDbOf(p),
    clock: p.clock,
    actor: {
      accountId: randomUUID(),
      username,
      displayName: `竞买人 ${username}`,
      roles: ['responder'],
      organizationId: randomUUID(),
      organizationName: null,
      sessionId: 's',
    },
    origin: SYSTEM_ORIGIN,
    sealer: p.sealer,
    eligibility: { barredReasons: async () => [] },
  };
}
