import { describe, expect, test } from 'vitest';
import { parseCsv } from './csv.ts';
import { addMonths, banBasisOf, banLengthFits, negativeWindow, publicationDueOn } from './rules.ts';

describe('periods', () => {
  test('months are added by the calendar, the 31st becoming the month end', () => {
    expect(addMonths('2026-03-02', 6)).toBe('2026-09-02');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2026-03-02', -3)).toBe('2025-12-02');
  });

  test('a ban fits the statute from the day before the minimum anniversary to the maximum anniversary', () => {
    const art68 = banBasisOf('tiaoli-68')!;
    expect(banLengthFits(art68, '2026-03-02', '2027-03-01')).toBe(true);
    expect(banLengthFits(art68, '2026-03-02', '2029-03-02')).toBe(true);
    expect(banLengthFits(art68, '2026-03-02', '2027-02-28')).toBe(false);
    expect(banLengthFits(art68, '2026-03-02', '2029-03-03')).toBe(false);
  });

  test('the publication rule follows the decision date; a longer restriction extends it', () => {
    // 1531号: six months whatever the severity, no minimum before repair.
    expect(negativeWindow('minor', '2026-03-31', null)).toMatchObject({
      endsOn: '2026-09-30',
      repairEarliestOn: null,
    });
    // 《信用修复管理办法》 from 2026-04-01: by severity.
    expect(negativeWindow('minor', '2026-04-01', null)).toMatchObject({
      endsOn: '2026-07-01',
      repairEarliestOn: '2026-04-01',
    });
    expect(negativeWindow('general', '2026-04-01', null)).toMatchObject({
      endsOn: '2027-04-01',
      repairEarliestOn: '2026-07-01',
    });
    expect(negativeWindow('serious', '2026-04-01', '2031-03-31')).toMatchObject({
      endsOn: '2031-03-31',
      repairEarliestOn: '2027-04-01',
    });
  });

  test('the publication deadline is 20 working days, unknown where the calendar has no data', () => {
    expect(publicationDueOn('2026-03-02')).toBe('2026-03-30');
    expect(publicationDueOn('2015-03-02')).toBeNull();
  });
});

describe('CSV', () => {
  test('quoted fields with commas, quotes and line breaks; each record keeps the line it starts on', () => {
    const text = '\ufeff名称,代码\r\n"甲,公司","A""1"\r\n\r\n"乙\n公司",B2\n丙,C3';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['名称', '代码'] },
      { line: 2, fields: ['甲,公司', 'A"1'] },
      { line: 4, fields: ['乙\n公司', 'B2'] },
      { line: 6, fields: ['丙', 'C3'] },
    ]);
  });

  test('an unclosed quote is reported with its line', () => {
    expect(() => parseCsv('a,b\n"c,d\n')).toThrow(/第 2 行/);
  });
});
