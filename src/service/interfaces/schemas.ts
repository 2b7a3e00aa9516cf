import { z } from 'zod';

export const SYSTEM_HEADER = 'x-ggzy-system';
/** Records per call of the aggregation port. */
export const MAX_RECORDS_PER_PUSH = 1000;
/** Largest request body of a signed interface call, bytes. */
export const MAX_INTERFACE_BODY = 8 * 1024 * 1024;

export const SYSTEM_KIND_NAMES_ZH = {
  'third-party': '第三方电子交易系统',
  'city-centre': '盟市交易平台',
} as const;
export const SYSTEM_STATUS_NAMES_ZH = { active: '有效', revoked: '已吊销' } as const;
export const RESULT_STATUS_NAMES_ZH = {
  accepted: '已接收',
  duplicate: '重复（已接收过）',
  rejected: '已拒绝',
} as const;

export const RegisterSystemBody = z.object({
  platformCode: z.string().regex(/^[PT][0-9]{10}$/, '平台标识码为 11 位：P 或 T 加 10 位数字'),
  certificatePem: z
    .string()
    .min(1, '请粘贴系统的 SM2 证书（PEM）')
    .max(20_000, '证书过长')
    .describe('系统签名用的 SM2 证书，PEM 格式'),
  regionPrefixes: z
    .array(z.string().regex(/^\d{2,6}$/, '行政区划前缀为 2–6 位数字，如 1501'))
    .min(1, '至少指定一个行政区划前缀')
    .max(50)
    .describe('系统可推送和读取的数据所属行政区划代码前缀'),
  tables: z
    .array(z.string().regex(/^[A-Z0-9_]{2,60}$/))
    .min(1, '至少指定一张数据表')
    .max(120)
    .describe('系统可推送和读取的数据规范表名'),
});
export type RegisterSystemBody = z.infer<typeof RegisterSystemBody>;

export const RevokeSystemBody = z.object({
  reason: z.string().trim().min(2, '请填写吊销原因').max(500, '吊销原因不能超过 500 个字'),
});

export const SystemIdParams = z.object({ id: z.string().uuid('系统编号格式不正确') });

export const SystemView = z.object({
  id: z.string(),
  platformCode: z.string(),
  name: z.string(),
  kind: z.enum(['third-party', 'city-centre']),
  kindName: z.string(),
  certificateSubject: z.string(),
  certificateSm3: z.string(),
  certificateNotAfter: z.string(),
  regionPrefixes: z.array(z.string()),
  tables: z.array(z.string()),
  status: z.enum(['active', 'revoked']),
  statusName: z.string(),
  revokeReason: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type SystemView = z.infer<typeof SystemView>;

export const PushBody = z.object({
  records: z
    .array(
      z.object({
        table: z.string().max(100).describe('数据规范表名，如 SECTION'),
        data: z.record(z.string(), z.unknown()).describe('字段名 → 字符串值'),
      }),
    )
    .min(1, '至少推送一条记录')
    .max(MAX_RECORDS_PER_PUSH, `每次最多推送 ${MAX_RECORDS_PER_PUSH} 条记录`),
});
export type PushBody = z.infer<typeof PushBody>;

export const FieldProblemView = z.object({
  field: z.string().describe('字段名；空串表示整条记录'),
  rule: z.string().describe('违反的规则'),
  message: z.string().describe('中文说明'),
});

export const RecordResult = z.object({
  index: z.number().int().describe('记录在请求中的序号（从 0 开始）'),
  table: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  key: z.string().nullable().describe('记录标识（统一交易标识码或主键）'),
  version: z.string().nullable().describe('数据版本（DATA_TIMESTAMP）'),
  problems: z.array(FieldProblemView),
});
export type RecordResult = z.infer<typeof RecordResult>;

export const PushResult = z.object({
  pushId: z.string(),
  receivedAt: z.string(),
  total: z.number().int(),
  accepted: z.number().int(),
  duplicate: z.number().int(),
  rejected: z.number().int(),
  results: z.array(RecordResult),
});
export type PushResult = z.infer<typeof PushResult>;

export const RecordsQuery = z.object({
  table: z
    .string()
    .regex(/^[A-Z0-9_]{2,60}$/)
    .optional(),
  after: z
    .string()
    .regex(/^\d{1,19}$/, 'after 为上一页最后一条记录的 seq')
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const StoredRecordView = z.object({
  seq: z.string(),
  table: z.string(),
  key: z.string(),
  version: z.string(),
  dealCode: z.string().nullable(),
  regionCode: z.string().nullable(),
  data: z.record(z.string(), z.string()),
  receivedAt: z.string(),
});

export const RecordsPage = z.object({ items: z.array(StoredRecordView), next: z.string().nullable() });

export const PushesQuery = z.object({
  systemId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const PushView = PushResult.extend({
  system: z.object({ id: z.string(), platformCode: z.string(), name: z.string() }),
});
export type PushView = z.infer<typeof PushView>;
