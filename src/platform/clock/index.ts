export {
  addDays,
  addWorkingDays,
  CalendarNotCovered,
  calendarYears,
  holidayNameOf,
  isHoliday,
  isStatutoryHoliday,
  isWorkingDay,
  PERIOD_COUNTING_CITATION,
  workingDaysBetween,
} from './calendar.ts';
export {
  type CalendarDate,
  compareDates,
  dayOfWeek,
  endOfShanghaiDay,
  formatShanghaiTime,
  isCalendarDate,
  parseCalendarDate,
  shanghaiDateOf,
  shiftDate,
  startOfShanghaiDay,
} from './calendar-date.ts';
export { type Clock, JumpingClock, SystemClock, TestClock } from './clock.ts';
export type { HolidayPeriod, HolidayYear } from './holidays.ts';
