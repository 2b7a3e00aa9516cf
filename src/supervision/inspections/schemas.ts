import { z } from 'zod';

const text = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`);

const Ratio = z
  .number()
  .gt(0, '抽查比例须大于 0')
  .max(100, '抽查比例不能超过 100%')
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, '抽查比例最多保留两位小数');

export const RiskLevel = z.enum(['high', 'mid-high', 'mid', 'low']);

export const ItemEntryInput = z.object({
  code: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, '事项编码为 1–32 位字母、数字或连字符'),
  name: text(100, '抽查事项名称'),
  kind: z.enum(['key', 'general']),
  targetKind: z.enum(['lot', 'organization']),
  basis: text(500, '检查依据'),
  ratioPercent: Ratio.nullable().default(null),
  ratioByRisk: z.object({ high: Ratio, 'mid-high': Ratio, mid: Ratio, low: Ratio }).nullable().default(null),
  catalogPrefix: z
    .string()
    .regex(/^0[1-9]([0-9]{2})?$/, '交易目录编码为 2 位大类或 4 位事项')
    .nullable()
    .default(null),
});
export type ItemEntryInput = z.infer<typeof ItemEntryInput>;

export const ItemsListInput = z.object({
  entries: z.array(ItemEntryInput).min(1, '抽查事项清单至少包含一个事项').max(500),
  note: z.string().trim().max(500).nullable().default(null),
});
export type ItemsListInput = z.infer<typeof ItemsListInput>;

export const TargetEntryInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('lot'), lotId: z.string().min(1), riskLevel: RiskLevel }),
  z.object({
    kind: z.literal('organization'),
    creditCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[0-9A-Z]{18}$/, '统一社会信用代码为 18 位'),
    riskLevel: RiskLevel,
  }),
]);
export type TargetEntryInput = z.infer<typeof TargetEntryInput>;

export const TargetsListInput = z.object({
  entries: z.array(TargetEntryInput).min(1, '检查对象名录库至少包含一个对象').max(5000),
  note: z.string().trim().max(500).nullable().default(null),
});
export type TargetsListInput = z.infer<typeof TargetsListInput>;

export const InspectorsListInput = z.object({
  entries: z
    .array(
      z.object({
        accountId: z.string().min(1),
        certificateNo: z.string().trim().max(50).nullable().default(null),
      }),
    )
    .min(2, '执法检查人员名录库至少包含 2 人（每个检查对象至少 2 名检查人员）')
    .max(1000),
  note: z.string().trim().max(500).nullable().default(null),
});
export type InspectorsListInput = z.infer<typeof InspectorsListInput>;

export const ListKindParams = z.object({ kind: z.enum(['items', 'targets', 'inspectors']) });
export const VersionParams = ListKindParams.extend({ version: z.coerce.number().int().min(1) });

export const CandidatesQuery = z.object({
  kind: z.enum(['lot', 'organization']),
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const PlanInput = z.object({
  year: z.number().int().min(2000).max(2100),
  name: text(100, '计划名称'),
  note: z.string().trim().max(1000).nullable().default(null),
});
export type PlanInput = z.infer<typeof PlanInput>;

export const BatchInput = z.object({
  name: text(100, '批次名称'),
  itemCodes: z.array(z.string().min(1)).min(1, '请至少选择一个抽查事项').max(50),
  inspectorsPerTarget: z.number().int().min(2, '每个检查对象至少 2 名检查人员').max(10).default(2),
  exclusionYears: z.number().int().min(0).max(10).default(3),
  publishWorkingDays: z.number().int().min(1).max(120).default(20),
  scheduledOn: z.iso.date('日期格式为 YYYY-MM-DD').nullable().default(null),
});
export type BatchInput = z.infer<typeof BatchInput>;

export const IdParams = z.object({ id: z.string().min(1) });

export const RecusalInput = z.object({
  reason: text(500, '回避理由').refine((v) => v.length >= 4, '请写明回避理由（不少于 4 个字）'),
});

export const ResultInput = z.object({
  outcome: z.enum(['no-issues', 'rectification', 'referred', 'unreachable']),
  findings: text(4000, '检查情况'),
  attachments: z
    .array(
      z.object({
        name: text(200, '附件名称'),
        sm3: z.string().regex(/^[0-9a-f]{64}$/, '附件摘要须为 64 位小写十六进制 SM3'),
      }),
    )
    .max(20)
    .default([]),
});
export type ResultInput = z.infer<typeof ResultInput>;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const VerifyRecordInput = z.object({
  record: z.unknown(),
  trustedKeysPem: z.array(z.string().max(4000)).max(10).optional(),
});
