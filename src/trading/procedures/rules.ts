import type { CalendarDate } from '../../platform/clock/index.ts';
import type { ProcedureType } from './definitions.ts';

/**
 * The legal time limits and caps of the procedures, as data (reference/standards.md §6). Each rule names
 * the procedure types it applies to, its citation and the dates it is in force: a lot is checked against
 * the rules in force on its `rulesAsOf` date, so a later change of law adds a rule with a later
 * `effectiveFrom` (and closes the old one with `effectiveUntil`) without rewriting past tenders.
 */

/** The instants of a lot's timeline (时间安排) that rules speak about. */
export type TimelineField = 'publishedAt' | 'documentsFrom' | 'documentsUntil' | 'bidDeadline' | 'openingAt';

export const TIMELINE_FIELD_NAMES_ZH: Record<TimelineField, string> = {
  publishedAt: '公告发布时间',
  documentsFrom: '文件获取开始时间',
  documentsUntil: '文件获取截止时间',
  bidDeadline: '投标（响应）截止时间',
  openingAt: '开标时间',
};

export type DayCounting = 'calendar' | 'working';

export interface DayCount {
  days: number;
  counting: DayCounting;
}

interface RuleBase {
  id: string;
  appliesTo: readonly ProcedureType[];
  /** Law and article, shown with every action the rule blocks. */
  citation: string;
  /** The first day the rule governs (the law's effective date). */
  effectiveFrom: CalendarDate;
  /** The first day it no longer governs, once superseded. */
  effectiveUntil?: CalendarDate;
  /** The rule in one sentence, for the screens. */
  descriptionZh: string;
}

/** `to` falls at least `minimum` days after `from` (开始当天不计入, 财政部令第87号 第八十五条). */
export interface PeriodRule extends RuleBase {
  kind: 'period';
  from: TimelineField;
  to: TimelineField;
  minimum: DayCount;
  /** Stable problem code and the title shown when the rule blocks an action. */
  code: string;
  titleZh: string;
}

/** Two instants coincide (开标与投标截止同一时间). */
export interface SameInstantRule extends RuleBase {
  kind: 'same-instant';
  a: TimelineField;
  b: TimelineField;
  code: string;
  titleZh: string;
}

/** A clarification or amendment that affects preparation needs this much time before the deadline, else the deadline moves. */
export interface ClarificationRule extends RuleBase {
  kind: 'clarification';
  minimumBeforeDeadline: DayCount;
}

/** Objections (异议) / challenges (质疑) to the documents: the window to file and the time to answer. */
export interface ObjectionRule extends RuleBase {
  kind: 'objection';
  nameZh: '异议' | '质疑';
  /** Filed at least this long before the bid deadline (工程: 投标截止时间10日前). */
  beforeDeadline?: DayCount;
  /** Filed within this period after the documents were obtained or their period ended (政府采购: 7个工作日). */
  afterDocuments?: DayCount;
  answerWithin: DayCount;
  answerCitation: string;
  /** Whether the procedure stops until the answer (条例第二十二条: 作出答复前，应当暂停招标投标活动). */
  suspendsProcedure: boolean;
}

/** The deposit (投标保证金) may not exceed this share of the estimate or budget. */
export interface DepositRule extends RuleBase {
  kind: 'deposit-cap';
  /** Percent of the estimate (估算价) or budget (预算金额). */
  percent: number;
  baseNameZh: string;
}

export type ProcedureRule = PeriodRule | SameInstantRule | ClarificationRule | ObjectionRule | DepositRule;

const WORKS_TENDER: readonly ProcedureType[] = ['open-tender.works', 'invited-tender.works'];
const GP_TENDER: readonly ProcedureType[] = ['open-tender.gp', 'invited-tender.gp'];
const GP_ALL: readonly ProcedureType[] = [
  ...GP_TENDER,
  'competitive-negotiation',
  'competitive-consultation',
  'inquiry',
  'single-source',
];

