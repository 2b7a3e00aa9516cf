import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { recordTestBan } from '../../supervision/credit/test-factory.ts';
import type { AuctionContext } from './context.ts';
import { clearRegistration, placeBid } from './engine.ts';
import { bidderRefOf } from './policy.ts';
import { register } from './registrations.ts';
import { findAuction, findRegistrationByRef } from './store.ts';
import { auctionInBidding, auctionsDbOf, testBidderContext } from './test-factory.ts';

/** The bid — one serialized step — and every refusal the issue lists. */

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

const bid = (
  client: {
    post(url: string, body?: unknown): Promise<{ statusCode: number; body: string; json(): unknown }>;
  },
  auctionId: string,
  amountYuan: string,
  kind?: string,
) => client.post(`/api/auctions/${auctionId}/bids`, { amountYuan, ...(kind ? { kind } : {}) });

async function bidCount(auctionId: string): Promise<number> {
  const rows = await auctionsDbOf(p)
    .selectFrom('auction_bids')
    .select('seq')
    .where('auction_id', '=', auctionId)
    .execute();
  return rows.length;
}

describe('a bid is refused when it breaks a rule, and nothing is stored', () => {
  test('off the grid, below current + step, and a self-outbid', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2 });
    const [b1, b2] = a.bidders;
    // The first bid must be at least the start price, on the grid start + k × step.
    let res = await bid(b1!.client, a.auctionId, '990000.00');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'BID_TOO_LOW' });
    res = await bid(b1!.client, a.auctionId, '1005000.00');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'BID_OFF_GRID' });
    expect((res.json() as { detail: string }).detail).toContain('1,010,000.00 元');
    res = await bid(b1!.client, a.auctionId, '1000000.00');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      seq: 1,
      amountYuan: '1000000.00',
      currentPriceYuan: '1000000.00',
      nextValidYuan: ['1010000.00', '1020000.00', '1030000.00'],
    });
    // The leader may not outbid itself.
    res = await bid(b1!.client, a.auctionId, '1010000.00');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'BID_SELF_OUTBID' });
    // Another bidder: at least current + one step, on the grid.
    res = await bid(b2!.client, a.auctionId, '1000000.00');
    expect(res.json()).toMatchObject({ code: 'BID_TOO_LOW' });
    res = await bid(b2!.client, a.auctionId, '1015000.00');
    expect(res.json()).toMatchObject({ code: 'BID_OFF_GRID' });
    res = await bid(b2!.client, a.auctionId, '1030000.00');
    expect(res.statusCode, res.body).toBe(200);
    expect(await bidCount(a.auctionId)).toBe(2);
    // Malformed amounts are bad input.
    res = await bid(b1!.client, a.auctionId, '1,040,000');
    expect(res.statusCode).toBe(400);
  });

  test('a bid at the countdown end, or 1 ms after it, is refused; 1 ms before it is accepted', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'auction',
      bidders: 2,
      phase: 'timed',
      countdownMinutes: 3,
    });
    const [b1, b2] = a.bidders;
    let res = await bid(b1!.client, a.auctionId, '1000000.00');
    expect(res.statusCode, res.body).toBe(200);
    const first = res.json() as { at: string; countdownEndsAt: string };
    const end = Date.parse(first.countdownEndsAt);
    expect(end - Date.parse(first.at)).toBe(3 * 60_000);
    // 1 ms before the end: accepted, and the countdown restarts from this bid's server time.
    p.clock.set(new Date(end - 1));
    res = await bid(b2!.client, a.auctionId, '1010000.00');
    expect(res.statusCode, res.body).toBe(200);
    const second = res.json() as { countdownEndsAt: string };
    const end2 = Date.parse(second.countdownEndsAt);
    expect(end2).toBe(end - 1 + 3 * 60_000);
    // Exactly at the end: the end is exclusive.
    p.clock.set(new Date(end2));
    res = await bid(b1!.client, a.auctionId, '1020000.00');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'AUCTION_NOT_BIDDING' });
    expect(await bidCount(a.auctionId)).toBe(2);
  });

  test('1 ms after the countdown end: refused, and the auction closes at the end (no job needed)', async () => {
    const a = await auctionInBidding(p, { procedureType: 'auction', bidders: 2, phase: 'timed' });
    const [b1, b2] = a.bidders;
    const first = (await bid(b1!.client, a.auctionId, '1000000.00')).json() as { countdownEndsAt: string };
    p.clock.set(new Date(Date.parse(first.countdownEndsAt) + 1));
    const res = await bid(b2!.client, a.auctionId, '1010000.00');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'AUCTION_NOT_BIDDING' });
    const room = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as Record<
      string,
      unknown
    >;
    expect(room).toMatchObject({
      status: 'pre-deal',
      seq: 1,
      result: { outcome: 'deal', priceYuan: '1000000.00' },
    });
  });

  test('a bidder without a paid deposit is refused (DEPOSIT_NOT_PAID); one not registered gets 403', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'listing',
      bidders: 3,
      unpaid: [0],
      unregistered: [2],
    });
    let res = await bid(a.bidders[0]!.client, a.auctionId, '1000000.00');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'DEPOSIT_NOT_PAID' });
    res = await bid(a.bidders[2]!.client, a.auctionId, '1000000.00');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'BIDDER_NOT_REGISTERED' });
    expect(await bidCount(a.auctionId)).toBe(0);
    res = await bid(a.bidders[1]!.client, a.auctionId, '1000000.00');
    expect(res.statusCode, res.body).toBe(200);
  });

  test('a barred bidder (a credit restriction through the supervision API) is refused at its first bid and at registration', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2 });
    const target = a.bidders[0]!;
    await recordTestBan(
      p,
      { creditCode: target.creditCode, name: target.name },
      {
        basisCode: 'other',
        kind: 'bidding_all',
        legalBasis: '《内蒙古自治区公共资源交易管理办法》第四十三条',
        catalogItemCode: '0301',
      },
    );
    await a.relogin();
    let res = await bid(a.bidders[0]!.client, a.auctionId, '1000000.00');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'BIDDER_BARRED' });
    expect(await bidCount(a.auctionId)).toBe(0);
    res = await bid(a.bidders[1]!.client, a.auctionId, '1000000.00');
    expect(res.statusCode, res.body).toBe(200);

    // A barred organisation cannot register either (stage 'registration'), while registration is open.
    let refused: { statusCode: number; body: string } | null = null;
    await auctionInBidding(p, {
      procedureType: 'listing',
      bidders: 0,
      beforeRegistration: async ({ auctionId }) => {
        refused = await a.bidders[0]!.client.post(`/api/auctions/${auctionId}/registrations`, {});
      },
    });
    expect(refused!.statusCode).toBe(409);
    expect(JSON.parse(refused!.body)).toMatchObject({ code: 'BIDDER_BARRED' });
  });

  test('200 bidders bid the same amount at the same instant: exactly one is accepted, the other 199 see BID_TOO_LOW', async () => {
    const contexts = Array.from({ length: 200 }, (_, i) => testBidderContext(p, `bidder${i}`));
    const a = await auctionInBidding(p, {
      procedureType: 'auction',
      bidders: 0,
      depositYuan: '0.00',
      phase: 'timed',
      beforeStart: async ({ auctionId }) => {
        for (const ctx of contexts) await register(ctx, auctionId, {});
      },
    });
    const settled = await Promise.allSettled(
      contexts.map((ctx) => placeBid(ctx, { auctionId: a.auctionId, amountYuan: '1000000.00' })),
    );
    const accepted = settled.filter((s) => s.status === 'fulfilled');
    expect(accepted).toHaveLength(1);
    const codes = new Set(
      settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as { code?: string }).code] : [])),
    );
    expect([...codes]).toEqual(['BID_TOO_LOW']);
    expect(await bidCount(a.auctionId)).toBe(1);
  });

  test('a single-bid (一次报价) auction takes one bid per bidder, sealed until the close', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'online-bidding',
      bidders: 2,
      setup: { bidMode: 'single', qualification: 'pre' },
    });
    const [b1, b2] = a.bidders;
    let res = await bid(b1!.client, a.auctionId, '1050000.00');
    expect(res.statusCode, res.body).toBe(200);
    res = await bid(b1!.client, a.auctionId, '1100000.00');
    expect(res.json()).toMatchObject({ code: 'SINGLE_BID_USED' });
    res = await bid(b2!.client, a.auctionId, '1020000.00');
    expect(res.statusCode, res.body).toBe(200);
    const room = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as {
      currentPriceYuan: string | null;
      bids: { amountYuan: string }[];
    };
    expect(room.currentPriceYuan).toBeNull();
    expect(room.bids.map((b) => b.amountYuan)).toEqual(['******', '******']);
    p.clock.set(a.times.freeEndsAt!);
    await p.jobs.runDueJobs();
    const after = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as {
      status: string;
      result: { priceYuan: string; winnerPseudonym: string };
      bids: { amountYuan: string }[];
    };
    expect(after.status).toBe('dealt');
    expect(after.result).toMatchObject({ priceYuan: '1050000.00', winnerPseudonym: b1!.pseudonym });
    expect(after.bids.map((b) => b.amountYuan)).toEqual(['1050000.00', '1020000.00']);
  });

  test('the room shows the public state and, to a registered bidder, its pseudonym and next valid amounts', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2 });
    await bid(a.bidders[0]!.client, a.auctionId, '1000000.00');
    const mine = (await a.bidders[0]!.client.get(`/api/auctions/${a.auctionId}/room`)).json();
    expect(mine).toMatchObject({
      phase: 'listing',
      seq: 1,
      currentPriceYuan: '1000000.00',
      leaderPseudonym: a.bidders[0]!.pseudonym,
      me: { pseudonym: a.bidders[0]!.pseudonym, leading: true, cleared: true },
    });
    const other = (await a.bidders[1]!.client.get(`/api/auctions/${a.auctionId}/room?since=1`)).json();
    expect(other).toMatchObject({
      bids: [],
      me: { leading: false, cleared: false, nextValidYuan: ['1010000.00', '1020000.00', '1030000.00'] },
    });
    const pub = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as {
      me: unknown;
      bids: unknown[];
    };
    expect(pub.me).toBeNull();
    expect(JSON.stringify(pub)).not.toContain(a.bidders[0]!.name);
  });
});

