import { z } from 'zod';
import { YuanAmount } from '../../platform/money/index.ts';

/** Contracts of the auctions API (竞价交易: 挂牌、拍卖、网络竞价). D's pages are built on exactly these. */

const Instant = z.iso
  .datetime({ offset: true, message: '时间应为 ISO 8601 格式，带时区，如 2026-03-20T09:30:00+08:00' })
  .transform((v) => new Date(v));
const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((v) => !hasControlCharacter(v), '不得含有控制字符');

/** C0 controls and DEL, except tab, line feed and carriage return. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

export const LotIdParams = z.object({ lotId: z.string().min(1).max(100) });
export const AuctionIdParams = z.object({ id: z.string().min(1).max(100) });

export const AuctionSetupBody = z.object({
  title: Text(200).pipe(z.string().min(2, '请填写标的名称')).describe('标的名称'),
  description: Text(10_000).optional().describe('标的情况、交易条件等说明'),
  startPriceYuan: YuanAmount.describe('起始价（元）'),
  stepYuan: YuanAmount.describe('加价幅度（元）'),
  depositYuan: YuanAmount.describe('竞买保证金（元）'),
  announcementAt: Instant.describe('公告发布时间（计划）'),
  registrationUntil: Instant.describe('竞买申请截止时间'),
  depositDeadline: Instant.describe('保证金到账截止时间'),
  biddingStartsAt: Instant.describe('挂牌起始时间 / 竞价开始时间'),
  listingEndsAt: Instant.nullish().describe('挂牌截止时间（挂牌）'),
  listingDaysCounting: z.enum(['calendar', 'working']).optional().describe('挂牌期计算方式：日历日 / 工作日'),
  freeBiddingMinutes: z.number().int().nullish().describe('自由竞价期（分钟；拍卖、网络竞价）'),
  countdownMinutes: z.number().int().optional().describe('限时竞价倒计时（分钟，1–30，默认5）'),
  timedEntry: z
    .enum(['automatic', 'listed-bid', 'confirm'])
    .optional()
    .describe('进入限时竞价：automatic 全部竞买人 · listed-bid 有有效报价者 · confirm 限时确认参加者'),
  confirmMinutes: z.number().int().nullish().describe('限时竞价确认时间（分钟）'),
  timedStart: z
    .enum(['highest-plus-step', 'highest'])
    .optional()
    .describe('限时竞价起始：最高报价加一个加价幅度 / 最高报价'),
  minBidders: z.number().int().optional().describe('最少竞买人数（矿业权拍卖不少于3人）'),
  priceCapYuan: YuanAmount.nullish().describe('最高限价（元；达到后转为一次报价）'),
  sealedMinutes: z.number().int().nullish().describe('一次报价时间（分钟）'),
  bidMode: z.enum(['multiple', 'single']).optional().describe('报价方式：多次报价 / 一次报价（网络竞价）'),
  qualification: z
    .enum(['post', 'pre'])
    .optional()
    .describe('资格审查：post 资格后审（预成交）· pre 资格预审'),
  qualificationFallback: z
    .enum(['next-best', 'no-deal'])
    .optional()
    .describe('竞得人资格审核未通过时：由次高报价人递补 / 不成交'),
  valuationYuan: YuanAmount.nullish().describe('评估值（元；国有产权）'),
  relisting: z.boolean().optional().describe('是否重新挂牌（降价不超过评估值10%无需重新批准）'),
  reapprovalDocument: Text(500).nullish().describe('重新批准文件（挂牌价低于规定比例时）'),
  preemptiveHolders: z
    .array(
      z.object({
        creditCode: z.string().trim().min(18).max(18).describe('优先权人统一社会信用代码'),
        rank: z.number().int().min(1).max(9).describe('优先顺位（1 最优先）'),
      }),
    )
    .max(50)
    .optional()
    .describe('优先受让权人（原股东、集体经济组织成员等）'),
  autoExtend: z.boolean().optional().describe('延牌：竞价开始时竞买人不足最少人数的，自动延期'),
  extensionWorkingDays: z.number().int().nullish().describe('每次延期工作日数（不少于5个工作日）'),
  maxExtensions: z.number().int().nullish().describe('最多延期次数（公告载明）'),
});

export const ReserveBody = z.object({ reserveYuan: YuanAmount.describe('底价（元），竞价开始前确定，保密') });
export const TerminateBody = z.object({ reason: Text(2000).describe('终止原因') });
export const RegistrationBody = z
  .object({ preemptive: z.boolean().optional().describe('主张优先受让权') })
  .optional();
export const BidBody = z.object({
  amountYuan: z.string().trim().min(1).max(32).describe('报价金额（元）'),
  kind: z
    .enum(['bid', 'match', 'sealed'])
    .optional()
    .describe('bid 报价 · match 优先权人跟价 · sealed 最高限价后的一次报价'),
});
export const StepBody = z.object({ stepYuan: YuanAmount.describe('新的加价幅度（元）') });
export const QualificationBody = z.object({
  passed: z.boolean().describe('资格审核是否通过'),
  reason: Text(2000).nullish().describe('审核意见（不通过须写明理由）'),
});
export const PublicListQuery = z.object({
  status: z.enum(['announced', 'bidding', 'closed', 'pre-deal', 'dealt', 'failed', 'terminated']).optional(),
  catalog: z
    .string()
    .regex(/^\d{2,4}$/)
    .optional()
    .describe('交易目录代码前缀，如 03、0301'),
  q: z.string().trim().max(100).optional().describe('标的名称关键词'),
  page: z.coerce.number().int().min(1).max(1000).optional(),
});
export const RoomQuery = z.object({ since: z.coerce.number().int().min(0).optional() });
