import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/index.ts';

const text = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`);
const optionalText = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不能超过 ${max} 个字`).nullable().optional();

export const DateText = z
  .string()
  .refine(isCalendarDate, '日期格式应为 YYYY-MM-DD（例如 2026-03-10）')
  .describe('日期（YYYY-MM-DD，北京时间）');

const CatalogPrefix = z
  .string()
  .regex(/^0[1-9]([0-9]{2})?$/, '交易目录须为 2 位大类或 4 位事项编码（例如 01、0101）');
const RegionPrefix = z
  .string()
  .regex(/^[1-9][0-9]([0-9]{2}){0,2}$/, '地域须为 2、4 或 6 位行政区划代码（例如 15、1501）');

export const RecordKindSchema = z.enum(['violation', 'dishonest', 'commendation', 'performance']);
export const SeveritySchema = z.enum(['minor', 'general', 'serious']);
export const RestrictionKindSchema = z.enum([
  'bidding_mandatory_tender',
  'government_procurement',
  'bidding_all',
  'acting_as_agency',
  'acting_as_expert',
]);
export const ListKindSchema = z.enum([
  'dishonest_judgment_debtor',
  'major_tax_violation',
  'gp_serious_violation',
]);

export const RestrictionInput = z.object({
  kind: RestrictionKindSchema,
  /** A key of the ban table (tiaoli-67, tiaoli-68, zbtbf-60, zbtbf-50, zfcgf-77) or 'other'. */
  basisCode: z.string().trim().min(1, '请选择限制的法律依据').max(40),
  /** Required for 'other'; for a ban-table key the statute's name is used. */
  legalBasis: optionalText(500, '法律依据'),
  catalogPrefixes: z.array(CatalogPrefix).max(50).default([]),
  regionPrefixes: z.array(RegionPrefix).max(50).default([]),
  fromDate: DateText,
  toDate: DateText,
});
export type RestrictionInput = z.infer<typeof RestrictionInput>;

export const SubjectInput = z.object({
  kind: z.enum(['organization', 'person']),
  name: text(200, '主体名称'),
  creditCode: z.string().trim().max(40).nullable().optional(),
  idNumber: z.string().trim().max(40).nullable().optional(),
  organizationId: z.string().trim().max(100).nullable().optional(),
});
export type SubjectInput = z.infer<typeof SubjectInput>;

export const RecordInput = z.object({
  kind: RecordKindSchema,
  subject: SubjectInput,
  /** The lot the conduct concerns; its region and catalog item then place the record. */
  lotId: z.string().trim().max(100).nullable().optional(),
  regionCode: z
    .string()
    .regex(/^\d{6}$/, '行政区划代码为 6 位数字')
    .nullable()
    .optional(),
  catalogItemCode: CatalogPrefix.nullable().optional(),
  severity: SeveritySchema.nullable().optional(),
  facts: text(4000, '事实（违法失信行为、表彰事由或履约情况）'),
  legalBasis: optionalText(500, '法律依据'),
  penalty: optionalText(2000, '处理决定'),
  decidingAuthority: text(200, '决定机关'),
  decisionNumber: text(100, '决定文号'),
  decisionDate: DateText,
  performanceRating: z.enum(['good', 'qualified', 'poor']).nullable().optional(),
  /** 守信: last day of the commendation's publication. */
  validUntil: DateText.nullable().optional(),
  /** 轻微 records may stay off the list (《信用修复管理办法》); every other 违法/失信 record is published. */
  publish: z.boolean().default(true),
  restrictions: z.array(RestrictionInput).max(10).default([]),
});
export type RecordInput = z.infer<typeof RecordInput>;

export const RevokeInput = z.object({ reason: text(1000, '撤销理由') });

export const RepairApplicationInput = z.object({
  statement: text(4000, '失信行为纠正情况说明'),
  commitment: text(2000, '信用承诺'),
  evidence: z
    .array(z.string().regex(/^[0-9a-f]{64}$/, '证明材料须为已上传文件的摘要（64 位十六进制）'))
    .max(20)
    .default([]),
  /** For a paper application registered by the regulator (线下申请): who applied. */
  applicantName: optionalText(200, '申请人'),
});
export type RepairApplicationInput = z.infer<typeof RepairApplicationInput>;

export const RepairDecisionInput = z.object({
  approve: z.boolean(),
  reason: text(2000, '决定理由'),
});

export const ImportInput = z
  .object({
    source: text(100, '名单来源'),
    listKind: ListKindSchema,
    asOf: DateText,
    format: z.enum(['csv', 'json']).default('csv'),
    /** The file's text (CSV with a header row, or a JSON array). */
    content: z
      .string()
      .max(16 * 1024 * 1024)
      .optional(),
    /** Rows given directly (API POST). */
    rows: z.array(z.record(z.string(), z.unknown())).max(200_000).optional(),
    note: optionalText(500, '备注'),
    /** Validate only: report the bad rows, record nothing. */
    dryRun: z.boolean().default(false),
  })
  .refine((v) => (v.content === undefined) !== (v.rows === undefined), {
    message: '请提供名单文件内容（content）或名单行（rows）之一',
    path: ['content'],
  });
