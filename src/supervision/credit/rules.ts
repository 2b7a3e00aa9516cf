/**
 * The law of credit records as data: what a restriction bars, the ban table of the statutes, the
 * publication windows, the external lists the platform enforces and the factors a credit score may use.
 * Each rule carries its citation; the sources and how sure we are of each are in docs/credit.md.
 */
import {
  addWorkingDays,
  type CalendarDate,
  CalendarNotCovered,
  compareDates,
  shiftDate,
} from '../../platform/clock/index.ts';
import type {
  CreditRecordKind,
  CreditSeverity,
  ExternalListKind,
  PerformanceRating,
  RestrictionKind,
} from './tables.ts';

// ---- names ----

export const RECORD_KIND_NAMES_ZH: Record<CreditRecordKind, string> = {
  violation: '违法行为记录',
  dishonest: '失信行为记录',
  commendation: '守信记录',
  performance: '履约记录',
};

export const SEVERITY_NAMES_ZH: Record<CreditSeverity, string> = {
  minor: '轻微',
  general: '一般',
  serious: '严重',
};

export const PERFORMANCE_RATING_NAMES_ZH: Record<PerformanceRating, string> = {
  good: '良好',
  qualified: '合格',
  poor: '不合格',
};

export const RESTRICTION_KIND_NAMES_ZH: Record<RestrictionKind, string> = {
  bidding_mandatory_tender: '参加依法必须进行招标的项目的投标',
  government_procurement: '参加政府采购活动',
  bidding_all: '参加本平台各类交易活动（投标、响应、竞买）',
  acting_as_agency: '代理依法必须进行招标的项目',
  acting_as_expert: '担任评标评审专家',
};

export const RESTRICTION_KINDS = Object.keys(RESTRICTION_KIND_NAMES_ZH) as RestrictionKind[];

export const NEGATIVE_KINDS: readonly CreditRecordKind[] = ['violation', 'dishonest'];
export const isNegative = (kind: CreditRecordKind) => NEGATIVE_KINDS.includes(kind);

// ---- citations ----

export const RECORD_CONTENT_CITATION =
  '《招标投标违法行为记录公告暂行办法》（发改法规〔2008〕1531号）第八条：公告内容包括当事人名称、违法行为、处理依据、处理决定、处理时间和处理机关等';
export const PUBLICATION_TIME_CITATION =
  '《招标投标违法行为记录公告暂行办法》（发改法规〔2008〕1531号）第六条';
export const PUBLICATION_PERIOD_CITATION =
  '《招标投标违法行为记录公告暂行办法》（发改法规〔2008〕1531号）第九条：公告期限为六个月，公告期满后转入后台保存；依法限制当事人资格等处理决定的期限长于六个月的，公告期限从其规定';
export const REPAIR_CITATION = '《信用修复管理办法》（国家发展改革委令2025年第36号）';
export const REPAIR_CITATION_BEFORE_2026 =
  '《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号）第二条、第三条';
export const HONEST_LIST_CITATION =
  '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）';
export const GP_CREDIT_CITATION =
  '《关于在政府采购活动中查询及使用信用记录有关问题的通知》（财库〔2016〕125号）';
export const WORKS_DEBTOR_CITATION =
  '《关于在招标投标活动中对失信被执行人实施联合惩戒的通知》（法〔2016〕285号）';
export const SUBJECT_CODE_CITATION =
  '财办库〔2016〕320号：信用主体以统一社会信用代码（自然人以身份证号码）标识';
export const FAIR_COMPETITION_CITATION =
  '《招标投标领域公平竞争审查规则》（国家发展改革委等8部门令第16号）第七条；发改办财金〔2023〕860号';

// ---- the ban table (§2A) ----

export interface BanBasis {
  code: string;
  legalBasis: string;
  restriction: RestrictionKind;
  /** Length of the ban the statute allows, in years. */
  minYears: number;
  maxYears: number;
  summary: string;
}

