import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import { type CalendarDate, shanghaiDateOf, shiftDate } from '../../platform/clock/index.ts';
import {
  disclosedAnnouncementKinds,
  findTradingCatalogItem,
  INITIAL_PLATFORMS,
  INITIAL_TRADING_ITEMS,
  seedCatalogs,
} from './index.ts';

/**
 * The real platform on the worker's shared database. The trading catalog is one for the whole database,
 * so these tests only ever add items with fresh codes (and retire or modify only those): other files'
 * tests keep seeing the fixed codes of version 1.
 */
let p: TestPlatform;
let operatorA: ApiClient;
let operatorB: ApiClient;
let initiator: ApiClient;
/** A date on or after every version's effective date: new versions may start from here. */
let base: CalendarDate;

beforeAll(async () => {
  p = await makeTestPlatform({ GGZY_LOGIN_RATE_MAX: '10000' });
  const versions = await p.anonymous.get('/api/public/catalogs/trading/versions');
  const latest = (versions.json() as { items: { effectiveFrom: string }[] }).items[0]!.effectiveFrom;
  base = (latest > '2026-03-02' ? latest : '2026-03-02') as CalendarDate;
  p.clock.set(`${base}T01:00:00.000Z`);
  operatorA = await p.as(await p.makeAccount(['operator'], { displayName: '目录起草人' }));
  operatorB = await p.as(await p.makeAccount(['operator'], { displayName: '目录审核人' }));
  initiator = await p.as(await p.makeAccount(['initiator']));
});

afterAll(async () => {
  await p.close();
});

/** A code never used in any version, in category 08 (数据资源类) — fresh for each test. */
async function freshCode(): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const code = `08${String(randomInt(10, 100))}`;
    const used = await p.db
      .selectFrom('trading_catalog_items')
      .select('code')
      .where('code', '=', code)
      .executeTakeFirst();
    if (!used) return code;
  }
  throw new Error('no free catalog code');
}

function newItem(code: string, name = uniqueName('公共数据授权运营')) {
  return {
    code,
    name,
    regulator: '内蒙古自治区政务服务与数据管理局',
    tradingModes: ['listing', 'other'],
    splitThresholdYuan: null,
    splitThresholdCitation: null,
  };
}