export type ImportInput = z.infer<typeof ImportInput>;

export const ScoreFactorInput = z.object({
  kind: z.string().trim().min(1, '请填写评价因素').max(60),
  weight: z.number().min(-100, '每项分值不能低于 -100').max(100, '每项分值不能超过 100'),
  cap: z.number().min(0).max(1000).nullable().default(null),
  windowMonths: z.number().int().min(1, '统计期间至少 1 个月').max(60, '统计期间不超过 60 个月').default(36),
});

export const ScoreRuleInput = z.object({
  effectiveFrom: DateText,
  baseScore: z.number().int().min(0).max(1000),
  minScore: z.number().int().min(0).max(1000),
  maxScore: z.number().int().min(0).max(1000),
  factors: z.array(ScoreFactorInput).min(1, '请至少设置一个评价因素').max(30),
  note: optionalText(500, '说明'),
});
export type ScoreRuleInput = z.infer<typeof ScoreRuleInput>;

export const CheckPartyInput = z.object({
  organizationId: z.string().trim().max(100).nullable().default(null),
  creditCode: z.string().trim().max(40).nullable().default(null),
  name: text(200, '名称'),
});

export const ManualCheckInput = z.object({
  stage: z.enum(['registration', 'bid', 'award']),
  parties: z.array(CheckPartyInput).min(1, '请至少填写一个主体').max(20),
});

export const Page = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const RecordListQuery = Page.extend({
  kind: RecordKindSchema.optional(),
  q: z.string().trim().max(100).optional(),
});

export const PublicListQuery = Page.extend({ q: z.string().trim().max(100).optional() });

export const PublicSearchQuery = Page.extend({
  q: z.string().trim().min(2, '请输入至少 2 个字的名称，或完整的统一社会信用代码').max(100),
});

export const RepairListQuery = Page.extend({
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
});