export const BAN_BASES: readonly BanBasis[] = [
  {
    code: 'tiaoli-67',
    legalBasis: '《中华人民共和国招标投标法实施条例》第六十七条',
    restriction: 'bidding_mandatory_tender',
    minYears: 1,
    maxYears: 2,
    summary: '投标人串通投标、行贿谋取中标，情节严重的，取消其1年至2年内参加依法必须进行招标的项目的投标资格',
  },
  {
    code: 'tiaoli-68',
    legalBasis: '《中华人民共和国招标投标法实施条例》第六十八条',
    restriction: 'bidding_mandatory_tender',
    minYears: 1,
    maxYears: 3,
    summary:
      '投标人以他人名义投标或者弄虚作假骗取中标，情节严重的，取消其1年至3年内参加依法必须进行招标的项目的投标资格',
  },
  {
    code: 'zbtbf-60',
    legalBasis: '《中华人民共和国招标投标法》第六十条',
    restriction: 'bidding_mandatory_tender',
    minYears: 2,
    maxYears: 5,
    summary:
      '中标人不按照与招标人订立的合同履行义务，情节严重的，取消其2年至5年内参加依法必须进行招标的项目的投标资格',
  },
  {
    code: 'zbtbf-50',
    legalBasis: '《中华人民共和国招标投标法》第五十条',
    restriction: 'acting_as_agency',
    minYears: 1,
    maxYears: 2,
    summary:
      '招标代理机构泄露应当保密的情况或者与招标人、投标人串通，情节严重的，禁止其1年至2年内代理依法必须进行招标的项目',
  },
  {
    code: 'zfcgf-77',
    legalBasis: '《中华人民共和国政府采购法》第七十七条',
    restriction: 'government_procurement',
    minYears: 1,
    maxYears: 3,
    summary:
      '供应商提供虚假材料谋取中标、成交、恶意串通等，列入不良行为记录名单，在1年至3年内禁止参加政府采购活动',
  },
];

export const OTHER_BASIS = 'other';

export function banBasisOf(code: string): BanBasis | undefined {
  return BAN_BASES.find((b) => b.code === code);
}

