import { z } from 'zod';

const Month = (label: string) =>
  z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, `${label}须为“年-月”格式，例如 2026-03`)
    .describe(`${label}（YYYY-MM，按首次公告发布的月份，北京时间）`);

export const SOURCE_NAMES_ZH = {
  all: '全部来源',
  platform: '本平台',
  push: '盟市平台及第三方系统推送',
} as const;

export const SummaryQuery = z.object({
  from: Month('起始月份').optional(),
  to: Month('截止月份').optional(),
  region: z
    .string()
    .regex(/^\d{2,6}$/, '地区须为 2–6 位行政区划代码前缀，例如 1501（呼和浩特市）')
    .optional()
    .describe('行政区划代码前缀：15 为全区，1501 为呼和浩特市，150102 为新城区'),
  category: z
    .string()
    .regex(/^0[1-9]$/, '交易目录类别须为 01–09')
    .optional()
    .describe('交易目录类别 01–09（《管理办法》第十条）'),
  source: z
    .enum(['all', 'platform', 'push'], { message: '数据来源须为 all、platform 或 push' })
    .default('all')
    .describe('数据来源：all 全部；platform 本平台；push 盟市平台及第三方系统推送'),
});
export type SummaryQuery = z.infer<typeof SummaryQuery>;

const Yuan = (what: string) => z.string().describe(`${what}（元，十进制字符串，两位小数）`);
const Rate = (what: string) =>
  z.number().nullable().describe(`${what}（0–1 的小数，保留四位；无分母时为 null）`);
const Days = (what: string) => z.number().nullable().describe(`${what}（天，保留两位；无样本时为 null）`);
const Count = (what: string) => z.number().int().describe(what);

/** The figures of one group (or of everything matching the filter), each defined as docs/statistics.md says. */
export const Figures = z.object({
  lots: Count('交易项目数：符合条件的标段（包）数，每个交易过程计一次'),
  activeLots: Count('进行中：已发布公告、尚未成交、流标或终止的标段（包）数'),
  completeLots: Count('已成交：已发布中标（成交）结果的标段（包）数'),
  unsuccessfulLots: Count('流标（废标）：开标或评审后未能产生中标（成交）人的标段（包）数'),
  cancelledLots: Count('终止：招标人（采购人）终止交易的标段（包）数'),
  budgetLots: Count('有预算金额的标段（包）数'),
  budgetYuan: Yuan('预算金额合计：各标段（包）预算金额（最高限价/估算价）之和'),
  awardLots: Count('有中标（成交）金额的标段（包）数'),
  awardYuan: Yuan('成交金额合计：各标段（包）中标（成交）金额之和'),
  lotsWithBids: Count('有投标的标段（包）数：开标时至少开启一份投标文件'),
  bidders: Count('投标人次：有投标的标段（包）开启的投标文件数之和'),
  averageBidders: z
    .number()
    .nullable()
    .describe('平均投标人数（竞争度）= 投标人次 ÷ 有投标的标段（包）数，保留两位；无则为 null'),
  savingsLots: Count('节支率样本数：预算金额大于 0 且有成交金额的标段（包）数'),
  savingsBudgetYuan: Yuan('节支率样本的预算金额合计'),
  savingsAwardYuan: Yuan('节支率样本的成交金额合计'),
  savedYuan: Yuan('节支金额 = 样本预算金额合计 − 样本成交金额合计（可为负）'),
  savingsRate: Rate('节支率 = 1 − 样本成交金额合计 ÷ 样本预算金额合计'),
  failedRate: Rate('流标率 = 流标数 ÷ （已成交数 + 流标数）'),
  announcementToOpeningLots: Count('公告至开标时长的样本数'),
  announcementToOpeningDays: Days('平均公告至开标时长：首次公告发布至开标的平均天数'),
  openingToAwardLots: Count('开标至定标时长的样本数'),
  openingToAwardDays: Days('平均开标至定标时长：开标至中标（成交）结果公告的平均天数'),
  awardToContractLots: Count('定标至签约时长的样本数'),
  awardToContractDays: Days('平均定标至签约时长：中标（成交）结果公告至合同签订的平均天数'),
});
export type Figures = z.infer<typeof Figures>;

const Group = Figures.extend({
  code: z.string().nullable().describe('分组代码（交易目录类别、行政区划代码或交易方式；未分类为 null）'),
  name: z.string().describe('分组名称'),
});
export type GroupFigures = z.infer<typeof Group>;

const MonthGroup = Figures.extend({ month: z.string().describe('月份 YYYY-MM') });
export type MonthFigures = z.infer<typeof MonthGroup>;

export const SummaryView = z.object({
  filters: z.object({
    from: z.string().nullable(),
    to: z.string().nullable(),
    region: z.string().nullable(),
    regionName: z.string().nullable().describe('地区前缀对应的名称（可识别时）'),
    category: z.string().nullable(),
    categoryName: z.string().nullable(),
    source: z.enum(['all', 'platform', 'push']),
    sourceName: z.string(),
  }),
  generatedAt: z.string().describe('统计时间（ISO 8601）'),
  totals: Figures,
  byMonth: z.array(MonthGroup).describe('按月份（首次公告月份）；查询区间内无数据的月份计为 0'),
  byCategory: z.array(Group).describe('按交易目录类别'),
  byPrefecture: z.array(Group).describe('按盟市（行政区划代码前四位 + 00）'),
  byRegion: z.array(Group).describe('按行政区划（完整六位代码，旗县区）'),
  byMethod: z.array(Group).describe('按交易方式（项目数从多到少）'),
});
export type SummaryView = z.infer<typeof SummaryView>;
