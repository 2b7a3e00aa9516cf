import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiClient, makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { addWorkingDays } from '../../platform/clock/index.ts';
import { CREDIT_CODE_CHARSET, composeCreditCode } from '../../service/entities/index.ts';
import {
  makeAcceptedEntity,
  registerReceivedLot,
  type TestEntity,
} from '../../trading/projects/test-factory.ts';
import { giveTestScope } from '../scopes/test-factory.ts';
import { type CreditCheckContext, checkCreditEligibility } from './index.ts';
import { recordTestBan } from './test-factory.ts';

let p: TestPlatform;
let supervisor: ApiClient;
let operator: ApiClient;

beforeAll(async () => {
  p = await makeTestPlatform();
  const account = await p.makeAccount(['supervisor'], { displayName: '住建局监督科' });
  await giveTestScope(p.db, account.id, { department: '呼和浩特市住房和城乡建设局' });
  supervisor = await p.as(account);
  operator = await p.as(await p.makeAccount(['operator'], { displayName: '交易中心' }));
});
afterAll(async () => {
  await p?.close();
});

const START = '2026-03-02T01:00:00.000Z'; // Monday 09:00 in Shanghai

const WORKS_BID: CreditCheckContext = {
  stage: 'bid',
  lotId: null,
  catalogItemCode: '0101',
  regionCode: '150102',
  mandatoryTender: true,
  law: 'works',
};
const GP_BID: CreditCheckContext = {
  stage: 'bid',
  lotId: null,
  catalogItemCode: '0201',
  regionCode: '150102',
  mandatoryTender: false,
  law: 'gp',
};

function problem(res: { statusCode: number; json(): unknown }) {
  return {
    status: res.statusCode,
    ...(res.json() as { code: string; title: string; detail?: string; citation?: string }),
  };
}

function randomCreditCode(): string {
  const body = Array.from({ length: 8 }, () => CREDIT_CODE_CHARSET[Math.floor(Math.random() * 31)]).join('');
  return composeCreditCode({ authority: '9', category: '1', regionCode: '150102', organizationBody: body });
}

async function bidder(): Promise<TestEntity<ApiClient>> {
  return makeAcceptedEntity(p, ['bidder', 'supplier']);
}

const party = (e: TestEntity<ApiClient>) => ({
  organizationId: e.account.organizationId,
  creditCode: null,
  name: e.name,
});

function violation(subject: { name: string; creditCode: string }, overrides: Record<string, unknown> = {}) {
  return {
    kind: 'violation',
    subject: { kind: 'organization', name: subject.name, creditCode: subject.creditCode },
    regionCode: '150102',
    catalogItemCode: '0101',
    severity: 'serious',
    facts: '以他人名义投标，提供虚假的业绩证明材料。',
    legalBasis: '《中华人民共和国招标投标法实施条例》第六十八条',
    penalty: '罚款人民币5万元，取消其1年内参加依法必须进行招标的项目的投标资格。',
    decidingAuthority: '呼和浩特市住房和城乡建设局',
    decisionNumber: `呼建罚〔2026〕${Math.floor(Math.random() * 9000 + 1000)}号`,
    decisionDate: '2026-03-02',
    ...overrides,
  };
}

const ban68 = (fromDate: string, toDate: string, extra: Record<string, unknown> = {}) => ({
  kind: 'bidding_mandatory_tender',
  basisCode: 'tiaoli-68',
  fromDate,
  toDate,
  ...extra,
});

async function countRecordsOf(creditCode: string): Promise<number> {
  const res = await operator.get(`/api/credit/records?q=${creditCode}`);
  return (res.json() as { total: number }).total;
}

