import {
  addWorkingDays,
  type CalendarDate,
  endOfShanghaiDay,
  shanghaiDateOf,
} from '../../platform/clock/index.ts';

const MEASURES = '《内蒙古自治区公共资源交易管理办法》（内政办发〔2022〕8号）';

/** The articles on-site management rests on, quoted from the regulation's text. */
export const CITATIONS = {
  /** 第二十四条第二款. */
  onSite: `${MEASURES}第二十四条第二款：对违反现场管理制度的行为应及时记录、制止和纠正；对发现的违法违规行为，应及时提醒、记录、保存证据，并立即通知有关行政监督管理部门。`,
  /** 第三十九条 (its last two sentences). */
  feedback: `${MEASURES}第三十九条：各级公共资源交易平台运行服务机构做好现场记录、组织见证、违法违规报告、调查协助等场内管理工作。各行政监督管理部门应及时查办报告事项并反馈处理结果。`,
  /** 第四十七条第（三）项. */
  lateFeedback: `${MEASURES}第四十七条：行政监督管理部门及其工作人员不得有以下行为：……（三）对本行业违纪违法交易行为未及时进行调查处理或未及时反馈处理结果。`,
} as const;

/**
 * The regulation asks for feedback 及时 and sets no number of days: the platform's limit is a setting of
 * the trading centre (default 10 工作日), and a report keeps the limit in force when it was made.
 */
export const DEFAULT_FEEDBACK_WORKING_DAYS = 10;
export const FEEDBACK_LIMIT_NOTE =
  '《办法》第三十九条要求行政监督管理部门“及时”查办并反馈处理结果，未规定具体天数；本平台的反馈期限为交易中心设置的工作日数（默认 10 个工作日）。';

/**
 * The feedback deadline: the end (Beijing time) of the n-th working day after the report's day — the
 * report's own day is not counted and the result is always a working day (87号令第八十五条 counting).
 */
export function feedbackDueAt(reportedAt: Date, workingDays: number): Date {
  const day: CalendarDate = addWorkingDays(shanghaiDateOf(reportedAt), workingDays);
  return endOfShanghaiDay(day);
}
