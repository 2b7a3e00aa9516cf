import { z } from 'zod';
import { InvalidInput } from '../../platform/errors.ts';
import { INDICATOR_CODES, INDICATOR_TITLES_ZH, type IndicatorCode } from './deps.ts';
import type { AlertLevel, SubjectType } from './tables.ts';

/**
 * 预警规则目录 (rule catalogue): what each rule looks at, its legal source, its default level and
 * thresholds, and how a threshold is validated. The thresholds in force are data (monitoring_rule_versions);
 * these defaults only seed version 1. Sources: reference/red-flags.md §1.2 (Cardinal), §2.5 (screens),
 * §2.6 (围标串标 practice), §6 (mapping).
 */

/** 法律依据 by body of law: 工程建设 (招标投标法体系) and 政府采购. */
export interface Citation {
  works: string;
  gp: string;
}

const ART40 = (item: string) => `《中华人民共和国招标投标法实施条例》第四十条第（${item}）项`;
const ORDER87_37 = (item: string) =>
  `《政府采购货物和服务招标投标管理办法》（财政部令第87号）第三十七条第（${item}）项`;
const collusion = (item: string): Citation => ({ works: ART40(item), gp: ORDER87_37(item) });

const REGULATION_42 = '《内蒙古自治区公共资源交易管理办法》第七条、第四十二条（风险监测预警）';
const EXPERT_RECORD = '《内蒙古自治区公共资源交易管理办法》第四十条（评标评审专家履职记录评价）';

export const LEVEL_NAMES_ZH: Record<AlertLevel, string> = { high: '高', medium: '中', low: '低' };

export type RuleCategory = 'collusion' | 'price' | 'expert' | 'initiator' | 'cardinal';
export const CATEGORY_NAMES_ZH: Record<RuleCategory, string> = {
  collusion: '围标串标',
  price: '报价异常',
  expert: '评标专家',
  initiator: '招标人（采购人）',
  cardinal: 'Cardinal 红旗指标',
};

/** When a rule is computed: on the published opening record, the finished evaluation, the award … */
export type RuleTrigger = 'opening' | 'evaluation' | 'award' | 'split' | 'cardinal';

/** A threshold field as the rules screen shows and edits it. */
export interface ThresholdField {
  key: string;
  labelZh: string;
  kind: 'number' | 'integer' | 'strings' | 'choices' | 'map';
  options?: { value: string; labelZh: string }[];
  hintZh?: string;
}

export interface RuleDefinition {
  code: string;
  titleZh: string;
  descriptionZh: string;
  category: RuleCategory;
  subject: SubjectType;
  trigger: RuleTrigger;
  defaultLevel: AlertLevel;
  defaultEnabled: boolean;
  defaultThresholds: Record<string, unknown>;
  thresholds: z.ZodType<Record<string, unknown>>;
  fields: ThresholdField[];
  citation: Citation;
}

const int = (min: number, max: number, what: string) =>
  z
    .number({ error: `${what}须为数字` })
    .int(`${what}须为整数`)
    .min(min, `${what}不得小于 ${min}`)
    .max(max, `${what}不得大于 ${max}`);

const strings = (max: number, what: string) =>
  z.array(z.string().trim().min(1, `${what}不能为空`).max(200), { error: `${what}须为文本列表` }).max(max);

// --------------------------------------------------------------------------- the platform's own rules

const MACHINE_IDENTIFIERS = ['mac', 'disk', 'cpu'] as const;
export const MACHINE_IDENTIFIER_NAMES_ZH: Record<(typeof MACHINE_IDENTIFIERS)[number], string> = {
  mac: '网卡 MAC 地址',
  disk: '硬盘序列号',
  cpu: 'CPU 信息',
};

