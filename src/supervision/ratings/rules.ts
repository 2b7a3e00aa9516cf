import { addWorkingDays, endOfShanghaiDay, shanghaiDateOf } from '../../platform/clock/index.ts';
import type { RateeKind, RaterKind, RatingRelation } from './tables.ts';

/**
 * The rating rules as data, each with where it comes from. The regulation
 * (《内蒙古自治区公共资源交易管理办法》, reference/000_643872e6058cd578.txt) asks for the records and the
 * mutual ratings but sets no time limit; the 5 working days follow T23 of the reference (🟡).
 */
const BANFA = '《内蒙古自治区公共资源交易管理办法》';

export const CITATIONS = {
  experts: `${BANFA}第四十条：各级公共资源交易平台运行服务机构应配合各行业监督管理部门对评标评审专家履行职责情况进行记录评价，并将记录评价结果定期反馈各行政监督管理部门`,
  agencies: `${BANFA}第四十一条：各级公共资源交易平台应配合各行业监督管理部门对中介服务机构进场服务情况组织评价，并将记录评价结果定期反馈各行政监督管理部门`,
  mutual: `${BANFA}第四十六条第三款：各级公共资源交易平台建立公共资源交易项目评价机制和项目发起方、项目响应方、中介服务机构、评标评审专家等公共资源交易项目多方互评机制`,
  service: `${BANFA}第四十六条第二款：采用自评价和外部评价相互结合的方式开展平台服务质量综合评价和服务满意度调查，评价结果向社会公开`,
  window: `${BANFA}第四十六条第三款；评价期限为项目结束后5个工作日，参照《政府采购评审专家管理办法》（财库〔2016〕198号）“评审活动结束后5个工作日内记录评审专家履职情况”的地方实施做法（国家文件条文未核实）`,
} as const;

/** 项目结束后 5 个工作日内 (the end day not counted; a last day on a holiday rolls over). */
export const WINDOW_WORKING_DAYS = 5;

export function windowEndsAt(endedAt: Date): Date {
  return endOfShanghaiDay(addWorkingDays(shanghaiDateOf(endedAt), WINDOW_WORKING_DAYS));
}

export interface Dimension {
  code: string;
  name: string;
}

/** 交易平台服务 (the bidders' per-project rating, the external survey and the self-assessment). */
export const PLATFORM_DIMENSIONS: Dimension[] = [
  { code: 'stability', name: '系统稳定可靠' },
  { code: 'usability', name: '操作便捷' },
  { code: 'disclosure', name: '信息公开及时完整' },
  { code: 'response', name: '咨询与问题响应' },
  { code: 'fairness', name: '服务规范公正' },
];

/** 专家履职情况 (by the initiator or its agency). */
const EXPERT_DIMENSIONS: Dimension[] = [
  { code: 'punctuality', name: '按时到场、签到' },
  { code: 'discipline', name: '遵守评审纪律' },
  { code: 'independence', name: '独立、客观、公正评审' },
  { code: 'competence', name: '专业能力与评审质量' },
  { code: 'integrity', name: '主动回避、廉洁自律' },
];

/** 采购人（招标人）/代理机构履职情况 (by the experts). */
const PARTY_BY_EXPERT_DIMENSIONS: Dimension[] = [
  { code: 'organization', name: '评审组织有序' },
  { code: 'documents', name: '招标（采购）文件质量' },
  { code: 'neutrality', name: '未作倾向性、诱导性说明' },
  { code: 'support', name: '评审保障与服务' },
];

/** 代理机构服务 (by the bidders). */
const AGENCY_BY_BIDDER_DIMENSIONS: Dimension[] = [
  { code: 'documents', name: '文件编制规范' },
  { code: 'procedure', name: '程序合法规范' },
  { code: 'service', name: '答疑与服务态度' },
  { code: 'integrity', name: '廉洁公正' },
];

export interface RelationRule {
  nameZh: string;
  raterKind: RaterKind;
  rateeKind: RateeKind;
  dimensions: Dimension[];
  citation: string;
}

export const RELATIONS: Record<RatingRelation, RelationRule> = {
  'initiator-expert': {
    nameZh: '招标人（采购人）评价评标专家',
    raterKind: 'organization',
    rateeKind: 'expert',
    dimensions: EXPERT_DIMENSIONS,
    citation: CITATIONS.experts,
  },
  'agency-expert': {
    nameZh: '代理机构评价评标专家',
    raterKind: 'organization',
    rateeKind: 'expert',
    dimensions: EXPERT_DIMENSIONS,
    citation: CITATIONS.experts,
  },
  'expert-initiator': {
    nameZh: '评标专家评价招标人（采购人）',
    raterKind: 'expert',
    rateeKind: 'organization',
    dimensions: PARTY_BY_EXPERT_DIMENSIONS,
    citation: CITATIONS.mutual,
  },
  'expert-agency': {
    nameZh: '评标专家评价代理机构',
    raterKind: 'expert',
    rateeKind: 'organization',
    dimensions: PARTY_BY_EXPERT_DIMENSIONS,
    citation: CITATIONS.agencies,
  },
  'bidder-agency': {
    nameZh: '投标人（供应商）评价代理机构',
    raterKind: 'organization',
    rateeKind: 'organization',
    dimensions: AGENCY_BY_BIDDER_DIMENSIONS,
    citation: CITATIONS.agencies,
  },
  'bidder-platform': {
    nameZh: '投标人（供应商）评价交易平台',
    raterKind: 'organization',
    rateeKind: 'platform',
    dimensions: PLATFORM_DIMENSIONS,
    citation: CITATIONS.service,
  },
};

export const RELATION_ORDER = Object.keys(RELATIONS) as RatingRelation[];

/** The platform as a ratee. */
export const PLATFORM_RATEE = { id: 'platform', name: '公共资源交易平台' } as const;

/** Mean of the scores × 100, rounded half up (integers only). */
export function scoreCenti(scores: Record<string, number>, dimensions: Dimension[]): number {
  const sum = dimensions.reduce((s, d) => s + (scores[d.code] ?? 0), 0);
  return Math.floor((sum * 100 * 2 + dimensions.length) / (2 * dimensions.length));
}

/** The quarter (评价周期) a Beijing date falls in: `2026-Q1`. */
export function quarterOf(at: Date): string {
  const [y, m] = shanghaiDateOf(at).split('-').map(Number) as [number, number];
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

export const centiToScore = (centi: number | null) => (centi === null ? null : (centi / 100).toFixed(2));
