import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import type { Actor } from '../../platform/identity/index.ts';
import {
  assertLotReceived,
  assertMayActForLot,
  findLot,
  LOT_CODE_LENGTH,
  PROJECT_CODE_LENGTH,
  TENDER_PROJECT_CODE_LENGTH,
} from './index.ts';
import { makeAcceptedEntity, projectBody, registerReceivedLot, type TestEntity } from './test-factory.ts';

const START = '2026-03-02T01:00:00.000Z'; // 09:00 in Shanghai, a Monday
let p: TestPlatform;
let operator: ApiClient;

beforeAll(async () => {
  p = await makeTestPlatform({ GGZY_LOGIN_RATE_MAX: '10000' });
  p.clock.set(START);
  operator = await p.as(await p.makeAccount(['operator']));
});

afterAll(async () => {
  await p.close();
});

beforeEach(() => {
  p.clock.set(START);
});

interface ProjectJson {
  id: string;
  code: string;
  tenderProjectCode: string;
  status: string;
  version: number;
  catalogItemCode: string;
  tradingMode: string | null;
  returnReasons: string[] | null;
  lots: { id: string; code: string; status: string; estimateYuan: string; rulesAsOf: string }[];
  authorisations: { id: string; status: string; current: boolean; agencyName: string }[];
}

async function newInitiator(): Promise<TestEntity<ApiClient>> {
  return makeAcceptedEntity(p, ['tenderer', 'purchaser'], { operatorClient: operator });
}

async function newAgency(): Promise<TestEntity<ApiClient>> {
  return makeAcceptedEntity(p, ['tender_agency'], { operatorClient: operator });
}

