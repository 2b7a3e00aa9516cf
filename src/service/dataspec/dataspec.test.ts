import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../platform/config/index.ts';
import type { ProcessSnapshot } from '../opendata/index.ts';
import { sampleSnapshot } from '../opendata/test-factory.ts';
import {
  DATASPEC_TABLES,
  dataspecRecordsOf,
  isRealDate,
  platformCodesOf,
  recordKeyOf,
  unifiedDealCodeOf,
  validateRecord,
} from './index.ts';

const codes = platformCodesOf(loadConfig({}));

function gpSnapshot(): ProcessSnapshot {
  const s = sampleSnapshot({}, 7);
  return {
    ...s,
    lot: { ...s.lot, law: 'gp', procedureType: 'open-tender.gp', categoryCode: '02' },
    announcements: s.announcements.map((a) => (a.kind === 'tender' ? { ...a, kind: 'procurement' } : a)),
  };
}

function withoutOpening(): ProcessSnapshot {
  const s = sampleSnapshot({}, 3);
  return {
    ...s,
    announcements: s.announcements.filter((a) => a.kind === 'tender'),
    opening: null,
    award: null,
    contract: null,
    expertDraw: null,
  };
}

function failed(): ProcessSnapshot {
  const s = sampleSnapshot({}, 4);
  return {
    ...s,
    announcements: s.announcements.filter((a) => a.kind === 'tender'),
    opening: s.opening ? { ...s.opening, failed: true, bids: s.opening.bids.slice(0, 2) } : null,
    award: {
      status: 'failed',
      candidates: [],
      winner: null,
      noticeIssuedAt: null,
      failedAt: s.lot.createdAt,
      failureReason: '有效投标人不足3家',
    },
    contract: null,
    expertDraw: null,
  };
}

function cancelled(): ProcessSnapshot {
  const s = withoutOpening();
  const tender = s.announcements[0]!;
  return {
    ...s,
    announcements: [
      tender,
      {
        ...tender,
        id: 't-x',
        kind: 'termination',
        kindNameZh: '终止公告',
        title: '终止招标公告',
        url: '/announcements/t-x',
      },
    ],
  };
}

function noContractYet(): ProcessSnapshot {
  return { ...sampleSnapshot({}, 5), contract: null };
}

function noAgencyNoInitiatorRegion(): ProcessSnapshot {
  const s = sampleSnapshot({}, 6);
  return { ...s, agency: null, initiator: s.initiator ? { ...s.initiator, regionCode: null } : null };
}

const variants: [string, ProcessSnapshot][] = [
  ['works, complete', sampleSnapshot()],
  ['government procurement, complete', gpSnapshot()],
  ['before the opening', withoutOpening()],
  ['failed tender', failed()],
  ['cancelled tender', cancelled()],
  ['no contract yet', noContractYet()],
  ['self-organised (no agency)', noAgencyNoInitiatorRegion()],
];

describe('the records the platform emits', () => {
  test.each(variants)('every record of a %s process validates', (_name, snapshot) => {
    const records = dataspecRecordsOf(snapshot, codes);
    expect(records.length).toBeGreaterThan(0);
    for (const { table, record } of records) {
      expect({ table, problems: validateRecord(table, record) }).toEqual({ table, problems: [] });
    }
  });

  test('a works process yields the works tables, a procurement the PURCHASE tables', () => {
    const works = new Set(dataspecRecordsOf(sampleSnapshot(), codes).map((r) => r.table));
    expect([...works].sort()).toEqual(
      [
        'PROJECT',
        'TENDER_PROJECT',
        'SECTION',
        'TENDER_ANN_QUA_INQUERY_ANN',
        'BID_OPENING_RECORD',
        'TENDER_LIST',
        'TENDER_CANDIDATE_ANNOUNCE',
        'WIN_RESULT_ANNO',
        'CONTRACT_PERFORMANCE',
      ].sort(),
    );
    const gp = new Set(dataspecRecordsOf(gpSnapshot(), codes).map((r) => r.table));
    expect(gp.has('PURCHASE_PROJECT')).toBe(true);
    expect(gp.has('PURCHASE_TENDER_LIST')).toBe(true);
    expect(gp.has('BID_DEAL_ANNOUNCE')).toBe(true);
    expect(gp.has('PURCHASE_CONTRACT')).toBe(true);
    expect(gp.has('PROJECT')).toBe(false);
  });

  test('before the opening no record names a bidder or a price', () => {
    const s = sampleSnapshot({}, 3);
    const text = JSON.stringify(dataspecRecordsOf(withoutOpening(), codes));
    for (const bid of s.opening?.bids ?? []) {
      expect(text).not.toContain(bid.bidderName);
      expect(text).not.toContain(bid.creditCode);
    }
    expect(text).not.toContain('TENDER_LIST');
    const tables = dataspecRecordsOf(withoutOpening(), codes).map((r) => r.table);
    expect(tables).not.toContain('BID_OPENING_RECORD');
    expect(tables).not.toContain('WIN_RESULT_ANNO');
  });

  test('every record carries the platform codes and the data timestamp', () => {
    for (const { record } of dataspecRecordsOf(sampleSnapshot(), codes)) {
      expect(record).toMatchObject({
        PLATFORM_CODE: codes.platformCode,
        PUB_SERVICE_PLAT_CODE: codes.pubServicePlatCode,
        TRADE_PLAT: codes.tradePlat,
        PUB_SERVICE_PLAT: codes.pubServicePlat,
        DATA_TIMESTAMP: '20260501090000',
      });
    }
    expect(unifiedDealCodeOf(codes, sampleSnapshot())).toHaveLength(40);
  });

  test('the bidders of one deal are distinct records, versions are not part of the key', () => {
    const list = dataspecRecordsOf(sampleSnapshot(), codes).filter((r) => r.table === 'TENDER_LIST');
    const keys = new Set(list.map((r) => recordKeyOf(r.table, r.record)));
    expect(keys.size).toBe(3);
    const first = list[0]!;
    expect(recordKeyOf('TENDER_LIST', { ...first.record, DATA_TIMESTAMP: '20270101000000' })).toBe(
      recordKeyOf('TENDER_LIST', first.record),
    );
  });
});

