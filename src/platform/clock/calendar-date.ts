/**
 * A calendar date as the law counts it: a day in Asia/Shanghai, written 'YYYY-MM-DD'. Legal periods
 * (财政部令第87号 第85条) count whole days, so deadlines are computed on dates and only turned into an
 * instant at the end (`endOfShanghaiDay`). China has kept UTC+8 without daylight saving since 1991, so a
 * fixed offset is exact and no timezone library is needed.
 */
export type CalendarDate = `${number}-${number}-${number}`;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks that `value` is a real date in 'YYYY-MM-DD' form (2026-02-30 is refused). */
export function isCalendarDate(value: string): value is CalendarDate {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function parseCalendarDate(value: string): CalendarDate {
  if (!isCalendarDate(value))
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  return value;
}

/** Days since 1970-01-01 — the arithmetic form of a date. */
export function dayNumberOf(date: CalendarDate): number {
  const match = DATE_PATTERN.exec(parseCalendarDate(date))!;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

export function dateOfDayNumber(dayNumber: number): CalendarDate {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10) as CalendarDate;
}

/** The date `n` calendar days after `date` (negative `n` goes back). Pure arithmetic, no calendar rules. */
export function shiftDate(date: CalendarDate, n: number): CalendarDate {
  if (!Number.isInteger(n)) throw new RangeError(`day count must be an integer: ${n}`);
  return dateOfDayNumber(dayNumberOf(date) + n);
}

export function yearOf(date: CalendarDate): number {
  return Number(parseCalendarDate(date).slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: CalendarDate): number {
  return new Date(dayNumberOf(date) * DAY_MS).getUTCDay();
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return dayNumberOf(a) - dayNumberOf(b);
}

/** The Shanghai calendar date on which a UTC instant falls. */
export function shanghaiDateOf(instant: Date): CalendarDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid instant');
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10) as CalendarDate;
}

/** 00:00:00.000 +08:00 on `date`, as a UTC instant. */
export function startOfShanghaiDay(date: CalendarDate): Date {
  return new Date(dayNumberOf(date) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/**
 * 23:59:59.999 +08:00 on `date`, as a UTC instant: the last moment of a period that ends on that day
 * (a period's last day runs to its end — 《民法典》第二百零三条第二款: 期间的最后一日的截止时间为二十四时).
 */
export function endOfShanghaiDay(date: CalendarDate): Date {
  return new Date(startOfShanghaiDay(date).getTime() + DAY_MS - 1);
}

/** An instant as people in China read it: "2026年12月18日 09:30（北京时间）". */
export function formatShanghaiTime(instant: Date): string {
  const shifted = new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString();
  const [y, m, d] = shifted.slice(0, 10).split('-');
  return `${y}年${Number(m)}月${Number(d)}日 ${shifted.slice(11, 16)}（北京时间）`;
}
