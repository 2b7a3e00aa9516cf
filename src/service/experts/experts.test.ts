import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { listDrawCandidates } from './index.ts';
import { makeExpert, randomIdNumber } from './test-factory.ts';

/**
 * The pool through its API: public solicitation, the regulator's decisions, the expert's self-service and
 * the staff's search. Data is the test's own (unique names, random ID numbers) on the shared database.
 */
let p: TestPlatform;
let supervisor: ApiClient;
let operator: ApiClient;
let responder: ApiClient;

beforeAll(async () => {
  p = await makeTestPlatform({ GGZY_LOGIN_RATE_MAX: '10000', GGZY_REGISTRATION_RATE_MAX: '10000' });
  p.clock.set('2026-05-04T01:00:00.000Z');
  supervisor = await p.as(await p.makeAccount(['supervisor'], { displayName: '住建局监督员' }));
  operator = await p.as(await p.makeAccount(['operator'], { displayName: '交易中心工作人员' }));
  responder = await p.as(await p.makeAccount(['responder']));
}, 120_000);

afterAll(async () => {
  await p.close();
});

const PASSWORD = 'Expert@2026pw';

function application(extra: Record<string, unknown> = {}) {
  return {
    account: { username: uniqueName('zj'), password: PASSWORD },
    name: '王建国',
    gender: 'male',
    idNumber: randomIdNumber(),
    phone: '13912345678',
    employerName: '内蒙古某某设计研究院有限公司',
    employerCreditCode: null,
    employerKind: 'enterprise',
    regionCode: '150102',
    title: '高级工程师',
    titleLevel: 'vice-senior',
    education: '硕士研究生',
    yearsInField: 15,
    specialtyCodes: ['A080101', 'A0402'],
    statement: '从事房屋建筑工程设计与施工管理十五年。',
    ...extra,
  };
}

interface ApplicationResponse {
  application: {
    id: string;
    status: string;
    statusName: string;
    idNumberMasked: string;
    phoneMasked: string;
  };
  account: { id: string; username: string };
}

async function apply(extra: Record<string, unknown> = {}) {
  const body = application(extra);
  const res = await p.anonymous.post('/api/experts/applications', body);
  if (res.statusCode !== 201) throw new Error(`application refused: ${res.body}`);
  const json = res.json() as ApplicationResponse;
  const client = await p.login(body.account.username, PASSWORD);
  return { body, ...json, client };
}

async function countAccounts(username: string) {
  const row = await p.db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('public', () => {
  test('the specialty table is public: 工程 / 货物 / 服务 at the top, with its source', async () => {
    const res = await p.anonymous.get('/api/experts/specialties');
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      source: string;
      items: { code: string; name: string; children?: unknown[] }[];
    };
    expect(body.items.map((i) => [i.code, i.name])).toEqual([
      ['A', '工程'],
      ['B', '货物'],
      ['C', '服务'],
    ]);
    expect(body.source).toContain('发改法规〔2018〕316号');
  });
});

