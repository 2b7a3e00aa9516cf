/// <reference lib="dom" />
/**
 * 投标文件递交 in the browser (§17): toubiao1 — whose deposit the demo bank has paid — opens the demo
 * building lot under 我的投标, fills the 开标一览表, picks a technical part and its own key files (the
 * demo CA's files under the server's data directory), and submits. The page seals and signs in the
 * browser; the platform answers with a signed receipt, the bid shows as 已递交, and the receipt the person
 * saves verifies at the platform's public check as genuine and live. A wrong key pair is refused in the
 * page before anything is sent. axe finds nothing on the page.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  axeViolations,
  launchBrowser,
  loginThroughPage,
  newPage,
  pageErrors,
  screenshot,
} from './support.ts';

const baseUrl = inject('baseUrl');
const dataDir = inject('dataDir');
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
  ).json()) as {
    items: { id: string }[];
  };
  const first = list.items[0];
  if (!first) throw new Error('the demo tender is missing');
  const detail = (await (await fetch(`${baseUrl}/api/public/announcements/${first.id}`)).json()) as {
    lotId: string;
  };
  return detail.lotId;
}

describe.skipIf(dataDir === null)('投标文件递交 (responder)', () => {
  it('seals, signs and submits a bid in the browser and gets a receipt that verifies', async () => {
    const certs = path.join(dataDir as string, 'certs', 'toubiao1');
    const { context, page } = await newPage(browser, baseUrl);
    try {
      await loginThroughPage(page, 'toubiao1');
      await page.goto(`/workspace/my-bids?lot=${await buildingLotId()}`);
      const panel = page.getByTestId('sealed-bid');
      await panel.waitFor();
      await expect(panel.getByTestId('bid-status').textContent()).resolves.toContain('未递交');
      await panel.getByTestId('bid-deposit').getByText('已缴纳').waitFor();

      // A mismatched pair (the encryption key file as the signing key) never leaves the page.
      await page.getByTestId('summary-price').fill('12345678.90');
      await page.getByTestId('summary-duration').fill('365');
      await page.getByTestId('part-technical').setInputFiles({
        name: '技术方案.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('施工组织设计（演示）\n'.repeat(20000)),
      });
      await page.getByTestId('key-sign').setInputFiles(path.join(certs, 'enc.key.pem'));
      await page.getByTestId('cert-sign').setInputFiles(path.join(certs, 'sign.cert.pem'));
      await page.getByTestId('cert-enc').setInputFiles(path.join(certs, 'enc.cert.pem'));
      await page.getByTestId('submit-bid').click();
      await expect(page.getByTestId('bid-refused').textContent()).resolves.toContain(
        '签名私钥与签名证书不匹配',
      );

      await page.getByTestId('key-sign').setInputFiles(path.join(certs, 'sign.key.pem'));
      await page.getByTestId('submit-bid').click();
      const receipt = page.getByTestId('bid-receipt');
      await receipt.waitFor({ timeout: 60_000 });
      await panel.getByTestId('my-bid').waitFor();
      await expect(panel.getByTestId('bid-status').textContent()).resolves.toContain('已递交');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'bidding-submitted');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('save-receipt').click(),
      ]);
      const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as {
        receipt: { bidId: string };
      };
      const check = (await (
        await fetch(`${baseUrl}/api/bid-receipts/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ receipt: saved }),
        })
      ).json()) as Record<string, unknown>;
      expect(check).toMatchObject({ genuine: true, live: true });
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
