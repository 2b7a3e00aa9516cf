import {
  addDays,
  addWorkingDays,
  type CalendarDate,
  compareDates,
  endOfShanghaiDay,
  shanghaiDateOf,
  shiftDate,
  workingDaysBetween,
} from '../../platform/clock/index.ts';
import type {
  ComplaintLaw,
  ItemStage,
  Matter,
  NotAcceptedReason,
  NoticeKind,
  Outcome,
  PauseReason,
} from './tables.ts';

/**
 * The rules of 投诉处理 as data (DESIGN §4 "Legal rules are data"), each with its citation. Periods count as
 * the law counts them: the start day is not counted, a last day on a holiday moves to the next working day
 * (《民法典》第二百零一条、第二百零三条; 财政部令第94号 第四十二条), a period ends at 24:00 (北京时间) of its last day.
 */

const REGULATION = '《中华人民共和国招标投标法实施条例》';
const ORDER_11 = '《工程建设项目招标投标活动投诉处理办法》（七部委令第11号）';
const GP_LAW = '《中华人民共和国政府采购法》';
const ORDER_94 = '《政府采购质疑和投诉办法》（财政部令第94号）';

export const CITATIONS = {
  worksWho: `${REGULATION}第六十条第一款；${ORDER_11}第三条`,
  worksTime: `${REGULATION}第六十条第一款`,
  worksObjectionFirst: `${REGULATION}第六十条第二款`,
  worksFirstReceiver: `${REGULATION}第六十一条第一款`,
  worksAcceptance: `${REGULATION}第六十一条第二款`,
  worksDecision: `${REGULATION}第六十一条第二款`,
  worksRejection: `${REGULATION}第六十一条第三款`,
  worksSuspension: `${REGULATION}第六十二条`,
  worksContents: `${REGULATION}第六十条；${ORDER_11}第七条`,
  worksAgent: `${ORDER_11}第十条`,
  worksNotAccepted: `${ORDER_11}第十二条`,
  worksWithdrawal: `${ORDER_11}第十八条`,
  worksDecisionContent: `${REGULATION}第六十一条；${ORDER_11}第二十条`,
  worksJurisdiction: `${ORDER_11}第四条；《内蒙古自治区公共资源交易管理办法》第五条`,
  gpChallenge: `${GP_LAW}第五十二条；${ORDER_94}第十条`,
  gpChallengeWho: `${ORDER_94}第十一条`,
  gpChallengeAnswer: `${GP_LAW}第五十三条；${ORDER_94}第十三条`,
  gpComplaintTime: `${GP_LAW}第五十五条；${ORDER_94}第十七条`,
  gpConditions: `${ORDER_94}第十九条`,
  gpScope: `${ORDER_94}第二十条`,
  gpReview: `${ORDER_94}第二十一条`,
  gpExplanation: `${ORDER_94}第二十二条`,
  gpDecision: `${GP_LAW}第五十六条；${ORDER_94}第二十六条、第二十七条`,
  gpSuspension: `${GP_LAW}第五十七条；${ORDER_94}第二十八条`,
  gpRejection: `${ORDER_94}第二十九条`,
  gpTermination: `${ORDER_94}第三十条；《中华人民共和国政府采购法实施条例》第五十七条`,
  gpDocumentsOutcome: `${ORDER_94}第三十一条`,
  gpProcessOutcome: `${ORDER_94}第三十二条`,
  gpJurisdiction: `${ORDER_94}第六条`,
  gpAgent: `${ORDER_94}第八条`,
  gpFirstReceiver: `${ORDER_94}第六条、第十九条`,
} as const;

export const LAW_NAMES_ZH: Record<ComplaintLaw, string> = { works: '工程建设', gp: '政府采购' };

/** What the law calls the prior step: 异议 to the 招标人 (工程), 质疑 to the 采购人 (政府采购). */
export const PRIOR_NAME_ZH: Record<ComplaintLaw, string> = { works: '异议', gp: '质疑' };

export const STAGE_NAMES_ZH: Record<ItemStage, string> = {
  documents: '招标（采购）文件',
  opening: '开标',
  process: '采购过程',
  result: '评标（中标、成交）结果',
  other: '其他招标投标活动',
};

export const MATTER_NAMES_ZH: Record<Matter, string> = {
  qualification: '资格条件',
  specification: '技术、商务要求',
  scoring: '评审因素与评分标准',
  procedure: '程序与期限',
  evaluation: '评标（评审）过程',
  result: '中标（成交）结果',
  conduct: '其他当事人的违法行为',
  other: '其他',
};

/** 工程: the stages where 条例第六十条第二款 requires an 异议 first (第二十二条、第四十四条、第五十四条). */
export const WORKS_OBJECTION_STAGES: readonly ItemStage[] = ['documents', 'opening', 'result'];
/** The stages an item may name under each law. */
export const STAGES_OF_LAW: Record<ComplaintLaw, readonly ItemStage[]> = {
  works: ['documents', 'opening', 'result', 'other'],
  gp: ['documents', 'process', 'result'],
};

