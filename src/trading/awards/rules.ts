import { addDays, addWorkingDays, endOfShanghaiDay, shanghaiDateOf } from '../../platform/clock/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import type { AwardCandidate, FailureReason, SkipReasonCode } from './tables.ts';

/**
 * The award rules as data (DESIGN §4 "Legal rules are data"), each with its citation. Periods are counted
 * as 87号令第八十五条 counts them: the start day is not counted, a last day on a holiday moves on; a period
 * ends at 24:00 (北京时间) of its last day.
 */
export type Law = 'works' | 'gp';

export const CITATIONS = {
  publicity: '《中华人民共和国招标投标法实施条例》第五十四条第一款',
  objection: '《中华人民共和国招标投标法实施条例》第五十四条第二款',
  firstCandidate: '《中华人民共和国招标投标法实施条例》第五十五条',
  candidatesOnly: '《中华人民共和国招标投标法》第四十条；《中华人民共和国招标投标法实施条例》第五十五条',
  gpDecision: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十八条',
  gpNotice: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十九条',
  notice: '《中华人民共和国招标投标法》第四十五条',
  resultWorks: '《中华人民共和国招标投标法》第四十五条；《电子招标投标办法》第四十一条',
  failure:
    '《中华人民共和国招标投标法实施条例》第三十一条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十九条',
  contractPeriod:
    '《中华人民共和国招标投标法》第四十六条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第七十一条',
} as const;

/** 实施条例第五十五条's grounds for passing over the first candidate, in the article's words. */
export const SKIP_REASON_NAMES_ZH: Record<SkipReasonCode, string> = {
  declined: '排名第一的中标候选人放弃中标',
  'force-majeure': '因不可抗力不能履行合同',
  'no-performance-bond': '不按照招标文件要求提交履约保证金',
  'illegal-conduct': '被查实存在影响中标结果的违法行为',
};
export const SKIP_REASON_CODES = Object.keys(SKIP_REASON_NAMES_ZH) as SkipReasonCode[];

export const FAILURE_REASON_NAMES_ZH: Record<FailureReason, string> = {
  'evaluation-failed': '评标失败（否决全部投标或有效投标不足）',
  'all-candidates-declined': '中标候选人均放弃中标或不能确定中标人',
  terminated: '招标人终止招标（采购）',
};

/** 工程: 中标候选人公示 within 3 日 of receiving the report (实施条例第五十四条). */
export const PUBLICATION_DAYS = 3;
/** 工程: 公示期不得少于3日. */
export const PUBLICITY_DAYS = 3;
/** 工程: 招标人应当自收到异议之日起3日内作出答复. */
export const OBJECTION_ANSWER_DAYS = 3;
/** 政府采购: the purchaser decides within 5 工作日 of receiving the report (87号令第六十八条). */
export const GP_DECISION_WORKING_DAYS = 5;
/** 政府采购: notice and result announcement within 2 工作日 of the decision (87号令第六十九条). */
export const GP_NOTICE_WORKING_DAYS = 2;
/** 政府采购: 中标公告期限为1个工作日 (87号令第六十九条). */
export const GP_RESULT_PUBLICITY_WORKING_DAYS = 1;
/** 合同签订: within 30 日 of the notice (招标投标法第四十六条; 87号令第七十一条). */
export const CONTRACT_DAYS = 30;
/** Reminders to both parties this many days before the contract limit. */
export const CONTRACT_REMINDER_DAYS = [7, 1] as const;

function endAfterDays(at: Date, days: number): Date {
  return endOfShanghaiDay(addDays(shanghaiDateOf(at), days));
}

function endAfterWorkingDays(at: Date, days: number): Date {
  return endOfShanghaiDay(addWorkingDays(shanghaiDateOf(at), days));
}

/** 工程: the last moment to publish the candidates; 政府采购: the last moment for the purchaser to decide. */
export function firstDueAt(law: Law, reportedAt: Date): Date {
  return law === 'works'
    ? endAfterDays(reportedAt, PUBLICATION_DAYS)
    : endAfterWorkingDays(reportedAt, GP_DECISION_WORKING_DAYS);
}