describe('credit records', () => {
  test('a violation without its legal basis is refused with the rule, and nothing is stored', async () => {
    p.clock.set(START);
    const firm = { name: '内蒙古无据建设有限公司', creditCode: randomCreditCode() };
    const res = await supervisor.post('/api/credit/records', violation(firm, { legalBasis: null }));
    expect(problem(res)).toMatchObject({ status: 400, code: 'CREDIT_LEGAL_BASIS_REQUIRED' });
    expect(problem(res).citation).toContain('1531号');
    const blank = await supervisor.post('/api/credit/records', violation(firm, { legalBasis: '   ' }));
    expect(problem(blank).code).toBe('CREDIT_LEGAL_BASIS_REQUIRED');
    const noPenalty = await supervisor.post('/api/credit/records', violation(firm, { penalty: null }));
    expect(problem(noPenalty).code).toBe('CREDIT_PENALTY_REQUIRED');
    expect(await countRecordsOf(firm.creditCode)).toBe(0);
  });

  test('a subject with a wrong credit code, a ban longer than the statute allows or of the wrong kind is refused', async () => {
    p.clock.set(START);
    const firm = { name: '内蒙古超期建设有限公司', creditCode: randomCreditCode() };
    const badCode = `${firm.creditCode.slice(0, 17)}${firm.creditCode[17] === '0' ? '1' : '0'}`;
    const wrongCode = await supervisor.post(
      '/api/credit/records',
      violation({ ...firm, creditCode: badCode }),
    );
    expect(problem(wrongCode)).toMatchObject({ status: 400, code: 'CREDIT_CODE_INVALID' });

    const tooLong = await supervisor.post(
      '/api/credit/records',
      violation(firm, { restrictions: [ban68('2026-03-02', '2030-03-01')] }),
    );
    expect(problem(tooLong)).toMatchObject({ status: 409, code: 'CREDIT_BAN_LENGTH_UNLAWFUL' });
    expect(problem(tooLong).citation).toContain('第六十八条');

    const wrongKind = await supervisor.post(
      '/api/credit/records',
      violation(firm, {
        restrictions: [ban68('2026-03-02', '2027-03-01', { kind: 'government_procurement' })],
      }),
    );
    expect(problem(wrongKind)).toMatchObject({ status: 409, code: 'CREDIT_BAN_KIND_MISMATCH' });
    expect(await countRecordsOf(firm.creditCode)).toBe(0);
  });

  test('a supervisor outside its scope cannot record a sanction, nor see records outside it', async () => {
    p.clock.set(START);
    const narrow = await p.makeAccount(['supervisor'], { displayName: '包头市财政局' });
    await giveTestScope(p.db, narrow.id, {
      department: '包头市财政局',
      regionPrefixes: ['1502'],
      catalogPrefixes: ['02'],
    });
    const client = await p.as(narrow);
    const firm = { name: '内蒙古越权建设有限公司', creditCode: randomCreditCode() };

    const refused = await client.post('/api/credit/records', violation(firm));
    expect(problem(refused)).toMatchObject({ status: 403, code: 'OUT_OF_SCOPE' });
    expect(problem(refused).citation).toBeTruthy();
    expect(await countRecordsOf(firm.creditCode)).toBe(0);

    const inScope = await supervisor.post('/api/credit/records', violation(firm));
    expect(inScope.statusCode).toBe(201);
    const id = (inScope.json() as { id: string }).id;
    const listed = await client.get(`/api/credit/records?q=${firm.creditCode}`);
    expect((listed.json() as { total: number }).total).toBe(0);
    expect(problem(await client.get(`/api/credit/records/${id}`)).code).toBe('OUT_OF_SCOPE');
    expect(problem(await client.post(`/api/credit/records/${id}/revoke`, { reason: '越权撤销' })).code).toBe(
      'OUT_OF_SCOPE',
    );
    // The trading centre reads, but does not decide.
    expect((await operator.get(`/api/credit/records/${id}`)).statusCode).toBe(200);
    expect((await operator.post('/api/credit/records', violation(firm))).statusCode).toBe(403);
  });
});

