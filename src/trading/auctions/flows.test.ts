import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { type AuctionRecord, verifyAuctionRecord } from './chain.ts';
import { drawLottery } from './results.ts';
import { workingDaysAfter } from './rules.ts';
import { type AuctionInBidding, auctionInBidding, auctionsDbOf } from './test-factory.ts';

/** Whole auctions: 挂牌 → 限时竞价 → 成交, the ways to 不成交, 优先权, 最高限价, 资格审核, deposits, the record. */

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

type Client = AuctionInBidding['bidders'][number]['client'];
const bid = (client: Client, auctionId: string, amountYuan: string, kind?: string) =>
  client.post(`/api/auctions/${auctionId}/bids`, { amountYuan, ...(kind ? { kind } : {}) });

async function ok(res: Promise<{ statusCode: number; body: string; json(): unknown }>) {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json() as Record<string, unknown>;
}

async function publicView(auctionId: string) {
  return (await p.anonymous.get(`/api/public/auctions/${auctionId}`)).json() as {
    status: string;
    phase: string | null;
    result: Record<string, unknown> | null;
    notices: { kind: string; title: string; body: string }[];
  };
}

async function record(auctionId: string) {
  const res = await p.anonymous.get(`/api/public/auctions/${auctionId}/record`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as AuctionRecord;
}

async function refundsOf(lotId: string) {
  return auctionsDbOf(p)
    .selectFrom('deposit_refunds')
    .select(['kind', 'reason', 'principal_yuan', 'interest_yuan', 'due_at', 'status'])
    .where('lot_id', '=', lotId)
    .execute();
}

async function endCountdown(a: AuctionInBidding) {
  const room = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as {
    countdownEndsAt: string | null;
    phaseEndsAt: string | null;
  };
  p.clock.set(room.countdownEndsAt ?? room.phaseEndsAt!);
  await p.jobs.runDueJobs();
  await a.relogin();
}

describe('挂牌 (39号令第二十条)', () => {
  test('listing → 限时竞价 → 预成交 → 资格审核 → 成交: notice, 成交公示, deposits converted and refunded, the record verifies', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'listing',
      bidders: 3,
      reserveYuan: '1020000.00',
      timedEntry: 'listed-bid',
    });
    const [b1, b2, b3] = a.bidders;
    await ok(bid(b1!.client, a.auctionId, '1000000.00'));
    await ok(bid(b2!.client, a.auctionId, '1010000.00'));
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    await a.relogin();
    expect(await publicView(a.auctionId)).toMatchObject({ status: 'bidding', phase: 'timed' });
    // listed-bid: the third bidder made no listed bid and is not in 限时竞价.
    const excluded = await bid(b3!.client, a.auctionId, '1030000.00');
    expect(excluded.json()).toMatchObject({ code: 'NOT_IN_TIMED_BIDDING' });
    // 限时竞价 starts at highest + one step: anyone in it (the leader too) may bid it.
    await ok(bid(b2!.client, a.auctionId, '1020000.00'));
    await ok(bid(b1!.client, a.auctionId, '1030000.00'));
    await endCountdown(a);
    let view = await publicView(a.auctionId);
    expect(view.status).toBe('pre-deal');
    expect(view.result).toMatchObject({
      outcome: 'deal',
      priceYuan: '1030000.00',
      winnerPseudonym: b1!.pseudonym,
    });
    // The winner sees its 预成交通知; the loser does not.
    const mine = (await b1!.client.get(`/api/auctions/${a.auctionId}/result`)).json() as {
      mine: { won: boolean; notices: { kind: string }[] };
    };
    expect(mine.mine).toMatchObject({ won: true });
    expect(mine.mine.notices.map((n) => n.kind)).toEqual(['pre-deal']);
    expect(
      ((await b2!.client.get(`/api/auctions/${a.auctionId}/result`)).json() as { mine: { won: boolean } })
        .mine.won,
    ).toBe(false);

    const passed = await a.initiator.post(`/api/auctions/${a.auctionId}/qualification`, { passed: true });
    expect(passed.statusCode, passed.body).toBe(200);
    expect(passed.json()).toMatchObject({
      outcome: 'deal',
      winner: { organizationId: b1!.organizationId, name: b1!.name },
    });
    view = await publicView(a.auctionId);
    expect(view.status).toBe('dealt');
    const publicity = view.notices.find((n) => n.kind === 'deal-publicity');
    expect(publicity?.body).toContain(b1!.name);
    expect(publicity?.body).toContain('1,030,000.00 元');
    expect(view.notices.some((n) => n.kind === 'deal-notice' || n.kind === 'pre-deal')).toBe(false);

    // The winner's deposit becomes part of the price; the two others are refunded within 5 working days, no interest.
    const refunds = await refundsOf(a.lotId);
    expect(refunds.filter((r) => r.kind === 'convert')).toHaveLength(1);
    const back = refunds.filter((r) => r.kind === 'refund');
    expect(back).toHaveLength(2);
    for (const r of back) {
      expect(r).toMatchObject({ reason: 'not-awarded', interest_yuan: '0.00', principal_yuan: '100000.00' });
      expect(r.due_at.getTime()).toBeLessThanOrEqual(workingDaysAfter(p.clock.now(), 5).getTime());
    }

    const rec = await record(a.auctionId);
    expect(rec.bids.map((b) => b.seq)).toEqual([1, 2, 3, 4]);
    expect(rec.reserve?.amountYuan).toBe('1020000.00');
    expect(verifyAuctionRecord(rec)).toMatchObject({ ok: true, problems: [] });
  });

  test('nobody bids in the first 限时 countdown: the best listing bid wins if it reaches the 底价', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2, reserveYuan: '1000000.00' });
    await ok(bid(a.bidders[0]!.client, a.auctionId, '1000000.00'));
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    await a.relogin();
    expect(await publicView(a.auctionId)).toMatchObject({ phase: 'timed' });
    await endCountdown(a);
    expect((await publicView(a.auctionId)).result).toMatchObject({
      outcome: 'deal',
      priceYuan: '1000000.00',
      winnerPseudonym: a.bidders[0]!.pseudonym,
    });
  });

  test('one bidder wants to go on (listed-bid): no 限时竞价, its bid ≥ 底价 wins at the listing close', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2, timedEntry: 'listed-bid' });
    await ok(bid(a.bidders[1]!.client, a.auctionId, '1000000.00'));
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    expect(await publicView(a.auctionId)).toMatchObject({
      status: 'pre-deal',
      result: { winnerPseudonym: a.bidders[1]!.pseudonym },
    });
  });

  test('no bids → 不成交, a 不成交公告, every deposit refunded', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2, timedEntry: 'listed-bid' });
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    const view = await publicView(a.auctionId);
    expect(view).toMatchObject({ status: 'failed', result: { outcome: 'no-deal', reason: 'no-bids' } });
    expect(view.notices.some((n) => n.kind === 'failure' && n.body.includes('无人报价'))).toBe(true);
    const refunds = await refundsOf(a.lotId);
    expect(refunds.map((r) => [r.kind, r.reason])).toEqual([
      ['refund', 'lot-failed'],
      ['refund', 'lot-failed'],
    ]);
  });

  test('the best bid below the 底价 → 不成交; the 底价 is revealed only now and matches its commitment', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'listing',
      bidders: 2,
      reserveYuan: '1500000.00',
      timedEntry: 'listed-bid',
    });
    await ok(bid(a.bidders[0]!.client, a.auctionId, '1000000.00'));
    const during = (await p.anonymous.get(`/api/public/auctions/${a.auctionId}`)).body;
    expect(during).not.toContain('1500000');
    expect((await p.anonymous.get(`/api/public/auctions/${a.auctionId}/record`)).statusCode).toBe(404);
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    expect((await publicView(a.auctionId)).result).toMatchObject({
      outcome: 'no-deal',
      reason: 'below-reserve',
    });
    const rec = await record(a.auctionId);
    expect(rec.reserve?.amountYuan).toBe('1500000.00');
    expect(verifyAuctionRecord(rec).ok).toBe(true);
  });

  test('the 底价 can be set before the start and not after it (RESERVE_LOCKED)', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 1, reserveYuan: '1100000.00' });
    const res = await a.initiator.post(`/api/auctions/${a.auctionId}/reserve`, { reserveYuan: '1200000.00' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'RESERVE_LOCKED' });
    const rows = await auctionsDbOf(p)
      .selectFrom('auctions')
      .select('reserve_sm3')
      .where('id', '=', a.auctionId)
      .execute();
    expect((await record2(a)).genesis.reserveSm3).toBe(rows[0]!.reserve_sm3);
  });

  test('限时竞价 by confirmation: two confirm within the window, the others are out', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'listing',
      bidders: 3,
      timedEntry: 'confirm',
      setup: { confirmMinutes: 3 },
    });
    await ok(bid(a.bidders[0]!.client, a.auctionId, '1000000.00'));
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    await a.relogin();
    expect(await publicView(a.auctionId)).toMatchObject({ phase: 'entry' });
    expect((await bid(a.bidders[1]!.client, a.auctionId, '1010000.00')).json()).toMatchObject({
      code: 'AUCTION_NOT_BIDDING',
    });
    await ok(a.bidders[0]!.client.post(`/api/auctions/${a.auctionId}/timed-confirm`));
    await ok(a.bidders[1]!.client.post(`/api/auctions/${a.auctionId}/timed-confirm`));
    const me = async (i: number) =>
      (
        (await a.bidders[i]!.client.get(`/api/auctions/${a.auctionId}/room`)).json() as {
          me: { timedConfirmed: boolean; timedExcluded: boolean };
        }
      ).me;
    // Each bidder's room says whether it confirmed; nobody is out before the window closes.
    expect(await me(1)).toMatchObject({ timedConfirmed: true, timedExcluded: false });
    expect(await me(2)).toMatchObject({ timedConfirmed: false, timedExcluded: false });
    await endCountdown(a);
    expect(await publicView(a.auctionId)).toMatchObject({ phase: 'timed' });
    expect(await me(2)).toMatchObject({ timedConfirmed: false, timedExcluded: true });
    expect(await me(0)).toMatchObject({ timedExcluded: false });
    expect((await bid(a.bidders[2]!.client, a.auctionId, '1010000.00')).json()).toMatchObject({
      code: 'NOT_IN_TIMED_BIDDING',
    });
    await ok(bid(a.bidders[1]!.client, a.auctionId, '1010000.00'));
  });
});

