/**
 * The pool's part of the draw's default rules (§19): each excludes an expert from a draw, in this order —
 * a candidate is reported with the FIRST rule that excludes it, so the draw can show how many experts
 * each rule removed (the funnel) and name the rule after which too few remained.
 */
export type DrawRuleCode =
  | 'status' // 不在库（暂停/退出）
  | 'unavailable' // 评标期间不可参加（专家自报不可用日期）
  | 'employer' // 受聘于回避单位（投标人、招标人、代理机构、主管部门）
  | 'relationship' // 与回避单位存在利害关系（配偶/近亲属受聘、持股、任职、三年内曾受聘）
  | 'regulator-staff'; // 行政监督部门工作人员（招标投标法实施条例第四十六条）

export const DRAW_RULE_ORDER: readonly DrawRuleCode[] = [
  'status',
  'unavailable',
  'employer',
  'relationship',
  'regulator-staff',
];

export const DRAW_RULE_NAMES_ZH: Record<DrawRuleCode, string> = {
  status: '不在库（暂停或退出）',
  unavailable: '评标期间不能参加（专家自报不可用日期）',
  employer: '受聘于回避单位',
  relationship: '与回避单位存在利害关系',
  'regulator-staff': '行政监督部门工作人员',
};

export const DRAW_RULE_CITATIONS: Record<DrawRuleCode, string> = {
  status:
    '《评标专家和评标专家库管理暂行办法》（国家发展计划委员会令第29号）；专家库只抽取在库专家，暂停、退出由行政监督部门决定',
  unavailable: '专家自报的不可参加评标日期（《内蒙古自治区公共资源交易管理办法》第十九条、第三十三条）',
  employer:
    '《中华人民共和国招标投标法》第三十七条第四款；《评标委员会和评标方法暂行规定》第十二条；《中华人民共和国政府采购法实施条例》第九条',
  relationship: '《中华人民共和国政府采购法实施条例》第九条；《评标委员会和评标方法暂行规定》第十二条',
  'regulator-staff': '《中华人民共和国招标投标法实施条例》第四十六条第四款',
};

/** A former employer counts for this many years after the employment ended (政府采购法实施条例第九条). */
export const FORMER_EMPLOYER_YEARS = 3;
