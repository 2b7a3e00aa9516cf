import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform, uniqueName } from '../../../test/support/platform.ts';
import { uploadBlob } from '../../platform/blobs/index.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN, sequenceWitnessEvents } from '../../platform/witness/index.ts';
import { type LotForBidding, openLotForBidding, type TestBidder } from '../../trading/bids/test-factory.ts';
import { assertLotNotSuspended, suspensionInForce } from '../../trading/procedures/index.ts';
import { getLotTimeline } from '../../trading/tenders/index.ts';
import { giveTestScope } from '../scopes/test-factory.ts';

/**
 * 工程建设项目投诉 (条例第六十条至第六十二条) through the real platform, on a lot announced through the trading
 * test factories: 异议 first, the 10-day period with the answer days excluded, the first receiver, the
 * scope of the handling department, suspension of the procedure, excluded time, a late decision, withdrawal.
 */
const DAY = 86_400_000;
const MINUTE = 60_000;
/** Day n of the scenario at 10:00 Beijing time; day 0 is Monday 2026-03-02. */
const day = (n: number, hour = 10) =>
  new Date(Date.parse('2026-03-02T00:00:00+08:00') + n * DAY + hour * 3_600_000);

let p: TestPlatform;
let lot: LotForBidding;
let a: TestBidder;
let b: TestBidder;
let c: TestBidder;
const objections: Record<string, string> = {};
let firstComplaintId = '';

beforeAll(async () => {
  p = await makeTestPlatform({
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    GGZY_SESSION_HOURS: String(24 * 30),
  });
  p.clock.set(day(0, 9));
  lot = await openLotForBidding(p, { procedureType: 'open-tender.works', bidders: 3 });
  [a, b, c] = lot.bidders as [TestBidder, TestBidder, TestBidder];
}, 240_000);

afterAll(async () => {
  await p?.close();
});

type Res = { statusCode: number; body: string; json(): unknown };
const json = <T = Record<string, unknown>>(res: Res) => res.json() as T;
function problem(res: Res) {
  return {
    status: res.statusCode,
    ...(res.json() as { code: string; title: string; citation?: string; detail?: string }),
  };
}

async function advanceTo(at: Date) {
  p.clock.set(at);
  return p.jobs.runDueJobs();
}

async function supervisor(scope: { regionPrefixes?: string[]; catalogPrefixes?: string[] } = {}) {
  const account = await p.makeAccount(['supervisor'], { displayName: '住建监督科' });
  await giveTestScope(p.db, account.id, { department: '内蒙古自治区住房和城乡建设厅', ...scope });
  return account;
}

async function storeFile(text: string): Promise<string> {
  async function* source() {
    yield Buffer.from(text, 'utf8');
  }
  const { blob } = await uploadBlob(
    { db: p.db, blobs: p.blobs, clock: p.clock },
    { source: source(), maxBytes: 1_000_000, contentType: 'application/pdf', origin: SYSTEM_ORIGIN },
  );
  return blob.sha256;
}

function complaintBody(overrides: Record<string, unknown> = {}) {
  return {
    lotId: lot.lot.id,
    complainantKind: 'bidder',
    interest: null,
    address: '呼和浩特市赛罕区大学东街1号',
    contactName: '赵刚',
    contactPhone: '0471-5550001',
    signatory: { name: '赵刚', capacity: 'legal-representative' },
    respondents: ['initiator', 'agency'],
    facts: '招标文件第三章资格条件要求投标人具有本地业绩，排斥外地潜在投标人。',
    requests: '责令招标人修改招标文件，重新发布招标公告。',
    legalBasis: '《中华人民共和国招标投标法实施条例》第三十二条',
    knownOn: '2026-03-02',
    knownEvidence: '2026年3月2日获取招标文件（平台下载记录）',
    items: [
      {
        stage: 'documents',
        matter: 'qualification',
        text: '资格条件设置本地业绩要求，以不合理条件限制、排斥潜在投标人',
        prior: null,
      },
    ],
    materials: [],
    ...overrides,
  };
}

async function countComplaints(organizationId: string) {
  const rows = await p.db
    .selectFrom('complaints')
    .select('id')
    .where('complainant_organization_id', '=', organizationId)
    .execute();
  return rows.length;
}

