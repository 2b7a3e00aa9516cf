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

describe('门户首页', () => {
  it('shows the platform health fed by /api/health, in Chinese', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/');
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      const health = page.getByTestId('health-section');
      await health.getByTestId('database-status').waitFor();
      expect((await health.getByTestId('database-status').textContent())?.trim()).toBe('正常');

      const api = (await page.evaluate(async () => (await fetch('/api/health')).json())) as {
        version: string;
        serverTime: string;
      };
      expect(await health.textContent()).toContain(api.version);
      // Server time is shown in Beijing time, as YYYY-MM-DD HH:mm:ss.
      expect(await health.getByTestId('server-time').textContent()).toMatch(
        /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}（北京时间）$/,
      );

      // 交易公告: the latest published ones, the demo's 招标公告 among them, each linking to its detail.
      expect(await page.getByRole('heading', { name: '交易公告' }).isVisible()).toBe(true);
      const notices = page.getByTestId('latest-announcements');
      const tender = notices.getByRole('link').filter({ hasText: '教学楼' }).first();
      await tender.waitFor();
      expect(await notices.textContent()).toContain('[招标公告]');
      expect(await tender.getAttribute('href')).toMatch(/^\/announcements\/[^/]+$/);
      expect(await page.getByText('暂无公告').count()).toBe(0);

      // 交易见证: a checkpoint, or the honest placeholder while none exists.
      const witness = page.getByTestId('witness-section');
      await expect
        .poll(async () => {
          const text = (await witness.textContent()) ?? '';
          return text.includes('暂无见证检查点') || text.includes('根哈希') || text.includes('获取失败');
        })
        .toBe(true);
      expect(await witness.textContent()).not.toContain('获取失败');

      expect(await page.getByRole('link', { name: '接口文档' }).first().getAttribute('href')).toBe(
        '/api/docs',
      );
      await page.getByRole('main').getByRole('link', { name: '登录' }).click();
      await page.waitForURL((url) => url.pathname === '/login');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('大字模式 scales the root font size and is remembered', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/');
      // The home page is its own chunk: it renders after the load event.
      await page.locator('.hero__text').waitFor();
      const rootSize = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
      const bodyTextSize = () =>
        page.evaluate(() =>
          Number.parseFloat(getComputedStyle(document.querySelector('.hero__text')!).fontSize),
        );
      expect(await rootSize()).toBe('16px');
      const before = await bodyTextSize();

      const toggle = page.getByRole('button', { name: '大字模式' });
      expect(await toggle.getAttribute('aria-pressed')).toBe('false');
      await toggle.click();
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      expect(await rootSize()).toBe('20px');
      expect(await bodyTextSize()).toBeGreaterThan(before);
      await screenshot(page, 'portal-large-text');

      await page.reload();
      expect(await rootSize()).toBe('20px');
      expect(await page.getByRole('button', { name: '大字模式' }).getAttribute('aria-pressed')).toBe('true');

      await page.getByRole('button', { name: '大字模式' }).click();
      expect(await rootSize()).toBe('16px');
    } finally {
      await context.close();
    }
  });

  it('takes screenshots of the portal, the login page and the workspace', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/');
      await page.getByTestId('database-status').waitFor();
      await page.waitForFunction(() => !document.querySelector('.el-skeleton'));
      await screenshot(page, 'portal');

      await page.goto('/login');
      await page.getByRole('heading', { name: '用户登录' }).waitFor();
      await screenshot(page, 'login');

      await page.getByLabel('用户名').fill('admin');
      await page.getByLabel('密码', { exact: true }).fill('wrong-password');
      await page.getByLabel('密码', { exact: true }).press('Enter');
      await page.getByTestId('login-error').waitFor();
      await screenshot(page, 'login-error');

      await loginThroughPage(page, 'admin');
      await page.getByTestId('dashboard-server-time').getByText('北京时间').waitFor();
      await screenshot(page, 'workspace');

      await page.getByRole('link', { name: '交易见证' }).first().click();
      await page.waitForURL((url) => url.pathname === '/workspace/witness');
      await page.waitForFunction(() => !document.querySelector('.el-skeleton, .el-loading-mask'));
      await screenshot(page, 'witness');
    } finally {
      await context.close();
    }
  });
});
