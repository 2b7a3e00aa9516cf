import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeDiskPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { type AuctionRecord, verifyAuctionRecord } from './chain.ts';
import { AUCTION_CHANNEL } from './context.ts';
import { type BidNotification, placeBid } from './engine.ts';
import { register } from './registrations.ts';
import { auctionInBidding, auctionsDbOf, testBidderContext } from './test-factory.ts';

/**
 * On a PostgreSQL server (DATABASE_URL): two app instances with their own connection pools and LISTEN
 * connections on one database — bids truly concurrent, the writer lock held across instances, a bid on one
 * instance heard on the other, and the countdown surviving the instance that took the bids.
 */
describe.skipIf(!process.env.DATABASE_URL)('auctions on PostgreSQL, two instances', () => {
  let one: TestPlatform;
  let two: TestPlatform;
  beforeAll(async () => {
    // One data directory: both instances share the field key, as every instance of one platform must.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-auctions-pg-'));
    const env = { DATABASE_URL: process.env.DATABASE_URL! };
    one = await makeDiskPlatform(dataDir, env);
    two = await makeDiskPlatform(dataDir, env);
  });
  let oneClosed = false;
  afterAll(async () => {
    if (!oneClosed) await one?.close();
    await two?.close();
  });

  test('200 bids of the same amount at the same instant on two instances: exactly one accepted', async () => {
    const contexts = Array.from({ length: 200 }, (_, i) =>
      testBidderContext(i % 2 === 0 ? one : two, `pg-bidder-${i}`),
    );
    const a = await auctionInBidding(one, {
      procedureType: 'auction',
      bidders: 0,
      depositYuan: '0.00',
      phase: 'timed',
      beforeStart: async ({ auctionId }) => {
        for (const ctx of contexts) await register(ctx, auctionId, {});
      },
    });
    two.clock.set(one.clock.now());
    const settled = await Promise.allSettled(
      contexts.map((ctx) => placeBid(ctx, { auctionId: a.auctionId, amountYuan: '1000000.00' })),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const rows = await auctionsDbOf(one)
      .selectFrom('auction_bids')
      .select('seq')
      .where('auction_id', '=', a.auctionId)
      .execute();
    expect(rows.map((r) => r.seq)).toEqual([1]);
  });

  test('a bid on one instance reaches a listener on the other (LISTEN/NOTIFY), and the other instance closes the countdown after the first is gone', async () => {
    const a = await auctionInBidding(one, { procedureType: 'auction', bidders: 2, phase: 'timed' });
    two.clock.set(one.clock.now());
    const heard: BidNotification[] = [];
    const unsubscribe = await two.notifier.subscribe(AUCTION_CHANNEL, {
      // The writer's group commit announces its bids together: { kind: 'bids', items }.
      onMessage: (payload) => {
        const items = (payload as { kind?: string; items?: BidNotification[] }).items ?? [];
        for (const bid of items) if (bid.auctionId === a.auctionId) heard.push(bid);
      },
    });
    const res = await a.bidders[0]!.client.post(`/api/auctions/${a.auctionId}/bids`, {
      amountYuan: '1000000.00',
    });
    expect(res.statusCode, res.body).toBe(200);
    for (let i = 0; i < 100 && heard.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toMatchObject([{ seq: 1, pseudonym: a.bidders[0]!.pseudonym, amountYuan: '1000000.00' }]);
    await unsubscribe();

    const endsAt = Date.parse((res.json() as { countdownEndsAt: string }).countdownEndsAt);
    await one.close();
    oneClosed = true;
    two.clock.set(new Date(endsAt));
    await two.jobs.runDueJobs();
    const record = (
      await two.anonymous.get(`/api/public/auctions/${a.auctionId}/record`)
    ).json() as AuctionRecord;
    expect(record.result).toMatchObject({ outcome: 'deal', priceYuan: '1000000.00' });
    expect(verifyAuctionRecord(record).ok).toBe(true);
  });
});