describe('application and admission (§40: the regulator decides, the platform records)', () => {
  test('an applicant signs in, sees only the application, and cannot act as an expert before admission', async () => {
    const { application: app, client, body } = await apply();
    expect(app).toMatchObject({ status: 'submitted', statusName: '待审核', phoneMasked: '139****5678' });
    expect(app.idNumberMasked).toBe(`${body.idNumber.slice(0, 4)}**********${body.idNumber.slice(-4)}`);

    const mine = await client.get('/api/experts/me/application');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ id: app.id, statusName: '待审核' });

    const profile = await client.get('/api/experts/me');
    expect(profile.statusCode).toBe(403);
    expect(profile.json()).toMatchObject({ code: 'EXPERT_NOT_ADMITTED' });
    const calendar = await client.put('/api/experts/me/unavailability', { items: [] });
    expect(calendar.statusCode).toBe(403);
    // Nor does the applicant see the pool.
    expect((await client.get('/api/experts')).statusCode).toBe(403);
  });

  test('bad input is refused and nothing is stored: ID number, specialty, region, weak password', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ idNumber: '150102198001011234' }, 400, 'EXPERT_ID_NUMBER_INVALID'],
      [{ idNumber: '15010219800101123' }, 400, 'EXPERT_ID_NUMBER_INVALID'],
      [{ specialtyCodes: ['A0899'] }, 400, 'EXPERT_SPECIALTY_UNKNOWN'],
      [{ specialtyCodes: [] }, 400, 'VALIDATION_FAILED'],
      [{ regionCode: '159999' }, 400, 'EXPERT_REGION_UNKNOWN'],
      [{ phone: '12345' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [extra, status, code] of cases) {
      const body = application(extra);
      const res = await p.anonymous.post('/api/experts/applications', body);
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      if (code !== 'VALIDATION_FAILED') expect(res.json()).toMatchObject({ code });
      expect(await countAccounts(body.account.username)).toBe(0);
    }
    const weak = application({ account: { username: uniqueName('zj'), password: '123' } });
    const res = await p.anonymous.post('/api/experts/applications', weak);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PASSWORD_TOO_WEAK' });
  });

  test('the same person cannot apply twice while pending, nor join twice', async () => {
    const first = await apply();
    const again = await p.anonymous.post(
      '/api/experts/applications',
      application({ idNumber: first.body.idNumber }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'EXPERT_APPLICATION_PENDING' });

    const admitted = await supervisor.post(`/api/experts/applications/${first.application.id}/admit`, {
      reason: null,
    });
    expect(admitted.statusCode).toBe(200);
    const dup = await p.anonymous.post(
      '/api/experts/applications',
      application({ idNumber: first.body.idNumber }),
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'EXPERT_ALREADY_IN_POOL' });
  });

  test('staff may list applications but not decide (403); the supervisor admits and the expert is in the pool', async () => {
    const { application: app, client, body } = await apply();
    const listed = await operator.get('/api/experts/applications?status=submitted&pageSize=100');
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(app.id);

    const byOperator = await operator.post(`/api/experts/applications/${app.id}/admit`, { reason: null });
    expect(byOperator.statusCode).toBe(403);
    const byResponder = await responder.post(`/api/experts/applications/${app.id}/admit`, { reason: null });
    expect(byResponder.statusCode).toBe(403);

    const res = await supervisor.post(`/api/experts/applications/${app.id}/admit`, {
      reason: '符合入库条件',
    });
    expect(res.statusCode).toBe(200);
    const decided = res.json() as {
      status: string;
      expertCode: string;
      expertId: string;
      decidedByName: string;
    };
    expect(decided).toMatchObject({ status: 'admitted', decidedByName: '住建局监督员' });
    expect(decided.expertCode).toMatch(/^ZJ15\d{6,}$/);

    const again = await supervisor.post(`/api/experts/applications/${app.id}/reject`, { reason: '重复处理' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'EXPERT_APPLICATION_DECIDED' });

    const profile = await client.get('/api/experts/me');
    expect(profile.statusCode).toBe(200);
    expect(profile.json()).toMatchObject({
      code: decided.expertCode,
      name: '王建国',
      status: 'active',
      statusName: '在库',
      specialties: [
        { code: 'A080101', isMain: true, path: '工程 / 工程施工 / 房屋建筑工程 / 土建' },
        { code: 'A0402', isMain: false },
      ],
    });
    expect((await client.get('/api/experts/me/application')).json()).toMatchObject({ statusName: '已入库' });

    // Neither the ID number nor the phone is in any witness payload.
    const events = await p.db
      .selectFrom('witness_events')
      .select(['action', 'payload'])
      .where('entity_id', 'in', [app.id, decided.expertId])
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual([
      'expert-application.admitted',
      'expert-application.submitted',
      'expert.admitted',
    ]);
    for (const e of events) {
      expect(e.payload).not.toContain(body.idNumber);
      expect(e.payload).not.toContain(body.phone);
    }
    // And the stored row holds them sealed only.
    const row = await p.db
      .selectFrom('experts')
      .selectAll()
      .where('id', '=', decided.expertId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(body.idNumber);
    expect(JSON.stringify(row)).not.toContain(body.phone);
  });

  test('a rejection needs a reason, and the applicant sees it', async () => {
    const { application: app, client } = await apply();
    const noReason = await supervisor.post(`/api/experts/applications/${app.id}/reject`, { reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    const res = await supervisor.post(`/api/experts/applications/${app.id}/reject`, {
      reason: '从业年限证明材料不足',
    });
    expect(res.statusCode).toBe(200);
    expect((await client.get('/api/experts/me/application')).json()).toMatchObject({
      status: 'rejected',
      statusName: '未通过',
      decisionReason: '从业年限证明材料不足',
    });
    const profile = await client.get('/api/experts/me');
    expect(profile.json()).toMatchObject({
      code: 'EXPERT_NOT_ADMITTED',
      detail: expect.stringContaining('未通过'),
    });
  });
});

describe('the expert keeps the profile up to date', () => {
  test('contact, employer and education are the expert’s; specialties and status are not', async () => {
    const made = await makeExpert(p, { name: '李专家' });
    const client = await p.as(made.account);
    const res = await client.request({
      method: 'PATCH',
      url: '/api/experts/me',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ phone: '13711112222', employerName: '新工作单位', education: '博士研究生' }),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      phoneMasked: '137****2222',
      employer: { name: '新工作单位' },
      education: '博士研究生',
      version: 2,
    });
    const forbidden = await client.request({
      method: 'PATCH',
      url: '/api/experts/me',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ specialtyCodes: ['B0401'], status: 'active' }),
    });
    expect(forbidden.statusCode).toBe(400);
    const events = await p.db
      .selectFrom('witness_events')
      .select(['action', 'payload'])
      .where('entity_id', '=', made.expertId)
      .where('action', '=', 'expert.profile-updated')
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload)).toEqual({
      changedFields: ['phone', 'employerName', 'education'],
      version: 2,
    });
    expect(events[0]!.payload).not.toContain('13711112222');
  });

  test('unavailability and relationships are declared; a former employer needs its end date', async () => {
    const made = await makeExpert(p);
    const client = await p.as(made.account);
    const calendar = await client.put('/api/experts/me/unavailability', {
      items: [
        { from: '2026-06-01', to: '2026-06-05', reason: '出国' },
        { from: '2026-07-01', to: '2026-07-01', reason: null },
      ],
    });
    expect(calendar.statusCode).toBe(200);
    expect((calendar.json() as { items: unknown[] }).items).toHaveLength(2);
    const backwards = await client.put('/api/experts/me/unavailability', {
      items: [{ from: '2026-06-05', to: '2026-06-01', reason: null }],
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ code: 'EXPERT_UNAVAILABILITY_INVALID' });

    const noEnd = await client.put('/api/experts/me/relationships', {
      items: [
        { kind: 'former-employer', organizationName: '原单位', creditCode: null, endedOn: null, note: null },
      ],
    });
    expect(noEnd.statusCode).toBe(400);
    expect(noEnd.json()).toMatchObject({ code: 'EXPERT_RELATIONSHIP_ENDED_ON_REQUIRED' });

    const declared = await client.put('/api/experts/me/relationships', {
      items: [
        {
          kind: 'spouse-employer',
          organizationName: '某某建设集团有限公司',
          creditCode: '91150100MA0N000011',
          endedOn: null,
          note: '配偶任职',
        },
        {
          kind: 'former-employer',
          organizationName: '原单位',
          creditCode: null,
          endedOn: '2024-01-31',
          note: null,
        },
      ],
    });
    expect(declared.statusCode).toBe(200);
    expect((declared.json() as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ kindName: '配偶受聘单位', appliedAutomatically: true }),
      expect.objectContaining({ kindName: '曾受聘单位（三年内）', appliedAutomatically: false }),
    ]);
    const profile = (await client.get('/api/experts/me')).json() as {
      unavailability: unknown[];
      relationships: unknown[];
    };
    expect(profile.unavailability).toHaveLength(2);
    expect(profile.relationships).toHaveLength(2);
    const events = await p.db
      .selectFrom('witness_events')
      .select(['payload'])
      .where('entity_id', '=', made.expertId)
      .where('action', '=', 'expert.relationships-updated')
      .execute();
    expect(events[0]!.payload).not.toContain('某某建设集团');
  });
});

