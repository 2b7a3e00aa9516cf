import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiClient, makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { loadConfig } from '../../platform/config/index.ts';
import { generateSm2KeyPair, type Sm2PrivateKey } from '../../platform/crypto/index.ts';
import { dataspecRecordsOf, platformCodesOf, type TableRecord } from '../dataspec/index.ts';
import type { ProcessSnapshot } from '../opendata/index.ts';
import { sampleSnapshot } from '../opendata/test-factory.ts';
import { makeSystemCredentials, systemHeaders } from './test-factory.ts';

let platform: TestPlatform;
let operator: ApiClient;
const codes = platformCodesOf(loadConfig({}));

beforeAll(async () => {
  platform = await makeTestPlatform();
  operator = await platform.as(await platform.makeAccount(['operator']));
});
afterAll(async () => {
  await platform.close();
});

interface System {
  id: string;
  code: string;
  key: Sm2PrivateKey;
}

/** A 平台目录 entry of a third-party system in 新城区 (150102) and its registered credential. */
async function registerSystem(opts: { tables?: string[]; regionPrefixes?: string[] } = {}): Promise<System> {
  for (;;) {
    const code = `T150102${String(randomInt(0, 10_000)).padStart(4, '0')}`;
    const added = await operator.post('/api/admin/catalogs/platforms', {
      code,
      name: `测试第三方交易系统${code}`,
      kind: 'third-party',
      regionCode: '150102',
      website: null,
      operatorName: '测试运营公司',
      certification: '检测认证报告 2026-001',
    });
    if (added.statusCode === 409) continue;
    expect(added.statusCode, added.body).toBe(201);
    const { key, certificatePem } = makeSystemCredentials();
    const res = await operator.post('/api/admin/interface-systems', {
      platformCode: code,
      certificatePem,
      regionPrefixes: opts.regionPrefixes ?? ['150102'],
      tables: opts.tables ?? [
        'PROJECT',
        'TENDER_PROJECT',
        'SECTION',
        'TENDER_ANN_QUA_INQUERY_ANN',
        'BID_OPENING_RECORD',
        'TENDER_LIST',
        'TENDER_CANDIDATE_ANNOUNCE',
        'WIN_RESULT_ANNO',
        'CONTRACT_PERFORMANCE',
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().id, code, key };
  }
}

function snapshot(region = '150102'): ProcessSnapshot {
  const s = sampleSnapshot({}, randomInt(1, 999_999));
  return { ...s, lot: { ...s.lot, regionCode: region } };
}

function push(
  system: System,
  body: unknown,
  opts: { timestamp?: number; nonce?: string; key?: Sm2PrivateKey } = {},
) {
  const payload = JSON.stringify(body);
  const headers = systemHeaders(opts.key ?? system.key, system.code, {
    method: 'POST',
    target: '/api/interfaces/records',
    body: payload,
    ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
    ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}),
  });
  return platform.app.inject({ method: 'POST', url: '/api/interfaces/records', headers, payload });
}

const bodyOf = (records: TableRecord[]) => ({
  records: records.map((r) => ({ table: r.table, data: r.record })),
});

async function factsOf(system: System) {
  return platform.db
    .selectFrom('process_facts')
    .selectAll()
    .where('source', '=', `push:${system.code}`)
    .execute();
}

