import { describe, expect, test } from 'vitest';
import { makeTestPlatform } from '../../../test/support/platform.ts';
import { type AuctionRecord, verifyAuctionRecord } from './chain.ts';
import { auctionInBidding } from './test-factory.ts';

describe('an app instance "killed" mid-auction', () => {
  test('a second instance on the same database closes the countdown at the right time, seq and order intact', async () => {
    const first = await makeTestPlatform();
    const a = await auctionInBidding(first, {
      procedureType: 'auction',
      bidders: 2,
      phase: 'timed',
      countdownMinutes: 4,
    });
    const [b1, b2] = a.bidders;
    expect(
      (await b1!.client.post(`/api/auctions/${a.auctionId}/bids`, { amountYuan: '1000000.00' })).statusCode,
    ).toBe(200);
    first.clock.advance(60_000);
    const last = await b2!.client.post(`/api/auctions/${a.auctionId}/bids`, { amountYuan: '1010000.00' });
    expect(last.statusCode, last.body).toBe(200);
    const endsAt = Date.parse((last.json() as { countdownEndsAt: string }).countdownEndsAt);
    const at = first.clock.now();
    // The first instance goes away mid-countdown (its job runner, notifier and HTTP server stop).
    await first.close();

    const second = await makeTestPlatform();
    try {
      second.clock.set(at);
      // Before the end nothing happens, even if the runner polls.
      second.clock.set(new Date(endsAt - 1));
      await second.jobs.runDueJobs();
      let room = (await second.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as Record<
        string,
        unknown
      >;
      expect(room).toMatchObject({ status: 'bidding', phase: 'timed', seq: 2 });
      // At the end the deadline job (enqueued by the first instance) closes it on the second.
      second.clock.set(new Date(endsAt));
      await second.jobs.runDueJobs();
      room = (await second.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as Record<
        string,
        unknown
      >;
      expect(room).toMatchObject({
        status: 'pre-deal',
        seq: 2,
        result: { outcome: 'deal', priceYuan: '1010000.00', winnerPseudonym: b2!.pseudonym },
      });
      const record = (
        await second.anonymous.get(`/api/public/auctions/${a.auctionId}/record`)
      ).json() as AuctionRecord;
      expect(record.bids.map((b) => [b.seq, b.pseudonym])).toEqual([
        [1, b1!.pseudonym],
        [2, b2!.pseudonym],
      ]);
      expect(verifyAuctionRecord(record).ok).toBe(true);
    } finally {
      await second.close();
    }
  });
});
