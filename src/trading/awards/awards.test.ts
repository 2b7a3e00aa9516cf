import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import {
  importSm2PublicKeyPem,
  sm2Sign,
  sm2Verify,
  sm3Hex,
  toBase64Url,
} from '../../platform/crypto/index.ts';
import { issueBidderKeys } from '../bids/test-factory.ts';
import { evaluatedLot } from '../evaluation/test-factory.ts';
import { relogin } from '../opening/test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const MINUTE = 60_000;
const DAY = 86_400_000;
const SPECIALTY = 'A020114';

interface AwardView {
  status: string;
  law: string;
  candidates: { rank: number; bidId: string; organizationId: string; priceYuan: string }[];
  publicity: { announcementId: string; endsAt: string } | null;
  objections: { id: string; answeredAt: string | null; late: boolean }[];
  winner: { bidId: string; organizationId: string; rank: number; priceYuan: string } | null;
  deemed: boolean;
  skipReason: { code: string } | null;
  notice: { sm3: string; resultAnnouncementId: string; resultPublicityEndsAt: string } | null;
  failure: { reason: string; announcementId: string } | null;
  deadlines: {
    first: { kind: string; dueAt: string; late: boolean } | null;
    notice: { dueAt: string } | null;
    contract: { dueAt: string } | null;
  };
}

interface ContractPage {
  award: { contractDueAt: string; winner: { priceYuan: string } };
  draftDefaults: { priceYuan: string; maxPerformanceBondYuan: string; period: string | null };
  contract: {
    id: string;
    status: string;
    signingText: string;
    signatures: { party: string }[];
    late: boolean;
    lateReason: string | null;
    refunds: { dueBy: string; citation: string } | null;
    publication: { required: boolean; dueAt: string | null; publishedAt: string | null; late: boolean };
  } | null;
  alerts: { kind: string; daysBefore: number; audience: string }[];
}

function problem(res: { statusCode: number; json(): unknown }) {
  return { status: res.statusCode, ...(res.json() as { code: string; title: string; citation?: string }) };
}

function sign(key: Parameters<typeof sm2Sign>[0], text: string): string {
  return toBase64Url(sm2Sign(key, new TextEncoder().encode(text)));
}

async function advanceTo(at: Date | number) {
  p.clock.set(new Date(at));
  await p.jobs.runDueJobs();
}

