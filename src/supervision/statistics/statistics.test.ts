import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { type ProcessFacts, type SummaryView, upsertProcessFacts } from './index.ts';
import { sampleFact, scenarioFacts, uniqueScope } from './test-factory.ts';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await makeTestPlatform();
});
afterAll(async () => {
  await platform?.close();
});

async function upsert(facts: ProcessFacts[]): Promise<void> {
  await platform.db.transaction().execute((tx) => upsertProcessFacts(tx, facts));
}

async function summary(query: Record<string, string>): Promise<SummaryView> {
  const res = await platform.anonymous.get(`/api/statistics/summary?${new URLSearchParams(query)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SummaryView;
}

async function seededScenario() {
  const { prefix, year } = uniqueScope();
  await upsert(scenarioFacts(prefix, year));
  const y = String(year).padStart(4, '0');
  return { prefix, y, range: { from: `${y}-03`, to: `${y}-06`, region: prefix } };
}

describe('GET /api/statistics/summary', () => {
  test('anyone sees the totals worked out by hand for five processes', async () => {
    const { prefix, y, range } = await seededScenario();
    const s = await summary(range);
    expect(s.filters).toMatchObject({ from: `${y}-03`, to: `${y}-06`, region: prefix, source: 'all' });
    expect(s.totals).toEqual({
      lots: 5,
      activeLots: 1,
      completeLots: 2,
      unsuccessfulLots: 1,
      cancelledLots: 1,
      budgetLots: 4,
      budgetYuan: '1700100.50',
      awardLots: 2,
      awardYuan: '1300000.25',
      lotsWithBids: 3,
      bidders: 10,
      averageBidders: 3.33,
      savingsLots: 2,
      savingsBudgetYuan: '1500000.50',
      savingsAwardYuan: '1300000.25',
      savedYuan: '200000.25',
      savingsRate: 0.1333,
      failedRate: 0.3333,
      announcementToOpeningLots: 3,
      announcementToOpeningDays: 20.5,
      openingToAwardLots: 2,
      openingToAwardDays: 12.5,
      awardToContractLots: 1,
      awardToContractDays: 10,
    });
  });

  test('breakdowns by month (gaps as zeros), category, 盟市, region and method', async () => {
    const { prefix, y, range } = await seededScenario();
    const s = await summary(range);

    expect(s.byMonth.map((m) => [m.month, m.lots, m.awardYuan])).toEqual([
      [`${y}-03`, 2, '1300000.25'],
      [`${y}-04`, 0, '0.00'],
      [`${y}-05`, 2, '0.00'],
      [`${y}-06`, 1, '0.00'],
    ]);
    expect(s.byMonth[1]).toMatchObject({ averageBidders: null, savingsRate: null, failedRate: null });

    expect(s.byCategory.map((c) => [c.code, c.name, c.lots, c.budgetYuan])).toEqual([
      ['01', '工程建设项目招标投标和机电产品国际招标', 2, '1200000.00'],
      ['02', '政府采购和医药集中采购', 1, '500000.50'],
      ['03', '自然资源类交易', 1, '0.00'],
      [null, '未分类', 1, '100.00'],
    ]);
    const works = s.byCategory[0]!;
    expect(works).toMatchObject({ failedRate: 0.5, averageBidders: 3.5, savingsRate: 0.1 });

    expect(s.byPrefecture.map((p) => [p.code, p.lots, p.awardYuan])).toEqual([
      [`${prefix}100`, 3, '1300000.25'],
      [`${prefix}200`, 2, '0.00'],
    ]);
    expect(s.byRegion.map((r) => [r.code, r.lots])).toEqual([
      [`${prefix}101`, 2],
      [`${prefix}102`, 1],
      [`${prefix}201`, 2],
    ]);
    expect(s.byMethod).toHaveLength(5);
    expect(s.byMethod.find((m) => m.code === 'open-tender.works')).toMatchObject({
      name: '公开招标（工程建设）',
      lots: 1,
      openingToAwardDays: 15,
    });
    expect(s.byMethod.find((m) => m.code === 'single-source')?.name).toBe('单一来源采购');
  });

  test('filters: category, source, region prefix and month range each narrow the figures', async () => {
    const { prefix, y, range } = await seededScenario();
    expect((await summary({ ...range, category: '01' })).totals).toMatchObject({ lots: 2, bidders: 7 });
    expect((await summary({ ...range, source: 'push' })).totals).toMatchObject({
      lots: 1,
      awardYuan: '400000.25',
    });
    expect((await summary({ ...range, source: 'platform' })).totals.lots).toBe(4);
    expect((await summary({ ...range, region: `${prefix}2` })).totals).toMatchObject({
      lots: 2,
      cancelledLots: 1,
    });
    expect((await summary({ ...range, region: `${prefix}101` })).totals.lots).toBe(2);
    const may = await summary({ ...range, from: `${y}-05`, to: `${y}-05` });
    expect(may.totals.lots).toBe(2);
    expect(may.byMonth.map((m) => m.month)).toEqual([`${y}-05`]);
  });

  test('the same facts delivered twice count once', async () => {
    const { prefix, year } = uniqueScope();
    const facts = scenarioFacts(prefix, year);
    await upsert(facts);
    await upsert(facts);
    await upsert([...facts, ...facts]);
    const y = String(year).padStart(4, '0');
    const s = await summary({ from: `${y}-01`, to: `${y}-12`, region: prefix });
    expect(s.totals).toMatchObject({ lots: 5, budgetYuan: '1700100.50', bidders: 10 });
  });

  test('older facts never overwrite newer ones; newer (or equal) facts do', async () => {
    const { prefix, year } = uniqueScope();
    const y = String(year).padStart(4, '0');
    const at = (day: string) => new Date(`${y}-03-${day}T00:00:00Z`);
    const base = { key: `late-${prefix}-${y}`, regionCode: `${prefix}101`, month: `${y}-03` };
    const query = { from: `${y}-03`, to: `${y}-03`, region: prefix };

    await upsert([sampleFact({ ...base, status: 'complete', awardYuan: '10.00', updatedAt: at('10') })]);
    await upsert([sampleFact({ ...base, status: 'active', updatedAt: at('05') })]);
    expect((await summary(query)).totals).toMatchObject({ lots: 1, completeLots: 1, awardYuan: '10.00' });

    // In one batch the latest of several deliveries for one process wins, whatever their order.
    await upsert([
      sampleFact({ ...base, status: 'cancelled', updatedAt: at('20') }),
      sampleFact({ ...base, status: 'active', updatedAt: at('15') }),
    ]);
    expect((await summary(query)).totals).toMatchObject({ lots: 1, cancelledLots: 1, awardYuan: '0.00' });

    await upsert([sampleFact({ ...base, status: 'unsuccessful', updatedAt: at('20') })]);
    expect((await summary(query)).totals).toMatchObject({ lots: 1, unsuccessfulLots: 1 });
  });

  test('sums are exact to the fen, beyond what a float carries', async () => {
    const { prefix, year } = uniqueScope();
    const y = String(year).padStart(4, '0');
    await upsert(
      ['0.10', '0.20', '9999999999999999.99'].map((budgetYuan, i) =>
        sampleFact({
          key: `fen-${prefix}-${y}-${i}`,
          regionCode: `${prefix}101`,
          month: `${y}-01`,
          budgetYuan,
        }),
      ),
    );
    const s = await summary({ from: `${y}-01`, to: `${y}-01`, region: prefix });
    expect(s.totals.budgetYuan).toBe('10000000000000000.29');
  });

  test.each([
    ['from', '2026-13', 'from'],
    ['to', '26-01', 'to'],
    ['region', '15ab', 'region'],
    ['region', '1', 'region'],
    ['category', '10', 'category'],
    ['source', 'everything', 'source'],
  ])('a bad %s (%s) is refused with a Chinese problem', async (name, value, field) => {
    const res = await platform.anonymous.get(`/api/statistics/summary?${name}=${encodeURIComponent(value)}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json() as { code: string; title: string; detail: string };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.title).toBe('请求内容不符合要求');
    expect(problem.detail).toContain(field);
    expect(problem.detail).toMatch(/[\u4e00-\u9fff]/);
  });

  test('a month range that runs backwards is refused, for the workbook too', async () => {
    for (const path of ['/api/statistics/summary', '/api/statistics/summary.xlsx']) {
      const res = await platform.anonymous.get(`${path}?from=2026-06&to=2026-01`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'STATISTICS_BAD_RANGE',
        title: '统计月份范围不正确',
        detail: '起始月份 2026-06 晚于截止月份 2026-01。',
      });
    }
  });
});

