import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform, uniqueName } from '../../../test/support/platform.ts';
import { uploadBlob } from '../../platform/blobs/index.ts';
import { creditCodeCheckCharacter } from '../../platform/certs/index.ts';
import {
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  type Sm2PrivateKey,
} from '../../platform/crypto/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { giveTestScope } from '../../supervision/scopes/test-factory.ts';
import { suggestTimeline } from '../procedures/index.ts';
import { makeAcceptedEntity, registerReceivedLot } from '../projects/test-factory.ts';
import {
  type DepositsDb,
  depositStatus,
  type GuaranteeDocument,
  scheduleDepositRefunds,
  signGuarantee,
  signRequest,
} from './index.ts';
import { payTestDeposit } from './test-factory.ts';

/**
 * 投标保证金 and 电子保函 through the real platform: institutions and their signed requests, cash into
 * virtual sub-accounts, e-guarantees, the status the sealed-bid intake reads, refunds and their deadlines,
 * and who may see what before and after the bid deadline.
 */
const START = '2026-03-02T01:00:00.000Z'; // Monday 09:00 in Shanghai
const DAY = 86_400_000;
let p: TestPlatform;

beforeAll(async () => {
  p = await makeTestPlatform({
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    GGZY_SESSION_HOURS: String(24 * 30),
  });
  p.clock.set(START);
});

afterAll(async () => {
  await p.close();
});

const db = () => p.db as unknown as import('kysely').Kysely<DepositsDb>;

async function* chunks(bytes: Uint8Array) {
  yield bytes;
}

type ProcedureType = 'open-tender.works' | 'open-tender.gp';

/** A lot whose tender announcement is published now, asking `depositYuan` (or no deposit). */
async function announcedLot(opts: { procedureType?: ProcedureType; depositYuan?: string | null } = {}) {
  const procedureType = opts.procedureType ?? 'open-tender.works';
  const lot = await registerReceivedLot(p, { procedureType, estimateYuan: '5000000.00' });
  const { blob } = await uploadBlob(
    { db: p.db, blobs: p.blobs, clock: p.clock },
    {
      source: chunks(Buffer.from(`招标文件 ${uniqueName('doc')}`)),
      maxBytes: 1_000_000,
      contentType: 'application/pdf',
      origin: SYSTEM_ORIGIN,
    },
  );
  const docs = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/documents`, {
    sha256: blob.sha256,
    filename: '招标文件.pdf',
  });
  expect(docs.statusCode, docs.body).toBe(201);
  const t = suggestTimeline(procedureType, p.clock.now(), lot.lot.rulesAsOf);
  const draft = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/announcements`, {
    kind: procedureType === 'open-tender.gp' ? 'procurement' : 'tender',
    title: `${lot.lot.projectName}招标公告`,
    body: '一、招标条件\n本项目已具备招标条件。',
    timeline: {
      documentsFrom: t.documentsFrom.toISOString(),
      documentsUntil: t.documentsUntil.toISOString(),
      bidDeadline: t.bidDeadline.toISOString(),
      openingAt: t.openingAt.toISOString(),
    },
    ...(opts.depositYuan === null ? {} : { depositYuan: opts.depositYuan ?? '80000' }),
  });
  expect(draft.statusCode, draft.body).toBe(201);
  const published = await lot.initiatorClient.post(
    `/api/lots/${lot.lot.id}/announcements/${draft.json().id}/publish`,
  );
  expect(published.statusCode, published.body).toBe(200);
  return { ...lot, bidDeadline: t.bidDeadline };
}

interface Institution {
  id: string;
  key: Sm2PrivateKey;
  name: string;
  creditCode: string;
}

let operatorClient: Awaited<ReturnType<TestPlatform['as']>>;
let bank: Institution;
let guarantor: Institution;

function newCreditCode(): string {
  const first17 = `91150100${randomBytes(5).toString('hex').toUpperCase()}`.slice(0, 17);
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

async function registerInstitution(kind: 'bank' | 'guarantor' | 'insurer', name = uniqueName('测试银行')) {
  const key = generateSm2KeyPair();
  const creditCode = newCreditCode();
  const res = await operatorClient.post('/api/admin/deposit-institutions', {
    name,
    kind,
    creditCode,
    publicKeyPem: exportSm2PublicKeyPem(key.publicKey),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, key, name, creditCode };
}

/** A signed request from an institution (optionally spoiled in one way). */
function signed(
  who: Institution,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  opts: { timestamp?: number; nonce?: string; key?: Sm2PrivateKey; tamper?: boolean } = {},
) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = signRequest(opts.key ?? who.key, {
    institutionId: who.id,
    method,
    target: url,
    body: payload,
    ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
  });
  const sent = opts.tamper ? payload.replace(/"amountYuan":"(\d+)/, '"amountYuan":"9$1') : payload;
  return p.app.inject({
    method,
    url,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: sent }),
  });
}

