/// <reference lib="dom" />
/**
 * The steps the whole-tender browser tests share (tender-e2e: 工程 公开招标; procurement-e2e: 政府采购 公开招标):
 * one browser per demo account, the sandbox clock moved from admin's 任务队列, Element Plus selects, and the
 * steps both procedures walk the same way — registration, 受理, documents and announcement, the 评标办法,
 * the sealed bids, the opening, the draw, the committee, the report signatures, the contract. Each takes the
 * run and the few things that differ (procedure, catalog item, prices, specialty, names, texts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  animationsDone,
  launchBrowser,
  loginThroughPage,
  newPage,
  pageErrors,
  type RunningServer,
  screenshot,
  startServer,
} from './support.ts';

export const BIDDERS = ['toubiao1', 'toubiao2', 'toubiao3', 'toubiao4', 'toubiao5'] as const;
export const EXPERTS = ['zhuanjia', 'zhuanjia2', 'zhuanjia3', 'zhuanjia4', 'zhuanjia5'] as const;
/** daili's 统一社会信用代码 (内蒙古正信招标代理有限公司（演示）), as the agency gives it to its client. */
export const AGENCY_CREDIT_CODE = '91150100MA0000007W';

/** Opens an Element Plus select and clicks one of its own options. */
export async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  // The select's box (its placeholder lies over the input).
  await select.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
  const listbox = await select.getAttribute('aria-controls');
  const list = listbox ? page.locator(`[id="${listbox}"]`) : page;
  await list.getByRole('option', { name: option }).first().click();
  await animationsDone(page);
}

export async function openMenu(page: Page, title: string, pathname: string): Promise<void> {
  await page.getByTestId('workspace-menu').getByRole('link', { name: title, exact: true }).click();
  await page.waitForURL((url) => url.pathname === pathname);
}

/** The body rows of the Element Plus table labelled `label` (its label is on the table's box). */
export function rowsOf(scope: Locator, label: string): Locator {
  return scope.locator(`[aria-label="${label}"]`).locator('.el-table__body-wrapper tr.el-table__row');
}