// ---- dates ----

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day `n` months later (the 31st becomes the month's last day): "六个月" from a decision date. */
export function addMonths(date: CalendarDate, n: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as CalendarDate;
}

export function laterOf(a: CalendarDate, b: CalendarDate | null): CalendarDate {
  return b && compareDates(b, a) > 0 ? b : a;
}

/** A ban of `years` years from `from` may end on the day before the anniversary or on it (both readings occur). */
export function banLengthFits(basis: BanBasis, from: CalendarDate, to: CalendarDate): boolean {
  const shortest = shiftDate(addMonths(from, basis.minYears * 12), -1);
  const longest = addMonths(from, basis.maxYears * 12);
  return compareDates(to, shortest) >= 0 && compareDates(to, longest) <= 0;
}

// ---- publication (T20–T22) ----

export interface SeverityPeriod {
  /** Months of publication before a repair may end it (最短公示期). */
  minMonths: number;
  /** Months after which publication stops by itself (最长公示期). */
  maxMonths: number;
  /** 轻微: may be left unpublished. */
  mayOmit: boolean;
}

export interface PublicationRule {
  id: string;
  effectiveFrom: CalendarDate;
  citation: string;
  /** Fixed publication months for every severity (1531号), or per severity (36号令). */
  fixedMonths: number | null;
  bySeverity: Record<CreditSeverity, SeverityPeriod> | null;
  repairCitation: string;
}

/**
 * Rules by the date of the decision (a later rule never rewrites the windows of earlier decisions).
 * Both extend publication to the end of the longest restriction (1531号 第九条).
 */
export const PUBLICATION_RULES: readonly PublicationRule[] = [
  {
    id: 'fgfg-2008-1531',
    effectiveFrom: '2009-01-01',
    citation: PUBLICATION_PERIOD_CITATION,
    fixedMonths: 6,
    bySeverity: null,
    repairCitation: REPAIR_CITATION_BEFORE_2026,
  },
  {
    id: 'fgw-2025-36',
    effectiveFrom: '2026-04-01',
    citation: `${REPAIR_CITATION}：轻微失信信息不予公示或公示不超过3个月，一般失信信息公示3个月至1年，严重失信信息公示1年至3年，期满自动停止公示；${PUBLICATION_PERIOD_CITATION}`,
    fixedMonths: null,
    bySeverity: {
      minor: { minMonths: 0, maxMonths: 3, mayOmit: true },
      general: { minMonths: 3, maxMonths: 12, mayOmit: false },
      serious: { minMonths: 12, maxMonths: 36, mayOmit: false },
    },
    repairCitation: REPAIR_CITATION,
  },
];

export function publicationRuleOn(decisionDate: CalendarDate): PublicationRule {
  let inForce = PUBLICATION_RULES[0]!;
  for (const rule of PUBLICATION_RULES) {
    if (compareDates(rule.effectiveFrom, decisionDate) <= 0) inForce = rule;
  }
  return inForce;
}

/** 20 working days after the decision (the decision day not counted); null where the calendar has no data. */
export function publicationDueOn(decisionDate: CalendarDate): CalendarDate | null {
  try {
    return addWorkingDays(decisionDate, 20);
  } catch (error) {
    if (error instanceof CalendarNotCovered) return null;
    throw error;
  }
}

export interface PublicationWindow {
  endsOn: CalendarDate;
  repairEarliestOn: CalendarDate | null;
  rule: string;
}

/** The window of a 违法/失信 record: the rule's period from the decision, longer if a restriction runs longer. */
export function negativeWindow(
  severity: CreditSeverity,
  decisionDate: CalendarDate,
  restrictionsEnd: CalendarDate | null,
): PublicationWindow {
  const rule = publicationRuleOn(decisionDate);
  if (rule.bySeverity) {
    const period = rule.bySeverity[severity];
    return {
      endsOn: laterOf(addMonths(decisionDate, period.maxMonths), restrictionsEnd),
      repairEarliestOn: addMonths(decisionDate, period.minMonths),
      rule: rule.citation,
    };
  }
  return {
    endsOn: laterOf(addMonths(decisionDate, rule.fixedMonths ?? 6), restrictionsEnd),
    repairEarliestOn: null,
    rule: rule.citation,
  };
}

// ---- external lists (§2A) ----

export interface CheckScope {
  mandatoryTender: boolean;
  law: string;
}

export interface ExternalListRule {
  kind: ExternalListKind;
  name: string;
  /** Whether the list bars a bidder in a lot of this kind, and on which authority. */
  citationFor(scope: CheckScope): string | null;
}

export const EXTERNAL_LISTS: readonly ExternalListRule[] = [
  {
    kind: 'dishonest_judgment_debtor',
    name: '失信被执行人名单',
    citationFor: (s) =>
      s.law === 'gp' ? GP_CREDIT_CITATION : s.mandatoryTender ? WORKS_DEBTOR_CITATION : null,
  },
  {
    kind: 'major_tax_violation',
    name: '重大税收违法案件当事人名单',
    citationFor: (s) => (s.law === 'gp' ? GP_CREDIT_CITATION : null),
  },
  {
    kind: 'gp_serious_violation',
    name: '政府采购严重违法失信行为记录名单',
    citationFor: (s) => (s.law === 'gp' ? GP_CREDIT_CITATION : null),
  },
];

export const EXTERNAL_LIST_KINDS = EXTERNAL_LISTS.map((l) => l.kind);

export function externalListOf(kind: string): ExternalListRule | undefined {
  return EXTERNAL_LISTS.find((l) => l.kind === kind);
}

/** Whether a platform restriction of this kind bars a bidder in a lot of this kind. */
export function restrictionApplies(kind: RestrictionKind, scope: CheckScope): boolean {
  switch (kind) {
    case 'bidding_all':
      return true;
    case 'bidding_mandatory_tender':
      return scope.mandatoryTender;
    case 'government_procurement':
      return scope.law === 'gp';
    default:
      // Acting as an agency or an expert is not a bidder's act.
      return false;
  }
}

/** One tainted member bars the consortium as a whole. */
export function consortiumCitation(scope: CheckScope): string {
  return scope.law === 'gp'
    ? `${GP_CREDIT_CITATION}：联合体成员存在不良信用记录的，视同联合体存在不良信用记录`
    : `${WORKS_DEBTOR_CITATION}：联合体成员中有失信被执行人的，联合体整体受限`;
}

// ---- credit score factors (§2B) ----

/** The only factors a score may use: conduct on record, never who or where a firm is. */
export const SCORE_FACTOR_KINDS: Record<string, string> = {
  violation_serious: '严重违法失信记录（每条）',
  violation_general: '一般违法失信记录（每条）',
  violation_minor: '轻微违法失信记录（每条）',
  restriction_active: '正在执行的限制措施（每项）',
  external_list_active: '列入外部失信名单（现行批次，每条）',
  commendation: '守信（表彰奖励）记录（每条）',
  performance_good: '履约评价良好（每次）',
  performance_qualified: '履约评价合格（每次）',
  performance_poor: '履约评价不合格（每次）',
};

/** Factors the law forbids (第七条; 860号), named so the refusal can say why. */
export const FORBIDDEN_FACTOR_KINDS: Record<string, string> = {
  locality: '所在地域',
  local_performance: '特定行政区域的业绩',
  performance_region: '业绩取得地域',
  local_branch: '在本地设立分支机构',
  ownership: '所有制形式',
  state_owned: '是否国有企业',
  registered_address: '注册地址',
  registered_capital: '注册资本',
  size: '企业规模',
  market_share: '市场占有率',
  debt_ratio: '资产负债率',
  net_assets: '净资产规模',
  local_tax: '在本地缴纳税收',
  local_social_insurance: '在本地缴纳社会保险',
  product_origin: '产品产地',
  consortium_member_address: '联合体成员所在地',
  consortium_member_ownership: '联合体成员所有制形式',
};
