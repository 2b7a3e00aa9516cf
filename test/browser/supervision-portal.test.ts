/**
 * 监督公开: the public pages of the supervision system open from the header without a login, load without
 * script errors, and axe finds nothing on them.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations, launchBrowser, newPage, pageErrors } from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const SECTIONS = [
  { title: '信用信息', path: '/credit' },
  { title: '投诉处理决定', path: '/complaint-decisions' },
  { title: '双随机抽查结果', path: '/spot-checks' },
  { title: '权责清单与服务事项清单', path: '/duty-lists' },
  { title: '平台服务评价', path: '/service-ratings' },
] as const;

describe('监督公开 (public supervision results)', () => {
  for (const { title, path } of SECTIONS) {
    it(`the public opens ${title} from 监督公开`, async () => {
      const { context, page } = await newPage(browser, baseUrl);
      try {
        await page.goto('/');
        await page.getByRole('link', { name: '监督公开' }).first().click();
        await page.waitForURL((url) => url.pathname === '/supervision');
        await page.getByRole('link', { name: title }).first().click();
        await page.waitForURL((url) => url.pathname === path);
        await page.locator('.panel').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect(pageErrors(page)).toEqual([]);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
