/// <reference lib="dom" />
/**
 * 政府采购 公开招标 (open-tender.gp) end to end, as people would do it (issue 7): one goods procurement walked
 * through the web app by the demo accounts of each role, every action through the pages — never the API.
 * The point is the 政府采购 rules with 工作日 periods the person sees; a sandbox server (GGZY_SANDBOX=on)
 * lets the trading centre jump over them from 任务队列's 沙箱时钟.
 *
 *   zhaobiao (采购人) registers a 0201 货物 project (4,800,000 元, so the committee is 5) with one 公开招标（政府采购）
 *   lot, no deposit, and authorises daili → admin 受理 → daili publishes the 采购公告: the timeline gives ≥20 日
 *   to the deadline and the documents for ≥5 工作日 → toubiao1–5 seal and submit bids → the opening →
 *   the draw (4 × A080102) + zhaobiao as 采购人代表 = 5 → the committee signs in, declares, elects an expert chair,
 *   scores, aggregates and signs the report with SM2 key files → 定标: the report reached the 采购人 at once,
 *   the decision is due in 5 工作日 (a working day); nobody decides, the clock passes it and the first
 *   candidate is deemed the winner → daili issues the notice within 2 工作日 → the 结果公告 on the portal has
 *   a 1 工作日 公告期 → each losing supplier sees only its own score and rank → the contract, signed by both
 *   parties with their sign.key.pem, published within 2 工作日 → the 合同公告 on the portal.
 */

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isWorkingDay, workingDaysBetween } from '../../src/platform/clock/calendar.ts';
import type { CalendarDate } from '../../src/platform/clock/calendar-date.ts';
import { animationsDone, axeViolations, newPage, pageErrors, screenshot } from './support.ts';
import * as steps from './tender-steps.ts';

const PRICES = ['4560000.00', '4480000.00', '4620000.00', '4390000.00', '4510000.00'];
const PROJECT = '内蒙古自治区档案馆钢结构密集架及库房设备采购';
const LOT = '钢结构密集架';

const run = new steps.TenderRun(PROJECT, LOT, 'gp');
const as = (username: string) => run.as(username);
const leave = (username: string) => run.leave(username);

/** The Beijing calendar date of an instant, 'YYYY-MM-DD'. */
function dateOf(at: Date): CalendarDate {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) as CalendarDate;
}

/** 评标任务: (re)opens the procurement's task, so the page shows the committee's latest state. */
async function enterTask(page: Page): Promise<void> {
  await page.reload();
  const tasks = page.getByTestId('evaluation-tasks');
  await tasks
    .getByRole('row', { name: new RegExp(LOT) })
    .getByRole('button', { name: '进入' })
    .click();
  await tasks.getByRole('heading', { name: new RegExp(`${PROJECT} · ${LOT}`) }).waitFor();
  await page.waitForLoadState('networkidle');
}