describe('enforcement: checkCreditEligibility', () => {
  test('a barred bidder is barred with the record cited; not in another kind of lot; not after the period ends', async () => {
    p.clock.set(START);
    const firm = await bidder();
    const created = await supervisor.post(
      '/api/credit/records',
      violation(firm, { restrictions: [ban68('2026-03-02', '2027-03-01')] }),
    );
    expect(created.statusCode).toBe(201);
    const record = created.json() as { id: string; code: string; subject: { organizationId: string } };
    expect(record.subject.organizationId).toBe(firm.account.organizationId);

    const barred = await checkCreditEligibility(p.db, p.clock, [party(firm)], WORKS_BID);
    expect(barred.barred).toBe(true);
    expect(barred.reasons).toHaveLength(1);
    expect(barred.reasons[0]).toContain(record.code);
    expect(barred.reasons[0]).toContain('2026-03-02 至 2027-03-01');
    expect(barred.reasons[0]).toContain('第六十八条');
    expect(barred.reasons[0]).toContain(firm.creditCode);

    // 第六十八条 bars 依法必须招标 projects only: a 政府采购 lot is not concerned.
    expect((await checkCreditEligibility(p.db, p.clock, [party(firm)], GP_BID)).barred).toBe(false);
    // Nor a works lot that is not 依法必须招标.
    expect(
      (await checkCreditEligibility(p.db, p.clock, [party(firm)], { ...WORKS_BID, mandatoryTender: false }))
        .barred,
    ).toBe(false);

    p.clock.set('2027-03-01T15:00:00.000Z'); // 2027-03-01 23:00 in Shanghai: the last day
    expect((await checkCreditEligibility(p.db, p.clock, [party(firm)], WORKS_BID)).barred).toBe(true);
    p.clock.set('2027-03-01T16:00:00.000Z'); // 2027-03-02 00:00: the ban is over
    const after = await checkCreditEligibility(p.db, p.clock, [party(firm)], WORKS_BID);
    expect(after).toMatchObject({ barred: false, reasons: [] });
  });

  test('a restriction scoped to a trading category bars only there', async () => {
    p.clock.set(START);
    const firm = await bidder();
    await recordTestBan(p, firm, {
      basisCode: 'other',
      kind: 'bidding_all',
      legalBasis: '《内蒙古自治区公共资源交易管理办法》',
      catalogPrefixes: ['02'],
      regionPrefixes: ['1501'],
    });
    expect((await checkCreditEligibility(p.db, p.clock, [party(firm)], WORKS_BID)).barred).toBe(false);
    expect((await checkCreditEligibility(p.db, p.clock, [party(firm)], GP_BID)).barred).toBe(true);
    expect(
      (await checkCreditEligibility(p.db, p.clock, [party(firm)], { ...GP_BID, regionCode: '150202' }))
        .barred,
    ).toBe(false);
  });

  test('one barred member bars the whole consortium', async () => {
    p.clock.set(START);
    const clean = await bidder();
    const tainted = await bidder();
    await recordTestBan(p, tainted, { basisCode: 'zfcgf-77' });
    expect((await checkCreditEligibility(p.db, p.clock, [party(clean)], GP_BID)).barred).toBe(false);
    const consortium = await checkCreditEligibility(p.db, p.clock, [party(clean), party(tainted)], GP_BID);
    expect(consortium.barred).toBe(true);
    expect(consortium.reasons[0]).toContain('联合体');
    expect(consortium.reasons[0]).toContain(tainted.name);
    expect(consortium.reasons[0]).not.toContain(clean.name);
    expect(consortium.reasons[0]).toContain('财库〔2016〕125号');
    expect(consortium.reasons[1]).toContain('第七十七条');
  });

  test('credit repair ends publication and lifts the restriction on its date; before the minimum period it is refused', async () => {
    p.clock.set(START);
    const firm = await bidder();
    const ban = await recordTestBan(p, firm, { basisCode: 'zfcgf-77' });
    expect((await checkCreditEligibility(p.db, p.clock, [party(firm)], GP_BID)).barred).toBe(true);
    expect((await p.anonymous.get(`/api/credit/lists/dishonest?q=${firm.creditCode}`)).json()).toMatchObject({
      total: 1,
    });

    // Only the subject itself (or the regulator for a paper application) may apply.
    const stranger = await bidder();
    const refused = await stranger.client.post(`/api/credit/records/${ban.recordId}/repair-applications`, {
      statement: '已整改',
      commitment: '守法经营',
    });
    expect(problem(refused)).toMatchObject({ status: 403, code: 'CREDIT_REPAIR_NOT_SUBJECT' });

    const mine = await firm.client.get('/api/credit/my-records');
    expect((mine.json() as { items: { id: string }[] }).items.map((r) => r.id)).toContain(ban.recordId);
    const applied = await firm.client.post(`/api/credit/records/${ban.recordId}/repair-applications`, {
      statement: '已缴纳罚款，完成整改，建立了投标文件内部审核制度。',
      commitment: '今后严格遵守政府采购法律法规，如实提供材料。',
    });
    expect(applied.statusCode).toBe(201);
    const application = applied.json() as { id: string; status: string; channel: string };
    expect(application).toMatchObject({ status: 'pending', channel: 'online' });
    const again = await firm.client.post(`/api/credit/records/${ban.recordId}/repair-applications`, {
      statement: '再次申请',
      commitment: '承诺',
    });
    expect(problem(again).code).toBe('CREDIT_REPAIR_PENDING');

    p.clock.set('2026-03-20T02:00:00.000Z');
    const approver = await p.as(await p.makeAccount(['supervisor']));
    // A supervisor without a configured scope decides nothing.
    expect(
      problem(
        await approver.post(`/api/credit/repair-applications/${application.id}/decide`, {
          approve: true,
          reason: '同意',
        }),
      ).code,
    ).toBe('SCOPE_NOT_CONFIGURED');
    const decided = await (await reloginSupervisor()).post(
      `/api/credit/repair-applications/${application.id}/decide`,
      {
        approve: true,
        reason: '失信行为已纠正，信用承诺已作出，准予修复。',
      },
    );
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'approved', effectiveOn: '2026-03-20' });

    expect((await checkCreditEligibility(p.db, p.clock, [party(firm)], GP_BID)).barred).toBe(false);
    expect((await p.anonymous.get(`/api/credit/lists/dishonest?q=${firm.creditCode}`)).json()).toMatchObject({
      total: 0,
    });
    expect((await p.anonymous.get(`/api/credit/search?q=${firm.creditCode}`)).json()).toMatchObject({
      total: 0,
    });
    expect((await p.anonymous.get(`/api/credit/public-records/${ban.recordId}`)).statusCode).toBe(404);
    const ops = await p.as(await p.makeAccount(['operator']));
    const record = (await ops.get(`/api/credit/records/${ban.recordId}`)).json() as {
      status: string;
      repairedOn: string;
      restrictions: { liftedOn: string; inForce: boolean }[];
    };
    expect(record).toMatchObject({ status: 'repaired', repairedOn: '2026-03-20' });
    expect(record.restrictions[0]).toMatchObject({ liftedOn: '2026-03-20', inForce: false });

    const events = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_id', '=', application.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['credit-repair.applied', 'credit-repair.approved']);
  });

  test('under the 2026 rule a serious record cannot be repaired before its minimum publication period', async () => {
    p.clock.set('2026-04-10T02:00:00.000Z');
    const sup = await reloginSupervisor();
    const firm = await bidder();
    const created = await sup.post('/api/credit/records', violation(firm, { decisionDate: '2026-04-10' }));
    expect(created.statusCode).toBe(201);
    const record = created.json() as {
      id: string;
      publication: { endsOn: string; repairEarliestOn: string; rule: string };
    };
    expect(record.publication).toMatchObject({ endsOn: '2029-04-10', repairEarliestOn: '2027-04-10' });
    expect(record.publication.rule).toContain('信用修复管理办法');
    const applied = await firm.client.post(`/api/credit/records/${record.id}/repair-applications`, {
      statement: '已整改',
      commitment: '守法经营',
    });
    const id = (applied.json() as { id: string }).id;
    const early = await sup.post(`/api/credit/repair-applications/${id}/decide`, {
      approve: true,
      reason: '同意',
    });
    expect(problem(early)).toMatchObject({ status: 409, code: 'CREDIT_REPAIR_TOO_EARLY' });
    expect(problem(early).citation).toContain('信用修复管理办法');
    const rejected = await sup.post(`/api/credit/repair-applications/${id}/decide`, {
      approve: false,
      reason: '未满最短公示期。',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
  });
});

