/// <reference lib="dom" />
/**
 * 保证金监管 in the browser: the trading centre sees 演示银行 (registered by the demo seed), registers a
 * guarantor through the form with an SM2 public key (PEM), suspends and reactivates it, and is told in the
 * server's Chinese words when the 统一社会信用代码 is wrong. The demo building lot is still before its bid
 * deadline, so its deposits are sealed and the page says so (招标投标法第二十二条). A supervisor gets the
 * same page without the institutions. axe finds nothing.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { creditCodeCheckCharacter } from '../../src/platform/certs/index.ts';
import { exportSm2PublicKeyPem, generateSm2KeyPair } from '../../src/platform/crypto/index.ts';
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

async function buildingLotId(): Promise<string> {
  const list = (await (
    await fetch(`${baseUrl}/api/public/announcements?keyword=${encodeURIComponent('教学楼')}`)
  ).json()) as { items: { id: string }[] };
  const first = list.items[0];
  if (!first) throw new Error('the demo tender is missing');
  const detail = (await (await fetch(`${baseUrl}/api/public/announcements/${first.id}`)).json()) as {
    lotId: string;
  };
  return detail.lotId;
}

async function fillInstitution(page: Page, input: { name: string; creditCode: string; pem: string }) {
  await page.getByTestId('register-institution').click();
  const dialog = page.getByTestId('institution-dialog');
  await dialog.getByTestId('inst-name').waitFor();
  await animationsDone(page);
  await dialog.getByLabel('机构名称').fill(input.name);
  await dialog.getByText('担保机构', { exact: true }).click();
  await dialog.getByLabel('统一社会信用代码').fill(input.creditCode);
  await dialog.getByText('公钥（PEM）', { exact: true }).click();
  await dialog.getByLabel('机构 SM2 公钥（PEM）').fill(input.pem);
  await dialog.getByTestId('inst-submit').click();
  return dialog;
}

describe('保证金监管 (operator, supervisor)', () => {
  it('lists and registers institutions, reports a wrong credit code, and keeps a lot sealed before its deadline', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'admin');
      await page.getByTestId('menu-item').filter({ hasText: '保证金监管' }).click();
      await page.waitForURL((url) => url.pathname === '/workspace/deposit-supervision');
      const table = page.getByTestId('institution-table');
      await table.getByText('演示银行（仅供演示和测试）').waitFor();
      await page.getByTestId('late-table').getByText('暂无逾期未退还的保证金').waitFor();

      // A wrong 统一社会信用代码: the server's Chinese message, in the form and on the field.
      const pem = exportSm2PublicKeyPem(generateSm2KeyPair().publicKey);
      const name = `浏览器测试担保有限公司${Date.now().toString().slice(-6)}`;
      // (the right code is …0GR1Y: the check character is wrong)
      let dialog = await fillInstitution(page, { name, creditCode: '91150100MA0000GR1X', pem });
      const error = dialog.getByTestId('institution-error');
      await error.waitFor();
      await expect(error.textContent()).resolves.toContain('请求内容不符合要求');
      await dialog.locator('.el-form-item.is-error').getByText('校验位').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'hidden' });

      // A well-formed registration with a freshly generated SM2 public key.
      const first17 = `9115010${Date.now().toString().slice(-10)}`;
      const creditCode = `${first17}${creditCodeCheckCharacter(first17)}`;
      dialog = await fillInstitution(page, { name, creditCode, pem });
      await dialog.waitFor({ state: 'hidden' });
      const row = table.locator('tr').filter({ hasText: name });
      await row.waitFor();
      await expect(row.textContent()).resolves.toContain(creditCode);
      await expect(row.textContent()).resolves.toContain('担保机构');
      await expect(row.getByTestId('institution-status').textContent()).resolves.toContain('正常');

      // The same credit code again: refused, and said why.
      dialog = await fillInstitution(page, { name, creditCode, pem });
      await expect(dialog.getByTestId('institution-error').textContent()).resolves.toContain('该机构已登记');
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'hidden' });

      // Suspend and reactivate.
      await row.getByTestId('institution-toggle').click();
      await page.getByRole('dialog', { name: '暂停机构' }).getByRole('button', { name: '暂停' }).click();
      await row.getByTestId('institution-status').getByText('已暂停').waitFor();
      await row.getByTestId('institution-toggle').click();
      await page.getByRole('dialog', { name: '恢复机构' }).getByRole('button', { name: '恢复' }).click();
      await row.getByTestId('institution-status').getByText('正常').waitFor();

      // The demo lot is before its bid deadline: sealed, said plainly.
      const lotId = await buildingLotId();
      await page.getByLabel('标段（包）编号').fill(lotId);
      await page.getByTestId('lot-open').click();
      await page.waitForURL((url) => url.searchParams.get('lot') === lotId);
      const sealed = page.getByTestId('deposits-sealed');
      await sealed.waitFor();
      await expect(sealed.textContent()).resolves.toContain('投标截止前不公开保证金缴纳情况');
      await expect(sealed.textContent()).resolves.toContain('招标投标法》第二十二条');
      await expect(page.getByTestId('deposit-bidders').count()).resolves.toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'deposit-supervision-operator');
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('gives a supervisor the late refunds and the sealed lot, without the institutions', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'jiandu');
      await page.goto(`/workspace/deposit-supervision?lot=${await buildingLotId()}`);
      await page.getByTestId('deposits-sealed').waitFor();
      await page.getByTestId('late-table').getByText('暂无逾期未退还的保证金').waitFor();
      await expect(page.getByTestId('institutions').count()).resolves.toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('保证金 (responder)', () => {
  it('shows toubiao1 its paid deposit for the demo lot: the virtual account, the transfer, no refunds yet', async () => {
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'toubiao1');
      await page.goto(`/workspace/deposits?lot=${await buildingLotId()}`);
      await expect(page.getByTestId('deposit-status').textContent()).resolves.toContain('已缴纳');
      await expect(page.getByTestId('virtual-account').textContent()).resolves.toMatch(/^9\d{18}$/);
      await page.getByTestId('deposit-refunds').getByText('暂无退还记录').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
