import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform, uniqueName } from '../../../test/support/platform.ts';
import { addWorkingDays, endOfShanghaiDay, shanghaiDateOf } from '../../platform/clock/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { makeAcceptedEntity, registerReceivedLot } from '../projects/test-factory.ts';
import {
  type DepositsDb,
  type DepositTermsInput,
  depositStatus,
  type GuaranteeDocument,
  setDepositTerms,
  settleAuctionDeposits,
  signGuarantee,
} from './index.ts';
import { payTestDeposit, signedByBank, testBank } from './test-factory.ts';

/**
 * 竞买保证金 of lots that are not tendered (挂牌、拍卖、网络竞价): the terms the auction module sets through
 * `setDepositTerms`, cash paid through the same virtual sub-accounts, the 保证金缴纳截止, who paid kept secret
 * until the end of the bidding, and the settlement after the auction (转为成交价款 / 退还 within 5 working days
 * without interest).
 */
const START = '2026-03-02T01:00:00.000Z'; // Monday 09:00 in Shanghai
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
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

const db = () => p.db as unknown as Kysely<DepositsDb>;

function setTerms(input: DepositTermsInput) {
  return db()
    .transaction()
    .execute((tx) => setDepositTerms(tx, p.clock.now(), SYSTEM_ORIGIN, input));
}

/** A received 挂牌/拍卖 lot (land, 0301) whose deposit terms are set now: deadline in 3 days, revealed 2 days later. */
async function auctionLot(opts: { depositYuan?: string; procedureType?: 'auction' | 'listing' } = {}) {
  const lot = await registerReceivedLot(p, {
    procedureType: opts.procedureType ?? 'auction',
    catalogItemCode: '0301',
    estimateYuan: '18400000.00',
  });
  const now = p.clock.now().getTime();
  const deadline = new Date(now + 3 * DAY);
  const revealAt = new Date(now + 5 * DAY);
  const terms: DepositTermsInput = {
    lotId: lot.lot.id,
    depositYuan: opts.depositYuan ?? '3680000',
    deadline,
    revealAt,
    validityUntil: new Date(revealAt.getTime() + 30 * DAY),
    setBy: `auction:${uniqueName('a')}`,
  };
  await setTerms(terms);
  return { ...lot, terms };
}

function dueIn5WorkingDays(at: Date): string {
  return endOfShanghaiDay(addWorkingDays(shanghaiDateOf(at), 5)).toISOString();
}

