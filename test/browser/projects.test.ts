/// <reference lib="dom" />
/**
 * 项目 in the workspace (§15): the demo school finds its project in 我的项目 with its 17-character project
 * code and 已受理, and the trading centre finds the registration still waiting in 项目受理. axe finds nothing
 * on either page.
 *
 * Demo data assumed (src/seed/demo-trading.ts): 呼和浩特市示范第一中学教学楼建设工程 received, and
 * 呼和浩特市示范第一中学运动场改造工程 submitted, both registered by zhaobiao.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  axeViolations,
  launchBrowser,
  loginThroughPage,
  newPage,
  pageErrors,
  screenshot,
} from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** The table row naming this project, once the table has loaded. */
async function projectRow(page: Page, name: string) {
  const row = page.locator('.el-table__row', { hasText: name });
  await row.first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask'));
  return row.first();
}

describe('项目', () => {
  it('the initiator sees its received project in 我的项目, with its project code', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'zhaobiao');
      await page.getByTestId('workspace-menu').getByRole('link', { name: '我的项目' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/my-projects');
      await page.getByRole('heading', { name: '我的项目', level: 2 }).waitFor();

      const row = await projectRow(page, '呼和浩特市示范第一中学教学楼建设工程');
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
      // 项目编号 (standards §4): 17 characters.
      expect(cells[0]).toMatch(/^[0-9A-Z]{17}$/);
      expect(cells).toContain('已受理');
      expect(cells.join(' ')).toContain('内蒙古正信招标代理有限公司（演示）');
      // The one still waiting for 受理 is there too, saying so.
      const waiting = await projectRow(page, '呼和浩特市示范第一中学运动场改造工程');
      expect(await waiting.textContent()).toContain('待受理');

      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'my-projects');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the trading centre sees the submitted registration in 项目受理', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'admin');
      await page.getByTestId('workspace-menu').getByRole('link', { name: '项目受理' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/project-intake');
      await page.getByRole('heading', { name: '项目受理', level: 2 }).waitFor();

      // The queue (待受理) shows the submitted project, not the received ones.
      const row = await projectRow(page, '呼和浩特市示范第一中学运动场改造工程');
      const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
      expect(cells[0]).toMatch(/^[0-9A-Z]{17}$/);
      expect(cells.join(' ')).toContain('待受理');
      expect(cells.join(' ')).toContain('呼和浩特市示范第一中学（演示）');
      expect(await page.locator('.el-table__row', { hasText: '教学楼建设工程' }).count()).toBe(0);

      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'project-intake');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
