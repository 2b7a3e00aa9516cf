import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestAccount,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { addWorkingDays, endOfShanghaiDay, shanghaiDateOf } from '../../platform/clock/index.ts';
import { sequenceWitnessEvents } from '../../platform/witness/index.ts';
import { findLot } from '../../trading/projects/index.ts';
import { registerReceivedLot } from '../../trading/projects/test-factory.ts';
import { giveTestScope } from '../scopes/test-factory.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const DAY = 86_400_000;

interface Violation {
  id: string;
  status: string;
  statusNameZh: string;
  evidence: { sha256: string; sm3: string; kind: string }[];
  routedToMe: boolean;
  report: {
    department: string;
    feedbackDueAt: string;
    timeLimitWorkingDays: number;
    acknowledgedAt: string | null;
    feedback: string | null;
    feedbackLate: boolean | null;
    overdue: boolean;
    overdueFlaggedAt: string | null;
  } | null;
}

function problem(res: { statusCode: number; json(): unknown }) {
  return { status: res.statusCode, ...(res.json() as { code: string; citation?: string }) };
}

async function uploadEvidence(api: ApiClient, text: string): Promise<string> {
  const res = await api.request({
    method: 'POST',
    url: '/api/blobs',
    headers: { 'content-type': 'multipart/form-data; boundary=X' },
    payload: `--X\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n${text}\r\n--X--\r\n`,
  });
  expect([200, 201]).toContain(res.statusCode);
  return (res.json() as { sha256: string }).sha256;
}

function violationBody(lotId: string, evidence: string[] = []) {
  return {
    lotId,
    venue: '第二评标室',
    occurredAt: new Date(p.clock.now().getTime() - 60_000).toISOString(),
    persons: [{ name: '李某', role: 'expert', organization: null }],
    description: '评标专家携带手机进入评标区域并与外界通话',
    ruleBreached: '评标区域管理制度：通讯工具须在进入评标区域前交存',
    measure: '工作人员当场制止，收存手机，并记录通话时间',
    corrected: true,
    evidence: evidence.map((sha256) => ({ sha256, kind: 'video', filename: '监控录像片段.mp4' })),
  };
}

