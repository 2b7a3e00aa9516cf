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
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  animationsDone,
  axeViolations,
  launchBrowser,
  loginThroughPage,
  newPage,
  pageErrors,
  type RunningServer,
  screenshot,
  startServer,
} from './support.ts';

const BIDDERS = ['toubiao1', 'toubiao2', 'toubiao3', 'toubiao4', 'toubiao5'] as const;
const EXPERTS = ['zhuanjia', 'zhuanjia2', 'zhuanjia3', 'zhuanjia4', 'zhuanjia5'] as const;
const PRICES = ['9180000.00', '9320000.00', '9050000.00', '9410000.00', '9260000.00'];
/** daili's 统一社会信用代码 (内蒙古正信招标代理有限公司（演示）), as the agency gives it to its client. */
const AGENCY_CREDIT_CODE = '91150100MA0000007W';
const PROJECT = '呼和浩特市示范第一中学综合体育馆钢结构工程';
const LOT = '钢结构施工';

let server: RunningServer;
let finished = false;
let browser: Browser;
const sessions = new Map<string, { context: BrowserContext; page: Page }>();

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ env: { GGZY_SANDBOX: 'on' } }), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  // A failed run leaves each open browser's last page for the reader (/tmp/shots/e2e-failed-<user>.png).
  if (!finished) {
    for (const [username, { page }] of sessions)
      await screenshot(page, `e2e-failed-${username}`).catch(() => {});
  }
  for (const { context } of sessions.values()) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

/** The person's own browser, logged in once (each account has its own cookies). */
async function as(username: string): Promise<Page> {
  const known = sessions.get(username);
  if (known) return known.page;
  const session = await newPage(browser, server.baseUrl);
  sessions.set(username, session);
  if (username !== 'visitor') await loginThroughPage(session.page, username);
  return session.page;
}

/** Closes a person's browser once their part is done (keeps the run light). */
async function leave(username: string): Promise<void> {
  const session = sessions.get(username);
  if (!session) return;
  expect(pageErrors(session.page), `${username}: script errors`).toEqual([]);
  sessions.delete(username);
  await session.context.close();
}

async function openMenu(page: Page, title: string, pathname: string): Promise<void> {
  await page.getByTestId('workspace-menu').getByRole('link', { name: title, exact: true }).click();
  await page.waitForURL((url) => url.pathname === pathname);
}

/** Opens an Element Plus select and clicks one of its own options. */
async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  // The select's box (its placeholder lies over the input).
  await select.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
  const listbox = await select.getAttribute('aria-controls');
  const list = listbox ? page.locator(`[id="${listbox}"]`) : page;
  await list.getByRole('option', { name: option }).first().click();
  await animationsDone(page);
}

/** The body rows of the Element Plus table labelled `label` (its label is on the table's box). */
function rowsOf(scope: Locator, label: string): Locator {
  return scope.locator(`[aria-label="${label}"]`).locator('.el-table__body-wrapper tr.el-table__row');
}

async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask, .el-skeleton'));
}

/** Picks the tender's project and lot in a LotPicker (招标文件, 专家抽取). */
async function pickLot(page: Page): Promise<void> {
  await choose(page, page.locator('#lot-picker-project'), new RegExp(PROJECT));
  await choose(page, page.locator('#lot-picker-lot'), new RegExp(LOT));
}

/** 评标组织: chooses the lot from the list, or types its number (ID) when it has no evaluation yet. */
async function openEvaluation(page: Page, typedLotId?: string): Promise<void> {
  const organise = page.getByTestId('evaluation-organise');
  const select = organise.locator('#lot-id');
  if (!typedLotId) {
    await choose(page, select, new RegExp(LOT));
  } else {
    const lotId = typedLotId;
    await select.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
    await select.fill(lotId);
    await page.getByRole('option', { name: lotId }).click();
  }
  await organise.getByRole('heading', { name: new RegExp(`${PROJECT} · ${LOT}`) }).waitFor();
}