async function record2(a: AuctionInBidding) {
  // The genesis is public through the record only after the close; read it from the row here.
  const row = await auctionsDbOf(p)
    .selectFrom('auctions')
    .select('genesis_json')
    .where('id', '=', a.auctionId)
    .executeTakeFirstOrThrow();
  return { genesis: JSON.parse(row.genesis_json!) as AuctionRecord['genesis'] };
}

describe('拍卖 and 网络竞价', () => {
  test('fewer bidders than the minimum (矿业权拍卖 3) → 不成交 at the start', async () => {
    const a = await auctionInBidding(p, { procedureType: 'auction', catalogItemCode: '0302', bidders: 2 });
    const view = await publicView(a.auctionId);
    expect(view).toMatchObject({
      status: 'failed',
      result: { outcome: 'no-deal', reason: 'insufficient-bidders' },
    });
    expect((await bid(a.bidders[0]!.client, a.auctionId, '1000000.00')).json()).toMatchObject({
      code: 'AUCTION_NOT_BIDDING',
    });
  });

  test('pre-emptive holders match the price; equal holders are ranked by a recorded, re-checkable lottery', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'online-bidding',
      bidders: 3,
      preemptiveRanks: [null, 1, 1],
      setup: { qualification: 'post', qualificationFallback: 'next-best' },
      phase: 'timed',
    });
    const [plain, h1, h2] = a.bidders;
    // The room tells a holder it may 跟价 (the page shows the button), and nobody else.
    const meOf = async (client: NonNullable<typeof plain>['client']) =>
      ((await client.get(`/api/auctions/${a.auctionId}/room`)).json() as { me: { preemptive: boolean } }).me;
    expect(await meOf(plain!.client)).toMatchObject({ preemptive: false });
    expect(await meOf(h1!.client)).toMatchObject({ preemptive: true });
    expect((await bid(plain!.client, a.auctionId, '1000000.00', 'match')).json()).toMatchObject({
      code: 'PREEMPTIVE_NOT_HOLDER',
    });
    await ok(bid(plain!.client, a.auctionId, '1000000.00'));
    expect((await bid(h1!.client, a.auctionId, '1010000.00', 'match')).json()).toMatchObject({
      code: 'PREEMPTIVE_MATCH_PRICE',
    });
    await ok(bid(h1!.client, a.auctionId, '1000000.00', 'match'));
    let room = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as {
      leaderPseudonym: string;
    };
    expect(room.leaderPseudonym).toBe(h1!.pseudonym);
    // The other holder of the same rank matches too: the first stays the leader until the lottery.
    await ok(bid(h2!.client, a.auctionId, '1000000.00', 'match'));
    room = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as { leaderPseudonym: string };
    expect(room.leaderPseudonym).toBe(h1!.pseudonym);
    await endCountdown(a);
    const organiser = (await a.initiator.get(`/api/lots/${a.lotId}/auction`)).json() as {
      status: string;
      result: {
        lottery: {
          seed: string;
          order: string[];
          entrants: { registrationId: string; pseudonym: string }[];
          rank: number;
          priceYuan: string;
        };
        winnerPseudonym: string;
        ranking: { pseudonym: string }[];
      };
    };
    expect(organiser.status).toBe('pre-deal');
    const lottery = organiser.result.lottery;
    expect(lottery.entrants.map((e) => e.pseudonym).sort()).toEqual([h1!.pseudonym, h2!.pseudonym].sort());
    // Anyone can recompute the draw from the chain head and the entrants.
    const again = drawLottery(
      lottery.seed,
      lottery.priceYuan,
      lottery.rank,
      lottery.entrants.map((e) => ({ id: e.registrationId, pseudonym: e.pseudonym })),
    );
    expect(again.order).toEqual(lottery.order);
    const first = lottery.entrants.find((e) => e.registrationId === lottery.order[0])!;
    const second = lottery.entrants.find((e) => e.registrationId === lottery.order[1])!;
    expect(organiser.result.winnerPseudonym).toBe(first.pseudonym);
    expect(organiser.result.ranking[0]!.pseudonym).toBe(second.pseudonym);
    expect(verifyAuctionRecord(await record(a.auctionId)).ok).toBe(true);
    // 资格审核 fails for the first: the second of the lottery becomes 预成交人 (next-best).
    const failed = await a.initiator.post(`/api/auctions/${a.auctionId}/qualification`, {
      passed: false,
      reason: '未提交优先权证明材料原件',
    });
    expect(failed.statusCode, failed.body).toBe(200);
    expect(failed.json()).toMatchObject({
      outcome: 'deal',
      winnerPseudonym: second.pseudonym,
      priceYuan: '1000000.00',
    });
    expect((await publicView(a.auctionId)).status).toBe('pre-deal');
  });

  test('a price cap switches to a one-shot sealed round; the highest sealed offer wins at the cap', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'auction',
      bidders: 3,
      setup: { priceCapYuan: '1030000.00', sealedMinutes: 10 },
    });
    const [b1, b2, b3] = a.bidders;
    await ok(bid(b1!.client, a.auctionId, '1000000.00'));
    expect((await bid(b2!.client, a.auctionId, '1040000.00')).json()).toMatchObject({ code: 'BID_OVER_CAP' });
    await ok(bid(b2!.client, a.auctionId, '1030000.00'));
    expect(await publicView(a.auctionId)).toMatchObject({ phase: 'sealed' });
    expect((await bid(b3!.client, a.auctionId, '1040000.00')).json()).toMatchObject({
      code: 'BID_KIND_NOT_ALLOWED',
    });
    await ok(bid(b1!.client, a.auctionId, '50000.00', 'sealed'));
    await ok(bid(b3!.client, a.auctionId, '80000.00', 'sealed'));
    expect((await bid(b3!.client, a.auctionId, '90000.00', 'sealed')).json()).toMatchObject({
      code: 'SINGLE_BID_USED',
    });
    const room = (await p.anonymous.get(`/api/auctions/${a.auctionId}/room`)).json() as {
      bids: { amountYuan: string; kind: string }[];
    };
    expect(room.bids.filter((b) => b.kind === 'sealed').map((b) => b.amountYuan)).toEqual([
      '******',
      '******',
    ]);
    await endCountdown(a);
    const view = await publicView(a.auctionId);
    expect(view.result).toMatchObject({
      outcome: 'deal',
      priceYuan: '1030000.00',
      sealedOfferYuan: '80000.00',
      winnerPseudonym: b3!.pseudonym,
    });
    const rec = await record(a.auctionId);
    expect(verifyAuctionRecord(rec).ok).toBe(true);
  });

  test('资格审核 not passed with no fallback → 不成交; a late review is flagged', async () => {
    const a = await auctionInBidding(p, { procedureType: 'auction', bidders: 2, phase: 'timed' });
    await ok(bid(a.bidders[0]!.client, a.auctionId, '1000000.00'));
    await endCountdown(a);
    // 2 working days pass without a decision: flagged overdue.
    p.clock.set(new Date(p.clock.now().getTime() + 5 * 86_400_000));
    await p.jobs.runDueJobs();
    await a.relogin();
    const organiser = (await a.initiator.get(`/api/lots/${a.lotId}/auction`)).json() as {
      result: { qualificationOverdue: boolean };
    };
    expect(organiser.result.qualificationOverdue).toBe(true);
    const res = await a.initiator.post(`/api/auctions/${a.auctionId}/qualification`, {
      passed: false,
      reason: '竞得人不具备开发资质',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await publicView(a.auctionId)).toMatchObject({
      status: 'failed',
      result: { reason: 'qualification-failed' },
    });
  });
});