describe('现场管理 — record, report, acknowledge, feed back (§24, §39)', () => {
  let lotId: string;
  let operatorAccount: TestAccount;
  let regulator: { account: TestAccount; department: string };
  let otherDepartmentAccount: TestAccount;
  let outsideAccount: TestAccount;
  // Sessions live in platform time: each test signs in again after the clock has moved.
  let operator: ApiClient;
  let regulatorApi: ApiClient;
  let sameScopeOtherDepartment: ApiClient;
  let outsideScope: ApiClient;
  async function signIn() {
    operator = await p.as(operatorAccount);
    regulatorApi = await p.as(regulator.account);
    sameScopeOtherDepartment = await p.as(otherDepartmentAccount);
    outsideScope = await p.as(outsideAccount);
  }

  beforeAll(async () => {
    const received = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    lotId = received.lot.id;
    operatorAccount = await p.makeAccount(['operator']);
    const lot = await findLot(p.db, lotId);
    // The lot's registered 行政监督部门 (from the trading catalog) covers 150102 × 0101.
    const account = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, account.id, {
      department: lot!.regulator,
      regionPrefixes: ['150102'],
      catalogPrefixes: ['0101'],
    });
    regulator = { account, department: lot!.regulator };
    otherDepartmentAccount = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, otherDepartmentAccount.id, {
      department: uniqueName('审计监督科'),
      regionPrefixes: ['150102'],
    });
    outsideAccount = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, outsideAccount.id, {
      department: uniqueName('包头市监督科'),
      regionPrefixes: ['1502'],
    });
  }, 120_000);
  beforeEach(signIn);

  test('the whole loop: recorded with evidence, reported, acknowledged and answered on time', async () => {
    const photo = await uploadEvidence(operator, uniqueName('现场照片'));
    let res = await operator.post('/api/supervision/site-violations', violationBody(lotId, [photo]));
    expect(res.statusCode, res.body).toBe(201);
    let v = res.json() as Violation;
    expect(v.status).toBe('recorded');
    expect(v.evidence).toEqual([expect.objectContaining({ sha256: photo, kind: 'video' })]);
    expect(v.evidence[0]!.sm3).toMatch(/^[0-9a-f]{64}$/);

    // Only the trading centre records and reports.
    expect(
      (await regulatorApi.post('/api/supervision/site-violations', violationBody(lotId))).statusCode,
    ).toBe(403);
    expect(
      (await regulatorApi.post(`/api/supervision/site-violations/${v.id}/report`, { suspicion: 'x' }))
        .statusCode,
    ).toBe(403);

    // Routed to the lot's registered regulator among the departments whose scope covers it.
    const reportedAt = p.clock.now();
    res = await operator.post(`/api/supervision/site-violations/${v.id}/report`, {
      suspicion: '涉嫌评标专家私下接触投标人，违反评标纪律',
    });
    expect(res.statusCode, res.body).toBe(200);
    v = res.json() as Violation;
    expect(v.status).toBe('reported');
    expect(v.report?.department).toBe(regulator.department);
    expect(v.report?.timeLimitWorkingDays).toBe(10);
    expect(v.report?.feedbackDueAt).toBe(
      endOfShanghaiDay(addWorkingDays(shanghaiDateOf(reportedAt), 10)).toISOString(),
    );
    res = await operator.post(`/api/supervision/site-violations/${v.id}/report`, { suspicion: '再次报告' });
    expect(problem(res)).toMatchObject({ status: 409, code: 'VIOLATION_ALREADY_REPORTED' });

    // A supervisor outside the scope, or of another department, may not act on it.
    res = await outsideScope.post(`/api/supervision/site-violations/${v.id}/acknowledge`);
    expect(problem(res)).toMatchObject({ status: 403, code: 'OUT_OF_SCOPE' });
    expect(problem(await outsideScope.get(`/api/supervision/site-violations/${v.id}`))).toMatchObject({
      status: 403,
      code: 'OUT_OF_SCOPE',
    });
    res = await sameScopeOtherDepartment.post(`/api/supervision/site-violations/${v.id}/acknowledge`);
    expect(problem(res)).toMatchObject({ status: 403, code: 'NOT_RESPONSIBLE_DEPARTMENT' });

    // Acknowledge first, then feed back.
    res = await regulatorApi.post(`/api/supervision/site-violations/${v.id}/feedback`, {
      result: '已立案调查',
    });
    expect(problem(res)).toMatchObject({ status: 409, code: 'REPORT_NOT_ACKNOWLEDGED' });
    res = await regulatorApi.post(`/api/supervision/site-violations/${v.id}/acknowledge`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Violation).status).toBe('acknowledged');
    expect((res.json() as Violation).routedToMe).toBe(true);
    p.clock.advance(2 * DAY);
    await signIn();
    res = await regulatorApi.post(`/api/supervision/site-violations/${v.id}/feedback`, {
      result: '经调查，该专家违反评标纪律属实，已暂停其评标资格六个月，并记入专家信用档案。',
    });
    expect(res.statusCode, res.body).toBe(200);
    v = res.json() as Violation;
    expect(v.status).toBe('answered');
    expect(v.report).toMatchObject({ feedbackLate: false, overdue: false });

    // The regulator's list holds it; the out-of-scope supervisor's does not.
    const mine = (await regulatorApi.get(`/api/supervision/site-violations?lotId=${lotId}`)).json() as {
      items: Violation[];
    };
    expect(mine.items.map((i) => i.id)).toContain(v.id);
    const theirs = (await outsideScope.get(`/api/supervision/site-violations?lotId=${lotId}`)).json() as {
      items: Violation[];
    };
    expect(theirs.items).toEqual([]);
  }, 60_000);

  test('a report needs evidence; a department outside the scope cannot be chosen', async () => {
    let res = await operator.post('/api/supervision/site-violations', violationBody(lotId));
    expect(res.statusCode, res.body).toBe(201);
    const id = (res.json() as Violation).id;
    res = await operator.post(`/api/supervision/site-violations/${id}/report`, { suspicion: '涉嫌串通' });
    expect(problem(res)).toMatchObject({ status: 409, code: 'REPORT_EVIDENCE_REQUIRED' });
    expect(problem(res).citation).toContain('第二十四条');
    res = await operator.post(`/api/supervision/site-violations/${id}/report`, {
      suspicion: '涉嫌串通',
      department: uniqueName('不存在的部门'),
      evidence: [
        { sha256: await uploadEvidence(operator, uniqueName('录音')), kind: 'audio', filename: 'a.m4a' },
      ],
    });
    expect(problem(res)).toMatchObject({ status: 400, code: 'DEPARTMENT_NOT_IN_SCOPE' });
    // Evidence that was never uploaded is refused.
    res = await operator.post('/api/supervision/site-violations', violationBody(lotId, ['0'.repeat(64)]));
    expect(problem(res)).toMatchObject({ status: 400, code: 'EVIDENCE_NOT_FOUND' });
  });

  test('feedback not given within the limit is flagged by the job, witnessed, and a late answer is marked', async () => {
    const clip = await uploadEvidence(operator, uniqueName('录像'));
    let res = await operator.post('/api/supervision/site-violations', violationBody(lotId, [clip]));
    const id = (res.json() as Violation).id;
    res = await operator.post(`/api/supervision/site-violations/${id}/report`, {
      suspicion: '涉嫌投标人与评标专家串通',
      department: regulator.department,
    });
    expect(res.statusCode, res.body).toBe(200);
    const due = new Date((res.json() as Violation).report!.feedbackDueAt);

    // One millisecond before the deadline: nothing flagged.
    p.clock.set(new Date(due.getTime()));
    await p.jobs.runDueJobs();
    let api = await p.as(regulator.account);
    let v = (await api.get(`/api/supervision/site-violations/${id}`)).json() as Violation;
    expect(v.report).toMatchObject({ overdue: false, overdueFlaggedAt: null });

    p.clock.set(new Date(due.getTime() + 60_000));
    await p.jobs.runDueJobs();
    api = await p.as(regulator.account);
    v = (await api.get(`/api/supervision/site-violations/${id}`)).json() as Violation;
    expect(v.report?.overdue).toBe(true);
    expect(v.report?.overdueFlaggedAt).not.toBeNull();
    const overdue = (await api.get('/api/supervision/site-violations?overdue=true&limit=200')).json() as {
      items: Violation[];
    };
    expect(overdue.items.map((i) => i.id)).toContain(id);

    // The flag is a witnessed event on the project's timeline.
    await sequenceWitnessEvents(p.db);
    const lot = await findLot(p.db, lotId);
    const timeline = (await api.get(`/api/supervision/projects/${lot!.projectId}/timeline`)).json() as {
      events: { action: string; payload: { reportId?: string; citation?: string } }[];
    };
    const flagged = timeline.events.filter((e) => e.action === 'site-violation.feedback-overdue');
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.payload.citation).toContain('第四十七条');

    // Running the job again changes nothing; the late answer is accepted and marked late.
    await p.jobs.runDueJobs();
    await api.post(`/api/supervision/site-violations/${id}/acknowledge`);
    res = await api.post(`/api/supervision/site-violations/${id}/feedback`, { result: '已责令改正' });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as Violation).report).toMatchObject({ feedbackLate: true, overdue: false });
  }, 60_000);

  test('the feedback limit is the centre’s setting; a report keeps the limit it was made under', async () => {
    const settings = await operator.get('/api/supervision/site-violations/settings');
    expect(settings.json()).toMatchObject({ feedbackWorkingDays: 10 });
    expect((settings.json() as { note: string }).note).toContain('未规定具体天数');
    expect(
      (await regulatorApi.put('/api/supervision/site-violations/settings', { feedbackWorkingDays: 5 }))
        .statusCode,
    ).toBe(403);
    const res = await operator.put('/api/supervision/site-violations/settings', { feedbackWorkingDays: 5 });
    expect(res.statusCode, res.body).toBe(200);
    const photo = await uploadEvidence(operator, uniqueName('照片'));
    const id = (
      (
        await operator.post('/api/supervision/site-violations', violationBody(lotId, [photo]))
      ).json() as Violation
    ).id;
    const reported = (
      await operator.post(`/api/supervision/site-violations/${id}/report`, {
        suspicion: '涉嫌弄虚作假',
        department: regulator.department,
      })
    ).json() as Violation;
    expect(reported.report?.timeLimitWorkingDays).toBe(5);
    await operator.put('/api/supervision/site-violations/settings', { feedbackWorkingDays: 10 });
  });
});
