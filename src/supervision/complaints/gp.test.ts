import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import {
  addBidder,
  type LotForBidding,
  openLotForBidding,
  type TestBidder,
} from '../../trading/bids/test-factory.ts';
import { assertLotNotSuspended, suspensionInForce } from '../../trading/procedures/index.ts';
import { makeAcceptedEntity } from '../../trading/projects/test-factory.ts';
import { giveTestScope } from '../scopes/test-factory.ts';

/**
 * 政府采购质疑与投诉 (政府采购法第五十二条至第五十八条; 财政部令第94号) through the real platform: the 质疑 on the
 * 采购过程 built here and the 质疑 on the 采购文件 recorded by trading, the 15 个工作日 after the answer period,
 * the scope lock of 第二十条, 补正, copies and explanation, suspension ≤ 30 日, the outcomes of 第三十一、三十二条,
 * termination on withdrawal, and the clocks flagged by jobs.
 */
const DAY = 86_400_000;
/** Day n of the scenario at 10:00 Beijing time; day 0 is Monday 2026-03-02. */
const day = (n: number, hour = 10) =>
  new Date(Date.parse('2026-03-02T00:00:00+08:00') + n * DAY + hour * 3_600_000);

let p: TestPlatform;
let lot: LotForBidding;
let a: TestBidder;
let b: TestBidder;
let c: TestBidder;
let officerAccount: Awaited<ReturnType<TestPlatform['makeAccount']>>;
const ids = {} as Record<
  'challengeA' | 'challengeA2' | 'challengeC' | 'objectionB' | 'complaintA' | 'complaintB',
  string
>;

beforeAll(async () => {
  p = await makeTestPlatform({
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    GGZY_SESSION_HOURS: String(24 * 30),
  });
  p.clock.set(day(0, 9));
  lot = await openLotForBidding(p, { procedureType: 'open-tender.gp', bidders: 3 });
  [a, b, c] = lot.bidders as [TestBidder, TestBidder, TestBidder];
  const officer = await p.makeAccount(['supervisor'], { displayName: '政府采购监督科' });
  await giveTestScope(p.db, officer.id, {
    department: '呼和浩特市新城区财政局',
    regionPrefixes: ['150102'],
    catalogPrefixes: ['02'],
  });
  officerAccount = officer;
}, 240_000);

afterAll(async () => {
  await p?.close();
});

type Res = { statusCode: number; body: string; json(): unknown };
const json = <T = Record<string, unknown>>(res: Res) => res.json() as T;
function problem(res: Res) {
  return { status: res.statusCode, ...(res.json() as { code: string; citation?: string; detail?: string }) };
}
async function advanceTo(at: Date) {
  p.clock.set(at);
  return p.jobs.runDueJobs();
}
const asOfficer = () => p.as(officerAccount);

function challengeBody(overrides: Record<string, unknown> = {}) {
  return {
    stage: 'process',
    step: '资格审查',
    contactName: '孙丽',
    contactPhone: '13904710002',
    knownOn: '2026-03-02',
    knownEvidence: '2026年3月2日资格审查结果告知函',
    items: [{ matter: 'qualification', text: '资格审查认定我公司社保缴纳证明不合格，与采购文件要求不符' }],
    facts: '采购文件要求提供近三个月社保缴纳证明，我公司已提供。',
    requests: '请求重新进行资格审查。',
    legalBasis: '《政府采购货物和服务招标投标管理办法》第四十四条',
    materials: [],
    ...overrides,
  };
}

function complaintBody(items: unknown[], overrides: Record<string, unknown> = {}) {
  return {
    lotId: lot.lot.id,
    complainantKind: 'bidder',
    interest: null,
    address: '呼和浩特市新城区新华大街2号',
    contactName: '孙丽',
    contactPhone: '13904710002',
    signatory: { name: '孙丽', capacity: 'legal-representative' },
    respondents: ['initiator', 'agency'],
    facts: '资格审查错误认定我公司不合格。',
    requests: '责令重新开展资格审查。',
    legalBasis: '《中华人民共和国政府采购法》第五十五条',
    knownOn: '2026-03-02',
    knownEvidence: '资格审查结果告知函',
    items,
    materials: [],
    ...overrides,
  };
}

