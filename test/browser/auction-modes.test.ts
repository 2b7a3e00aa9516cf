/// <reference lib="dom" />
/**
 * 竞价交易's other bid modes in the browser, on a sandbox server (GGZY_SANDBOX=on: admin moves platform time
 * from 任务队列's 沙箱时钟), each a 网络竞价 of 企业国有产权 (0601) set up by daili in 竞价项目 and played in the
 * 竞价室 by the demo bidders, who apply and pay their deposits the way auctions.test.ts does:
 *
 *   一次报价 — each bidder may bid once; the amounts stay sealed until the close. toubiao1's second bid is
 *   refused in its room in the rule's words, nothing is recorded; the close names the highest sealed bid.
 *
 *   确认进入限时竞价 and 优先权跟价 — toubiao2 is the 原股东 with 优先受让权: when toubiao1 bids, toubiao2's room
 *   offers 跟价 at the price shown, and matching makes toubiao2 the leader at that same price. When the free
 *   period ends, the rooms turn to 限时竞价确认期: nobody can bid, toubiao1 and toubiao2 click 确认参加限时竞价,
 *   toubiao3 does not. In 限时竞价 toubiao3's bid is refused (本单位未进入限时竞价), toubiao1 bids, toubiao2
 *   matches again, and the countdown ends with the deal to the holder at the price it matched.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { applyAndPay, clickBid, json, textIs } from './auction-steps.ts';
import { pageErrors } from './support.ts';
import * as steps from './tender-steps.ts';

const SINGLE = {
  project: '包头市示范国有资本运营公司所持股权转让',
  lot: '示范机械制造有限公司20%股权',
  start: '800000.00',
  step: '20000.00',
  deposit: '100000.00',
};
const TIMED = {
  project: '鄂尔多斯市示范国有企业所持股权转让',
  lot: '示范物流有限公司35%股权',
  start: '500000.00',
  step: '10000.00',
  deposit: '50000.00',
};

const run = new steps.TenderRun(SINGLE.project, SINGLE.lot, 'auction-modes');

/** The same run (server, browsers, clock) working on another project and lot. */
function onProject(project: string, lot: string): steps.TenderRun {
  return Object.assign(Object.create(run) as steps.TenderRun, { project, lot });
}

interface RoomJson {
  status: string;
  phase: string | null;
  countdownEndsAt: string | null;
  phaseEndsAt: string | null;
  seq: number;
}

const room = (auctionId: string) => json<RoomJson>(run, `/api/auctions/${auctionId}/room`);

/** The phase tag of a room once it reads exactly `name` (限时竞价 is also a prefix of 限时竞价确认期). */
async function phaseIs(page: Page, name: string): Promise<void> {
  await page
    .getByTestId('room-phase')
    .filter({ hasText: new RegExp(`^\\s*${name}\\s*$`) })
    .waitFor({ timeout: 30_000 });
}

/**
 * ①–③ zhaobiao registers the project (0601, one lot by 网络竞价) and authorises daili, admin receives it,
 * daili sets the terms in 竞价项目 (`configure` picks the mode) and publishes. Returns the auction's id and terms.
 */