beforeAll(async () => {
  operatorClient = await p.as(await p.makeAccount(['operator']));
  bank = await registerInstitution('bank');
  guarantor = await registerInstitution('guarantor', uniqueName('测试融资担保有限公司'));
});

async function bidderWithAccount(lot: Awaited<ReturnType<typeof announcedLot>>) {
  const bidder = await makeAcceptedEntity(p, ['bidder']);
  const res = await bidder.client.post(`/api/lots/${lot.lot.id}/my-deposit/account`, {
    institutionId: bank.id,
  });
  expect(res.statusCode, res.body).toBe(200);
  const entity = (await bidder.client.get('/api/my/entity')).json() as {
    entity?: { basicAccount: { accountNumber: string; accountName: string; bankName: string } };
    basicAccount?: { accountNumber: string; accountName: string; bankName: string };
  };
  const basic = entity.entity?.basicAccount ?? entity.basicAccount;
  if (!basic) throw new Error(`no basic account in ${JSON.stringify(entity)}`);
  return { ...bidder, virtualAccount: res.json().virtualAccount as string, basic };
}

function notice(
  virtualAccount: string,
  payer: { accountNumber: string; accountName: string; bankName: string },
  amountYuan = '80000.00',
) {
  return {
    virtualAccount,
    amountYuan,
    payerAccountNumber: payer.accountNumber,
    payerAccountName: payer.accountName,
    payerBankName: payer.bankName,
    bankTransferId: uniqueName('TX'),
    valueTime: p.clock.now().toISOString(),
  };
}

describe('institutions (金融机构/担保机构)', () => {
  test('the operator registers an institution, witnessed; others may not; a suspended one is refused', async () => {
    const responder = await makeAcceptedEntity(p, ['bidder']);
    const refused = await responder.client.post('/api/admin/deposit-institutions', {
      name: '冒名银行',
      kind: 'bank',
      creditCode: newCreditCode(),
      publicKeyPem: exportSm2PublicKeyPem(generateSm2KeyPair().publicKey),
    });
    expect(refused.statusCode).toBe(403);

    const inst = await registerInstitution('insurer', uniqueName('测试财产保险股份有限公司'));
    const events = await p.db
      .selectFrom('witness_events')
      .select(['action', 'actor_role'])
      .where('entity_id', '=', inst.id)
      .execute();
    expect(events).toEqual([{ action: 'deposit-institution.registered', actor_role: 'operator' }]);

    const bad = await operatorClient.post('/api/admin/deposit-institutions', {
      name: '无钥银行',
      kind: 'bank',
      creditCode: newCreditCode(),
      publicKeyPem: 'not a key',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INSTITUTION_KEY_INVALID');
    const code = newCreditCode();
    const wrongCheck = await operatorClient.post('/api/admin/deposit-institutions', {
      name: '校验位错误银行',
      kind: 'bank',
      creditCode: `${code.slice(0, 17)}${code[17] === '0' ? '1' : '0'}`,
      publicKeyPem: exportSm2PublicKeyPem(generateSm2KeyPair().publicKey),
    });
    expect(wrongCheck.statusCode).toBe(400);
    expect(wrongCheck.body).toContain('校验位');

    const ok = await signed(inst, 'GET', '/api/institution/refund-instructions');
    expect(ok.statusCode, ok.body).toBe(200);
    const suspended = await operatorClient.post(`/api/admin/deposit-institutions/${inst.id}/status`, {
      status: 'suspended',
    });
    expect(suspended.statusCode, suspended.body).toBe(200);
    const after = await signed(inst, 'GET', '/api/institution/refund-instructions');
    expect(after.statusCode).toBe(403);
    expect(after.json().code).toBe('INSTITUTION_SUSPENDED');
  });
});

describe('signed institution requests', () => {
  test('a bad signature, another key, an unknown institution, a stale timestamp, a reused nonce, a changed body are refused', async () => {
    const url = '/api/institution/refund-instructions';
    expect((await signed(bank, 'GET', url)).statusCode).toBe(200);

    const otherKey = await signed(bank, 'GET', url, undefined, { key: generateSm2KeyPair() });
    expect(otherKey.statusCode).toBe(401);
    expect(otherKey.json().code).toBe('INSTITUTION_SIGNATURE_INVALID');

    const unknown = await signed({ ...bank, id: '00000000-0000-4000-8000-000000000000' }, 'GET', url);
    expect(unknown.json().code).toBe('INSTITUTION_UNKNOWN');

    const stale = await signed(bank, 'GET', url, undefined, { timestamp: Date.now() - 5 * 60_000 - 1000 });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().code).toBe('INSTITUTION_TIMESTAMP_SKEW');
    const future = await signed(bank, 'GET', url, undefined, { timestamp: Date.now() + 6 * 60_000 });
    expect(future.json().code).toBe('INSTITUTION_TIMESTAMP_SKEW');

    const nonce = uniqueName('nonce-nonce-nonce');
    expect((await signed(bank, 'GET', url, undefined, { nonce })).statusCode).toBe(200);
    const replay = await signed(bank, 'GET', url, undefined, { nonce });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('INSTITUTION_NONCE_REUSED');

    const lot = await announcedLot();
    const bidder = await bidderWithAccount(lot);
    const tampered = await signed(
      bank,
      'POST',
      '/api/institution/transfers',
      notice(bidder.virtualAccount, bidder.basic),
      {
        tamper: true,
      },
    );
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().code).toBe('INSTITUTION_SIGNATURE_INVALID');
    expect(
      await p.db.selectFrom('deposit_transfers').select('id').where('lot_id', '=', lot.lot.id).execute(),
    ).toEqual([]);

    const unsigned = await p.app.inject({ method: 'GET', url });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().code).toBe('AUTH_REQUIRED');
  });
});