async function reloginSupervisor(): Promise<ApiClient> {
  const account = await p.makeAccount(['supervisor'], { displayName: '住建局监督科' });
  await giveTestScope(p.db, account.id);
  return p.as(account);
}

describe('publication on the portal (T20–T22)', () => {
  test('a record is on the list within its period, off after it, and still found by name or code', async () => {
    p.clock.set(START);
    const sup = await reloginSupervisor();
    const firm = {
      name: `内蒙古公示期测试有限公司${Math.floor(Math.random() * 1e6)}`,
      creditCode: randomCreditCode(),
    };
    const created = await sup.post(
      '/api/credit/records',
      violation(firm, { kind: 'dishonest', severity: 'general', decisionDate: '2026-03-02' }),
    );
    expect(created.statusCode).toBe(201);
    const record = created.json() as {
      id: string;
      publication: { dueOn: string; late: boolean; endsOn: string; onList: boolean };
    };
    // 1531号: 20 working days to publish, 6 months on the list.
    expect(record.publication).toMatchObject({
      dueOn: addWorkingDays('2026-03-02', 20),
      late: false,
      endsOn: '2026-09-02',
      onList: true,
    });

    const onList = async () =>
      (
        (await p.anonymous.get(`/api/credit/lists/dishonest?q=${encodeURIComponent(firm.name)}`)).json() as {
          total: number;
        }
      ).total;
    expect(await onList()).toBe(1);
    const item = (
      (await p.anonymous.get(`/api/credit/lists/dishonest?q=${firm.creditCode}`)).json() as {
        items: {
          subjectName: string;
          legalBasis: string;
          decidingAuthority: string;
          decisionNumber: string;
        }[];
      }
    ).items[0]!;
    expect(item).toMatchObject({ subjectName: firm.name, decidingAuthority: '呼和浩特市住房和城乡建设局' });
    expect(item.legalBasis).toContain('第六十八条');

    p.clock.set('2026-09-02T15:00:00.000Z'); // 2026-09-02 23:00: last day
    expect(await onList()).toBe(1);
    p.clock.set('2026-09-02T16:00:00.000Z'); // 2026-09-03 00:00
    expect(await onList()).toBe(0);
    const lookup = (await p.anonymous.get(`/api/credit/search?q=${firm.creditCode}`)).json() as {
      total: number;
      items: { id: string; onList: boolean }[];
    };
    expect(lookup.total).toBe(1);
    expect(lookup.items[0]).toMatchObject({ id: record.id, onList: false });
    const detail = await p.anonymous.get(`/api/credit/public-records/${record.id}`);
    expect(detail.json()).toMatchObject({ onList: false });
  });

  test('a restriction longer than the period keeps the record on the list to its end; a late entry is flagged', async () => {
    p.clock.set(START);
    const sup = await reloginSupervisor();
    const firm = { name: '内蒙古长期限制有限公司', creditCode: randomCreditCode() };
    const created = await sup.post(
      '/api/credit/records',
      violation(firm, {
        decisionDate: '2026-01-05',
        restrictions: [ban68('2026-01-05', '2028-01-04')],
      }),
    );
    const record = created.json() as { publication: { endsOn: string; late: boolean; dueOn: string } };
    expect(record.publication.endsOn).toBe('2028-01-04');
    expect(record.publication.dueOn).toBe(addWorkingDays('2026-01-05', 20));
    expect(record.publication.late).toBe(true);
  });

  test('a minor record under the 2026 rule may stay unpublished; a general one may not', async () => {
    p.clock.set('2026-04-10T02:00:00.000Z');
    const sup = await reloginSupervisor();
    const firm = { name: '内蒙古轻微失信有限公司', creditCode: randomCreditCode() };
    const minor = await sup.post(
      '/api/credit/records',
      violation(firm, { severity: 'minor', decisionDate: '2026-04-10', publish: false }),
    );
    expect(minor.statusCode).toBe(201);
    expect(minor.json()).toMatchObject({
      status: 'unpublished',
      publication: { onList: false, publishedAt: null },
    });
    const general = await sup.post(
      '/api/credit/records',
      violation(firm, { severity: 'general', decisionDate: '2026-04-10', publish: false }),
    );
    expect(problem(general)).toMatchObject({ status: 409, code: 'CREDIT_PUBLICATION_REQUIRED' });
    const listed = (await p.anonymous.get(`/api/credit/search?q=${firm.creditCode}`)).json() as {
      total: number;
    };
    expect(listed.total).toBe(0);
  });

  test('a commendation is on the 守信 list until its end date; a performance record is never published', async () => {
    p.clock.set(START);
    const sup = await reloginSupervisor();
    const firm = await bidder();
    const honest = await sup.post('/api/credit/records', {
      kind: 'commendation',
      subject: { kind: 'organization', name: firm.name, creditCode: firm.creditCode },
      regionCode: '150102',
      catalogItemCode: '01',
      facts: '2025年度守合同重信用企业。',
      decidingAuthority: '呼和浩特市市场监督管理局',
      decisionNumber: '呼市监发〔2026〕8号',
      decisionDate: '2026-02-27',
      validUntil: '2026-12-31',
    });
    expect(honest.statusCode).toBe(201);
    const performance = await sup.post('/api/credit/records', {
      kind: 'performance',
      subject: { kind: 'organization', name: firm.name, creditCode: firm.creditCode },
      regionCode: '150102',
      catalogItemCode: '0101',
      facts: '合同按期履行，工程质量合格。',
      decidingAuthority: '呼和浩特市住房和城乡建设局',
      decisionNumber: '履约评价-2026-001',
      decisionDate: '2026-03-01',
      performanceRating: 'good',
    });
    expect(performance.json()).toMatchObject({ status: 'recorded', publication: { publish: false } });
    const list = (await p.anonymous.get(`/api/credit/lists/honest?q=${firm.creditCode}`)).json() as {
      total: number;
      items: { kindName: string }[];
    };
    expect(list.total).toBe(1);
    expect(list.items[0]!.kindName).toBe('守信记录');
    const dishonest = (await p.anonymous.get(`/api/credit/lists/dishonest?q=${firm.creditCode}`)).json() as {
      total: number;
    };
    expect(dishonest.total).toBe(0);
    p.clock.set('2027-01-01T02:00:00.000Z');
    expect(
      ((await p.anonymous.get(`/api/credit/lists/honest?q=${firm.creditCode}`)).json() as { total: number })
        .total,
    ).toBe(0);
  });
});

