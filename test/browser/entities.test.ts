/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser and use its globals.
/**
 * 市场主体 in the browser: a legal person registers through the public form, its new account signs in
 * and sees 我的单位 待受理, the trading centre accepts it in 市场主体受理, the public finds it in 主体查询;
 * a wrong credit code is explained on its field; a returned registration is corrected (without retyping
 * the ID number, which is never shown) and resubmitted. The tests run in order and share the registrant.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CREDIT_CODE_CHARSET, composeCreditCode } from '../../src/service/entities/credit-code.ts';
import { idNumberCheckCharacter } from '../../src/service/entities/id-card.ts';
import {
  axeViolations,
  DEMO_ROLES,
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

/** A valid 统一社会信用代码 (GB 32100): 9 工商 · 1 企业, registered in 呼和浩特市新城区, a random 组织机构代码. */
function newCreditCode(): string {
  let body = '';
  for (let i = 0; i < 8; i++)
    body += CREDIT_CODE_CHARSET[Math.floor(Math.random() * CREDIT_CODE_CHARSET.length)];
  return composeCreditCode({ authority: '9', category: '1', regionCode: '150102', organizationBody: body });
}

/** A valid 居民身份证号 (GB 11643): born 1980-01-01 in 新城区. */
function newIdNumber(): string {
  const body = `15010219800101${String(Math.floor(Math.random() * 900) + 100)}`;
  return body + idNumberCheckCharacter(body);
}

interface Registrant {
  name: string;
  creditCode: string;
  representative: string;
  idNumber: string;
  accountNumber: string;
  username: string;
  displayName: string;
  password: string;
}

function newRegistrant(tag: string): Registrant {
  return {
    name: `呼和浩特市${tag}建设工程有限公司${suffix}`,
    creditCode: newCreditCode(),
    representative: '张建国',
    idNumber: newIdNumber(),
    accountNumber: `6222${String(Date.now()).slice(-12)}`,
    username: `reg_${tag === '青城' ? 'a' : 'b'}_${suffix}`,
    displayName: '刘芳',
    password: 'Reg@2026ok',
  };
}

