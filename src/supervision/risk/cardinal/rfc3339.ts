/**
 * RFC 3339 timestamps as Cardinal reads them (chrono's `DateTime::parse_from_rfc3339`), and the whole days
 * between two of them as chrono's `(end - start).num_days()` counts them: truncated toward zero, to the
 * nanosecond — `2000-01-01T18:00:00Z` to `2000-01-16T17:59:59Z` is 14 days.
 */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** A UTC instant as whole seconds and the nanoseconds past them (0 ≤ nanos < 2·10⁹ for a leap second). */
export interface Instant {
  seconds: number;
  nanos: number;
}

/** The number written by `length` ASCII digits at `at`, or −1. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Parses an RFC 3339 timestamp (`2026-03-02T09:00:00+08:00`, `…T01:00:00.5Z`); undefined where chrono
 * would fail. Read character by character: R003 parses two per contracting process.
 */
export function parseRfc3339(text: string): Instant | undefined {
  const n = text.length;
  if (n < 20) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  let second = digits(text, 17, 2);
  const t = text.charCodeAt(10);
  if (
    year < 0 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 60 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    (t !== 84 && t !== 116 && t !== 32) || // T, t or a space
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return undefined;
  }
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > monthDays) return undefined;

  let i = 19;
  let nanos = 0;
  if (text.charCodeAt(i) === 46) {
    // .fraction: any number of digits, nanoseconds kept.
    i++;
    let count = 0;
    for (let d = text.charCodeAt(i) - 48; d >= 0 && d <= 9; d = text.charCodeAt(i) - 48) {
      if (count < 9) nanos = nanos * 10 + d;
      count++;
      i++;
    }
    if (count === 0) return undefined;
    for (let k = count; k < 9; k++) nanos *= 10;
  }
  let offset = 0;
  const z = text.charCodeAt(i);
  if (z === 90 || z === 122) {
    // Z or z
    if (i + 1 !== n) return undefined;
  } else if ((z === 43 || z === 45) && i + 6 === n && text.charCodeAt(i + 3) === 58) {
    const offsetHours = digits(text, i + 1, 2);
    const offsetMinutes = digits(text, i + 4, 2);
    if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return undefined;
    offset = (offsetHours * 3600 + offsetMinutes * 60) * (z === 45 ? -1 : 1);
  } else {
    return undefined;
  }
  // chrono keeps a leap second as second 59 with a nanosecond count of a second or more.
  if (second === 60) {
    second = 59;
    nanos += 1_000_000_000;
  }
  const seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
  return { seconds, nanos };
}

/** chrono's `(end - start).num_days()`: whole days, truncated toward zero. */
export function wholeDaysBetween(start: Instant, end: Instant): number {
  let seconds = end.seconds - start.seconds;
  let nanos = end.nanos - start.nanos;
  // Normalise to 0 ≤ nanos < 10⁹ as chrono's Duration does, then truncate the seconds toward zero.
  while (nanos < 0) {
    seconds -= 1;
    nanos += 1_000_000_000;
  }
  while (nanos >= 1_000_000_000) {
    seconds += 1;
    nanos -= 1_000_000_000;
  }
  const wholeSeconds = seconds < 0 && nanos > 0 ? seconds + 1 : seconds;
  return Math.trunc(wholeSeconds / 86_400) + 0; // never -0
}