async function register(client: ApiClient, overrides: Record<string, unknown> = {}): Promise<ProjectJson> {
  const res = await client.post('/api/projects', projectBody(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ProjectJson;
}

async function projectsNamed(name: string) {
  return p.db.selectFrom('projects').select('id').where('name', '=', name).execute();
}

async function witnessActions(entityId: string): Promise<string[]> {
  const rows = await p.db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

async function lotCount(projectId: string): Promise<number> {
  const rows = await p.db.selectFrom('lots').select('id').where('project_id', '=', projectId).execute();
  return rows.length;
}

function actorOf(entity: TestEntity): Actor {
  return {
    accountId: entity.account.id,
    username: entity.account.username,
    displayName: '测试',
    roles: entity.account.roles as Actor['roles'],
    organizationId: entity.account.organizationId,
    organizationName: entity.name,
    sessionId: 'test',
  };
}

describe('项目登记', () => {
  test('an accepted initiator registers a project with lots; codes are 17, 20 and 23 characters', async () => {
    const initiator = await newInitiator();
    const project = await register(initiator.client, {
      lots: [
        {
          name: '一标段 施工',
          procedureType: 'open-tender.works',
          estimateYuan: '6000000.00',
          content: '主体工程',
        },
        {
          name: '二标段 施工',
          procedureType: 'open-tender.works',
          estimateYuan: '5000000.50',
          content: '附属工程',
        },
      ],
    });
    expect(project.status).toBe('submitted');
    expect(project.code).toHaveLength(PROJECT_CODE_LENGTH);
    expect(project.code).toMatch(/^Z150102260302\d{4}$/);
    expect(project.tenderProjectCode).toHaveLength(TENDER_PROJECT_CODE_LENGTH);
    expect(project.tenderProjectCode).toBe(`${project.code}001`);
    expect(project.lots.map((l) => l.code)).toEqual([
      `${project.tenderProjectCode}001`,
      `${project.tenderProjectCode}002`,
    ]);
    for (const lot of project.lots) expect(lot.code).toHaveLength(LOT_CODE_LENGTH);
    expect(project.lots[1]).toMatchObject({
      estimateYuan: '5000000.50',
      status: 'registered',
      rulesAsOf: '2026-03-02',
    });
    expect(await witnessActions(project.id)).toEqual(['project.registered']);
    expect(await witnessActions(project.lots[0]!.id)).toEqual(['lot.registered']);

    const mine = await initiator.client.get('/api/my/projects');
    expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([project.id]);
    const lot = await findLot(p.db, project.lots[0]!.id);
    expect(lot).toMatchObject({
      projectCode: project.code,
      procedureType: 'open-tender.works',
      initiatorOrganizationId: initiator.account.organizationId,
      agencyOrganizationId: null,
      mandatoryTender: true,
      status: 'registered',
    });
    expect(() => assertLotReceived(lot!)).toThrow(/尚未受理/);
  });

  test('concurrent registrations in one region on one day get distinct, consecutive codes', async () => {
    const initiators = await Promise.all([newInitiator(), newInitiator()]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        initiators[i % 2]!.client.post('/api/projects', projectBody({ regionCode: '150203' })),
      ),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    const codes = results.map((r) => (r.json() as ProjectJson).code);
    expect(new Set(codes).size).toBe(10);
    const seqs = codes.map((c) => Number(c.slice(13))).sort((a, b) => a - b);
    expect(seqs[9]! - seqs[0]!).toBe(9);
    const lotCodes = results.map((r) => (r.json() as ProjectJson).lots[0]!.code);
    expect(new Set(lotCodes).size).toBe(10);
  });

  test('bad input is refused with the field named and nothing is stored', async () => {
    const initiator = await newInitiator();
    const cases: [Record<string, unknown>, number, string | null][] = [
      [{ catalogItemCode: '0999' }, 400, 'CATALOG_ITEM_UNKNOWN'],
      [{ regionCode: '159999' }, 400, 'REGION_UNKNOWN'],
      [{ regionCode: '15010' }, 400, null],
      [{ estimateYuan: '-1.00' }, 400, null],
      [{ lots: [] }, 400, null],
      [{ investmentProjectCode: 'short' }, 400, null],
      [
        { procedureType: 'inquiry', catalogItemCode: '0101', mandatoryTender: false },
        400,
        'PROCEDURE_NOT_FOR_CATALOG',
      ],
      [
        {
          procedureType: 'open-tender.gp',
          catalogItemCode: '0201',
          mandatoryTender: false,
          budgetYuan: '1.5',
        },
        201,
        null,
      ],
      [
        { approvalDocuments: [{ name: '批复', number: '1号', authority: '发改委', blobId: 'a'.repeat(64) }] },
        400,
        'BLOB_NOT_FOUND',
      ],
    ];
    for (const [overrides, status, code] of cases) {
      const name = uniqueName('坏输入项目');
      const res = await initiator.client.post('/api/projects', { ...projectBody(overrides), name });
      expect(res.statusCode, `${JSON.stringify(overrides)} → ${res.body}`).toBe(status);
      if (code) expect(res.json().code).toBe(code);
      expect(await projectsNamed(name)).toHaveLength(status === 201 ? 1 : 0);
    }
  });

  test('an initiator whose organisation is not an accepted market entity may not register', async () => {
    const account = await p.makeAccount(['initiator']);
    const client = await p.as(account);
    const name = uniqueName('未登记单位项目');
    const res = await client.post('/api/projects', { ...projectBody(), name });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('INITIATOR_NOT_ACCEPTED');
    expect(await projectsNamed(name)).toHaveLength(0);
  });
});

describe('委托代理', () => {
  test('an agency without an authorisation is refused and nothing is stored; authorised it acts; revoked it is refused again', async () => {
    const initiator = await newInitiator();
    const agency = await newAgency();
    const project = await register(initiator.client);
    const lot = {
      name: '监理',
      procedureType: 'open-tender.works',
      estimateYuan: '800000.00',
      content: '施工监理',
    };

    const refused = await agency.client.post(`/api/projects/${project.id}/lots`, lot);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'AGENCY_NOT_AUTHORISED' });
    expect(refused.json().detail).toContain('委托');
    expect(await lotCount(project.id)).toBe(1);
    expect((await agency.client.get(`/api/projects/${project.id}`)).statusCode).toBe(403);
    await expect(assertMayActForLot(p.db, actorOf(agency), project.lots[0]!.id)).rejects.toMatchObject({
      code: 'AGENCY_NOT_AUTHORISED',
      status: 403,
    });

    // The agency may not authorise itself.
    const self = await agency.client.post(`/api/projects/${project.id}/authorisations`, {
      agencyCreditCode: agency.creditCode,
      documentName: '委托书',
      scope: '全过程',
    });
    expect(self.statusCode).toBe(403);

    const authorised = await initiator.client.post(`/api/projects/${project.id}/authorisations`, {
      agencyCreditCode: agency.creditCode,
      documentName: '招标代理委托合同',
      documentNumber: 'WT-2026-001',
      scope: '招标代理全过程',
    });
    expect(authorised.statusCode, authorised.body).toBe(201);
    const auth = (authorised.json() as ProjectJson).authorisations[0]!;
    expect(auth).toMatchObject({ status: 'active', current: true, agencyName: agency.name });

    const added = await agency.client.post(`/api/projects/${project.id}/lots`, lot);
    expect(added.statusCode, added.body).toBe(201);
    expect((added.json() as ProjectJson).lots.map((l) => l.code.slice(-3))).toEqual(['001', '002']);
    const agencyList = await agency.client.get('/api/agency/projects');
    expect(agencyList.json().items.map((i: { id: string }) => i.id)).toEqual([project.id]);
    const summary = await assertMayActForLot(p.db, actorOf(agency), project.lots[0]!.id, p.clock.now());
    expect(summary.agencyOrganizationId).toBe(agency.account.organizationId);

    // A second agency while one is current: refused.
    const other = await newAgency();
    const second = await initiator.client.post(`/api/projects/${project.id}/authorisations`, {
      agencyCreditCode: other.creditCode,
      documentName: '委托书',
      scope: '全过程',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('AGENCY_ALREADY_AUTHORISED');

    const revoked = await initiator.client.post(
      `/api/projects/${project.id}/authorisations/${auth.id}/revoke`,
      { reason: '合同解除' },
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    const again = await agency.client.post(`/api/projects/${project.id}/lots`, lot);
    expect(again.statusCode).toBe(403);
    expect(await lotCount(project.id)).toBe(2);
    expect((await agency.client.get('/api/agency/projects')).json().items).toEqual([]);
    expect(await witnessActions(project.id)).toEqual([
      'project.registered',
      'project.agency-authorised',
      'project.lot-added',
      'project.agency-revoked',
    ]);
  });

  test('only an accepted agency can be authorised, and an expired authorisation no longer lets it act', async () => {
    const initiator = await newInitiator();
    const bidder = await makeAcceptedEntity(p, ['bidder'], { operatorClient: operator });
    const project = await register(initiator.client);
    const notAgency = await initiator.client.post(`/api/projects/${project.id}/authorisations`, {
      agencyCreditCode: bidder.creditCode,
      documentName: '委托书',
      scope: '全过程',
    });
    expect(notAgency.statusCode).toBe(409);
    expect(notAgency.json().code).toBe('AGENCY_NOT_ELIGIBLE');

    const agency = await newAgency();
    const res = await initiator.client.post(`/api/projects/${project.id}/authorisations`, {
      agencyCreditCode: agency.creditCode,
      documentName: '委托书',
      scope: '全过程',
      validUntil: '2026-03-31',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await agency.client.get(`/api/projects/${project.id}`)).statusCode).toBe(200);
    p.clock.set('2026-04-01T01:00:00.000Z');
    const late = await (await p.as(agency.account)).put(`/api/projects/${project.id}`, {
      ...projectBody(),
      lots: undefined,
    });
    expect(late.statusCode).toBe(403);
    expect(late.json().code).toBe('AGENCY_NOT_AUTHORISED');
  });
});

describe('受理', () => {
  test('only the trading centre receives; returned for 补正, corrected, resubmitted, then received', async () => {
    const initiator = await newInitiator();
    const project = await register(initiator.client);

    for (const client of [initiator.client, await p.as(await p.makeAccount(['supervisor']))]) {
      const res = await client.post(`/api/admin/projects/${project.id}/receive`, { reviewedVersion: 1 });
      expect(res.statusCode).toBe(403);
    }
    expect(
      (await p.anonymous.post(`/api/admin/projects/${project.id}/receive`, { reviewedVersion: 1 }))
        .statusCode,
    ).toBe(401);

    const queue = await operator.get('/api/admin/projects?status=submitted&limit=200');
    expect(queue.statusCode).toBe(200);

    const returned = await operator.post(`/api/admin/projects/${project.id}/return`, {
      reasons: ['缺少可行性研究报告批复扫描件'],
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({
      status: 'returned',
      returnReasons: ['缺少可行性研究报告批复扫描件'],
    });
    const early = await operator.post(`/api/admin/projects/${project.id}/receive`, { reviewedVersion: 1 });
    expect(early.statusCode).toBe(409);

    const corrected = await initiator.client.put(`/api/projects/${project.id}`, {
      ...projectBody(),
      lots: undefined,
      name: uniqueName('补正后项目'),
      regulator: '呼和浩特市住房和城乡建设局',
    });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json().version).toBe(2);
    const resubmitted = await initiator.client.post(`/api/projects/${project.id}/resubmit`);
    expect(resubmitted.json()).toMatchObject({ status: 'submitted', returnReasons: null });

    const stale = await operator.post(`/api/admin/projects/${project.id}/receive`, { reviewedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('PROJECT_CHANGED_SINCE_REVIEW');
    const received = await operator.post(`/api/admin/projects/${project.id}/receive`, { reviewedVersion: 2 });
    expect(received.statusCode, received.body).toBe(200);
    const body = received.json() as ProjectJson;
    expect(body).toMatchObject({ status: 'received', tradingMode: 'tender', catalogItemCode: '0101' });
    expect(body.lots.every((l) => l.status === 'received')).toBe(true);
    const lot = await findLot(p.db, body.lots[0]!.id);
    expect(() => assertLotReceived(lot!)).not.toThrow();
    expect(await witnessActions(project.id)).toEqual([
      'project.registered',
      'project.returned',
      'project.updated',
      'project.resubmitted',
      'project.received',
    ]);
    // Received: no more edits (a new lot would send it back to the queue instead).
    const edit = await initiator.client.put(`/api/projects/${project.id}`, {
      ...projectBody(),
      lots: undefined,
    });
    expect(edit.statusCode).toBe(409);
  });

  test('the operator may reclassify at 受理, but only to a trading mode the catalog lists', async () => {
    const initiator = await newInitiator();
    const project = await register(initiator.client, {
      procedureType: 'open-tender.gp',
      catalogItemCode: '0201',
      mandatoryTender: false,
    });
    const bad = await operator.post(`/api/admin/projects/${project.id}/receive`, {
      reviewedVersion: 1,
      tradingMode: 'auction',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('TRADING_MODE_NOT_IN_CATALOG');
    const ok = await operator.post(`/api/admin/projects/${project.id}/receive`, {
      reviewedVersion: 1,
      catalogItemCode: '0203',
      tradingMode: 'procurement',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ catalogItemCode: '0203', tradingMode: 'procurement' });
  });
});

describe('化整为零', () => {
  const small = (name: string, itemCode = '0101') => ({
    catalogItemCode: itemCode,
    mandatoryTender: false,
    budgetYuan: '1500000.00',
    lots: [{ name, procedureType: 'invited-tender.works', estimateYuan: '1500000.00', content: name }],
  });

  async function flagsOf(lotId: string) {
    return p.db.selectFrom('split_flags').selectAll().where('lot_id', '=', lotId).execute();
  }

  test('three small lots of one item within 12 months are flagged, with the evidence, and witnessed', async () => {
    const initiator = await newInitiator();
    const a = await register(initiator.client, small('一号楼维修'));
    p.clock.advance(20 * 86_400_000);
    const b = await register(await p.as(initiator.account), small('二号楼维修'));
    expect(await flagsOf(b.lots[0]!.id)).toHaveLength(0); // 3,000,000 < 4,000,000
    p.clock.advance(20 * 86_400_000);
    const client = await p.as(initiator.account);
    const c = await register(client, small('三号楼维修'));
    expect(c.status).toBe('submitted'); // never blocks
    const [flag] = await flagsOf(c.lots[0]!.id);
    expect(flag).toMatchObject({ threshold: '4000000.00', total: '4500000.00', catalog_item_code: '0101' });
    expect(flag!.evidence.map((e) => e.lotCode)).toEqual([a.lots[0]!.code, b.lots[0]!.code, c.lots[0]!.code]);
    expect(flag!.citation).toContain('第四十九条');
    expect(await witnessActions(c.lots[0]!.id)).toEqual(['lot.registered', 'lot.split-flagged']);

    for (const roles of [['supervisor'], ['operator']]) {
      const client = await p.as(await p.makeAccount(roles));
      const list = await client.get('/api/split-flags?limit=200');
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((f: { lotId: string }) => f.lotId)).toContain(c.lots[0]!.id);
    }
    expect((await client.get('/api/split-flags')).statusCode).toBe(403);
  });

  test('small lots of different items are not flagged', async () => {
    const initiator = await newInitiator();
    const lots = [];
    for (const item of ['0101', '0102', '0103'])
      lots.push(await register(initiator.client, small(item, item)));
    for (const project of lots) expect(await flagsOf(project.lots[0]!.id)).toHaveLength(0);
  });

  test('lots older than 12 months do not count', async () => {
    const initiator = await newInitiator();
    await register(initiator.client, small('甲'));
    await register(initiator.client, small('乙'));
    p.clock.set('2027-03-03T01:00:00.000Z'); // 12 months and a day later
    const late = await register(await p.as(initiator.account), small('丙'));
    expect(await flagsOf(late.lots[0]!.id)).toHaveLength(0);
    p.clock.set('2027-03-02T01:00:00.000Z'); // the anniversary itself is outside the window too
    const anniversary = await register(await p.as(initiator.account), small('丁'));
    // 甲/乙 (2026-03-02) are 12 months old; 丙 and 丁 together stay under the threshold.
    expect(await flagsOf(anniversary.lots[0]!.id)).toHaveLength(0);
  });
});

describe('test factory', () => {
  test('registerReceivedLot gives a received lot its agency may act for', async () => {
    const made = await registerReceivedLot(p, {
      procedureType: 'competitive-consultation',
      withAgency: true,
    });
    expect(made.lot).toMatchObject({
      status: 'received',
      procedureType: 'competitive-consultation',
      catalogItemCode: '0201',
    });
    expect(made.lot.code).toHaveLength(LOT_CODE_LENGTH);
    expect(made.lot.agencyOrganizationId).toBe(made.agency!.organizationId);
    const project = await made.agencyClient!.get(`/api/projects/${made.projectId}`);
    expect(project.statusCode).toBe(200);
    expect(project.json().tradingMode).toBe('procurement');
    const works = await registerReceivedLot(p, {
      procedureType: 'open-tender.works',
      estimateYuan: '12000000.00',
    });
    expect(works.lot).toMatchObject({
      estimateYuan: '12000000.00',
      mandatoryTender: true,
      agencyOrganizationId: null,
    });
  });
});