async function countComplaints(organizationId: string) {
  return (
    await p.db
      .selectFrom('complaints')
      .select('id')
      .where('complainant_organization_id', '=', organizationId)
      .execute()
  ).length;
}

async function witnessed(entityType: string, entityId: string) {
  const rows = await p.db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('政府采购质疑', () => {
  test('only a supplier that took part may challenge, within 7 个工作日 of knowing', async () => {
    const outsider = await makeAcceptedEntity(p, ['supplier']);
    let res = await outsider.client.post(`/api/lots/${lot.lot.id}/challenges`, challengeBody());
    expect(problem(res)).toMatchObject({ status: 403, code: 'CHALLENGE_NOT_PARTICIPANT' });
    expect(problem(res).citation).toContain('第十一条');

    const as = await p.as(a.account);
    // Known 02-10: 7 working days across the Spring Festival end on 02-26.
    res = await as.post(`/api/lots/${lot.lot.id}/challenges`, challengeBody({ knownOn: '2026-02-10' }));
    expect(problem(res)).toMatchObject({ status: 409, code: 'CHALLENGE_OUT_OF_TIME' });
    expect(problem(res).detail).toContain('2026年2月26日');
    expect(problem(res).citation).toContain('第五十二条');
  });

  test('质疑 on the process are received with a 7 个工作日 answer period; the unanswered one is flagged by a job', async () => {
    const as = await p.as(a.account);
    let res = await as.post(`/api/lots/${lot.lot.id}/challenges`, challengeBody());
    expect(res.statusCode, res.body).toBe(201);
    const challenge = json<{ id: string; answerDueAt: string; complaintDeadline: string }>(res);
    expect(challenge.answerDueAt).toBe('2026-03-11T15:59:59.999Z');
    expect(challenge.complaintDeadline).toBe('2026-04-01T15:59:59.999Z');
    ids.challengeA = challenge.id;
    res = await as.post(
      `/api/lots/${lot.lot.id}/challenges`,
      challengeBody({
        step: '开标',
        items: [{ matter: 'procedure', text: '开标时间比公告时间提前了十分钟' }],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    ids.challengeA2 = json<{ id: string }>(res).id;
    const cs = await p.as(c.account);
    // C has no 质疑 yet: no complaint.
    res = await cs.post(
      '/api/complaints',
      complaintBody([{ stage: 'process', matter: 'qualification', text: '资格审查错误', prior: null }]),
    );
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_CHALLENGE_REQUIRED' });
    res = await cs.post(`/api/lots/${lot.lot.id}/challenges`, challengeBody());
    expect(res.statusCode, res.body).toBe(201);
    ids.challengeC = json<{ id: string }>(res).id;
    // The purchaser sees them to answer.
    const initiator = await p.as(lot.initiator.account);
    const toAnswer = json<{ items: { id: string }[] }>(await initiator.get('/api/my/challenges-to-answer'));
    expect(toAnswer.items.map((i) => i.id)).toEqual(expect.arrayContaining([ids.challengeA, ids.challengeC]));
    expect(await witnessed('complaint-challenge', ids.challengeA)).toEqual(['complaint-challenge.filed']);
  });

  test('a complaint waits for the answer or the end of the answer period', async () => {
    await advanceTo(day(1));
    const res = await (await p.as(a.account)).post(
      '/api/complaints',
      complaintBody([
        {
          stage: 'process',
          matter: 'qualification',
          text: '资格审查错误',
          prior: { source: 'challenge', id: ids.challengeA, itemNo: 1 },
        },
      ]),
    );
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_CHALLENGE_PENDING' });
    expect(problem(res).citation).toContain('第十七条');
  });

  test('B’s 质疑 on the documents goes through the tender process; A’s and C’s are answered by the agency', async () => {
    const bs = await p.as(b.account);
    let res = await bs.post(`/api/lots/${lot.lot.id}/objections`, { content: '采购需求指向特定品牌' });
    expect(res.statusCode, res.body).toBe(201);
    ids.objectionB = json<{ id: string }>(res).id;
    await advanceTo(day(2));
    const agency = await p.as(lot.agency.account);
    res = await agency.post(`/api/lots/${lot.lot.id}/objections/${ids.objectionB}/answer`, {
      answer: '采购需求不指向特定品牌。',
    });
    expect(res.statusCode, res.body).toBe(200);
    for (const id of [ids.challengeA, ids.challengeC]) {
      res = await agency.post(`/api/challenges/${id}/answer`, {
        answer: '资格审查结论正确，维持原结论。',
        materials: [],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res)).toMatchObject({ answerLate: false });
    }
    res = await agency.post(`/api/challenges/${ids.challengeA}/answer`, { answer: '再答', materials: [] });
    expect(problem(res)).toMatchObject({ status: 409, code: 'CHALLENGE_ALREADY_ANSWERED' });
  });
});

describe('政府采购投诉', () => {
  test('items beyond what the 质疑 raised are refused with 第二十条, nothing stored; 其他利害关系人 may not complain', async () => {
    await advanceTo(day(3));
    const as = await p.as(a.account);
    const inScope = {
      stage: 'process',
      matter: 'qualification',
      text: '资格审查错误认定社保证明不合格',
      prior: { source: 'challenge', id: ids.challengeA, itemNo: 1 },
    };
    let res = await as.post(
      '/api/complaints',
      complaintBody([
        inScope,
        { stage: 'process', matter: 'evaluation', text: '评审专家未回避', prior: null },
      ]),
    );
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_BEYOND_CHALLENGE' });
    expect(problem(res).citation).toContain('第二十条');
    res = await as.post(
      '/api/complaints',
      complaintBody([
        inScope,
        {
          stage: 'process',
          matter: 'scoring',
          text: '评分标准不合理',
          prior: { source: 'challenge', id: ids.challengeA, itemNo: 1 },
        },
      ]),
    );
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_BEYOND_CHALLENGE' });
    res = await as.post(
      '/api/complaints',
      complaintBody([inScope], { complainantKind: 'interested-party', interest: '分包商' }),
    );
    expect(problem(res)).toMatchObject({ status: 409, code: 'GP_COMPLAINANT_MUST_CHALLENGE' });
    expect(await countComplaints(a.organizationId)).toBe(0);
  });

  test('received by the 财政部门 of the purchaser’s level, with review, copies and decision clocks from receipt', async () => {
    const as = await p.as(a.account);
    const res = await as.post(
      '/api/complaints',
      complaintBody([
        {
          stage: 'process',
          matter: 'qualification',
          text: '资格审查错误认定社保证明不合格',
          prior: { source: 'challenge', id: ids.challengeA, itemNo: 1 },
        },
        {
          stage: 'process',
          matter: 'scoring',
          text: '质疑答复称依据评分细则，但评分细则未在采购文件中公布',
          prior: { source: 'challenge', id: ids.challengeA, itemNo: null },
          arisesFromAnswer: true,
        },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const view = json<{
      id: string;
      department: string;
      filingDeadline: string;
      clocks: { key: string; dueAt: string }[];
    }>(res);
    ids.complaintA = view.id;
    expect(view.department).toBe('呼和浩特市新城区财政局');
    expect(view.filingDeadline).toBe('2026-04-01T15:59:59.999Z');
    const due = Object.fromEntries(view.clocks.map((x) => [x.key, x.dueAt]));
    expect(due).toMatchObject({
      acceptance: '2026-03-12T15:59:59.999Z',
      copies: '2026-03-17T15:59:59.999Z',
      decision: '2026-04-17T15:59:59.999Z',
    });
    const bs = await p.as(b.account);
    const filedB = await bs.post(
      '/api/complaints',
      complaintBody(
        [
          {
            stage: 'documents',
            matter: 'specification',
            text: '技术参数指向特定品牌',
            prior: { source: 'tenders', id: ids.objectionB },
          },
        ],
        { facts: '采购需求中的技术参数仅某品牌能满足。' },
      ),
    );
    expect(filedB.statusCode, filedB.body).toBe(201);
    ids.complaintB = json<{ id: string }>(filedB).id;
    const officer = await asOfficer();
    const list = json<{ items: { id: string }[] }>(
      await officer.get('/api/supervision/complaints?status=received'),
    );
    expect(list.items.map((i) => i.id)).toEqual(expect.arrayContaining([ids.complaintA, ids.complaintB]));
  });

  test('补正: once, within the review period; its days are added to the clocks', async () => {
    let officer = await asOfficer();
    let res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/request-correction`, {
      items: '请补充提交质疑答复函复印件及法定代表人签字。',
      dueOn: '2026-03-10',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'correction', actions: ['refuse', 'suspend'] });
    res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/request-correction`, {
      items: '再次补正',
      dueOn: '2026-03-11',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_STATE_CONFLICT' });
    const mine = json<{ actions: string[]; notices: { kind: string }[] }>(
      await (await p.as(a.account)).get(`/api/complaints/${ids.complaintA}`),
    );
    expect(mine.actions).toEqual(['withdraw', 'correct']);
    expect(mine.notices.map((n) => n.kind)).toEqual(['received', 'correction']);

    // Corrected on Monday 03-09: 2 working days (03-06, 03-09) stood still.
    await advanceTo(day(7));
    res = await (await p.as(a.account)).post(`/api/complaints/${ids.complaintA}/correction`, {
      text: '已补充质疑答复函复印件，并由法定代表人签字。',
      materials: [],
    });
    expect(res.statusCode, res.body).toBe(200);
    const due = Object.fromEntries(
      json<{ clocks: { key: string; dueAt: string }[] }>(res).clocks.map((x) => [x.key, x.dueAt]),
    );
    expect(due).toMatchObject({
      acceptance: '2026-03-16T15:59:59.999Z',
      copies: '2026-03-19T15:59:59.999Z',
      decision: '2026-04-21T15:59:59.999Z',
    });
    officer = await asOfficer();
    res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/request-correction`, {
      items: '再次补正',
      dueOn: '2026-03-12',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'CORRECTION_ONCE' });
  });

  test('accepted; copies to the respondents; no decision before their 5 个工作日; suspension ≤ 30 日; 第三十二条 outcome published', async () => {
    let officer = await asOfficer();
    let res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/accept`);
    expect(res.statusCode, res.body).toBe(200);
    res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/decide`, {
      outcome: 'founded-other-candidate',
      reasoning: 'x',
      handling: null,
      legalBasis: 'x',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'COPIES_NOT_SENT' });
    res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/send-copies`, {
      relatedOrganizationIds: [],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ explanation: { dueAt: string } }>(res).explanation.dueAt).toBe('2026-03-16T15:59:59.999Z');
    res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/decide`, {
      outcome: 'rejected',
      reasoning: 'x',
      handling: null,
      legalBasis: 'x',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'EXPLANATION_PERIOD_RUNNING' });

    res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/suspend`, {
      reason: '调查',
      days: 31,
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'SUSPENSION_TOO_LONG' });
    expect(problem(res).citation).toContain('第二十八条');
    res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/suspend`, {
      reason: '调查资格审查情况',
      days: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    const suspension = await suspensionInForce(p.db, lot.lot.id, p.clock.now());
    expect(suspension?.until?.toISOString()).toBe('2026-04-08T15:59:59.999Z');
    await expect(assertLotNotSuspended(p.db, lot.lot.id, p.clock.now())).rejects.toMatchObject({
      code: 'PROCEDURE_SUSPENDED',
    });

    const initiator = await p.as(lot.initiator.account);
    res = await initiator.post(`/api/complaints/${ids.complaintA}/explanation`, {
      text: '资格审查依据采购文件第二章第5条进行，结论正确。',
      materials: [],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ viewer: 'respondent', explanation: { late: false } });

    officer = await asOfficer();
    res = await officer.post(`/api/supervision/complaints/${ids.complaintA}/decide`, {
      outcome: 'founded-other-candidate',
      reasoning: '资格审查将符合要求的社保缴纳证明认定为不合格，影响了采购结果；合格供应商数量符合法定要求。',
      handling: '认定采购结果无效，从合格的候选人中另行确定中标供应商。',
      legalBasis: '《政府采购质疑和投诉办法》第三十二条第一款第（二）项',
    });
    expect(res.statusCode, res.body).toBe(200);
    const decided = json<{ status: string; decision: { citation: string; late: boolean } }>(res);
    expect(decided.status).toBe('decided');
    expect(decided.decision.citation).toContain('第三十二条');
    expect(decided.decision.late).toBe(false);
    // The handling is over: the suspension it ordered ends with it.
    expect(await suspensionInForce(p.db, lot.lot.id, p.clock.now())).toBeNull();
    const pub = json<{ items: { id: string; department: string }[]; total: number }>(
      await p.anonymous.get('/api/public/complaint-decisions?law=gp'),
    );
    expect(pub.items.find((i) => i.id === ids.complaintA)?.department).toBe('呼和浩特市新城区财政局');
    expect(await witnessed('complaint', ids.complaintA)).toEqual([
      'complaint.filed',
      'complaint.correction-requested',
      'complaint.corrected',
      'complaint.accepted',
      'complaint.copies-sent',
      'complaint.procedure-suspended',
      'complaint.explanation-submitted',
      'complaint.procedure-resumed',
      'complaint.decided',
    ]);
  });

  test('a complaint on the documents: review overdue flagged by a job; only the outcomes of 第三十一条', async () => {
    // Not reviewed within 5 个工作日 (by 03-12): flagged.
    await advanceTo(day(11));
    let officer = await asOfficer();
    let res: Awaited<ReturnType<typeof officer.post>>;
    let view = json<{ clocks: { key: string; overdue: boolean; flaggedAt: string | null }[] }>(
      await officer.get(`/api/complaints/${ids.complaintB}`),
    );
    expect(view.clocks.find((x) => x.key === 'acceptance')).toMatchObject({
      overdue: true,
      flaggedAt: expect.any(String),
    });
    expect(await witnessed('complaint', ids.complaintB)).toContain('complaint.acceptance-overdue');

    res = await officer.post(`/api/supervision/complaints/${ids.complaintB}/accept`);
    expect(res.statusCode, res.body).toBe(200);
    res = await officer.post(`/api/supervision/complaints/${ids.complaintB}/send-copies`, {
      relatedOrganizationIds: [],
    });
    expect(res.statusCode, res.body).toBe(200);
    // The respondent says nothing within 5 个工作日: the explanation clock is flagged, the decision may follow.
    await advanceTo(day(21));
    officer = await asOfficer();
    view = json(await officer.get(`/api/complaints/${ids.complaintB}`));
    expect(view.clocks.find((x) => x.key === 'explanation')).toMatchObject({ overdue: true });
    res = await officer.post(`/api/supervision/complaints/${ids.complaintB}/decide`, {
      outcome: 'founded-other-candidate',
      reasoning: 'x',
      handling: null,
      legalBasis: 'x',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'OUTCOME_NOT_FOR_DOCUMENTS' });
    expect(problem(res).citation).toContain('第三十一条');
    res = await officer.post(`/api/supervision/complaints/${ids.complaintB}/decide`, {
      outcome: 'founded-correct',
      reasoning: 'x',
      handling: null,
      legalBasis: 'x',
    });
    expect(problem(res)).toMatchObject({ status: 400, code: 'OUTCOME_NOT_FOR_LAW' });
    res = await officer.post(`/api/supervision/complaints/${ids.complaintB}/decide`, {
      outcome: 'founded-redo',
      reasoning: '采购需求设置的技术参数仅特定品牌满足，构成以不合理条件对供应商实行差别待遇。',
      handling: '责令修改采购文件后重新开展采购活动。',
      legalBasis: '《中华人民共和国政府采购法实施条例》第二十条',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ decision: { citation: string } }>(res).decision.citation).toContain('第三十一条');
    const respondentView = json<{ notices: { kind: string }[] }>(
      await (await p.as(lot.agency.account)).get(`/api/complaints/${ids.complaintB}`),
    );
    expect(respondentView.notices.map((n) => n.kind)).toEqual(['copy', 'decision']);
  });

  test('withdrawn after acceptance, a 政府采购 complaint is terminated, notified in writing and not published', async () => {
    const cs = await p.as(c.account);
    let res = await cs.post(
      '/api/complaints',
      complaintBody([
        {
          stage: 'process',
          matter: 'qualification',
          text: '资格审查错误',
          prior: { source: 'challenge', id: ids.challengeC, itemNo: 1 },
        },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const id = json<{ id: string }>(res).id;
    const officer = await asOfficer();
    expect((await officer.post(`/api/supervision/complaints/${id}/accept`)).statusCode).toBe(200);
    expect(
      (await officer.post(`/api/supervision/complaints/${id}/send-copies`, { relatedOrganizationIds: [] }))
        .statusCode,
    ).toBe(200);
    res = await cs.post(`/api/complaints/${id}/withdraw`, { reason: '采购人已自行纠正' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'terminated' });
    const initiator = await p.as(lot.initiator.account);
    const seen = json<{ notices: { kind: string; body: string }[] }>(
      await initiator.get(`/api/complaints/${id}`),
    );
    expect(seen.notices.map((n) => n.kind)).toEqual(['copy', 'termination']);
    expect(seen.notices[1]?.body).toContain('第三十条');
    expect((await p.anonymous.get(`/api/public/complaint-decisions/${id}`)).statusCode).toBe(404);
    const pub = json<{ items: { id: string }[] }>(await p.anonymous.get('/api/public/complaint-decisions'));
    expect(pub.items.map((i) => i.id)).not.toContain(id);
  });

  test('the unanswered 质疑 is flagged; a complaint on it after the 15 个工作日 is refused with 第十七条', async () => {
    const mine = json<{ items: { id: string; overdue: boolean }[] }>(
      await (await p.as(a.account)).get('/api/my/challenges'),
    );
    expect(mine.items.find((i) => i.id === ids.challengeA2)?.overdue).toBe(true);
    expect(await witnessed('complaint-challenge', ids.challengeA2)).toContain(
      'complaint-challenge.answer-overdue',
    );
    // Answer period ended 03-11; 15 个工作日 → 04-01. On 04-02 it is too late.
    await advanceTo(day(31));
    const res = await (await p.as(a.account)).post(
      '/api/complaints',
      complaintBody([
        {
          stage: 'process',
          matter: 'procedure',
          text: '开标时间提前',
          prior: { source: 'challenge', id: ids.challengeA2, itemNo: 1 },
        },
      ]),
    );
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_OUT_OF_TIME' });
    expect(problem(res).citation).toContain('第十七条');
    expect(problem(res).detail).toContain('15 个工作日');
  });

  test('a supplier that did not take part is not a bidder of the lot', async () => {
    const late = await addBidder(p, lot.lot.id, { download: false });
    const res = await late.session.post(
      '/api/complaints',
      complaintBody([{ stage: 'process', matter: 'qualification', text: 'x', prior: null }]),
    );
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINANT_NOT_BIDDER' });
  });
});
