/// <reference lib="dom" />
/**
 * 评标专家库 in the browser: a person applies on the portal (面向社会公开征集), signs in and sees the
 * application 待审核; the regulator (jiandu) admits it in 专家库 → 入库申请; the new expert then sees the
 * profile with its 专家编号 and keeps the phone up to date (shown masked only). The demo expert zhuanjia
 * sees its own record. The tests run in order and share the applicant.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { idNumberCheckCharacter } from '../../src/service/entities/id-card.ts';
import {
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

const suffix = Date.now().toString(36).slice(-6);
const idBody = `15010219750315${String(Math.floor(Math.random() * 900) + 100)}`;
const applicant = {
  name: `高志远${suffix.slice(-2)}`,
  idNumber: idBody + idNumberCheckCharacter(idBody),
  phone: '13947100001',
  username: `zj_${suffix}`,
  password: 'Expert@2026ok',
};

async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** A specialty option shows its name and its code. */
async function chooseSpecialty(page: Page, label: string, name: string, code: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: new RegExp(`^${name}\\s*${code}$`) }).click();
}

async function menuOf(page: Page): Promise<string[]> {
  return (await page.getByTestId('menu-item').allTextContents()).map((t) => t.trim());
}

describe('评标专家入库申请 → 行政监督部门准予入库 → 专家信息', () => {
  it('the portal links to the application; a person applies with specialties from the national table', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/');
      await page.getByTestId('portal-expert-apply').click();
      await page.waitForURL((url) => url.pathname === '/experts/apply');
      await page.getByRole('heading', { name: '评标专家入库申请', level: 1 }).waitFor();

      const form = page.getByTestId('expert-apply-form');
      await form.getByLabel('姓名', { exact: true }).fill(applicant.name);
      await form.getByLabel('居民身份证号').fill(applicant.idNumber);
      await form.getByLabel('联系电话（手机）').fill(applicant.phone);
      await form.getByLabel('学历').fill('硕士研究生');
      await form.getByLabel('工作单位', { exact: true }).fill('内蒙古某某建筑设计院有限公司');
      await form.getByLabel('职称', { exact: true }).fill('高级工程师');
      await choose(page, '所在地区：省级', '内蒙古自治区');
      await choose(page, '所在地区：盟市', '呼和浩特市');
      await choose(page, '所在地区：旗县区', '新城区');
      // One labelled select per level of the national table: 工程 → 工程施工 → 房屋建筑工程 → 土建.
      await chooseSpecialty(page, '主专业：大类', '工程', 'A');
      await chooseSpecialty(page, '主专业：一级', '工程施工', 'A08');
      await chooseSpecialty(page, '主专业：二级', '房屋建筑工程', 'A0801');
      await chooseSpecialty(page, '主专业：三级', '土建', 'A080101');
      await form.getByLabel('用户名').fill(applicant.username);
      await form.getByLabel('密码', { exact: true }).fill(applicant.password);
      await form.getByLabel('确认密码').fill(applicant.password);
      await screenshot(page, 'expert-apply');
      expect(await axeViolations(page)).toEqual([]);

      await page.getByTestId('expert-apply-submit').click();
      const done = page.getByTestId('expert-apply-done');
      await done.waitFor();
      const text = (await done.textContent()) ?? '';
      expect(text).toContain('等待行政监督部门审核');
      expect(text).not.toContain(applicant.idNumber);
      expect(text).toContain(`${applicant.idNumber.slice(0, 4)}**********${applicant.idNumber.slice(-4)}`);
      expect(await page.getByTestId('expert-apply-username').textContent()).toBe(applicant.username);
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the applicant signs in and sees the application 待审核, not an expert profile', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, applicant.username, applicant.password);
      expect(await menuOf(page)).toEqual(['工作台首页', '专家信息', '抽取通知', '评标任务', '评价']);
      await page.getByTestId('workspace-menu').getByRole('link', { name: '专家信息' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/expert-profile');
      const status = page.getByTestId('expert-application-status');
      await status.waitFor();
      expect(await status.textContent()).toContain('待审核');
      expect(await status.textContent()).toContain('工程 / 工程施工 / 房屋建筑工程 / 土建');
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the regulator admits the application in 专家库 → 入库申请', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'jiandu');
      await page.getByTestId('workspace-menu').getByRole('link', { name: '专家库' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/expert-pool');
      // The demo pool is there, searchable.
      await expect
        .poll(() => page.getByTestId('expert-pool-table').locator('tbody tr').count())
        .toBeGreaterThan(5);
      expect(await axeViolations(page)).toEqual([]);

      await page.getByRole('tab', { name: '入库申请' }).click();
      const row = page.getByTestId('expert-applications-table').locator('tr', { hasText: applicant.name });
      await row.waitFor();
      await row.getByTestId('expert-admit').click();
      await page.getByLabel('审核意见（选填）').fill('材料齐全，符合入库条件');
      await page.getByTestId('expert-decision-save').click();
      await page.locator('.el-message--success', { hasText: '已准予入库' }).waitFor();
      await screenshot(page, 'expert-pool-admitted');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the new expert sees the profile with its 专家编号 and changes the phone (shown masked)', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, applicant.username, applicant.password);
      await page.goto('/workspace/expert-profile');
      const profile = page.getByTestId('expert-profile');
      await profile.waitFor();
      expect(await page.getByTestId('expert-code').textContent()).toMatch(/^ZJ15\d{6,}$/);
      expect(await page.getByTestId('expert-phone').textContent()).toBe('139****0001');
      expect(await page.locator('main').textContent()).not.toContain(applicant.idNumber);

      await page.getByTestId('expert-profile-edit').click();
      await page.getByLabel('新的联系电话（不修改请留空）').fill('13847100002');
      await page.getByTestId('expert-profile-save').click();
      await expect.poll(() => page.getByTestId('expert-phone').textContent()).toBe('138****0002');
      await screenshot(page, 'expert-profile');
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the demo expert zhuanjia sees the own record, calendar and relationships', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'zhuanjia');
      await page.getByTestId('workspace-menu').getByRole('link', { name: '专家信息' }).click();
      const profile = page.getByTestId('expert-profile');
      await profile.waitFor();
      expect(await profile.textContent()).toContain('吴华');
      expect(await page.getByTestId('expert-calendar-row').count()).toBe(1);
      await page.getByTestId('expert-relationships').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