async function publishOnlineBidding(
  r: steps.TenderRun,
  t: typeof SINGLE,
  configure: (setup: Locator, daili: Page) => Promise<void>,
): Promise<{ auctionId: string; biddingStartsAt: Date }> {
  // Fresh pages for the organisers: the previous project's drawers and dialogs stay open in theirs.
  for (const username of ['zhaobiao', 'admin', 'daili']) await r.leave(username);
  await steps.registerProject(r, {
    catalog: /^0601 /,
    procedure: '网络竞价',
    notMandatoryTender: true,
    budget: t.start,
    address: '内蒙古自治区包头市昆都仑区钢铁大街示范路8号',
    approval: {
      name: '关于同意转让所持股权的批复',
      number: `国资产权〔2026〕${t.project.length}号`,
      authority: '市人民政府国有资产监督管理委员会',
    },
    content: `${t.lot}，按现状公开转让`,
    authorisation: {
      number: `ZX-2026-1${t.project.length}`,
      scope: '产权转让全过程：转让公告、组织网络竞价、成交公示',
    },
  });
  await r.leave('zhaobiao');
  await steps.receiveProject(r);

  const daili = await r.as('daili');
  await steps.openMenu(daili, '竞价项目', '/workspace/auction-projects');
  await r.pickLot(daili);
  const setup = daili.getByTestId('auction-setup');
  await setup.waitFor();
  await setup.getByTestId('suggest-schedule').click();
  await expect.poll(() => setup.locator('#setup-start-at').inputValue()).not.toBe('');
  await setup.getByLabel('起始价（元）').fill(t.start);
  await setup.getByLabel('加价幅度（元）').fill(t.step);
  await setup.getByLabel('竞买保证金（元）').fill(t.deposit);
  await setup.getByLabel('自由竞价期（分钟）').fill('30');
  await setup.getByLabel('自由竞价期（分钟）').press('Tab');
  await setup.getByLabel('限时竞价倒计时（分钟）').fill('3');
  await setup.getByLabel('限时竞价倒计时（分钟）').press('Tab');
  await configure(setup, daili);
  await setup
    .getByLabel('公告正文（纯文本）')
    .fill(
      `一、转让标的：${t.lot}。\n二、意向受让方须在保证金到账截止前缴纳竞买保证金。\n三、采用网络竞价方式，价高者得。`,
    );
  await setup.getByTestId('save-setup').click();
  await daili.getByText('竞价设置已保存').waitFor();
  const state = daili.getByTestId('auction-state');
  await state.getByTestId('auction-status').filter({ hasText: '草稿' }).waitFor();
  await daili.getByTestId('publish-auction').click();
  await daili.getByRole('dialog', { name: '发布公告' }).getByRole('button', { name: '发布' }).click();
  await state.getByTestId('auction-status').filter({ hasText: '公告中' }).waitFor();
  const auction = await (await daili.request.get(`/api/lots/${steps.lotIdOf(daili)}/auction`)).json();
  await r.leave('daili');
  return { auctionId: String(auction.id), biddingStartsAt: new Date(auction.terms.biddingStartsAt) };
}

/** Each bidder's room, open in its own browser once the free period has begun. */
async function enterRooms(auctionId: string, pseudonyms: Map<string, string>): Promise<Map<string, Page>> {
  const rooms = new Map<string, Page>();
  for (const [username, pseudonym] of pseudonyms) {
    const bidder = await run.as(username);
    await bidder.goto(`/auctions/${auctionId}/room`);
    await phaseIs(bidder, '自由竞价期');
    await textIs(bidder.getByTestId('my-pseudonym'), pseudonym);
    rooms.set(username, bidder);
  }
  return rooms;
}

const historyRows = (page: Page) => page.getByTestId('bid-history').locator('tr.el-table__row');