async function witnessed(entityId: string) {
  const rows = await p.db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_type', '=', 'complaint')
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('工程建设项目投诉', () => {
  test('异议 on the documents are raised and answered in the tender process (the prior step)', async () => {
    await advanceTo(day(1));
    for (const bidder of [a, b, c]) {
      const session = await p.as(bidder.account);
      const res = await session.post(`/api/lots/${lot.lot.id}/objections`, {
        content: '资格条件要求本地业绩，排斥外地潜在投标人',
      });
      expect(res.statusCode, res.body).toBe(201);
      objections[bidder.organizationId] = json<{ id: string }>(res).id;
    }
    await advanceTo(day(3));
    const initiator = await p.as(lot.initiator.account);
    for (const bidder of [a, b]) {
      const res = await initiator.post(
        `/api/lots/${lot.lot.id}/objections/${objections[bidder.organizationId]}/answer`,
        {
          answer: '资格条件符合法律规定，不予修改。',
        },
      );
      expect(res.statusCode, res.body).toBe(200);
    }
  });

  test('an item on the documents without an 异议 is refused with 第六十条第二款, and nothing is stored', async () => {
    const session = await p.as(a.account);
    const res = await session.post('/api/complaints', complaintBody());
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_OBJECTION_REQUIRED' });
    expect(problem(res).citation).toContain('第六十条第二款');
    expect(await countComplaints(a.organizationId)).toBe(0);
  });

  test('while the 异议 is still within its answer period, the complaint waits', async () => {
    const session = await p.as(c.account);
    const res = await session.post(
      '/api/complaints',
      complaintBody({
        items: [
          {
            stage: 'documents',
            matter: 'qualification',
            text: '资格条件排斥外地潜在投标人',
            prior: { source: 'tenders', id: objections[c.organizationId] },
          },
        ],
      }),
    );
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_OBJECTION_PENDING' });
    expect(await countComplaints(c.organizationId)).toBe(0);
  });

  test('a power of attorney is required when a representative signs, and materials must be uploaded files', async () => {
    const session = await p.as(b.account);
    const linked = {
      stage: 'documents',
      matter: 'qualification',
      text: '资格条件排斥外地潜在投标人',
      prior: { source: 'tenders', id: objections[b.organizationId] },
    };
    let res = await session.post(
      '/api/complaints',
      complaintBody({ signatory: { name: '钱多', capacity: 'authorised-agent' }, items: [linked] }),
    );
    expect(problem(res)).toMatchObject({ status: 400, code: 'POWER_OF_ATTORNEY_REQUIRED' });
    res = await session.post(
      '/api/complaints',
      complaintBody({
        items: [linked],
        materials: [{ sha256: 'a'.repeat(64), filename: '证据.pdf', kind: 'evidence', description: null }],
      }),
    );
    expect(problem(res)).toMatchObject({ status: 400, code: 'MATERIAL_NOT_FOUND' });
    expect(await countComplaints(b.organizationId)).toBe(0);
  });

  test('withdrawal after acceptance: refused while a violation is established, granted later; the suspension ends with it', async () => {
    // C's 异议 answered on day 4; C complains on day 5.
    await advanceTo(day(4));
    const initiator = await p.as(lot.initiator.account);
    const answered = await initiator.post(
      `/api/lots/${lot.lot.id}/objections/${objections[c.organizationId]}/answer`,
      { answer: '不予修改。' },
    );
    expect(answered.statusCode, answered.body).toBe(200);
    await advanceTo(day(5));
    const cs = await p.as(c.account);
    const filed = await cs.post(
      '/api/complaints',
      complaintBody({
        items: [
          {
            stage: 'documents',
            matter: 'qualification',
            text: '招标人对异议的答复未说明理由',
            prior: { source: 'tenders', id: objections[c.organizationId] },
          },
        ],
      }),
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const complaintId = json<{ id: string }>(filed).id;
    const officer = await p.as(await supervisor({ regionPrefixes: ['1501'], catalogPrefixes: ['01'] }));
    expect((await officer.post(`/api/supervision/complaints/${complaintId}/accept`)).statusCode).toBe(200);
    const suspended = await officer.post(`/api/supervision/complaints/${complaintId}/suspend`, {
      reason: '调查期间暂停招标投标活动',
      days: null,
    });
    expect(suspended.statusCode, suspended.body).toBe(200);
    expect(await suspensionInForce(p.db, lot.lot.id, p.clock.now())).not.toBeNull();

    let res = await cs.post(`/api/complaints/${complaintId}/withdraw`, { reason: '已与招标人协商解决' });
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ status: string; withdrawal: { decision: null } }>(res)).toMatchObject({
      status: 'accepted',
      withdrawal: { decision: null },
    });
    res = await officer.post(`/api/supervision/complaints/${complaintId}/withdrawal-decision`, {
      grant: false,
    });
    expect(problem(res)).toMatchObject({ status: 400, code: 'REFUSAL_REASON_REQUIRED' });
    res = await officer.post(`/api/supervision/complaints/${complaintId}/withdrawal-decision`, {
      grant: false,
      reason: '已查实招标文件设置本地业绩要求，调查继续进行',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'accepted', withdrawal: { decision: 'refused' } });
    const notices = json<{ notices: { kind: string }[] }>(
      await cs.get(`/api/complaints/${complaintId}`),
    ).notices;
    expect(notices.map((n) => n.kind)).toContain('withdrawal-refused');

    res = await cs.post(`/api/complaints/${complaintId}/withdraw`, { reason: '招标人已修改招标文件' });
    expect(res.statusCode, res.body).toBe(200);
    res = await officer.post(`/api/supervision/complaints/${complaintId}/withdrawal-decision`, {
      grant: true,
      reason: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'withdrawn', withdrawal: { decision: 'granted' } });
    expect(await suspensionInForce(p.db, lot.lot.id, p.clock.now())).toBeNull();
    await expect(assertLotNotSuspended(p.db, lot.lot.id, p.clock.now())).resolves.toBeUndefined();
    // A withdrawal is not published.
    const pub = await p.anonymous.get(`/api/public/complaint-decisions/${complaintId}`);
    expect(pub.statusCode).toBe(404);
    expect(await witnessed(complaintId)).toEqual([
      'complaint.filed',
      'complaint.accepted',
      'complaint.procedure-suspended',
      'complaint.withdrawal-requested',
      'complaint.withdrawal-refused',
      'complaint.withdrawal-requested',
      'complaint.procedure-resumed',
      'complaint.withdrawn',
    ]);
  });

  test('10 日 from knowing plus the 异议 answer days: the last day is in time, the next day is refused with the rule', async () => {
    // Known 03-02; 异议 raised 03-03, answered 03-05: 2 days excluded → 03-14 (Saturday) → Monday 03-16.
    const evidence = await storeFile(`招标文件第三章截图 ${uniqueName('e')}`);
    await advanceTo(day(14, 23));
    const bs = await p.as(b.account);
    const filed = await bs.post(
      '/api/complaints',
      complaintBody({
        items: [
          {
            stage: 'documents',
            matter: 'qualification',
            text: '资格条件设置本地业绩要求，排斥外地潜在投标人',
            prior: { source: 'tenders', id: objections[b.organizationId] },
          },
        ],
        materials: [
          { sha256: evidence, filename: '招标文件截图.pdf', kind: 'evidence', description: '第三章' },
        ],
      }),
    );
    expect(filed.statusCode, filed.body).toBe(201);
    const complaint = json<{
      id: string;
      code: string;
      status: string;
      department: string;
      filingDeadline: string;
      materials: { sha256: string; sm3: string }[];
      clocks: { key: string; dueAt: string }[];
      items: { prior: { id: string; answer: string } | null }[];
      notices: { kind: string }[];
    }>(filed);
    firstComplaintId = complaint.id;
    expect(complaint.status).toBe('received');
    expect(complaint.department).toBe('内蒙古自治区住房和城乡建设厅');
    expect(complaint.filingDeadline).toBe('2026-03-16T15:59:59.999Z');
    expect(complaint.materials[0]).toMatchObject({
      sha256: evidence,
      sm3: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(complaint.items[0]?.prior).toMatchObject({
      id: objections[b.organizationId],
      answer: '资格条件符合法律规定，不予修改。',
    });
    // Acceptance within 3 个工作日 of receipt (Monday 03-16 → Thursday 03-19).
    expect(complaint.clocks.find((x) => x.key === 'acceptance')?.dueAt).toBe('2026-03-19T15:59:59.999Z');
    expect(complaint.notices.map((n) => n.kind)).toEqual(['received']);
    expect(await witnessed(complaint.id)).toEqual(['complaint.filed']);

    await advanceTo(day(15));
    const as = await p.as(a.account);
    const late = await as.post(
      '/api/complaints',
      complaintBody({
        items: [
          {
            stage: 'documents',
            matter: 'qualification',
            text: '资格条件设置本地业绩要求',
            prior: { source: 'tenders', id: objections[a.organizationId] },
          },
        ],
      }),
    );
    expect(problem(late)).toMatchObject({ status: 409, code: 'COMPLAINT_OUT_OF_TIME' });
    expect(problem(late).citation).toContain('第六十条第一款');
    expect(problem(late).detail).toContain('扣除异议答复期间 2 日');
    expect(await countComplaints(a.organizationId)).toBe(0);
  });

  test('the same matter filed again goes to the first receiver: linked, not accepted again, not published', async () => {
    const bs = await p.as(b.account);
    const again = await bs.post(
      '/api/complaints',
      complaintBody({
        facts: '再次投诉：资格条件排斥外地投标人。',
        items: [
          {
            stage: 'documents',
            matter: 'qualification',
            text: '同一事项',
            prior: { source: 'tenders', id: objections[b.organizationId] },
          },
        ],
      }),
    );
    expect(again.statusCode, again.body).toBe(201);
    const view = json<{
      id: string;
      status: string;
      duplicateOf: { id: string };
      notAccepted: { reason: string; citation: string };
    }>(again);
    expect(view.status).toBe('not-accepted');
    expect(view.duplicateOf.id).toBe(firstComplaintId);
    expect(view.notAccepted.reason).toBe('duplicate');
    expect(view.notAccepted.citation).toContain('第六十一条第一款');
    expect(await witnessed(view.id)).toEqual(['complaint.filed', 'complaint.not-accepted']);
    expect((await p.anonymous.get(`/api/public/complaint-decisions/${view.id}`)).statusCode).toBe(404);
  });

  test('a regulator outside the scope neither sees nor acts on the complaint', async () => {
    const elsewhere = await p.as(await supervisor({ regionPrefixes: ['1525'] }));
    let res = await elsewhere.post(`/api/supervision/complaints/${firstComplaintId}/accept`);
    expect(problem(res)).toMatchObject({ status: 403, code: 'OUT_OF_SCOPE' });
    expect(problem(res).citation).toContain('第五条');
    res = await elsewhere.get(`/api/complaints/${firstComplaintId}`);
    expect(res.statusCode).toBe(404);
    const list = json<{ items: { id: string }[] }>(await elsewhere.get('/api/supervision/complaints'));
    expect(list.items.map((i) => i.id)).not.toContain(firstComplaintId);
    // Same region, another sector (政府采购 only): refused too.
    const finance = await p.as(await supervisor({ catalogPrefixes: ['02'] }));
    res = await finance.post(`/api/supervision/complaints/${firstComplaintId}/suspend`, {
      reason: '调查',
      days: 10,
    });
    expect(problem(res)).toMatchObject({ status: 403, code: 'OUT_OF_SCOPE' });
    expect(await suspensionInForce(p.db, lot.lot.id, p.clock.now())).toBeNull();
    // Another organisation's bidder does not see it either.
    expect((await (await p.as(a.account)).get(`/api/complaints/${firstComplaintId}`)).statusCode).toBe(404);
  });

  test('acceptance, suspension that holds the lot’s jobs, copies and explanation, excluded time, a late decision flagged and published', async () => {
    const officerAccount = await supervisor({ regionPrefixes: ['1501'], catalogPrefixes: ['01'] });
    let officer = await p.as(officerAccount);
    const list = json<{ items: { id: string; status: string }[] }>(
      await officer.get('/api/supervision/complaints?status=open'),
    );
    expect(list.items.find((i) => i.id === firstComplaintId)).toMatchObject({ status: 'received' });

    // Accepted on Tuesday 03-17: 30 个工作日 → 04-29 (清明 skipped).
    let res = await officer.post(`/api/supervision/complaints/${firstComplaintId}/accept`);
    expect(res.statusCode, res.body).toBe(200);
    let view = json<{
      status: string;
      clocks: { key: string; dueAt: string; overdue: boolean }[];
      actions: string[];
    }>(res);
    expect(view.status).toBe('accepted');
    expect(view.clocks.find((x) => x.key === 'decision')?.dueAt).toBe('2026-04-29T15:59:59.999Z');
    expect(view.actions).toEqual(expect.arrayContaining(['send-copies', 'pause', 'decide', 'suspend']));

    // 暂停 (条例第六十二条): trading steps are refused and the lot's own jobs wait.
    res = await officer.post(`/api/supervision/complaints/${firstComplaintId}/suspend`, {
      reason: '调查核实资格条件设置情况',
      days: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    await expect(assertLotNotSuspended(p.db, lot.lot.id, p.clock.now())).rejects.toMatchObject({
      code: 'PROCEDURE_SUSPENDED',
      citation: expect.stringContaining('第六十二条'),
    });
    const before = (await getLotTimeline(p.db, lot.lot.id))!;
    const report = await advanceTo(new Date(before.bidDeadline.getTime() + MINUTE));
    expect(report.deferred).toBeGreaterThan(0);
    expect((await getLotTimeline(p.db, lot.lot.id))!.status).toBe(before.status);
    const initiator = await p.as(lot.initiator.account);
    let notices = json<{ notices: { kind: string }[] }>(
      await initiator.get(`/api/complaints/${firstComplaintId}`),
    );
    expect(notices.notices.map((n) => n.kind)).toContain('suspension');

    officer = await p.as(officerAccount);
    res = await officer.post(`/api/supervision/complaints/${firstComplaintId}/resume-procedure`);
    expect(res.statusCode, res.body).toBe(200);
    await advanceTo(new Date(p.clock.now().getTime() + 11 * MINUTE));
    expect((await getLotTimeline(p.db, lot.lot.id))!.status).not.toBe(before.status);

    // The respondent receives the copy and explains (Monday 03-23).
    res = await officer.post(`/api/supervision/complaints/${firstComplaintId}/send-copies`, {
      relatedOrganizationIds: [],
    });
    expect(res.statusCode, res.body).toBe(200);
    const received = json<{ items: { id: string }[] }>(await initiator.get('/api/my/complaints-received'));
    expect(received.items.map((i) => i.id)).toContain(firstComplaintId);
    const asRespondent = json<{ viewer: string; actions: string[]; facts: string }>(
      await initiator.get(`/api/complaints/${firstComplaintId}`),
    );
    expect(asRespondent).toMatchObject({ viewer: 'respondent', actions: ['explain'] });
    const explanationFile = await storeFile(`招标人说明 ${uniqueName('x')}`);
    res = await initiator.post(`/api/complaints/${firstComplaintId}/explanation`, {
      text: '本地业绩要求系为保证工期，已于3月20日删除。',
      materials: [{ sha256: explanationFile, filename: '说明.pdf', kind: 'evidence', description: null }],
    });
    expect(res.statusCode, res.body).toBe(200);
    // A bidder of the same lot that is not a party cannot explain.
    res = await (await p.as(a.account)).post(`/api/complaints/${firstComplaintId}/explanation`, {
      text: 'x',
      materials: [],
    });
    expect(res.statusCode).toBe(403);

    // 专家评审 from Monday 03-23 to Thursday 03-26: 3 working days out of the clock → 05-07.
    await advanceTo(day(21));
    officer = await p.as(officerAccount);
    res = await officer.post(`/api/supervision/complaints/${firstComplaintId}/pause`, {
      reason: 'expert-review',
      note: '组织专家评审资格条件的合理性',
    });
    expect(res.statusCode, res.body).toBe(200);
    res = await officer.post(`/api/supervision/complaints/${firstComplaintId}/decide`, {
      outcome: 'founded-redo',
      reasoning: 'x',
      handling: null,
      legalBasis: 'x',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'COMPLAINT_STATE_CONFLICT' });
    await advanceTo(day(24));
    officer = await p.as(officerAccount);
    res = await officer.post(`/api/supervision/complaints/${firstComplaintId}/resume`);
    expect(res.statusCode, res.body).toBe(200);
    view = json(res);
    expect(view.clocks.find((x) => x.key === 'decision')?.dueAt).toBe('2026-05-07T15:59:59.999Z');

    // The decision is not made in time: the job flags it (witnessed) and the list shows it.
    await advanceTo(day(67));
    officer = await p.as(officerAccount);
    view = json(await officer.get(`/api/complaints/${firstComplaintId}`));
    expect(view.clocks.find((x) => x.key === 'decision')).toMatchObject({ overdue: true });
    expect(await witnessed(firstComplaintId)).toContain('complaint.decision-overdue');
    const overdue = json<{ items: { id: string; overdue: boolean }[] }>(
      await officer.get('/api/supervision/complaints'),
    );
    expect(overdue.items.find((i) => i.id === firstComplaintId)?.overdue).toBe(true);

    res = await officer.post(`/api/supervision/complaints/${firstComplaintId}/decide`, {
      outcome: 'founded-redo',
      reasoning: '招标文件以本地业绩作为资格条件，属于以不合理条件限制、排斥潜在投标人。',
      handling: '责令招标人修改招标文件后重新招标。',
      legalBasis: '《中华人民共和国招标投标法实施条例》第三十二条第二款第（三）项',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ status: 'decided', decision: { late: true, published: true } });

    // Published on the portal; delivered in writing to the complainant and the respondents.
    const pub = json<{ items: { id: string; outcomeName: string; complainantName: string }[] }>(
      await p.anonymous.get('/api/public/complaint-decisions?law=works'),
    );
    expect(pub.items.find((i) => i.id === firstComplaintId)?.outcomeName).toContain('重新');
    const detail = await p.anonymous.get(`/api/public/complaint-decisions/${firstComplaintId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain('0471-5550001');
    const bs = await p.as(b.account);
    notices = json(await bs.get(`/api/complaints/${firstComplaintId}`));
    expect(notices.notices.map((n) => n.kind)).toEqual([
      'received',
      'accepted',
      'suspension',
      'resumption',
      'decision',
    ]);
    const agency = await p.as(lot.agency.account);
    notices = json(await agency.get(`/api/complaints/${firstComplaintId}`));
    expect(notices.notices.map((n) => n.kind)).toEqual(['suspension', 'resumption', 'copy', 'decision']);
    const mine = json<{ items: { id: string; status: string }[] }>(await bs.get('/api/my/complaints'));
    expect(mine.items.find((i) => i.id === firstComplaintId)?.status).toBe('decided');
  });

  test('开标异议 are read from the opening hall’s witnessed record', async () => {
    // The opening module records 开标异议 only in its hall; a raised and an answered one as it witnesses them.
    const origin = { ...SYSTEM_ORIGIN, organizationId: a.organizationId, role: 'responder' };
    const objectionId = `op-${uniqueName('o')}`;
    await appendWitnessEvent(p.db, p.clock.now(), origin, {
      entityType: 'opening',
      entityId: lot.lot.id,
      action: 'opening.objection-raised',
      payload: { objectionId, seq: 1, text: '开标时未当众检查投标文件密封情况' },
    });
    await appendWitnessEvent(p.db, p.clock.now(), SYSTEM_ORIGIN, {
      entityType: 'opening',
      entityId: lot.lot.id,
      action: 'opening.objection-answered',
      payload: { objectionId, seq: 1, answer: '电子投标文件以加密方式提交，无需检查密封。' },
    });
    await sequenceWitnessEvents(p.db);
    const basis = json<{
      lot: { law: string; department: string };
      priors: { source: string; id: string; answer: string | null }[];
    }>(await (await p.as(a.account)).get(`/api/complaints/basis?lotId=${lot.lot.id}`));
    expect(basis.lot).toMatchObject({ law: 'works', department: '内蒙古自治区住房和城乡建设厅' });
    expect(basis.priors.find((x) => x.source === 'opening')).toMatchObject({
      id: objectionId,
      answer: '电子投标文件以加密方式提交，无需检查密封。',
    });
    expect(basis.priors.filter((x) => x.source === 'tenders')).toHaveLength(1);
  });
});
