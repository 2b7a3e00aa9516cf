/**
 * 交易数据统计 in the browser (§31): a server of its own whose database holds five processes with figures
 * worked out by hand (src/supervision/statistics/test-factory.ts), written before the server starts. The
 * public page shows the key figures and, under each chart, a table with the same numbers; the 盟市 filter
 * narrows them; axe finds nothing; the Excel download carries the same numbers. Staff open 统计分析 in the
 * workspace with the same board.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProcessFacts } from '../../src/supervision/statistics/index.ts';
import { scenarioFacts } from '../../src/supervision/statistics/test-factory.ts';
import { makeDiskPlatform } from '../support/platform.ts';
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

// 呼和浩特市 (1501xx: two regions) and 包头市 (1502xx), in a year no demo process reaches.
const YEAR = 2019;
const RANGE = 'from=2019-03&to=2019-06';

let dataDir: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-statistics-'));
  const platform = await makeDiskPlatform(dataDir);
  try {
    const facts = scenarioFacts('150', YEAR);
    await platform.db.transaction().execute((tx) => upsertProcessFacts(tx, facts));
  } finally {
    await platform.close();
  }
  server = await startServer({ env: { GGZY_DATA_DIR: dataDir } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The cell of a figure table: the row headed `row`, the column `column` (a Figures key). */
function cell(page: Page, table: string, row: string, column: string) {
  return page
    .getByTestId(table)
    .locator('tbody tr')
    .filter({ has: page.locator('th', { hasText: row }) })
    .locator(`td[data-column="${column}"]`);
}

describe('交易数据统计 (portal)', () => {
  it('shows the key figures and the tables with the hand-worked numbers, and axe finds nothing', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await page.goto('/');
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '数据统计' }).click();
      await page.waitForURL((url) => url.pathname === '/statistics');
      await page.getByRole('heading', { level: 1, name: '交易数据统计' }).waitFor();

      await page.goto(`/statistics?${RANGE}`);
      await expect.poll(() => page.getByTestId('kpi-lots').textContent()).toBe('5');
      expect(await page.getByTestId('kpi-award').textContent()).toBe('1,300,000.25');
      expect(await page.getByTestId('kpi-savings').textContent()).toBe('13.33%');
      expect(await page.getByTestId('kpi-failed').textContent()).toBe('33.33%');
      expect(await page.getByTestId('kpi-bidders').textContent()).toBe('3.33');

      expect(await cell(page, 'table-prefecture', '呼和浩特市', 'lots').textContent()).toBe('3');
      expect(await cell(page, 'table-prefecture', '呼和浩特市', 'awardYuan').textContent()).toBe(
        '1,300,000.25',
      );
      expect(await cell(page, 'table-prefecture', '包头市', 'lots').textContent()).toBe('2');
      expect(await cell(page, 'table-month', `${YEAR}-04`, 'lots').textContent()).toBe('0');
      expect(await cell(page, 'table-month', `${YEAR}-03`, 'savingsRate').textContent()).toBe('13.33%');
      expect(
        await cell(
          page,
          'table-category',
          '工程建设项目招标投标和机电产品国际招标',
          'failedRate',
        ).textContent(),
      ).toBe('50.00%');
      expect(
        await cell(page, 'table-method', '公开招标（工程建设）', 'openingToAwardDays').textContent(),
      ).toBe('15.00');
      // Each table is named by its caption for a screen reader.
      expect(await page.getByRole('table', { name: '按盟市统计' }).count()).toBe(1);

      await screenshot(page, 'statistics-portal');
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the 盟市 filter narrows the figures and the address keeps it', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await page.goto(`/statistics?${RANGE}`);
      await expect.poll(() => page.getByTestId('kpi-lots').textContent()).toBe('5');
      // Element Plus draws its own select: open it by its box, pick the option by its text.
      const region = page.getByRole('combobox', { name: '盟市' });
      await region.locator('xpath=ancestor::div[contains(@class,"el-select__wrapper")][1]').click();
      await page.getByRole('option', { name: '包头市', exact: true }).click();
      await page.getByRole('button', { name: '统计', exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get('region') === '1502');
      await expect.poll(() => page.getByTestId('kpi-lots').textContent()).toBe('2');
      expect(await page.getByTestId('statistics-scope').textContent()).toContain('包头市');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('导出 Excel downloads the same figures under a Chinese file name', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await page.goto(`/statistics?${RANGE}`);
      await expect.poll(() => page.getByTestId('kpi-lots').textContent()).toBe('5');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('statistics-xlsx').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`交易数据统计_${YEAR}-03_${YEAR}-06.xlsx`);
      const file = await download.path();
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(file);
      const overview = workbook.getWorksheet('汇总');
      const values = new Map<string, ExcelJS.CellValue>();
      overview?.eachRow((row) => {
        values.set(String(row.getCell(1).value), row.getCell(2).value);
      });
      expect(values.get('交易项目数')).toBe(5);
      expect(values.get('成交金额（元）')).toBe(1300000.25);
      expect(values.get('节支率')).toBe(0.1333);
    } finally {
      await context.close();
    }
  });
});

describe('统计分析 (workspace)', () => {
  it('the trading centre opens 统计分析 from its menu and sees the same board; axe finds nothing', async () => {
    const { context, page } = await newPage(browser, server.baseUrl);
    try {
      await loginThroughPage(page, 'admin');
      await page.getByRole('link', { name: '统计分析' }).first().click();
      await page.waitForURL((url) => url.pathname === '/workspace/statistics');
      await page.goto(`/workspace/statistics?${RANGE}`);
      await expect.poll(() => page.getByTestId('kpi-lots').textContent()).toBe('5');
      expect(await cell(page, 'table-prefecture', '包头市', 'cancelledLots').textContent()).toBe('1');
      await animationsDone(page);
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
