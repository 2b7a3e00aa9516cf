import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/index.ts';
import { YuanAmount } from '../../platform/money/index.ts';
import { PROCEDURE_TYPES, type ProcedureType } from '../procedures/index.ts';

const Text = (max: number) => z.string().trim().min(1).max(max);

const CalendarDateString = z
  .string()
  .refine((v: string): boolean => isCalendarDate(v), { message: '日期应为 YYYY-MM-DD 格式的有效日期' });

const BlobId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { message: '附件标识应为上传后返回的 SHA-256 值' })
  .nullable()
  .default(null);

export const ProcedureTypeSchema = z.enum(PROCEDURE_TYPES as readonly [ProcedureType, ...ProcedureType[]]);

export const ApprovalDocumentInput = z.strictObject({
  name: Text(200).describe('批准文件名称（APPROVAL_NAME）'),
  number: Text(100).describe('批准文号（APPROVAL_NUMBER）'),
  authority: Text(200).describe('批准机关（APPROVAL_AUTHORITY）'),
  blobId: BlobId.describe('扫描件（先上传到 /api/blobs，填返回的 sha256）'),
});

export const LotInput = z.strictObject({
  name: Text(200).describe('标段（包）名称'),
  procedureType: ProcedureTypeSchema.describe('交易程序（招标/采购方式）'),
  estimateYuan: YuanAmount.describe('标段估算/合同估算价（元）'),
  content: Text(4000).describe('标段（包）内容'),
});
export type LotData = z.output<typeof LotInput>;

const ProjectFields = {
  name: Text(200).describe('项目名称'),
  catalogItemCode: z
    .string()
    .trim()
    .regex(/^[0-9]{4}$/, { message: '交易目录事项编码应为 4 位数字' }),
  mandatoryTender: z.boolean().describe('是否依法必须招标'),
  fundSource: Text(200).describe('资金来源，如 财政资金、国有资金、自筹资金'),
  budgetYuan: YuanAmount.describe('项目预算/投资估算（元）'),
  regionCode: z
    .string()
    .trim()
    .regex(/^[0-9]{6}$/, { message: '行政区划代码应为 6 位数字（GB/T 2260）' }),
  address: Text(300).nullable().default(null),
  approvalDocuments: z.array(ApprovalDocumentInput).max(20).default([]),
  regulator: Text(200).nullable().default(null).describe('行政监督部门（§5）；省略则取交易目录中的监管部门'),
  investmentProjectCode: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z-]{24}$/, { message: '投资项目统一代码应为 24 位' })
    .nullable()
    .default(null),
};

export const ProjectRegistrationBody = z.strictObject({
  ...ProjectFields,
  lots: z.array(LotInput).min(1, { message: '至少登记一个标段（包）' }).max(50),
});
export type ProjectRegistrationInput = z.output<typeof ProjectRegistrationBody>;

/** 补正: the project's own fields (lots are added one by one and keep their codes). */
export const ProjectUpdateBody = z.strictObject(ProjectFields);
export type ProjectUpdateInput = z.output<typeof ProjectUpdateBody>;

export const AuthorisationBody = z
  .strictObject({
    agencyCreditCode: z.string().trim().min(1).max(40).optional().describe('代理机构统一社会信用代码'),
    agencyOrganizationId: z.string().min(1).max(64).optional(),
    documentName: Text(200).describe('委托代理合同/授权委托书名称'),
    documentNumber: Text(100).nullable().default(null),
    documentBlobId: BlobId,
    scope: Text(1000).describe('委托范围'),
    validFrom: CalendarDateString.nullable().default(null).describe('起始日，省略为今日'),
    validUntil: CalendarDateString.nullable().default(null).describe('截止日，省略为项目完成或撤销为止'),
  })
  .refine((b) => Boolean(b.agencyCreditCode) !== Boolean(b.agencyOrganizationId), {
    message: '请填写代理机构统一社会信用代码（agencyCreditCode）或机构标识（agencyOrganizationId）之一',
  });
export type AuthorisationInput = z.output<typeof AuthorisationBody>;

export const RevokeBody = z.strictObject({ reason: Text(1000) });