/** A Beijing wall-clock time 'YYYY-MM-DD HH:mm' as an instant. */
export function beijing(text: string): Date {
  const m = /(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/.exec(text);
  if (!m) throw new Error(`not a time: ${text}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+08:00`);
}

/** All the Beijing times in a text, in order. */
export function beijingTimes(text: string): Date[] {
  return [...text.matchAll(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/g)].map((m) => beijing(m[0]));
}

/** An instant as the Beijing wall-clock text the date pickers take. */
export function pickerText(at: Date): string {
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

/** The lot's timeline as the page shows it (LotTimelineCard), in instants. */
export async function timelineOf(page: Page) {
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

/**
 * One tender walked through the web app: a sandbox server and a browser for the file, one logged-in
 * browser per account, the tender's project and lot. `shotPrefix` names a failed run's screenshots.
 */
export class TenderRun {
  server!: RunningServer;
  browser!: Browser;
  finished = false;
  readonly sessions = new Map<string, { context: BrowserContext; page: Page }>();

  constructor(
    readonly project: string,
    readonly lot: string,
    shotPrefix: string,
  ) {
    beforeAll(async () => {
      // Both started together; whichever did start is kept, so afterAll stops it even if the other failed.
      const [server, browser] = await Promise.allSettled([
        startServer({ env: { GGZY_SANDBOX: 'on' } }),
        launchBrowser(),
      ]);
      if (server.status === 'fulfilled') this.server = server.value;
      if (browser.status === 'fulfilled') this.browser = browser.value;
      if (server.status === 'rejected') throw server.reason;
      if (browser.status === 'rejected') throw browser.reason;
    }, 180_000);

    afterAll(async () => {
      // A failed run leaves each open browser's last page for the reader (/tmp/shots/<prefix>-failed-<user>.png).
      if (!this.finished) {
        for (const [username, { page }] of this.sessions)
          await screenshot(page, `${shotPrefix}-failed-${username}`).catch(() => {});
      }
      for (const { context } of this.sessions.values()) await context.close().catch(() => {});
      await this.browser?.close();
      await this.server?.stop();
    });
  }

  /** The person's own browser, logged in once (each account has its own cookies; 'visitor' has none). */
  async as(username: string): Promise<Page> {
    const known = this.sessions.get(username);
    if (known) return known.page;
    const session = await newPage(this.browser, this.server.baseUrl);
    this.sessions.set(username, session);
    if (username !== 'visitor') await loginThroughPage(session.page, username);
    return session.page;
  }

  /** Closes a person's browser once their part is done (keeps the run light). */
  async leave(username: string): Promise<void> {
    const session = this.sessions.get(username);
    if (!session) return;
    expect(pageErrors(session.page), `${username}: script errors`).toEqual([]);
    this.sessions.delete(username);
    await session.context.close();
  }

  certs(username: string, file: string): string {
    const p = path.join(this.server.dataDir, 'certs', username, file);
    if (!fs.existsSync(p)) throw new Error(`missing ${p}`);
    return p;
  }

  /** Picks the tender's project and lot in a LotPicker (招标文件, 专家抽取, 定标, 合同管理). */
  async pickLot(page: Page): Promise<void> {
    await choose(page, page.locator('#lot-picker-project'), new RegExp(this.project));
    await choose(page, page.locator('#lot-picker-lot'), new RegExp(this.lot));
  }

  /** 评标组织: chooses the lot from the list, or types its number (ID) when it has no evaluation yet. */
  async openEvaluation(page: Page, typedLotId?: string): Promise<Locator> {
    const organise = page.getByTestId('evaluation-organise');
    const select = organise.locator('#lot-id');
    if (!typedLotId) {
      await choose(page, select, new RegExp(this.lot));
    } else {
      // The lot has no evaluation yet, so the list does not offer it: the person types the ID and picks it.
      await select.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
      await select.fill(typedLotId);
      await page.getByRole('option', { name: typedLotId }).click();
    }
    await organise.getByRole('heading', { name: new RegExp(`${this.project} · ${this.lot}`) }).waitFor();
    return organise;
  }

  /** The trading centre moves the sandbox clock to `at` from 任务队列 (due jobs run at once). */
  async moveClock(at: Date): Promise<void> {
    const admin = await this.as('admin');
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
}

export interface Registration {
  /** The 交易目录 option, when not the default. */
  catalog?: RegExp;
  budget: string;
  address: string;
  approval: { name: string; number: string; authority: string };
  /** The lot's 交易程序, when not the default. */
  procedure?: string;
  /** 依法必须招标: 否 (a lot traded by 挂牌、拍卖 is not a mandatory tender). */
  notMandatoryTender?: boolean;
  content: string;
  authorisation: { number: string; scope: string };
}

/** ① zhaobiao registers the project with one lot and authorises daili; returns the project's drawer. */
export async function registerProject(run: TenderRun, r: Registration): Promise<Locator> {
  const zhaobiao = await run.as('zhaobiao');
  await openMenu(zhaobiao, '我的项目', '/workspace/my-projects');
  await zhaobiao.getByTestId('register-project').click();
  const register = zhaobiao.getByRole('dialog', { name: '登记项目' });
  await register.waitFor();
  await animationsDone(zhaobiao);
  await register.getByLabel('项目名称').fill(run.project);
  if (r.catalog) await choose(zhaobiao, register.getByLabel('交易目录'), r.catalog);
  if (r.notMandatoryTender) await register.locator('label.el-radio', { hasText: '否' }).click();
  await register.getByLabel('预算/估算（元）').fill(r.budget);
  await register.getByLabel('项目地址').fill(r.address);
  await register.getByLabel('审批文件1名称').fill(r.approval.name);
  await register.getByLabel('审批文件1文号').fill(r.approval.number);
  await register.getByLabel('审批文件1批准机关').fill(r.approval.authority);
  await register.getByLabel('名称', { exact: true }).fill(run.lot);
  if (r.procedure) await choose(zhaobiao, register.getByLabel('交易程序'), r.procedure);
  await register.getByLabel('估算（元）', { exact: true }).fill(r.budget);
  await register.getByLabel('内容', { exact: true }).fill(r.content);
  await register.getByRole('button', { name: '提交登记' }).click();
  const drawer = zhaobiao.getByRole('dialog', { name: run.project });
  await drawer.waitFor();
  await animationsDone(zhaobiao);
  if (r.procedure) await drawer.getByText(r.procedure).first().waitFor();
  await drawer.getByRole('button', { name: '委托代理机构' }).click();
  const authorise = zhaobiao.getByRole('dialog', { name: '委托代理机构' });
  await authorise.waitFor();
  await animationsDone(zhaobiao);
  await authorise.getByLabel('代理机构信用代码').fill(AGENCY_CREDIT_CODE);
  await authorise.getByLabel('委托文件编号').fill(r.authorisation.number);
  await authorise.getByLabel('委托范围').fill(r.authorisation.scope);
  await authorise.getByRole('button', { name: '登记委托' }).click();
  await drawer.getByText('内蒙古正信招标代理有限公司（演示）').first().waitFor();
  return drawer;
}

/** ② the trading centre receives the registration (项目受理). */
export async function receiveProject(run: TenderRun): Promise<void> {
  const admin = await run.as('admin');
  await openMenu(admin, '项目受理', '/workspace/project-intake');
  await admin.getByRole('button', { name: run.project }).click();
  const intake = admin.getByRole('dialog', { name: run.project });
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
}

/** ③ daili uploads the 招标文件 and publishes the announcement at the legal minimum periods. */
export async function publishAnnouncement(
  run: TenderRun,
  a: { documentText: string; title: string; body: string },
): Promise<Page> {
  const daili = await run.as('daili');
  await openMenu(daili, '招标文件', '/workspace/tender-documents');
  await run.pickLot(daili);
  await daili.getByTestId('manage-documents').waitFor();
  await daili.getByTestId('doc-file').setInputFiles({
    name: `${run.project}招标文件.txt`,
    mimeType: 'text/plain',
    buffer: Buffer.from(a.documentText),
  });
  await daili.getByTestId('doc-upload').click();
  await daili.getByTestId('manage-documents').getByText('第 1 版').waitFor();
  await daili.getByTestId('new-announcement').click();
  const editor = daili.getByTestId('announcement-editor');
  await editor.waitFor();
  await animationsDone(daili);
  await editor.getByLabel('公告标题').fill(a.title);
  await editor.getByLabel('公告正文（纯文本）').fill(a.body);
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
  return daili;
}

/** The lot's number (ID) as the address bar shows it on daili's page. */
export function lotIdOf(page: Page): string {
  const lotId = new URL(page.url()).searchParams.get('lot') ?? '';
  expect(lotId).not.toBe('');
  return lotId;
}

/**
 * ③b the 评标办法, set before the bid deadline: one pass/fail qualification item and one scored item of
 * 60 points (the price worth the rest). Returns 评标组织's box.
 */
export async function saveEvaluationPlan(
  run: TenderRun,
  lotId: string,
  items: { qualification: string; scored: string },
): Promise<Locator> {
  const daili = await run.as('daili');
  await openMenu(daili, '评标组织', '/workspace/evaluation');
  const organise = await run.openEvaluation(daili, lotId);
  await organise.getByRole('button', { name: '添加合格制因素' }).click();
  await organise.getByLabel('第1项名称').fill(items.qualification);
  await organise.getByRole('button', { name: '添加打分项' }).click();
  await organise.getByLabel('第2项名称').fill(items.scored);
  await organise.getByLabel('第2项最高分').fill('60');
  await organise.getByLabel('第2项最高分').press('Tab');
  await organise.getByTestId('save-plan').click();
  await daili.getByText('评标办法已保存').waitFor();
  await organise.getByText('评标办法 SM3').waitFor();
  return organise;
}

export interface Bids {
  /** What the first bidder types in the portal's 关键词 to find the announcement. */
  keyword: string;
  prices: readonly string[];
  /** 工期/交货期 (days) of the i-th bidder. */
  duration: (i: number) => number;
  quality: string;
  technical: { name: string; text: (username: string) => string };
  /** Further checks on the announcement the first bidder found. */
  checkAnnouncement?: (bidder: Page) => Promise<void>;
}

/** ④ documents on sale (the clock moved there): the five bidders obtain them and submit sealed bids. */
export async function submitBids(run: TenderRun, b: Bids): Promise<void> {
  let announcementUrl = '';
  for (const [i, username] of BIDDERS.entries()) {
    const bidder = await run.as(username);
    if (!announcementUrl) {
      await bidder.goto('/announcements');
      await bidder.getByLabel('关键词').fill(b.keyword);
      await bidder.getByLabel('关键词').press('Enter');
      await bidder.getByTestId('announcement-link').filter({ hasText: run.project }).first().click();
      await bidder.getByTestId('announcement-detail').waitFor();
      await b.checkAnnouncement?.(bidder);
      announcementUrl = new URL(bidder.url()).pathname;
    } else {
      await bidder.goto(announcementUrl);
    }
    await bidder.getByTestId('go-bidding').click();
    await bidder.waitForURL((url) => url.pathname === '/workspace/my-bids');
    await bidder.getByTestId('download-documents').click();
    await bidder.getByTestId('bidding-documents').getByText('本单位已获取').waitFor();
    await bidder.getByTestId('summary-price').fill(b.prices[i]!);
    await bidder.getByTestId('summary-duration').fill(String(b.duration(i)));
    await bidder.getByTestId('summary-quality').fill(b.quality);
    await bidder.getByTestId('part-technical').setInputFiles({
      name: b.technical.name,
      mimeType: 'text/plain',
      buffer: Buffer.from(b.technical.text(username).repeat(40)),
    });
    await bidder.getByTestId('key-sign').setInputFiles(run.certs(username, 'sign.key.pem'));
    await bidder.getByTestId('cert-sign').setInputFiles(run.certs(username, 'sign.cert.pem'));
    await bidder.getByTestId('cert-enc').setInputFiles(run.certs(username, 'enc.cert.pem'));
    await bidder.getByTestId('submit-bid').click();
    await bidder.getByTestId('bid-receipt').waitFor({ timeout: 60_000 });
    await bidder.getByTestId('bid-status').filter({ hasText: '已递交' }).waitFor();
  }
}

export interface Opening {
  prices: readonly string[];
  /** daili reloads its 招标文件 page before 进入开标大厅 (as the bidders do). */
  hostReloads: boolean;
  /** The first bidder confirms the record with an SM2 signature by its signing key; the others by a click. */
  firstConfirmsWithKey: boolean;
  /** Once the host has signed the record. */
  afterHostSigned?: (daili: Page) => Promise<void>;
}

/**
 * ⑤ the opening (不见面开标, the clock at the opening time): the bidders sign in, daili opens and starts the
 * decryption, each bidder decrypts in its browser with its enc.key.pem, daili closes the decryption,
 * publishes and signs the record, the bidders confirm it and leave, daili closes the hall.
 */
export async function runOpening(run: TenderRun, o: Opening): Promise<void> {
  const daili = await run.as('daili');
  /** From the lot's page the person has open (我的投标 / 招标文件), refreshed: 进入开标大厅. */
  const enterHall = async (page: Page) => {
    await page.reload();
    await page.getByTestId('go-opening-hall').click();
    await page.waitForURL((url) => url.pathname === '/workspace/opening-hall');
    await page.getByTestId('hall-state').waitFor();
  };
  for (const username of BIDDERS) {
    const bidder = await run.as(username);
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
  await run.pickLot(daili);
  if (o.hostReloads) {
    await enterHall(daili);
  } else {
    await daili.getByTestId('go-opening-hall').click();
    await daili.getByTestId('hall-state').waitFor();
  }
  await hostStep('start-opening', '已开标，待解密');
  await hostStep('start-decryption', '解密中');
  for (const username of BIDDERS) {
    const bidder = await run.as(username);
    const decrypt = bidder.getByTestId('decrypt-in-browser');
    await decrypt.setInputFiles(run.certs(username, 'enc.key.pem'));
    await decrypt.waitFor({ state: 'detached', timeout: 60_000 });
  }
  await expect
    .poll(() => daili.locator('.el-table__row', { hasText: '已解密' }).count(), { timeout: 60_000 })
    .toBe(5);
  await hostStep('close-decryption', '解密结束，待公布开标记录');
  await hostStep('publish-record', '开标记录已公布，确认中');
  const record = daili.getByTestId('record');
  for (const price of o.prices) await record.getByText(price.replace(/\.00$/, '')).first().waitFor();
  await daili.getByTestId('host-sign-with-key').setInputFiles(run.certs('daili', 'sign.key.pem'));
  await record.getByText('主持人已签名').waitFor();
  await o.afterHostSigned?.(daili);
  for (const [i, username] of BIDDERS.entries()) {
    const bidder = await run.as(username);
    if (i === 0 && o.firstConfirmsWithKey) {
      await bidder.getByTestId('confirm-with-key').setInputFiles(run.certs(username, 'sign.key.pem'));
    } else {
      await bidder.getByRole('button', { name: '确认开标记录' }).click();
    }
    await bidder.getByRole('button', { name: '确认开标记录' }).waitFor({ state: 'detached' });
    await run.leave(username);
  }
  await hostStep('close-hall', '开标结束');
}

/**
 * ③b–⑤ from the announcement to the opening: daili sets the 评标办法 of the lot `lotId`; the clock moves
 * to the documents' first day and the bidders submit (`afterBids` then); the clock moves to the opening
 * and the hall runs it. Returns 评标组织's box.
 */
export async function planBidAndOpen(
  run: TenderRun,
  timeline: { documentsFrom: Date; openingAt: Date },
  t: {
    lotId: string;
    plan: { qualification: string; scored: string };
    bids: Bids;
    afterBids?: () => Promise<void>;
    opening: Omit<Opening, 'prices'>;
  },
): Promise<Locator> {
  const organise = await saveEvaluationPlan(run, t.lotId, t.plan);
  await run.moveClock(timeline.documentsFrom);
  await submitBids(run, t.bids);
  await t.afterBids?.();
  await run.moveClock(timeline.openingAt);
  await runOpening(run, { ...t.opening, prices: t.bids.prices });
  return organise;
}

/** Specialty options, 大类 → 一级 → 二级 → 三级. */
export const STEEL_STRUCTURES = [
  /^工程\s*A$/,
  /^工程施工\s*A08$/,
  /^房屋建筑工程\s*A0801$/,
  /^钢结构\s*A080102$/,
] as const;

/**
 * ⑥ the expert draw: daili asks for `count` experts of `specialty` for an evaluation a day after the
 * opening, in `room`, and runs the draw. Returns when the evaluation starts.
 */
export async function requestDraw(
  run: TenderRun,
  d: { openingAt: Date; room: string; specialty: readonly RegExp[]; count: number },
): Promise<Date> {
  const daili = await run.as('daili');
  const evaluationStartsAt = new Date(
    Math.ceil((d.openingAt.getTime() + 26 * 3_600_000) / 3_600_000) * 3_600_000,
  );
  await openMenu(daili, '专家抽取', '/workspace/expert-draws');
  await run.pickLot(daili);
  const request = daili.getByTestId('draw-request');
  await request.waitFor();
  const start = request.getByLabel('评标开始时间');
  await start.fill(pickerText(evaluationStartsAt));
  await start.press('Enter');
  await animationsDone(daili);
  await request.getByLabel('评标时长（分钟）').fill('480');
  await request.getByLabel('评标时长（分钟）').press('Tab');
  await request.getByLabel('场地1名称').fill(d.room);
  const levels = ['大类', '一级', '二级', '三级'];
  for (const [i, option] of d.specialty.entries())
    await choose(daili, request.getByLabel(`第1组评标专业：${levels[i]}`), option);
  await request.getByLabel('第1组人数').fill(String(d.count));
  await request.getByLabel('第1组人数').press('Tab');
  await request.getByTestId('submit-draw').click();
  await daili.getByTestId('run-draw').click();
  await daili.getByTestId('draw-status-tag').filter({ hasText: '已抽取' }).waitFor();
  return evaluationStartsAt;
}

/**
 * ⑥–⑦ the draw (`requestDraw`, then `afterDraw`) and the drawn experts' confirmations: all `count` of
 * them confirm. Returns when the evaluation starts and who was drawn.
 */
export async function drawExperts(
  run: TenderRun,
  d: Parameters<typeof requestDraw>[1] & { afterDraw?: (daili: Page) => Promise<void> },
): Promise<{ evaluationStartsAt: Date; drawn: string[] }> {
  const evaluationStartsAt = await requestDraw(run, d);
  await d.afterDraw?.(await run.as('daili'));
  const drawn = await confirmDrawn(run);
  expect(drawn).toHaveLength(d.count);
  return { evaluationStartsAt, drawn };
}

/** ⑦ the drawn experts confirm in 抽取通知 (the ones not drawn have no notice and leave); returns them. */
export async function confirmDrawn(run: TenderRun): Promise<string[]> {
  const drawn: string[] = [];
  for (const username of EXPERTS) {
    const expert = await run.as(username);
    await openMenu(expert, '抽取通知', '/workspace/expert-assignments');
    // The notices have loaded once a card or the empty note shows.
    await expert.getByTestId('assignments').locator('article, .el-empty').first().waitFor();
    const card = expert.locator('article', { hasText: run.project });
    if ((await card.count()) === 0) {
      await run.leave(username);
      continue;
    }
    await card.getByTestId('confirm').click();
    await expert.getByRole('dialog', { name: '确认参加' }).getByRole('button', { name: '确认参加' }).click();
    await card.getByTestId('assignment-status').filter({ hasText: '已确认' }).waitFor();
    drawn.push(username);
  }
  return drawn;
}

/** ⑩ a committee member signs the 回避声明 in the open task (`tasks`: the task's box or the page). */
export async function signDeclaration(member: Page, tasks: Page | Locator): Promise<void> {
  await tasks.getByTestId('declare').click();
  await member.getByRole('dialog', { name: '回避声明' }).getByRole('button', { name: '签署声明' }).click();
}

/** ⑫ each member, in its open task (`enterTask`), signs the report with its own SM2 key file. */
export async function signReport(
  run: TenderRun,
  members: readonly string[],
  enterTask: (member: Page) => Promise<Page | Locator>,
  keyInput: (tasks: Page | Locator) => Locator,
): Promise<void> {
  for (const username of members) {
    const member = await run.as(username);
    const tasks = await enterTask(member);
    await keyInput(tasks).setInputFiles(run.certs(username, 'sign.key.pem'));
    await tasks.getByTestId('sign-report').click();
    await tasks.getByTestId('sign-report').waitFor({ state: 'detached' });
  }
}

/**
 * ⑮ 合同管理: zhaobiao drafts the contract from the award (`scope`, `payment`) and saves it; `beforeFill`
 * checks the draft first. Returns the 签署 box.
 */
export async function draftContract(
  run: TenderRun,
  c: { scope: string; payment: string; beforeFill?: (draft: Locator) => Promise<void> },
): Promise<Locator> {
  const zhaobiao = await run.as('zhaobiao');
  await openMenu(zhaobiao, '合同管理', '/workspace/contracts');
  await run.pickLot(zhaobiao);
  const draft = zhaobiao.getByTestId('contract-draft');
  await c.beforeFill?.(draft);
  await draft.getByTestId('contract-scope').fill(c.scope);
  await draft.getByTestId('contract-payment').fill(c.payment);
  await draft.getByTestId('save-draft').click();
  return zhaobiao.getByTestId('contract-sign');
}

/** A party signs the contract open in its 签署 box with its own sign.key.pem. */
export async function signContract(run: TenderRun, username: string, signing: Locator): Promise<void> {
  await signing.getByTestId('sign-key').setInputFiles(run.certs(username, 'sign.key.pem'));
  await signing.getByTestId('sign-contract').click();
}
