/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its globals.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_ROLES, launchBrowser, loginThroughPage, newPage, pageErrors } from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe('登录与工作台', () => {
  for (const demo of DEMO_ROLES) {
    it(`${demo.username}（${demo.roleName}）logs in, sees exactly the ${demo.role} menu and their name, logs out`, async () => {
      const { context, page } = await newPage(browser, baseUrl);
      try {
        await loginThroughPage(page, demo.username);
        expect(new URL(page.url()).pathname).toBe('/workspace');

        // Who the server says is logged in is who the page shows.
        const me = (await page.evaluate(async () => (await fetch('/api/auth/me')).json())) as {
          displayName: string;
          roles: string[];
          organization: { name: string | null } | null;
        };
        expect(me.roles).toEqual([demo.role]);
        await expect.poll(() => page.getByTestId('current-user-name').textContent()).toBe(me.displayName);
        expect(await page.getByTestId('current-user-role').allTextContents()).toEqual([demo.roleName]);
        if (me.organization?.name) {
          expect(await page.getByTestId('current-user').textContent()).toContain(me.organization.name);
        }

        const menu = (await page.getByTestId('menu-item').allTextContents()).map((t) => t.trim());
        expect(menu).toEqual([...demo.menu]);

        await page.getByRole('button', { name: '退出登录' }).click();
        await page.waitForURL((url) => url.pathname === '/login');
        // The session really ended on the server.
        const status = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
        expect(status).toBe(401);
        expect(pageErrors(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('a wrong password shows 用户名或密码错误 and stays on /login', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/login');
      await page.getByLabel('用户名').fill('admin');
      await page.getByLabel('密码', { exact: true }).fill('Wrong@2026x');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      const error = page.getByTestId('login-error');
      await error.waitFor();
      expect(await error.textContent()).toContain('用户名或密码错误');
      expect(new URL(page.url()).pathname).toBe('/login');
      // The password field is cleared for the next try, the username kept.
      expect(await page.getByLabel('用户名').inputValue()).toBe('admin');
      expect(await page.getByLabel('密码', { exact: true }).inputValue()).toBe('');
    } finally {
      await context.close();
    }
  });

  it('/workspace without login redirects to /login with the way back', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/workspace/accounts');
      await page.waitForURL((url) => url.pathname === '/login');
      const url = new URL(page.url());
      expect(url.searchParams.get('redirect')).toBe('/workspace/accounts');

      // After logging in, the person lands where they wanted to go.
      await page.getByLabel('用户名').fill('admin');
      await page.getByLabel('密码', { exact: true }).fill('Ggzy@2026');
      await page.getByLabel('密码', { exact: true }).press('Enter');
      await page.waitForURL((u) => u.pathname === '/workspace/accounts');
    } finally {
      await context.close();
    }
  });

  it('/workspace itself without login redirects to /login', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/workspace');
      await page.waitForURL((url) => url.pathname === '/login');
      expect(new URL(page.url()).searchParams.get('redirect')).toBe('/workspace');
      await page.getByRole('heading', { name: '用户登录' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('a page not yet built says so plainly, with no made-up data', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'shenji');
      await page.getByRole('link', { name: '归档查阅' }).first().click();
      await page.waitForURL((url) => url.pathname === '/workspace/archives');
      expect(await page.getByTestId('under-construction').textContent()).toContain('该功能正在建设中');
    } finally {
      await context.close();
    }
  });
});