const OWN_RULES: RuleDefinition[] = [
  {
    code: 'same-machine',
    titleZh: '不同投标人投标文件制作机器信息一致',
    descriptionZh:
      '同一标段（包）不同投标人的投标文件清单中记录的制作机器信息（网卡 MAC 地址、硬盘序列号、CPU 信息）相同，视为投标文件由同一单位或者个人编制。CPU 信息为型号，单独一致只作佐证。',
    category: 'collusion',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'high',
    defaultEnabled: true,
    defaultThresholds: { identifiers: ['mac', 'disk'] },
    thresholds: z
      .object({
        identifiers: z
          .array(z.enum(MACHINE_IDENTIFIERS, { error: '机器信息只能是 mac、disk、cpu' }))
          .min(1, '至少选择一项机器信息')
          .refine((xs) => new Set(xs).size === xs.length, '机器信息不能重复'),
      })
      .strict(),
    fields: [
      {
        key: 'identifiers',
        labelZh: '任一相同即预警的机器信息',
        kind: 'choices',
        options: MACHINE_IDENTIFIERS.map((value) => ({ value, labelZh: MACHINE_IDENTIFIER_NAMES_ZH[value] })),
      },
    ],
    citation: collusion('一'),
  },
  {
    code: 'same-ip',
    titleZh: '不同投标人投标 IP 地址一致',
    descriptionZh:
      '同一标段（包）不同投标人上传或递交投标文件的网络地址相同，可能为委托同一单位或者个人办理投标事宜。已申报的共用网络（如交易中心现场终端）可排除。',
    category: 'collusion',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'medium',
    defaultEnabled: true,
    defaultThresholds: { excludeIps: [] },
    thresholds: z.object({ excludeIps: strings(100, '排除的 IP 地址') }).strict(),
    fields: [
      {
        key: 'excludeIps',
        labelZh: '排除的 IP 地址（共用网络）',
        kind: 'strings',
        hintZh: '交易中心现场终端等已申报的共用出口地址',
      },
    ],
    citation: collusion('二'),
  },
  {
    code: 'same-file',
    titleZh: '不同投标人递交相同的投标文件',
    descriptionZh:
      '不同投标人递交的加密投标文件摘要（SHA-256）相同。每份投标文件以新的密钥加密，摘要相同即为同一份文件，属投标文件异常一致。',
    category: 'collusion',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'high',
    defaultEnabled: true,
    defaultThresholds: {},
    thresholds: z.object({}).strict(),
    fields: [],
    citation: collusion('四'),
  },
  {
    code: 'same-payer',
    titleZh: '投标保证金从同一账户转出',
    descriptionZh: '同一标段（包）不同投标人的投标保证金从同一单位或者个人的账户转出。',
    category: 'collusion',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'high',
    defaultEnabled: true,
    defaultThresholds: {},
    thresholds: z.object({}).strict(),
    fields: [],
    citation: collusion('六'),
  },
  {
    code: 'fixed-ratio',
    titleZh: '投标报价在多个项目中呈固定比例（R023）',
    descriptionZh:
      '同一对投标人在不同项目中的投标报价之比（保留两位小数，报价相同者除外）反复相同，达到设定次数即预警（Cardinal R023 方法）。',
    category: 'price',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'medium',
    defaultEnabled: true,
    defaultThresholds: { minRepeats: 2 },
    thresholds: z.object({ minRepeats: int(2, 100, '重复次数') }).strict(),
    fields: [{ key: 'minRepeats', labelZh: '相同比例出现的项目数（≥2）', kind: 'integer' }],
    citation: collusion('四'),
  },
  {
    code: 'regular-difference',
    titleZh: '投标报价呈规律性差异（等差）',
    descriptionZh: '同一标段（包）有效报价从低到高排列，相邻报价之差全部相等（在容差内），报价呈规律性差异。',
    category: 'price',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'medium',
    defaultEnabled: true,
    defaultThresholds: { minBids: 3, toleranceYuan: 0 },
    thresholds: z
      .object({
        minBids: int(3, 1000, '最少报价数'),
        toleranceYuan: z
          .number({ error: '容差须为数字' })
          .min(0, '容差不能为负数')
          .max(1_000_000, '容差不得大于 1,000,000 元'),
      })
      .strict(),
    fields: [
      { key: 'minBids', labelZh: '最少有效报价数（≥3）', kind: 'integer' },
      { key: 'toleranceYuan', labelZh: '差额容差（元）', kind: 'number' },
    ],
    citation: collusion('四'),
  },
  {
    code: 'price-cv',
    titleZh: '投标报价离散系数过低',
    descriptionZh:
      '有效报价不少于设定数量时，报价的离散系数（样本标准差 ÷ 平均值）低于阈值，报价异常集中（Imhof 筛查；加拿大 PSPC 实务阈值约 0.04–0.06）。',
    category: 'price',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'low',
    defaultEnabled: true,
    defaultThresholds: { maxCv: 0.05, minBids: 3 },
    thresholds: z
      .object({
        maxCv: z
          .number({ error: '离散系数阈值须为数字' })
          .gt(0, '离散系数阈值须大于 0')
          .lt(1, '离散系数阈值须小于 1'),
        minBids: int(3, 1000, '最少报价数'),
      })
      .strict(),
    fields: [
      { key: 'maxCv', labelZh: '离散系数低于此值即预警', kind: 'number' },
      { key: 'minBids', labelZh: '最少有效报价数（≥3）', kind: 'integer' },
    ],
    citation: {
      works: '《中华人民共和国招标投标法实施条例》第三十九条第（一）项',
      gp: '《中华人民共和国政府采购法实施条例》第七十四条',
    },
  },
  {
    code: 'price-rd',
    titleZh: '最低报价与其余报价的相对距离过大',
    descriptionZh:
      '相对距离 RD =（次低价 − 最低价）÷ 其余报价（最低价除外）的样本标准差；大于阈值说明最低价与其余报价明显脱节、其余报价异常集中（Imhof 筛查；PSPC 阈值 1）。',
    category: 'price',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'low',
    defaultEnabled: true,
    defaultThresholds: { minRd: 1, minBids: 3 },
    thresholds: z
      .object({
        minRd: z
          .number({ error: '相对距离阈值须为数字' })
          .gt(0, '相对距离阈值须大于 0')
          .max(100, '相对距离阈值不得大于 100'),
        minBids: int(3, 1000, '最少报价数'),
      })
      .strict(),
    fields: [
      { key: 'minRd', labelZh: '相对距离高于此值即预警', kind: 'number' },
      { key: 'minBids', labelZh: '最少有效报价数（≥3）', kind: 'integer' },
    ],
    citation: {
      works: '《中华人民共和国招标投标法实施条例》第三十九条第（一）项',
      gp: '《中华人民共和国政府采购法实施条例》第七十四条',
    },
  },
  {
    code: 'score-deviation',
    titleZh: '评标专家评分偏离',
    descriptionZh:
      '评标委员会成员对某一投标人的评分与委员会全体成员对该投标人评分的平均值相差超过设定比例（评分畸高、畸低）。',
    category: 'expert',
    subject: 'lot',
    trigger: 'evaluation',
    defaultLevel: 'medium',
    defaultEnabled: true,
    defaultThresholds: { maxDeviationPercent: 30, minMembers: 3 },
    thresholds: z
      .object({
        maxDeviationPercent: z
          .number({ error: '偏离比例须为数字' })
          .gt(0, '偏离比例须大于 0%')
          .max(100, '偏离比例不得大于 100%'),
        minMembers: int(2, 100, '最少评分成员数'),
      })
      .strict(),
    fields: [
      { key: 'maxDeviationPercent', labelZh: '偏离平均分超过（%）', kind: 'number' },
      { key: 'minMembers', labelZh: '最少评分成员数', kind: 'integer' },
    ],
    citation: {
      works: `《中华人民共和国招标投标法实施条例》第四十九条；${EXPERT_RECORD}`,
      gp: `《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十四条第（四）项；${EXPERT_RECORD}`,
    },
  },
  {
    code: 'expert-same-winner',
    titleZh: '评标专家多次参评同一中标人的项目',
    descriptionZh: '同一评标专家在设定期间内参加的评标委员会中，有达到设定数量的项目由同一投标人中标。',
    category: 'expert',
    subject: 'expert',
    trigger: 'award',
    defaultLevel: 'medium',
    defaultEnabled: true,
    defaultThresholds: { minCommittees: 3, windowDays: 365 },
    thresholds: z
      .object({ minCommittees: int(2, 100, '项目数'), windowDays: int(1, 3650, '统计天数') })
      .strict(),
    fields: [
      { key: 'minCommittees', labelZh: '同一中标人的项目数（≥2）', kind: 'integer' },
      { key: 'windowDays', labelZh: '统计期间（天）', kind: 'integer' },
    ],
    citation: {
      works: `《中华人民共和国招标投标法实施条例》第四十九条；${EXPERT_RECORD}`,
      gp: `《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十二条；${EXPERT_RECORD}`,
    },
  },
  {
    code: 'expert-frequency',
    titleZh: '评标专家参评频次过高',
    descriptionZh: '同一评标专家在设定期间内参加评标委员会的次数超过设定值（抽取频次异常）。',
    category: 'expert',
    subject: 'expert',
    trigger: 'evaluation',
    defaultLevel: 'low',
    defaultEnabled: true,
    defaultThresholds: { maxCommittees: 10, windowDays: 90 },
    thresholds: z
      .object({ maxCommittees: int(1, 1000, '次数'), windowDays: int(1, 3650, '统计天数') })
      .strict(),
    fields: [
      { key: 'maxCommittees', labelZh: '期间内参评次数超过', kind: 'integer' },
      { key: 'windowDays', labelZh: '统计期间（天）', kind: 'integer' },
    ],
    citation: {
      works: `《内蒙古自治区公共资源交易管理办法》第三十三条；${EXPERT_RECORD}`,
      gp: `《内蒙古自治区公共资源交易管理办法》第三十三条；${EXPERT_RECORD}`,
    },
  },
  {
    code: 'split-project',
    titleZh: '化整为零规避进场交易',
    descriptionZh:
      '同一招标人（采购人）12 个月内登记的同一交易目录事项、单个低于限额标准的标段（包）合计达到限额（项目登记时记录的化整为零标记）。',
    category: 'initiator',
    subject: 'lot',
    trigger: 'split',
    defaultLevel: 'medium',
    defaultEnabled: true,
    defaultThresholds: {},
    thresholds: z.object({}).strict(),
    fields: [],
    citation: {
      works: '《内蒙古自治区公共资源交易管理办法》第四十九条第（一）项',
      gp: '《中华人民共和国政府采购法》第二十八条；《内蒙古自治区公共资源交易管理办法》第四十九条第（一）项',
    },
  },
  {
    code: 'short-period',
    titleZh: '投标（响应）期限过短',
    descriptionZh:
      '文件发出（公示）之日至投标（响应）截止之日的期间短于法定最短期间加上设定的余量天数（余量为 0 时只预警低于法定期限的）。',
    category: 'initiator',
    subject: 'lot',
    trigger: 'opening',
    defaultLevel: 'medium',
    defaultEnabled: true,
    defaultThresholds: { marginDays: 0 },
    thresholds: z.object({ marginDays: int(0, 60, '余量天数') }).strict(),
    fields: [{ key: 'marginDays', labelZh: '在法定最短期间之外的余量（天）', kind: 'integer' }],
    citation: {
      works: '《中华人民共和国招标投标法》第二十四条',
      gp: '《中华人民共和国政府采购法》第三十五条；财政部令第87号第二十条',
    },
  },
  {
    code: 'repeat-single-source',
    titleZh: '重复向同一供应商单一来源采购',
    descriptionZh: '同一采购人在设定期间内以单一来源方式向同一供应商采购的项目达到设定数量。',
    category: 'initiator',
    subject: 'lot',
    trigger: 'award',
    defaultLevel: 'medium',
    defaultEnabled: true,
    defaultThresholds: { minCount: 2, windowDays: 365 },
    thresholds: z.object({ minCount: int(2, 100, '项目数'), windowDays: int(1, 3650, '统计天数') }).strict(),
    fields: [
      { key: 'minCount', labelZh: '单一来源项目数（≥2）', kind: 'integer' },
      { key: 'windowDays', labelZh: '统计期间（天）', kind: 'integer' },
    ],
    citation: {
      works: '《中华人民共和国政府采购法》第二十八条、第三十一条',
      gp: '《中华人民共和国政府采购法》第二十八条、第三十一条',
    },
  },
];

