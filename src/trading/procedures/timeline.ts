import {
  addDays,
  addWorkingDays,
  type CalendarDate,
  compareDates,
  endOfShanghaiDay,
  formatShanghaiTime,
  shanghaiDateOf,
  shiftDate,
  startOfShanghaiDay,
} from '../../platform/clock/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, formatYuanZh, type YuanString, yuanToFen } from '../../platform/money/index.ts';
import { getProcedure, type ProcedureType } from './definitions.ts';
import {
  type ClarificationRule,
  type DayCount,
  type ObjectionRule,
  type PeriodRule,
  PROCEDURE_RULES,
  type ProcedureRule,
  rulesInForce,
  TIMELINE_FIELD_NAMES_ZH,
  type TimelineField,
} from './rules.ts';

/** A lot's timeline (时间安排): the instants the procedure's time limits are about. */
export interface Timeline {
  publishedAt: Date;
  documentsFrom: Date;
  documentsUntil: Date;
  bidDeadline: Date;
  openingAt: Date;
}

/** The Shanghai date `count` days after `date`, counted as the rule says (开始当天不计入). */
export function dateAfter(date: CalendarDate, count: DayCount): CalendarDate {
  return count.counting === 'working' ? addWorkingDays(date, count.days) : addDays(date, count.days);
}

function describeCount(count: DayCount): string {
  return `${count.days}${count.counting === 'working' ? '个工作日' : '日'}`;
}

/** `date` at the time of day `instant` has in Shanghai. */
function atTimeOfDay(date: CalendarDate, instant: Date): Date {
  const offset = instant.getTime() - startOfShanghaiDay(shanghaiDateOf(instant)).getTime();
  return new Date(startOfShanghaiDay(date).getTime() + offset);
}

const ORDER: readonly TimelineField[] = [
  'publishedAt',
  'documentsFrom',
  'documentsUntil',
  'bidDeadline',
  'openingAt',
];

function orderViolations(timeline: Timeline): RuleViolation[] {
  const violations: RuleViolation[] = [];
  for (let i = 1; i < ORDER.length; i += 1) {
    const earlier = ORDER[i - 1] as TimelineField;
    const later = ORDER[i] as TimelineField;
    const strict = later === 'documentsUntil';
    const a = timeline[earlier].getTime();
    const b = timeline[later].getTime();
    if (Number.isNaN(a) || Number.isNaN(b)) {
      violations.push(
        new RuleViolation('TIMELINE_INVALID', {
          title: '时间安排不完整',
          detail: `${TIMELINE_FIELD_NAMES_ZH[Number.isNaN(a) ? earlier : later]}不是有效的时间。`,
        }),
      );
      continue;
    }
    if (strict ? b <= a : b < a) {
      violations.push(
        new RuleViolation('TIMELINE_OUT_OF_ORDER', {
          title: '时间安排顺序不正确',
          detail: `${TIMELINE_FIELD_NAMES_ZH[later]}（${formatShanghaiTime(timeline[later])}）不得早于${TIMELINE_FIELD_NAMES_ZH[earlier]}（${formatShanghaiTime(timeline[earlier])}）。`,
        }),
      );
    }
  }
  return violations;
}

function periodViolation(rule: PeriodRule, timeline: Timeline): RuleViolation | null {
  const from = timeline[rule.from];
  const to = timeline[rule.to];
  const earliest = dateAfter(shanghaiDateOf(from), rule.minimum);
  if (compareDates(shanghaiDateOf(to), earliest) >= 0) return null;
  return new RuleViolation(rule.code, {
    title: rule.titleZh,
    detail: `${TIMELINE_FIELD_NAMES_ZH[rule.from]}为${formatShanghaiTime(from)}，${TIMELINE_FIELD_NAMES_ZH[rule.to]}不得早于 ${earliest}（不少于${describeCount(rule.minimum)}，开始当日不计入），当前为${formatShanghaiTime(to)}。`,
    citation: rule.citation,
    extensions: { rule: rule.id, field: rule.to, earliest },
  });
}

/**
 * Every rule the timeline breaks under the law in force on `rulesAsOf` (empty when it is lawful). The
 * order of the instants is checked first; the legal periods only when the order holds.
 */