export const PAUSE_REASON_NAMES_ZH: Record<PauseReason, string> = {
  inspection: '检验',
  testing: '检测',
  appraisal: '鉴定',
  'expert-review': '专家评审',
  correction: '补正材料',
};

export const NOT_ACCEPTED_NAMES_ZH: Record<NotAcceptedReason, string> = {
  'not-interested': '投诉人不是所投诉项目的投标人（供应商）或者其他利害关系人',
  'no-prior-objection': '应当先提出异议（质疑）而未提出',
  'out-of-time': '超过投诉时效',
  vague: '投诉事项不具体，且未提供有效线索，难以查证',
  unsigned: '投诉书未署具投诉人真实姓名、签字和有效联系方式，或者法人投诉未经法定代表人签字并加盖公章',
  'already-handled': '投诉事项已经作出处理决定，并且没有新的证据',
  'in-review-or-litigation': '投诉事项已进入行政复议或者行政诉讼程序',
  'correction-not-made': '投诉人未按期补正或者补正后仍不符合规定',
  'outside-jurisdiction': '不属于本部门管辖',
  duplicate: '同一投诉事项已由最先收到投诉的部门处理',
};

export function notAcceptedCitation(law: ComplaintLaw, reason: NotAcceptedReason): string {
  if (reason === 'duplicate')
    return law === 'works' ? CITATIONS.worksFirstReceiver : CITATIONS.gpFirstReceiver;
  if (law === 'works')
    return reason === 'no-prior-objection' ? CITATIONS.worksObjectionFirst : CITATIONS.worksNotAccepted;
  if (reason === 'outside-jurisdiction') return `${CITATIONS.gpJurisdiction}；${CITATIONS.gpReview}`;
  if (reason === 'no-prior-objection') return `${CITATIONS.gpConditions}；${CITATIONS.gpScope}`;
  if (reason === 'out-of-time') return `${CITATIONS.gpComplaintTime}；${CITATIONS.gpConditions}`;
  return `${CITATIONS.gpConditions}；${CITATIONS.gpReview}`;
}

export const OUTCOME_NAMES_ZH: Record<Outcome, string> = {
  rejected: '驳回投诉',
  'founded-correct': '投诉成立，责令改正',
  'founded-continue': '投诉事项成立，但未影响或者可能影响中标（成交）结果，继续开展采购活动',
  'founded-redo': '投诉成立，责令重新开展招标（采购）活动',
  'founded-void': '投诉成立，认定中标（成交）结果无效',
  'founded-cancel-contract': '投诉成立，撤销合同，重新开展采购活动',
  'founded-other-candidate': '投诉成立，认定中标（成交）结果无效，从合格的中标（成交）候选人中另行确定',
  'founded-damages': '投诉成立，合同已经履行，依法承担赔偿责任',
};

/** The outcomes each law knows. */
export const OUTCOMES_OF_LAW: Record<ComplaintLaw, readonly Outcome[]> = {
  works: ['rejected', 'founded-correct', 'founded-redo', 'founded-void'],
  gp: [
    'rejected',
    'founded-continue',
    'founded-redo',
    'founded-void',
    'founded-cancel-contract',
    'founded-other-candidate',
    'founded-damages',
  ],
};

/**
 * The article an outcome rests on. 政府采购: a complaint about the 采购文件 falls under 第三十一条, one about
 * the process or the result under 第三十二条 — and only 第三十二条 allows another qualified candidate.
 */
export function outcomeCitation(law: ComplaintLaw, outcome: Outcome, stages: readonly ItemStage[]): string {
  if (law === 'works')
    return outcome === 'rejected' ? CITATIONS.worksRejection : CITATIONS.worksDecisionContent;
  if (outcome === 'rejected') return CITATIONS.gpRejection;
  const documentsOnly = stages.every((s) => s === 'documents');
  return documentsOnly ? CITATIONS.gpDocumentsOutcome : CITATIONS.gpProcessOutcome;
}

export const NOTICE_NAMES_ZH: Record<NoticeKind, string> = {
  received: '投诉收到回执',
  correction: '投诉书补正通知书',
  'not-accepted': '投诉不予受理通知书',
  accepted: '投诉受理通知书',
  copy: '投诉答复通知书及投诉书副本',
  suspension: '暂停招标投标（采购）活动通知书',
  resumption: '恢复招标投标（采购）活动通知书',
  'withdrawal-granted': '准予撤回投诉通知书',
  'withdrawal-refused': '不予准许撤回投诉通知书',
  termination: '终止投诉处理通知书',
  decision: '投诉处理决定书',
};

// ---- periods ----

