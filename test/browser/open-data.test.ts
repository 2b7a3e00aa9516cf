/**
 * 数据开放 in the browser (§28): the portal navigation leads to the page; it explains the feed, the OCDS
 * endpoints, bulk download and the data-spec export under proper headings; the live preview lists the
 * newest public releases of the demo (its published 招标公告 among them) with a link to each record;
 * axe finds nothing. When the feed cannot be read the page says so in Chinese instead of staying blank.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations, launchBrowser, newPage, pageErrors, screenshot } from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('数据开放', () => {
  it('explains the open data and previews the newest releases, accessibly', {
    timeout: 150_000,
  }, async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/');
      await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '数据开放' }).click();
      await page.waitForURL((url) => url.pathname === '/open-data');
      await page.getByRole('heading', { name: '数据开放', level: 1 }).waitFor();
      expect(await page.title()).toContain('数据开放');
      for (const heading of [
        '变更流（change feed）',
        'OCDS 1.1 开放合同数据',
        '平台扩展 ggzy',
        '批量下载与命令行导出',
        '国家数据规范导出',
        '最新公开的发布',
      ]) {
        expect(await page.getByRole('heading', { name: heading, level: 2 }).isVisible()).toBe(true);
      }
      const endpoints = page.getByRole('table', { name: 'OCDS 与变更流接口（均无需登录）' });
      expect(await endpoints.textContent()).toContain('/api/open/ocds/records/{ocid}');
      expect(
        await page.getByRole('link', { name: '下载全部汇编版本（JSON Lines，gzip）' }).getAttribute('href'),
      ).toBe('/api/open/ocds/bulk.jsonl.gz');

      // The demo published a 招标公告; its release reaches the feed once the projector has run.
      const preview = page.getByTestId('open-data-preview');
      await expect
        .poll(
          async () => {
            if (await preview.isVisible()) return true;
            if (await page.getByTestId('open-data-error').isVisible()) return 'error';
            await page.getByTestId('open-data-refresh').click();
            return false;
          },
          { timeout: 120_000, interval: 3_000 },
        )
        .toBe(true);
      expect(await preview.textContent()).toContain('招标/采购公告');
      const record = preview.getByRole('link', { name: /的 OCDS 记录包$/ }).first();
      const href = (await record.getAttribute('href')) ?? '';
      expect(href).toMatch(/^\/api\/open\/ocds\/records\/ocds-/);
      const status = await page.evaluate(async (url) => (await fetch(url)).status, href);
      expect(status).toBe(200);

      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'open-data');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says in Chinese when the feed cannot be read', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.route('**/api/open/feed**', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({
            status: 503,
            code: 'UNAVAILABLE',
            title: '服务暂不可用',
            detail: '请稍后再试。',
          }),
        }),
      );
      await page.goto('/open-data');
      const alert = page.getByTestId('open-data-error');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('暂时无法读取变更流');
      expect(await page.getByTestId('open-data-preview').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