describe('竞价室的其他报价方式 in the browser', () => {
  it('一次报价: each bidder bids once, a second bid is refused in the rule’s words, the sealed amounts decide at the close', async () => {
    const title = `${SINGLE.project}${SINGLE.lot}`;
    const { auctionId, biddingStartsAt } = await publishOnlineBidding(run, SINGLE, async (setup, daili) => {
      await steps.choose(daili, setup.getByLabel('报价方式'), '一次报价');
    });

    const bidders = ['toubiao1', 'toubiao2'] as const;
    const pseudonyms = new Map<string, string>();
    for (const [i, username] of bidders.entries()) {
      const bidder = await run.as(username);
      pseudonyms.set(
        username,
        await applyAndPay(run, bidder, {
          title,
          depositYuan: SINGLE.deposit,
          ref: `${auctionId.slice(0, 8)}-${i}`,
        }),
      );
    }

    await run.moveClock(biddingStartsAt);
    const rooms = await enterRooms(auctionId, pseudonyms);
    const first = rooms.get('toubiao1')!;
    const second = rooms.get('toubiao2')!;
    const visitor = await run.as('visitor');
    await visitor.goto(`/auctions/${auctionId}/room`);
    await phaseIs(visitor, '自由竞价期');

    // The room says the rule; toubiao1 bids one step above the start: accepted.
    await textIs(first.getByTestId('single-bid-hint'), /每一竞买人只能报价一次/);
    await textIs(first.getByTestId('bid-next-1'), '报价 820,000.00 元');
    await clickBid(first, 'bid-next-1');
    await expect.poll(() => historyRows(visitor).count()).toBe(1);

    // Its second bid is refused with the rule, and nothing is recorded.
    await clickBid(first, 'bid-next-2', { refused: true });
    await textIs(
      first.getByTestId('bid-refusal'),
      /一次报价方式下每一竞买人只能报价一次：本单位已经报价，不能再次报价。/,
    );
    expect((await room(auctionId)).seq).toBe(1);

    // toubiao2 bids the start price; nobody sees an amount or a leader before the close.
    await clickBid(second, 'bid-next-0');
    for (const page of [first, second, visitor]) {
      await expect.poll(() => historyRows(page).count()).toBe(2);
      await textIs(page.getByTestId('leader'), '暂无报价');
    }
    const watched = (await visitor.getByTestId('bid-history').textContent()) ?? '';
    expect(watched).toContain('******');
    expect(watched).not.toContain('820,000.00');
    expect(await first.getByTestId('leading-badge').count()).toBe(0);

    // The free period ends: the highest sealed bid wins, shown in every room.
    const { phaseEndsAt } = await room(auctionId);
    await run.moveClock(new Date(new Date(phaseEndsAt!).getTime() + 1_000));
    for (const page of [first, second, visitor]) {
      await textIs(
        page.getByTestId('room-result'),
        `成交：${pseudonyms.get('toubiao1')} 以 820,000.00 元竞得`,
        30_000,
      );
    }
    await expect
      .poll(async () => (await visitor.getByTestId('bid-history').textContent()) ?? '')
      .toContain('820,000.00');
    for (const page of [first, second, visitor]) expect(pageErrors(page)).toEqual([]);
    for (const username of [...bidders, 'visitor']) await run.leave(username);
  }, 600_000);

  it('确认进入限时竞价 and 优先权跟价: only confirmed bidders bid in 限时竞价, and the holder’s 跟价 makes it the leader at the price shown', async () => {
    const r = onProject(TIMED.project, TIMED.lot);
    const title = `${TIMED.project}${TIMED.lot}`;
    const toubiao2 = await run.as('toubiao2');
    const entity = (await (await toubiao2.request.get('/api/my/entity')).json()) as { creditCode: string };
    const { auctionId, biddingStartsAt } = await publishOnlineBidding(r, TIMED, async (setup, daili) => {
      await steps.choose(daili, setup.getByLabel('进入限时竞价'), /须在规定时间内确认参加/);
      await setup.getByLabel('确认时限（分钟）').fill('5');
      await setup.getByLabel('确认时限（分钟）').press('Tab');
      await setup.getByRole('button', { name: '添加优先受让权人' }).click();
      await setup.getByLabel('优先权人1统一社会信用代码').fill(entity.creditCode);
    });

    const bidders = ['toubiao1', 'toubiao2', 'toubiao3'] as const;
    const pseudonyms = new Map<string, string>();
    for (const [i, username] of bidders.entries()) {
      const bidder = await run.as(username);
      pseudonyms.set(
        username,
        await applyAndPay(run, bidder, {
          title,
          depositYuan: TIMED.deposit,
          ref: `${auctionId.slice(0, 8)}-${i}`,
          preemptive: username === 'toubiao2',
        }),
      );
    }

    await run.moveClock(biddingStartsAt);
    const rooms = await enterRooms(auctionId, pseudonyms);
    const [first, holder, third] = bidders.map((u) => rooms.get(u)!) as [Page, Page, Page];
    const all = [first, holder, third];
    // Only the holder is offered 跟价, and only once there is a price to match.
    expect(await holder.getByTestId('bid-match').count()).toBe(0);

    // toubiao1 bids the start price; the holder matches it and leads at the same price.
    await clickBid(first, 'bid-next-0');
    await textIs(holder.getByTestId('bid-match'), '行使优先权（跟价 500,000.00 元）');
    expect(await first.getByTestId('bid-match').count()).toBe(0);
    expect(await third.getByTestId('bid-match').count()).toBe(0);
    await clickBid(holder, 'bid-match');
    await holder.getByTestId('leading-badge').waitFor();
    for (const page of all) {
      await textIs(page.getByTestId('current-price'), '500,000.00');
      await textIs(page.getByTestId('leader'), pseudonyms.get('toubiao2')!);
      await expect.poll(() => historyRows(page).count()).toBe(2);
    }
    await first.getByTestId('outbid-badge').waitFor();
    await textIs(historyRows(first).first(), /500,000\.00（优先权跟价）/);

    // The free period ends: 限时竞价确认期. Nobody can bid; toubiao1 and the holder confirm, toubiao3 does not.
    const free = await room(auctionId);
    await run.moveClock(new Date(new Date(free.phaseEndsAt!).getTime() + 1_000));
    for (const page of all) {
      await phaseIs(page, '限时竞价确认期');
      await page.getByTestId('timed-confirm').waitFor();
      await expect.poll(() => page.getByTestId('bid-next-0').isDisabled()).toBe(true);
    }
    for (const page of [first, holder]) {
      await page.getByTestId('timed-confirm').click();
      await page.getByText('已确认参加限时竞价').first().waitFor();
      // The room now says so instead of offering the button again.
      await page.getByTestId('timed-confirmed').waitFor();
      expect(await page.getByTestId('timed-confirm').count()).toBe(0);
    }
    expect(await third.getByTestId('timed-confirm').count()).toBe(1);

    // The confirmation time ends with two confirmed: 限时竞价.
    const entry = await room(auctionId);
    expect(entry.phase).toBe('entry');
    await run.moveClock(new Date(new Date(entry.phaseEndsAt!).getTime() + 1_000));
    for (const page of all) {
      await phaseIs(page, '限时竞价');
      await page.getByTestId('countdown').waitFor();
    }

    // toubiao3 did not confirm: its room says it is out and offers no bid; the server refuses one anyway.
    await textIs(third.getByTestId('timed-excluded'), /^本单位未进入限时竞价/);
    await expect.poll(() => third.getByTestId('bid-next-0').isDisabled()).toBe(true);
    const refused = await third.evaluate(async (id) => {
      const res = await fetch(`/api/auctions/${id}/bids`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amountYuan: '510000.00' }),
      });
      return { status: res.status, body: (await res.json()) as { code: string; detail: string } };
    }, auctionId);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'NOT_IN_TIMED_BIDDING',
      detail: '限时竞价仅限在确认时间内确认参加的竞买人。',
    });
    expect((await room(auctionId)).seq).toBe(2);

    // toubiao1 bids the next step; the holder matches again and leads at that price.
    await clickBid(first, 'bid-next-0');
    for (const page of all) await textIs(page.getByTestId('current-price'), '510,000.00');
    await textIs(holder.getByTestId('bid-match'), '行使优先权（跟价 510,000.00 元）');
    await clickBid(holder, 'bid-match');
    for (const page of all) {
      await textIs(page.getByTestId('current-price'), '510,000.00');
      await textIs(page.getByTestId('leader'), pseudonyms.get('toubiao2')!);
    }
    await holder.getByTestId('leading-badge').waitFor();

    // Nobody bids for the countdown: the deal goes to the holder at the price it matched.
    const timed = await room(auctionId);
    expect(timed.phase).toBe('timed');
    await run.moveClock(new Date(new Date(timed.countdownEndsAt!).getTime() + 1_000));
    for (const page of all) {
      await textIs(
        page.getByTestId('room-result'),
        `成交：${pseudonyms.get('toubiao2')} 以 510,000.00 元竞得`,
        30_000,
      );
    }
    for (const page of all) expect(pageErrors(page)).toEqual([]);
    run.finished = true;
  }, 600_000);
});