describe('政府采购公开招标 end to end in the browser', () => {
  it('announces, takes bids, evaluates, deems the winner after 5 工作日, notifies, signs and publishes the contract', async () => {
    // ① zhaobiao (采购人) registers a 货物 project with one 公开招标（政府采购） lot and authorises daili.
    const zhaobiao = await as('zhaobiao');
    const drawer = await steps.registerProject(run, {
      catalog: /^0201 /,
      budget: '4800000.00',
      address: '呼和浩特市赛罕区敕勒川大街档案馆新馆',
      approval: {
        name: '关于档案馆新馆库房设备政府采购预算的批复',
        number: '内财采〔2026〕118号',
        authority: '内蒙古自治区财政厅',
      },
      procedure: '公开招标（政府采购）',
      content: '钢结构手动、电动密集架及库房配套设备的供货、安装与调试',
      authorisation: {
        number: 'ZX-CG-2026-118',
        scope: '政府采购代理全过程：编制招标文件、发布公告、组织开标评标、发布结果公告',
      },
    });
    await zhaobiao.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // ② the trading centre receives the registration (项目受理).
    await steps.receiveProject(run);

    // ③ daili uploads the 招标文件 and publishes the 采购公告 (no deposit) at the legal minimum periods.
    const daili = await steps.publishAnnouncement(run, {
      documentText: `${PROJECT}\n${LOT} 招标文件（演示）\n第三章 评标办法：综合评分法，价格分 40 分\n`,
      title: `${PROJECT}${LOT}采购公告`,
      body: '1. 采购人：内蒙古自治区档案馆（演示）。\n2. 预算金额：480万元，不收取投标保证金。\n3. 评标方法：综合评分法。',
    });
    await daili.getByTestId('announcements-table').getByText('采购公告').first().waitFor();
    const timeline = await steps.timelineOf(daili);
    // 87号令第十八条: ≥20 日 from the documents' first day to the deadline; 第十九条: documents for ≥5 工作日.
    const days = (a: Date, b: Date) =>
      Math.round((Date.parse(dateOf(b)) - Date.parse(dateOf(a))) / 86_400_000);
    expect(days(timeline.documentsFrom, timeline.bidDeadline)).toBeGreaterThanOrEqual(20);
    expect(
      workingDaysBetween(dateOf(timeline.documentsFrom), dateOf(timeline.documentsUntil)),
    ).toBeGreaterThanOrEqual(5);
    expect(isWorkingDay(dateOf(timeline.bidDeadline))).toBe(true);
    await screenshot(daili, 'gp-announced');
    const lotId = steps.lotIdOf(daili);

    // ③b the 评标办法 (综合评分法), before the deadline: one pass/fail item and one scored item of 60 points,
    // the price worth 40 (≥30 for goods, 87号令第五十五条).
    const organise = await steps.planBidAndOpen(run, timeline, {
      lotId,
      plan: {
        qualification: '营业执照、依法缴纳税收和社会保障资金的证明',
        scored: '技术参数响应与售后服务方案',
      },
      // ④ documents on sale: the five suppliers obtain them (the 采购公告 takes no deposit) and submit
      // sealed bids.
      bids: {
        keyword: '档案馆钢结构密集架',
        checkAnnouncement: async (bidder) => {
          await expect(bidder.getByTestId('announcement-kind').textContent()).resolves.toContain('采购公告');
          await expect(bidder.getByTestId('announcement-deposit').textContent()).resolves.toContain('不收取');
        },
        prices: PRICES,
        duration: (i) => 60 - i * 5,
        quality: '合格，质保五年',
        technical: {
          name: '技术响应文件.txt',
          text: (username) =>
            `${username} 技术响应：密集架技术参数偏离表、供货安装方案、售后服务承诺（演示）\n`,
        },
      },
      // ⑤ the opening: sign-in, reveal, each supplier decrypts in its browser with enc.key.pem, the record.
      opening: { hostReloads: true, firstConfirmsWithKey: false },
    });

    // ⑥ the draw: four 钢结构 (A080102) experts; the 采购人代表 (zhaobiao) makes the committee five.
    const { evaluationStartsAt, drawn } = await steps.drawExperts(run, {
      openingAt: timeline.openingAt,
      room: '交易中心第二评标室',
      specialty: steps.STEEL_STRUCTURES,
      count: 4,
    });

    // ⑦ the evaluation starts: daili forms the committee — the four experts and zhaobiao as 采购人代表.
    await run.moveClock(evaluationStartsAt);
    await steps.openMenu(daili, '评标组织', '/workspace/evaluation');
    await run.openEvaluation(daili);
    await organise.locator('label.el-checkbox', { hasText: '（zhaobiao）' }).click();
    await expect(organise.getByRole('checkbox', { name: /zhaobiao/ }).isChecked()).resolves.toBe(true);
    await organise.getByRole('button', { name: '检查组成' }).click();
    await organise.getByText('专家 4 人，招标人代表 1 人').waitFor();
    await organise.getByText('组成符合规定').waitFor();
    await organise.getByTestId('form-committee').click();
    await daili.getByText('评标委员会已组建').first().waitFor();
    await organise.locator('[aria-label="评标委员会成员"]').waitFor();

    // ⑧ each member signs in, sees the suppliers, declares no conflict and votes an expert as chair (the
    // 采购人代表 may not chair, 87号令第四十五条).
    const members = [...drawn, 'zhaobiao'];
    for (const username of members) {
      const member = await as(username);
      await steps.openMenu(member, '评标任务', '/workspace/evaluation-tasks');
      await enterTask(member);
      await member.getByTestId('sign-in').click();
      await member.locator('[aria-label="投标人名单"]').locator('tbody tr').nth(4).waitFor();
      await steps.signDeclaration(member, member);
      await member.getByText('已签署（').waitFor();
    }
    const zhaobiaoVote = zhaobiao.locator('#vote-for');
    await enterTask(zhaobiao);
    await zhaobiaoVote.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
    const voteList = zhaobiao.locator(`[id="${await zhaobiaoVote.getAttribute('aria-controls')}"]`);
    expect(await voteList.getByRole('option').count()).toBe(4);
    await zhaobiao.keyboard.press('Escape');
    for (const username of members) {
      const member = await as(username);
      await enterTask(member);
      if ((await member.locator('#vote-for').count()) === 0) continue;
      const vote = member.locator('#vote-for');
      await vote.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
      await animationsDone(member);
      await member
        .locator(`[id="${await vote.getAttribute('aria-controls')}"]`)
        .getByRole('option', { name: /评标专家/ })
        .first()
        .click();
      await member
        .getByRole('button', { name: '投票', exact: true })
        .and(member.locator(':not([disabled])'))
        .waitFor();
      await member.getByRole('button', { name: '投票', exact: true }).click();
      await member.getByText('已投票').first().waitFor();
    }

    // ⑨ independent scoring, step by step: 资格审查 then 详细评审 (a deduction states its reason).
    for (const step of ['qualification', 'detailed'] as const) {
      for (const [i, username] of members.entries()) {
        const member = await as(username);
        await enterTask(member);
        const submit = member.getByTestId(`submit-${step}`);
        await submit.waitFor();
        if (step === 'detailed') {
          const score = member.getByRole('spinbutton', { name: /分值$/ }).nth(i);
          await score.fill(String(60 - 2 * (i + 1)));
          await score.press('Tab');
          await member
            .getByRole('textbox', { name: /理由$/ })
            .nth(i)
            .fill('售后服务响应时间承诺不足，酌情扣分');
        }
        await submit.click();
        await submit.waitFor({ state: 'detached' });
      }
    }

    // ⑩ the chair aggregates and generates the report; every member signs it with its own sign.key.pem.
    let chair: Page | null = null;
    for (const username of members) {
      const member = await as(username);
      await enterTask(member);
      if ((await member.getByTestId('aggregate').count()) > 0) chair = member;
    }
    if (!chair) throw new Error('no member sees 汇总评审结果: no chair');
    await chair.getByTestId('aggregate').click();
    await chair.getByTestId('generate-report').click();
    await chair.getByText('签署截止').first().waitFor();
    const reopen = async (member: Page) => {
      await enterTask(member);
      return member;
    };
    await steps.signReport(run, members, reopen, (page) => page.locator('#sign-key'));
    for (const username of drawn) await leave(username);

    // ⑪ 定标: the report reached the 采购人 at once; the decision is due within 5 工作日, on a working day.
    await steps.openMenu(daili, '定标', '/workspace/awards');
    await run.pickLot(daili);
    const status = daili.getByTestId('award-status');
    await status.waitFor({ timeout: 60_000 });
    await status.getByText('平台即时送达采购人').waitFor();
    const decisionLine = status
      .getByRole('listitem')
      .filter({ hasText: '采购人确定中标人期限（收到评审报告后5个工作日内）' });
    const [reportedAt] = steps.beijingTimes((await status.getByText('评标报告提交时间').textContent()) ?? '');
    const [decisionDue] = steps.beijingTimes((await decisionLine.textContent()) ?? '');
    expect(isWorkingDay(dateOf(decisionDue!))).toBe(true);
    expect(workingDaysBetween(dateOf(reportedAt!), dateOf(decisionDue!))).toBe(5);
    const candidateRows = daili.getByTestId('candidate-table').locator('tbody tr');
    await expect.poll(() => candidateRows.count()).toBe(3);
    const candidateNames = (await candidateRows.locator('td:nth-child(2)').allTextContents()).map((t) =>
      t.trim(),
    );

    // The 采购人 sees the decision form and its due date — axe on the 定标 page in this state.
    await steps.openMenu(zhaobiao, '定标', '/workspace/awards');
    await run.pickLot(zhaobiao);
    await zhaobiao.getByTestId('confirm').waitFor();
    await zhaobiao.getByTestId('award-status').getByText('采购人确定中标人期限').waitFor();
    expect(await axeViolations(zhaobiao)).toEqual([]);
    await screenshot(zhaobiao, 'gp-award-decision-due');

    // ⑫ nobody decides: the 5 工作日 pass and the first candidate is deemed the winner.
    await run.moveClock(new Date(decisionDue!.getTime() + 60 * 60_000));
    await daili.reload();
    const notice = daili.getByTestId('notice');
    await notice.getByText('采购人逾期未确定，视为确定排名第一的候选人').waitFor({ timeout: 30_000 });
    await notice.getByText(candidateNames[0]!).waitFor();
    await status
      .getByRole('listitem')
      .filter({ hasText: '采购人确定中标人期限' })
      .getByText('已逾期')
      .waitFor();
    const noticeLine = status.getByRole('listitem').filter({ hasText: '确定中标人后2个工作日内' });
    const [noticeDue] = steps.beijingTimes((await noticeLine.textContent()) ?? '');
    expect(isWorkingDay(dateOf(noticeDue!))).toBe(true);

    // ⑬ daili issues the signed notice and the 结果公告 (公告期 1 工作日) within the 2 工作日.
    await daili.getByTestId('issue-notice').click();
    const resultLink = notice.getByRole('link', { name: '查看结果公告' });
    await resultLink.waitFor();
    const resultText = (await notice.textContent()) ?? '';
    const [, resultEnds] = steps.beijingTimes(resultText.slice(resultText.indexOf('中标通知书已于')));
    expect(isWorkingDay(dateOf(resultEnds!))).toBe(true);
    const resultPath = (await resultLink.getAttribute('href')) ?? '';
    // A member of the public on the portal (no account).
    const portal = await newPage(run.browser, run.server.baseUrl);
    run.sessions.set('portal', portal);
    const visitor = portal.page;
    await visitor.goto(resultPath);
    await visitor.getByTestId('announcement-detail').waitFor();
    await expect(visitor.getByTestId('announcement-kind').textContent()).resolves.toContain('结果公告');
    const resultBody = (await visitor.getByTestId('announcement-body').textContent()) ?? '';
    expect(resultBody).toContain('（1个工作日）');
    expect(resultBody).toContain(candidateNames[0]!);

    // ⑭ each supplier sees its own result; the losers only their own score and rank (87号令第六十九条).
    let winner = '';
    const ranks: number[] = [];
    for (const username of steps.BIDDERS) {
      const bidder = await as(username);
      await steps.openMenu(bidder, '评标澄清与结果', '/workspace/my-results');
      await bidder.getByRole('button', { name: LOT }).click();
      const result = bidder.getByTestId('my-result').last();
      await result
        .getByTestId('own-score')
        .or(result.getByTestId('awarded'))
        .first()
        .waitFor({ timeout: 30_000 });
      if ((await result.getByTestId('awarded').count()) > 0) {
        winner = username;
        await result.getByTestId('award-notice').waitFor();
      } else {
        await result.getByTestId('not-awarded').waitFor();
        const own = (await result.getByTestId('own-score').textContent()) ?? '';
        const rank = /排序：(\d+)/.exec(own);
        expect(rank, own).not.toBeNull();
        ranks.push(Number(rank![1]));
        expect(own).toMatch(/得分：\d/);
        const text = (await result.textContent()) ?? '';
        for (const name of candidateNames) expect(text).not.toContain(name);
        expect(await result.getByRole('table').count()).toBe(0);
        await leave(username);
      }
    }
    expect(winner).not.toBe('');
    expect(ranks.sort()).toEqual([2, 3, 4, 5]);

    // ⑮ the contract: the 采购人 drafts it at the winning price and signs with its key file, the supplier
    // signs with its own, and the 采购人 publishes it within 2 工作日.
    const signing = await steps.draftContract(run, {
      scope: '钢结构手动、电动密集架及库房配套设备的供货、安装、调试与五年质保',
      payment: '验收合格后十五个工作日内支付合同价款的95%，质保期满支付余款',
      beforeFill: async (draft) => {
        await draft.waitFor();
        await expect(draft.getByTestId('contract-price').inputValue()).resolves.not.toBe('');
      },
    });
    await signing.waitFor();
    expect(await axeViolations(zhaobiao)).toEqual([]);
    await screenshot(zhaobiao, 'gp-contract-draft');
    await steps.signContract(run, 'zhaobiao', signing);
    await signing.locator('[aria-label="签署情况"]').locator('tbody tr').first().waitFor();

    const supplier = await as(winner);
    await steps.openMenu(supplier, '合同管理', '/workspace/contracts');
    await supplier.getByTestId('contract-list').getByRole('button', { name: '查看' }).first().click();
    const supplierSigning = supplier.getByTestId('contract-sign');
    await steps.signContract(run, winner, supplierSigning);
    await expect
      .poll(() => supplierSigning.locator('[aria-label="签署情况"]').locator('tbody tr').count())
      .toBe(2);
    await supplierSigning.getByText('签订时间').waitFor();
    await leave(winner);

    await zhaobiao.reload();
    await signing.getByText('签订时间').waitFor();
    const publicationLine = signing.getByText('合同应在');
    const [publicationDue] = steps.beijingTimes((await publicationLine.textContent()) ?? '');
    expect(isWorkingDay(dateOf(publicationDue!))).toBe(true);
    await signing.getByTestId('publish-contract').click();
    await signing.getByText(/合同已于 .* 公告/).waitFor();
    expect(await axeViolations(zhaobiao)).toEqual([]);
    await screenshot(zhaobiao, 'gp-contract-published');

    // ⑯ the 合同公告 on the portal.
    await visitor.goto('/announcements');
    await visitor.getByLabel('关键词').fill('档案馆钢结构密集架');
    await visitor.getByLabel('关键词').press('Enter');
    await visitor
      .getByTestId('announcement-item')
      .filter({ hasText: '合同公告' })
      .getByTestId('announcement-link')
      .first()
      .click();
    await visitor.getByTestId('announcement-detail').waitFor();
    await expect(visitor.getByTestId('announcement-kind').textContent()).resolves.toContain('合同公告');

    for (const username of [...run.sessions.keys()])
      expect(pageErrors(run.sessions.get(username)!.page), username).toEqual([]);
    run.finished = true;
  }, 300_000);
});