describe('external lists', () => {
  test('an import with bad rows keeps the good ones and reports each bad row by line; the list then bars', async () => {
    p.clock.set(START);
    const ops = await p.as(await p.makeAccount(['operator']));
    const listed = await bidder();
    const source = `信用中国-测试-${Math.floor(Math.random() * 1e9)}`;
    const good = listed.creditCode;
    const badCheck = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const csv = [
      '名称,统一社会信用代码,案号,列入日期,截止日期,执行法院',
      `${listed.name},${good},(2025)内0102执1234号,2025-06-01,,呼和浩特市新城区人民法院`,
      `"内蒙古错码有限公司",${badCheck},(2025)内0102执1235号,2025-06-01,,新城区法院`,
      `内蒙古无案号有限公司,${randomCreditCode()},,2025-06-01,,新城区法院`,
      `内蒙古错日期有限公司,${randomCreditCode()},(2025)内0102执1236号,2025-13-01,,新城区法院`,
    ].join('\r\n');
    const body = {
      source,
      listKind: 'dishonest_judgment_debtor',
      asOf: '2026-03-01',
      format: 'csv',
      content: csv,
    };

    const dry = await ops.post('/api/credit/imports', { ...body, dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ id: null, dryRun: true, acceptedRows: 1, rejectedRows: 3 });

    const res = await ops.post('/api/credit/imports', body);
    expect(res.statusCode).toBe(201);
    const batch = res.json() as {
      id: string;
      totalRows: number;
      acceptedRows: number;
      rejectedRows: number;
      rejected: { line: number; message: string }[];
      contentSm3: string;
    };
    expect(batch).toMatchObject({ totalRows: 4, acceptedRows: 1, rejectedRows: 3 });
    expect(batch.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
    expect(batch.rejected[0]!.message).toMatch(/^第 3 行：统一社会信用代码/);
    expect(batch.rejected[1]!.message).toContain('记录编号');
    expect(batch.rejected[2]!.message).toContain('2025-13-01');
    expect(batch.contentSm3).toMatch(/^[0-9a-f]{64}$/);
    const witnessed = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_id', '=', batch.id)
      .execute();
    expect(witnessed.map((e) => e.action)).toEqual(['credit-list.imported']);

    // Not an operator: refused.
    expect((await supervisor.post('/api/credit/imports', body)).statusCode).toBe(403);

    const gp = await checkCreditEligibility(p.db, p.clock, [party(listed)], GP_BID);
    expect(gp.barred).toBe(true);
    expect(gp.reasons[0]).toContain('失信被执行人名单');
    expect(gp.reasons[0]).toContain(source);
    expect(gp.reasons[0]).toContain('(2025)内0102执1234号');
    expect(gp.reasons[0]).toContain('财库〔2016〕125号');
    const works = await checkCreditEligibility(p.db, p.clock, [party(listed)], WORKS_BID);
    expect(works.reasons[0]).toContain('法〔2016〕285号');

    // A later batch of the same source supersedes the earlier one from its date; the history stays.
    const later = await ops.post('/api/credit/imports', {
      ...body,
      asOf: '2026-03-02',
      content: [
        '名称,统一社会信用代码,案号',
        `内蒙古其他有限公司,${randomCreditCode()},(2026)内0102执9号`,
      ].join('\n'),
    });
    expect(later.statusCode).toBe(201);
    expect((await checkCreditEligibility(p.db, p.clock, [party(listed)], GP_BID)).barred).toBe(false);
    const old = (await ops.get(`/api/credit/imports/${batch.id}`)).json() as {
      batch: { supersededBy: { id: string; asOf: string } };
      entries: { creditCode: string }[];
    };
    expect(old.batch.supersededBy).toMatchObject({
      id: (later.json() as { id: string }).id,
      asOf: '2026-03-02',
    });
    expect(old.entries.map((e) => e.creditCode)).toEqual([good]);
    const history = (await ops.get(`/api/credit/list-entries?q=${good}`)).json() as {
      items: { asOf: string }[];
    };
    expect(history.items).toEqual([
      expect.objectContaining({ asOf: '2026-03-01', listName: '失信被执行人名单' }),
    ]);
  });

  test('a file without a valid row, or without the needed columns, is refused and not recorded', async () => {
    p.clock.set(START);
    const ops = await p.as(await p.makeAccount(['operator']));
    const source = `税务总局-测试-${Math.floor(Math.random() * 1e9)}`;
    const none = await ops.post('/api/credit/imports', {
      source,
      listKind: 'major_tax_violation',
      asOf: '2026-03-01',
      rows: [{ name: '内蒙古坏行有限公司', creditCode: '91150102MA0000000X', recordNumber: 'A1' }],
    });
    expect(problem(none)).toMatchObject({ status: 409, code: 'CREDIT_IMPORT_NO_VALID_ROWS' });
    const noColumn = await ops.post('/api/credit/imports', {
      source,
      listKind: 'major_tax_violation',
      asOf: '2026-03-01',
      content: '名称,案号\n某公司,A1',
    });
    expect(problem(noColumn)).toMatchObject({ status: 400, code: 'CREDIT_IMPORT_COLUMN_MISSING' });
    const future = await ops.post('/api/credit/imports', {
      source,
      listKind: 'major_tax_violation',
      asOf: '2026-03-05',
      rows: [{ name: '某公司', creditCode: randomCreditCode(), recordNumber: 'A1' }],
    });
    expect(problem(future).code).toBe('CREDIT_IMPORT_AS_OF_FUTURE');
    const batches = (await ops.get('/api/credit/imports?limit=200')).json() as {
      items: { source: string }[];
    };
    expect(batches.items.filter((b) => b.source === source)).toHaveLength(0);
  });
});

describe('the check log', () => {
  test('every check is recorded with its sources and shown to the lot parties and the supervisor in scope', async () => {
    p.clock.set(START);
    const received = await registerReceivedLot(p, { procedureType: 'open-tender.works', withAgency: true });
    const lot = received.lot;
    const firm = await bidder();
    const ban = await recordTestBan(p, firm, { basisCode: 'tiaoli-67' });

    const result = await checkCreditEligibility(p.db, p.clock, [party(firm)], {
      stage: 'award',
      lotId: lot.id,
      catalogItemCode: lot.catalogItemCode,
      regionCode: lot.regionCode,
      mandatoryTender: lot.mandatoryTender,
      law: 'works',
    });
    expect(result.barred).toBe(true);
    expect(result.checkedAt).toBe(new Date(START).toISOString());

    const asInitiator = await received.initiatorClient.get(`/api/lots/${lot.id}/credit-checks`);
    expect(asInitiator.statusCode).toBe(200);
    const checks = (
      asInitiator.json() as {
        items: {
          id: string;
          stage: string;
          barred: boolean;
          reasons: string[];
          parties: { creditCode: string }[];
          sources: { kind: string; asOf: string | null }[];
          hits: { recordNumber: string; barring: boolean }[];
        }[];
      }
    ).items;
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ id: result.checkId, stage: 'award', barred: true });
    expect(checks[0]!.parties[0]!.creditCode).toBe(firm.creditCode);
    expect(checks[0]!.sources[0]).toMatchObject({ kind: 'platform', asOf: '2026-03-02' });
    expect(checks[0]!.sources.some((s) => s.kind === 'external')).toBe(true);
    expect(checks[0]!.hits[0]).toMatchObject({ recordNumber: ban.recordCode, barring: true });

    // The agency checks a consortium at the evaluation: recorded with who asked.
    const manual = await received.agencyClient!.post(`/api/lots/${lot.id}/credit-checks`, {
      stage: 'award',
      parties: [
        { organizationId: null, creditCode: randomCreditCode(), name: '内蒙古联合体牵头有限公司' },
        { organizationId: null, creditCode: firm.creditCode, name: firm.name },
      ],
    });
    expect(manual.statusCode).toBe(201);
    expect(manual.json()).toMatchObject({ barred: true, requestedBy: received.agency!.id, stage: 'award' });

    expect((await supervisor.get(`/api/lots/${lot.id}/credit-checks`)).json()).toMatchObject({
      items: [expect.anything(), expect.anything()],
    });
    expect((await operator.get(`/api/lots/${lot.id}/credit-checks`)).statusCode).toBe(200);
    const outsider = await bidder();
    expect((await outsider.client.get(`/api/lots/${lot.id}/credit-checks`)).statusCode).toBe(403);
    const narrow = await p.makeAccount(['supervisor']);
    await giveTestScope(p.db, narrow.id, { regionPrefixes: ['1502'] });
    expect(problem(await (await p.as(narrow)).get(`/api/lots/${lot.id}/credit-checks`)).code).toBe(
      'OUT_OF_SCOPE',
    );

    const witnessed = await p.db
      .selectFrom('witness_events')
      .select(['action', 'payload'])
      .where('entity_id', '=', result.checkId)
      .execute();
    expect(witnessed.map((e) => e.action)).toEqual(['credit-check.performed']);

    const log = (await operator.get('/api/credit/checks?barred=true&limit=200')).json() as {
      items: { id: string }[];
    };
    expect(log.items.map((c) => c.id)).toContain(result.checkId);
  });
});