/** 工程: 投诉 within 10 日 of 知道或者应当知道 (条例第六十条第一款). */
export const WORKS_FILING_DAYS = 10;
/** 工程: decide on acceptance within 3 个工作日 of receipt (条例第六十一条第二款). */
export const WORKS_ACCEPTANCE_WORKING_DAYS = 3;
/** 工程: decide within 30 个工作日 of acceptance (条例第六十一条第二款). */
export const DECISION_WORKING_DAYS = 30;
/** 政府采购: 质疑 within 7 个工作日 (政府采购法第五十二条; 94号令第十条). */
export const GP_CHALLENGE_WORKING_DAYS = 7;
/** 政府采购: answer a 质疑 within 7 个工作日 of receipt (94号令第十三条). */
export const GP_ANSWER_WORKING_DAYS = 7;
/** 政府采购: 投诉 within 15 个工作日 after the answer period ends (94号令第十七条). */
export const GP_FILING_WORKING_DAYS = 15;
/** 政府采购: review within 5 个工作日 of receipt; a 补正 notice within the same 5 (94号令第二十一条). */
export const GP_REVIEW_WORKING_DAYS = 5;
/** 政府采购: copies to the respondent within 8 个工作日 of receipt (94号令第二十一条). */
export const GP_COPIES_WORKING_DAYS = 8;
/** 政府采购: the respondent explains within 5 个工作日 of receiving the copy (94号令第二十二条). */
export const GP_EXPLANATION_WORKING_DAYS = 5;
/** 政府采购: a suspension lasts at most 30 日 (94号令第二十八条). */
export const GP_MAX_SUSPENSION_DAYS = 30;

export const dateOf = shanghaiDateOf;

/** The end (24:00 北京时间) of the n-th working day after the day of `from`. */
export function afterWorkingDays(from: Date | CalendarDate, n: number): Date {
  const day = typeof from === 'string' ? from : shanghaiDateOf(from);
  return endOfShanghaiDay(addWorkingDays(day, n));
}

/**
 * Calendar days an 异议 was being answered, counted from the day it was raised to the day of its answer (or
 * `today` while unanswered), overlapping periods once, and only after the complainant knew (条例第六十条第二款:
 * 异议答复期间不计算在前款规定的期限内).
 */
export function objectionAnswerDays(
  periods: readonly { from: CalendarDate; to: CalendarDate }[],
  knownOn: CalendarDate,
): number {
  const days = new Set<CalendarDate>();
  for (const { from, to } of periods) {
    const start = compareDates(from, knownOn) < 0 ? knownOn : from;
    for (let d = shiftDate(start, 1); compareDates(d, to) <= 0; d = shiftDate(d, 1)) days.add(d);
  }
  return days.size;
}

/** 工程: the last day to complain — 10 日 after the day the complainant knew, plus the 异议 answer days. */
export function worksFilingDeadline(knownOn: CalendarDate, excludedDays: number): Date {
  return endOfShanghaiDay(addDays(knownOn, WORKS_FILING_DAYS + excludedDays));
}

/** 政府采购: the last moment to complain on a 质疑 whose answer period ends at `answerDueAt`. */
export function gpFilingDeadline(answerDueAt: Date): Date {
  return afterWorkingDays(answerDueAt, GP_FILING_WORKING_DAYS);
}

/** The first handling period: 工程 acceptance (3 个工作日), 政府采购 review (5 个工作日, 补正 time excluded). */
export function acceptanceDueAt(law: ComplaintLaw, receivedAt: Date, excludedWorkingDays: number): Date {
  return law === 'works'
    ? afterWorkingDays(receivedAt, WORKS_ACCEPTANCE_WORKING_DAYS)
    : afterWorkingDays(receivedAt, GP_REVIEW_WORKING_DAYS + excludedWorkingDays);
}

/**
 * The decision's due moment: 工程 30 个工作日 from acceptance (条例第六十一条), 政府采购 30 个工作日 from
 * receipt (94号令第二十六条), each extended by the working days its clock stood still.
 */
export function decisionDueAt(
  law: ComplaintLaw,
  clock: { receivedAt: Date; acceptedAt: Date | null },
  excludedWorkingDays: number,
): Date | null {
  const start = law === 'works' ? clock.acceptedAt : clock.receivedAt;
  if (!start) return null;
  return afterWorkingDays(start, DECISION_WORKING_DAYS + excludedWorkingDays);
}

/** Working days a pause from `startedAt` to `endedAt` took out of the clock (开始当日不计). */
export function pausedWorkingDays(startedAt: Date, endedAt: Date): number {
  return Math.max(0, workingDaysBetween(shanghaiDateOf(startedAt), shanghaiDateOf(endedAt)));
}

/** 政府采购: the longest suspension ends at 24:00 of the 30th day (94号令第二十八条). */
export function gpSuspensionEnd(at: Date, days: number): Date {
  return endOfShanghaiDay(shiftDate(shanghaiDateOf(at), days));
}
