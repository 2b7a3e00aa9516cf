/// <reference lib="dom" />
/**
 * 公开招标（工程建设）end to end, as people would do it (issue 7): one tender walked through the web app by
 * the demo accounts of each role, every action through the pages — never the API. A sandbox server
 * (GGZY_SANDBOX=on) lets the trading centre (admin) move platform time over the legal periods from 任务队列's
 * 沙箱时钟, as a trainer would.
 *
 *   ① zhaobiao registers the project (one 工程 lot, no deposit) and authorises daili → ② admin 受理 →
 *   ③ daili uploads the 招标文件, publishes the 招标公告 at the legal minimum periods and sets the 评标办法
 *   (综合评估法) before the deadline → ④ (clock: documents on sale) toubiao1–5 find the 公告 on the portal,
 *   obtain the documents and seal and submit their bids in 我的投标 with their own key files → ⑤ (clock:
 *   opening) 开标大厅: the bidders sign in, daili opens and starts the decryption, each bidder decrypts in its
 *   browser with its enc.key.pem, daili closes the decryption, publishes and signs the record, the bidders
 *   confirm it (one with an SM2 signature), daili closes the hall → ⑥ daili requests the expert draw
 *   (A080102 钢结构 × 4) and runs it → ⑦ the drawn experts confirm in 抽取通知 → ⑧ (clock: the evaluation
 *   starts) the names are revealed → ⑨ daili forms the committee (4 experts + zhaobiao as the initiator's
 *   representative) → ⑩ each member signs in, signs the 回避声明, votes the chair → ⑪ scores 资格审查 and
 *   详细评审 → ⑫ the chair aggregates and generates the report, every member signs it with the own SM2 key
 *   → ⑬ daili publishes the 中标候选人公示 → (clock: publicity over) → ⑭ zhaobiao confirms the first
 *   candidate and issues the 中标通知书 → ⑮ zhaobiao drafts and signs the contract, the winner signs it →
 *   ⑯ the portal lists the 招标公告, 中标候选人公示 and 中标结果公告.
 *
 * axe finds nothing on the scoring page (详细评审), the award page after the publicity and after the notice.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, pageErrors, screenshot } from './support.ts';
import * as steps from './tender-steps.ts';

const PRICES = ['9180000.00', '9320000.00', '9050000.00', '9410000.00', '9260000.00'];
const PROJECT = '呼和浩特市示范第一中学综合体育馆钢结构工程';
const LOT = '钢结构施工';

const run = new steps.TenderRun(PROJECT, LOT, 'e2e');
const as = (username: string) => run.as(username);
const leave = (username: string) => run.leave(username);

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask, .el-skeleton'));
}

describe('公开招标（工程建设）end to end in the browser', () => {
  it('registers, announces, takes sealed bids, opens them, draws the experts, evaluates, awards and signs the contract', async () => {
    // ① zhaobiao registers the project with one lot and authorises daili.
    await steps.registerProject(run, {
      budget: '9600000.00',
      address: '呼和浩特市新城区新华大街示范路1号',
      approval: {
        name: '关于综合体育馆工程初步设计的批复',
        number: '呼发改审批〔2026〕41号',
        authority: '呼和浩特市发展和改革委员会',
      },
      content: '综合体育馆主体钢结构制作、安装及防腐防火涂装',
      authorisation: {
        number: 'ZX-2026-041',
        scope: '招标代理全过程：编制招标文件、发布公告、组织开标评标、发布结果公告',
      },
    });
    await leave('zhaobiao');

    // ② the trading centre receives the registration (项目受理).
    await steps.receiveProject(run);

    // ③ daili uploads the 招标文件 and publishes the 招标公告 (no deposit), at the legal minimum periods.
    const daili = await steps.publishAnnouncement(run, {
      documentText: `${PROJECT}\n${LOT} 招标文件（演示）\n第三章 评标办法：综合评估法\n`,
      title: `${PROJECT}${LOT}招标公告`,
      body: '1. 招标条件：本项目已具备招标条件，现公开招标。\n2. 不收取投标保证金。\n3. 评标办法：综合评估法。',
    });
    const timeline = await steps.timelineOf(daili);
    await screenshot(daili, 'e2e-announced');
    // The lot's number (ID) as the address bar shows it on this page.
    const lotId = steps.lotIdOf(daili);

    // ③b the 评标办法 (综合评估法), set before the bid deadline: one pass/fail qualification item and one
    // scored item of 60 points, with the price worth 40.
    const organise = await steps.planBidAndOpen(run, timeline, {
      lotId,
      plan: { qualification: '营业执照、施工资质和安全生产许可证', scored: '施工组织设计' },
      // ④ documents on sale: the five bidders obtain them and submit sealed bids.
      bids: {
        keyword: '综合体育馆',
        prices: PRICES,
        duration: (i) => 180 - i * 5,
        quality: '合格',
        technical: {
          name: '技术标.txt',
          text: (username) => `${username} 技术标：钢结构施工组织设计、质量与安全保证措施（演示）\n`,
        },
      },
      afterBids: async () => {
        await screenshot(await as('toubiao5'), 'e2e-bid-submitted');
      },
      // ⑤ the opening (不见面开标): sign-in, reveal, each bidder decrypts in its browser, the record; one
      // bidder confirms it with an SM2 signature.
      opening: {
        hostReloads: false,
        firstConfirmsWithKey: true,
        afterHostSigned: async (page) => {
          await screenshot(page, 'e2e-opening-record');
        },
      },
    });

    // ⑥ the expert draw: daili asks for four 钢结构 (A080102) experts; the evaluation a day later.
    // ⑦ the drawn experts confirm in 抽取通知 (the one not drawn has no notice for this tender).
    const { evaluationStartsAt, drawn } = await steps.drawExperts(run, {
      openingAt: timeline.openingAt,
      room: '交易中心第一评标室',
      specialty: steps.STEEL_STRUCTURES,
      count: 4,
      afterDraw: (page) => page.getByTestId('names-sealed').waitFor(),
    });
    await daili.reload();
    await expect
      .poll(() => daili.getByTestId('group-table').locator('tbody tr td').nth(4).textContent())
      .toBe('4');

    // ⑧ the evaluation starts: the names are revealed to the requester.
    await run.moveClock(evaluationStartsAt);
    await daili.reload();
    const assigned = daili.getByTestId('assignment-table').locator('tbody tr');
    await expect.poll(() => assigned.count()).toBe(4);
    await screenshot(daili, 'e2e-draw-revealed');

    // ⑨ 评标组织: daili forms the committee — the four drawn experts and zhaobiao as the initiator's
    // representative (5, odd, experts ≥ 2/3).
    await steps.openMenu(daili, '评标组织', '/workspace/evaluation');
    await run.openEvaluation(daili);
    await organise.getByText(/（zhaobiao）/).click();
    await organise.getByRole('button', { name: '检查组成' }).click();
    await organise.getByText('组成符合规定').waitFor();
    await organise.getByTestId('form-committee').click();
    await expect.poll(() => steps.rowsOf(organise, '评标委员会成员').count()).toBe(5);

    // ⑩ 评标任务: each member signs in, sees the bidders, signs the 回避声明 and votes the chair.
    const committee = [...drawn, 'zhaobiao'];
    const enterTask = async (page: Page) => {
      const tasks = page.getByTestId('evaluation-tasks');
      await steps
        .rowsOf(tasks, '我的评标任务')
        .filter({ hasText: PROJECT })
        .getByRole('button', { name: '进入' })
        .click();
      await tasks.getByRole('heading', { name: new RegExp(`${PROJECT} · ${LOT}`) }).waitFor();
      await settled(page);
      return tasks;
    };
    for (const username of committee) {
      const member = await as(username);
      await steps.openMenu(member, '评标任务', '/workspace/evaluation-tasks');
      const tasks = await enterTask(member);
      await tasks.getByTestId('sign-in').click();
      await steps.signDeclaration(member, tasks);
      await tasks.getByText(/^已签署（/).waitFor();
      await expect.poll(() => steps.rowsOf(tasks, '投标人名单').count()).toBe(5);
      if ((await tasks.locator('#vote-for').count()) > 0) {
        // Everyone proposes the first expert in the list; more than half elects.
        await steps.choose(member, tasks.locator('#vote-for'), /评标专家|专家/);
        await tasks.getByRole('button', { name: '投票', exact: true }).click();
        await member.getByText('已投票').first().waitFor();
      }
    }

    let chair: Page | null = null;
    // ⑪ scoring, step by step, each member independently: 资格审查 (pass/fail), then 详细评审 (scored).
    for (const step of ['qualification', 'detailed'] as const) {
      for (const [i, username] of committee.entries()) {
        const member = await as(username);
        const tasks = await enterTask(member);
        const submit = tasks.getByTestId(`submit-${step}`);
        await submit.waitFor();
        if (step === 'detailed') {
          const score = tasks.getByRole('spinbutton', { name: /施工组织设计 分值/ });
          await expect.poll(() => score.count()).toBe(5);
          // A deduction needs its reason.
          const reason = tasks.getByRole('textbox', { name: /施工组织设计 理由/ });
          for (let b = 0; b < 5; b++) {
            await score.nth(b).fill(String(50 + ((b + i) % 5) * 2));
            await score.nth(b).press('Tab');
            await reason.nth(b).fill('施工组织设计总体可行，部分专项措施不够具体。');
          }
          if (i === 0) {
            await screenshot(member, 'e2e-evaluation-scoring');
            expect(await axeViolations(member)).toEqual([]);
          }
        }
        await submit.click();
        await submit.waitFor({ state: 'detached' });
        if (step === 'detailed' && (await tasks.getByTestId('aggregate').count()) > 0) chair = member;
      }
    }

    // ⑫ the chair (who alone sees 组长事项) aggregates and generates the report; every member signs it with
    // the own SM2 key.
    if (!chair) throw new Error('no member sees the chair’s 汇总 button');
    const chairTasks = chair.getByTestId('evaluation-tasks');
    await chairTasks.getByTestId('aggregate').click();
    await steps.rowsOf(chairTasks, '评审结果').first().waitFor();
    await chairTasks.getByTestId('generate-report').click();
    await chairTasks.getByText('报告 SM3').waitFor();
    await steps.signReport(run, committee, enterTask, (tasks) => tasks.getByLabel('签名私钥'));
    await organise.getByRole('button', { name: '打开', exact: true }).click();
    await organise.getByTestId('report-pdf').waitFor();
    await screenshot(daili, 'e2e-evaluation-report');
    for (const username of committee) if (username !== 'zhaobiao') await leave(username);

    // ⑬ 定标: daili publishes the 中标候选人公示 (at least 3 days); the clock jumps over it.
    await steps.openMenu(daili, '定标', '/workspace/awards');
    await run.pickLot(daili);
    const publicity = daili.getByTestId('publicity');
    await publicity
      .getByTestId('objection-channel')
      .fill('内蒙古正信招标代理有限公司 张丽 0471-6600000，呼和浩特市新城区');
    await publicity.getByTestId('publish-publicity').click();
    const published = publicity.getByText(/公示期至/);
    await published.waitFor();
    await expect.poll(() => steps.rowsOf(daili.locator('body'), '中标候选人').count()).toBeGreaterThan(0);
    await screenshot(daili, 'e2e-award-publicity');
    expect(await axeViolations(daili)).toEqual([]);
    const publicityEnds = steps.beijing((await published.locator('strong').textContent()) ?? '');
    await run.moveClock(new Date(publicityEnds.getTime() + 60_000));

    // ⑭ zhaobiao confirms the first candidate and issues the signed 中标通知书 (and the 中标结果公告).
    const initiator = await as('zhaobiao');
    await steps.openMenu(initiator, '定标', '/workspace/awards');
    await run.pickLot(initiator);
    const decide = initiator.getByTestId('confirm');
    await steps.choose(initiator, decide.locator('#winner-select'), /^第1名/);
    await decide.getByTestId('confirm-winner').click();
    const notice = initiator.getByTestId('notice');
    await notice.getByTestId('issue-notice').click();
    await notice.getByText(/中标通知书已于/).waitFor();
    const winnerName = ((await notice.locator('strong').first().textContent()) ?? '').trim();
    expect(winnerName).not.toBe('');
    await screenshot(initiator, 'e2e-award-notice');
    expect(await axeViolations(initiator)).toEqual([]);

    // ⑮ 合同管理: zhaobiao drafts the contract from the award and signs it; the winner signs it too.
    const signing = await steps.draftContract(run, {
      scope: '综合体育馆主体钢结构制作、安装及防腐防火涂装，详见招标文件第七章技术标准和要求。',
      payment: '按月进度付款至合同价款的80%，竣工验收合格后付至97%，余款为质量保证金。',
    });
    await steps.signContract(run, 'zhaobiao', signing);
    await expect.poll(() => steps.rowsOf(signing, '签署情况').count()).toBe(1);
    let winner: string | null = null;
    for (const username of steps.BIDDERS) {
      const bidder = await as(username);
      await steps.openMenu(bidder, '合同管理', '/workspace/contracts');
      // Wait for the list to be read: before that its empty text does not mean "no contract".
      await bidder.locator('[data-testid="contract-list"][data-loaded="true"]').waitFor();
      const row = steps
        .rowsOf(bidder.locator('body'), '本单位的合同')
        .filter({ hasText: PROJECT.slice(0, 10) });
      if ((await row.count()) === 0) {
        await leave(username);
        continue;
      }
      winner = username;
      await row.getByRole('button', { name: '查看' }).click();
      const mine = bidder.getByTestId('contract-sign');
      await steps.signContract(run, username, mine);
      await mine.getByTestId('contract-status').filter({ hasText: '已签订' }).waitFor();
      await screenshot(bidder, 'e2e-contract-signed');
      await leave(username);
      break;
    }
    expect(winner).not.toBeNull();
    await initiator.reload();
    await initiator.getByTestId('contract-status').filter({ hasText: '已签订' }).waitFor();

    // ⑯ the portal shows the tender's announcements: the 招标公告, the 中标候选人公示 and the 中标结果公告.
    const visitor = await as('visitor');
    await visitor.goto('/announcements');
    await visitor.getByLabel('关键词').fill('综合体育馆');
    await visitor.getByLabel('关键词').press('Enter');
    const items = visitor.getByTestId('announcement-item');
    for (const kind of ['招标公告', '中标候选人公示', '中标结果公告']) {
      await items.filter({ hasText: kind }).first().waitFor();
    }
    await screenshot(visitor, 'e2e-portal');
    for (const [username, { page }] of run.sessions)
      expect(pageErrors(page), `${username}: script errors`).toEqual([]);
    run.finished = true;
  }, 300_000);
});