describe('award and contract — 工程 (works)', () => {
  test('publicity → objection suspends → 第五十五条 choice → signed notice → contract signed late with reason', {
    timeout: 240_000,
  }, async () => {
    const e = await evaluatedLot(p, {
      procedureType: 'open-tender.works',
      regionCode: '150621',
      specialtyCode: SPECIALTY,
    });
    await relogin(p, e.opened);
    const lotId = e.opened.lot.id;
    const url = `/api/lots/${lotId}/award`;
    const [b0, b1, b2] = e.opened.bidders;
    if (!b0 || !b1 || !b2) throw new Error('three bidders expected');
    let agency = e.opened.agency.session;
    let initiator = e.opened.initiator.session;

    // The award file opens from the report: 3 日 to publish the candidates.
    let res = await agency.get(url);
    expect(res.statusCode).toBe(200);
    let award = res.json() as AwardView;
    expect(award.status).toBe('reported');
    expect(award.candidates.map((c) => c.rank)).toEqual([1, 2, 3]);
    expect(award.deadlines.first?.kind).toBe('publication');
    const first = award.candidates[0]!;
    const second = award.candidates[1]!;
    const bidderOf = (orgId: string) => e.opened.bidders.find((b) => b.organizationId === orgId)!;
    const loser = bidderOf(award.candidates[2]!.organizationId);

    // Before the publicity: no objection, no decision.
    res = await loser.session.post(`${url}/objections`, {
      text: '第一中标候选人的类似业绩不符合招标文件要求',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_OBJECTION_OUTSIDE_PUBLICITY' });
    res = await initiator.post(`${url}/confirm`, { bidId: first.bidId });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_PUBLICITY_REQUIRED' });

    res = await agency.post(`${url}/publicity`, { objectionChannel: '招标人 张工 0471-6600000' });
    expect(res.statusCode).toBe(200);
    award = res.json() as AwardView;
    expect(award.status).toBe('publicity');
    const announcement = await p.anonymous.get(
      `/api/public/announcements/${award.publicity?.announcementId}`,
    );
    expect(announcement.statusCode).toBe(200);
    expect(announcement.body).toContain('第一中标候选人');
    expect(announcement.body).toContain('0471-6600000');

    // An objection during the publicity; the decision waits for the end and for the answer.
    res = await loser.session.post(`${url}/objections`, {
      text: '第一中标候选人的类似业绩不符合招标文件要求',
    });
    expect(res.statusCode).toBe(201);
    res = await initiator.post(`${url}/confirm`, { bidId: first.bidId });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_PUBLICITY_NOT_ENDED' });

    await advanceTo(Date.parse(award.publicity?.endsAt ?? '') + MINUTE);
    await relogin(p, e.opened);
    agency = e.opened.agency.session;
    initiator = e.opened.initiator.session;
    res = await loser.session.post(`${url}/objections`, { text: '公示期满后再提出的异议不应受理的测试' });
    expect(problem(res)).toMatchObject({
      status: 409,
      code: 'AWARD_OBJECTION_OUTSIDE_PUBLICITY',
      citation: expect.stringContaining('第五十四条'),
    });
    res = await initiator.post(`${url}/confirm`, { bidId: first.bidId });
    expect(problem(res)).toMatchObject({
      status: 409,
      code: 'AWARD_SUSPENDED_BY_OBJECTION',
      citation: expect.stringContaining('第五十四条'),
    });
    award = (await agency.get(url)).json() as AwardView;
    expect(award.objections).toHaveLength(1);
    expect(award.objections[0]?.late).toBe(true); // 3 日 passed unanswered: flagged by the job
    res = await initiator.post(`/api/award-objections/${award.objections[0]?.id}/answer`, {
      answer: '经核查，第一中标候选人的业绩符合招标文件要求。',
    });
    expect(res.statusCode).toBe(200);

    // Only the initiator decides; only a candidate; the second only with a 第五十五条 ground.
    res = await agency.post(`${url}/confirm`, { bidId: first.bidId });
    expect(res.statusCode).toBe(403);
    res = await initiator.post(`${url}/confirm`, { bidId: 'not-a-candidate' });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_NOT_A_CANDIDATE' });
    res = await initiator.post(`${url}/confirm`, { bidId: second.bidId });
    expect(problem(res)).toMatchObject({
      status: 409,
      code: 'AWARD_FIRST_CANDIDATE_REQUIRED',
      citation: expect.stringContaining('第五十五条'),
    });
    expect(((await agency.get(url)).json() as AwardView).status).toBe('publicity');
    res = await initiator.post(`${url}/confirm`, {
      bidId: second.bidId,
      reasonCode: 'declined',
      reasonText: '排名第一的中标候选人书面声明放弃中标',
    });
    expect(res.statusCode).toBe(200);
    award = res.json() as AwardView;
    expect(award).toMatchObject({ status: 'confirmed', winner: { bidId: second.bidId, rank: 2 } });
    expect(award.skipReason?.code).toBe('declined');

    // The signed notice and the result announcement.
    res = await agency.post(`${url}/notice`);
    expect(res.statusCode).toBe(200);
    award = res.json() as AwardView;
    expect(award.status).toBe('notified');
    const winner = bidderOf(second.organizationId);
    const notice = await winner.session.get(`${url}/notice`);
    expect(notice.statusCode).toBe(200);
    const signed = notice.json() as {
      noticeJson: string;
      noticeSm3: string;
      signature: { value: string; publicKeyPem: string };
      notice: { winner: { organizationId: string } };
    };
    const bytes = new TextEncoder().encode(signed.noticeJson);
    expect(sm3Hex(bytes)).toBe(signed.noticeSm3);
    expect(signed.notice.winner.organizationId).toBe(winner.organizationId);
    const publicKey = importSm2PublicKeyPem(signed.signature.publicKeyPem);
    const signature = Buffer.from(signed.signature.value, 'base64url');
    expect(sm2Verify(publicKey, bytes, signature)).toBe(true);
    expect(sm2Verify(publicKey, new TextEncoder().encode(`${signed.noticeJson} `), signature)).toBe(false);
    expect((await loser.session.get(`${url}/notice`)).statusCode).toBe(403);
    const mine = (await loser.session.get(`/api/lots/${lotId}/my-award`)).json() as {
      awarded: boolean;
      own: { rank: number | null } | null;
    };
    expect(mine.awarded).toBe(false);
    expect(mine.own?.rank).toBe(3);

    // The contract: the winning price to the fen, a bond of at most 10%.
    const contractUrl = `/api/lots/${lotId}/contract`;
    let page = (await initiator.get(contractUrl)).json() as ContractPage;
    expect(page.draftDefaults.priceYuan).toBe(second.priceYuan);
    const draft = {
      priceYuan: second.priceYuan,
      performanceBondYuan: page.draftDefaults.maxPerformanceBondYuan,
      terms: { scope: '污水管网工程施工', payment: '按月进度款支付80%，竣工结算后付至97%' },
    };
    const wrongPrice = (Number(second.priceYuan) + 0.01).toFixed(2);
    res = await initiator.post(contractUrl, { ...draft, priceYuan: wrongPrice });
    expect(problem(res)).toMatchObject({
      status: 409,
      code: 'CONTRACT_PRICE_MISMATCH',
      citation: expect.stringContaining('第五十七条'),
    });
    res = await initiator.post(contractUrl, {
      ...draft,
      performanceBondYuan: (Number(page.draftDefaults.maxPerformanceBondYuan) + 0.01).toFixed(2),
    });
    expect(problem(res)).toMatchObject({
      status: 409,
      code: 'CONTRACT_BOND_OVER_LIMIT',
      citation: expect.stringContaining('第五十八条'),
    });
    expect(((await initiator.get(contractUrl)).json() as ContractPage).contract).toBeNull();
    res = await initiator.post(contractUrl, draft);
    expect(res.statusCode).toBe(200);
    page = res.json() as ContractPage;
    const contract = page.contract!;
    expect(contract.status).toBe('draft');
    expect(page.draftDefaults.period).not.toBeNull();

    // Reminders 7 and 1 day before the limit, then the regulator is alerted when it passes.
    const dueAt = Date.parse(page.award.contractDueAt);
    await advanceTo(dueAt - 7 * DAY + MINUTE);
    await advanceTo(dueAt - DAY + MINUTE);
    await advanceTo(dueAt + MINUTE);
    await relogin(p, e.opened);
    initiator = e.opened.initiator.session;
    agency = e.opened.agency.session;
    page = (await winner.session.get(contractUrl)).json() as ContractPage;
    expect(page.alerts.map((a) => [a.kind, a.daysBefore])).toEqual([
      ['reminder', 7],
      ['reminder', 1],
      ['overdue', 0],
    ]);

    // A wrong SM2 signature is refused; nothing is stored.
    const contractApi = `/api/contracts/${contract.id}`;
    res = await winner.session.post(`${contractApi}/sign`, {
      signature: sign(b0 === winner ? b1.keys.signKey : b0.keys.signKey, contract.signingText),
    });
    expect(problem(res)).toMatchObject({ status: 403, code: 'SIGNATURE_INVALID' });
    res = await winner.session.post(`${contractApi}/sign`, {
      signature: sign(winner.keys.signKey, `${contract.signingText}x`),
    });
    expect(problem(res)).toMatchObject({ status: 403, code: 'SIGNATURE_INVALID' });
    res = await winner.session.post(`${contractApi}/sign`, {
      signature: sign(winner.keys.signKey, contract.signingText),
    });
    expect(res.statusCode).toBe(200);
    expect((res.json() as ContractPage).contract?.status).toBe('signing');

    // After the 30 days: signed only with the reason recorded, and the regulator is told.
    const initiatorKeys = await issueBidderKeys(p, e.opened.initiator.account.username);
    res = await initiator.post(`${contractApi}/sign`, {
      signature: sign(initiatorKeys.signKey, contract.signingText),
    });
    expect(problem(res)).toMatchObject({
      status: 409,
      code: 'CONTRACT_LATE_REASON_REQUIRED',
      citation: expect.stringContaining('第四十六条'),
    });
    expect(((await initiator.get(contractUrl)).json() as ContractPage).contract?.signatures).toHaveLength(1);
    res = await initiator.post(`${contractApi}/sign`, {
      signature: sign(initiatorKeys.signKey, contract.signingText),
      lateReason: '中标人法定代表人变更，授权手续办理延误',
    });
    expect(res.statusCode).toBe(200);
    page = res.json() as ContractPage;
    expect(page.contract).toMatchObject({
      status: 'signed',
      late: true,
      lateReason: expect.stringContaining('变更'),
    });
    expect(page.contract?.refunds?.citation).toContain('第五十七条');
    expect(((await agency.get(url)).json() as AwardView).status).toBe('contracted');

    const supervisor = await p.as(await p.makeAccount(['supervisor'], { displayName: '行业监督' }));
    const alerts = (await supervisor.get('/api/supervision/contract-alerts')).json() as {
      items: { lotId: string; kind: string }[];
    };
    expect(
      alerts.items
        .filter((a) => a.lotId === lotId)
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['late-signed', 'overdue']);
    expect((await initiator.get('/api/supervision/contract-alerts')).statusCode).toBe(403);

    // Signed: the procedure cannot fail any more.
    res = await agency.post(`/api/lots/${lotId}/failure`, {
      reason: 'terminated',
      text: '签约后不得终止的测试',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_STATE' });
  });

  test('流标/终止 after the evaluation: reason checked and recorded, termination announcement published', {
    timeout: 240_000,
  }, async () => {
    const e = await evaluatedLot(p, {
      procedureType: 'open-tender.works',
      regionCode: '150622',
      specialtyCode: SPECIALTY,
    });
    await relogin(p, e.opened);
    const lotId = e.opened.lot.id;
    const agency = e.opened.agency.session;
    let res = await agency.post(`/api/lots/${lotId}/failure`, {
      reason: 'evaluation-failed',
      text: '评标委员会否决全部投标',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_FAILURE_REASON_MISMATCH' });
    res = await agency.post(`/api/lots/${lotId}/failure`, { reason: 'terminated', text: '' });
    expect(res.statusCode).toBe(400);
    res = await agency.post(`/api/lots/${lotId}/failure`, {
      reason: 'terminated',
      text: '项目因规划调整取消建设',
    });
    expect(res.statusCode).toBe(200);
    const award = res.json() as AwardView;
    expect(award).toMatchObject({ status: 'terminated', failure: { reason: 'terminated' } });
    const announcement = await p.anonymous.get(`/api/public/announcements/${award.failure?.announcementId}`);
    expect(announcement.statusCode).toBe(200);
    expect(announcement.body).toContain('项目因规划调整取消建设');
    res = await e.opened.initiator.session.post(`/api/lots/${lotId}/award/confirm`, {
      bidId: award.candidates[0]?.bidId,
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_STATE' });
    res = await e.opened.bidders[0]!.session.post(`/api/lots/${lotId}/award/objections`, {
      text: '终止后提出异议的测试内容',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_OBJECTION_OUTSIDE_PUBLICITY' });
  });
});

describe('award and contract — 政府采购 (working days)', () => {
  test('no publicity; 5 工作日 without a decision → the first is deemed; losers see only their own result; contract published', {
    timeout: 240_000,
  }, async () => {
    const e = await evaluatedLot(p, {
      procedureType: 'open-tender.gp',
      regionCode: '150623',
      specialtyCode: SPECIALTY,
    });
    await relogin(p, e.opened);
    const lotId = e.opened.lot.id;
    const url = `/api/lots/${lotId}/award`;
    let agency = e.opened.agency.session;
    let award = (await agency.get(url)).json() as AwardView;
    expect(award).toMatchObject({ status: 'reported', law: 'gp' });
    expect(award.deadlines.first?.kind).toBe('decision');
    let res = await agency.post(`${url}/publicity`, { objectionChannel: '采购人 李工 0471-6600001' });
    expect(problem(res)).toMatchObject({ status: 409, code: 'AWARD_PUBLICITY_WORKS_ONLY' });

    // The last minute of the 5th working day: still undecided; the next minute: deemed.
    const decisionDue = Date.parse(award.deadlines.first?.dueAt ?? '');
    await advanceTo(decisionDue - MINUTE);
    await relogin(p, e.opened);
    agency = e.opened.agency.session;
    expect(((await agency.get(url)).json() as AwardView).status).toBe('reported');
    await advanceTo(decisionDue + MINUTE);
    await relogin(p, e.opened);
    agency = e.opened.agency.session;
    award = (await agency.get(url)).json() as AwardView;
    expect(award).toMatchObject({ status: 'confirmed', deemed: true, winner: { rank: 1 } });
    expect(award.deadlines.first?.late).toBe(true);
    expect(Date.parse(award.deadlines.notice?.dueAt ?? '')).toBeGreaterThan(decisionDue);

    res = await agency.post(`${url}/notice`);
    expect(res.statusCode).toBe(200);
    award = res.json() as AwardView;
    expect(award.status).toBe('notified');
    const result = await p.anonymous.get(`/api/public/announcements/${award.notice?.resultAnnouncementId}`);
    expect(result.body).toContain('1个工作日');
    expect(result.body).toContain('评审专家名单');

    // A loser learns its own score and rank, nobody else's.
    const winnerOrg = award.winner?.organizationId;
    const losers = e.opened.bidders.filter((b) => b.organizationId !== winnerOrg);
    const [loser, other] = losers;
    if (!loser || !other) throw new Error('two losers expected');
    const mine = await loser.session.get(`/api/lots/${lotId}/my-award`);
    const body = mine.json() as {
      awarded: boolean;
      own: { rank: number; score: string };
      candidates: unknown[];
    };
    const expected = e.outcome.bidders.find((b) => b.organizationId === loser.organizationId);
    expect(body.awarded).toBe(false);
    expect(body.own).toMatchObject({ rank: expected?.rank, score: expected?.score });
    expect(body.candidates).toEqual([]);
    expect(mine.body).not.toContain(other.organizationId);

    // Contract within the limit, signed by both; refunds from the signing; published within 2 工作日.
    const winner = e.opened.bidders.find((b) => b.organizationId === winnerOrg)!;
    const initiator = e.opened.initiator.session;
    const contractUrl = `/api/lots/${lotId}/contract`;
    let page = (await initiator.get(contractUrl)).json() as ContractPage;
    res = await initiator.post(contractUrl, {
      priceYuan: page.draftDefaults.priceYuan,
      performanceBondYuan: null,
      terms: { scope: '办公设备采购', payment: '验收合格后30日内一次付清' },
    });
    expect(res.statusCode).toBe(200);
    page = res.json() as ContractPage;
    const contract = page.contract!;
    const initiatorKeys = await issueBidderKeys(p, e.opened.initiator.account.username);
    res = await initiator.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(initiatorKeys.signKey, contract.signingText),
    });
    expect(res.statusCode).toBe(200);
    res = await initiator.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(initiatorKeys.signKey, contract.signingText),
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'CONTRACT_ALREADY_SIGNED' });
    res = await winner.session.post(`/api/contracts/${contract.id}/sign`, {
      signature: sign(winner.keys.signKey, contract.signingText),
    });
    expect(res.statusCode).toBe(200);
    page = res.json() as ContractPage;
    expect(page.contract).toMatchObject({ status: 'signed', late: false });
    expect(page.contract?.refunds?.citation).toContain('财政部令第87号');
    expect(page.contract?.publication.required).toBe(true);

    const publicationDue = Date.parse(page.contract?.publication.dueAt ?? '');
    await advanceTo(publicationDue + MINUTE);
    await relogin(p, e.opened);
    const late = (await e.opened.initiator.session.get(contractUrl)).json() as ContractPage;
    expect(late.contract?.publication.late).toBe(true);
    expect(late.alerts.map((a) => a.kind)).toContain('publication-late');
    res = await e.opened.agency.session.post(`/api/contracts/${contract.id}/publish`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as ContractPage).contract?.publication.publishedAt).not.toBeNull();
  });
});