// Effective dates of the instruments cited below.
const TENDERING_LAW = '2000-01-01'; // 招标投标法
const TENDERING_REGULATION = '2012-02-01'; // 招标投标法实施条例
const GP_LAW = '2003-01-01'; // 政府采购法
const GP_REGULATION = '2015-03-01'; // 政府采购法实施条例
const ORDER_87 = '2017-10-01'; // 财政部令第87号
const ORDER_74 = '2014-02-01'; // 财政部令第74号
const CONSULTATION_214 = '2014-12-31'; // 财库〔2014〕214号

export const PROCEDURE_RULES: readonly ProcedureRule[] = [
  // ---- the order of the timeline itself ----
  {
    id: 'tender.opening-at-deadline',
    kind: 'same-instant',
    appliesTo: [...WORKS_TENDER, ...GP_TENDER],
    a: 'openingAt',
    b: 'bidDeadline',
    code: 'OPENING_NOT_AT_DEADLINE',
    titleZh: '开标时间应与投标截止时间为同一时间',
    citation: '《中华人民共和国招标投标法》第三十四条；财政部令第87号第三十九条',
    effectiveFrom: TENDERING_LAW,
    descriptionZh: '开标应当在招标文件确定的提交投标文件截止时间的同一时间公开进行。',
  },

  // ---- documents to deadline ----
  {
    id: 'works.documents-to-deadline',
    kind: 'period',
    appliesTo: WORKS_TENDER,
    from: 'documentsFrom',
    to: 'bidDeadline',
    minimum: { days: 20, counting: 'calendar' },
    code: 'TENDER_PERIOD_TOO_SHORT',
    titleZh: '投标截止时间距招标文件发出不足20日',
    citation: '《中华人民共和国招标投标法》第二十四条',
    effectiveFrom: TENDERING_LAW,
    descriptionZh:
      '依法必须进行招标的项目，自招标文件开始发出之日起至投标人提交投标文件截止之日止，最短不得少于二十日。',
  },
  {
    id: 'gp.documents-to-deadline',
    kind: 'period',
    appliesTo: GP_TENDER,
    from: 'documentsFrom',
    to: 'bidDeadline',
    minimum: { days: 20, counting: 'calendar' },
    code: 'TENDER_PERIOD_TOO_SHORT',
    titleZh: '投标截止时间距招标文件发出不足20日',
    citation: '《中华人民共和国政府采购法》第三十五条；财政部令第87号第二十条',
    effectiveFrom: GP_LAW,
    descriptionZh:
      '货物和服务项目实行招标方式采购的，自招标文件开始发出之日起至投标人提交投标文件截止之日止，不得少于二十日。',
  },
  {
    id: 'negotiation.documents-to-deadline',
    kind: 'period',
    appliesTo: ['competitive-negotiation'],
    from: 'documentsFrom',
    to: 'bidDeadline',
    minimum: { days: 3, counting: 'working' },
    code: 'RESPONSE_PERIOD_TOO_SHORT',
    titleZh: '首次响应文件截止时间距谈判文件发出不足3个工作日',
    citation: '《政府采购非招标采购方式管理办法》（财政部令第74号）第二十九条',
    effectiveFrom: ORDER_74,
    descriptionZh: '从谈判文件发出之日起至供应商提交首次响应文件截止之日止不得少于3个工作日。',
  },
  {
    id: 'inquiry.documents-to-deadline',
    kind: 'period',
    appliesTo: ['inquiry'],
    from: 'documentsFrom',
    to: 'bidDeadline',
    minimum: { days: 3, counting: 'working' },
    code: 'RESPONSE_PERIOD_TOO_SHORT',
    titleZh: '响应文件截止时间距询价通知书发出不足3个工作日',
    citation: '《政府采购非招标采购方式管理办法》（财政部令第74号）第四十五条',
    effectiveFrom: ORDER_74,
    descriptionZh: '从询价通知书发出之日起至供应商提交响应文件截止之日止不得少于3个工作日。',
  },
  {
    id: 'consultation.documents-to-deadline',
    kind: 'period',
    appliesTo: ['competitive-consultation'],
    from: 'documentsFrom',
    to: 'bidDeadline',
    minimum: { days: 10, counting: 'calendar' },
    code: 'RESPONSE_PERIOD_TOO_SHORT',
    titleZh: '首次响应文件截止时间距磋商文件发出不足10日',
    citation: '《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条',
    effectiveFrom: CONSULTATION_214,
    descriptionZh: '从磋商文件发出之日起至供应商提交首次响应文件截止之日止不得少于10日。',
  },
  {
    id: 'single-source.publicity',
    kind: 'period',
    appliesTo: ['single-source'],
    from: 'publishedAt',
    to: 'bidDeadline',
    minimum: { days: 5, counting: 'working' },
    code: 'SINGLE_SOURCE_PUBLICITY_TOO_SHORT',
    titleZh: '单一来源采购公示期不足5个工作日',
    citation: '《中华人民共和国政府采购法实施条例》第三十八条',
    effectiveFrom: GP_REGULATION,
    descriptionZh:
      '达到公开招标数额标准拟采用单一来源方式的，应当在省级以上人民政府财政部门指定的媒体上公示，公示期不得少于5个工作日。',
  },

  // ---- how long the documents are available ----
  {
    id: 'works.documents-availability',
    kind: 'period',
    appliesTo: WORKS_TENDER,
    from: 'documentsFrom',
    to: 'documentsUntil',
    minimum: { days: 5, counting: 'calendar' },
    code: 'DOCUMENT_PERIOD_TOO_SHORT',
    titleZh: '招标文件发售期不足5日',
    citation: '《中华人民共和国招标投标法实施条例》第十六条',
    effectiveFrom: TENDERING_REGULATION,
    descriptionZh: '资格预审文件或者招标文件的发售期不得少于5日。',
  },
  {
    id: 'gp.documents-availability',
    kind: 'period',
    appliesTo: GP_TENDER,
    from: 'documentsFrom',
    to: 'documentsUntil',
    minimum: { days: 5, counting: 'working' },
    code: 'DOCUMENT_PERIOD_TOO_SHORT',
    titleZh: '招标文件提供期限不足5个工作日',
    citation:
      '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十八条；《中华人民共和国政府采购法实施条例》第三十一条',
    effectiveFrom: ORDER_87,
    descriptionZh: '招标文件的提供期限自开始之日起不得少于5个工作日。',
  },
  {
    id: 'consultation.documents-availability',
    kind: 'period',
    appliesTo: ['competitive-consultation'],
    from: 'documentsFrom',
    to: 'documentsUntil',
    minimum: { days: 5, counting: 'working' },
    code: 'DOCUMENT_PERIOD_TOO_SHORT',
    titleZh: '磋商文件发售期限不足5个工作日',
    citation: '《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条',
    effectiveFrom: CONSULTATION_214,
    descriptionZh: '磋商文件的发售期限自开始之日起不得少于5个工作日。',
  },
  {
    id: 'gp.announcement-period',
    kind: 'period',
    appliesTo: ['open-tender.gp'],
    from: 'publishedAt',
    to: 'documentsUntil',
    minimum: { days: 5, counting: 'working' },
    code: 'ANNOUNCEMENT_PERIOD_TOO_SHORT',
    titleZh: '招标公告期限不足5个工作日',
    citation: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十六条',
    effectiveFrom: ORDER_87,
    descriptionZh: '招标公告、资格预审公告的公告期限为5个工作日。',
  },

  // ---- clarifications and amendments ----
  {
    id: 'works.clarification',
    kind: 'clarification',
    appliesTo: WORKS_TENDER,
    minimumBeforeDeadline: { days: 15, counting: 'calendar' },
    citation: '《中华人民共和国招标投标法实施条例》第二十一条',
    effectiveFrom: TENDERING_REGULATION,
    descriptionZh:
      '澄清或者修改的内容可能影响投标文件编制的，应当在投标截止时间至少15日前通知所有获取招标文件的潜在投标人；不足15日的，应当顺延提交投标文件的截止时间。',
  },
  {
    id: 'gp.clarification',
    kind: 'clarification',
    appliesTo: GP_TENDER,
    minimumBeforeDeadline: { days: 15, counting: 'calendar' },
    citation: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十七条',
    effectiveFrom: ORDER_87,
    descriptionZh:
      '澄清或者修改的内容可能影响投标文件编制的，应当在投标截止时间至少15日前以书面形式通知所有获取招标文件的潜在投标人；不足15日的，应当顺延提交投标文件的截止时间。',
  },
  {
    id: 'negotiation.clarification',
    kind: 'clarification',
    appliesTo: ['competitive-negotiation', 'inquiry'],
    minimumBeforeDeadline: { days: 3, counting: 'working' },
    citation: '《政府采购非招标采购方式管理办法》（财政部令第74号）第二十九条、第四十五条',
    effectiveFrom: ORDER_74,
    descriptionZh:
      '澄清或者修改的内容可能影响响应文件编制的，应当在提交首次响应文件截止之日3个工作日前通知所有接收文件的供应商；不足3个工作日的，应当顺延提交首次响应文件截止之日。',
  },
  {
    id: 'consultation.clarification',
    kind: 'clarification',
    appliesTo: ['competitive-consultation'],
    minimumBeforeDeadline: { days: 5, counting: 'calendar' },
    citation: '《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条',
    effectiveFrom: CONSULTATION_214,
    descriptionZh:
      '澄清或者修改的内容可能影响响应文件编制的，应当在提交首次响应文件截止时间至少5日前通知所有获取磋商文件的供应商；不足5日的，应当顺延提交首次响应文件截止时间。',
  },

  // ---- objections to the documents ----
  {
    id: 'works.document-objection',
    kind: 'objection',
    appliesTo: WORKS_TENDER,
    nameZh: '异议',
    beforeDeadline: { days: 10, counting: 'calendar' },
    answerWithin: { days: 3, counting: 'calendar' },
    suspendsProcedure: true,
    citation: '《中华人民共和国招标投标法实施条例》第二十二条',
    answerCitation: '《中华人民共和国招标投标法实施条例》第二十二条',
    effectiveFrom: TENDERING_REGULATION,
    descriptionZh:
      '对招标文件有异议的，应当在投标截止时间10日前提出；招标人应当自收到异议之日起3日内作出答复，作出答复前应当暂停招标投标活动。',
  },
  {
    id: 'gp.document-challenge',
    kind: 'objection',
    appliesTo: GP_ALL,
    nameZh: '质疑',
    afterDocuments: { days: 7, counting: 'working' },
    answerWithin: { days: 7, counting: 'working' },
    suspendsProcedure: false,
    citation: '《中华人民共和国政府采购法》第五十二条；《中华人民共和国政府采购法实施条例》第五十三条',
    answerCitation: '《中华人民共和国政府采购法》第五十三条',
    effectiveFrom: GP_REGULATION,
    descriptionZh:
      '供应商对采购文件提出质疑的，应当在收到采购文件之日或者采购文件公告期限届满之日起7个工作日内提出；采购人应当在收到书面质疑后7个工作日内作出答复。',
  },

  // ---- deposits ----
  {
    id: 'works.deposit-cap',
    kind: 'deposit-cap',
    appliesTo: WORKS_TENDER,
    percent: 2,
    baseNameZh: '招标项目估算价',
    citation: '《中华人民共和国招标投标法实施条例》第二十六条',
    effectiveFrom: TENDERING_REGULATION,
    descriptionZh: '投标保证金不得超过招标项目估算价的2%。',
  },
  {
    id: 'gp.deposit-cap',
    kind: 'deposit-cap',
    appliesTo: GP_ALL,
    percent: 2,
    baseNameZh: '采购项目预算金额',
    citation: '《中华人民共和国政府采购法实施条例》第三十三条',
    effectiveFrom: GP_REGULATION,
    descriptionZh: '投标保证金不得超过采购项目预算金额的2%。',
  },
];

/** The rules of `kind` that govern `type` on `asOf`. */
export function rulesInForce<K extends ProcedureRule['kind']>(
  type: ProcedureType,
  kind: K,
  asOf: CalendarDate,
  rules: readonly ProcedureRule[] = PROCEDURE_RULES,
): Extract<ProcedureRule, { kind: K }>[] {
  return rules.filter(
    (rule): rule is Extract<ProcedureRule, { kind: K }> =>
      rule.kind === kind &&
      rule.appliesTo.includes(type) &&
      rule.effectiveFrom <= asOf &&
      (rule.effectiveUntil === undefined || asOf < rule.effectiveUntil),
  );
}
