import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform, uniqueName } from '../../../test/support/platform.ts';
import { executeRefunds, listRefunds, pay } from '../../../tools/bank-simulator.ts';
import { issue } from '../../../tools/guarantor-simulator.ts';
import { loadState, registerWithOperator } from '../../../tools/institution-client.ts';
import { uploadBlob } from '../../platform/blobs/index.ts';
import { creditCodeCheckCharacter } from '../../platform/certs/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { suggestTimeline } from '../procedures/index.ts';
import { FACTORY_PASSWORD, makeAcceptedEntity, registerReceivedLot } from '../projects/test-factory.ts';
import { depositStatus, scheduleDepositRefunds } from './index.ts';

/** The dev simulators against a real listening server: signed HTTP from outside, as a bank would. */
const run = promisify(execFile);
let p: TestPlatform;
let server: string;

beforeAll(async () => {
  p = await makeTestPlatform({ GGZY_LOGIN_RATE_MAX: '100000', GGZY_REGISTRATION_RATE_MAX: '100000' });
  p.clock.set('2026-03-02T01:00:00.000Z');
  const address = await p.app.listen({ port: 0, host: '127.0.0.1' });
  server = address;
});

afterAll(async () => {
  await p.close();
});

async function* once(bytes: Uint8Array) {
  yield bytes;
}

async function announcedLot() {
  const lot = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
  const { blob } = await uploadBlob(
    { db: p.db, blobs: p.blobs, clock: p.clock },
    {
      source: once(Buffer.from(uniqueName('招标文件'))),
      maxBytes: 1_000_000,
      contentType: 'application/pdf',
      origin: SYSTEM_ORIGIN,
    },
  );
  await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/documents`, {
    sha256: blob.sha256,
    filename: '招标文件.pdf',
  });
  const t = suggestTimeline('open-tender.works', p.clock.now(), lot.lot.rulesAsOf);
  const draft = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements`, {
    kind: 'tender',
    title: '模拟器测试招标公告',
    body: '一、招标条件\n已具备。',
    timeline: {
      documentsFrom: t.documentsFrom.toISOString(),
      documentsUntil: t.documentsUntil.toISOString(),
      bidDeadline: t.bidDeadline.toISOString(),
      openingAt: t.openingAt.toISOString(),
    },
    depositYuan: '50000',
  });
  const published = await lot.initiatorClient.post(
    `/api/lots/${lot.lot.id}/announcements/${draft.json().id}/publish`,
  );
  expect(published.statusCode, published.body).toBe(200);
  return lot;
}

describe('simulators (dev tools) over real HTTP', () => {
  test('the bank simulator registers, pays (as a child process), and executes the refund instructions', async () => {
    const operator = await p.makeAccount(['operator']);
    const dir = await mkdtemp(path.join(tmpdir(), 'ggzy-bank-'));
    const bank = await loadState(dir);
    const id = await registerWithOperator(server, bank, {
      username: operator.username,
      password: FACTORY_PASSWORD,
      name: uniqueName('模拟银行'),
      kind: 'bank',
      creditCode: validCode(`9115010${Date.now().toString().slice(-10)}`),
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const lot = await announcedLot();
    const bidder = await makeAcceptedEntity(p, ['bidder']);
    const account = await bidder.client.post(`/api/lots/${lot.lot.id}/my-deposit/account`, {
      institutionId: id,
    });
    expect(account.statusCode, account.body).toBe(200);
    const basic = (await bidder.client.get('/api/my/entity')).json();
    const basicAccount = (basic.entity ?? basic).basicAccount as {
      accountNumber: string;
      accountName: string;
    };

    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'tools/bank-simulator.ts',
        'pay',
        '--server',
        server,
        '--dir',
        dir,
        '--virtual-account',
        account.json().virtualAccount,
        '--amount',
        '50000',
        '--from-account',
        basicAccount.accountNumber,
        '--from-name',
        basicAccount.accountName,
        '--value-time',
        p.clock.now().toISOString(),
      ],
      { cwd: process.cwd(), timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toMatchObject({ status: 'accepted', counted: true });
    expect(
      (await depositStatus(p.db as never, p.sealer, lot.lot.id, bidder.account.organizationId!)).satisfied,
    ).toBe(true);

    // A second payment from the wrong account through the exported function: returned.
    const wrong = await pay(server, bank, {
      virtualAccount: account.json().virtualAccount,
      amountYuan: '10',
      fromAccount: '6222000011112222',
      fromName: '他人',
      valueTime: p.clock.now().toISOString(),
    });
    expect(wrong.body).toMatchObject({ status: 'rejected-payer' });

    await p.db.transaction().execute((tx) =>
      scheduleDepositRefunds(tx as never, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.lot.id,
        reason: 'lot-failed',
      }),
    );
    const pending = await listRefunds(server, bank);
    expect(pending.map((i) => i.kind).sort()).toEqual(['refund', 'return']);
    expect(await executeRefunds(server, bank)).toHaveLength(2);
    expect(await listRefunds(server, bank)).toEqual([]);
  }, 90_000);

  test('the guarantor simulator issues a guarantee the platform verifies and counts', async () => {
    const operator = await p.makeAccount(['operator']);
    const dir = await mkdtemp(path.join(tmpdir(), 'ggzy-guarantor-'));
    const guarantor = await loadState(dir);
    const name = uniqueName('模拟担保');
    const creditCode = validCode(`9115010${(Date.now() + 7).toString().slice(-10)}`);
    await registerWithOperator(server, guarantor, {
      username: operator.username,
      password: FACTORY_PASSWORD,
      name,
      kind: 'guarantor',
      creditCode,
    });
    const lot = await announcedLot();
    const bidder = await makeAcceptedEntity(p, ['bidder']);
    const res = await issue(server, guarantor, {
      lotId: lot.lot.id,
      applicantCreditCode: bidder.creditCode,
      applicantName: bidder.name,
      amountYuan: '50000',
      issuer: { creditCode, name },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(
      (await depositStatus(p.db as never, p.sealer, lot.lot.id, bidder.account.organizationId!)).forms,
    ).toEqual(['guarantee']);
  }, 60_000);
});

/** A credit code with its right check character (GB 32100-2015). */
function validCode(first17: string): string {
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}