async function witnessActions(entityType: string, entityId: string): Promise<string[]> {
  const rows = await p.db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

async function latestVersion(): Promise<number> {
  const res = await p.anonymous.get('/api/public/catalogs/trading/versions');
  return (res.json() as { items: { version: number }[] }).items[0]!.version;
}

describe('trading catalog (交易目录)', () => {
  test('the nine categories of §10 and the fixed item codes are there on a fresh database', async () => {
    const res = await p.anonymous.get('/api/public/catalogs/trading?asOf=2022-03-01');
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      version: number;
      categories: { code: string; items: { code: string; splitThresholdYuan: string | null }[] }[];
    };
    expect(body.version).toBe(1);
    expect(body.categories.map((c) => c.code)).toEqual([
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
    ]);
    const codes = body.categories.flatMap((c) => c.items.map((i) => i.code));
    for (const item of INITIAL_TRADING_ITEMS) expect(codes).toContain(item.code);
    const works = body.categories[0]!.items.find((i) => i.code === '0101')!;
    expect(works.splitThresholdYuan).toBe('4000000.00');
  });

  test('findTradingCatalogItem reads the item in force; before the 办法 took effect there is none', async () => {
    const item = await findTradingCatalogItem(p.db, '0201', base);
    expect(item).toMatchObject({
      code: '0201',
      name: '政府采购货物',
      categoryCode: '02',
      categoryName: '政府采购和医药集中采购',
      splitThresholdYuan: '4000000.00',
    });
    expect(item?.splitThresholdCitation).toContain('内蒙古自治区政府集中采购目录及标准');
    expect(await findTradingCatalogItem(p.db, '0301')).toMatchObject({ splitThresholdYuan: null });
    expect(await findTradingCatalogItem(p.db, '0999', base)).toBeNull();
    expect(await findTradingCatalogItem(p.db, '0101', '2021-12-31')).toBeNull();
    const res = await p.anonymous.get('/api/public/catalogs/trading?asOf=2021-12-31');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'CATALOG_NOT_IN_FORCE' });
  });

  test('seeding again changes nothing', async () => {
    const before = await latestVersion();
    const count = async () =>
      Number(
        (
          await p.db
            .selectFrom('platform_catalog')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const platforms = await count();
    await seedCatalogs(p.db, p.clock);
    expect(await latestVersion()).toBe(before);
    expect(await count()).toBe(platforms);
  });

  test('one operator drafts, another approves: a new version from its date, the old one still answers asOf', async () => {
    const code = await freshCode();
    const effectiveFrom = shiftDate(base, 10);
    const drafted = await operatorA.post('/api/admin/catalogs/trading/change-requests', {
      title: '增列公共数据授权运营',
      reason: '自治区数据资源交易纳入平台',
      effectiveFrom,
      changes: [{ op: 'add', item: newItem(code) }],
    });
    expect(drafted.statusCode).toBe(201);
    const request = drafted.json() as { id: string; status: string; baseVersion: number };
    expect(request.status).toBe('pending');

    // Nothing changes until it is reviewed.
    expect(await findTradingCatalogItem(p.db, code, effectiveFrom)).toBeNull();

    const approved = await operatorB.post(
      `/api/admin/catalogs/trading/change-requests/${request.id}/approve`,
    );
    expect(approved.statusCode).toBe(200);
    const result = approved.json() as {
      status: string;
      resultingVersion: number;
      reviewedBy: { name: string };
    };
    expect(result).toMatchObject({ status: 'approved', reviewedBy: { name: '目录审核人' } });
    expect(result.resultingVersion).toBe(request.baseVersion + 1);

    // In force from its date; the day before, the previous version answers.
    expect(await findTradingCatalogItem(p.db, code, effectiveFrom)).toMatchObject({ code, effectiveFrom });
    expect(await findTradingCatalogItem(p.db, code, shiftDate(effectiveFrom, -1))).toBeNull();
    const old = await p.anonymous.get(`/api/public/catalogs/trading?asOf=${shiftDate(effectiveFrom, -1)}`);
    expect((old.json() as { version: number }).version).toBeLessThan(result.resultingVersion);
    const now = await p.anonymous.get(`/api/public/catalogs/trading/items/${code}?asOf=${effectiveFrom}`);
    expect(now.statusCode).toBe(200);
    expect(now.json()).toMatchObject({
      code,
      version: result.resultingVersion,
      tradingModeNames: ['挂牌', '其他方式'],
    });
    // The fixed items are carried into the new version unchanged.
    expect(await findTradingCatalogItem(p.db, '0101', effectiveFrom)).toMatchObject({
      name: '房屋建筑和市政基础设施工程',
    });

    const versions = await p.anonymous.get('/api/public/catalogs/trading/versions');
    const listed = (versions.json() as { items: { version: number; state: string }[] }).items.find(
      (v) => v.version === result.resultingVersion,
    );
    expect(listed?.state).toBe('scheduled');

    expect(await witnessActions('trading-catalog-change', request.id)).toEqual([
      'trading-catalog.change-drafted',
      'trading-catalog.change-approved',
    ]);
    expect(await witnessActions('trading-catalog', String(result.resultingVersion))).toEqual([
      'trading-catalog.version-published',
    ]);

    // Then modify and retire the same item through another reviewed change.
    const second = await operatorB.post('/api/admin/catalogs/trading/change-requests', {
      title: '撤销试点事项',
      reason: '试点结束',
      effectiveFrom: shiftDate(effectiveFrom, 5),
      changes: [{ op: 'retire', code }],
    });
    expect(second.statusCode).toBe(201);
    const done = await operatorA.post(
      `/api/admin/catalogs/trading/change-requests/${(second.json() as { id: string }).id}/approve`,
    );
    expect(done.statusCode).toBe(200);
    expect(await findTradingCatalogItem(p.db, code, shiftDate(effectiveFrom, 5))).toBeNull();
    expect(await findTradingCatalogItem(p.db, code, effectiveFrom)).not.toBeNull();
    base = shiftDate(effectiveFrom, 5);
  });

  test('the author cannot review their own change: refused, and the catalog does not change', async () => {
    const code = await freshCode();
    const before = await latestVersion();
    const drafted = await operatorA.post('/api/admin/catalogs/trading/change-requests', {
      title: '增列事项',
      reason: '测试',
      effectiveFrom: shiftDate(base, 1),
      changes: [{ op: 'add', item: newItem(code) }],
    });
    const id = (drafted.json() as { id: string }).id;
    const approve = await operatorA.post(`/api/admin/catalogs/trading/change-requests/${id}/approve`);
    expect(approve.statusCode).toBe(403);
    expect(approve.json()).toMatchObject({ code: 'CATALOG_CHANGE_SELF_REVIEW' });
    const reject = await operatorA.post(`/api/admin/catalogs/trading/change-requests/${id}/reject`, {
      reason: '自己驳回',
    });
    expect(reject.statusCode).toBe(403);
    expect(await latestVersion()).toBe(before);
    const detail = await operatorB.get(`/api/admin/catalogs/trading/change-requests/${id}`);
    expect(detail.json()).toMatchObject({ status: 'pending', reviewedBy: null });

    // Another operator rejects it with a reason; it cannot be decided twice.
    const rejected = await operatorB.post(`/api/admin/catalogs/trading/change-requests/${id}/reject`, {
      reason: '与现有事项重复',
    });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectReason: '与现有事项重复' });
    const again = await operatorB.post(`/api/admin/catalogs/trading/change-requests/${id}/approve`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'CATALOG_CHANGE_NOT_PENDING' });
    expect(await latestVersion()).toBe(before);
    expect(await witnessActions('trading-catalog-change', id)).toEqual([
      'trading-catalog.change-drafted',
      'trading-catalog.change-rejected',
    ]);
  });

  test('changes that cannot apply and past effective dates are refused; nothing is stored', async () => {
    const count = async () =>
      Number(
        (
          await p.db
            .selectFrom('trading_catalog_change_requests')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const draft = (body: Record<string, unknown>) =>
      operatorA.post('/api/admin/catalogs/trading/change-requests', {
        title: '错误的变更',
        reason: '测试',
        effectiveFrom: shiftDate(base, 1),
        ...body,
      });

    const existing = await draft({ changes: [{ op: 'add', item: newItem('0101') }] });
    expect(existing.statusCode).toBe(409);
    expect(existing.json()).toMatchObject({ code: 'CATALOG_CHANGE_CONFLICT', field: 'changes.0' });

    const unknown = await draft({ changes: [{ op: 'retire', code: await freshCode() }] });
    expect(unknown.statusCode).toBe(409);

    const past = await draft({
      effectiveFrom: shiftDate(shanghaiDateOf(p.clock.now()), -1),
      changes: [{ op: 'add', item: newItem(await freshCode()) }],
    });
    expect(past.statusCode).toBe(409);
    expect(past.json()).toMatchObject({ code: 'CATALOG_EFFECTIVE_DATE_PAST' });

    const badCode = await draft({ changes: [{ op: 'add', item: newItem('1001') }] });
    expect(badCode.statusCode).toBe(400);
    const halfThreshold = await draft({
      changes: [{ op: 'add', item: { ...newItem(await freshCode()), splitThresholdYuan: '100.00' } }],
    });
    expect(halfThreshold.statusCode).toBe(400);
    const empty = await draft({ changes: [] });
    expect(empty.statusCode).toBe(400);

    expect(await count()).toBe(before);
  });

  test('only operators edit the catalogs: an initiator is refused (403), the anonymous public too (401)', async () => {
    const body = {
      title: '越权变更',
      reason: '测试',
      effectiveFrom: shiftDate(base, 1),
      changes: [{ op: 'add', item: newItem(await freshCode()) }],
    };
    const asInitiator = await initiator.post('/api/admin/catalogs/trading/change-requests', body);
    expect(asInitiator.statusCode).toBe(403);
    const anonymous = await p.anonymous.post('/api/admin/catalogs/trading/change-requests', body);
    expect(anonymous.statusCode).toBe(401);
    expect(
      (await initiator.post('/api/admin/catalogs/platforms/P1501000001/suspend', { reason: 'x' })).statusCode,
    ).toBe(403);
    expect((await initiator.put('/api/admin/catalogs/disclosure/D03', {})).statusCode).toBe(403);
    expect((await initiator.get('/api/admin/catalogs/trading/change-requests')).statusCode).toBe(403);
  });
});