describe('validateRecord', () => {
  const section = () => {
    const found = dataspecRecordsOf(sampleSnapshot(), codes).find((r) => r.table === 'SECTION');
    if (!found) throw new Error('no SECTION record');
    return { ...found.record };
  };

  test('the generated field table holds every table of the reference', () => {
    expect(DATASPEC_TABLES).toHaveLength(101);
    expect(DATASPEC_TABLES.find((t) => t.name === 'NON_OIL_GAS_MINING_REG_ANN')).toBeTruthy();
  });

  test('an unknown table is one problem', () => {
    expect(validateRecord('NO_SUCH_TABLE', {})).toEqual([
      { field: '', rule: 'table', message: expect.stringContaining('未知的数据表') },
    ]);
  });

  test('a missing mandatory field names the field in Chinese', () => {
    const r = section();
    delete r.BID_SECTION_NAME;
    expect(validateRecord('SECTION', r)).toEqual([
      {
        field: 'BID_SECTION_NAME',
        rule: 'mandatory',
        message: '标段（包）名称（BID_SECTION_NAME）为必填项，不能为空。',
      },
    ]);
  });

  test('wrong lengths, over-long values, bad numbers and bad dates each say the rule', () => {
    const r = {
      ...section(),
      UNIFIED_DEAL_CODE: 'X'.repeat(39),
      BID_SECTION_NAME: '长'.repeat(501),
      CONTRACT_RECKON_PRICE: '1.1234567',
      CREATE_TIME: '20260230120000',
      BEGIN_DATE: '2026-03-01',
    };
    const problems = validateRecord('SECTION', r);
    expect(problems.map((p) => `${p.field}:${p.rule}`).sort()).toEqual([
      'BEGIN_DATE:date',
      'BID_SECTION_NAME:max',
      'CONTRACT_RECKON_PRICE:number',
      'CREATE_TIME:date',
      'UNIFIED_DEAL_CODE:length',
    ]);
    expect(problems.find((p) => p.field === 'BID_SECTION_NAME')?.message).toBe(
      '标段（包）名称（BID_SECTION_NAME）长度不得超过 500 个字符，实际为 501 个。',
    );
    expect(problems.find((p) => p.field === 'CREATE_TIME')?.message).toContain('真实日期时间');
  });

  test('code tables and enumerations refuse values outside them; unknown code tables check format only', () => {
    const r = { ...section(), PRICE_UNIT: '2', BID_TENDER_MODE: '7', TENDER_PROJECT_CLASSIFY_CODE: 'Z123' };
    const problems = validateRecord('SECTION', r);
    expect(problems.map((p) => [p.field, p.rule])).toEqual(
      expect.arrayContaining([
        ['PRICE_UNIT', 'enum'],
        ['BID_TENDER_MODE', 'code'],
        ['TENDER_PROJECT_CLASSIFY_CODE', 'code'],
      ]),
    );
    expect(problems.find((p) => p.field === 'PRICE_UNIT')?.message).toContain('0 元、1 万元');
    // dom=7 (证件类型) is not in the reference: any two characters pass.
    const expert = validateRecord('BID_EVALUATION_EXPERT', { ID_CARD_TYPE: 'ZZ' });
    expect(expert.find((p) => p.field === 'ID_CARD_TYPE')).toBeUndefined();
  });

  test('region codes must exist; a field the table does not have is refused', () => {
    const r: Record<string, unknown> = { ...section(), REGION_CODE: '159999', SECRET_BIDDERS: 'x' };
    const problems = validateRecord('SECTION', r);
    expect(problems.map((p) => [p.field, p.rule])).toEqual(
      expect.arrayContaining([
        ['REGION_CODE', 'area-code'],
        ['SECRET_BIDDERS', 'unknown-field'],
      ]),
    );
    expect(validateRecord('SECTION', { ...section(), REGION_CODE: '110101' })).toEqual([]);
  });

  test('values must be strings', () => {
    const problems = validateRecord('SECTION', { ...section(), CONTRACT_RECKON_PRICE: 12 });
    expect(problems).toEqual([expect.objectContaining({ field: 'CONTRACT_RECKON_PRICE', rule: 'type' })]);
  });

  test('the tender-project reference is checked when the known codes are given', () => {
    const r = section();
    expect(validateRecord('SECTION', r, { tenderProjectCodes: new Set() })).toEqual([
      expect.objectContaining({ field: 'TENDER_PROJECT_CODE', rule: 'tender-project' }),
    ]);
    expect(validateRecord('SECTION', r, { tenderProjectCodes: new Set([r.TENDER_PROJECT_CODE!]) })).toEqual(
      [],
    );
  });

  test('dates are real calendar dates', () => {
    expect(isRealDate('20240229', 'yyyyMMdd')).toBe(true);
    expect(isRealDate('20250229', 'yyyyMMdd')).toBe(false);
    expect(isRealDate('20260101235959', 'yyyyMMddHHmmss')).toBe(true);
    expect(isRealDate('20260101240000', 'yyyyMMddHHmmss')).toBe(false);
    expect(isRealDate('2026010112000', 'yyyyMMddHHmmss')).toBe(false);
  });
});
