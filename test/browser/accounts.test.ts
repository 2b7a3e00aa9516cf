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

describe('账号管理', () => {
  it('the operator creates an account and sees it in the table; the new account can log in', async () => {
    const username = `e2e_${Date.now().toString(36)}`;
    const displayName = `测试用户${username.slice(-4)}`;
    const password = 'Test@2026ok';

    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'admin');
      await page.getByRole('link', { name: '账号管理' }).first().click();
      await page.waitForURL((url) => url.pathname === '/workspace/accounts');
      const table = page.getByTestId('accounts-table');
      await table.getByText('admin', { exact: true }).waitFor();

      await page.getByRole('button', { name: '新建账号' }).click();
      const dialog = page.getByRole('dialog', { name: '新建账号' });
      await dialog.waitFor();
      await dialog.getByLabel('用户名').fill(username);
      await dialog.getByLabel('姓名/名称').fill(displayName);
      await dialog.getByLabel('初始密码').fill(password);
      // Element Plus hides the native checkbox under its drawn box: click the label, as a person does.
      await dialog.locator('label.el-checkbox', { hasText: '投标人' }).click();
      expect(await dialog.getByRole('checkbox', { name: '投标人' }).isChecked()).toBe(true);
      await screenshot(page, 'accounts-dialog');
      await dialog.getByRole('button', { name: '创建' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const row = table.locator('tr', { hasText: username });
      await row.first().waitFor();
      const rowText = await row.first().textContent();
      expect(rowText).toContain(displayName);
      expect(rowText).toContain('投标人');
      expect(rowText).toContain('正常');
      await screenshot(page, 'accounts');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }

    // The account exists for real: it logs in and sees the responder's menu.
    const second = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(second.page, username, password);
      expect(await second.page.getByTestId('current-user-name').textContent()).toBe(displayName);
      expect(await second.page.getByTestId('menu-item').allTextContents()).toContain('我的投标');
    } finally {
      await second.context.close();
    }
  });

  it('a rejected account shows the server’s reason', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'admin');
      await page.goto('/workspace/accounts');
      await page.getByRole('button', { name: '新建账号' }).click();
      const dialog = page.getByRole('dialog', { name: '新建账号' });
      await dialog.getByLabel('用户名').fill('admin'); // taken by the demo operator
      await dialog.getByLabel('姓名/名称').fill('重复的用户名');
      await dialog.getByLabel('初始密码').fill('Test@2026ok');
      await dialog.locator('label.el-checkbox', { hasText: '审计' }).click();
      await dialog.getByRole('button', { name: '创建' }).click();
      const message = page.locator('.el-message--error');
      await message.waitFor();
      expect(await message.textContent()).toContain('用户名已被使用');
      expect(await dialog.isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});