describe('credit score', () => {
  test('a factor favouring local firms is refused with the fair-competition rule; allowed factors score conduct', async () => {
    p.clock.set(START);
    const sup = await reloginSupervisor();
    const base = { effectiveFrom: '2026-03-02', baseScore: 100, minScore: 0, maxScore: 100 };
    const local = await sup.post('/api/credit/score-rules', {
      ...base,
      factors: [
        { kind: 'violation_serious', weight: -20 },
        { kind: 'local_performance', weight: 5 },
      ],
    });
    expect(problem(local)).toMatchObject({ status: 409, code: 'CREDIT_SCORE_FACTOR_FORBIDDEN' });
    expect(problem(local).citation).toContain('第七条');
    for (const kind of ['ownership', 'registered_capital', 'local_tax', 'local_social_insurance', 'size']) {
      const res = await sup.post('/api/credit/score-rules', { ...base, factors: [{ kind, weight: 1 }] });
      expect(problem(res).code).toBe('CREDIT_SCORE_FACTOR_FORBIDDEN');
    }
    const unknown = await sup.post('/api/credit/score-rules', {
      ...base,
      factors: [{ kind: 'headquarters_city', weight: 1 }],
    });
    expect(problem(unknown)).toMatchObject({ status: 409, code: 'CREDIT_SCORE_FACTOR_NOT_ALLOWED' });
    const retro = await sup.post('/api/credit/score-rules', {
      ...base,
      effectiveFrom: '2026-03-01',
      factors: [{ kind: 'violation_serious', weight: -20 }],
    });
    expect(problem(retro).code).toBe('CREDIT_SCORE_RULE_RETROACTIVE');

    const created = await sup.post('/api/credit/score-rules', {
      ...base,
      factors: [
        { kind: 'violation_serious', weight: -20, windowMonths: 36 },
        { kind: 'restriction_active', weight: -30, cap: 30 },
        { kind: 'performance_good', weight: 2, windowMonths: 12 },
      ],
      note: '测试规则',
    });
    expect(created.statusCode).toBe(201);

    const firm = await bidder();
    await recordTestBan(p, firm, { basisCode: 'tiaoli-68' });
    const score = await operator.get(`/api/credit/score?creditCode=${firm.creditCode}`);
    expect(score.statusCode).toBe(200);
    const view = score.json() as {
      score: number;
      ruleVersion: number;
      breakdown: { kind: string; count: number; points: number }[];
    };
    expect(view.score).toBe(50);
    expect(view.breakdown).toEqual([
      expect.objectContaining({ kind: 'violation_serious', count: 1, points: -20 }),
      expect.objectContaining({ kind: 'restriction_active', count: 1, points: -30 }),
      expect.objectContaining({ kind: 'performance_good', count: 0, points: 0 }),
    ]);
    const versions = (await operator.get('/api/credit/score-rules')).json() as {
      items: { version: number }[];
    };
    expect(versions.items[0]!.version).toBe(view.ruleVersion);
  });
});