describe('cash deposits (虚拟子账号)', () => {
  test('the test factory pays a deposit the way a bank does (payTestDeposit)', async () => {
    const lot = await announcedLot({ depositYuan: '80000' });
    const bidder = await makeAcceptedEntity(p, ['bidder']);
    const paid = await payTestDeposit(p, { lotId: lot.lot.id, bidder, amountYuan: '80000.00' });
    expect(paid.status).toBe('accepted');
    expect(await depositStatus(db(), p.sealer, lot.lot.id, bidder.account.organizationId!)).toMatchObject({
      satisfied: true,
      paidYuan: '80000.00',
    });
  });

  test('a bidder pays from its 基本账户 before the deadline: the deposit is satisfied, and nobody else can tell', async () => {
    const lot = await announcedLot({ depositYuan: '80000' });
    const bidder = await bidderWithAccount(lot);
    const again = await bidder.client.post(`/api/lots/${lot.lot.id}/my-deposit/account`, {});
    expect(again.json().virtualAccount).toBe(bidder.virtualAccount);

    const before = await bidder.client.get(`/api/lots/${lot.lot.id}/my-deposit`);
    expect(before.json().status).toMatchObject({ required: true, satisfied: false, paidYuan: '0.00' });

    const n = notice(bidder.virtualAccount, bidder.basic, '80000.00');
    const paid = await signed(bank, 'POST', '/api/institution/transfers', n);
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ status: 'accepted', counted: true, replayed: false });
    // The bank repeats its notification: nothing changes.
    const repeated = await signed(bank, 'POST', '/api/institution/transfers', n);
    expect(repeated.json()).toMatchObject({ transferId: paid.json().transferId, replayed: true });

    const mine = (await bidder.client.get(`/api/lots/${lot.lot.id}/my-deposit`)).json();
    expect(mine.status).toMatchObject({ satisfied: true, paidYuan: '80000.00', forms: ['cash'] });
    expect(mine.transfers).toHaveLength(1);
    expect(await depositStatus(db(), p.sealer, lot.lot.id, bidder.account.organizationId!)).toMatchObject({
      satisfied: true,
      requiredYuan: '80000.00',
    });

    // Secrecy: no clear organisation id in the rows, no bidder in the witness log, no listing before the deadline.
    const rows = await p.db
      .selectFrom('deposit_accounts')
      .selectAll()
      .where('lot_id', '=', lot.lot.id)
      .execute();
    expect(JSON.stringify(rows)).not.toContain(bidder.account.organizationId);
    const tx = await p.db
      .selectFrom('deposit_transfers')
      .selectAll()
      .where('lot_id', '=', lot.lot.id)
      .execute();
    expect(JSON.stringify(tx)).not.toContain(bidder.basic.accountNumber);
    const events = await p.db
      .selectFrom('witness_events')
      .selectAll()
      .where('entity_type', 'in', ['deposit-account', 'deposit-transfer'])
      .where('entity_id', 'in', [rows[0]!.id, tx[0]!.id])
      .execute();
    expect(events.length).toBe(2);
    for (const e of events) {
      expect(e.actor_organization_id).toBeNull();
      expect(JSON.stringify(e)).not.toContain(bidder.account.organizationId);
      expect(e.entity_id).not.toBe(lot.lot.id);
    }
    const sealed = await lot.initiatorClient.get(`/api/lots/${lot.lot.id}/deposits`);
    expect(sealed.statusCode).toBe(409);
    expect(sealed.json().code).toBe('DEPOSITS_SEALED');
    expect((await operatorClient.get(`/api/lots/${lot.lot.id}/deposits`)).statusCode).toBe(409);
    const other = await makeAcceptedEntity(p, ['bidder']);
    const otherView = (await other.client.get(`/api/lots/${lot.lot.id}/my-deposit`)).json();
    expect(otherView.transfers).toEqual([]);
    expect(otherView.status.satisfied).toBe(false);
    expect((await other.client.get(`/api/lots/${lot.lot.id}/deposits`)).statusCode).toBe(403);
  });

  test('money from another account is recorded as not counting and a return instruction goes to the bank', async () => {
    const lot = await announcedLot();
    const bidder = await bidderWithAccount(lot);
    const res = await signed(
      bank,
      'POST',
      '/api/institution/transfers',
      notice(bidder.virtualAccount, {
        accountNumber: '6222020000000000001',
        accountName: '张三',
        bankName: '某银行',
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected-payer', counted: false });
    expect(res.json().returnInstructionId).toEqual(expect.any(String));
    const instructions = (await signed(bank, 'GET', '/api/institution/refund-instructions')).json().items as {
      id: string;
      kind: string;
      payee: { accountNumber: string };
    }[];
    const ret = instructions.find((i) => i.id === res.json().returnInstructionId);
    expect(ret).toMatchObject({ kind: 'return', payee: { accountNumber: '6222020000000000001' } });
    const mine = (await bidder.client.get(`/api/lots/${lot.lot.id}/my-deposit`)).json();
    expect(mine.status.satisfied).toBe(false);
    expect(mine.transfers[0].statusNameZh).toContain('非基本账户');
  });

  test('a transfer valued after the bid deadline does not satisfy the deposit', async () => {
    const lot = await announcedLot();
    const bidder = await bidderWithAccount(lot);
    const saved = p.clock.now();
    p.clock.set(new Date(lot.bidDeadline.getTime() + 1));
    const res = await signed(
      bank,
      'POST',
      '/api/institution/transfers',
      notice(bidder.virtualAccount, bidder.basic),
    );
    expect(res.json()).toMatchObject({ status: 'late', counted: false });
    expect((await depositStatus(db(), p.sealer, lot.lot.id, bidder.account.organizationId!)).satisfied).toBe(
      false,
    );
    const late = await bidder.client.post(`/api/lots/${lot.lot.id}/my-deposit/account`, {});
    expect(late.statusCode).toBe(409);
    p.clock.set(saved);
  });

  test('a lot without a deposit gives no account; a notice for an unknown account or from another bank is refused', async () => {
    const lot = await announcedLot({ depositYuan: null });
    const bidder = await makeAcceptedEntity(p, ['bidder']);
    const res = await bidder.client.post(`/api/lots/${lot.lot.id}/my-deposit/account`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('DEPOSIT_NOT_REQUIRED');
    const unknown = await signed(
      bank,
      'POST',
      '/api/institution/transfers',
      notice('9000000000000000001', bidder.account as never),
    );
    expect([400, 404]).toContain(unknown.statusCode);

    const lot2 = await announcedLot();
    const b2 = await bidderWithAccount(lot2);
    const otherBank = await signed(
      guarantor,
      'POST',
      '/api/institution/transfers',
      notice(b2.virtualAccount, b2.basic),
    );
    expect(otherBank.statusCode).toBe(403);
  });

  test('one payer account paying for two bidders of a lot is a collusion signal, shown to supervisors after the deadline', async () => {
    const lot = await announcedLot();
    const a = await bidderWithAccount(lot);
    const b = await bidderWithAccount(lot);
    expect(
      (await signed(bank, 'POST', '/api/institution/transfers', notice(a.virtualAccount, a.basic))).json()
        .status,
    ).toBe('accepted');
    // B's deposit paid from A's basic account: not B's own account (returned), and a signal.
    expect(
      (await signed(bank, 'POST', '/api/institution/transfers', notice(b.virtualAccount, a.basic))).json()
        .status,
    ).toBe('rejected-payer');
    const signals = await p.db
      .selectFrom('deposit_signals')
      .selectAll()
      .where('lot_id', '=', lot.lot.id)
      .execute();
    expect(signals).toHaveLength(1);
    expect(signals[0]!.citation).toContain('第四十条');

    const supervisorAccount = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, supervisorAccount.id);
    const supervisor = await p.as(supervisorAccount);
    // A supervisor whose scope (行业 × 地域) does not cover the lot sees nothing of it.
    const elsewhereAccount = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, elsewhereAccount.id, { department: '其他监督部门', catalogPrefixes: ['99'] });
    const elsewhere = await p.as(elsewhereAccount);
    expect((await supervisor.get(`/api/lots/${lot.lot.id}/deposits`)).statusCode).toBe(409);
    const saved = p.clock.now();
    p.clock.set(lot.bidDeadline);
    const outside = await elsewhere.get(`/api/lots/${lot.lot.id}/deposits`);
    expect(outside.statusCode, outside.body).toBe(403);
    expect(outside.json()).toMatchObject({ code: 'OUT_OF_SCOPE' });
    const view = await supervisor.get(`/api/lots/${lot.lot.id}/deposits`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().signals).toHaveLength(1);
    expect(view.json().signals[0].bidders.sort()).toEqual([a.name, b.name].sort());
    const initiatorView = await lot.initiatorClient.get(`/api/lots/${lot.lot.id}/deposits`);
    expect(initiatorView.statusCode, initiatorView.body).toBe(200);
    expect(initiatorView.json().signals).toEqual([]);
    expect(
      initiatorView
        .json()
        .bidders.map((x: { name: string }) => x.name)
        .sort(),
    ).toEqual([a.name, b.name].sort());
    p.clock.set(saved);
  });
});

