/// <reference lib="dom" />
/**
 * 场地预约 (§15): the school (zhaobiao) picks its seeded lot, sees the opening time and the opening room the
 * seed booked, books an isolated evaluation room (§14) for the opening day, and is refused — with the
 * conflicting time and the rule — when it asks for the same room at the same time for its other lot.
 * The test cancels its booking with a reason at the end, so the room is free again. axe finds nothing.
 *
 * Demo data assumed (src/seed/demo-trading.ts): 呼和浩特市示范第一中学教学楼建设工程 lot 1 published, with
 * KB-01 booked from its opening time; 呼和浩特市示范第一中学实验室设备采购 received, both zhaobiao's.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  animationsDone,
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

/** Chooses a project by name and its first lot, and waits for the lot's bookings to load. */
async function pickLot(page: Page, projectName: string) {
  await page.getByTestId('pick-project').click();
  await page.getByRole('option', { name: new RegExp(projectName) }).click();
  await animationsDone(page);
  await page.getByTestId('pick-lot').click();
  // The lot select's own list (the project select's list stays in the page, hidden).
  const listbox = await page.locator('#lot-picker-lot').getAttribute('aria-controls');
  await page.locator(`[id="${listbox}"]`).getByRole('option').first().click();
  await page.getByTestId('lot-bookings').waitFor();
  await page.waitForFunction(() => !document.querySelector('.el-loading-mask, .is-loading'));
}

/** The shown lot's active booking of the first evaluation room. */
function evaluationBooked(page: Page): Locator {
  return page
    .getByTestId('lot-bookings')
    .locator('.el-table__row', { hasText: '第一评标室' })
    .filter({ hasText: '已预约' });
}

/** Cancels the shown lot's evaluation booking through its dialog, with a reason; it stays listed, 已取消. */
async function cancelEvaluation(page: Page, reason: string): Promise<Locator> {
  await evaluationBooked(page).getByTestId('cancel-booking').click();
  await page.getByLabel('取消原因').fill(reason);
  await animationsDone(page);
  await page.getByTestId('cancel-confirm').click();
  const cancelled = page.getByTestId('lot-bookings').locator('.el-table__row', { hasText: reason });
  await cancelled.waitFor();
  await expect.poll(() => evaluationBooked(page).count()).toBe(0);
  return cancelled;
}

/** Fills the booking form for an evaluation room and submits it. */
async function bookEvaluation(page: Page, room: string, startsAt: string, endsAt: string) {
  await page.getByTestId('book-purpose').getByText('评标（评标室，隔离）').click();
  await page.getByRole('button', { name: `选用 ${room}` }).click();
  await page.getByLabel('开始时间（北京时间）').fill(startsAt);
  await page.getByLabel('结束时间（北京时间）').fill(endsAt);
  await page.getByLabel('备注（选填）').fill('浏览器测试：评标');
}

describe('场地预约', () => {
  it('the initiator books an isolated evaluation room for its lot, and the same room and time is refused for another lot', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'zhaobiao');
      await page.getByTestId('workspace-menu').getByRole('link', { name: '场地预约' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/venue-bookings');
      await page.getByRole('heading', { name: '场地及占用情况' }).waitFor();

      // The seeded lot: its opening time, and the opening room booked from then (shown as its own).
      await pickLot(page, '教学楼建设工程');
      const opening = (await page.getByTestId('venue-opening-at').textContent())?.trim() ?? '';
      expect(opening).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      const openingDay = opening.slice(0, 10);
      const seeded = page.getByTestId('lot-bookings').locator('.el-table__row', { hasText: '第一开标室' });
      await seeded.waitFor();
      expect(await seeded.textContent()).toContain(opening);
      await expect.poll(() => page.getByTestId('busy-KB-01').textContent()).toContain('本标段');
      // Evaluation rooms are said to be isolated (§14).
      const rooms = page.getByTestId('venue-rooms');
      expect(await rooms.textContent()).toContain('第十四条');
      expect(await rooms.locator('.el-table__row', { hasText: '第一评标室' }).textContent()).toContain(
        '隔离评审区',
      );
      // A run against a long-lived server may find its own earlier booking: release it first.
      if ((await evaluationBooked(page).count()) > 0) {
        await cancelEvaluation(page, '浏览器测试重跑，释放上次的预约');
      }
      expect(await axeViolations(page)).toEqual([]);

      // Book the first evaluation room on the opening day, in the afternoon.
      const startsAt = `${openingDay}T14:00`;
      const endsAt = `${openingDay}T18:00`;
      await bookEvaluation(page, '第一评标室', startsAt, endsAt);
      await page.getByTestId('book-submit').click();
      const booked = evaluationBooked(page);
      await booked.waitFor();
      expect(await booked.textContent()).toContain(`${openingDay} 14:00–18:00`);
      expect(await booked.textContent()).toContain('已预约');
      await expect.poll(() => page.getByTestId('busy-PB-01').textContent()).toContain('14:00–18:00');
      await screenshot(page, 'venue-booking');

      // The same room at the same time for the school's other lot: the page warns, the server refuses.
      await pickLot(page, '实验室设备采购');
      await bookEvaluation(page, '第一评标室', startsAt, `${openingDay}T16:00`);
      await page.getByTestId('book-clash').waitFor();
      await page.getByTestId('book-submit').click();
      const refused = page.getByTestId('book-refused');
      await refused.waitFor();
      const text = (await refused.textContent()) ?? '';
      expect(text).toContain('场地在该时段已被预约');
      // It names the booking it collides with: 14:00 to 18:00 on that day.
      expect(text).toMatch(/14:00（北京时间） 至 \d{4}年\d{2}月\d{2}日 18:00（北京时间） 已有预约/);
      expect(text).toContain('第十五条');
      expect(
        await page.getByTestId('lot-bookings').locator('.el-table__row', { hasText: '第一评标室' }).count(),
      ).toBe(0);
      // The refusal fades in and the booking's toast (el-message) fades out: check contrast once both settle.
      await expect.poll(() => page.locator('.el-message').count(), { timeout: 10_000 }).toBe(0);
      await animationsDone(page);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'venue-booking-refused');

      // Back to the seeded lot: cancel the evaluation booking, with a reason.
      await pickLot(page, '教学楼建设工程');
      await evaluationBooked(page).waitFor();
      const cancelled = await cancelEvaluation(page, '浏览器测试结束，释放场地');
      expect(await cancelled.textContent()).toContain('已取消');

      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
