import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { payTestDeposit } from '../deposits/test-factory.ts';
import { resumeLot, suspendLot } from '../procedures/index.ts';
import { registerReceivedLot } from '../projects/test-factory.ts';
import { workingDaysLater } from './rules.ts';
import {
  type AuctionInBidding,
  auctionInBidding,
  auctionSetupBody,
  auctionsDbOf,
  defaultBiddingStart,
} from './test-factory.ts';

/** 延牌 (too few bidders at the start → the schedule moves on, within the notice's limit) and 恢复 after a suspension. */

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

const MINUTE = 60_000;
const CITATION = '《企业国有产权交易操作规则》：必要时，监督部门可以责令中止交易';

type Client = AuctionInBidding['bidders'][number]['client'];
const bid = (client: Client, auctionId: string, amountYuan: string) =>
  client.post(`/api/auctions/${auctionId}/bids`, { amountYuan });

async function publicView(auctionId: string) {
  return (await p.anonymous.get(`/api/public/auctions/${auctionId}`)).json() as {
    status: string;
    phase: string | null;
    biddingStartsAt: string;
    registrationUntil: string;
    depositDeadline: string;
    phaseEndsAt: string | null;
    countdownEndsAt: string | null;
    result: Record<string, unknown> | null;
  };
}

async function witnessed(auctionId: string, action: string) {
  const rows = await auctionsDbOf(p)
    .selectFrom('witness_events')
    .select('payload')
    .where('entity_type', '=', 'auction')
    .where('entity_id', '=', auctionId)
    .where('action', '=', action)
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.payload) as Record<string, unknown>);
}

async function depositDeadlineOf(lotId: string) {
  const row = await auctionsDbOf(p)
    .selectFrom('deposit_terms')
    .select('deadline')
    .where('lot_id', '=', lotId)
    .executeTakeFirstOrThrow();
  return row.deadline;
}

describe('延牌 (企业国有产权交易操作规则: 每次延期不少于5个工作日，以公告载明的次数为限)', () => {
  test('too few paid bidders at the start → registration, deposit deadline and start move 5 working days; a late payer then counts', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'online-bidding',
      bidders: 2,
      unpaid: [1],
      setup: { minBidders: 2, autoExtend: true, extensionWorkingDays: 5, maxExtensions: 2 },
    });
    const start = a.times.biddingStartsAt;
    const newStart = workingDaysLater(start, 5);
    let view = await publicView(a.auctionId);
    expect(view).toMatchObject({ status: 'announced', biddingStartsAt: newStart.toISOString() });
    expect(view.registrationUntil).toBe(workingDaysLater(a.times.registrationUntil, 5).toISOString());
    expect(await depositDeadlineOf(a.lotId)).toEqual(new Date(view.depositDeadline));
    expect(new Date(view.depositDeadline).getTime()).toBeGreaterThan(start.getTime());
    const [extended] = await witnessed(a.auctionId, 'auction.extended');
    expect(extended).toMatchObject({
      extension: 1,
      maxExtensions: 2,
      workingDays: 5,
      eligibleBidders: 1,
      minBidders: 2,
      biddingStartsAt: newStart.toISOString(),
    });
    expect(String(extended?.citation)).toContain('5个工作日');

    // The second bidder pays after the original deadline, before the extended one; at the new start both count.
    p.clock.set(new Date(start.getTime() + 24 * 3_600_000));
    await a.relogin();
    const late = a.bidders[1]!;
    await payTestDeposit(p, {
      lotId: a.lotId,
      bidder: { client: late.client, organizationId: late.organizationId },
      amountYuan: '100000.00',
    });
    p.clock.set(newStart);
    await p.jobs.runDueJobs();
    await a.relogin();
    view = await publicView(a.auctionId);
    expect(view).toMatchObject({ status: 'bidding', phase: 'free' });
    const res = await bid(late.client, a.auctionId, '1000000.00');
    expect(res.statusCode, res.body).toBe(200);
  });

  test('after the last extension the notice ends by itself: 不成交 (insufficient-bidders)', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'online-bidding',
      bidders: 1,
      setup: { minBidders: 2, autoExtend: true, maxExtensions: 1 },
    });
    const newStart = workingDaysLater(a.times.biddingStartsAt, 5);
    expect(await publicView(a.auctionId)).toMatchObject({
      status: 'announced',
      biddingStartsAt: newStart.toISOString(),
    });
    p.clock.set(newStart);
    await p.jobs.runDueJobs();
    expect(await publicView(a.auctionId)).toMatchObject({
      status: 'failed',
      result: { outcome: 'no-deal', reason: 'insufficient-bidders' },
    });
    expect(await witnessed(a.auctionId, 'auction.extended')).toHaveLength(1);
  });

  test('without autoExtend the start fails as before; an extension under 5 working days is refused with the rule', async () => {
    const a = await auctionInBidding(p, {
      procedureType: 'online-bidding',
      bidders: 1,
      setup: { minBidders: 2 },
    });
    expect(await publicView(a.auctionId)).toMatchObject({
      status: 'failed',
      result: { reason: 'insufficient-bidders' },
    });

    const lot = await registerReceivedLot(p, { procedureType: 'online-bidding', catalogItemCode: '0601' });
    const res = await lot.initiatorClient.put(
      `/api/lots/${lot.lot.id}/auction`,
      auctionSetupBody('online-bidding', defaultBiddingStart(p.clock.now()), {
        announcementAt: p.clock.now().toISOString(),
        autoExtend: true,
        extensionWorkingDays: 3,
      }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'AUCTION_EXTENSION_TOO_SHORT' });
    expect((res.json() as { citation: string }).citation).toContain('国资发产权〔2009〕120号');
  });
});

