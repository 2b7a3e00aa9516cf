/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its globals.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, loginThroughPage, newPage, pageErrors, screenshot } from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('交易见证', () => {
  it('见证日志 shows the latest witness events the server returns (or says the feed is not open)', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'shenji');
      const feed = await page.evaluate(async () => {
        const response = await fetch('/api/witness/events?limit=500');
        return { status: response.status, body: (await response.json()) as unknown };
      });

      await page.getByTestId('workspace-menu').getByRole('link', { name: '见证日志' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/witness-log');
      await page.waitForFunction(() => !document.querySelector('.el-skeleton, .el-loading-mask'));
      const main = page.getByRole('main');

      if (feed.status === 200) {
        // This very login was witnessed: the newest rows include a 登录 (session.opened).
        const rows = page.getByTestId('witness-events').locator('tbody tr');
        await expect.poll(() => rows.count()).toBeGreaterThan(0);
        expect(await rows.count()).toBeLessThanOrEqual(20);
        expect(await page.getByTestId('witness-events').textContent()).toContain('登录');
      } else {
        expect(feed.status).toBe(404);
        expect(await main.textContent()).toContain('见证事件查询接口尚未开放');
      }
      expect(await main.textContent()).toMatch(/暂无见证检查点|根哈希/);
      await screenshot(page, 'witness-log');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