describe('deposit terms of a lot that is not tendered (竞买保证金)', () => {
  test('terms set through the port: a bidder pays into its virtual account before the deadline and is satisfied', async () => {
    const lot = await auctionLot();
    const events = await p.db
      .selectFrom('witness_events')
      .select(['action', 'payload'])
      .where('entity_type', '=', 'deposit-terms')
      .where('entity_id', '=', lot.lot.id)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'deposit-terms.set' });
    expect(JSON.stringify(events[0]!.payload)).toContain('3680000.00');

    const bidder = await makeAcceptedEntity(p, ['competitive_bidder']);
    const orgId = bidder.account.organizationId!;
    expect(await depositStatus(db(), p.sealer, lot.lot.id, orgId)).toMatchObject({
      required: true,
      requiredYuan: '3680000.00',
      satisfied: false,
    });
    const paid = await payTestDeposit(p, { lotId: lot.lot.id, bidder, amountYuan: '3680000.00' });
    expect(paid.status).toBe('accepted');
    expect(await depositStatus(db(), p.sealer, lot.lot.id, orgId)).toMatchObject({
      required: true,
      satisfied: true,
      paidYuan: '3680000.00',
      forms: ['cash'],
    });
    const mine = (await bidder.client.get(`/api/lots/${lot.lot.id}/my-deposit`)).json();
    expect(mine).toMatchObject({ requiredYuan: '3680000.00', bidDeadline: lot.terms.deadline.toISOString() });

    // What an issuer reads: the deadline and the validity the terms ask.
    const bank = await testBank(p);
    const issuerView = await signedByBank(p, bank, 'GET', `/api/institution/lots/${lot.lot.id}`);
    expect(issuerView.json()).toMatchObject({
      bidDeadline: lot.terms.deadline.toISOString(),
      depositYuan: '3680000.00',
      guaranteeMustCoverUntil: lot.terms.validityUntil.toISOString(),
    });
  });

  test('after the 保证金缴纳截止 no account is opened and a transfer valued later does not count', async () => {
    const lot = await auctionLot({ depositYuan: '100000' });
    const early = await makeAcceptedEntity(p, ['competitive_bidder']);
    const bank = await testBank(p);
    const opened = await early.client.post(`/api/lots/${lot.lot.id}/my-deposit/account`, {
      institutionId: bank.id,
    });
    expect(opened.statusCode, opened.body).toBe(200);

    p.clock.set(lot.terms.deadline);
    const late = await makeAcceptedEntity(p, ['competitive_bidder']);
    const refused = await late.client.post(`/api/lots/${lot.lot.id}/my-deposit/account`, {
      institutionId: bank.id,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'DEPOSIT_AFTER_DEADLINE',
      title: '已过保证金缴纳截止时间',
    });
    expect(refused.json().detail).toContain('保证金缴纳截止时间');
    expect(JSON.stringify(refused.json())).not.toContain('投标截止');

    // The early bidder's account exists, but money valued at the deadline comes too late: returned.
    const paid = await payTestDeposit(p, { lotId: lot.lot.id, bidder: early, amountYuan: '100000.00' });
    expect(paid.status).toBe('late');
    expect(await depositStatus(db(), p.sealer, lot.lot.id, early.account.organizationId!)).toMatchObject({
      satisfied: false,
      paidYuan: '0.00',
    });
  });

  test('terms may be re-set until the deadline, not after; a tendered lot takes none; bad times are refused', async () => {
    const lot = await auctionLot({ depositYuan: '50000' });
    await setTerms({ ...lot.terms, depositYuan: '60000' });
    expect((await depositStatus(db(), p.sealer, lot.lot.id, 'nobody')).requiredYuan).toBe('60000.00');

    await expect(
      setTerms({ ...lot.terms, revealAt: new Date(lot.terms.deadline.getTime() - 1) }),
    ).rejects.toMatchObject({ code: 'DEPOSIT_REVEAL_BEFORE_DEADLINE' });

    p.clock.set(lot.terms.deadline);
    await expect(
      setTerms({ ...lot.terms, deadline: new Date(lot.terms.deadline.getTime() + DAY) }),
    ).rejects.toMatchObject({ code: 'DEPOSIT_TERMS_LOCKED', status: 409 });

    const tendered = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const now = p.clock.now().getTime();
    await expect(
      setTerms({
        lotId: tendered.lot.id,
        depositYuan: '1000',
        deadline: new Date(now + DAY),
        revealAt: new Date(now + DAY),
        validityUntil: new Date(now + 2 * DAY),
        setBy: 'test',
      }),
    ).rejects.toMatchObject({ code: 'DEPOSIT_TERMS_TENDERED_LOT' });
  });

  test('who paid stays sealed until revealAt, then the lot’s parties see the list', async () => {
    const lot = await auctionLot({ depositYuan: '20000' });
    const bidder = await makeAcceptedEntity(p, ['competitive_bidder']);
    await payTestDeposit(p, { lotId: lot.lot.id, bidder, amountYuan: '20000.00' });

    p.clock.set(lot.terms.deadline); // past the deadline, before the end of the bidding
    const sealed = await lot.initiatorClient.get(`/api/lots/${lot.lot.id}/deposits`);
    expect(sealed.statusCode).toBe(409);
    expect(sealed.json()).toMatchObject({ code: 'DEPOSITS_SEALED', title: '竞价结束前不公开保证金缴纳情况' });

    p.clock.set(lot.terms.revealAt);
    const listed = await lot.initiatorClient.get(`/api/lots/${lot.lot.id}/deposits`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().bidders.map((b: { organizationId: string }) => b.organizationId)).toEqual([
      bidder.account.organizationId,
    ]);
  });
});