describe('staff and supervisors', () => {
  test('the pool is searched by specialty prefix, region, status and name; details stay masked', async () => {
    const name = uniqueName('赵');
    const made = await makeExpert(p, { name, regionCode: '150203', specialtyCodes: ['A080303'] });
    for (const client of [operator, supervisor]) {
      const res = await client.get(
        `/api/experts?specialtyCode=A0803&regionCode=150200&name=${encodeURIComponent(name)}`,
      );
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { id: string; idNumberMasked: string }[]; total: number };
      expect(body.total).toBe(1);
      expect(body.items[0]!.id).toBe(made.expertId);
    }
    const miss = await operator.get(`/api/experts?specialtyCode=B&name=${encodeURIComponent(name)}`);
    expect((miss.json() as { total: number }).total).toBe(0);
    const detail = await operator.get(`/api/experts/${made.expertId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(made.idNumber);
    expect(detail.body).not.toContain(made.phone);
    expect(detail.json()).toMatchObject({ code: made.code, records: [] });
    expect((await responder.get('/api/experts')).statusCode).toBe(403);
    expect((await responder.get(`/api/experts/${made.expertId}`)).statusCode).toBe(403);
    const unknown = await operator.get('/api/experts?specialtyCode=A0899');
    expect(unknown.statusCode).toBe(400);
  });

  test('the supervisor suspends (with an end date), restores and retires; staff cannot', async () => {
    const made = await makeExpert(p);
    const byOperator = await operator.post(`/api/experts/${made.expertId}/status`, {
      status: 'suspended',
      reason: '考核不合格',
      until: '2026-08-31',
    });
    expect(byOperator.statusCode).toBe(403);
    const suspended = await supervisor.post(`/api/experts/${made.expertId}/status`, {
      status: 'suspended',
      reason: '年度考核不合格',
      until: '2026-08-31',
    });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({
      status: 'suspended',
      statusName: '暂停',
      suspendedUntil: '2026-08-31',
    });
    const restored = await supervisor.post(`/api/experts/${made.expertId}/status`, {
      status: 'active',
      reason: '复核合格',
      until: null,
    });
    expect(restored.json()).toMatchObject({ status: 'active', suspendedUntil: null });
    const retired = await supervisor.post(`/api/experts/${made.expertId}/status`, {
      status: 'retired',
      reason: '本人申请退出',
      until: null,
    });
    expect(retired.json()).toMatchObject({ statusName: '退出' });
    const back = await supervisor.post(`/api/experts/${made.expertId}/status`, {
      status: 'active',
      reason: '恢复',
      until: null,
    });
    expect(back.statusCode).toBe(409);
    expect(back.json()).toMatchObject({ code: 'EXPERT_RETIRED' });
    const actions = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_id', '=', made.expertId)
      .orderBy('id')
      .execute();
    expect(actions.filter((a) => a.action === 'expert.status-changed')).toHaveLength(3);
  });

  test('training, assessment and credit records by the supervisor; the expert reads them', async () => {
    const made = await makeExpert(p);
    const res = await supervisor.post(`/api/experts/${made.expertId}/records`, {
      kind: 'training',
      title: '2026年度评标专家继续教育培训',
      detail: null,
      result: '合格',
      basis: null,
      occurredOn: '2026-04-20',
      validUntil: null,
    });
    expect(res.statusCode).toBe(201);
    const performance = await supervisor.post(`/api/experts/${made.expertId}/records`, {
      kind: 'performance',
      title: '不能由监督员登记评标表现',
      occurredOn: '2026-04-20',
    });
    expect(performance.statusCode).toBe(400);
    const byOperator = await operator.post(`/api/experts/${made.expertId}/records`, {
      kind: 'credit',
      title: '失信',
      occurredOn: '2026-04-20',
    });
    expect(byOperator.statusCode).toBe(403);
    const mine = await (await p.as(made.account)).get('/api/experts/me/records');
    expect(mine.json()).toMatchObject({ items: [{ kindName: '培训', result: '合格' }] });
  });

  test('the supervisor changes specialties and titles; unknown codes are refused', async () => {
    const made = await makeExpert(p);
    const bad = await supervisor.put(`/api/experts/${made.expertId}/qualifications`, {
      specialtyCodes: ['A0899'],
      title: '正高级工程师',
      titleLevel: 'senior',
      yearsInField: 20,
      regionCode: '150102',
    });
    expect(bad.statusCode).toBe(400);
    const res = await supervisor.put(`/api/experts/${made.expertId}/qualifications`, {
      specialtyCodes: ['B0401', 'C0201'],
      title: '正高级工程师',
      titleLevel: 'senior',
      yearsInField: 20,
      regionCode: '150203',
    });
    expect(res.statusCode).toBe(200);
    // The draw finds the expert under the new specialty in the new region, and no longer in the old one.
    const moved = await listDrawCandidates(p.db, {
      specialtyCode: 'B0401',
      regionCode: '150203',
      period: { from: new Date('2026-06-10T01:00:00Z'), to: new Date('2026-06-10T09:00:00Z') },
      avoid: [],
      regulatorName: null,
      asOf: p.clock.now(),
    });
    expect(moved.map((c) => c.expertId)).toContain(made.expertId);
    const old = await listDrawCandidates(p.db, {
      specialtyCode: 'A080101',
      regionCode: '150102',
      period: { from: new Date('2026-06-10T01:00:00Z'), to: new Date('2026-06-10T09:00:00Z') },
      avoid: [],
      regulatorName: null,
      asOf: p.clock.now(),
    });
    expect(old.map((c) => c.expertId)).not.toContain(made.expertId);
    expect(res.json()).toMatchObject({
      titleLevelName: '正高级',
      regionCode: '150203',
      specialties: [
        { code: 'B0401', isMain: true },
        { code: 'C0201', isMain: false },
      ],
    });
  });
});
