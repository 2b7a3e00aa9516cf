import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { auctionInBidding } from './test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

describe('挂牌 → 限时竞价 → 成交', () => {
  test('a listing turns into 限时竞价 and the last bid wins after the countdown', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 3, reserveYuan: '1020000.00' });
    const [b1, b2, b3] = a.bidders;
    let res = await b1!.client.post(`/api/auctions/${a.auctionId}/bids`, { amountYuan: '1000000.00' });
    expect(res.statusCode, res.body).toBe(200);
    res = await b2!.client.post(`/api/auctions/${a.auctionId}/bids`, { amountYuan: '1010000.00' });
    expect(res.statusCode, res.body).toBe(200);
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    await a.relogin();
    const room = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json();
    expect(room).toMatchObject({ phase: 'timed', currentPriceYuan: '1010000.00' });
    res = await a.bidders[2]!.client.post(`/api/auctions/${a.auctionId}/bids`, { amountYuan: '1020000.00' });
    expect(res.statusCode, res.body).toBe(200);
    const ack = res.json();
    p.clock.set(new Date(Date.parse(ack.countdownEndsAt)));
    await p.jobs.runDueJobs();
    const view = (await p.anonymous.get(`/api/public/auctions/${a.auctionId}`)).json();
    expect(view.status, JSON.stringify(view)).toBe('pre-deal');
    expect(view.result).toMatchObject({
      outcome: 'deal',
      priceYuan: '1020000.00',
      winnerPseudonym: b3!.pseudonym,
    });
  });
});
