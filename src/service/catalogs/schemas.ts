import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/index.ts';
import { YuanAmount } from '../../platform/money/index.ts';
import { ANNOUNCEMENT_KINDS, type AnnouncementKind } from '../../trading/procedures/index.ts';

export const CalendarDateField = z
  .string()
  .refine(isCalendarDate, '日期格式应为 YYYY-MM-DD，且须为有效日期')
  .describe('日期（北京时间），YYYY-MM-DD');

export const TRADING_MODES = ['tender', 'procurement', 'auction', 'listing', 'other'] as const;
export const TradingModeSchema = z.enum(TRADING_MODES);

export const TRADING_MODE_NAMES_ZH: Record<(typeof TRADING_MODES)[number], string> = {
  tender: '招标',
  procurement: '政府采购',
  auction: '拍卖',
  listing: '挂牌',
  other: '其他方式',
};

// The announcement kinds the disclosure catalog may name are the procedures' own (one list).
export const AnnouncementKindSchema = z.enum(ANNOUNCEMENT_KINDS as [AnnouncementKind, ...AnnouncementKind[]]);
export { ANNOUNCEMENT_KINDS };

const text = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`);

// ---- trading catalog ----

export const ItemCode = z
  .string()
  .regex(/^0[1-9][0-9]{2}$/, '事项编码为 4 位数字：前 2 位为类别编码（01–09），后 2 位为序号');

/** One item as a change request states it; the category is the first two digits of the code. */
export const CatalogItemInput = z
  .object({
    code: ItemCode,
    name: text(100, '事项名称'),
    regulator: text(100, '行政监督部门'),
    tradingModes: z
      .array(TradingModeSchema)
      .min(1, '至少选择一种交易方式')
      .refine((modes) => new Set(modes).size === modes.length, '交易方式不能重复'),
    splitThresholdYuan: YuanAmount.nullable(),
    splitThresholdCitation: z.string().trim().min(1).max(300).nullable(),
  })
  .refine((v) => (v.splitThresholdYuan === null) === (v.splitThresholdCitation === null), {
    message: '化整为零标准金额与其依据须同时填写或同时留空',
    path: ['splitThresholdCitation'],
  });
export type CatalogItemInput = z.infer<typeof CatalogItemInput>;

export const CatalogChange = z.discriminatedUnion('op', [
  z.object({ op: z.literal('add'), item: CatalogItemInput }),
  z.object({ op: z.literal('modify'), item: CatalogItemInput }),
  z.object({ op: z.literal('retire'), code: ItemCode }),
]);
export type CatalogChange = z.infer<typeof CatalogChange>;

export const ChangeRequestInput = z.object({
  title: text(100, '变更标题'),
  reason: text(2000, '变更理由'),
  effectiveFrom: CalendarDateField,
  changes: z.array(CatalogChange).min(1, '至少包含一项变更').max(100),
});
export type ChangeRequestInput = z.infer<typeof ChangeRequestInput>;

export const RejectInput = z.object({ reason: text(1000, '驳回理由') });

export const AsOfQuery = z.object({ asOf: CalendarDateField.optional() });
export const ItemCodeParams = z.object({ code: ItemCode });
export const IdParams = z.object({ id: z.string().uuid('编号格式不正确') });
export const ChangeRequestQuery = z.object({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
});

export const TradingCatalogItemView = z.object({
  code: z.string(),
  name: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  regulator: z.string(),
  tradingModes: z.array(TradingModeSchema),
  tradingModeNames: z.array(z.string()),
  splitThresholdYuan: z.string().nullable(),
  splitThresholdCitation: z.string().nullable(),
  effectiveFrom: z.string(),
  version: z.number(),
});

export const TradingCatalogView = z.object({
  version: z.number(),
  effectiveFrom: z.string(),
  note: z.string(),
  changeRequestId: z.string().nullable(),
  asOf: z.string(),
  categories: z.array(
    z.object({ code: z.string(), name: z.string(), items: z.array(TradingCatalogItemView) }),
  ),
});

export const CatalogVersionView = z.object({
  version: z.number(),
  effectiveFrom: z.string(),
  note: z.string(),
  changeRequestId: z.string().nullable(),
  itemCount: z.number(),
  createdAt: z.string(),
  /** in-force 现行 · scheduled 待施行 · superseded 已废止. */
  state: z.enum(['in-force', 'scheduled', 'superseded']),
});

export const ChangeRequestView = z.object({
  id: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  statusName: z.string(),
  title: z.string(),
  reason: z.string(),
  effectiveFrom: z.string(),
  changes: z.array(CatalogChange),
  baseVersion: z.number(),
  draftedBy: z.object({ id: z.string(), name: z.string() }),
  draftedAt: z.string(),
  reviewedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  reviewedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  resultingVersion: z.number().nullable(),
});

// ---- platform catalog ----

export const PLATFORM_KIND_NAMES_ZH = {
  'regional-centre': '自治区公共资源交易平台',
  'city-centre': '盟市公共资源交易平台',
  'third-party': '第三方交易系统',
} as const;

export const PlatformCode = z
  .string()
  .regex(
    /^[PT][0-9]{10}$/,
    '平台标识码为 11 位：P（交易平台）或 T（第三方交易系统）+ 6 位行政区划代码 + 4 位序号',
  );

export const PlatformInput = z.object({
  code: PlatformCode,
  name: text(100, '平台名称'),
  kind: z.enum(['regional-centre', 'city-centre', 'third-party']),
  regionCode: z.string().regex(/^[0-9]{6}$/, '行政区划代码为 6 位数字'),
  website: z.string().trim().url('网址格式不正确').max(300).nullable(),
  operatorName: z.string().trim().min(1).max(100).nullable(),
  certification: z.string().trim().min(1).max(300).nullable(),
});
export type PlatformInput = z.infer<typeof PlatformInput>;

export const PlatformUpdateInput = PlatformInput.omit({ code: true, kind: true, regionCode: true });
export type PlatformUpdateInput = z.infer<typeof PlatformUpdateInput>;

export const PlatformCodeParams = z.object({ code: PlatformCode });
export const SuspendInput = z.object({ reason: text(1000, '暂停原因') });

export const PlatformView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(['regional-centre', 'city-centre', 'third-party']),
  kindName: z.string(),
  region: z.object({ code: z.string(), name: z.string() }),
  website: z.string().nullable(),
  operatorName: z.string().nullable(),
  certification: z.string().nullable(),
  status: z.enum(['active', 'suspended']),
  statusName: z.string(),
  statusReason: z.string().nullable(),
  updatedAt: z.string(),
});

// ---- disclosure catalog ----

export const DisclosureCode = z.string().regex(/^D[0-9]{2,3}$/, '公开事项编码为 D 加 2–3 位数字');

export const DisclosureInput = z.object({
  name: text(100, '公开事项'),
  content: text(1000, '公开内容'),
  basis: text(500, '公开依据'),
  timeLimit: text(200, '公开时限'),
  publisher: text(200, '公开主体'),
  channel: text(200, '公开渠道和载体'),
  audience: text(100, '公开对象'),
  manner: text(100, '公开方式'),
  announcementKind: AnnouncementKindSchema.nullable(),
  isPublic: z.boolean(),
});
export type DisclosureInput = z.infer<typeof DisclosureInput>;

export const DisclosureCreateInput = DisclosureInput.extend({ code: DisclosureCode });
export type DisclosureCreateInput = z.infer<typeof DisclosureCreateInput>;

export const DisclosureCodeParams = z.object({ code: DisclosureCode });

export const DisclosureView = DisclosureCreateInput.extend({
  name: z.string(),
  content: z.string(),
  basis: z.string(),
  timeLimit: z.string(),
  publisher: z.string(),
  channel: z.string(),
  audience: z.string(),
  manner: z.string(),
  announcementKind: z.string().nullable(),
  updatedAt: z.string(),
});