/** A Beijing wall-clock time 'YYYY-MM-DD HH:mm' as an instant. */
function beijing(text: string): Date {
  const m = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/.exec(text);
  if (!m) throw new Error(`not a time: ${text}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`);
}

/** An instant as the Beijing wall-clock text the date pickers take. */
function pickerText(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** The platform's time as 任务队列's 沙箱时钟 shows it (minutes). */
async function platformNow(admin: Page): Promise<Date> {
  const text = (await admin.getByTestId('sandbox-now').textContent()) ?? '';
  const m = /(\d{4})年(\d{1,2})月(\d{1,2})日 (\d{2}):(\d{2})/.exec(text);
  if (!m) throw new Error(`no platform time in ${text}`);
  const pad = (s: string) => s.padStart(2, '0');
  return new Date(`${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}T${m[4]}:${m[5]}:00+08:00`);
}

/** The trading centre moves the sandbox clock to `at` from 任务队列 (due jobs run at once). */
async function moveClock(at: Date): Promise<void> {
  const admin = await as('admin');
  if (new URL(admin.url()).pathname !== '/workspace/jobs')
    await openMenu(admin, '任务队列', '/workspace/jobs');
  const card = admin.getByTestId('sandbox-clock');
  await card.waitFor();
  const picker = card.getByLabel('推进到');
  await picker.fill(pickerText(at));
  await picker.press('Enter');
  await animationsDone(admin);
  await card.getByRole('button', { name: '推进时间' }).click();
  await expect
    .poll(async () => (await platformNow(admin)).getTime(), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(at.getTime() - 60_000);
}

/** The lot's timeline as the page shows it (LotTimelineCard), in instants. */
async function timelineOf(page: Page) {
  const card = page.getByTestId('lot-timeline');
  await card.waitFor();
  const row = async (name: string) =>
    (await card
      .locator('tr', { has: page.getByRole('rowheader', { name }) })
      .locator('td')
      .textContent()) ?? '';
  const documents = await row('招标文件获取');
  return {
    documentsFrom: beijing(documents),
    bidDeadline: beijing(await row('投标截止')),
    openingAt: beijing(await row('开标时间')),
  };
}

function certs(username: string, file: string): string {
  const p = path.join(server.dataDir, 'certs', username, file);
  if (!fs.existsSync(p)) throw new Error(`missing ${p}`);
  return p;
}

describe('公开招标（工程建设）end to end in the browser', () => {
  it('registers, announces, takes sealed bids, opens them, draws the experts, evaluates, awards and signs the contract', async () => {
    // ① zhaobiao registers the project with one lot and authorises daili.
    const zhaobiao = await as('zhaobiao');
    await openMenu(zhaobiao, '我的项目', '/workspace/my-projects');
    await zhaobiao.getByTestId('register-project').click();
    const register = zhaobiao.getByRole('dialog', { name: '登记项目' });
    await register.waitFor();
    await animationsDone(zhaobiao);
    await register.getByLabel('项目名称').fill(PROJECT);
    await register.getByLabel('预算/估算（元）').fill('9600000.00');
    await register.getByLabel('项目地址').fill('呼和浩特市新城区新华大街示范路1号');
    await register.getByLabel('审批文件1名称').fill('关于综合体育馆工程初步设计的批复');
    await register.getByLabel('审批文件1文号').fill('呼发改审批〔2026〕41号');
    await register.getByLabel('审批文件1批准机关').fill('呼和浩特市发展和改革委员会');
    await register.getByLabel('名称', { exact: true }).fill(LOT);
    await register.getByLabel('估算（元）', { exact: true }).fill('9600000.00');
    await register.getByLabel('内容', { exact: true }).fill('综合体育馆主体钢结构制作、安装及防腐防火涂装');
    await register.getByRole('button', { name: '提交登记' }).click();
    const drawer = zhaobiao.getByRole('dialog', { name: PROJECT });
    await drawer.waitFor();
    await animationsDone(zhaobiao);
    await drawer.getByRole('button', { name: '委托代理机构' }).click();
    const authorise = zhaobiao.getByRole('dialog', { name: '委托代理机构' });
    await authorise.waitFor();
    await animationsDone(zhaobiao);
    await authorise.getByLabel('代理机构信用代码').fill(AGENCY_CREDIT_CODE);
    await authorise.getByLabel('委托文件编号').fill('ZX-2026-041');
    await authorise
      .getByLabel('委托范围')
      .fill('招标代理全过程：编制招标文件、发布公告、组织开标评标、发布结果公告');
    await authorise.getByRole('button', { name: '登记委托' }).click();
    await drawer.getByText('内蒙古正信招标代理有限公司（演示）').first().waitFor();
    await leave('zhaobiao');

    // ② the trading centre receives the registration (项目受理).
    const admin = await as('admin');
    await openMenu(admin, '项目受理', '/workspace/project-intake');
    await admin.getByRole('button', { name: PROJECT }).click();
    const intake = admin.getByRole('dialog', { name: PROJECT });
    await intake.getByRole('button', { name: '受理', exact: true }).click();
    const receive = admin.getByRole('dialog', { name: '受理并确认分类' });
    await receive.waitFor();
    await animationsDone(admin);
    await receive.getByLabel('受理说明').fill('登记材料齐全，予以受理。');
    await receive.getByRole('button', { name: '受理', exact: true }).click();
    await receive.waitFor({ state: 'hidden' });
    await intake.getByRole('button', { name: '受理', exact: true }).waitFor({ state: 'detached' });
    await admin.keyboard.press('Escape');
    await intake.waitFor({ state: 'hidden' });

    // ③ daili uploads the 招标文件 and publishes the 招标公告 (no deposit), at the legal minimum periods.
    const daili = await as('daili');
    await openMenu(daili, '招标文件', '/workspace/tender-documents');
    await pickLot(daili);
    await daili.getByTestId('manage-documents').waitFor();
    await daili.getByTestId('doc-file').setInputFiles({
      name: `${PROJECT}招标文件.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`${PROJECT}\n${LOT} 招标文件（演示）\n第三章 评标办法：综合评估法\n`),
    });
    await daili.getByTestId('doc-upload').click();
    await daili.getByTestId('manage-documents').getByText('第 1 版').waitFor();
    await daili.getByTestId('new-announcement').click();
    const editor = daili.getByTestId('announcement-editor');
    await editor.waitFor();
    await animationsDone(daili);
    await editor.getByLabel('公告标题').fill(`${PROJECT}${LOT}招标公告`);
    await editor
      .getByLabel('公告正文（纯文本）')
      .fill(
        '1. 招标条件：本项目已具备招标条件，现公开招标。\n2. 不收取投标保证金。\n3. 评标办法：综合评估法。',
      );
    await editor.getByTestId('editor-suggest').click();
    await expect.poll(() => editor.getByLabel('投标截止', { exact: true }).inputValue()).not.toBe('');
    await editor.getByTestId('editor-check').click();
    await editor.getByTestId('editor-lawful').waitFor();
    await editor.getByTestId('editor-save').click();
    const publishDialog = daili.getByTestId('publish-dialog');
    await publishDialog.getByTestId('publish-ok').waitFor();
    await publishDialog.getByTestId('publish').click();
    await daili.getByRole('dialog', { name: '发布公告' }).getByRole('button', { name: '发布' }).click();
    await daili.getByTestId('announcements-table').getByText('已发布').waitFor();
    const timeline = await timelineOf(daili);
    await screenshot(daili, 'e2e-announced');
    // The lot's number (ID) as the address bar shows it on this page.
    const lotId = new URL(daili.url()).searchParams.get('lot') ?? '';
    expect(lotId).not.toBe('');

    // ③b the 评标办法 (综合评估法), set before the bid deadline: one pass/fail qualification item and one
    // scored item of 60 points, with the price worth 40.
    await openMenu(daili, '评标组织', '/workspace/evaluation');
    const organise = daili.getByTestId('evaluation-organise');
    await openEvaluation(daili, lotId);
    await organise.getByRole('button', { name: '添加合格制因素' }).click();
    await organise.getByLabel('第1项名称').fill('营业执照、施工资质和安全生产许可证');
    await organise.getByRole('button', { name: '添加打分项' }).click();
    await organise.getByLabel('第2项名称').fill('施工组织设计');
    await organise.getByLabel('第2项最高分').fill('60');
    await organise.getByLabel('第2项最高分').press('Tab');
    await organise.getByTestId('save-plan').click();
    await daili.getByText('评标办法已保存').waitFor();
    await organise.getByText('评标办法 SM3').waitFor();

    // ④ documents on sale: the five bidders obtain them and submit sealed bids.
    await moveClock(timeline.documentsFrom);
    let announcementUrl = '';
    for (const [i, username] of BIDDERS.entries()) {
      const bidder = await as(username);
      if (!announcementUrl) {
        await bidder.goto('/announcements');
        await bidder.getByLabel('关键词').fill('综合体育馆');
        await bidder.getByLabel('关键词').press('Enter');
        await bidder.getByTestId('announcement-link').filter({ hasText: PROJECT }).first().click();
        await bidder.getByTestId('announcement-detail').waitFor();
        announcementUrl = new URL(bidder.url()).pathname;
      } else {
        await bidder.goto(announcementUrl);
      }
      await bidder.getByTestId('go-bidding').click();
      await bidder.waitForURL((url) => url.pathname === '/workspace/my-bids');
      await bidder.getByTestId('download-documents').click();
      await bidder.getByTestId('bidding-documents').getByText('本单位已获取').waitFor();
      await bidder.getByTestId('summary-price').fill(PRICES[i]!);
      await bidder.getByTestId('summary-duration').fill(String(180 - i * 5));
      await bidder.getByTestId('summary-quality').fill('合格');
      await bidder.getByTestId('part-technical').setInputFiles({
        name: '技术标.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(
          `${username} 技术标：钢结构施工组织设计、质量与安全保证措施（演示）\n`.repeat(40),
        ),
      });
      await bidder.getByTestId('key-sign').setInputFiles(certs(username, 'sign.key.pem'));
      await bidder.getByTestId('cert-sign').setInputFiles(certs(username, 'sign.cert.pem'));
      await bidder.getByTestId('cert-enc').setInputFiles(certs(username, 'enc.cert.pem'));
      await bidder.getByTestId('submit-bid').click();
      await bidder.getByTestId('bid-receipt').waitFor({ timeout: 60_000 });
      await bidder.getByTestId('bid-status').filter({ hasText: '已递交' }).waitFor();
    }
    await screenshot(await as('toubiao5'), 'e2e-bid-submitted');

    // ⑤ the opening (不见面开标): sign-in, reveal, each bidder decrypts in its browser, the record.
    await moveClock(timeline.openingAt);
    /** From the lot's page the person has open (我的投标 / 招标文件), refreshed: 进入开标大厅. */
    const enterHall = async (page: Page) => {
      await page.reload();
      await page.getByTestId('go-opening-hall').click();
      await page.waitForURL((url) => url.pathname === '/workspace/opening-hall');
      await page.getByTestId('hall-state').waitFor();
    };
    for (const username of BIDDERS) {
      const bidder = await as(username);
      await enterHall(bidder);
      await bidder.getByRole('button', { name: '签到', exact: true }).click();
      await bidder.getByText('已签到', { exact: true }).first().waitFor();
    }
    const hostStep = async (step: string, state: string) => {
      await daili.getByTestId(`step-${step}`).click();
      const box = daili.getByRole('dialog', { name: '开标步骤' });
      await box.getByRole('button', { name: '执行' }).click();
      await box.waitFor({ state: 'hidden' });
      await daili.getByTestId('hall-state').filter({ hasText: state }).waitFor();
    };
    await openMenu(daili, '招标文件', '/workspace/tender-documents');
    await pickLot(daili);
    await daili.getByTestId('go-opening-hall').click();
    await daili.getByTestId('hall-state').waitFor();
    await hostStep('start-opening', '已开标，待解密');
    await hostStep('start-decryption', '解密中');
    for (const username of BIDDERS) {
      const bidder = await as(username);
      const decrypt = bidder.getByTestId('decrypt-in-browser');
      await decrypt.setInputFiles(certs(username, 'enc.key.pem'));
      await decrypt.waitFor({ state: 'detached', timeout: 60_000 });
    }
    await expect
      .poll(() => daili.locator('.el-table__row', { hasText: '已解密' }).count(), { timeout: 60_000 })
      .toBe(5);
    await hostStep('close-decryption', '解密结束，待公布开标记录');
    await hostStep('publish-record', '开标记录已公布，确认中');
    const record = daili.getByTestId('record');
    for (const price of PRICES) await record.getByText(price.replace(/\.00$/, '')).first().waitFor();
    await daili.getByTestId('host-sign-with-key').setInputFiles(certs('daili', 'sign.key.pem'));
    await record.getByText('主持人已签名').waitFor();
    await screenshot(daili, 'e2e-opening-record');
    for (const [i, username] of BIDDERS.entries()) {
      const bidder = await as(username);
      if (i === 0) {
        // One bidder confirms with an SM2 signature by its signing key; the others by a click.
        await bidder.getByTestId('confirm-with-key').setInputFiles(certs(username, 'sign.key.pem'));
      } else {
        await bidder.getByRole('button', { name: '确认开标记录' }).click();
      }
      await bidder.getByRole('button', { name: '确认开标记录' }).waitFor({ state: 'detached' });
      await leave(username);
    }
    await hostStep('close-hall', '开标结束');

    // ⑥ the expert draw: daili asks for four 钢结构 (A080102) experts; the evaluation a day later.
    const evaluationStartsAt = new Date(
      Math.ceil((timeline.openingAt.getTime() + 26 * 3_600_000) / 3_600_000) * 3_600_000,
    );
    await openMenu(daili, '专家抽取', '/workspace/expert-draws');
    await pickLot(daili);
    const request = daili.getByTestId('draw-request');
    await request.waitFor();
    const start = request.getByLabel('评标开始时间');
    await start.fill(pickerText(evaluationStartsAt));
    await start.press('Enter');
    await animationsDone(daili);
    await request.getByLabel('评标时长（分钟）').fill('480');
    await request.getByLabel('评标时长（分钟）').press('Tab');
    await request.getByLabel('场地1名称').fill('交易中心第一评标室');
    await choose(daili, request.getByLabel('第1组评标专业：大类'), /^工程\s*A$/);
    await choose(daili, request.getByLabel('第1组评标专业：一级'), /^工程施工\s*A08$/);
    await choose(daili, request.getByLabel('第1组评标专业：二级'), /^房屋建筑工程\s*A0801$/);
    await choose(daili, request.getByLabel('第1组评标专业：三级'), /^钢结构\s*A080102$/);
    await request.getByLabel('第1组人数').fill('4');
    await request.getByLabel('第1组人数').press('Tab');
    await request.getByTestId('submit-draw').click();
    await daili.getByTestId('run-draw').click();
    await daili.getByTestId('draw-status-tag').filter({ hasText: '已抽取' }).waitFor();
    await daili.getByTestId('names-sealed').waitFor();

    // ⑦ the drawn experts confirm in 抽取通知 (the one not drawn has no notice for this tender).
    const drawn: string[] = [];
    for (const username of EXPERTS) {
      const expert = await as(username);
      await openMenu(expert, '抽取通知', '/workspace/expert-assignments');
      // The notices have loaded once a card or the empty note shows.
      await expert.getByTestId('assignments').locator('article, .el-empty').first().waitFor();
      const card = expert.locator('article', { hasText: PROJECT });
      if ((await card.count()) === 0) {
        await leave(username);
        continue;
      }
      await card.getByTestId('confirm').click();
      await expert
        .getByRole('dialog', { name: '确认参加' })
        .getByRole('button', { name: '确认参加' })
        .click();
      await card.getByTestId('assignment-status').filter({ hasText: '已确认' }).waitFor();
      drawn.push(username);
    }
    expect(drawn).toHaveLength(4);
    await daili.reload();
    await expect
      .poll(() => daili.getByTestId('group-table').locator('tbody tr td').nth(4).textContent())
      .toBe('4');

    // ⑧ the evaluation starts: the names are revealed to the requester.
    await moveClock(evaluationStartsAt);
    await daili.reload();
    const assigned = daili.getByTestId('assignment-table').locator('tbody tr');
    await expect.poll(() => assigned.count()).toBe(4);
    await screenshot(daili, 'e2e-draw-revealed');

    // ⑨ 评标组织: daili forms the committee — the four drawn experts and zhaobiao as the initiator's
    // representative (5, odd, experts ≥ 2/3).
    await openMenu(daili, '评标组织', '/workspace/evaluation');
    await openEvaluation(daili);
    await organise.getByText(/（zhaobiao）/).click();
    await organise.getByRole('button', { name: '检查组成' }).click();
    await organise.getByText('组成符合规定').waitFor();
    await organise.getByTestId('form-committee').click();
    await expect.poll(() => rowsOf(organise, '评标委员会成员').count()).toBe(5);

    // ⑩ 评标任务: each member signs in, sees the bidders, signs the 回避声明 and votes the chair.
    const committee = [...drawn, 'zhaobiao'];
    const enterTask = async (page: Page) => {
      const tasks = page.getByTestId('evaluation-tasks');
      await rowsOf(tasks, '我的评标任务')
        .filter({ hasText: PROJECT })
        .getByRole('button', { name: '进入' })
        .click();
      await tasks.getByRole('heading', { name: new RegExp(`${PROJECT} · ${LOT}`) }).waitFor();
      await settled(page);
      return tasks;
    };
    for (const username of committee) {
      const member = await as(username);
      await openMenu(member, '评标任务', '/workspace/evaluation-tasks');
      const tasks = await enterTask(member);
      await tasks.getByTestId('sign-in').click();
      await tasks.getByTestId('declare').click();
      await member
        .getByRole('dialog', { name: '回避声明' })
        .getByRole('button', { name: '签署声明' })
        .click();
      await tasks.getByText(/^已签署（/).waitFor();
      await expect.poll(() => rowsOf(tasks, '投标人名单').count()).toBe(5);
      if ((await tasks.locator('#vote-for').count()) > 0) {
        // Everyone proposes the first expert in the list; more than half elects.
        await choose(member, tasks.locator('#vote-for'), /评标专家|专家/);
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
    await rowsOf(chairTasks, '评审结果').first().waitFor();
    await chairTasks.getByTestId('generate-report').click();
    await chairTasks.getByText('报告 SM3').waitFor();
    for (const username of committee) {
      const member = await as(username);
      const tasks = await enterTask(member);
      await tasks.getByLabel('签名私钥').setInputFiles(certs(username, 'sign.key.pem'));
      await tasks.getByTestId('sign-report').click();
      await tasks.getByTestId('sign-report').waitFor({ state: 'detached' });
    }
    await organise.getByRole('button', { name: '打开', exact: true }).click();
    await organise.getByTestId('report-pdf').waitFor();
    await screenshot(daili, 'e2e-evaluation-report');
    for (const username of committee) if (username !== 'zhaobiao') await leave(username);

    // ⑬ 定标: daili publishes the 中标候选人公示 (at least 3 days); the clock jumps over it.
    await openMenu(daili, '定标', '/workspace/awards');
    await pickLot(daili);
    const publicity = daili.getByTestId('publicity');
    await publicity
      .getByTestId('objection-channel')
      .fill('内蒙古正信招标代理有限公司 张丽 0471-6600000，呼和浩特市新城区');
    await publicity.getByTestId('publish-publicity').click();
    const published = publicity.getByText(/公示期至/);
    await published.waitFor();
    await expect.poll(() => rowsOf(daili.locator('body'), '中标候选人').count()).toBeGreaterThan(0);
    await screenshot(daili, 'e2e-award-publicity');
    expect(await axeViolations(daili)).toEqual([]);
    const publicityEnds = beijing((await published.locator('strong').textContent()) ?? '');
    await moveClock(new Date(publicityEnds.getTime() + 60_000));

    // ⑭ zhaobiao confirms the first candidate and issues the signed 中标通知书 (and the 中标结果公告).
    const initiator = await as('zhaobiao');
    await openMenu(initiator, '定标', '/workspace/awards');
    await pickLot(initiator);
    const decide = initiator.getByTestId('confirm');
    await choose(initiator, decide.locator('#winner-select'), /^第1名/);
    await decide.getByTestId('confirm-winner').click();
    const notice = initiator.getByTestId('notice');
    await notice.getByTestId('issue-notice').click();
    await notice.getByText(/中标通知书已于/).waitFor();
    const winnerName = ((await notice.locator('strong').first().textContent()) ?? '').trim();
    expect(winnerName).not.toBe('');
    await screenshot(initiator, 'e2e-award-notice');
    expect(await axeViolations(initiator)).toEqual([]);

    // ⑮ 合同管理: zhaobiao drafts the contract from the award and signs it; the winner signs it too.
    await openMenu(initiator, '合同管理', '/workspace/contracts');
    await pickLot(initiator);
    const draft = initiator.getByTestId('contract-draft');
    await draft
      .getByTestId('contract-scope')
      .fill('综合体育馆主体钢结构制作、安装及防腐防火涂装，详见招标文件第七章技术标准和要求。');
    await draft
      .getByTestId('contract-payment')
      .fill('按月进度付款至合同价款的80%，竣工验收合格后付至97%，余款为质量保证金。');
    await draft.getByTestId('save-draft').click();
    const signing = initiator.getByTestId('contract-sign');
    await signing.getByTestId('sign-key').setInputFiles(certs('zhaobiao', 'sign.key.pem'));
    await signing.getByTestId('sign-contract').click();
    await expect.poll(() => rowsOf(signing, '签署情况').count()).toBe(1);
    let winner: string | null = null;
    for (const username of BIDDERS) {
      const bidder = await as(username);
      await openMenu(bidder, '合同管理', '/workspace/contracts');
      const list = bidder.getByTestId('contract-list');
      await list.locator('.el-table__body-wrapper tr.el-table__row, .el-table__empty-text').first().waitFor();
      const row = rowsOf(bidder.locator('body'), '本单位的合同').filter({ hasText: PROJECT.slice(0, 10) });
      if ((await row.count()) === 0) {
        await leave(username);
        continue;
      }
      winner = username;
      await row.getByRole('button', { name: '查看' }).click();
      const mine = bidder.getByTestId('contract-sign');
      await mine.getByTestId('sign-key').setInputFiles(certs(username, 'sign.key.pem'));
      await mine.getByTestId('sign-contract').click();
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
    for (const [username, { page }] of sessions)
      expect(pageErrors(page), `${username}: script errors`).toEqual([]);
    finished = true;
  }, 300_000);
});