export function checkTimeline(
  type: ProcedureType,
  timeline: Timeline,
  rulesAsOf: CalendarDate,
  rules: readonly ProcedureRule[] = PROCEDURE_RULES,
): RuleViolation[] {
  const order = orderViolations(timeline);
  if (order.length > 0) return order;
  const violations: RuleViolation[] = [];
  for (const rule of rulesInForce(type, 'same-instant', rulesAsOf, rules)) {
    if (timeline[rule.a].getTime() !== timeline[rule.b].getTime()) {
      violations.push(
        new RuleViolation(rule.code, {
          title: rule.titleZh,
          detail: `${TIMELINE_FIELD_NAMES_ZH[rule.b]}为${formatShanghaiTime(timeline[rule.b])}，${TIMELINE_FIELD_NAMES_ZH[rule.a]}为${formatShanghaiTime(timeline[rule.a])}。`,
          citation: rule.citation,
          extensions: { rule: rule.id, field: rule.a },
        }),
      );
    }
  }
  for (const rule of rulesInForce(type, 'period', rulesAsOf, rules)) {
    const violation = periodViolation(rule, timeline);
    if (violation) violations.push(violation);
  }
  return violations;
}

/** Throws the first rule the timeline breaks (409 with its citation). */
export function assertTimeline(
  type: ProcedureType,
  timeline: Timeline,
  rulesAsOf: CalendarDate,
  rules: readonly ProcedureRule[] = PROCEDURE_RULES,
): void {
  const [first] = checkTimeline(type, timeline, rulesAsOf, rules);
  if (first) throw first;
}

/**
 * The earliest lawful bid deadline for documents first available at `documentsFrom`: the start of the
 * first day every period rule ending at the deadline allows.
 */
export function earliestBidDeadline(
  type: ProcedureType,
  documentsFrom: Date,
  rulesAsOf: CalendarDate,
  rules: readonly ProcedureRule[] = PROCEDURE_RULES,
): Date {
  let earliest = shiftDate(shanghaiDateOf(documentsFrom), 1);
  for (const rule of rulesInForce(type, 'period', rulesAsOf, rules)) {
    if (rule.to !== 'bidDeadline') continue;
    // publishedAt ≤ documentsFrom, so documentsFrom stands in for both starts.
    const date = dateAfter(shanghaiDateOf(documentsFrom), rule.minimum);
    if (compareDates(date, earliest) > 0) earliest = date;
  }
  return startOfShanghaiDay(earliest);
}

/**
 * A lawful timeline starting at `publishedAt`, for a form to start from: documents from publication to
 * the end of the shortest lawful availability, the deadline at 09:30 on the earliest lawful day, the
 * opening at the deadline.
 */
export function suggestTimeline(
  type: ProcedureType,
  publishedAt: Date,
  rulesAsOf: CalendarDate,
  rules: readonly ProcedureRule[] = PROCEDURE_RULES,
): Timeline {
  const start = shanghaiDateOf(publishedAt);
  let documentsUntilDate = shiftDate(start, 1);
  for (const rule of rulesInForce(type, 'period', rulesAsOf, rules)) {
    if (rule.to !== 'documentsUntil') continue;
    const date = dateAfter(start, rule.minimum);
    if (compareDates(date, documentsUntilDate) > 0) documentsUntilDate = date;
  }
  const deadlineDay = shanghaiDateOf(earliestBidDeadline(type, publishedAt, rulesAsOf, rules));
  const finalDay = compareDates(deadlineDay, documentsUntilDate) > 0 ? deadlineDay : documentsUntilDate;
  const bidDeadline = new Date(startOfShanghaiDay(finalDay).getTime() + (9 * 60 + 30) * 60_000);
  const documentsUntil = endOfShanghaiDay(documentsUntilDate);
  return {
    publishedAt,
    documentsFrom: publishedAt,
    documentsUntil: new Date(Math.min(documentsUntil.getTime(), bidDeadline.getTime())),
    bidDeadline,
    openingAt: bidDeadline,
  };
}

export interface ClarificationEffect {
  /** The new deadline when the old one leaves too little time; null when it may stay. */
  postponeTo: Date | null;
  /** The earliest deadline the clarification allows. */
  earliestDeadline: Date;
  rule: ClarificationRule | null;
}

/**
 * What a clarification or amendment (澄清/修改) issued at `issuedAt` does to the deadline: one that may
 * affect the preparation of responses needs the rule's minimum time before the deadline, and when less is
 * left the deadline is postponed to the first lawful day, at the same time of day (条例第二十一条).
 */