async function suspend(lotId: string, until: Date | null) {
  await auctionsDbOf(p)
    .transaction()
    .execute((tx) =>
      suspendLot(tx, p.clock.now(), SYSTEM_ORIGIN, {
        lotId,
        cause: `complaint:${lotId}`,
        reason: '竞买人投诉处理期间',
        citation: CITATION,
        until,
      }),
    );
}

describe('恢复 after a supervisor’s suspension: the bidders get back the time they lost', () => {
  test('限时竞价: bids refused and the countdown job held while suspended; on resume the end is resume + max(remaining, N)', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2, phase: 'timed' });
    const [b1, b2] = a.bidders;
    const t0 = new Date(p.clock.now().getTime() + MINUTE);
    p.clock.set(t0);
    await a.relogin();
    const first = await bid(b1!.client, a.auctionId, '1000000.00');
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      countdownEndsAt: new Date(t0.getTime() + 5 * MINUTE).toISOString(),
    });

    p.clock.set(new Date(t0.getTime() + 2 * MINUTE));
    await suspend(a.lotId, null);
    const refused = await bid(b2!.client, a.auctionId, '1010000.00');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'PROCEDURE_SUSPENDED' });

    // The countdown's end passes while suspended: the job waits, nothing closes.
    p.clock.set(new Date(t0.getTime() + 6 * MINUTE));
    await p.jobs.runDueJobs();
    expect(await publicView(a.auctionId)).toMatchObject({ status: 'bidding', phase: 'timed' });

    const resumedAt = new Date(t0.getTime() + 8 * MINUTE);
    p.clock.set(resumedAt);
    await auctionsDbOf(p)
      .transaction()
      .execute((tx) =>
        resumeLot(tx, resumedAt, SYSTEM_ORIGIN, { lotId: a.lotId, cause: `complaint:${a.lotId}` }),
      );
    await a.relogin();
    // 3 minutes remained at the suspension; a full countdown (5) is longer: the end is resume + 5 minutes.
    const second = await bid(b2!.client, a.auctionId, '1010000.00');
    expect(second.statusCode, second.body).toBe(200);
    expect((second.json() as { countdownEndsAt: string }).countdownEndsAt).toBe(
      new Date(resumedAt.getTime() + 5 * MINUTE).toISOString(),
    );
    const [resumed] = await witnessed(a.auctionId, 'auction.resumed');
    expect(resumed).toMatchObject({
      phase: 'timed',
      previousEndsAt: new Date(t0.getTime() + 5 * MINUTE).toISOString(),
      endsAt: new Date(resumedAt.getTime() + 5 * MINUTE).toISOString(),
      suspensions: [{ remainingMs: 3 * MINUTE, resumedAt: resumedAt.toISOString() }],
    });

    p.clock.set(new Date(resumedAt.getTime() + 5 * MINUTE));
    await p.jobs.runDueJobs();
    const view = await publicView(a.auctionId);
    expect(view.status).toBe('pre-deal');
    expect(view.result).toMatchObject({ priceYuan: '1010000.00', winnerPseudonym: b2!.pseudonym });
    expect(await witnessed(a.auctionId, 'auction.resumed')).toHaveLength(1);
  });

  test('free bidding: a suspension that lapses by itself gives back the 40 minutes that remained, once', async () => {
    const a = await auctionInBidding(p, { procedureType: 'auction', bidders: 2 });
    const s = a.times.biddingStartsAt;
    const at = (minutes: number) => new Date(s.getTime() + minutes * MINUTE);
    p.clock.set(at(10));
    await a.relogin();
    expect((await bid(a.bidders[0]!.client, a.auctionId, '1000000.00')).statusCode).toBe(200);
    p.clock.set(at(20));
    await suspend(a.lotId, at(90));
    p.clock.set(at(61));
    await p.jobs.runDueJobs();
    expect(await publicView(a.auctionId)).toMatchObject({ phase: 'free', phaseEndsAt: at(60).toISOString() });

    // The suspension ends by itself at +90: the held job runs and the free period ends 40 minutes later.
    p.clock.set(at(90));
    await p.jobs.runDueJobs();
    expect(await publicView(a.auctionId)).toMatchObject({
      status: 'bidding',
      phase: 'free',
      phaseEndsAt: at(130).toISOString(),
    });
    await a.relogin();
    expect((await bid(a.bidders[1]!.client, a.auctionId, '1010000.00')).statusCode).toBe(200);

    // At the new end the period closes (no second credit for the same suspension): 限时竞价 begins.
    p.clock.set(at(130));
    await p.jobs.runDueJobs();
    expect(await publicView(a.auctionId)).toMatchObject({
      phase: 'timed',
      countdownEndsAt: at(135).toISOString(),
    });
    expect(await witnessed(a.auctionId, 'auction.resumed')).toHaveLength(1);
  });
});