// ---------------------------------------------------------------------------------- Cardinal set

const ratio = (what: string) => z.number({ error: `${what}须为数字` }).min(0, `${what}不能为负数`);
const methods = z.array(z.string().trim().min(1).max(100)).max(50);

const CARDINAL_SCHEMAS: Record<IndicatorCode, z.ZodType<Record<string, unknown>>> = {
  R003: z
    .object({
      threshold: int(0, 3650, '天数').optional(),
      procurement_methods: methods.optional(),
      procurement_method_details: z.record(z.string().min(1), int(0, 3650, '天数')).optional(),
    })
    .strict(),
  R018: z.object({ procurement_methods: methods.optional() }).strict(),
  R024: z.object({ threshold: ratio('阈值').optional() }).strict(),
  R025: z
    .object({ percentile: int(0, 100, '百分位').optional(), threshold: ratio('阈值').optional() })
    .strict(),
  R028: z.object({}).strict(),
  R030: z.object({}).strict(),
  R035: z.object({ threshold: int(1, 1000, '被否决投标人数').optional() }).strict(),
  R036: z.object({}).strict(),
  R038: z
    .object({
      threshold: ratio('阈值').optional(),
      minimum_submitted_bids: int(1, 1000, '最少投标数').optional(),
      minimum_contracting_processes: int(1, 100000, '最少项目数').optional(),
    })
    .strict(),
  R048: z
    .object({
      digits: int(1, 10, '分类码位数').optional(),
      threshold: int(0, 1000, '阈值').optional(),
      minimum_contracting_processes: int(1, 100000, '最少项目数').optional(),
    })
    .strict(),
  R058: z.object({ threshold: ratio('阈值').optional() }).strict(),
};

