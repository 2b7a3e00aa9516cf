/// <reference lib="dom" />
/**
 * The steps the 竞价交易 browser tests share (auctions: 挂牌 → 限时竞价; auction-modes: 一次报价, 确认进入限时竞价,
 * 优先权跟价): reading the platform's time, 演示银行 paying a deposit, a bidder applying on the portal and paying,
 * waiting for a live text, and a bid placed through the room's buttons and its 确认报价 dialog.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { importSm2PrivateKeyPem } from '../../src/platform/crypto/index.ts';
import { signRequest } from '../../src/trading/deposits/index.ts';
import { animationsDone } from './support.ts';
import type { TenderRun } from './tender-steps.ts';

export async function json<T>(run: TenderRun, url: string): Promise<T> {
  const res = await fetch(`${run.server.baseUrl}${url}`);
  if (!res.ok) throw new Error(`${url} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function platformTime(run: TenderRun): Promise<Date> {
  return new Date((await json<{ serverTime: string }>(run, '/api/health')).serverTime);
}

/** 演示银行 reports the bidder's transfer from its 基本账户 into the virtual sub-account, signed with its key. */
export async function bankPays(
  run: TenderRun,
  bidder: Page,
  virtualAccount: string,
  amountYuan: string,
  ref: string,
): Promise<void> {
  const dir = path.join(run.server.dataDir, 'simulators', 'bank');
  const key = importSm2PrivateKeyPem(await readFile(path.join(dir, 'key.pem'), 'utf8'));
  const { id } = JSON.parse(await readFile(path.join(dir, 'institution.json'), 'utf8')) as { id: string };
  const entity = (await (await bidder.request.get('/api/my/entity')).json()) as {
    basicAccount: { accountNumber: string; accountName: string; bankName: string };
  };
  const target = '/api/institution/transfers';
  const body = JSON.stringify({
    virtualAccount,
    amountYuan,
    payerAccountNumber: entity.basicAccount.accountNumber,
    payerAccountName: entity.basicAccount.accountName,
    payerBankName: entity.basicAccount.bankName,
    bankTransferId: `BROWSER-${ref}`,
    valueTime: (await platformTime(run)).toISOString(),
  });
  const res = await fetch(`${run.server.baseUrl}${target}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signRequest(key, { institutionId: id, method: 'POST', target, body }),
    },
    body,
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

/** Waits until the locator's text matches (the live pages change without a reload). */
export async function textIs(locator: Locator, expected: RegExp | string, timeout = 15_000): Promise<void> {
  const read = async () => ((await locator.textContent()) ?? '').trim();
  if (typeof expected === 'string') await expect.poll(read, { timeout }).toBe(expected);
  else await expect.poll(read, { timeout }).toMatch(expected);
}

/**
 * ④ a bidder finds the auction on the portal's 竞价交易 page, applies in 我的竞买 (claiming its 优先受让权 when
 * `preemptive`), asks for a virtual sub-account on 保证金 and pays (演示银行). Returns its 竞买号.
 */
export async function applyAndPay(
  run: TenderRun,
  bidder: Page,
  a: { title: string; depositYuan: string; ref: string; preemptive?: boolean },
): Promise<string> {
  await bidder.goto('/auctions');
  await bidder.getByTestId('auction-link').filter({ hasText: a.title }).first().click();
  await bidder.getByTestId('auction-detail').waitFor();
  await bidder.getByTestId('apply-link').click();
  await bidder.getByTestId('apply').waitFor();
  if (a.preemptive) {
    await bidder.locator('label.el-checkbox', { hasText: '本单位为优先受让权人' }).click();
    expect(await bidder.getByRole('checkbox', { name: /本单位为优先受让权人/ }).isChecked()).toBe(true);
  }
  await bidder.getByTestId('apply').click();
  await bidder.getByRole('dialog', { name: '申请竞买' }).getByRole('button', { name: '提交申请' }).click();
  const pseudonym = (await bidder.getByTestId('registration-pseudonym').textContent())?.trim() ?? '';
  expect(pseudonym).toMatch(/^竞买号 /);
  await bidder.getByTestId('pay-deposit').click();
  await bidder.waitForURL((url) => url.pathname === '/workspace/deposits');
  await bidder.getByRole('button', { name: '申请虚拟子账号' }).click();
  const account = (await bidder.getByTestId('virtual-account').textContent())?.trim() ?? '';
  await bankPays(run, bidder, account, a.depositYuan, a.ref);
  await bidder.getByRole('button', { name: '刷新' }).click();
  await bidder.getByTestId('deposit-status').filter({ hasText: '已缴纳' }).waitFor();
  return pseudonym;
}

/**
 * Clicks a bid button of the room (`bid-next-<i>`, `bid-match`) once it is enabled, confirms in 确认报价 and
 * waits for the server's 报价成功 (or, when `refused`, for the room's 报价未被接受). Returns the button's text.
 */
export async function clickBid(
  bidder: Page,
  testId: string,
  options: { refused?: boolean } = {},
): Promise<string> {
  const button = bidder.getByTestId(testId);
  await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
  const label = ((await button.textContent()) ?? '').trim();
  await button.click();
  const confirm = bidder.getByRole('dialog', { name: '确认报价' });
  await confirm.getByRole('button', { name: '确认报价' }).click();
  await confirm.waitFor({ state: 'hidden' });
  if (options.refused) await bidder.getByTestId('bid-refusal').waitFor();
  else
    await bidder
      .getByText(/报价成功/)
      .first()
      .waitFor();
  await animationsDone(bidder);
  return label;
}

/** The next-valid button `i` of a bidder's room, clicked and confirmed; returns the amount it bid. */
export async function bidNext(bidder: Page, i = 0): Promise<string> {
  const label = await clickBid(bidder, `bid-next-${i}`);
  const amount = /报价\s*([\d,]+\.\d{2})/.exec(label)?.[1];
  if (!amount) throw new Error(`no amount on the button: ${label}`);
  return amount;
}
