import type { Kysely } from 'kysely';
import { type EnvelopeRecipient, toBase64Url, unwrapContentKey } from '../../platform/crypto/index.ts';
import {
  type BidFactoryPlatform,
  type LotForBidding,
  openLotForBidding,
  submitBid,
  type TestBidder,
} from '../bids/test-factory.ts';
import type { ProcedureType } from '../procedures/index.ts';
import type { OpeningTables } from './index.ts';
import { type OpeningOutcome, readOpeningOutcome } from './outcome.ts';

/**
 * Test factory: a lot taken through the whole 不见面开标 by its parties through the API — bids submitted,
 * the hall opened, every bidder decrypting its own bid, the record published and the confirmation window
 * over (hall closed). Later stages (evaluation, award) start from here.
 */
export interface OpenedLot extends LotForBidding {
  outcome: OpeningOutcome;
}

export interface OpenedLotOptions {
  procedureType?: Extract<ProcedureType, 'open-tender.works' | 'open-tender.gp'>;
  bidders?: number;
  /** 投标报价 per bidder (yuan, two decimals); default 1,000,000.00 + i × 10,000. */
  prices?: string[];
  estimateYuan?: string;
  catalogItemCode?: string;
  /** Runs after the announcement, before any bid (e.g. the 评标办法 must be set before the deadline). */
  beforeBids?: (lot: LotForBidding) => Promise<void>;
}

type OpeningFactoryPlatform = BidFactoryPlatform & { db: unknown };

function expectOk(res: { statusCode: number; body: string }, what: string) {
  if (res.statusCode !== 200 && res.statusCode !== 201)
    throw new Error(`${what}: ${res.statusCode} ${res.body}`);
}

export async function openedLot(
  platform: OpeningFactoryPlatform,
  opts: OpenedLotOptions = {},
): Promise<OpenedLot> {
  const count = opts.bidders ?? 3;
  const lot = await openLotForBidding(platform, {
    bidders: count,
    ...(opts.procedureType ? { procedureType: opts.procedureType } : {}),
    ...(opts.estimateYuan ? { estimateYuan: opts.estimateYuan } : {}),
    ...(opts.catalogItemCode ? { catalogItemCode: opts.catalogItemCode } : {}),
  });
  if (opts.beforeBids) await opts.beforeBids(lot);
  platform.clock.set(lot.lot.timeline.documentsFrom);
  await platform.jobs.runDueJobs();
  for (const [i, bidder] of lot.bidders.entries()) {
    const price = opts.prices?.[i] ?? `${1_000_000 + i * 10_000}.00`;
    await submitBid(platform, lot, bidder, {
      summary: { price, duration: `${300 - i * 10}`, quality: '合格' },
      parts: [
        { kind: 'technical', name: '技术部分', bytes: new TextEncoder().encode(`技术方案 ${i} `.repeat(50)) },
      ],
    });
  }
  platform.clock.set(lot.lot.timeline.openingAt);
  await platform.jobs.runDueJobs();
  await relogin(platform, lot);

  const url = (rest: string) => `/api/lots/${lot.lot.id}/opening${rest}`;
  const host = lot.agency.session;
  for (const bidder of lot.bidders) expectOk(await bidder.session.post(url('/sign-in')), 'opening sign-in');
  expectOk(await host.post(url('/steps/start-opening'), {}), 'start-opening');
  expectOk(await host.post(url('/steps/start-decryption'), {}), 'start-decryption');
  for (const bidder of lot.bidders) await decryptOwnBid(lot, bidder);
  await platform.jobs.runDueJobs();
  expectOk(await host.post(url('/steps/close-decryption'), {}), 'close-decryption');
  expectOk(await host.post(url('/steps/publish-record'), {}), 'publish-record');
  // The confirmation window (30 minutes) passes in silence: the hall closes.
  platform.clock.set(new Date(platform.clock.now().getTime() + 31 * 60_000));
  await platform.jobs.runDueJobs();
  await relogin(platform, lot);
  const outcome = await readOpeningOutcome(platform.db as Kysely<OpeningTables>, lot.lot.id);
  if (outcome?.state !== 'closed') throw new Error(`opening not closed: ${outcome?.state}`);
  return { ...lot, outcome };
}

/** The bidder's tool, locally: its own parts' content keys unwrapped with its own encryption key. */
async function decryptOwnBid(lot: LotForBidding, bidder: TestBidder): Promise<void> {
  const mine = await bidder.session.get(`/api/lots/${lot.lot.id}/opening/my-bid`);
  expectOk(mine, 'my-bid');
  const bid = mine.json() as { bidId: string; parts: { no: number; recipients: EnvelopeRecipient[] }[] };
  const keys = bid.parts.map((part) => ({
    no: part.no,
    key: toBase64Url(unwrapContentKey(part.recipients, bidder.keys.encKey)),
  }));
  expectOk(
    await bidder.session.post(`/api/lots/${lot.lot.id}/opening/bids/${bid.bidId}/keys`, { keys }),
    'decrypt',
  );
}

/** Sessions live in platform time: after the clock jumps, every party signs in again. */
export async function relogin(platform: BidFactoryPlatform, lot: LotForBidding): Promise<void> {
  lot.agency.session = await platform.as(lot.agency.account);
  lot.initiator.session = await platform.as(lot.initiator.account);
  for (const bidder of lot.bidders) bidder.session = await platform.as(bidder.account);
}