describe('platform catalog (平台目录)', () => {
  test('the 自治区 centre and the 12 盟市 centres are listed with region and platform codes', async () => {
    const res = await p.anonymous.get('/api/public/catalogs/platforms');
    expect(res.statusCode).toBe(200);
    const items = (
      res.json() as { items: { code: string; region: { code: string; name: string }; kind: string }[] }
    ).items;
    for (const platform of INITIAL_PLATFORMS) {
      expect(items.find((i) => i.code === platform.code)).toMatchObject({
        region: { code: platform.regionCode },
      });
    }
    expect(items[0]).toMatchObject({
      code: 'P1500000001',
      kind: 'regional-centre',
      region: { name: '内蒙古自治区' },
    });
    expect(items.filter((i) => i.kind === 'city-centre').length).toBeGreaterThanOrEqual(12);
    expect(items.find((i) => i.code === 'P1529000001')?.region.name).toBe('阿拉善盟');
  });

  test('staff add a certified third-party system, suspend and resume it, each witnessed', async () => {
    const code = `T150100${String(randomInt(0, 10000)).padStart(4, '0')}`;
    const body = {
      code,
      name: uniqueName('某电子招标投标交易系统'),
      kind: 'third-party',
      regionCode: '150100',
      website: 'https://example.com/',
      operatorName: '测试科技有限公司',
      certification: '电子招标投标系统检测认证证书 No.TEST-001',
    };
    const added = await operatorA.post('/api/admin/catalogs/platforms', body);
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ code, kindName: '第三方交易系统', status: 'active' });
    expect((await operatorA.post('/api/admin/catalogs/platforms', body)).json()).toMatchObject({
      code: 'PLATFORM_CODE_TAKEN',
    });

    const suspended = await operatorB.post(`/api/admin/catalogs/platforms/${code}/suspend`, {
      reason: '认证到期',
    });
    expect(suspended.json()).toMatchObject({ status: 'suspended', statusReason: '认证到期' });
    expect(
      (await operatorB.post(`/api/admin/catalogs/platforms/${code}/suspend`, { reason: '再次' })).statusCode,
    ).toBe(409);
    const resumed = await operatorB.post(`/api/admin/catalogs/platforms/${code}/resume`);
    expect(resumed.json()).toMatchObject({ status: 'active' });
    expect(await witnessActions('platform-catalog', code)).toEqual([
      'platform-catalog.added',
      'platform-catalog.suspended',
      'platform-catalog.resumed',
    ]);
  });

  test('a platform code that does not match its kind or region, or a third party without certification, is refused', async () => {
    const base = {
      name: '测试平台',
      kind: 'third-party',
      regionCode: '150100',
      website: null,
      operatorName: '测试科技有限公司',
      certification: '证书',
    };
    const wrongPrefix = await operatorA.post('/api/admin/catalogs/platforms', {
      ...base,
      code: 'P1501009999',
    });
    expect(wrongPrefix.statusCode).toBe(400);
    expect(wrongPrefix.json()).toMatchObject({ code: 'PLATFORM_INVALID', field: 'code' });
    const wrongRegion = await operatorA.post('/api/admin/catalogs/platforms', {
      ...base,
      code: 'T1502009999',
    });
    expect(wrongRegion.statusCode).toBe(400);
    const uncertified = await operatorA.post('/api/admin/catalogs/platforms', {
      ...base,
      code: 'T1501009998',
      certification: null,
    });
    expect(uncertified.statusCode).toBe(400);
    expect(uncertified.json()).toMatchObject({ field: 'certification' });
  });
});

