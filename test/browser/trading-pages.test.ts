/**
 * The evaluation, award and contract pages as each role first opens them (nothing to evaluate or award
 * yet on the demo data): they load without script errors, say plainly that there is nothing yet, and axe
 * finds nothing. The whole tender through these pages is test/browser/tender-e2e.test.ts.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { axeViolations, launchBrowser, loginThroughPage, newPage, pageErrors } from './support.ts';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const PAGES = [
  { username: 'daili', menu: '评标组织', path: '/workspace/evaluation' },
  { username: 'daili', menu: '定标', path: '/workspace/awards' },
  { username: 'zhaobiao', menu: '合同管理', path: '/workspace/contracts' },
  { username: 'zhaobiao', menu: '评标任务', path: '/workspace/evaluation-tasks' },
  { username: 'zhuanjia', menu: '评标任务', path: '/workspace/evaluation-tasks' },
  { username: 'toubiao1', menu: '评标澄清与结果', path: '/workspace/my-results' },
  { username: 'toubiao1', menu: '合同管理', path: '/workspace/contracts' },
  { username: 'admin', menu: '任务队列', path: '/workspace/jobs' },
  { username: 'admin', menu: '数据推送', path: '/workspace/open-data-push' },
  { username: 'admin', menu: '第三方系统接入', path: '/workspace/interfaces' },
  // 电子监管系统 supervision system
  // The live feed holds a long poll open: the network never idles there.
  { username: 'jiandu', menu: '实时监督', path: '/workspace/live-supervision', longPoll: true },
  { username: 'jiandu', menu: '现场管理', path: '/workspace/site-violations' },
  { username: 'admin', menu: '现场管理', path: '/workspace/site-violations' },
  { username: 'jiandu', menu: '投诉处理', path: '/workspace/complaints' },
  { username: 'toubiao1', menu: '质疑投诉', path: '/workspace/my-complaints' },
  { username: 'zhaobiao', menu: '投诉答复', path: '/workspace/complaint-responses' },
  { username: 'jiandu', menu: '预警信息', path: '/workspace/warnings' },
  { username: 'jiandu', menu: '预警规则', path: '/workspace/risk-rules' },
  { username: 'jiandu', menu: '信用管理', path: '/workspace/credit' },
  { username: 'admin', menu: '信用管理', path: '/workspace/credit' },
  { username: 'jiandu', menu: '双随机抽查', path: '/workspace/spot-checks' },
  { username: 'zhuanjia', menu: '评价', path: '/workspace/ratings' },
  { username: 'jiandu', menu: '评价', path: '/workspace/ratings' },
  { username: 'admin', menu: '监管范围', path: '/workspace/supervisor-scopes' },
  { username: 'admin', menu: '权责清单', path: '/workspace/duty-lists' },
] as const;

describe('评标、定标、合同 and supervision pages on first opening', () => {
  for (const entry of PAGES) {
    const { username, menu, path } = entry;
    const longPoll = 'longPoll' in entry && entry.longPoll;
    it(`${username} opens ${menu}: it loads, has no script error and no axe violation`, async () => {
      const { context, page } = await newPage(browser, baseUrl);
      try {
        await loginThroughPage(page, username);
        const lotsLoaded = longPoll
          ? page.waitForResponse((r) => r.url().includes('/api/supervision/live/lots'))
          : null;
        await page.getByRole('link', { name: menu }).first().click();
        await page.waitForURL((url) => url.pathname === path);
        await page.locator('.panel').first().waitFor();
        if (lotsLoaded) await lotsLoaded;
        else await page.waitForLoadState('networkidle');
        expect(await page.getByTestId('under-construction').count()).toBe(0);
        expect(pageErrors(page)).toEqual([]);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