function guaranteeFor(
  lot: Awaited<ReturnType<typeof announcedLot>>,
  applicant: { creditCode: string; name: string },
  overrides: Partial<GuaranteeDocument> = {},
): GuaranteeDocument {
  return {
    format: 'ggzy-guarantee/v1',
    guaranteeNo: uniqueName('BH'),
    issuer: { institutionId: guarantor.id, creditCode: guarantor.creditCode, name: guarantor.name },
    lotId: lot.lot.id,
    lotCode: lot.lot.code,
    applicant,
    beneficiary: { organizationId: lot.lot.initiatorOrganizationId, name: '招标人' },
    amountYuan: '80000.00',
    validFrom: p.clock.now().toISOString(),
    validUntil: new Date(lot.bidDeadline.getTime() + 120 * DAY).toISOString(),
    issuedAt: p.clock.now().toISOString(),
    ...overrides,
  };
}

describe('e-guarantees (电子保函)', () => {
  test('a verified guarantee satisfies the deposit; anyone holding it can verify it; revoked it no longer counts', async () => {
    const lot = await announcedLot();
    const bidder = await makeAcceptedEntity(p, ['bidder']);
    const doc = guaranteeFor(lot, { creditCode: bidder.creditCode, name: bidder.name });
    const body = { guarantee: doc, signature: signGuarantee(guarantor.key, doc) };
    const res = await signed(guarantor, 'POST', '/api/institution/guarantees', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'valid', replayed: false });
    expect(await depositStatus(db(), p.sealer, lot.lot.id, bidder.account.organizationId!)).toMatchObject({
      satisfied: true,
      forms: ['guarantee'],
    });
    const mine = (await bidder.client.get(`/api/lots/${lot.lot.id}/my-deposit`)).json();
    expect(mine.guarantees[0]).toMatchObject({ guaranteeNo: doc.guaranteeNo, statusNameZh: '有效' });

    const verified = await p.anonymous.post('/api/public/guarantees/verify', body);
    expect(verified.json()).toMatchObject({ genuine: true, registered: true, status: 'valid', problems: [] });
    const forged = await p.anonymous.post('/api/public/guarantees/verify', {
      guarantee: { ...doc, amountYuan: '800000.00' },
      signature: body.signature,
    });
    expect(forged.json().genuine).toBe(false);

    const revoked = await signed(guarantor, 'POST', `/api/institution/guarantees/${doc.guaranteeNo}/revoke`, {
      reason: '申请人未缴纳保费',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect((await depositStatus(db(), p.sealer, lot.lot.id, bidder.account.organizationId!)).satisfied).toBe(
      false,
    );
    expect((await p.anonymous.post('/api/public/guarantees/verify', body)).json().status).toBe('revoked');
  });

  test('a short amount, a short validity, a bad signature, an unknown applicant or a wrong beneficiary are refused', async () => {
    const lot = await announcedLot();
    const bidder = await makeAcceptedEntity(p, ['bidder']);
    const applicant = { creditCode: bidder.creditCode, name: bidder.name };
    const send = (doc: GuaranteeDocument, key = guarantor.key) =>
      signed(guarantor, 'POST', '/api/institution/guarantees', {
        guarantee: doc,
        signature: signGuarantee(key, doc),
      });

    const short = await send(guaranteeFor(lot, applicant, { amountYuan: '79999.99' }));
    expect(short.json().code).toBe('GUARANTEE_AMOUNT_SHORT');
    const brief = await send(
      guaranteeFor(lot, applicant, {
        validUntil: new Date(lot.bidDeadline.getTime() + 30 * DAY).toISOString(),
      }),
    );
    expect(brief.statusCode).toBe(409);
    expect(brief.json()).toMatchObject({
      code: 'GUARANTEE_VALIDITY_SHORT',
      citation: expect.stringContaining('第二十六条'),
    });
    const forged = await send(guaranteeFor(lot, applicant), generateSm2KeyPair());
    expect(forged.json().code).toBe('GUARANTEE_SIGNATURE_INVALID');
    const stranger = await send(guaranteeFor(lot, { creditCode: '91150100MA0000000X', name: '未登记公司' }));
    expect(stranger.json().code).toBe('GUARANTEE_APPLICANT_UNKNOWN');
    const beneficiary = await send(
      guaranteeFor(lot, applicant, {
        beneficiary: { organizationId: bidder.account.organizationId!, name: 'x' },
      }),
    );
    expect(beneficiary.json().code).toBe('GUARANTEE_BENEFICIARY_MISMATCH');
    expect(
      await p.db.selectFrom('deposit_guarantees').select('id').where('lot_id', '=', lot.lot.id).execute(),
    ).toEqual([]);
  });
});

describe('refunds (退还)', () => {
  async function paidBidder(lot: Awaited<ReturnType<typeof announcedLot>>, amount = '80000.00') {
    const b = await bidderWithAccount(lot);
    const res = await signed(
      bank,
      'POST',
      '/api/institution/transfers',
      notice(b.virtualAccount, b.basic, amount),
    );
    expect(res.json().status).toBe('accepted');
    return b;
  }

  async function refundsOf(lotId: string) {
    return p.db
      .selectFrom('deposit_refunds')
      .selectAll()
      .where('lot_id', '=', lotId)
      .orderBy('created_at')
      .execute();
  }

  test('工程: a withdrawal is refunded within 5 日 without interest; the bank executes it and the deposit is gone', async () => {
    const lot = await announcedLot({ procedureType: 'open-tender.works' });
    const b = await paidBidder(lot);
    await p.db.transaction().execute((tx) =>
      scheduleDepositRefunds(tx as never, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.lot.id,
        organizationIds: [b.account.organizationId!],
        reason: 'withdrawn',
      }),
    );
    const [refund] = await refundsOf(lot.lot.id);
    // Monday 2026-03-02 + 5 days = Saturday 03-07 → moved to Monday 03-09 (87号令第八十五条 / 民法典第二百零三条).
    expect(refund).toMatchObject({ kind: 'refund', status: 'pending', interest_yuan: '0.00' });
    expect(refund!.due_at.toISOString()).toBe('2026-03-09T15:59:59.999Z');
    expect(refund!.citation).toContain('第三十五条');
    expect((await depositStatus(db(), p.sealer, lot.lot.id, b.account.organizationId!)).satisfied).toBe(
      false,
    );

    const list = (await signed(bank, 'GET', '/api/institution/refund-instructions')).json().items as {
      id: string;
      payee: { accountNumber: string };
      totalYuan: string;
    }[];
    const mine = list.find((i) => i.id === refund!.id);
    expect(mine).toMatchObject({ totalYuan: '80000.00', payee: { accountNumber: b.basic.accountNumber } });
    const done = await signed(bank, 'POST', `/api/institution/refund-instructions/${refund!.id}/executed`, {
      bankReference: 'RF0001',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'executed', lateInterestYuan: null });
    const view = (await b.client.get(`/api/lots/${lot.lot.id}/my-deposit`)).json();
    expect(view.refunds[0]).toMatchObject({ statusNameZh: '已执行', bankReference: 'RF0001' });
    // Another institution cannot confirm it.
    expect(
      (
        await signed(guarantor, 'POST', `/api/institution/refund-instructions/${refund!.id}/executed`, {
          bankReference: 'x',
        })
      ).statusCode,
    ).toBe(404);
  });

  test('工程: after the contract, cash comes back with 银行同期存款利息 and guarantees are released', async () => {
    const lot = await announcedLot({ procedureType: 'open-tender.works' });
    const cash = await paidBidder(lot, '80000.00');
    const other = await makeAcceptedEntity(p, ['bidder']);
    const doc = guaranteeFor(lot, { creditCode: other.creditCode, name: other.name });
    expect(
      (
        await signed(guarantor, 'POST', '/api/institution/guarantees', {
          guarantee: doc,
          signature: signGuarantee(guarantor.key, doc),
        })
      ).statusCode,
    ).toBe(200);
    const saved = p.clock.now();
    p.clock.set(new Date(saved.getTime() + 60 * DAY));
    await p.db.transaction().execute((tx) =>
      scheduleDepositRefunds(tx as never, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.lot.id,
        reason: 'contract-signed',
      }),
    );
    const refunds = await refundsOf(lot.lot.id);
    const cashRefund = refunds.find((r) => r.source === 'transfer')!;
    const release = refunds.find((r) => r.source === 'guarantee')!;
    expect(cashRefund.citation).toContain('第五十七条');
    expect(cashRefund.interest_rate).toBe('0.35');
    // 80,000 × 0.35% × days / 360, days from the value date to the due date.
    const days = Math.round(
      (Date.parse(cashRefund.due_at.toISOString().slice(0, 10)) - Date.parse('2026-03-02')) / DAY,
    );
    expect(Number(cashRefund.interest_yuan)).toBeCloseTo((80000 * 0.0035 * days) / 360, 2);
    expect(release).toMatchObject({ kind: 'release', interest_yuan: '0.00' });
    const instr = (await signed(guarantor, 'GET', '/api/institution/refund-instructions')).json().items as {
      id: string;
      guaranteeNo: string;
    }[];
    expect(instr.find((i) => i.id === release.id)?.guaranteeNo).toBe(doc.guaranteeNo);
    expect(
      (
        await signed(guarantor, 'POST', `/api/institution/refund-instructions/${release.id}/executed`, {
          bankReference: 'REL1',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await p.anonymous.post('/api/public/guarantees/verify', {
          guarantee: doc,
          signature: signGuarantee(guarantor.key, doc),
        })
      ).json().status,
    ).toBe('released');
    expect(cash.name).toBeTruthy();
    p.clock.set(saved);
  });

  test('政府采购: 5个工作日; late, the hourly job flags it and 87号令 占用费 accrues; operators and supervisors see it', async () => {
    const lot = await announcedLot({ procedureType: 'open-tender.gp' });
    const b = await paidBidder(lot, '50000.00');
    const saved = p.clock.now();
    await p.db.transaction().execute((tx) =>
      scheduleDepositRefunds(tx as never, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.lot.id,
        reason: 'not-awarded',
      }),
    );
    const [refund] = await refundsOf(lot.lot.id);
    // Monday 03-02 + 5 working days = Monday 03-09.
    expect(refund!.due_at.toISOString()).toBe('2026-03-09T15:59:59.999Z');
    expect(refund!.interest_yuan).toBe('0.00');
    expect(refund!.citation).toContain('第三十三条');

    p.clock.set(new Date(refund!.due_at.getTime() + 10 * DAY + 3_600_000));
    await p.jobs.runDueJobs();
    const flagged = (await refundsOf(lot.lot.id))[0]!;
    expect(flagged.late_flagged_at).not.toBeNull();
    // Late from 03-10 to 03-20 (Shanghai dates): 11 days; 50,000 × 5.22% × 11 / 360 = 79.75
    expect(flagged.late_interest_yuan).toBe('79.75');
    const events = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_id', '=', refund!.id)
      .execute();
    expect(events.map((e) => e.action)).toContain('deposit-refund.late');
    const monitor = await operatorClient.get('/api/admin/deposit-refunds/late');
    expect(monitor.statusCode, monitor.body).toBe(200);
    expect(monitor.json().items.find((i: { id: string }) => i.id === refund!.id)).toMatchObject({
      late: true,
      // Still before this lot's bid deadline: the monitor does not name the bidder.
      bidderName: null,
    });
    // Supervisors see the late refunds of the lots in their scope only.
    const supervisorAccount = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, supervisorAccount.id);
    const supervisor = await p.as(supervisorAccount);
    const inScope = await supervisor.get('/api/admin/deposit-refunds/late');
    expect(inScope.statusCode, inScope.body).toBe(200);
    expect(inScope.json().items.map((i: { id: string }) => i.id)).toContain(refund!.id);
    const elsewhereAccount = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, elsewhereAccount.id, { department: '其他监督部门', catalogPrefixes: ['99'] });
    const outside = await (await p.as(elsewhereAccount)).get('/api/admin/deposit-refunds/late');
    expect(outside.statusCode, outside.body).toBe(200);
    expect(outside.json().items.map((i: { id: string }) => i.id)).not.toContain(refund!.id);
    // A supervisor account without a configured scope oversees nothing.
    const unconfigured = await p.as(await p.makeAccount(['supervisor']));
    expect((await unconfigured.get('/api/admin/deposit-refunds/late')).json()).toMatchObject({
      code: 'SCOPE_NOT_CONFIGURED',
    });
    expect((await b.client.get('/api/admin/deposit-refunds/late')).statusCode).toBe(403);
    p.clock.set(saved);
  });

  test('不予退还 is proposed with its citation and waits for the initiator, whose confirmation pays it over, never to the platform', async () => {
    const lot = await announcedLot({ procedureType: 'open-tender.works' });
    const b = await paidBidder(lot);
    const saved = p.clock.now();
    p.clock.set(new Date(lot.bidDeadline.getTime() + 1000));
    await p.db.transaction().execute((tx) =>
      scheduleDepositRefunds(tx as never, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.lot.id,
        organizationIds: [b.account.organizationId!],
        reason: 'withdrawn',
        forfeit: true,
      }),
    );
    const [proposal] = await refundsOf(lot.lot.id);
    expect(proposal).toMatchObject({ kind: 'forfeit', status: 'proposed-forfeit' });
    expect(proposal!.citation).toContain('第三十五条');
    const pending = (await signed(bank, 'GET', '/api/institution/refund-instructions')).json().items as {
      id: string;
    }[];
    expect(pending.some((i) => i.id === proposal!.id)).toBe(false);
    expect(
      (await b.client.post(`/api/deposit-refunds/${proposal!.id}/forfeit-decision`, { forfeit: true }))
        .statusCode,
    ).toBe(403);

    const decided = await lot.initiatorClient.post(`/api/deposit-refunds/${proposal!.id}/forfeit-decision`, {
      forfeit: true,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const initiatorEntity = (await lot.initiatorClient.get('/api/my/entity')).json();
    const initiatorAccount = (initiatorEntity.entity ?? initiatorEntity).basicAccount.accountNumber;
    const now = (await signed(bank, 'GET', '/api/institution/refund-instructions')).json().items as {
      id: string;
      payee: { accountNumber: string };
    }[];
    expect(now.find((i) => i.id === proposal!.id)?.payee.accountNumber).toBe(initiatorAccount);
    p.clock.set(saved);
  });

  test('the initiator may decline a forfeit: the deposit is refunded under the ordinary rule', async () => {
    const lot = await announcedLot({ procedureType: 'open-tender.works' });
    const b = await paidBidder(lot);
    await p.db.transaction().execute((tx) =>
      scheduleDepositRefunds(tx as never, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.lot.id,
        reason: 'withdrawn',
        forfeit: true,
      }),
    );
    const [proposal] = await refundsOf(lot.lot.id);
    const res = await lot.initiatorClient.post(`/api/deposit-refunds/${proposal!.id}/forfeit-decision`, {
      forfeit: false,
    });
    expect(res.json().status).toBe('cancelled');
    const all = await refundsOf(lot.lot.id);
    expect(all.map((r) => [r.kind, r.status])).toEqual([
      ['forfeit', 'cancelled'],
      ['refund', 'pending'],
    ]);
    expect(b.name).toBeTruthy();
  });
});
