/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its globals.
/**
 * 交易公告 in the browser (§16): the public list (no login) finds the demo's published 招标公告 by a Chinese
 * keyword, its detail shows the SM3 hash and the platform's signature, and text that looks like markup —
 * the demo body contains `<script>alert(1)</script>` — is shown as the characters it is, never run. The
 * hash copied from the detail verifies on the 核验公告 page. axe finds nothing on the list and the detail.
 *
 * Demo data assumed (src/seed/demo.ts): a published 招标公告 whose title contains 教学楼 and whose body
 * contains the literal text `<script>alert(1)</script>`.
 */
import type { Browser, Page } from 'playwright-core';
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

const SCRIPT_TEXT = '<script>alert(1)</script>';

/** Any dialog (alert, confirm) would mean script from the announcement ran. */
function watchDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (dialog) => {
    seen.push(dialog.message());
    void dialog.dismiss();
  });
  return seen;
}

async function noSkeleton(page: Page) {
  await page.waitForFunction(() => !document.querySelector('.el-skeleton'));
}

describe('交易公告 (public)', () => {
  it('lists published announcements and finds the demo tender by a Chinese keyword', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    const dialogs = watchDialogs(page);
    try {
      await page.goto('/');
      await page.getByTestId('portal-announcements-link').click();
      await page.waitForURL((url) => url.pathname === '/announcements');
      await page.getByRole('heading', { name: '交易公告', level: 1 }).waitFor();
      await page.getByTestId('announcement-item').first().waitFor();
      await noSkeleton(page);
      expect(await axeViolations(page)).toEqual([]);

      await page.getByLabel('关键词').fill('教学楼');
      await page.getByLabel('关键词').press('Enter');
      await page.waitForURL((url) => url.searchParams.get('q') === '教学楼');
      const hit = page.getByTestId('announcement-link').filter({ hasText: '教学楼' }).first();
      await hit.waitFor();
      // Every row the search shows is about 教学楼 somewhere (title, project, lot or body).
      expect(await page.getByTestId('announcement-item').count()).toBeGreaterThan(0);
      await screenshot(page, 'announcements-list');

      // A word that occurs nowhere finds nothing, and says so.
      await page.getByLabel('关键词').fill('不存在的词语绝无此项');
      await page.getByRole('button', { name: '查询', exact: true }).click();
      await page.getByTestId('no-announcements').waitFor();

      expect(dialogs).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the detail with hash and signature, and markup in the text as plain text', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    const dialogs = watchDialogs(page);
    try {
      await page.goto('/announcements?q=%E6%95%99%E5%AD%A6%E6%A5%BC');
      const link = page.getByTestId('announcement-link').filter({ hasText: '教学楼' }).first();
      await link.click();
      await page.waitForURL(
        (url) => /^\/announcements\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/verify'),
      );
      const detail = page.getByTestId('announcement-detail');
      await detail.waitFor();
      expect(await page.getByTestId('announcement-title').textContent()).toContain('教学楼');
      expect((await page.getByTestId('announcement-kind').textContent())?.trim()).toBe('招标公告');

      // The body is text: the script tag is shown as characters, and no element was made of it.
      const body = page.getByTestId('announcement-body');
      expect(await body.textContent()).toContain(SCRIPT_TEXT);
      expect(await body.locator('script').count()).toBe(0);
      expect(await page.evaluate(() => document.querySelectorAll('main script').length)).toBe(0);
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a person reads
      expect(await body.innerText()).toContain(SCRIPT_TEXT);

      // The timeline is in Beijing time.
      const timeline = page.getByTestId('announcement-timeline');
      expect(await timeline.textContent()).toContain('投标截止');
      expect(await timeline.textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

      // Hash and signature, as the API gives them.
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      const api = (await page.evaluate(
        async (announcementId) =>
          (await fetch(`/api/public/announcements/${encodeURIComponent(announcementId)}`)).json(),
        id,
      )) as { contentSm3: string; signature: string; body: string };
      expect(api.body).toContain(SCRIPT_TEXT);
      expect(api.contentSm3).toMatch(/^[0-9a-f]{64}$/);
      expect(await page.getByTestId('announcement-sm3').textContent()).toContain(api.contentSm3);
      expect((await page.getByTestId('announcement-signature').textContent())?.trim()).toBe(api.signature);

      await noSkeleton(page);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'announcement-detail');

      // 核验公告: the hash of the original verifies.
      await page.getByRole('link', { name: '核验公告副本' }).click();
      await page.waitForURL((url) => url.pathname === '/announcements/verify');
      expect(await page.getByLabel('SM3 摘要', { exact: true }).inputValue()).toBe(api.contentSm3);
      await page.getByTestId('verify-submit').click();
      expect((await page.getByTestId('verify-verdict').textContent())?.trim()).toBe('与平台发布的公告一致');
      expect(await axeViolations(page)).toEqual([]);

      // A copy whose text was altered does not.
      await page.getByRole('radio', { name: '粘贴公告文字' }).check({ force: true });
      await page.getByLabel('公告文字', { exact: true }).fill(`${api.body}（本段为他人添加）`);
      await page.getByTestId('verify-submit').click();
      await expect
        .poll(async () => (await page.getByTestId('verify-verdict').textContent())?.trim())
        .toBe('未找到一致的已发布公告');

      expect(dialogs).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an unknown announcement says so plainly', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/announcements/00000000-0000-0000-0000-000000000000');
      await page.getByTestId('announcement-not-found').waitFor();
      expect(await page.getByTestId('announcement-not-found').textContent()).toContain(
        '公告不存在或尚未发布',
      );
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