export const CheckListQuery = Page.extend({
  barred: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const EntrySearchQuery = z.object({ q: z.string().trim().min(2).max(100) });

export const SubjectQuery = z.object({
  creditCode: z.string().trim().max(40).optional(),
  organizationId: z.string().trim().max(100).optional(),
  idNumber: z.string().trim().max(40).optional(),
  date: DateText.optional(),
});

export const IdParams = z.object({ id: z.string().min(1).max(100) });
export const LotParams = z.object({ lotId: z.string().min(1).max(100) });

// ---- views ----

export const RestrictionView = z.object({
  id: z.string(),
  kind: RestrictionKindSchema,
  kindName: z.string(),
  catalogPrefixes: z.array(z.string()),
  regionPrefixes: z.array(z.string()),
  scopeText: z.string(),
  fromDate: z.string(),
  toDate: z.string(),
  basisCode: z.string(),
  legalBasis: z.string(),
  liftedOn: z.string().nullable(),
  liftedReason: z.string().nullable(),
  inForce: z.boolean(),
});

export const RepairView = z.object({
  id: z.string(),
  recordId: z.string(),
  recordCode: z.string().nullable(),
  subjectName: z.string().nullable(),
  status: z.enum(['pending', 'approved', 'rejected']),
  statusName: z.string(),
  channel: z.enum(['online', 'offline']),
  applicantName: z.string(),
  statement: z.string(),
  commitment: z.string(),
  evidence: z.array(z.string()),
  submittedAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decisionReason: z.string().nullable(),
  effectiveOn: z.string().nullable(),
});

export const RecordView = z.object({
  id: z.string(),
  code: z.string(),
  kind: RecordKindSchema,
  kindName: z.string(),
  subject: z.object({
    kind: z.enum(['organization', 'person']),
    name: z.string(),
    creditCode: z.string().nullable(),
    idNumber: z.string().nullable(),
    organizationId: z.string().nullable(),
  }),
  regionCode: z.string(),
  catalogItemCode: z.string(),
  lotId: z.string().nullable(),
  severity: SeveritySchema.nullable(),
  severityName: z.string().nullable(),
  facts: z.string(),
  legalBasis: z.string().nullable(),
  penalty: z.string().nullable(),
  decidingAuthority: z.string(),
  decisionNumber: z.string(),
  decisionDate: z.string(),
  performanceRating: z.enum(['good', 'qualified', 'poor']).nullable(),
  performanceRatingName: z.string().nullable(),
  publication: z.object({
    publish: z.boolean(),
    publishedAt: z.string().nullable(),
    dueOn: z.string().nullable(),
    late: z.boolean(),
    endsOn: z.string().nullable(),
    repairEarliestOn: z.string().nullable(),
    rule: z.string().nullable(),
    onList: z.boolean(),
  }),
  status: z.string(),
  statusName: z.string(),
  repairedOn: z.string().nullable(),
  revokedOn: z.string().nullable(),
  revokeReason: z.string().nullable(),
  restrictions: z.array(RestrictionView),
  repairs: z.array(RepairView),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});

export const PublicRecordView = z.object({
  id: z.string(),
  code: z.string(),
  kind: RecordKindSchema,
  kindName: z.string(),
  subjectName: z.string(),
  subjectCode: z.string().nullable(),
  severityName: z.string().nullable(),
  facts: z.string(),
  legalBasis: z.string().nullable(),
  penalty: z.string().nullable(),
  decidingAuthority: z.string(),
  decisionNumber: z.string(),
  decisionDate: z.string(),
  publishedAt: z.string().nullable(),
  publicationEndsOn: z.string().nullable(),
  onList: z.boolean(),
  restrictions: z.array(
    z.object({
      kindName: z.string(),
      scopeText: z.string(),
      fromDate: z.string(),
      toDate: z.string(),
      legalBasis: z.string(),
    }),
  ),
});

export const ImportView = z.object({
  /** null for a dry run (validated, nothing recorded). */
  id: z.string().nullable(),
  source: z.string(),
  listKind: ListKindSchema,
  listName: z.string(),
  asOf: z.string(),
  format: z.enum(['csv', 'json']),
  contentSm3: z.string(),
  totalRows: z.number(),
  acceptedRows: z.number(),
  rejectedRows: z.number(),
  rejected: z.array(z.object({ line: z.number(), message: z.string() })),
  note: z.string().nullable(),
  importedByName: z.string().nullable(),
  importedAt: z.string(),
  supersededBy: z.object({ id: z.string(), asOf: z.string() }).nullable().optional(),
  dryRun: z.boolean(),
});

export const EntryView = z.object({
  line: z.number(),
  name: z.string(),
  creditCode: z.string().nullable(),
  idNumber: z.string().nullable(),
  recordNumber: z.string(),
  restrictedFrom: z.string().nullable(),
  restrictedUntil: z.string().nullable(),
  authority: z.string().nullable(),
  reason: z.string().nullable(),
  source: z.string().optional(),
  listName: z.string().optional(),
  asOf: z.string().optional(),
});

export const CheckView = z.object({
  id: z.string(),
  checkedAt: z.string(),
  lotId: z.string().nullable(),
  stage: z.enum(['registration', 'bid', 'award']),
  stageName: z.string(),
  catalogItemCode: z.string(),
  regionCode: z.string(),
  mandatoryTender: z.boolean(),
  law: z.string(),
  parties: z.array(
    z.object({ organizationId: z.string().nullable(), creditCode: z.string().nullable(), name: z.string() }),
  ),
  sources: z.array(
    z.object({
      kind: z.enum(['platform', 'external']),
      importId: z.string().nullable(),
      source: z.string(),
      listKind: z.string().nullable(),
      asOf: z.string().nullable(),
      importedAt: z.string().nullable(),
      rows: z.number().nullable(),
    }),
  ),
  hits: z.array(
    z.object({
      party: z.string(),
      creditCode: z.string().nullable(),
      barring: z.boolean(),
      list: z.string(),
      source: z.string(),
      recordNumber: z.string(),
      recordId: z.string().nullable(),
      period: z.string(),
      citation: z.string(),
    }),
  ),
  barred: z.boolean(),
  reasons: z.array(z.string()),
  requestedBy: z.string().nullable(),
});

export const ScoreRuleView = z.object({
  version: z.number(),
  effectiveFrom: z.string(),
  baseScore: z.number(),
  minScore: z.number(),
  maxScore: z.number(),
  factors: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      weight: z.number(),
      cap: z.number().nullable(),
      windowMonths: z.number(),
    }),
  ),
  note: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});

export const ScoreView = z.object({
  subject: z.object({
    name: z.string().nullable(),
    creditCode: z.string().nullable(),
    organizationId: z.string().nullable(),
  }),
  date: z.string(),
  ruleVersion: z.number(),
  score: z.number(),
  baseScore: z.number(),
  breakdown: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      count: z.number(),
      weight: z.number(),
      points: z.number(),
    }),
  ),
});

export const FactorKindsView = z.object({
  allowed: z.array(z.object({ kind: z.string(), name: z.string() })),
  forbidden: z.array(z.object({ kind: z.string(), name: z.string() })),
  citation: z.string(),
});

export const BanBasesView = z.object({
  items: z.array(
    z.object({
      code: z.string(),
      legalBasis: z.string(),
      restriction: RestrictionKindSchema,
      restrictionName: z.string(),
      minYears: z.number(),
      maxYears: z.number(),
      summary: z.string(),
    }),
  ),
  restrictionKinds: z.array(z.object({ kind: RestrictionKindSchema, name: z.string() })),
  listKinds: z.array(z.object({ kind: ListKindSchema, name: z.string() })),
});

export const pageOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ total: z.number(), items: z.array(item) });
