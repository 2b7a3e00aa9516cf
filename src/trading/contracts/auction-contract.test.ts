import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { sm2Sign, toBase64Url } from '../../platform/crypto/index.ts';
import { auctionInBidding, auctionsDbOf } from '../auctions/test-factory.ts';
import { issueBidderKeys } from '../bids/test-factory.ts';

/** 出让（转让）合同 after an auction's deal: drafted from the 成交通知书, signed online by both, witnessed. */

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

// biome-ignore lint/suspicious/noExplicitAny: the test reads response bodies by the fields it asserts on.
type Json = Record<string, any>;
const sign = (key: Parameters<typeof sm2Sign>[0], text: string) =>
  toBase64Url(sm2Sign(key, new TextEncoder().encode(text)));

describe('contract after an auction deal', () => {
  test('挂牌成交 → 成交通知书 → 出让合同 at the deal price, no bond, signed by both; the auction records it', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 2, timedEntry: 'listed-bid' });
    const [b1, b2] = a.bidders;
    let res = await b1!.client.post(`/api/auctions/${a.auctionId}/bids`, { amountYuan: '1050000.00' });
    expect(res.statusCode, res.body).toBe(200);
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    await a.relogin();
    const contractUrl = `/api/lots/${a.lotId}/contract`;

    // 预成交: no 成交通知书 yet, so no contract.
    res = await a.initiator.get(contractUrl);
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json()).toMatchObject({ code: 'CONTRACT_NO_AWARD' });
    res = await a.initiator.post(contractUrl, {
      priceYuan: '1050000.00',
      terms: { scope: '宗地', payment: '一次性' },
    });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONTRACT_NO_NOTICE' });

    res = await a.initiator.post(`/api/auctions/${a.auctionId}/qualification`, { passed: true });
    expect(res.statusCode, res.body).toBe(200);
    const result = (await b1!.client.get(`/api/auctions/${a.auctionId}/result`)).json() as Json;
    expect(result.contractNote ?? result.result?.contractNote).toContain('在线签署');

    // The page: for the initiator and the winner, not for the other bidder.
    expect((await b2!.client.get(contractUrl)).statusCode).toBe(403);
    res = await b1!.client.get(contractUrl);
    expect(res.statusCode, res.body).toBe(200);
    let page = res.json() as Json;
    expect(page.award).toMatchObject({
      source: 'deal',
      law: 'rights',
      noticeNameZh: '成交通知书',
      partyNamesZh: { initiator: '出让人（转让方）', supplier: '竞得人（受让方）' },
      winner: { organizationId: b1!.organizationId, bidderName: b1!.name, priceYuan: '1050000.00' },
    });
    expect(page.draftDefaults).toMatchObject({ priceYuan: '1050000.00', maxPerformanceBondYuan: null });
    // The limit: 10 working days from the notice, by the rule the result names.
    expect(Date.parse(page.award.contractDueAt)).toBeGreaterThan(p.clock.now().getTime() + 10 * 86_400_000);

    // Only the deal price, and no performance bond (the deposit became part of the price).
    const draft = {
      priceYuan: '1050000.00',
      terms: { scope: '宗地国有建设用地使用权出让', payment: '成交后30日内付清' },
    };
    res = await a.initiator.post(contractUrl, { ...draft, priceYuan: '1040000.00' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONTRACT_PRICE_MISMATCH', title: '合同价款与成交价不一致' });
    res = await a.initiator.post(contractUrl, { ...draft, performanceBondYuan: '1000.00' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONTRACT_BOND_NOT_APPLICABLE' });
    // The winner is a party, not the drafter.
    expect((await b1!.client.post(contractUrl, draft)).statusCode).toBe(403);
    res = await a.initiator.post(contractUrl, draft);
    expect(res.statusCode, res.body).toBe(200);
    page = (await a.initiator.get(contractUrl)).json() as Json;
    const contract = page.contract;
    expect(contract).toMatchObject({
      status: 'draft',
      law: 'rights',
      priceYuan: '1050000.00',
      parties: { supplier: { organizationId: b1!.organizationId, creditCode: b1!.creditCode } },
      publication: { required: false, available: false },
    });

    // Both sign online with their bound SM2 certificates; the second signature concludes it.
    const winnerKeys = await issueBidderKeys(p, b1!.account.username);
    const initiatorKeys = await issueBidderKeys(p, a.initiatorAccount.username);
    res = await b1!.client.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(initiatorKeys.signKey, contract.signingText),
    });
    expect(res.statusCode).not.toBe(200);
    res = await b1!.client.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(winnerKeys.signKey, contract.signingText),
    });
    expect(res.statusCode, res.body).toBe(200);
    res = await a.initiator.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(initiatorKeys.signKey, contract.signingText),
    });
    expect(res.statusCode, res.body).toBe(200);
    page = (await a.initiator.get(contractUrl)).json() as Json;
    expect(page.contract).toMatchObject({ status: 'signed', method: 'online', late: false, refunds: null });
    expect(page.contract.signatures.map((s: Json) => s.partyNameZh).sort()).toEqual(
      ['出让人（转让方）', '竞得人（受让方）'].sort(),
    );
    // No 合同公告 for a rights contract: the 成交公示 published the result.
    res = await a.initiator.post(`/api/contracts/${contract.id}/publish`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONTRACT_PUBLICATION_NOT_APPLICABLE' });

    // The auction's result says so, and the witness log holds the contract's signing and the auction's mark.
    const after = (await b1!.client.get(`/api/auctions/${a.auctionId}/result`)).json() as Json;
    expect(after.contractNote ?? after.result?.contractNote).toContain(contract.id);
    const actions = await auctionsDbOf(p)
      .selectFrom('witness_events')
      .select(['entity_type', 'action'])
      .where('entity_id', 'in', [contract.id, a.auctionId])
      .execute();
    const names = actions.map((e) => `${e.entity_type}:${e.action}`);
    expect(names).toEqual(expect.arrayContaining(['contract:contract.signed', 'auction:auction.contracted']));
  });

  test('成交 without a contract: reminders before the limit, the regulator told after it, signing late needs a reason', async () => {
    const a = await auctionInBidding(p, { procedureType: 'listing', bidders: 1, timedEntry: 'listed-bid' });
    const [b1] = a.bidders;
    let res = await b1!.client.post(`/api/auctions/${a.auctionId}/bids`, { amountYuan: '1000000.00' });
    expect(res.statusCode, res.body).toBe(200);
    p.clock.set(a.times.listingEndsAt!);
    await p.jobs.runDueJobs();
    await a.relogin();
    res = await a.initiator.post(`/api/auctions/${a.auctionId}/qualification`, { passed: true });
    expect(res.statusCode, res.body).toBe(200);
    const contractUrl = `/api/lots/${a.lotId}/contract`;
    const dueAt = Date.parse(((await a.initiator.get(contractUrl)).json() as Json).award.contractDueAt);

    p.clock.set(new Date(dueAt - 86_400_000 + 60_000));
    await p.jobs.runDueJobs();
    await a.relogin();
    let alerts = ((await a.initiator.get(contractUrl)).json() as Json).alerts as Json[];
    expect(alerts.map((x) => x.kind).sort()).toEqual(['reminder', 'reminder']);
    expect(alerts.find((x) => x.daysBefore === 1)?.detail).toContain(`竞得人 ${b1!.name}`);

    p.clock.set(new Date(dueAt + 60_000));
    await p.jobs.runDueJobs();
    await a.relogin();
    alerts = ((await a.initiator.get(contractUrl)).json() as Json).alerts as Json[];
    const overdue = alerts.find((x) => x.kind === 'overdue');
    expect(overdue).toMatchObject({
      audience: 'regulator',
      title: '成交通知书发出后未在期限内签订出让（转让）合同',
    });

    res = await a.initiator.post(contractUrl, {
      priceYuan: '1000000.00',
      terms: { scope: '宗地国有建设用地使用权出让', payment: '一次付清' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const contract = ((await a.initiator.get(contractUrl)).json() as Json).contract;
    const winnerKeys = await issueBidderKeys(p, b1!.account.username);
    const initiatorKeys = await issueBidderKeys(p, a.initiatorAccount.username);
    res = await b1!.client.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(winnerKeys.signKey, contract.signingText),
    });
    expect(res.statusCode, res.body).toBe(200);
    res = await a.initiator.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(initiatorKeys.signKey, contract.signingText),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'CONTRACT_LATE_REASON_REQUIRED' });
    expect((res.json() as Json).detail).toContain('成交通知书于');
    res = await a.initiator.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(initiatorKeys.signKey, contract.signingText),
      lateReason: '出让人内部审批延误',
    });
    expect(res.statusCode, res.body).toBe(200);
    const page = (await a.initiator.get(contractUrl)).json() as Json;
    expect(page.contract).toMatchObject({ status: 'signed', late: true, lateReason: '出让人内部审批延误' });
    expect((page.alerts as Json[]).some((x) => x.kind === 'late-signed')).toBe(true);
  });
});