describe('the record', () => {
  test('verifies, and any change to a bid, the order, the 底价 or the result is detected', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'auction',
      bidders: 2,
      phase: 'timed',
      reserveYuan: '1010000.00',
    });
    await ok(bid(a.bidders[0]!.client, a.auctionId, '1000000.00'));
    await ok(bid(a.bidders[1]!.client, a.auctionId, '1010000.00'));
    await ok(bid(a.bidders[0]!.client, a.auctionId, '1020000.00'));
    await endCountdown(a);
    const rec = await record(a.auctionId);
    expect(verifyAuctionRecord(rec)).toEqual({ ok: true, problems: [], head: rec.head });
    const copy = () => JSON.parse(JSON.stringify(rec)) as AuctionRecord;

    const amount = copy();
    amount.bids[1]!.amountYuan = '1015000.00';
    expect(verifyAuctionRecord(amount).problems.join()).toContain('第 2 号报价的内容与其哈希值不符');

    const order = copy();
    [order.bids[0], order.bids[1]] = [order.bids[1]!, order.bids[0]!];
    expect(verifyAuctionRecord(order).ok).toBe(false);

    const dropped = copy();
    dropped.bids.pop();
    expect(verifyAuctionRecord(dropped).problems.join()).toContain('链尾哈希');

    const reserve = copy();
    reserve.reserve!.amountYuan = '1000000.00';
    expect(verifyAuctionRecord(reserve).problems.join()).toContain('底价');

    const winner = copy();
    winner.result!.winnerPseudonym = a.bidders[1]!.pseudonym;
    expect(verifyAuctionRecord(winner).problems.join()).toContain('竞得人');
  });
});

