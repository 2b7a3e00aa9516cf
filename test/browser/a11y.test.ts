/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its globals.
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, loginThroughPage, newPage } from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** WCAG 2.0 A and AA (GB/T 37668 follows WCAG 2.0 AA). */
async function violations(page: Page, disable: string[] = []) {
  // Colours are measured as painted: let fades (dialog, loading mask, messages) finish first.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity),
  );
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa'])
    .disableRules(disable)
    .analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
  }));
}

describe('无障碍 (axe, WCAG 2 A/AA)', () => {
  it('门户首页 / has no violations', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/');
      await page.getByTestId('database-status').waitFor();
      await page.waitForFunction(() => !document.querySelector('.el-skeleton'));
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('登录页 /login has no violations, also with an error shown', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/login');
      await page.getByRole('heading', { name: '用户登录' }).waitFor();
      expect(await violations(page)).toEqual([]);
      await page.getByLabel('用户名').fill('nobody');
      await page.getByLabel('密码', { exact: true }).fill('wrong-password');
      await page.getByLabel('密码', { exact: true }).press('Enter');
      await page.getByTestId('login-error').waitFor();
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('工作台 /workspace has no violations, also in 大字模式', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'admin');
      await page.getByTestId('dashboard-server-time').getByText('北京时间').waitFor();
      expect(await violations(page)).toEqual([]);
      await page.getByRole('button', { name: '大字模式' }).click();
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the keyboard alone reaches the login form and submits it', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/login');
      await page.getByRole('heading', { name: '用户登录' }).waitFor();
      // The username field has focus on arrival; Tab moves on to the password, Enter submits.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('login-username');
      await page.keyboard.type('shenji');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('login-password');
      await page.keyboard.type('Ggzy@2026');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.pathname === '/workspace');

      // A focused link shows a visible focus ring.
      await page.getByTestId('workspace-menu').getByRole('link', { name: '见证日志' }).focus();
      const outline = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement!);
        return { width: style.outlineWidth, style: style.outlineStyle };
      });
      expect(outline.style).not.toBe('none');
      expect(Number.parseFloat(outline.width)).toBeGreaterThanOrEqual(2);
    } finally {
      await context.close();
    }
  });
});

describe('无障碍：已实现的工作台页面', () => {
  it('账号管理 (table, pagination, dialog) has no violations', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'admin');
      await page.goto('/workspace/accounts');
      await page.getByTestId('accounts-table').getByText('admin', { exact: true }).waitFor();
      expect(await violations(page)).toEqual([]);
      await page.getByRole('button', { name: '新建账号' }).click();
      await page.getByRole('dialog', { name: '新建账号' }).waitFor();
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('交易见证 has no violations', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'shenji');
      await page.goto('/workspace/witness-log');
      await page.waitForFunction(() => !document.querySelector('.el-skeleton, .el-loading-mask'));
      expect(await violations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
