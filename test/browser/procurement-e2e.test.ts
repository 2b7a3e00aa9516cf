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
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWorkingDay, workingDaysBetween } from '../../src/platform/clock/calendar.ts';
import type { CalendarDate } from '../../src/platform/clock/calendar-date.ts';
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
const PRICES = ['4560000.00', '4480000.00', '4620000.00', '4390000.00', '4510000.00'];
/** daili's 统一社会信用代码 (内蒙古正信招标代理有限公司（演示）). */
const AGENCY_CREDIT_CODE = '91150100MA0000007W';
const PROJECT = '内蒙古自治区档案馆钢结构密集架及库房设备采购';
const LOT = '钢结构密集架';

let server: RunningServer;
let finished = false;
let browser: Browser;
const sessions = new Map<string, { context: BrowserContext; page: Page }>();

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ env: { GGZY_SANDBOX: 'on' } }), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  // A failed run leaves each open browser's last page for the reader (/tmp/shots/gp-failed-<user>.png).
  if (!finished) {
    for (const [username, { page }] of sessions)
      await screenshot(page, `gp-failed-${username}`).catch(() => {});
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
  await loginThroughPage(session.page, username);
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
  await select.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
  const listbox = await select.getAttribute('aria-controls');
  const list = listbox ? page.locator(`[id="${listbox}"]`) : page;
  await list.getByRole('option', { name: option }).first().click();
  await animationsDone(page);
}

/** Picks the procurement's project and lot in a LotPicker (招标文件, 专家抽取, 定标, 合同管理). */
async function pickLot(page: Page): Promise<void> {
  await choose(page, page.locator('#lot-picker-project'), new RegExp(PROJECT));
  await choose(page, page.locator('#lot-picker-lot'), new RegExp(LOT));
}

/** A Beijing wall-clock time 'YYYY-MM-DD HH:mm' as an instant. */
function beijing(text: string): Date {
  const m = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/.exec(text);
  if (!m) throw new Error(`not a time: ${text}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`);
}

/** All the Beijing times in a text, in order. */
function beijingTimes(text: string): Date[] {
  return [...text.matchAll(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/g)].map((m) => beijing(m[0]));
}

/** The Beijing calendar date of an instant, 'YYYY-MM-DD'. */
function dateOf(at: Date): CalendarDate {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10) as CalendarDate;
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
  const [documentsFrom, documentsUntil] = beijingTimes(await row('招标文件获取'));
  return {
    publishedAt: beijing(await row('公告发布')),
    documentsFrom: documentsFrom!,
    documentsUntil: documentsUntil!,
    bidDeadline: beijing(await row('投标截止')),
    openingAt: beijing(await row('开标时间')),
  };
}