describe('terms and organisers', () => {
  test('a setup outside the rules is refused with the rule and its citation', async () => {
    const { registerReceivedLot } = await import('../projects/test-factory.ts');
    const { auctionSetupBody } = await import('./test-factory.ts');
    const lot = await registerReceivedLot(p, { procedureType: 'listing' });
    const start = new Date(p.clock.now().getTime() + 15 * 86_400_000);
    let res = await lot.initiatorClient.put(
      `/api/lots/${lot.lot.id}/auction`,
      auctionSetupBody('listing', start, { announcementAt: p.clock.now().toISOString() }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'AUCTION_ANNOUNCEMENT_TOO_LATE' });
    expect((res.json() as { citation: string }).citation).toContain('国土资源部令第39号');
    const later = new Date(p.clock.now().getTime() + 30 * 86_400_000);
    res = await lot.initiatorClient.put(
      `/api/lots/${lot.lot.id}/auction`,
      auctionSetupBody('listing', later, {
        listingEndsAt: new Date(later.getTime() + 5 * 86_400_000).toISOString(),
      }),
    );
    expect(res.json()).toMatchObject({ code: 'AUCTION_LISTING_TOO_SHORT' });
    res = await lot.initiatorClient.put(
      `/api/lots/${lot.lot.id}/auction`,
      auctionSetupBody('listing', later, { countdownMinutes: 31 }),
    );
    expect(res.json()).toMatchObject({ code: 'AUCTION_TERM_OUT_OF_BOUNDS' });

    const mining = await registerReceivedLot(p, { procedureType: 'auction', catalogItemCode: '0302' });
    res = await mining.initiatorClient.put(
      `/api/lots/${mining.lot.id}/auction`,
      auctionSetupBody('auction', later, { minBidders: 2 }),
    );
    expect(res.json()).toMatchObject({ code: 'AUCTION_MIN_BIDDERS_TOO_LOW' });
    expect((res.json() as { citation: string }).citation).toContain('第十七条');

    // A tendered lot cannot be set up as an auction.
    const tender = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    res = await tender.initiatorClient.put(
      `/api/lots/${tender.lot.id}/auction`,
      auctionSetupBody('listing', later),
    );
    expect(res.json()).toMatchObject({ code: 'LOT_NOT_AUCTION' });
  });

  test('the organiser may terminate before the start; afterwards only a supervisor may', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 1 });
    let res = await a.initiator.post(`/api/auctions/${a.auctionId}/terminate`, {
      reason: '出让方案调整，终止本次出让',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'AUCTION_TERMINATE_SUPERVISOR_ONLY' });
    const { giveTestScope } = await import('../../supervision/scopes/test-factory.ts');
    const supervisor = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, supervisor.id);
    const client = await p.as(supervisor);
    res = await client.post(`/api/auctions/${a.auctionId}/terminate`, { reason: '涉嫌串通竞买，依法终止' });
    expect(res.statusCode, res.body).toBe(200);
    const view = await publicView(a.auctionId);
    expect(view).toMatchObject({
      status: 'terminated',
      result: { outcome: 'no-deal', reason: 'terminated' },
    });
    expect(view.notices.some((n) => n.kind === 'termination')).toBe(true);
    expect((await refundsOf(a.lotId)).map((r) => r.reason)).toEqual(['terminated']);
  });

  test('the host changes the step during the bidding; the host view names nobody', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2 });
    await ok(bid(a.bidders[0]!.client, a.auctionId, '1000000.00'));
    await ok(a.host.post(`/api/auctions/${a.auctionId}/step`, { stepYuan: '20000.00' }));
    expect((await bid(a.bidders[1]!.client, a.auctionId, '1010000.00')).json()).toMatchObject({
      code: 'BID_TOO_LOW',
    });
    await ok(bid(a.bidders[1]!.client, a.auctionId, '1020000.00'));
    const host = await a.host.get(`/api/auctions/${a.auctionId}/host`);
    expect(host.statusCode, host.body).toBe(200);
    expect(host.json()).toMatchObject({
      stepYuan: '20000.00',
      registrations: { count: 2, cleared: 2 },
      stepChanges: [{ afterSeq: 1, stepYuan: '20000.00' }],
    });
    for (const b of a.bidders) expect(host.body).not.toContain(b.name);
    const mine = (await a.bidders[0]!.client.get('/api/auctions/mine')).json() as {
      registrations: { auctionId: string }[];
    };
    expect(mine.registrations.map((r) => r.auctionId)).toContain(a.auctionId);
    const list = (await p.anonymous.get('/api/public/auctions?catalog=03')).json() as {
      items: { id: string }[];
    };
    expect(list.items.map((i) => i.id)).toContain(a.auctionId);
  });
});