export function clarificationEffect(
  type: ProcedureType,
  input: { issuedAt: Date; bidDeadline: Date; affectsPreparation: boolean },
  rulesAsOf: CalendarDate,
  rules: readonly ProcedureRule[] = PROCEDURE_RULES,
): ClarificationEffect {
  const [rule] = rulesInForce(type, 'clarification', rulesAsOf, rules);
  if (!rule || !input.affectsPreparation) {
    return { postponeTo: null, earliestDeadline: input.bidDeadline, rule: rule ?? null };
  }
  const earliestDate = dateAfter(shanghaiDateOf(input.issuedAt), rule.minimumBeforeDeadline);
  const earliestDeadline = atTimeOfDay(earliestDate, input.bidDeadline);
  const enough = compareDates(shanghaiDateOf(input.bidDeadline), earliestDate) >= 0;
  return { postponeTo: enough ? null : earliestDeadline, earliestDeadline, rule };
}

export interface ObjectionWindow {
  nameZh: '异议' | '质疑';
  /** The last instant an objection to the documents may be filed. */
  until: Date;
  answerWithin: DayCount;
  suspendsProcedure: boolean;
  citation: string;
  answerCitation: string;
  rule: ObjectionRule;
}

/**
 * When objections to the documents may be filed. 工程 (条例第二十二条): until the end of the day ten days
 * before the bid deadline. 政府采购 (质疑): within 7 working days of obtaining the documents (or of the end
 * of their period), and never after the deadline. Null when the procedure has no such rule.
 */
export function objectionWindow(
  type: ProcedureType,
  input: { bidDeadline: Date; documentsObtainedAt?: Date; documentsUntil?: Date },
  rulesAsOf: CalendarDate,
  rules: readonly ProcedureRule[] = PROCEDURE_RULES,
): ObjectionWindow | null {
  const [rule] = rulesInForce(type, 'objection', rulesAsOf, rules);
  if (!rule) return null;
  let until = input.bidDeadline;
  if (rule.beforeDeadline) {
    // "投标截止时间10日前": the tenth day before the deadline's day is the last day to file.
    const last = shiftDate(shanghaiDateOf(input.bidDeadline), -rule.beforeDeadline.days);
    until = endOfShanghaiDay(last);
  } else if (rule.afterDocuments) {
    const start = input.documentsObtainedAt ?? input.documentsUntil ?? input.bidDeadline;
    const windowEnd = endOfShanghaiDay(dateAfter(shanghaiDateOf(start), rule.afterDocuments));
    until = new Date(Math.min(windowEnd.getTime(), input.bidDeadline.getTime()));
  }
  return {
    nameZh: rule.nameZh,
    until,
    answerWithin: rule.answerWithin,
    suspendsProcedure: rule.suspendsProcedure,
    citation: rule.citation,
    answerCitation: rule.answerCitation,
    rule,
  };
}

/** The end of the last day to answer an objection received at `receivedAt` (自收到之日起, 开始当日不计入). */
export function objectionAnswerDue(window: Pick<ObjectionWindow, 'answerWithin'>, receivedAt: Date): Date {
  return endOfShanghaiDay(dateAfter(shanghaiDateOf(receivedAt), window.answerWithin));
}

/**
 * Refuses a deposit (投标保证金) above the cap: 2% of the estimate (工程, 条例第二十六条) or budget (政府采购,
 * 实施条例第三十三条).
 */
export function assertDeposit(
  type: ProcedureType,
  input: { depositYuan: YuanString; estimateYuan: YuanString },
  rulesAsOf: CalendarDate,
  rules: readonly ProcedureRule[] = PROCEDURE_RULES,
): void {
  const deposit = yuanToFen(input.depositYuan);
  const estimate = yuanToFen(input.estimateYuan);
  for (const rule of rulesInForce(type, 'deposit-cap', rulesAsOf, rules)) {
    // deposit ≤ estimate × percent / 100, compared in whole fen without division.
    if (deposit * 100n > estimate * BigInt(rule.percent)) {
      const cap = fenToYuan((estimate * BigInt(rule.percent)) / 100n);
      throw new RuleViolation('DEPOSIT_ABOVE_CAP', {
        title: `投标保证金超过${rule.baseNameZh}的${rule.percent}%`,
        detail: `${rule.baseNameZh}为${formatYuanZh(input.estimateYuan)}，保证金上限为${formatYuanZh(cap)}，当前设置为${formatYuanZh(input.depositYuan)}。`,
        citation: rule.citation,
        extensions: { rule: rule.id, capYuan: cap },
      });
    }
  }
}

/** The responders a procedure needs before it can proceed (开标/评审), with its citation. */
export function minimumResponders(type: ProcedureType): { count: number; citation: string } {
  return getProcedure(type).minimumResponders;
}