const CARDINAL_FIELDS: Record<IndicatorCode, ThresholdField[]> = {
  R003: [
    { key: 'threshold', labelZh: '投标期限少于（天，默认 15）', kind: 'integer' },
    {
      key: 'procurement_methods',
      labelZh: '只计这些采购方式（open/selective/limited/direct）',
      kind: 'strings',
    },
    { key: 'procurement_method_details', labelZh: '按采购方式明细的天数', kind: 'map' },
  ],
  R018: [{ key: 'procurement_methods', labelZh: '竞争性采购方式（默认 open、selective）', kind: 'strings' }],
  R024: [{ key: 'threshold', labelZh: '固定下限（默认按 Q1 − 1.5·IQR 计算）', kind: 'number' }],
  R025: [
    { key: 'percentile', labelZh: '有效投标数百分位（默认 75）', kind: 'integer' },
    { key: 'threshold', labelZh: '中标率固定下限（默认按四分位计算）', kind: 'number' },
  ],
  R028: [],
  R030: [],
  R035: [{ key: 'threshold', labelZh: '被否决的其他投标人至少（默认 1）', kind: 'integer' }],
  R036: [],
  R038: [
    { key: 'threshold', labelZh: '否决比例固定上限（默认按 Q3 + 1.5·IQR 计算）', kind: 'number' },
    { key: 'minimum_submitted_bids', labelZh: '投标人最少投标数（默认 2）', kind: 'integer' },
    { key: 'minimum_contracting_processes', labelZh: '采购人最少项目数（默认 2）', kind: 'integer' },
  ],
  R048: [
    { key: 'digits', labelZh: '分类码前几位（默认 2）', kind: 'integer' },
    { key: 'threshold', labelZh: '分类数固定上限（默认按四分位计算）', kind: 'integer' },
    { key: 'minimum_contracting_processes', labelZh: '供应商最少中标项目数（默认 20）', kind: 'integer' },
  ],
  R058: [{ key: 'threshold', labelZh: '固定上限（默认按 Q3 + 1.5·IQR 计算）', kind: 'number' }],
};

