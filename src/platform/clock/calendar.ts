import { AppError } from '../errors.ts';
import {
  type CalendarDate,
  compareDates,
  dayOfWeek,
  parseCalendarDate,
  shiftDate,
  yearOf,
} from './calendar-date.ts';
import { HOLIDAY_YEARS, type HolidayYear } from './holidays.ts';

/**
 * The working-day calendar (工作日历) and legal period counting, by Shanghai calendar date.
 *
 * A date is a working day (工作日) when it is an adjusted working day (调休上班), or a Monday to Friday
 * outside every holiday period of the State Council's notice for its year. Dates in years without data
 * raise `CalendarNotCovered`: a deadline computed on a guessed calendar would be wrong without anyone
 * noticing, so the platform refuses instead.
 */

/** The rules legal periods are counted by, for the citation of a blocked action. */
export const PERIOD_COUNTING_CITATION =
  '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第八十五条；《中华人民共和国民法典》第二百零一条、第二百零三条';

/** The calendar has no data for the year of a date it was asked about. */
export class CalendarNotCovered extends AppError {
  readonly date: CalendarDate;
  constructor(date: CalendarDate) {
    const years = HOLIDAY_YEARS.map((y) => y.year);
    super(500, 'CALENDAR_YEAR_NOT_COVERED', {
      title: '工作日历未覆盖该日期',
      detail: `${date} 所在的 ${yearOf(date)} 年尚无国务院办公厅节假日安排数据（现有 ${years.join('、')} 年），无法计算工作日与法定期间。请联系交易中心补充该年度节假日安排。`,
      citation: '国务院办公厅年度部分节假日安排的通知',
    });
    this.date = date;
  }
}

type DayEntry = { kind: 'holiday'; name: string; statutory: boolean } | { kind: 'adjusted-working' };

const yearsByNumber = new Map<number, HolidayYear>(HOLIDAY_YEARS.map((y) => [y.year, y]));
const days = buildDayIndex(HOLIDAY_YEARS);

function buildDayIndex(years: readonly HolidayYear[]): Map<CalendarDate, DayEntry> {
  const index = new Map<CalendarDate, DayEntry>();
  for (const year of years) {
    for (const period of year.holidays) {
      for (let d = period.first; compareDates(d, period.last) <= 0; d = shiftDate(d, 1)) {
        if (index.has(d)) throw new Error(`holiday data: ${d} appears twice`);
        index.set(d, { kind: 'holiday', name: period.name, statutory: period.statutoryDays.includes(d) });
      }
    }
    for (const d of year.adjustedWorkingDays) {
      if (index.has(d)) throw new Error(`holiday data: ${d} is both a holiday and a working day`);
      index.set(d, { kind: 'adjusted-working' });
    }
  }
  return index;
}

function covered(date: CalendarDate): CalendarDate {
  const checked = parseCalendarDate(date);
  if (!yearsByNumber.has(yearOf(checked))) throw new CalendarNotCovered(checked);
  return checked;
}

/** The years the calendar knows, with their notices and whether they are provisional. */
export function calendarYears(): readonly HolidayYear[] {
  return HOLIDAY_YEARS;
}

/** Whether `date` falls inside a holiday period (放假调休, including its weekends and made-up days). */
export function isHoliday(date: CalendarDate): boolean {
  return days.get(covered(date))?.kind === 'holiday';
}

/** The holiday `date` belongs to, e.g. '春节', or null. */
export function holidayNameOf(date: CalendarDate): string | null {
  const entry = days.get(covered(date));
  return entry?.kind === 'holiday' ? entry.name : null;
}

/** Whether `date` is one of the statutory days of 国务院令第795号 第二条 (not a weekend or 调休 day). */
export function isStatutoryHoliday(date: CalendarDate): boolean {
  const entry = days.get(covered(date));
  return entry?.kind === 'holiday' && entry.statutory;
}

export function isWorkingDay(date: CalendarDate): boolean {
  const entry = days.get(covered(date));
  if (entry) return entry.kind === 'adjusted-working';
  const weekday = dayOfWeek(date);
  return weekday !== 0 && weekday !== 6;
}

function assertDayCount(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a period counts at least one whole day: ${n}`);
}

/**
 * The last day of a period of `n` calendar days starting on `start`.
 * 财政部令第87号 第八十五条: 按日计算期间的，开始当天不计入，从次日开始计算。期限的最后一日是国家法定节假日的，
 * 顺延到节假日后的次日为期限的最后一日。 The day is moved past weekends too, as 《民法典》第二百零三条
 * moves it past any 法定休假日 (weekly rest days included), so the result is always a working day.
 * "以内/不少于 n 日" include the number itself (第八十六条: “以上”“以下”“内”“以内”包括本数).
 */
export function addDays(start: CalendarDate, n: number): CalendarDate {
  assertDayCount(n);
  let last = shiftDate(parseCalendarDate(start), n);
  while (!isWorkingDay(last)) last = shiftDate(last, 1);
  return last;
}

/**
 * The `n`-th working day after `start` (开始当天不计入, 第八十五条). The result is a working day by
 * construction, so the holiday rule of 第八十五条 has nothing left to move.
 */
export function addWorkingDays(start: CalendarDate, n: number): CalendarDate {
  assertDayCount(n);
  let day = parseCalendarDate(start);
  for (let counted = 0; counted < n; ) {
    day = shiftDate(day, 1);
    if (isWorkingDay(day)) counted += 1;
  }
  return day;
}

/**
 * Working days after `from` up to and including `to` — the count 第八十五条 gives a period from `from`
 * to `to` — so that `workingDaysBetween(d, addWorkingDays(d, n)) === n`. Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: CalendarDate, to: CalendarDate): number {
  const order = compareDates(parseCalendarDate(from), parseCalendarDate(to));
  if (order > 0) return -workingDaysBetween(to, from);
  let count = 0;
  for (let day = shiftDate(from, 1); compareDates(day, to) <= 0; day = shiftDate(day, 1)) {
    if (isWorkingDay(day)) count += 1;
  }
  return count;
}