describe('group commit: bids that arrive together are written together', () => {
  test('each bid is checked against the state the bids before it left, in arrival order, and chained in that order', async () => {
    const db = auctionsDbOf(p);
    const inA = Array.from({ length: 4 }, (_, i) => testBidderContext(p, `group${i}`));
    const a = await auctionInBidding(p, {
      procedureType: 'auction',
      bidders: 0,
      depositYuan: '0.00',
      phase: 'timed',
      beforeStart: async ({ auctionId }) => {
        for (const ctx of inA) await register(ctx, auctionId, {});
      },
    });
    // Deposit and credit cleared first (the first-bid checks run outside the writer).
    const row = (await findAuction(db, a.auctionId))!;
    for (const ctx of inA) {
      const ref = bidderRefOf(p.sealer, a.auctionId, ctx.actor!.organizationId!);
      const registration = (await findRegistrationByRef(db, a.auctionId, ref))!;
      await clearRegistration(ctx, row, registration, ctx.actor!.organizationId!);
    }
    const place = (ctx: AuctionContext, amountYuan: string) =>
      placeBid(ctx, { auctionId: a.auctionId, amountYuan });
    // Sent in the same turn of the event loop: one batch.
    const settled = await Promise.allSettled([
      place(inA[0]!, '1000000.00'),
      place(inA[1]!, '1010000.00'),
      place(inA[2]!, '1020000.00'),
      place(inA[2]!, '1030000.00'), // the leader outbidding itself
      place(inA[3]!, '1020000.00'), // no longer above the current price
      place(inA[0]!, '1030000.00'), // outbid meanwhile: may bid again
    ]);
    const outcome = settled.map((s) =>
      s.status === 'fulfilled' ? s.value.seq : (s.reason as { code: string }).code,
    );
    expect(outcome).toEqual([1, 2, 3, 'BID_SELF_OUTBID', 'BID_TOO_LOW', 4]);
    const rows = await db
      .selectFrom('auction_bids')
      .select(['seq', 'amount_yuan', 'prev_hash', 'hash'])
      .where('auction_id', '=', a.auctionId)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => [r.seq, r.amount_yuan])).toEqual([
      [1, '1000000.00'],
      [2, '1010000.00'],
      [3, '1020000.00'],
      [4, '1030000.00'],
    ]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    const auction = (await findAuction(db, a.auctionId))!;
    expect({ seq: auction.seq, head: auction.chain_head, price: auction.current_price_yuan }).toEqual({
      seq: 4,
      head: rows[3]!.hash,
      price: '1030000.00',
    });
    // Each accepted bid has its own witness event, in the order of record.
    const witnessed = await db
      .selectFrom('witness_events')
      .select('payload')
      .where('entity_type', '=', 'auction')
      .where('entity_id', '=', a.auctionId)
      .where('action', '=', 'auction.bid-placed')
      .orderBy('id')
      .execute();
    expect(witnessed.map((w) => (JSON.parse(String(w.payload)) as { seq: number }).seq)).toEqual([
      1, 2, 3, 4,
    ]);
  });
});
