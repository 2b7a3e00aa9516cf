/// <reference lib="dom" />
/**
 * 竞价交易 end to end in the browser (issue 10): a 挂牌 that turns into 限时竞价, played through the pages by
 * the demo accounts on a sandbox server (GGZY_SANDBOX=on: admin moves platform time from 任务队列's 沙箱时钟).
 *
 *   ① zhaobiao registers a 行政事业单位资产 (0603) project with one lot traded by 挂牌 and authorises daili →
 *   ② admin 受理 → ③ daili, in 竞价项目, sets the terms (schedule at the legal minimum), the secret 底价, and
 *   publishes the 出让公告 → ④ toubiao1–3 find it on the portal's 竞价交易 page, apply in 我的竞买 (each gets a
 *   竞买号), ask for a virtual sub-account on 保证金 and pay (the test plays 演示银行, signing its 到账通知 with
 *   the bank key the demo seed wrote) → ⑤ (clock: listing starts) each bidder, in its own browser, places a
 *   报价单 in the 竞价室 with the next valid amount → ⑥ (clock: listing ends) the three rooms turn to 限时竞价
 *   live, from the highest listed bid plus one step → ⑦ the three bid in turn; each page sees the others'
 *   bids arrive without a reload, and the leader's 当前领先 badge moves; a visitor watches the same room →
 *   ⑧ (clock: the countdown ends) every room shows the deal to the last bidder's 竞买号 → ⑨ daili passes the
 *   winner's 资格审核 → 已成交; the portal shows the result, the 成交公示 and the auction record.
 *
 * axe finds nothing on the 竞价交易 list, the room during 限时竞价, 竞价项目 after the deal and the public detail.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bankPays, bidNext, json, textIs } from './auction-steps.ts';
import { axeViolations, pageErrors, screenshot } from './support.ts';
import * as steps from './tender-steps.ts';

const PROJECT = '呼和浩特市示范第一中学旧实验设备处置';
const LOT = '淘汰理化生实验设备一批';
/** The auction's title as 竞价项目 proposes it: the project's and the lot's names. */
const LOT_TITLE = `${PROJECT}${LOT}`;
const BIDDERS = ['toubiao1', 'toubiao2', 'toubiao3'] as const;
const START = '300000.00';
const STEP = '10000.00';
const DEPOSIT = '60000.00';
const RESERVE = '320000.00';

const run = new steps.TenderRun(PROJECT, LOT, 'auction');
const as = (username: string) => run.as(username);

interface RoomJson {
  auctionId: string;
  lotId: string;
  status: string;
  phase: string | null;
  seq: number;
  countdownEndsAt: string | null;
  phaseEndsAt: string | null;
  serverTime: string;
  currentPriceYuan: string | null;
}