describe('disclosure catalog (信息公开目录)', () => {
  test('the portal publishes exactly the announcement kinds listed as public', async () => {
    const kinds = await disclosedAnnouncementKinds(p.db);
    expect(kinds).toEqual(expect.arrayContaining(['tender', 'procurement', 'result', 'change']));
    expect(kinds).not.toContain('invitation');
    const res = await p.anonymous.get('/api/public/catalogs/disclosure');
    const body = res.json() as {
      items: { code: string; basis: string; timeLimit: string; channel: string }[];
      announcementKinds: string[];
    };
    expect(body.announcementKinds).toEqual(kinds);
    expect(body.items.find((i) => i.code === 'D05')).toBeUndefined(); // 投标邀请书: not public
    expect(body.items.find((i) => i.code === 'D03')).toMatchObject({
      channel: expect.stringContaining('ggzyjy.nmg.gov.cn'),
    });
    const staff = await operatorA.get('/api/admin/catalogs/disclosure');
    expect((staff.json() as { items: { code: string }[] }).items.map((i) => i.code)).toContain('D05');
  });

  test('taking a kind off the public list takes it off the portal at once on this instance', async () => {
    // 合同公告 (contract): no other test publishes one, so flipping it leaves them alone.
    const before = await operatorA.get('/api/admin/catalogs/disclosure');
    const item = (before.json() as { items: Record<string, unknown>[] }).items.find(
      (i) => i.announcementKind === 'contract',
    );
    if (!item) throw new Error('the seeded disclosure catalog lists 合同公告');
    const {
      code,
      updatedAt: _u,
      ...fields
    } = item as { code: string; updatedAt: unknown } & Record<string, unknown>;
    expect(await disclosedAnnouncementKinds(p.db)).toContain('contract');
    try {
      const hidden = await operatorA.put(`/api/admin/catalogs/disclosure/${code}`, {
        ...fields,
        isPublic: false,
      });
      expect(hidden.statusCode, hidden.body).toBe(200);
      expect(await disclosedAnnouncementKinds(p.db)).not.toContain('contract');
    } finally {
      const restored = await operatorA.put(`/api/admin/catalogs/disclosure/${code}`, {
        ...fields,
        isPublic: true,
      });
      expect(restored.statusCode, restored.body).toBe(200);
    }
    expect(await disclosedAnnouncementKinds(p.db)).toContain('contract');
  });

  test('staff add and edit an item (witnessed); an announcement kind belongs to one item only', async () => {
    const code = `D${randomInt(100, 1000)}`;
    const item = {
      code,
      name: uniqueName('场地预约信息'),
      content: '开标室、评标室预约情况',
      basis: '《内蒙古自治区公共资源交易管理办法》第十五条',
      timeLimit: '预约后即时公开',
      publisher: '内蒙古自治区公共资源交易中心',
      channel: '内蒙古自治区公共资源交易网',
      audience: '全社会',
      manner: '主动公开',
      announcementKind: null,
      isPublic: false,
    };
    const added = await operatorA.post('/api/admin/catalogs/disclosure', item);
    expect(added.statusCode).toBe(201);
    const { code: _code, ...update } = item;
    const edited = await operatorB.put(`/api/admin/catalogs/disclosure/${code}`, {
      ...update,
      timeLimit: '每日更新',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ timeLimit: '每日更新' });
    const taken = await operatorB.put(`/api/admin/catalogs/disclosure/${code}`, {
      ...update,
      announcementKind: 'tender',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'DISCLOSURE_KIND_TAKEN' });
    const unknownKind = await operatorB.put(`/api/admin/catalogs/disclosure/${code}`, {
      ...update,
      announcementKind: 'press-release',
    });
    expect(unknownKind.statusCode).toBe(400);
    expect(await witnessActions('disclosure-catalog', code)).toEqual([
      'disclosure-catalog.added',
      'disclosure-catalog.updated',
    ]);
  });
});
