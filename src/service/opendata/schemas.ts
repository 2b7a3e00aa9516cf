import { z } from 'zod';

export const TRIGGER_KINDS = [
  'tender',
  'amendment',
  'cancellation',
  'opening',
  'opening-failed',
  'candidates',
  'award',
  'contract',
] as const;

export const TRIGGER_NAMES_ZH: Record<(typeof TRIGGER_KINDS)[number], string> = {
  tender: '招标/采购公告',
  amendment: '变更/更正公告',
  cancellation: '终止公告',
  opening: '开标记录',
  'opening-failed': '开标流标',
  candidates: '中标候选人公示',
  award: '中标（成交）结果',
  contract: '合同',
};

const TriggerKind = z.enum(TRIGGER_KINDS);

export const FeedQuery = z.strictObject({
  cursor: z.string().max(200).optional().describe('上一页响应中的 next 游标（平台签发，不可改动）'),
  since: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('从这一时刻起重新同步（与 cursor 二选一）；可能重复，按 releaseId 去重'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('每页条数，1–500'),
  kind: z
    .union([TriggerKind, z.array(TriggerKind)])
    .optional()
    .describe('只要这些变更类型（可多个）'),
});
export type FeedQuery = z.infer<typeof FeedQuery>;

export const FeedItem = z.object({
  seq: z.number().int().describe('变更序号：按提交顺序连续编号'),
  releaseId: z.string(),
  ocid: z.string(),
  lotId: z.string(),
  kind: TriggerKind,
  kindNameZh: z.string(),
  publishedAt: z.string(),
  release: z.record(z.string(), z.unknown()).describe('OCDS 1.1 release'),
});

export const FeedPage = z.object({
  items: z.array(FeedItem),
  next: z.string().describe('下一页的游标：没有新记录时稍后用它再取'),
  hasMore: z.boolean(),
});

export const OcidParams = z.strictObject({
  ocid: z.string().regex(/^ocds-[a-z0-9]{6}-[A-Za-z0-9]{1,64}$/, '应为 ocds-xxxxxx-<标段编号>'),
});

export const BulkQuery = z.strictObject({
  compiled: z
    .enum(['true', 'false'])
    .default('true')
    .describe('true：每个交易过程一行汇编版本（compiled release）；false：每个 release 一行'),
});

export const SubscriptionInput = z.strictObject({
  name: z.string().trim().min(1).max(100).describe('订阅方名称'),
  url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .describe('接收推送的 URL（POST，application/json）'),
  kinds: z.array(TriggerKind).max(TRIGGER_KINDS.length).default([]).describe('只推送这些变更类型；空：全部'),
  fromStart: z.boolean().default(false).describe('true：从第一条记录起推送；false：只推送此后的新记录'),
});
export type SubscriptionInput = z.infer<typeof SubscriptionInput>;

export const SubscriptionView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  kinds: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  statusNameZh: z.string(),
  deliveredSeq: z.number().int(),
  failures: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});

export const SubscriptionIdParams = z.strictObject({ id: z.uuid() });

export const SubscriptionStatusInput = z.strictObject({
  status: z.enum(['active', 'disabled']),
});

export const AttemptView = z.object({
  firstSeq: z.number().int(),
  lastSeq: z.number().int(),
  attemptedAt: z.string(),
  statusCode: z.number().int().nullable(),
  ok: z.boolean(),
  error: z.string().nullable(),
});
