import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  addDays,
  addWorkingDays,
  CalendarNotCovered,
  calendarYears,
  holidayNameOf,
  isHoliday,
  isStatutoryHoliday,
  isWorkingDay,
  workingDaysBetween,
} from './calendar.ts';
import {
  type CalendarDate,
  compareDates,
  dateOfDayNumber,
  dayNumberOf,
  dayOfWeek,
  endOfShanghaiDay,
  isCalendarDate,
  shanghaiDateOf,
  shiftDate,
  startOfShanghaiDay,
} from './calendar-date.ts';

const range = (first: CalendarDate, last: CalendarDate): CalendarDate[] => {
  const out: CalendarDate[] = [];
  for (let d = first; compareDates(d, last) <= 0; d = shiftDate(d, 1)) out.push(d);
  return out;
};

describe('国庆节', () => {
  test('2025: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked (国办发明电〔2024〕12号)', () => {
    for (const d of range('2025-10-01', '2025-10-08')) {
      expect(isWorkingDay(d), d).toBe(false);
      expect(isHoliday(d), d).toBe(true);
    }
    expect(holidayNameOf('2025-10-06')).toBe('国庆节、中秋节');
    expect(isStatutoryHoliday('2025-10-06')).toBe(true); // 中秋 2025
    expect(isStatutoryHoliday('2025-10-07')).toBe(false); // 调休
    expect(isWorkingDay('2025-09-28')).toBe(true);
    expect(dayOfWeek('2025-09-28')).toBe(0);
    expect(isWorkingDay('2025-10-11')).toBe(true);
    expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
  });

  test('2026: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 worked (国办发明电〔2025〕7号)', () => {
    for (const d of range('2026-10-01', '2026-10-07')) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2026-10-08')).toBe(true);
    expect(isWorkingDay('2026-09-20')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true);
    expect(isWorkingDay('2026-10-11')).toBe(false);
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDays('2026-10-09', 1)).toBe('2026-10-10');
    expect(workingDaysBetween('2026-09-30', '2026-10-12')).toBe(4); // 10-08, 09, 10, 12
  });
});

describe('春节 2026', () => {
  test('Saturday 02-14 is a working day (调休上班) and the next working day after Friday 02-13', () => {
    expect(dayOfWeek('2026-02-14')).toBe(6);
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
  });

  test('02-15..02-23 are not working days; work resumes 02-24; Saturday 02-28 is worked', () => {
    for (const d of range('2026-02-15', '2026-02-23')) {
      expect(isWorkingDay(d), d).toBe(false);
      expect(holidayNameOf(d), d).toBe('春节');
    }
    expect(addWorkingDays('2026-02-14', 1)).toBe('2026-02-24');
    expect(isWorkingDay('2026-02-28')).toBe(true);
    expect(isStatutoryHoliday('2026-02-16')).toBe(true); // 除夕
    expect(isStatutoryHoliday('2026-02-15')).toBe(false);
  });

  test('a period whose last day falls in the holiday moves to the first working day after it (第八十五条)', () => {
    // 2026-01-31 + 15 days = 2026-02-15 (春节) → 2026-02-24
    expect(addDays('2026-01-31', 15)).toBe('2026-02-24');
    // ending on the working Saturday 02-14 stays there
    expect(addDays('2026-02-04', 10)).toBe('2026-02-14');
  });
});