/** The end of a publicity published at `at` (≥3 日, the publication day not counted). */
export function publicityEndsAt(publishedAt: Date): Date {
  return endAfterDays(publishedAt, PUBLICITY_DAYS);
}

export function objectionAnswerDueAt(raisedAt: Date): Date {
  return endAfterDays(raisedAt, OBJECTION_ANSWER_DAYS);
}

/** 政府采购: the notice and the result announcement are due 2 工作日 after the winner is fixed. */
export function gpNoticeDueAt(confirmedAt: Date): Date {
  return endAfterWorkingDays(confirmedAt, GP_NOTICE_WORKING_DAYS);
}

/** The end of the result announcement's period: 1 工作日 (政府采购); 工程 sets none, 3 日 is used. */
export function resultPublicityEndsAt(law: Law, publishedAt: Date): Date {
  return law === 'gp'
    ? endAfterWorkingDays(publishedAt, GP_RESULT_PUBLICITY_WORKING_DAYS)
    : endAfterDays(publishedAt, PUBLICITY_DAYS);
}

/** The last moment to sign the contract: 30 日 after the notice. */
export function contractDueAt(noticeIssuedAt: Date): Date {
  return endAfterDays(noticeIssuedAt, CONTRACT_DAYS);
}

/**
 * Who may be made the winner (定标, §22 确认). Only a candidate of the report (招标投标法第四十条). For a
 * 依法必须 project (国有资金占控股或者主导地位 included) and in 政府采购 (in the report's order, 87号令第六十八条),
 * the first candidate; a later one only on a 第五十五条 ground, stated with its reason — every candidate
 * ranked above the one chosen is passed over on it.
 */
export function checkWinnerChoice(
  candidates: AwardCandidate[],
  input: { bidId: string; reasonCode?: SkipReasonCode | null; reasonText?: string | null },
  opts: { law: Law; mandatory: boolean },
): { candidate: AwardCandidate; skipped: AwardCandidate[] } {
  const candidate = candidates.find((c) => c.bidId === input.bidId);
  if (!candidate) {
    throw new RuleViolation('AWARD_NOT_A_CANDIDATE', {
      title: '只能在中标候选人中确定中标人',
      detail: `所选投标（${input.bidId}）不在评标委员会推荐的中标候选人名单中。招标人应当根据评标委员会提出的书面评标报告和推荐的中标候选人确定中标人。`,
      citation: CITATIONS.candidatesOnly,
    });
  }
  const skipped = candidates.filter((c) => c.rank < candidate.rank).sort((a, b) => a.rank - b.rank);
  const ordered = opts.mandatory || opts.law === 'gp';
  if (skipped.length > 0 && ordered) {
    const citation = opts.law === 'gp' ? CITATIONS.gpDecision : CITATIONS.firstCandidate;
    if (!input.reasonCode || !SKIP_REASON_CODES.includes(input.reasonCode)) {
      throw new RuleViolation('AWARD_FIRST_CANDIDATE_REQUIRED', {
        title: '应当确定排名第一的中标候选人为中标人',
        detail: `所选“${candidate.bidderName}”排名第${candidate.rank}。确定排名在后的中标候选人，须写明排名在前的候选人${SKIP_REASON_CODES.map((c) => `“${SKIP_REASON_NAMES_ZH[c]}”`).join('、')}之一的情形。`,
        citation,
      });
    }
    if (!input.reasonText || input.reasonText.trim().length < 4) {
      throw new RuleViolation('AWARD_SKIP_REASON_TEXT_REQUIRED', {
        title: '请写明不确定排名在前候选人的具体理由',
        detail: `已选择“${SKIP_REASON_NAMES_ZH[input.reasonCode]}”，还须写明具体事实（不少于4个字）。`,
        citation,
      });
    }
  }
  return { candidate, skipped };
}