/** Element Plus draws its own select: open it, pick the option by its text, as a person does. */
async function choose(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function fillRegistration(page: Page, r: Registrant) {
  const form = page.getByTestId('registration-form');
  await form.getByLabel('主体名称').fill(r.name);
  await form.getByLabel('统一社会信用代码').fill(r.creditCode);
  await form.getByLabel('注册资本（万元）').fill('5000');
  await form.getByLabel('营业执照有效期自').fill('2015-06-01');
  await form.getByLabel('法定代表人姓名').fill(r.representative);
  await form.getByLabel('法定代表人证件号码').fill(r.idNumber);
  await choose(page, '所在地区：省级', '内蒙古自治区');
  await choose(page, '所在地区：盟市', '呼和浩特市');
  await choose(page, '所在地区：旗县区', '新城区');
  await form.getByLabel('详细地址').fill('呼和浩特市新城区新华大街 1 号');
  await form.getByLabel('邮政编码').fill('010010');
  await form.getByLabel('联系人', { exact: true }).fill('刘芳');
  await form.getByLabel('联系电话').fill('0471-6900000');
  await form.getByLabel('开户银行', { exact: true }).fill('中国工商银行呼和浩特新华支行');
  await form.getByLabel('银行账号').fill(r.accountNumber);
  await form.getByLabel('账户名称').fill(r.name);
  await form.locator('label.el-checkbox', { hasText: /^投标人$/ }).click();
  expect(await form.getByRole('checkbox', { name: '投标人', exact: true }).isChecked()).toBe(true);

  // Two certificates: one long-term, one that ran out in 2020 (shown 已过期 later).
  await page.getByTestId('add-qualification').click();
  await form.getByLabel('第1项资质类别').fill('建筑业企业资质');
  await form.getByLabel('第1项资质名称').fill('建筑工程施工总承包');
  await form.getByLabel('第1项资质等级').fill('一级');
  await form.getByLabel('第1项证书编号').fill(`D1150${suffix}`);
  await form.getByLabel('第1项发证机关').fill('内蒙古自治区住房和城乡建设厅');
  await form
    .getByTestId('qualification-row')
    .nth(0)
    .locator('label.el-checkbox', { hasText: '长期有效' })
    .click();
  await page.getByTestId('add-qualification').click();
  await form.getByLabel('第2项资质类别').fill('安全生产许可证');
  await form.getByLabel('第2项资质名称').fill('建筑施工安全生产许可');
  await form.getByLabel('第2项证书编号').fill(`(蒙)JZ安许证字[2017]${suffix}`);
  await form.getByLabel('第2项发证机关').fill('内蒙古自治区住房和城乡建设厅');
  await form.getByLabel('第2项有效期自').fill('2017-01-01');
  await form.getByLabel('第2项有效期至').fill('2020-12-31');

  await form.getByLabel('用户名').fill(r.username);
  await form.getByLabel('姓名', { exact: true }).fill(r.displayName);
  await form.getByLabel('密码', { exact: true }).fill(r.password);
  await form.getByLabel('确认密码').fill(r.password);
}

/** The menu the account sees, as text. */
async function menuOf(page: Page): Promise<string[]> {
  return (await page.getByTestId('menu-item').allTextContents()).map((t) => t.trim());
}

const first = newRegistrant('青城');

describe('市场主体注册 → 受理 → 公开查询', () => {
  it('the portal and the login page link to 市场主体注册; a legal person registers through the form', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/login');
      await page.getByTestId('register-link').click();
      await page.waitForURL((url) => url.pathname === '/register');
      await page.goto('/');
      await page.getByTestId('portal-register').click();
      await page.waitForURL((url) => url.pathname === '/register');
      await page.getByRole('heading', { name: '市场主体注册', level: 1 }).waitFor();
      expect(await axeViolations(page)).toEqual([]);

      await fillRegistration(page, first);
      await screenshot(page, 'entity-register');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByTestId('registration-submit').click();

      const done = page.getByTestId('registration-done');
      await done.waitFor();
      const text = (await done.textContent()) ?? '';
      expect(text).toContain('等待交易中心受理');
      expect(text).toContain('账号现在即可登录');
      expect(text).toContain(first.name);
      expect(text).toContain(first.creditCode);
      expect(await page.getByTestId('done-username').textContent()).toBe(first.username);
      await screenshot(page, 'entity-register-done');
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the new account signs in without platform roles and sees 我的单位 待受理', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, first.username, first.password);
      expect(await menuOf(page)).toEqual(['工作台首页', '我的单位']);
      await page.getByTestId('no-roles-notice').waitFor();

      await page.getByTestId('workspace-menu').getByRole('link', { name: '我的单位' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/my-entity');
      const status = page.getByTestId('status-tag');
      await status.waitFor();
      expect((await status.textContent())?.trim()).toBe('待受理');
      expect(await page.getByTestId('entity-name').textContent()).toBe(first.name);
      // ID numbers are masked everywhere, also to the entity itself.
      const body = (await page.locator('main').textContent()) ?? '';
      expect(body).not.toContain(first.idNumber);
      expect(body).toContain(`${first.idNumber.slice(0, 4)}**********${first.idNumber.slice(-4)}`);
      // The certificate that ran out in 2020 says so.
      const expired = page
        .getByTestId('qualifications-table')
        .locator('tr', { hasText: '建筑施工安全生产许可' });
      expect(await expired.getByTestId('expired-tag').textContent()).toContain('已过期');
      expect(
        await page
          .getByTestId('qualifications-table')
          .locator('tr', { hasText: '建筑工程施工总承包' })
          .textContent(),
      ).not.toContain('已过期');
      // Version 1 is in the history; the administrator may manage accounts once accepted.
      await expect.poll(() => page.getByTestId('versions-table').textContent()).toContain('首次登记');
      expect(await page.getByTestId('create-org-account').isDisabled()).toBe(true);
      await page.waitForFunction(() => !document.querySelector('.el-skeleton, .el-loading-mask'));
      await screenshot(page, 'my-entity-submitted');
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the operator accepts it in 市场主体受理, and the registrant then holds the entity’s roles', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'admin');
      await page.getByTestId('workspace-menu').getByRole('link', { name: '市场主体受理' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/entities');
      const table = page.getByTestId('entities-table');
      const row = table.locator('tr', { hasText: first.name });
      await row.first().waitFor();
      expect(await row.first().textContent()).toContain('待受理');
      await screenshot(page, 'entity-review-queue');
      expect(await axeViolations(page)).toEqual([]);

      await row
        .first()
        .getByRole('button', { name: `查看 ${first.name}` })
        .click();
      const drawer = page.getByRole('dialog', { name: '市场主体登记详情' });
      await drawer.getByTestId('entity-name').waitFor();
      expect(await drawer.getByTestId('entity-name').textContent()).toBe(first.name);
      expect(await drawer.textContent()).toContain(first.creditCode);
      expect(await drawer.getByTestId('versions-table').textContent()).toContain('第 1 版');
      await screenshot(page, 'entity-review-drawer');
      expect(await axeViolations(page)).toEqual([]);

      await drawer.getByTestId('accept-entity').click();
      const confirm = page.locator('.el-message-box');
      await confirm.waitFor();
      expect(await confirm.textContent()).toContain('第 1 版');
      await confirm.getByRole('button', { name: '受理' }).click();
      await page.locator('.el-message--success', { hasText: `已受理：${first.name}` }).waitFor();
      await expect
        .poll(async () => (await drawer.getByTestId('drawer-status').textContent())?.trim())
        .toBe('已受理');
      // Gone from the queue of 待受理.
      await expect.poll(() => table.locator('tr', { hasText: first.name }).count()).toBe(0);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }

    const again = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(again.page, first.username, first.password);
      expect(await again.page.getByTestId('current-user-role').allTextContents()).toEqual(['投标人']);
      expect(await menuOf(again.page)).toEqual([...DEMO_ROLES.find((r) => r.role === 'responder')!.menu]);
      const page = again.page;
      await page.goto('/workspace/my-entity');
      await expect
        .poll(async () => (await page.getByTestId('status-tag').textContent())?.trim())
        .toBe('已受理');

      // The administrator adds a certificate …
      await page.getByTestId('add-qualification').click();
      const qualification = page.getByRole('dialog', { name: '新增资质' });
      await qualification.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await qualification.getByLabel('资质类别').fill('质量管理体系认证');
      await qualification.getByLabel('资质名称').fill('ISO 9001');
      await qualification.getByLabel('证书编号').fill(`Q${suffix}`);
      await qualification.getByLabel('发证机关').fill('中国质量认证中心');
      await qualification.getByLabel('有效期至').fill('2099-12-31');
      await qualification.getByRole('button', { name: '保存' }).click();
      await page.locator('.el-message--success', { hasText: '已新增资质' }).waitFor();
      await page.getByTestId('qualifications-table').locator('tr', { hasText: 'ISO 9001' }).waitFor();
      await expect.poll(() => page.getByTestId('versions-table').textContent()).toContain('新增资质');

      // … creates a colleague's account with a role the entity holds, and disables it again.
      const colleague = `${first.username}_2`;
      await page.getByTestId('create-org-account').click();
      const dialog = page.getByRole('dialog', { name: '新建本单位账号' });
      await dialog.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await dialog.getByLabel('用户名').fill(colleague);
      await dialog.getByLabel('姓名').fill('王磊');
      await dialog.getByLabel('初始密码').fill('Staff@2026ok');
      // Only the platform role the entity holds is offered.
      expect(await dialog.locator('label.el-checkbox').allTextContents()).toEqual(['投标人']);
      await dialog.locator('label.el-checkbox', { hasText: '投标人' }).click();
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.locator('.el-message--success', { hasText: `已创建账号 ${colleague}` }).waitFor();
      const accounts = page.getByTestId('org-accounts');
      const row = accounts.locator('tr', { hasText: colleague });
      await row.waitFor();
      expect(await row.textContent()).toContain('正常');
      await screenshot(page, 'my-entity-active');

      // The colleague sees 我的单位 read-only: the server says it is not the administrator.
      const colleaguePage = await newPage(browser, baseUrl);
      try {
        const other = colleaguePage.page;
        await loginThroughPage(other, colleague, 'Staff@2026ok');
        await other.goto('/workspace/my-entity');
        await other.getByTestId('not-admin-note').waitFor();
        expect(await other.getByTestId('edit-entity').count()).toBe(0);
        expect(await other.getByTestId('add-qualification').count()).toBe(0);
        expect(await other.getByTestId('org-accounts').count()).toBe(0);
        expect(pageErrors(other)).toEqual([]);
      } finally {
        await colleaguePage.context.close();
      }
      await row.getByRole('button', { name: `停用账号 ${colleague}` }).click();
      await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click();
      await expect.poll(() => row.textContent()).toContain('已停用');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await again.context.close();
    }
  });

  it('主体查询 on the portal finds it, with public fields only', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/');
      await page.getByLabel('名称或统一社会信用代码').fill(`建设工程有限公司${suffix}`);
      await page.getByLabel('名称或统一社会信用代码').press('Enter');
      await page.waitForURL((url) => url.pathname === '/entities');
      const result = page.getByTestId('search-result').filter({ hasText: first.name });
      await result.waitFor();
      const text = (await result.textContent()) ?? '';
      expect(text).toContain(first.creditCode);
      expect(text).toContain('内蒙古自治区 呼和浩特市 新城区');
      expect(text).toContain('投标人');
      expect(text).toContain('已过期');
      // Never the representative, the ID number, the bank account, the phone or the address.
      for (const secret of [
        first.representative,
        first.idNumber,
        first.accountNumber,
        '0471-6900000',
        '新华大街',
      ]) {
        expect(text).not.toContain(secret);
      }
      await screenshot(page, 'entity-search');
      expect(await axeViolations(page)).toEqual([]);

      // By the full credit code too, typed in lower case.
      await page.getByLabel('名称或统一社会信用代码').fill(first.creditCode.toLowerCase());
      await page.getByRole('button', { name: '查询' }).click();
      await expect
        .poll(() => page.getByTestId('search-result').allTextContents())
        .toEqual([expect.stringContaining(first.name)]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('市场主体注册：错误与退回补正', () => {
  it('an invalid credit code shows the server’s Chinese message on its field', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/register');
      const r = newRegistrant('错码');
      // The last character changed: the check character no longer matches the first 17.
      const last = r.creditCode[17]!;
      const wrong =
        CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.indexOf(last) + 1) % CREDIT_CODE_CHARSET.length]!;
      r.creditCode = r.creditCode.slice(0, 17) + wrong;
      await fillRegistration(page, r);
      await page.getByTestId('registration-submit').click();

      const item = page.locator('.el-form-item', { has: page.getByLabel('统一社会信用代码') });
      const error = item.locator('.el-form-item__error');
      await error.waitFor();
      expect(await error.textContent()).toContain(`第18位校验码“${wrong}”不正确`);
      const summary = page.getByTestId('registration-error');
      expect(await summary.textContent()).toContain('统一社会信用代码校验码错误');
      expect(await summary.textContent()).toContain('GB 32100-2015');
      // Focus is taken to the field to correct.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reg-credit-code');
      await screenshot(page, 'entity-register-error');
      expect(await axeViolations(page)).toEqual([]);

      // Correcting the field takes the message away.
      await page.getByLabel('统一社会信用代码').fill(newCreditCode());
      await expect.poll(() => error.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('required fields are named before anything is sent', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await page.goto('/register');
      await page.getByTestId('registration-submit').click();
      await page.getByTestId('registration-error').waitFor();
      await expect
        .poll(async () => (await page.locator('.el-form-item__error').allTextContents()).map((t) => t.trim()))
        .toEqual(
          expect.arrayContaining([
            '请输入主体名称（与营业执照一致）',
            '请输入统一社会信用代码',
            '请选择所在地区',
          ]),
        );
      // Focus is on the first field to fill.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('reg-name');
      await page.getByLabel('统一社会信用代码').fill('91150102');
      await page.getByLabel('统一社会信用代码').blur();
      await page.getByText('统一社会信用代码为 18 位，当前为 8 位').waitFor();
    } finally {
      await context.close();
    }
  });

  it('a returned registration shows the reason; the administrator corrects it and resubmits', async () => {
    const second = newRegistrant('草原');
    // Registered through the API this time: the form has been tested above.
    const response = await fetch(`${baseUrl}/api/public/entity-registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        entity: {
          kind: 'legal_person',
          name: second.name,
          creditCode: second.creditCode,
          roles: ['tenderer', 'bidder'],
          regionCode: '150105',
          address: '呼和浩特市赛罕区大学东街 2 号',
          contact: { name: '刘芳', phone: '0471-6900001' },
          legalRepresentative: { name: second.representative, idNumber: second.idNumber },
          basicAccount: {
            bankName: '中国银行呼和浩特分行',
            accountNumber: second.accountNumber,
            accountName: second.name,
          },
          licence: { validUntil: null },
        },
        account: { username: second.username, displayName: second.displayName, password: second.password },
      }),
    });
    expect(response.status).toBe(201);

    // The operator returns it, giving a reason.
    const reason = '营业执照有效期未填写起始日期，请补充后重新提交。';
    const operator = await newPage(browser, baseUrl);
    try {
      const page = operator.page;
      await loginThroughPage(page, 'admin');
      await page.goto('/workspace/entities');
      const row = page.getByTestId('entities-table').locator('tr', { hasText: second.name });
      await row.getByRole('button', { name: `查看 ${second.name}` }).click();
      const drawer = page.getByRole('dialog', { name: '市场主体登记详情' });
      await drawer.getByTestId('entity-name').waitFor();
      await drawer.getByTestId('return-entity').click();
      const dialog = page.getByRole('dialog', { name: '退回补正' });
      await dialog.waitFor();
      // The reason is required.
      await dialog.getByTestId('return-submit').click();
      await dialog.getByText('请填写退回原因').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await dialog.getByLabel('退回原因').fill(reason);
      await dialog.getByTestId('return-submit').click();
      await page.locator('.el-message--success', { hasText: '已退回补正' }).waitFor();
      await expect
        .poll(async () => (await drawer.getByTestId('drawer-status').textContent())?.trim())
        .toBe('退回补正');

      // Filter 退回补正 lists it.
      await page.keyboard.press('Escape');
      await page.getByTestId('status-filter').locator('label', { hasText: '退回补正' }).click();
      await page.getByTestId('entities-table').locator('tr', { hasText: second.name }).waitFor();
    } finally {
      await operator.context.close();
    }

    // The registrant sees why, corrects (without retyping the ID number) and resubmits.
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, second.username, second.password);
      await page.goto('/workspace/my-entity');
      await page.getByTestId('return-reason').waitFor();
      expect(await page.getByTestId('return-reason').textContent()).toContain(reason);
      expect((await page.getByTestId('status-tag').textContent())?.trim()).toBe('退回补正');
      await screenshot(page, 'my-entity-returned');
      expect(await axeViolations(page)).toEqual([]);

      await page.getByTestId('edit-entity').click();
      const form = page.getByTestId('edit-entity-form');
      await form.waitFor();
      expect(await form.getByLabel('主体名称').inputValue()).toBe(second.name);
      await form.getByLabel('营业执照有效期自').fill('2016-03-01');
      await form.getByLabel('详细地址').fill('呼和浩特市赛罕区大学东街 8 号');
      // The ID number is never shown; left empty, it stays as registered.
      const idField = form.getByLabel('法定代表人证件号码');
      expect(await idField.inputValue()).toBe('');
      expect(await idField.getAttribute('placeholder')).toBe('不修改请留空');
      await screenshot(page, 'my-entity-edit');
      expect(await axeViolations(page)).toEqual([]);
      await form.getByRole('button', { name: '保存修改' }).click();
      await page.locator('.el-message--success', { hasText: '已保存修改（第 2 版）' }).waitFor();
      expect(await page.locator('.el-form-item__error').count()).toBe(0);
      const details = (await page.locator('main').textContent()) ?? '';
      expect(details).toContain('呼和浩特市赛罕区大学东街 8 号');
      expect(details).toContain(`${second.idNumber.slice(0, 4)}**********${second.idNumber.slice(-4)}`);
      expect(details).not.toContain(second.idNumber);
      // The history says what changed (not the ID number) and who changed it.
      const versions = page.getByTestId('versions-table');
      const latest = versions.locator('tbody tr', { hasText: '第 2 版' });
      await expect.poll(() => latest.textContent()).toContain('营业执照有效期');
      const latestText = (await latest.textContent()) ?? '';
      expect(latestText).toContain('地址');
      expect(latestText).not.toContain('法定代表人');
      expect(latestText).toContain(second.displayName);

      await page.getByTestId('resubmit-entity').click();
      await page.locator('.el-message-box').getByRole('button', { name: '重新提交' }).click();
      await page.locator('.el-message--success', { hasText: '已重新提交' }).waitFor();
      await expect
        .poll(async () => (await page.getByTestId('status-tag').textContent())?.trim())
        .toBe('待受理');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