describe('竞价交易（挂牌转限时竞价）in the browser', () => {
  it('announces a 挂牌, takes registrations and deposits, runs 限时竞价 among three bidders to a deal, and publishes it', async () => {
    // ① zhaobiao registers the project (0603, one lot by 挂牌) and authorises daili.
    await steps.registerProject(run, {
      catalog: /^0603 /,
      procedure: '挂牌',
      notMandatoryTender: true,
      budget: '300000.00',
      address: '呼和浩特市新城区新华大街示范路1号',
      approval: {
        name: '关于同意处置报废资产的批复',
        number: '呼教财〔2026〕8号',
        authority: '呼和浩特市教育局',
      },
      content: '淘汰的理化生实验台、通风橱及多媒体教学设备一批，按现状整体转让',
      authorisation: { number: 'ZX-2026-090', scope: '资产处置全过程：挂牌公告、组织竞价、成交公示' },
    });
    await run.leave('zhaobiao');

    // ② the trading centre receives the registration.
    await steps.receiveProject(run);

    // ③ daili sets the terms, the 底价 and publishes.
    const daili = await as('daili');
    await steps.openMenu(daili, '竞价项目', '/workspace/auction-projects');
    await run.pickLot(daili);
    const setup = daili.getByTestId('auction-setup');
    await setup.waitFor();
    await setup.getByTestId('suggest-schedule').click();
    await expect.poll(() => setup.locator('#setup-listing-end').inputValue()).not.toBe('');
    await setup.getByLabel('起始价（元）').fill(START);
    await setup.getByLabel('加价幅度（元）').fill(STEP);
    await setup.getByLabel('竞买保证金（元）').fill(DEPOSIT);
    await setup.getByLabel('限时竞价倒计时（分钟）').fill('3');
    await setup.getByLabel('限时竞价倒计时（分钟）').press('Tab');
    await steps.choose(daili, setup.getByLabel('进入限时竞价'), /须在挂牌期内有有效报价/);
    await steps.choose(daili, setup.getByLabel('资格审查'), /资格后审/);
    await setup
      .getByLabel('公告正文（纯文本）')
      .fill(
        '一、转让标的：淘汰的理化生实验台、通风橱及多媒体教学设备一批，按现状整体转让。\n二、竞买人须在保证金到账截止前缴纳竞买保证金。\n三、挂牌期满有两个以上竞买人报价的，转入网上限时竞价。',
      );
    await setup.getByTestId('save-setup').click();
    await daili.getByText('竞价设置已保存').waitFor();
    const state = daili.getByTestId('auction-state');
    await state.getByTestId('auction-status').filter({ hasText: '草稿' }).waitFor();
    await daili.getByTestId('reserve-amount').fill(RESERVE);
    await daili.getByTestId('set-reserve').click();
    await daili.getByTestId('reserve-set').waitFor();
    await daili.getByTestId('publish-auction').click();
    await daili.getByRole('dialog', { name: '发布公告' }).getByRole('button', { name: '发布' }).click();
    await state.getByTestId('auction-status').filter({ hasText: '公告中' }).waitFor();
    const lotId = steps.lotIdOf(daili);
    const auction = await (await daili.request.get(`/api/lots/${lotId}/auction`)).json();
    const auctionId = String(auction.id);
    const terms = auction.terms as { biddingStartsAt: string; listingEndsAt: string };

    // ④ the bidders find it on the portal, apply, and pay the deposit into their virtual sub-accounts.
    const pseudonyms = new Map<string, string>();
    for (const [i, username] of BIDDERS.entries()) {
      const bidder = await as(username);
      await bidder.goto('/auctions');
      if (i === 0) expect(await axeViolations(bidder)).toEqual([]);
      await bidder.getByTestId('auction-link').filter({ hasText: LOT_TITLE }).first().click();
      await bidder.getByTestId('auction-detail').waitFor();
      await bidder.getByTestId('apply-link').click();
      await bidder.getByTestId('apply').click();
      await bidder
        .getByRole('dialog', { name: '申请竞买' })
        .getByRole('button', { name: '提交申请' })
        .click();
      const pseudonym = (await bidder.getByTestId('registration-pseudonym').textContent())?.trim() ?? '';
      expect(pseudonym).not.toBe('');
      pseudonyms.set(username, pseudonym);
      await bidder.getByTestId('pay-deposit').click();
      await bidder.waitForURL((url) => url.pathname === '/workspace/deposits');
      await bidder.getByRole('button', { name: '申请虚拟子账号' }).click();
      const account = (await bidder.getByTestId('virtual-account').textContent())?.trim() ?? '';
      await bankPays(run, bidder, account, DEPOSIT, `${auctionId.slice(0, 8)}-${i}`);
      await bidder.getByRole('button', { name: '刷新' }).click();
      await bidder.getByTestId('deposit-status').filter({ hasText: '已缴纳' }).waitFor();
    }
    expect(new Set(pseudonyms.values()).size).toBe(3);

    // ⑤ the listing starts: each bidder places a 报价单 of the next valid amount in its own room.
    await run.moveClock(new Date(terms.biddingStartsAt));
    const rooms: Page[] = [];
    for (const username of BIDDERS) {
      const bidder = await as(username);
      await bidder.goto(`/auctions/${auctionId}/room`);
      await bidder.getByTestId('room-phase').filter({ hasText: '挂牌报价期' }).waitFor({ timeout: 30_000 });
      await textIs(bidder.getByTestId('my-pseudonym'), pseudonyms.get(username)!);
      rooms.push(bidder);
    }
    const listed: string[] = [];
    for (const bidder of rooms) listed.push(await bidNext(bidder));
    expect(listed).toEqual(['300,000.00', '310,000.00', '320,000.00']);
    // Every room saw the three listed bids, by 竞买号 only.
    for (const bidder of rooms) {
      await textIs(bidder.getByTestId('current-price'), /320,000\.00/);
      await expect.poll(() => bidder.getByTestId('bid-history').locator('tr.el-table__row').count()).toBe(3);
      const text = (await bidder.getByTestId('auction-room').textContent()) ?? '';
      for (const name of ['北疆', '草原', '恒达']) expect(text).not.toContain(name);
    }
    await rooms[2]!.getByTestId('leading-badge').waitFor();

    // A visitor watches the same room.
    const visitor = await as('visitor');
    await visitor.goto(`/auctions/${auctionId}/room`);
    await visitor.getByTestId('watcher-note').waitFor();
    await textIs(visitor.getByTestId('current-price'), /320,000\.00/);

    // ⑥ the listing ends with three listed bidders: 限时竞价 from the highest plus one step, live in every room.
    await run.moveClock(new Date(new Date(terms.listingEndsAt).getTime() + 1_000));
    for (const page of [...rooms, visitor]) {
      await page.getByTestId('room-phase').filter({ hasText: '限时竞价' }).waitFor({ timeout: 30_000 });
      await page.getByTestId('countdown').waitFor();
    }
    await screenshot(rooms[0]!, 'auction-timed');
    expect(await axeViolations(rooms[0]!)).toEqual([]);

    // ⑦ the three bid in turn; each sees the others' bids arrive, the leader's badge moves.
    const order = [0, 1, 2, 0, 1];
    let last = '';
    for (const i of order) {
      const bidder = rooms[i]!;
      last = await bidNext(bidder);
      await bidder.getByTestId('leading-badge').waitFor();
      for (const [j, other] of rooms.entries()) {
        await textIs(other.getByTestId('current-price'), last);
        if (j !== i) {
          await textIs(other.getByTestId('leader'), pseudonyms.get(BIDDERS[i]!)!);
          await other.getByTestId('outbid-badge').waitFor();
        }
      }
    }
    expect(last).toBe('370,000.00');
    await textIs(visitor.getByTestId('current-price'), '370,000.00');
    // The leader may not outbid itself.
    expect(await rooms[1]!.getByTestId('bid-next-0').isDisabled()).toBe(true);
    await rooms[1]!.getByTestId('leading-hint').waitFor();

    // ⑧ nobody bids for the countdown: the deal goes to toubiao2's 竞买号 in every room.
    const room = await json<RoomJson>(run, `/api/auctions/${auctionId}/room`);
    expect(room.phase).toBe('timed');
    await run.moveClock(new Date(new Date(room.countdownEndsAt!).getTime() + 1_000));
    for (const page of [...rooms, visitor]) {
      await textIs(
        page.getByTestId('room-result'),
        new RegExp(`${pseudonyms.get('toubiao2')}.*370,000\\.00`),
        30_000,
      );
    }
    for (const username of BIDDERS) await run.leave(username);

    // ⑨ daili passes the winner's 资格审核: 成交通知书 and 成交公示.
    await daili.reload();
    await daili.getByTestId('auction-result-panel').waitFor();
    await textIs(daili.getByTestId('result-outcome'), '成交');
    await daili.getByTestId('submit-qualification').click();
    await daili.getByTestId('auction-status').filter({ hasText: '已成交' }).waitFor({ timeout: 30_000 });
    await textIs(daili.getByTestId('result-winner'), '包头市草原路桥有限责任公司（演示）'); // toubiao2
    expect(await axeViolations(daili)).toEqual([]);
    expect(pageErrors(daili)).toEqual([]);

    // The portal: 已成交, the result, the 成交公示 and the record with every bid in order.
    await visitor.goto(`/auctions/${auctionId}`);
    await visitor.getByTestId('detail-status').filter({ hasText: '已成交' }).waitFor();
    await textIs(visitor.getByTestId('auction-result'), /370,000\.00/);
    await visitor.getByTestId('deal-publicity').waitFor();
    await visitor.getByTestId('load-record').click();
    await visitor.getByTestId('record-head').waitFor();
    await textIs(visitor.getByTestId('record-verified'), /记录完整，公布的底价与竞价前的承诺一致/);
    await expect
      .poll(() => visitor.getByTestId('auction-record').locator('tr.el-table__row').count())
      .toBe(8);
    await screenshot(visitor, 'auction-dealt');
    expect(await axeViolations(visitor)).toEqual([]);
    expect(pageErrors(visitor)).toEqual([]);
    run.finished = true;
  }, 600_000);
});
