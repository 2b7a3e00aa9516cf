import { CITATIONS } from './context.ts';
import { DRAW_RULE_CITATIONS, DRAW_RULE_NAMES_ZH, DRAW_RULE_ORDER, type DrawRuleCode } from './deps.ts';

/**
 * The draw's rules in the order they are applied (the funnel): the pool's five (experts module), then the
 * draw's own. A candidate counts under the FIRST rule excluding it. National texts set no numbers for the
 * frequency caps; each region configures them (`draw_rules`, docs/draws.md).
 */
export type OwnRuleCode = 'already-drawn' | 'busy' | 'frequency' | 'same-initiator';
export type RuleCode = DrawRuleCode | OwnRuleCode;

export const OWN_RULE_ORDER: readonly OwnRuleCode[] = [
  'already-drawn',
  'busy',
  'frequency',
  'same-initiator',
];
export const RULE_ORDER: readonly RuleCode[] = [...DRAW_RULE_ORDER, ...OWN_RULE_ORDER];

export const FREQUENCY_WINDOW_DAYS = 30;
/** The longest evaluation a request may name (7 days): bounds the rules' query window. */
export const MAX_DURATION_MINUTES = 7 * 24 * 60;

const OWN_NAMES_ZH: Record<OwnRuleCode, string> = {
  'already-drawn': '本次抽取中已被抽中（补抽不重复抽取）',
  busy: '评标时间与已抽中的其他项目重叠',
  frequency: `近${FREQUENCY_WINDOW_DAYS}日内被抽取次数已达上限`,
  'same-initiator': '近期已为同一招标人（采购人）抽取',
};

const OWN_CITATIONS: Record<OwnRuleCode, string> = {
  'already-drawn': CITATIONS.replacement,
  busy: '平台规则：同一专家不能同时参加评标时间重叠的两个项目',
  frequency: '地区抽取规则（行政监督部门按地区设定；国家层面未规定具体次数）',
  'same-initiator': '地区抽取规则（行政监督部门按地区设定；国家层面未规定具体天数）',
};

export const POOL_STEP = 'pool';
export const POOL_STEP_NAME_ZH = '专业、地区范围内的专家';

export function ruleNameZh(rule: string): string {
  if (rule === POOL_STEP) return POOL_STEP_NAME_ZH;
  if (rule in OWN_NAMES_ZH) return OWN_NAMES_ZH[rule as OwnRuleCode];
  return DRAW_RULE_NAMES_ZH[rule as DrawRuleCode] ?? rule;
}

export function ruleCitation(rule: string): string {
  if (rule in OWN_CITATIONS) return OWN_CITATIONS[rule as OwnRuleCode];
  return DRAW_RULE_CITATIONS[rule as DrawRuleCode] ?? '';
}

/** Every rule with its name and basis (the request page shows them). */
export function ruleTable(frequencyMax: number, sameInitiatorDays: number) {
  return RULE_ORDER.map((code) => ({
    code,
    nameZh:
      code === 'frequency'
        ? `近${FREQUENCY_WINDOW_DAYS}日内被抽取已达 ${frequencyMax} 次`
        : code === 'same-initiator'
          ? `${sameInitiatorDays} 日内已为同一招标人（采购人）抽取`
          : ruleNameZh(code),
    citation: ruleCitation(code),
  }));
}

/** Region codes from the most specific to the province: 150102 → [150102, 150100, 150000]. */
export function regionChain(regionCode: string): string[] {
  const city = `${regionCode.slice(0, 4)}00`;
  const province = `${regionCode.slice(0, 2)}0000`;
  return [...new Set([regionCode, city, province])];
}

export const DEFAULT_RULE = { frequencyMax: 4, sameInitiatorDays: 30 } as const;