function certs(username: string, file: string): string {
  const p = path.join(server.dataDir, 'certs', username, file);
  if (!fs.existsSync(p)) throw new Error(`missing ${p}`);
  return p;
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
    await openMenu(zhaobiao, '我的项目', '/workspace/my-projects');
    await zhaobiao.getByTestId('register-project').click();
    const register = zhaobiao.getByRole('dialog', { name: '登记项目' });
    await register.waitFor();
    await animationsDone(zhaobiao);
    await register.getByLabel('项目名称').fill(PROJECT);
    await choose(zhaobiao, register.getByLabel('交易目录'), /^0201 /);
    await register.getByLabel('预算/估算（元）').fill('4800000.00');
    await register.getByLabel('项目地址').fill('呼和浩特市赛罕区敕勒川大街档案馆新馆');
    await register.getByLabel('审批文件1名称').fill('关于档案馆新馆库房设备政府采购预算的批复');
    await register.getByLabel('审批文件1文号').fill('内财采〔2026〕118号');
    await register.getByLabel('审批文件1批准机关').fill('内蒙古自治区财政厅');
    await register.getByLabel('名称', { exact: true }).fill(LOT);
    await choose(zhaobiao, register.getByLabel('交易程序'), '公开招标（政府采购）');
    await register.getByLabel('估算（元）', { exact: true }).fill('4800000.00');
    await register
      .getByLabel('内容', { exact: true })
      .fill('钢结构手动、电动密集架及库房配套设备的供货、安装与调试');
    await register.getByRole('button', { name: '提交登记' }).click();
    const drawer = zhaobiao.getByRole('dialog', { name: PROJECT });
    await drawer.waitFor();
    await animationsDone(zhaobiao);
    await drawer.getByText('公开招标（政府采购）').first().waitFor();
    await drawer.getByRole('button', { name: '委托代理机构' }).click();
    const authorise = zhaobiao.getByRole('dialog', { name: '委托代理机构' });
    await authorise.waitFor();
    await animationsDone(zhaobiao);
    await authorise.getByLabel('代理机构信用代码').fill(AGENCY_CREDIT_CODE);
    await authorise.getByLabel('委托文件编号').fill('ZX-CG-2026-118');
    await authorise
      .getByLabel('委托范围')
      .fill('政府采购代理全过程：编制招标文件、发布公告、组织开标评标、发布结果公告');
    await authorise.getByRole('button', { name: '登记委托' }).click();
    await drawer.getByText('内蒙古正信招标代理有限公司（演示）').first().waitFor();
    await zhaobiao.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

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

    // ③ daili uploads the 招标文件 and publishes the 采购公告 (no deposit) at the legal minimum periods.
    const daili = await as('daili');
    await openMenu(daili, '招标文件', '/workspace/tender-documents');
    await pickLot(daili);
    await daili.getByTestId('manage-documents').waitFor();
    await daili.getByTestId('doc-file').setInputFiles({
      name: `${PROJECT}招标文件.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`${PROJECT}\n${LOT} 招标文件（演示）\n第三章 评标办法：综合评分法，价格分 40 分\n`),
    });
    await daili.getByTestId('doc-upload').click();
    await daili.getByTestId('manage-documents').getByText('第 1 版').waitFor();
    await daili.getByTestId('new-announcement').click();
    const editor = daili.getByTestId('announcement-editor');
    await editor.waitFor();
    await animationsDone(daili);
    await editor.getByLabel('公告标题').fill(`${PROJECT}${LOT}采购公告`);
    await editor
      .getByLabel('公告正文（纯文本）')
      .fill(
        '1. 采购人：内蒙古自治区档案馆（演示）。\n2. 预算金额：480万元，不收取投标保证金。\n3. 评标方法：综合评分法。',
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
    await daili.getByTestId('announcements-table').getByText('采购公告').first().waitFor();
    const timeline = await timelineOf(daili);
    // 87号令第十八条: ≥20 日 from the documents' first day to the deadline; 第十九条: documents for ≥5 工作日.
    const days = (a: Date, b: Date) =>
      Math.round((Date.parse(dateOf(b)) - Date.parse(dateOf(a))) / 86_400_000);
    expect(days(timeline.documentsFrom, timeline.bidDeadline)).toBeGreaterThanOrEqual(20);
    expect(
      workingDaysBetween(dateOf(timeline.documentsFrom), dateOf(timeline.documentsUntil)),
    ).toBeGreaterThanOrEqual(5);
    expect(isWorkingDay(dateOf(timeline.bidDeadline))).toBe(true);
    await screenshot(daili, 'gp-announced');
    const lotId = new URL(daili.url()).searchParams.get('lot') ?? '';
    expect(lotId).not.toBe('');

    // ③b the 评标办法 (综合评分法), before the deadline: one pass/fail item and one scored item of 60 points,
    // the price worth 40 (≥30 for goods, 87号令第五十五条).
    await openMenu(daili, '评标组织', '/workspace/evaluation');
    const organise = daili.getByTestId('evaluation-organise');
    const lotSelect = organise.locator('#lot-id');
    await lotSelect.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
    await lotSelect.fill(lotId);
    // The lot has no evaluation yet, so the list does not offer it: the person types the ID and picks it.
    await daili.getByRole('option', { name: lotId }).click();
    await organise.getByRole('heading', { name: new RegExp(`${PROJECT} · ${LOT}`) }).waitFor();
    await organise.getByRole('button', { name: '添加合格制因素' }).click();
    await organise.getByLabel('第1项名称').fill('营业执照、依法缴纳税收和社会保障资金的证明');
    await organise.getByRole('button', { name: '添加打分项' }).click();
    await organise.getByLabel('第2项名称').fill('技术参数响应与售后服务方案');
    await organise.getByLabel('第2项最高分').fill('60');
    await organise.getByLabel('第2项最高分').press('Tab');
    await organise.getByTestId('save-plan').click();
    await daili.getByText('评标办法已保存').waitFor();
    await organise.getByText('评标办法 SM3').waitFor();

    // ④ documents on sale: the five suppliers obtain them and submit sealed bids.
    await moveClock(timeline.documentsFrom);
    let announcementUrl = '';
    for (const [i, username] of BIDDERS.entries()) {
      const bidder = await as(username);
      if (!announcementUrl) {
        await bidder.goto('/announcements');
        await bidder.getByLabel('关键词').fill('档案馆钢结构密集架');
        await bidder.getByLabel('关键词').press('Enter');
        await bidder.getByTestId('announcement-link').filter({ hasText: PROJECT }).first().click();
        await bidder.getByTestId('announcement-detail').waitFor();
        await expect(bidder.getByTestId('announcement-kind').textContent()).resolves.toContain('采购公告');
        await expect(bidder.getByTestId('announcement-deposit').textContent()).resolves.toContain('不收取');
        announcementUrl = new URL(bidder.url()).pathname;
      } else {
        await bidder.goto(announcementUrl);
      }
      await bidder.getByTestId('go-bidding').click();
      await bidder.waitForURL((url) => url.pathname === '/workspace/my-bids');
      await bidder.getByTestId('download-documents').click();
      await bidder.getByTestId('bidding-documents').getByText('本单位已获取').waitFor();
      await bidder.getByTestId('summary-price').fill(PRICES[i]!);
      await bidder.getByTestId('summary-duration').fill(String(60 - i * 5));
      await bidder.getByTestId('summary-quality').fill('合格，质保五年');
      await bidder.getByTestId('part-technical').setInputFiles({
        name: '技术响应文件.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(
          `${username} 技术响应：密集架技术参数偏离表、供货安装方案、售后服务承诺（演示）\n`.repeat(40),
        ),
      });
      await bidder.getByTestId('key-sign').setInputFiles(certs(username, 'sign.key.pem'));
      await bidder.getByTestId('cert-sign').setInputFiles(certs(username, 'sign.cert.pem'));
      await bidder.getByTestId('cert-enc').setInputFiles(certs(username, 'enc.cert.pem'));
      await bidder.getByTestId('submit-bid').click();
      await bidder.getByTestId('bid-receipt').waitFor({ timeout: 60_000 });
      await bidder.getByTestId('bid-status').filter({ hasText: '已递交' }).waitFor();
    }

    // ⑤ the opening: sign-in, reveal, each supplier decrypts in its browser with enc.key.pem, the record.
    await moveClock(timeline.openingAt);
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
    await enterHall(daili);
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
    for (const username of BIDDERS) {
      const bidder = await as(username);
      await bidder.getByRole('button', { name: '确认开标记录' }).click();
      await bidder.getByRole('button', { name: '确认开标记录' }).waitFor({ state: 'detached' });
      await leave(username);
    }
    await hostStep('close-hall', '开标结束');

    // ⑥ the draw: four 钢结构 (A080102) experts; the 采购人代表 (zhaobiao) makes the committee five.
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
    await request.getByLabel('场地1名称').fill('交易中心第二评标室');
    await choose(daili, request.getByLabel('第1组评标专业：大类'), /^工程\s*A$/);
    await choose(daili, request.getByLabel('第1组评标专业：一级'), /^工程施工\s*A08$/);
    await choose(daili, request.getByLabel('第1组评标专业：二级'), /^房屋建筑工程\s*A0801$/);
    await choose(daili, request.getByLabel('第1组评标专业：三级'), /^钢结构\s*A080102$/);
    await request.getByLabel('第1组人数').fill('4');
    await request.getByLabel('第1组人数').press('Tab');
    await request.getByTestId('submit-draw').click();
    await daili.getByTestId('run-draw').click();
    await daili.getByTestId('draw-status-tag').filter({ hasText: '已抽取' }).waitFor();
    const drawn: string[] = [];
    for (const username of EXPERTS) {
      const expert = await as(username);
      await openMenu(expert, '抽取通知', '/workspace/expert-assignments');
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

    // ⑦ the evaluation starts: daili forms the committee — the four experts and zhaobiao as 采购人代表.
    await moveClock(evaluationStartsAt);
    await openMenu(daili, '评标组织', '/workspace/evaluation');
    await choose(daili, organise.locator('#lot-id'), new RegExp(LOT));
    await organise.getByRole('heading', { name: new RegExp(`${PROJECT} · ${LOT}`) }).waitFor();
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
      await openMenu(member, '评标任务', '/workspace/evaluation-tasks');
      await enterTask(member);
      await member.getByTestId('sign-in').click();
      await member.locator('[aria-label="投标人名单"]').locator('tbody tr').nth(4).waitFor();
      await member.getByTestId('declare').click();
      await member
        .getByRole('dialog', { name: '回避声明' })
        .getByRole('button', { name: '签署声明' })
        .click();
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
    for (const username of members) {
      const member = await as(username);
      await enterTask(member);
      await member.locator('#sign-key').setInputFiles(certs(username, 'sign.key.pem'));
      await member.getByTestId('sign-report').click();
      await member.getByTestId('sign-report').waitFor({ state: 'detached' });
    }
    for (const username of drawn) await leave(username);

    // ⑪ 定标: the report reached the 采购人 at once; the decision is due within 5 工作日, on a working day.
    await openMenu(daili, '定标', '/workspace/awards');
    await pickLot(daili);
    const status = daili.getByTestId('award-status');
    await status.waitFor({ timeout: 60_000 });
    await status.getByText('平台即时送达采购人').waitFor();
    const decisionLine = status
      .getByRole('listitem')
      .filter({ hasText: '采购人确定中标人期限（收到评审报告后5个工作日内）' });
    const [reportedAt] = beijingTimes((await status.getByText('评标报告提交时间').textContent()) ?? '');
    const [decisionDue] = beijingTimes((await decisionLine.textContent()) ?? '');
    expect(isWorkingDay(dateOf(decisionDue!))).toBe(true);
    expect(workingDaysBetween(dateOf(reportedAt!), dateOf(decisionDue!))).toBe(5);
    const candidateRows = daili.getByTestId('candidate-table').locator('tbody tr');
    await expect.poll(() => candidateRows.count()).toBe(3);
    const candidateNames = (await candidateRows.locator('td:nth-child(2)').allTextContents()).map((t) =>
      t.trim(),
    );

    // The 采购人 sees the decision form and its due date — axe on the 定标 page in this state.
    await openMenu(zhaobiao, '定标', '/workspace/awards');
    await pickLot(zhaobiao);
    await zhaobiao.getByTestId('confirm').waitFor();
    await zhaobiao.getByTestId('award-status').getByText('采购人确定中标人期限').waitFor();
    expect(await axeViolations(zhaobiao)).toEqual([]);
    await screenshot(zhaobiao, 'gp-award-decision-due');

    // ⑫ nobody decides: the 5 工作日 pass and the first candidate is deemed the winner.
    await moveClock(new Date(decisionDue!.getTime() + 60 * 60_000));
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
    const [noticeDue] = beijingTimes((await noticeLine.textContent()) ?? '');
    expect(isWorkingDay(dateOf(noticeDue!))).toBe(true);

    // ⑬ daili issues the signed notice and the 结果公告 (公告期 1 工作日) within the 2 工作日.
    await daili.getByTestId('issue-notice').click();
    const resultLink = notice.getByRole('link', { name: '查看结果公告' });
    await resultLink.waitFor();
    const resultText = (await notice.textContent()) ?? '';
    const [, resultEnds] = beijingTimes(resultText.slice(resultText.indexOf('中标通知书已于')));
    expect(isWorkingDay(dateOf(resultEnds!))).toBe(true);
    const resultPath = (await resultLink.getAttribute('href')) ?? '';
    // A member of the public on the portal (no account).
    const portal = await newPage(browser, server.baseUrl);
    sessions.set('portal', portal);
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
    for (const username of BIDDERS) {
      const bidder = await as(username);
      await openMenu(bidder, '评标澄清与结果', '/workspace/my-results');
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
    await openMenu(zhaobiao, '合同管理', '/workspace/contracts');
    await pickLot(zhaobiao);
    const draft = zhaobiao.getByTestId('contract-draft');
    await draft.waitFor();
    await expect(draft.getByTestId('contract-price').inputValue()).resolves.not.toBe('');
    await draft
      .getByTestId('contract-scope')

      .fill('钢结构手动、电动密集架及库房配套设备的供货、安装、调试与五年质保');
    await draft
      .getByTestId('contract-payment')

      .fill('验收合格后十五个工作日内支付合同价款的95%，质保期满支付余款');
    await draft.getByTestId('save-draft').click();
    const signing = zhaobiao.getByTestId('contract-sign');
    await signing.waitFor();
    expect(await axeViolations(zhaobiao)).toEqual([]);
    await screenshot(zhaobiao, 'gp-contract-draft');
    await signing.getByTestId('sign-key').setInputFiles(certs('zhaobiao', 'sign.key.pem'));
    await signing.getByTestId('sign-contract').click();
    await signing.locator('[aria-label="签署情况"]').locator('tbody tr').first().waitFor();

    const supplier = await as(winner);
    await openMenu(supplier, '合同管理', '/workspace/contracts');
    await supplier.getByTestId('contract-list').getByRole('button', { name: '查看' }).first().click();
    const supplierSigning = supplier.getByTestId('contract-sign');
    await supplierSigning.getByTestId('sign-key').setInputFiles(certs(winner, 'sign.key.pem'));
    await supplierSigning.getByTestId('sign-contract').click();
    await expect
      .poll(() => supplierSigning.locator('[aria-label="签署情况"]').locator('tbody tr').count())
      .toBe(2);
    await supplierSigning.getByText('签订时间').waitFor();
    await leave(winner);

    await zhaobiao.reload();
    await signing.getByText('签订时间').waitFor();
    const publicationLine = signing.getByText('合同应在');
    const [publicationDue] = beijingTimes((await publicationLine.textContent()) ?? '');
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

    for (const username of [...sessions.keys()])
      expect(pageErrors(sessions.get(username)!.page), username).toEqual([]);
    finished = true;
  }, 300_000);
});