const CARDINAL_LEVELS: Record<IndicatorCode, AlertLevel> = {
  R003: 'low',
  R018: 'low',
  R024: 'medium',
  R025: 'low',
  R028: 'high',
  R030: 'high',
  R035: 'medium',
  R036: 'medium',
  R038: 'low',
  R048: 'low',
  R058: 'medium',
};

const CARDINAL_RULES: RuleDefinition[] = INDICATOR_CODES.map((code) => ({
  code,
  titleZh: `${INDICATOR_TITLES_ZH[code]}（Cardinal ${code}）`,
  descriptionZh: `OCP Cardinal 红旗指标 ${code}，按 Cardinal 的定义与默认值在本平台全部 OCDS 汇编发布上计算（见 docs/risk-scan.md）。`,
  category: 'cardinal' as const,
  subject: 'lot' as const,
  trigger: 'cardinal' as const,
  defaultLevel: CARDINAL_LEVELS[code],
  defaultEnabled: true,
  defaultThresholds: {},
  thresholds: CARDINAL_SCHEMAS[code],
  fields: CARDINAL_FIELDS[code],
  citation: {
    works: `OCP Cardinal ${code}（open-contracting/cardinal-rs）；${REGULATION_42}`,
    gp: `OCP Cardinal ${code}（open-contracting/cardinal-rs）；${REGULATION_42}`,
  },
}));

export const RULES: readonly RuleDefinition[] = [...OWN_RULES, ...CARDINAL_RULES];
const BY_CODE = new Map(RULES.map((r) => [r.code, r]));

export function findRule(code: string): RuleDefinition | undefined {
  return BY_CODE.get(code);
}

export function isCardinalCode(code: string): code is IndicatorCode {
  return (INDICATOR_CODES as readonly string[]).includes(code);
}

export function citationOf(rule: RuleDefinition, law: string): string {
  return law === 'gp' ? rule.citation.gp : rule.citation.works;
}

/** The thresholds, validated against the rule's schema; InvalidInput naming every problem otherwise. */
export function validateThresholds(rule: RuleDefinition, value: unknown): Record<string, unknown> {
  const parsed = rule.thresholds.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = rule.fields.find((f) => f.key === issue.path[0]);
      const where = field ? `${field.labelZh}：` : issue.path.length > 0 ? `${issue.path.join('.')}：` : '';
      const message =
        issue.code === 'unrecognized_keys' ? `不认识的阈值项 ${issue.keys.join('、')}` : issue.message;
      return `${where}${message}`;
    });
    throw new InvalidInput('RULE_THRESHOLD_INVALID', {
      title: '预警规则阈值无效',
      detail: `规则“${rule.titleZh}”：${problems.join('；')}。`,
      extensions: { rule: rule.code, problems },
    });
  }
  return parsed.data;
}