describe('the aggregation port', () => {
  test('a signed push of a whole process is stored, answered per record, witnessed once and counted in the region', async () => {
    const system = await registerSystem();
    const records = dataspecRecordsOf(snapshot(), codes);
    const witnessBefore = await platform.db
      .selectFrom('witness_events')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('entity_type', '=', 'interface-push')
      .executeTakeFirstOrThrow();

    const res = await push(system, bodyOf(records));
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json();
    expect(result).toMatchObject({
      total: records.length,
      accepted: records.length,
      duplicate: 0,
      rejected: 0,
    });
    expect(result.results[0]).toMatchObject({ index: 0, table: 'PROJECT', status: 'accepted', problems: [] });

    const witnessAfter = await platform.db
      .selectFrom('witness_events')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('entity_type', '=', 'interface-push')
      .executeTakeFirstOrThrow();
    expect(Number(witnessAfter.n) - Number(witnessBefore.n)).toBe(1);

    const facts = await factsOf(system);
    expect(facts).toHaveLength(1);
    expect(facts[0]).toMatchObject({
      region_code: '150102',
      law: 'works',
      category_code: '01',
      method: 'open-tender.works',
      bidders: 3,
      status: 'complete',
      month: '2026-03',
    });
    expect(Number(facts[0]!.budget_yuan)).toBe(12_000_000);
    expect(Number(facts[0]!.award_yuan)).toBe(11_200_000);

    // The system reads back its own records; the operator sees the push with its results.
    const target = '/api/interfaces/records?table=TENDER_LIST';
    const mine = await platform.app.inject({
      method: 'GET',
      url: target,
      headers: systemHeaders(system.key, system.code, { method: 'GET', target, body: '' }),
    });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items).toHaveLength(3);
    const pushes = await operator.get(`/api/admin/interface-pushes?systemId=${system.id}`);
    expect(pushes.statusCode).toBe(200);
    expect(pushes.json().items[0]).toMatchObject({
      accepted: records.length,
      system: { platformCode: system.code },
    });
  });

  test('pushing the same records again answers duplicate and counts nothing twice', async () => {
    const system = await registerSystem();
    const records = dataspecRecordsOf(snapshot(), codes);
    expect((await push(system, bodyOf(records))).json().accepted).toBe(records.length);
    const again = await push(system, bodyOf(records));
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ accepted: 0, duplicate: records.length, rejected: 0 });
    const facts = await factsOf(system);
    expect(facts).toHaveLength(1);
    expect(facts[0]!.bidders).toBe(3);
    const stored = await platform.db
      .selectFrom('interface_records')
      .select(({ fn }) => fn.countAll<string>().as('n'))
      .where('system_id', '=', system.id)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(records.length);
  });

  test('a record that breaks a rule is rejected naming the field and the rule; the others are accepted', async () => {
    const system = await registerSystem();
    const records = dataspecRecordsOf(snapshot(), codes);
    const section = records.find((r) => r.table === 'SECTION')!;
    const bad = (patch: Record<string, string | undefined>): TableRecord => {
      const record = { ...section.record, ...patch };
      for (const [k, v] of Object.entries(patch)) if (v === undefined) delete record[k];
      return { table: 'SECTION', record: record as Record<string, string> };
    };
    const res = await push(
      system,
      bodyOf([
        ...records.filter((r) => r.table === 'PROJECT' || r.table === 'TENDER_PROJECT'),
        bad({ PRICE_UNIT: '5' }), // wrong code
        bad({ BID_SECTION_NAME: undefined }), // missing mandatory
        bad({ BID_SECTION_NAME: '长'.repeat(501) }), // over-length
        bad({ CREATE_TIME: '20260231100000' }), // not a real date
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    const { results, accepted, rejected } = res.json() as {
      accepted: number;
      rejected: number;
      results: { status: string; problems: { field: string; rule: string; message: string }[] }[];
    };
    expect({ accepted, rejected }).toEqual({ accepted: 2, rejected: 4 });
    expect(results.slice(2).map((r) => [r.status, r.problems.map((p) => `${p.field}:${p.rule}`)])).toEqual([
      ['rejected', ['PRICE_UNIT:enum']],
      ['rejected', ['BID_SECTION_NAME:mandatory']],
      ['rejected', ['BID_SECTION_NAME:max']],
      ['rejected', ['CREATE_TIME:date']],
    ]);
    expect(results[2]!.problems[0]!.message).toContain('标段合同估算价单位（PRICE_UNIT）');
    expect(results[5]!.problems[0]!.message).toContain('真实日期');
    // Nothing of the rejected section is stored, and without a section there is no fact of this deal yet.
    const sections = await platform.db
      .selectFrom('interface_records')
      .select('seq')
      .where('system_id', '=', system.id)
      .where('table_name', '=', 'SECTION')
      .execute();
    expect(sections).toHaveLength(0);
  });

  test('a record outside the system’s regions or tables is rejected', async () => {
    const system = await registerSystem({ tables: ['PROJECT', 'TENDER_PROJECT', 'SECTION'] });
    const elsewhere = dataspecRecordsOf(snapshot('150203'), codes).filter((r) => r.table === 'PROJECT');
    const ownButNotRegistered = dataspecRecordsOf(snapshot(), codes).filter((r) => r.table === 'TENDER_LIST');
    const res = await push(system, bodyOf([...elsewhere, ...ownButNotRegistered.slice(0, 1)]));
    expect(res.statusCode, res.body).toBe(200);
    const results = res.json().results as { status: string; problems: { rule: string; message: string }[] }[];
    expect(results.map((r) => [r.status, r.problems[0]?.rule])).toEqual([
      ['rejected', 'scope'],
      ['rejected', 'scope'],
    ]);
    expect(results[0]!.problems[0]!.message).toContain('150203');
    expect(results[1]!.problems[0]!.message).toContain('TENDER_LIST');
  });

  test('an unknown table and unknown fields are refused record by record', async () => {
    const system = await registerSystem();
    const project = dataspecRecordsOf(snapshot(), codes).find((r) => r.table === 'PROJECT')!;
    const res = await push(system, {
      records: [
        { table: 'NO_SUCH_TABLE', data: {} },
        { table: 'PROJECT', data: { ...project.record, BIDDER_SECRET: 'x' } },
      ],
    });
    const results = res.json().results as { problems: { field: string; rule: string }[] }[];
    expect(results[0]!.problems).toEqual([expect.objectContaining({ rule: 'table' })]);
    expect(results[1]!.problems).toEqual([
      expect.objectContaining({ field: 'BIDDER_SECRET', rule: 'unknown-field' }),
    ]);
  });
});

describe('signed requests', () => {
  const records = () => bodyOf(dataspecRecordsOf(snapshot(), codes).slice(0, 1));

  test('an unsigned request is refused with 401', async () => {
    const res = await platform.app.inject({
      method: 'POST',
      url: '/api/interfaces/records',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(records()),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'AUTH_REQUIRED', title: '缺少系统签名' });
  });

  test('a replayed request is refused the second time', async () => {
    const system = await registerSystem();
    const nonce = 'replay-nonce-0123456789';
    const timestamp = Date.now();
    const body = records();
    expect((await push(system, body, { nonce, timestamp })).statusCode).toBe(200);
    const replay = await push(system, body, { nonce, timestamp });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({
      code: 'SYSTEM_NONCE_REUSED',
      title: '第三方系统请求签名验证未通过',
    });
  });

  test('a stale timestamp is refused', async () => {
    const system = await registerSystem();
    const res = await push(system, records(), { timestamp: Date.now() - 6 * 60_000 });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SYSTEM_TIMESTAMP_SKEW' });
  });

  test('a system that is not registered is refused', async () => {
    const ghost: System = { id: '', code: 'T1501029999', key: generateSm2KeyPair() };
    const res = await push(
      { ...ghost, code: `T15010${String(randomInt(0, 100_000)).padStart(5, '0')}` },
      records(),
    );
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SYSTEM_UNKNOWN');
  });

  test('a signature by another key is refused', async () => {
    const system = await registerSystem();
    const res = await push(system, records(), { key: generateSm2KeyPair() });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SYSTEM_SIGNATURE_INVALID');
  });

  test('a body changed after signing is refused', async () => {
    const system = await registerSystem();
    const payload = JSON.stringify(records());
    const headers = systemHeaders(system.key, system.code, {
      method: 'POST',
      target: '/api/interfaces/records',
      body: payload,
    });
    const res = await platform.app.inject({
      method: 'POST',
      url: '/api/interfaces/records',
      headers,
      payload: payload.replace('PROJECT', 'SECTION'),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SYSTEM_SIGNATURE_INVALID');
  });

  test('a revoked system is refused with 403 and the reason', async () => {
    const system = await registerSystem();
    const revoked = await operator.post(`/api/admin/interface-systems/${system.id}/revoke`, {
      reason: '证书私钥泄露',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokeReason: '证书私钥泄露' });
    const res = await push(system, records());
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'SYSTEM_REVOKED', title: '系统接口凭证已吊销' });
    expect(res.json().detail).toContain('证书私钥泄露');
  });
});

describe('registration', () => {
  test('only a 平台目录 entry with an SM2 certificate may be registered, by the operator', async () => {
    const { certificatePem } = makeSystemCredentials();
    const notInCatalog = await operator.post('/api/admin/interface-systems', {
      platformCode: 'T1501029998',
      certificatePem,
      regionPrefixes: ['150102'],
      tables: ['PROJECT'],
    });
    expect([400, 409]).toContain(notInCatalog.statusCode);
    const garbage = await operator.post('/api/admin/interface-systems', {
      platformCode: 'P1501000001',
      certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
      regionPrefixes: ['1501'],
      tables: ['PROJECT'],
    });
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().title).toBe('证书无法解析');
    const regional = await operator.post('/api/admin/interface-systems', {
      platformCode: 'P1500000001',
      certificatePem,
      regionPrefixes: ['15'],
      tables: ['PROJECT'],
    });
    expect(regional.statusCode).toBe(400);
    expect(regional.json().title).toBe('该平台不能接入');
    const bidder = await platform.as(await platform.makeAccount(['responder']));
    const forbidden = await bidder.post('/api/admin/interface-systems', {
      platformCode: 'P1501000001',
      certificatePem,
      regionPrefixes: ['1501'],
      tables: ['PROJECT'],
    });
    expect(forbidden.statusCode).toBe(403);
  });

  test('the interface routes are in the OpenAPI document', async () => {
    const doc = (await platform.anonymous.get('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/interfaces/records', '/api/admin/interface-systems']),
    );
  });
});