describe('元旦 2026', () => {
  test('Sunday 2026-01-04 is a working day; 01-01..03 are not', () => {
    expect(dayOfWeek('2026-01-04')).toBe(0);
    expect(isWorkingDay('2026-01-04')).toBe(true);
    for (const d of range('2026-01-01', '2026-01-03')) expect(isWorkingDay(d), d).toBe(false);
    expect(addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
  });
});

describe('period counting (财政部令第87号 第八十五条)', () => {
  test('the start day is not counted', () => {
    expect(addDays('2026-03-02', 1)).toBe('2026-03-03');
    expect(addWorkingDays('2026-03-02', 1)).toBe('2026-03-03');
    expect(workingDaysBetween('2026-03-02', '2026-03-02')).toBe(0);
  });

  test('a period ending on a weekend moves to Monday', () => {
    expect(addDays('2026-03-02', 20)).toBe('2026-03-23'); // 03-22 is a Sunday
  });

  test('a period of zero or a fraction of a day is refused', () => {
    expect(() => addDays('2026-03-02', 0)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
  });
});

describe('coverage', () => {
  test('dates outside the years with data raise CalendarNotCovered, never a guess', () => {
    expect(() => isWorkingDay('2024-12-31')).toThrow(CalendarNotCovered);
    expect(() => isHoliday('2028-01-03')).toThrow(CalendarNotCovered);
    // walking past the last covered day is refused too
    expect(() => addWorkingDays('2027-12-30', 5)).toThrow(CalendarNotCovered);
    try {
      isWorkingDay('2028-02-01');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CalendarNotCovered);
      expect((error as CalendarNotCovered).code).toBe('CALENDAR_YEAR_NOT_COVERED');
      expect((error as CalendarNotCovered).detail).toContain('2028');
    }
  });

  test('malformed dates are refused', () => {
    expect(isCalendarDate('2026-02-30')).toBe(false);
    expect(isCalendarDate('2026-2-3')).toBe(false);
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
  });

  test('2027 is marked provisional with a note; 2025 and 2026 cite their notices', () => {
    const years = calendarYears();
    expect(years.map((y) => [y.year, y.provisional])).toEqual([
      [2025, false],
      [2026, false],
      [2027, true],
    ]);
    expect(years[0]!.notice.number).toBe('国办发明电〔2024〕12号');
    expect(years[1]!.notice.number).toBe('国办发明电〔2025〕7号');
    expect(years[2]!.notice.number).toBeNull();
    expect(years[2]!.note).toContain('须以通知替换');
  });
});

describe('holiday data', () => {
  const years = calendarYears();

  test.each(years.map((y) => [y.year, y] as const))(
    '%i: 调休 days are weekends, statutory days lie in their periods',
    (_year, y) => {
      for (const d of y.adjustedWorkingDays) {
        expect([0, 6], d).toContain(dayOfWeek(d));
        expect(isWorkingDay(d), d).toBe(true);
      }
      for (const period of y.holidays) {
        for (const d of period.statutoryDays) {
          expect(compareDates(d, period.first) >= 0 && compareDates(d, period.last) <= 0, d).toBe(true);
          expect(isStatutoryHoliday(d), d).toBe(true);
        }
      }
    },
  );

  test.each(years.map((y) => [y.year, y] as const))(
    '%i: 13 statutory days (国务院令第795号 第二条)',
    (_year, y) => {
      expect(y.holidays.flatMap((p) => p.statutoryDays)).toHaveLength(13);
    },
  );

  test('2027 derivation: 春节 from 除夕 2027-02-05, Sundays 01-31 and 02-14 worked', () => {
    expect(holidayNameOf('2027-02-05')).toBe('春节');
    for (const d of range('2027-02-05', '2027-02-13')) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2027-01-31')).toBe(true);
    expect(isWorkingDay('2027-02-14')).toBe(true);
    expect(isWorkingDay('2027-06-09')).toBe(false);
    expect(isWorkingDay('2027-06-10')).toBe(true);
  });

  test('no more than 6 consecutive working days in 2025–2027 (国办发明电〔2024〕12号 放假调休原则)', () => {
    let run = 0;
    let longest = 0;
    for (const d of range('2025-01-01', '2027-12-31')) {
      run = isWorkingDay(d) ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeLessThanOrEqual(6);
  });
});

describe('Shanghai dates', () => {
  test('an instant falls on the Shanghai date eight hours ahead of UTC', () => {
    expect(shanghaiDateOf(new Date('2026-02-13T15:59:59.999Z'))).toBe('2026-02-13');
    expect(shanghaiDateOf(new Date('2026-02-13T16:00:00.000Z'))).toBe('2026-02-14');
  });

  test('a day runs from 00:00 to 23:59:59.999 +08:00', () => {
    expect(startOfShanghaiDay('2026-02-14').toISOString()).toBe('2026-02-13T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-02-14').toISOString()).toBe('2026-02-14T15:59:59.999Z');
    expect(shanghaiDateOf(endOfShanghaiDay('2026-02-14'))).toBe('2026-02-14');
  });
});

describe('properties', () => {
  // Starts and counts that keep every result inside 2025–2027.
  const dates = fc
    .integer({ min: dayNumberOf('2025-01-01'), max: dayNumberOf('2027-10-31') })
    .map((n) => dateOfDayNumber(n));
  const counts = fc.integer({ min: 1, max: 40 });

  test('addWorkingDays lands on a working day after the start', () => {
    fc.assert(
      fc.property(dates, counts, (d, n) => {
        const end = addWorkingDays(d, n);
        return isWorkingDay(end) && compareDates(end, d) > 0;
      }),
    );
  });

  test('addWorkingDays is strictly increasing in n', () => {
    fc.assert(
      fc.property(dates, counts, counts, (d, a, b) => {
        fc.pre(a !== b);
        const [n, m] = a < b ? [a, b] : [b, a];
        return compareDates(addWorkingDays(d, n), addWorkingDays(d, m)) < 0;
      }),
    );
  });

  test('workingDaysBetween inverts addWorkingDays', () => {
    fc.assert(fc.property(dates, counts, (d, n) => workingDaysBetween(d, addWorkingDays(d, n)) === n));
  });

  test('workingDaysBetween is antisymmetric', () => {
    fc.assert(fc.property(dates, dates, (a, b) => workingDaysBetween(a, b) === -workingDaysBetween(b, a)));
  });

  test('addDays moves only past days that are not working days', () => {
    fc.assert(
      fc.property(dates, counts, (d, n) => {
        const end = addDays(d, n);
        const plain = shiftDate(d, n);
        if (!isWorkingDay(end) || compareDates(end, plain) < 0) return false;
        for (let x = plain; compareDates(x, end) < 0; x = shiftDate(x, 1)) if (isWorkingDay(x)) return false;
        return true;
      }),
    );
  });
});
