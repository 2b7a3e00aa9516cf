import type { CalendarDate } from './calendar-date.ts';

/**
 * China's holidays and adjusted working days (调休), kept as data per year (DESIGN §4 "Clock and calendar").
 * Each year cites the State Council General Office notice it copies. Add a year when its notice appears
 * (each November); replace a `provisional` year the same way.
 *
 * The statutory days (法定节假日) follow 《全国年节及纪念日放假办法》 as amended by 国务院令第795号
 * (2024-11-10, in force 2025-01-01), 第二条: 元旦 1 day, 春节 4 days (农历除夕、正月初一至初三), 清明节 1,
 * 劳动节 2 (5月1日、2日), 端午节 1, 中秋节 1, 国庆节 3 (10月1日至3日).
 */
export interface HolidayPeriod {
  /** 节日 */
  name: string;
  /** First and last day off (放假调休), inclusive. */
  first: CalendarDate;
  last: CalendarDate;
  /** The statutory days inside the period (国务院令第795号 第二条); the rest are weekends and 调休. */
  statutoryDays: CalendarDate[];
}

export interface HolidayYear {
  year: number;
  notice: {
    title: string;
    /** 文号, e.g. 国办发明电〔2024〕12号; null while the notice is not known. */
    number: string | null;
    url: string | null;
    published: CalendarDate | null;
  };
  /** True when the year is derived from the rules, not copied from its notice: replace it by the notice. */
  provisional: boolean;
  note?: string;
  holidays: HolidayPeriod[];
  /** Weekend days that are working days (调休上班). */
  adjustedWorkingDays: CalendarDate[];
}

const holidays2025: HolidayYear = {
  year: 2025,
  notice: {
    title: '国务院办公厅关于2025年部分节假日安排的通知',
    number: '国办发明电〔2024〕12号',
    url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
    published: '2024-11-12',
  },
  provisional: false,
  holidays: [
    { name: '元旦', first: '2025-01-01', last: '2025-01-01', statutoryDays: ['2025-01-01'] },
    {
      name: '春节',
      first: '2025-01-28',
      last: '2025-02-04',
      statutoryDays: ['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31'],
    },
    { name: '清明节', first: '2025-04-04', last: '2025-04-06', statutoryDays: ['2025-04-04'] },
    { name: '劳动节', first: '2025-05-01', last: '2025-05-05', statutoryDays: ['2025-05-01', '2025-05-02'] },
    { name: '端午节', first: '2025-05-31', last: '2025-06-02', statutoryDays: ['2025-05-31'] },
    {
      name: '国庆节、中秋节',
      first: '2025-10-01',
      last: '2025-10-08',
      statutoryDays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06'],
    },
  ],
  adjustedWorkingDays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
};

const holidays2026: HolidayYear = {
  year: 2026,
  notice: {
    title: '国务院办公厅关于2026年部分节假日安排的通知',
    number: '国办发明电〔2025〕7号',
    url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
    published: '2025-11-04',
  },
  provisional: false,
  holidays: [
    { name: '元旦', first: '2026-01-01', last: '2026-01-03', statutoryDays: ['2026-01-01'] },
    {
      name: '春节',
      first: '2026-02-15',
      last: '2026-02-23',
      statutoryDays: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19'],
    },
    { name: '清明节', first: '2026-04-04', last: '2026-04-06', statutoryDays: ['2026-04-05'] },
    { name: '劳动节', first: '2026-05-01', last: '2026-05-05', statutoryDays: ['2026-05-01', '2026-05-02'] },
    { name: '端午节', first: '2026-06-19', last: '2026-06-21', statutoryDays: ['2026-06-19'] },
    { name: '中秋节', first: '2026-09-25', last: '2026-09-27', statutoryDays: ['2026-09-25'] },
    {
      name: '国庆节',
      first: '2026-10-01',
      last: '2026-10-07',
      statutoryDays: ['2026-10-01', '2026-10-02', '2026-10-03'],
    },
  ],
  adjustedWorkingDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

/**
 * 2027 is derived, not copied: its notice does not exist yet. The derivation applies 国务院令第795号 第二条
 * (the statutory days), its 第六条 (a statutory day on a weekend is made up on a working day) and the
 * arrangement principles stated in 国办发明电〔2024〕12号 — 春节 from 除夕 8 days, 国庆节 from 10月1日 7 days,
 * 劳动节 5 days, 元旦/清明/端午/中秋 3 days with a weekend (only the day itself when it is a Wednesday),
 * "除个别特殊情形外" no more than 6 consecutive working days around a holiday — to the 2027 dates
 * (春节 2027-02-06, so 除夕 2027-02-05; 清明 04-05; 端午 06-09; 中秋 09-15):
 *   元旦 Fri 01-01 → 01-01..03 with the weekend, no 调休.
 *   春节 除夕 Fri 02-05 .. 初三 Mon 02-08; 02-06/07 fall on the weekend → made up 02-09/10; 2 调休 days 02-11/12.
 *     Eight days would end Fri 02-12 and need Sat 02-13 worked, giving 7 working days in a row (02-13..19),
 *     so, as 2026 did (9 days), the break runs 02-05..13 and Sundays 01-31 and 02-14 are worked.
 *   清明 Mon 04-05 → 04-03..05. 端午 Wed 06-09 and 中秋 Wed 09-15 → that day only.
 *   劳动节 Sat 05-01/Sun 05-02 → made up 05-03/04, 05-05 by 调休, Sat 05-08 worked (05-06..08).
 *     Sun 04-25 would satisfy the rules equally; the notice may choose it.
 *   国庆 Fri 10-01..Sun 10-03 → made up 10-04/05, 10-06/07 by 调休, Sun 09-26 and Sat 10-09 worked
 *     (the 2021 notice arranged the same weekday pattern the same way).
 */
const holidays2027: HolidayYear = {
  year: 2027,
  notice: {
    title: '国务院办公厅关于2027年部分节假日安排的通知（尚未发布，本年安排由放假规则推定）',
    number: null,
    url: null,
    published: null,
  },
  provisional: true,
  note: '2027年安排系依据国务院令第795号与国办发明电〔2024〕12号所述放假调休原则推定，并非国务院办公厅通知原文；通知发布后须以通知替换本年数据。',
  holidays: [
    { name: '元旦', first: '2027-01-01', last: '2027-01-03', statutoryDays: ['2027-01-01'] },
    {
      name: '春节',
      first: '2027-02-05',
      last: '2027-02-13',
      statutoryDays: ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'],
    },
    { name: '清明节', first: '2027-04-03', last: '2027-04-05', statutoryDays: ['2027-04-05'] },
    { name: '劳动节', first: '2027-05-01', last: '2027-05-05', statutoryDays: ['2027-05-01', '2027-05-02'] },
    { name: '端午节', first: '2027-06-09', last: '2027-06-09', statutoryDays: ['2027-06-09'] },
    { name: '中秋节', first: '2027-09-15', last: '2027-09-15', statutoryDays: ['2027-09-15'] },
    {
      name: '国庆节',
      first: '2027-10-01',
      last: '2027-10-07',
      statutoryDays: ['2027-10-01', '2027-10-02', '2027-10-03'],
    },
  ],
  adjustedWorkingDays: ['2027-01-31', '2027-02-14', '2027-05-08', '2027-09-26', '2027-10-09'],
};

export const HOLIDAY_YEARS: readonly HolidayYear[] = [holidays2025, holidays2026, holidays2027];