export const ReceiveBody = z.strictObject({
  reviewedVersion: z.number().int().min(1).describe('核对的登记版本；其后又有修改则受理失败'),
  catalogItemCode: z
    .string()
    .trim()
    .regex(/^[0-9]{4}$/)
    .optional()
    .describe('确认（或更正）交易目录分类；省略为登记时的分类'),
  tradingMode: z.enum(['tender', 'procurement', 'auction', 'listing', 'other']).optional(),
  note: Text(1000).nullable().default(null),
});
export type ReceiveInput = z.output<typeof ReceiveBody>;

export const ReturnBody = z.strictObject({
  reasons: z.array(Text(500)).min(1, { message: '请说明需要补正的内容' }).max(20),
  reviewedVersion: z.number().int().min(1).optional(),
});
export type ReturnInput = z.output<typeof ReturnBody>;

export const ProjectIdParams = z.strictObject({ projectId: z.string().min(1).max(64) });
export const AuthorisationParams = z.strictObject({
  projectId: z.string().min(1).max(64),
  authorisationId: z.string().min(1).max(64),
});

export const ProjectStatusSchema = z.enum(['submitted', 'returned', 'received']);

export const AdminProjectQuery = z.strictObject({
  status: ProjectStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const SplitFlagQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

// ---- responses ----

export const LotView = z.object({
  id: z.string(),
  code: z.string(),
  seq: z.number(),
  name: z.string(),
  procedureType: z.string(),
  procedureName: z.string(),
  estimateYuan: z.string(),
  content: z.string(),
  rulesAsOf: z.string(),
  status: z.string(),
  statusName: z.string(),
});

export const AuthorisationView = z.object({
  id: z.string(),
  agencyOrganizationId: z.string(),
  agencyName: z.string(),
  documentName: z.string(),
  documentNumber: z.string().nullable(),
  documentBlobId: z.string().nullable(),
  scope: z.string(),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  status: z.string(),
  statusName: z.string(),
  current: z.boolean(),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  createdAt: z.string(),
});

export const ProjectView = z.object({
  id: z.string(),
  code: z.string(),
  tenderProjectCode: z.string(),
  name: z.string(),
  catalogItemCode: z.string(),
  catalogItemName: z.string().nullable(),
  tradingMode: z.string().nullable(),
  mandatoryTender: z.boolean(),
  fundSource: z.string(),
  budgetYuan: z.string(),
  region: z.object({ code: z.string(), pathName: z.string() }),
  address: z.string().nullable(),
  approvalDocuments: z.array(
    z.object({ name: z.string(), number: z.string(), authority: z.string(), blobId: z.string().nullable() }),
  ),
  regulator: z.string(),
  investmentProjectCode: z.string().nullable(),
  initiator: z.object({ organizationId: z.string(), name: z.string() }),
  status: z.string(),
  statusName: z.string(),
  returnReasons: z.array(z.string()).nullable(),
  version: z.number(),
  receivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lots: z.array(LotView),
  authorisations: z.array(AuthorisationView),
  /** Whether the caller may edit, add lots, resubmit, authorise (the web app shows buttons by these). */
  permissions: z.object({ edit: z.boolean(), authorise: z.boolean() }),
});

export const ProjectListItem = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  catalogItemCode: z.string(),
  regionCode: z.string(),
  budgetYuan: z.string(),
  initiatorName: z.string(),
  status: z.string(),
  statusName: z.string(),
  lotCount: z.number(),
  version: z.number(),
  agencyName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const SplitFlagView = z.object({
  id: z.number(),
  lotId: z.string(),
  lotCode: z.string(),
  projectId: z.string(),
  initiatorOrganizationId: z.string(),
  initiatorName: z.string(),
  catalogItemCode: z.string(),
  thresholdYuan: z.string(),
  totalYuan: z.string(),
  citation: z.string(),
  windowFrom: z.string(),
  lots: z.array(
    z.object({
      lotId: z.string(),
      lotCode: z.string(),
      lotName: z.string(),
      projectCode: z.string(),
      projectName: z.string(),
      estimateYuan: z.string(),
      rulesAsOf: z.string(),
    }),
  ),
  createdAt: z.string(),
});