describe('settlement after an auction (settleAuctionDeposits)', () => {
  async function refundsOf(lotId: string) {
    return p.db
      .selectFrom('deposit_refunds')
      .selectAll()
      .where('lot_id', '=', lotId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  function settle(input: Parameters<typeof settleAuctionDeposits>[3]) {
    return db()
      .transaction()
      .execute((tx) => settleAuctionDeposits(tx, p.clock.now(), SYSTEM_ORIGIN, input));
  }

  test('a deal: the winner’s cash becomes part of the price, the others are refunded in 5 working days without interest', async () => {
    const lot = await auctionLot({ depositYuan: '500000' });
    const [winner, second, third] = await Promise.all(
      [0, 1, 2].map(() => makeAcceptedEntity(p, ['competitive_bidder'])),
    );
    for (const b of [winner!, second!, third!]) {
      expect(
        (await payTestDeposit(p, { lotId: lot.lot.id, bidder: b, amountYuan: '500000.00' })).status,
      ).toBe('accepted');
    }
    p.clock.set(new Date(lot.terms.revealAt.getTime() + HOUR));
    const at = p.clock.now();
    await settle({
      lotId: lot.lot.id,
      winnerOrganizationId: winner!.account.organizationId!,
      reason: 'not-awarded',
    });

    const rows = await refundsOf(lot.lot.id);
    expect(rows).toHaveLength(3);
    const converted = rows.filter((r) => r.kind === 'convert');
    const refunded = rows.filter((r) => r.kind === 'refund');
    expect(converted).toHaveLength(1);
    expect(refunded).toHaveLength(2);
    expect(converted[0]).toMatchObject({
      status: 'pending',
      reason: 'deal',
      principal_yuan: '500000.00',
      interest_yuan: '0.00',
    });
    expect(converted[0]!.citation).toContain('39号');
    for (const r of refunded) {
      expect(r).toMatchObject({ status: 'pending', reason: 'not-awarded', interest_yuan: '0.00' });
      expect(r.interest_rate).toBeNull();
      expect(r.due_at.toISOString()).toBe(dueIn5WorkingDays(at));
      expect(r.citation).toContain('5个工作日');
    }

    // The bank's instructions: the conversion pays the 出让人's 基本账户, the refunds go back to the payers.
    const bank = await testBank(p);
    const listed = await signedByBank(p, bank, 'GET', '/api/institution/refund-instructions');
    const items = (listed.json() as { items: { id: string; kind: string; payee: { accountName: string } }[] })
      .items;
    const conversion = items.find((i) => i.id === converted[0]!.id);
    expect(conversion?.kind).toBe('convert');
    const initiatorEntity = (await lot.initiatorClient.get('/api/my/entity')).json();
    const initiatorName =
      initiatorEntity.entity?.basicAccount?.accountName ?? initiatorEntity.basicAccount?.accountName;
    expect(conversion?.payee.accountName).toBe(initiatorName);
    expect(items.filter((i) => refunded.some((r) => r.id === i.id))).toHaveLength(2);

    // The winner's deposit is spent: it no longer stands as a deposit. The view names the kind in Chinese.
    expect((await depositStatus(db(), p.sealer, lot.lot.id, winner!.account.organizationId!)).satisfied).toBe(
      false,
    );
    const mine = (await winner!.client.get(`/api/lots/${lot.lot.id}/my-deposit`)).json();
    expect(mine.refunds[0]).toMatchObject({ kind: 'convert', kindNameZh: '转为成交价款' });

    // Settling again changes nothing; the bank executes the conversion.
    await settle({
      lotId: lot.lot.id,
      winnerOrganizationId: winner!.account.organizationId!,
      reason: 'not-awarded',
    });
    expect(await refundsOf(lot.lot.id)).toHaveLength(3);
    const done = await signedByBank(
      p,
      bank,
      'POST',
      `/api/institution/refund-instructions/${converted[0]!.id}/executed`,
      { bankReference: uniqueName('ZF') },
    );
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'executed', lateInterestYuan: null });
  });

  test('no deal (流拍): everyone’s cash is refunded with the reason; the winner’s guarantee is released on a deal', async () => {
    const failed = await auctionLot({ depositYuan: '10000', procedureType: 'listing' });
    const a = await makeAcceptedEntity(p, ['competitive_bidder']);
    const b = await makeAcceptedEntity(p, ['competitive_bidder']);
    await payTestDeposit(p, { lotId: failed.lot.id, bidder: a, amountYuan: '10000.00' });
    await payTestDeposit(p, { lotId: failed.lot.id, bidder: b, amountYuan: '10000.00' });
    await settle({ lotId: failed.lot.id, winnerOrganizationId: null, reason: 'lot-failed' });
    const rows = await refundsOf(failed.lot.id);
    expect(rows.map((r) => [r.kind, r.reason, r.interest_yuan])).toEqual([
      ['refund', 'lot-failed', '0.00'],
      ['refund', 'lot-failed', '0.00'],
    ]);

    // A deal won by a bidder whose deposit is a bank guarantee: released, nothing converted.
    const dealt = await auctionLot({ depositYuan: '10000' });
    const guaranteed = await makeAcceptedEntity(p, ['competitive_bidder']);
    const bank = await testBank(p);
    const doc: GuaranteeDocument = {
      format: 'ggzy-guarantee/v1',
      guaranteeNo: uniqueName('BH'),
      issuer: { institutionId: bank.id, creditCode: bank.creditCode, name: bank.name },
      lotId: dealt.lot.id,
      lotCode: dealt.lot.code,
      applicant: { creditCode: guaranteed.creditCode, name: guaranteed.name },
      beneficiary: { organizationId: dealt.lot.initiatorOrganizationId, name: '出让人' },
      amountYuan: '10000.00',
      validFrom: p.clock.now().toISOString(),
      validUntil: dealt.terms.validityUntil.toISOString(),
      issuedAt: p.clock.now().toISOString(),
    };
    const issued = await signedByBank(p, bank, 'POST', '/api/institution/guarantees', {
      guarantee: doc,
      signature: signGuarantee(bank.key, doc),
    });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(
      await depositStatus(db(), p.sealer, dealt.lot.id, guaranteed.account.organizationId!),
    ).toMatchObject({ satisfied: true, forms: ['guarantee'] });
    await settle({
      lotId: dealt.lot.id,
      winnerOrganizationId: guaranteed.account.organizationId!,
      reason: 'not-awarded',
    });
    expect((await refundsOf(dealt.lot.id)).map((r) => [r.kind, r.reason, r.source])).toEqual([
      ['release', 'deal', 'guarantee'],
    ]);
  });
});