describe('GET /api/statistics/summary.xlsx', () => {
  test('the workbook has Chinese sheets and columns and the same numbers as the API', async () => {
    const { prefix, y, range } = await seededScenario();
    const res = await platform.anonymous.get(`/api/statistics/summary.xlsx?${new URLSearchParams(range)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const filename = `交易数据统计_${y}-03_${y}-06.xlsx`;
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="statistics.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    );

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      '汇总',
      '按月份',
      '按交易目录',
      '按盟市',
      '按旗县区',
      '按交易方式',
    ]);

    const overview = workbook.getWorksheet('汇总')!;
    const value = (label: string) => {
      let found: ExcelJS.CellValue = null;
      overview.eachRow((row) => {
        if (row.getCell(1).value === label) found = row.getCell(2).value;
      });
      return found;
    };
    expect(value('数据来源')).toBe('全部来源');
    expect(value('交易项目数')).toBe(5);
    expect(value('预算金额（元）')).toBe(1700100.5);
    expect(value('成交金额（元）')).toBe(1300000.25);
    expect(value('节支金额（元）')).toBe(200000.25);
    expect(value('节支率')).toBe(0.1333);
    expect(value('流标率')).toBe(0.3333);
    expect(value('平均投标人数')).toBe(3.33);
    expect(value('公告至开标（天）')).toBe(20.5);
    expect(value('定标至签约（天）')).toBe(10);

    const months = workbook.getWorksheet('按月份')!;
    expect(months.getRow(1).getCell(1).value).toBe('月份');
    expect(months.getRow(1).getCell(2).value).toBe('交易项目数');
    expect(months.getRow(2).values).toEqual(expect.arrayContaining([`${y}-03`, 2, 1300000.25]));
    expect(months.rowCount).toBe(5);

    const prefectures = workbook.getWorksheet('按盟市')!;
    expect(prefectures.getRow(2).getCell(1).value).toBe(`${prefix}100`);
    expect(prefectures.getRow(2).getCell(3).value).toBe(3);
    const categories = workbook.getWorksheet('按交易目录')!;
    expect(categories.getRow(2).getCell(2).value).toBe('工程建设项目招标投标和机电产品国际招标');
  });
});
