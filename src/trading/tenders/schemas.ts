import { z } from 'zod';
import { YuanAmount } from '../../platform/money/index.ts';
import { ANNOUNCEMENT_KINDS, type AnnouncementKind } from './deps.ts';

/**
 * Contracts of the tenders API (公告、招标文件、澄清、下载、异议、门户). The web app's pages are built from
 * these (via the OpenAPI document): every field says what it is, in the words a user reads.
 */

const Instant = z.iso
  .datetime({ offset: true, message: '时间应为 ISO 8601 格式，带时区，如 2026-03-20T09:30:00+08:00' })
  .transform((v) => new Date(v));
const InstantOut = z.string().describe('ISO 8601 UTC 时间');
const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { message: '应为 64 位小写十六进制 SHA-256 摘要' })
  .describe('文件 SHA-256 摘要（上传 /api/blobs 后得到）');
const Sm3Hex = z.string().describe('SM3 摘要，小写十六进制');

/**
 * Plain text (公告正文): kept exactly as written — never interpreted as markup anywhere; the web shows it
 * escaped. Control characters other than line breaks and tabs are refused.
 */
const PlainText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !hasControlCharacter(v), { message: '不能包含控制字符' });

/** C0 controls and DEL, except tab, line feed and carriage return. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f) return true;
  }
  return false;
}

export const AnnouncementKindSchema = z
  .enum(ANNOUNCEMENT_KINDS as [AnnouncementKind, ...AnnouncementKind[]])
  .describe(
    '公告类型：tender 招标公告 · prequalification 资格预审公告 · invitation 投标邀请书 · change 变更/澄清公告 · termination 终止公告 · procurement 采购公告 · correction 更正公告 · candidates 中标候选人公示 · result 结果公告 · contract 合同公告 · single-source-notice 单一来源公示',
  );

export const TimelineInput = z
  .strictObject({
    documentsFrom: Instant.describe('招标文件发售（获取）开始时间'),
    documentsUntil: Instant.describe('招标文件发售（获取）截止时间'),
    bidDeadline: Instant.describe('投标截止时间'),
    openingAt: Instant.describe('开标时间'),
  })
  .describe('招标/采购公告的时间安排，发布时按法定时限校验');
export type TimelineInputData = z.output<typeof TimelineInput>;

/** 统一社会信用代码 as typed (spaces and case forgiven); the check digit and the registry are checked by the use case. */
const CreditCodeInput = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-Z]{18}$/, { message: '统一社会信用代码应为18位数字或大写字母' })
  .describe('统一社会信用代码');
const InviteesInput = z
  .array(CreditCodeInput)
  .max(200)
  .describe('投标邀请书的受邀单位（统一社会信用代码，须为已受理的投标人/供应商，不少于3家）');

export const AttachmentInput = z.strictObject({
  sha256: Sha256,
  filename: z.string().trim().min(1).max(200).describe('附件文件名'),
});

export const AnnouncementDraftBody = z
  .strictObject({
    kind: AnnouncementKindSchema,
    title: PlainText(200).pipe(z.string().trim().min(1)).describe('公告标题（纯文本）'),
    body: PlainText(50_000)
      .pipe(z.string().trim().min(1))
      .describe('公告正文（纯文本，原样保存，页面转义显示）'),
    timeline: TimelineInput.optional().describe('招标公告/采购公告/投标邀请书必填'),
    depositYuan: YuanAmount.optional().describe('投标保证金（元），不超过估算价/预算的2%；不收取则不填'),
    attachments: z.array(AttachmentInput).max(50).default([]).describe('附件'),
    linkedTo: z.string().min(1).max(64).optional().describe('变更/更正/终止公告所针对的原公告编号'),
    invitees: InviteesInput.optional().describe('投标邀请书必填：受邀单位的统一社会信用代码，不少于3家'),
  })
  .describe('公告草稿');
export type AnnouncementDraftInput = z.output<typeof AnnouncementDraftBody>;

export const AnnouncementUpdateBody = z
  .strictObject({
    title: PlainText(200).pipe(z.string().trim().min(1)).optional(),
    body: PlainText(50_000).pipe(z.string().trim().min(1)).optional(),
    timeline: TimelineInput.optional(),
    depositYuan: YuanAmount.nullable().optional().describe('投标保证金（元）；null 表示不收取'),
    attachments: z.array(AttachmentInput).max(50).optional(),
    invitees: InviteesInput.optional().describe('投标邀请书的受邀单位（整体替换）'),
  })
  .describe('修改公告草稿（已发布的公告不可修改，变更须发布变更公告）');
export type AnnouncementUpdateInput = z.output<typeof AnnouncementUpdateBody>;

export const AttachmentView = z.object({
  sha256: z.string(),
  sm3: Sm3Hex,
  size: z.number().int().describe('字节数'),
  filename: z.string(),
});

export const TimelineView = z
  .object({
    documentsFrom: InstantOut.describe('招标文件发售开始'),
    documentsUntil: InstantOut.describe('招标文件发售截止'),
    bidDeadline: InstantOut.describe('投标截止'),
    openingAt: InstantOut.describe('开标时间'),
  })
  .describe('公告载明的时间安排');

export const AnnouncementView = z
  .object({
    id: z.string(),
    lotId: z.string(),
    lotCode: z.string().describe('标段（包）编号'),
    lotName: z.string(),
    projectName: z.string(),
    kind: AnnouncementKindSchema,
    kindNameZh: z.string(),
    status: z.enum(['draft', 'published']).describe('draft 草稿 · published 已发布（不可修改）'),
    title: z.string(),
    body: z.string().describe('纯文本'),
    timeline: TimelineView.nullable(),
    depositYuan: z.string().nullable().describe('投标保证金（元）；null 表示不收取'),
    attachments: z.array(AttachmentView),
    linkedTo: z.string().nullable(),
    invitees: z.array(z.string()).describe('投标邀请书的受邀单位（统一社会信用代码）；其他公告为空'),
    categoryCode: z.string().describe('交易目录类别'),
    catalogItemCode: z.string(),
    regionCode: z.string(),
    createdAt: InstantOut,
    updatedAt: InstantOut,
    publishedAt: InstantOut.nullable(),
    contentSm3: Sm3Hex.nullable().describe('规范化公告内容的 SM3 摘要'),
    signature: z.string().nullable().describe('平台 SM2 签名（DER，十六进制）'),
    keyId: z.string().nullable().describe('签名公钥标识'),
  })
  .describe('公告');

export const RuleProblemView = z.object({
  code: z.string(),
  title: z.string(),
  detail: z.string().optional(),
  citation: z.string().optional(),
});

export const AnnouncementCheckView = z
  .object({ ok: z.boolean(), problems: z.array(RuleProblemView) })
  .describe('发布前校验结果：不符合的规则及其法律依据');

export const LotTimelineView = z
  .object({
    lotId: z.string(),
    lotCode: z.string(),
    procedureType: z.string(),
    rulesAsOf: z.string().describe('适用法规的日期（登记日）'),
    publishedAt: InstantOut,
    documentsFrom: InstantOut,
    documentsUntil: InstantOut,
    bidDeadline: InstantOut,
    openingAt: InstantOut,
    objectionUntil: InstantOut.nullable().describe('对招标文件提出异议的截止时间'),
    objectionCitation: z.string().nullable(),
    depositYuan: z.string().nullable().describe('投标保证金（元）'),
    status: z.enum([
      'scheduled',
      'documents-open',
      'documents-closed',
      'bids-closed',
      'opening',
      'terminated',
    ]),
    statusNameZh: z.string(),
    suspended: z.boolean().describe('因异议未答复而暂停'),
    terminatedAt: InstantOut.nullable(),
  })
  .describe('标段时间安排与进度（平台计算，各方可见）');

export const DocumentUploadBody = z
  .strictObject({
    sha256: Sha256,
    filename: z.string().trim().min(1).max(200).describe('招标文件文件名'),
    note: PlainText(2000).optional().describe('说明'),
  })
  .describe('上传招标文件（首个版本；发布公告后的修改须通过澄清/修改）');

export const DocumentVersionView = z.object({
  version: z.number().int(),
  sha256: z.string(),
  sm3: Sm3Hex,
  size: z.number().int(),
  filename: z.string(),
  note: z.string().nullable(),
  clarificationId: z.string().nullable(),
  uploadedAt: InstantOut,
});

export const DocumentsView = z
  .object({
    versions: z.array(DocumentVersionView),
    downloadedByMe: z.boolean().describe('本单位是否已获取招标文件（仅投标人可见本单位记录）'),
  })
  .describe('招标文件各版本');

export const ClarificationBody = z
  .strictObject({
    content: PlainText(20_000).pipe(z.string().trim().min(1)).describe('澄清或修改的内容'),
    affectsPreparation: z.boolean().describe('是否可能影响投标文件编制'),
    document: DocumentUploadBody.optional().describe('修改后的招标文件（新版本）'),
    postponeBidDeadlineTo: Instant.optional().describe('自愿延长的投标截止时间（不得早于法定顺延时间）'),
  })
  .describe('澄清/修改招标文件');
export type ClarificationInput = z.output<typeof ClarificationBody>;

export const ClarificationView = z.object({
  id: z.string(),
  content: z.string(),
  affectsPreparation: z.boolean(),
  issuedAt: InstantOut,
  documentVersion: z.number().int().nullable(),
  previousBidDeadline: InstantOut,
  newBidDeadline: InstantOut,
  postponed: z.boolean().describe('投标截止时间是否顺延'),
  ruleCitation: z.string(),
  changeAnnouncementId: z.string().nullable().describe('随之发布的变更公告'),
});

export const DownloaderView = z.object({
  organizationId: z.string(),
  organizationName: z.string(),
  documentVersion: z.number().int(),
  downloadedAt: InstantOut,
});

export const DownloadersView = z
  .object({ count: z.number().int(), items: z.array(DownloaderView) })
  .describe('获取招标文件的单位（开标后方可查看）');

export const ObjectionBody = z
  .strictObject({ content: PlainText(20_000).pipe(z.string().trim().min(1)).describe('异议内容') })
  .describe('对招标文件提出异议');

export const ObjectionAnswerBody = z
  .strictObject({
    answer: PlainText(20_000).pipe(z.string().trim().min(1)).describe('答复内容'),
    clarification: ClarificationBody.optional().describe('答复需要修改招标文件时，随答复发出的澄清/修改'),
  })
  .describe('答复异议');
export type ObjectionAnswerInput = z.output<typeof ObjectionAnswerBody>;

export const ObjectionView = z.object({
  id: z.string(),
  lotId: z.string(),
  organizationName: z.string().describe('异议人'),
  content: z.string(),
  filedAt: InstantOut,
  answerDueAt: InstantOut.describe('应答复期限（收到异议之日起3日内）'),
  status: z.enum(['pending', 'answered']).describe('pending 待答复 · answered 已答复'),
  answer: z.string().nullable(),
  answeredAt: InstantOut.nullable(),
  changesDocuments: z.boolean(),
  clarificationId: z.string().nullable(),
  overdue: z.boolean().describe('是否已逾期未答复'),
});

export const NotificationView = z.object({
  id: z.string(),
  lotId: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  referenceId: z.string().nullable(),
  createdAt: InstantOut,
});

export const InvitationView = z
  .object({
    organizationName: z.string(),
    creditCode: z.string().describe('统一社会信用代码'),
    announcementId: z.string().describe('投标邀请书'),
    invitedAt: InstantOut,
  })
  .describe('受邀单位（招标人/代理机构可见；是否获取招标文件开标前仍保密）');

export const MyInvitationView = z
  .object({
    lotId: z.string(),
    lotCode: z.string().describe('标段（包）编号'),
    lotName: z.string(),
    projectName: z.string(),
    invitationId: z.string().describe('投标邀请书'),
    title: z.string().describe('投标邀请书标题'),
    invitedAt: InstantOut,
    timeline: LotTimelineView,
  })
  .describe('本单位受邀参加的标段（包）');

// ---- portal ----

export const PublicAnnouncementQuery = z
  .strictObject({
    kind: AnnouncementKindSchema.optional(),
    category: z
      .string()
      .regex(/^[0-9]{2}$/, { message: '交易目录类别为两位数字' })
      .optional()
      .describe('交易目录类别 01–09'),
    region: z
      .string()
      .regex(/^[0-9]{6}$/, { message: '行政区划代码为 6 位数字' })
      .optional()
      .describe('行政区划代码（GB/T 2260；盟市、旗县级均可，含下级）'),
    from: Instant.optional().describe('发布时间起'),
    until: Instant.optional().describe('发布时间止'),
    keyword: z.string().trim().min(1).max(100).optional().describe('关键词（中文分词全文检索）'),
    cursor: z.string().max(200).optional().describe('上一页返回的 nextCursor'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .describe('公告列表查询');

export const PublicAnnouncementListItem = z.object({
  id: z.string(),
  kind: AnnouncementKindSchema,
  kindNameZh: z.string(),
  title: z.string(),
  lotCode: z.string(),
  lotName: z.string(),
  projectName: z.string(),
  categoryCode: z.string(),
  catalogItemCode: z.string(),
  regionCode: z.string(),
  publishedAt: InstantOut,
  linkedTo: z.string().nullable(),
  contentSm3: Sm3Hex,
});

export const PublicAnnouncementList = z.object({
  items: z.array(PublicAnnouncementListItem),
  nextCursor: z.string().nullable().describe('下一页游标；null 表示没有更多'),
});

export const LinkedAnnouncementView = z.object({
  id: z.string(),
  kind: AnnouncementKindSchema,
  kindNameZh: z.string(),
  title: z.string(),
  publishedAt: InstantOut,
});

export const PublicAnnouncementDetail = z
  .object({
    id: z.string(),
    kind: AnnouncementKindSchema,
    kindNameZh: z.string(),
    title: z.string(),
    body: z.string().describe('纯文本，须转义显示'),
    lotId: z.string().describe('标段（包）标识，获取文件、提出异议用'),
    lotCode: z.string(),
    lotName: z.string(),
    projectName: z.string(),
    procedureType: z
      .string()
      .describe('交易方式；listing、auction、online-bidding（挂牌、拍卖、网络竞价）的项目见竞价交易'),
    categoryCode: z.string(),
    catalogItemCode: z.string(),
    regionCode: z.string(),
    publishedAt: InstantOut,
    timeline: TimelineView.nullable(),
    depositYuan: z.string().nullable().describe('投标保证金（元）；null 表示不收取'),
    attachments: z.array(AttachmentView),
    linkedTo: LinkedAnnouncementView.nullable().describe('本公告变更/更正/终止的原公告'),
    changes: z.array(LinkedAnnouncementView).describe('针对本公告发布的变更/更正/终止公告'),
    canonicalJson: z.string().describe('被签名的规范化内容（UTF-8 JSON）'),
    contentSm3: Sm3Hex,
    signature: z.string().describe('平台 SM2 签名（DER，十六进制；签名用户标识 1234567812345678）'),
    keyId: z.string().describe('平台签名公钥标识，公钥见 /api/witness/public-key'),
  })
  .describe('公告详情（含附件、摘要与签名）');

export const VerifyCopyBody = z
  .strictObject({
    text: z.string().max(100_000).optional().describe('粘贴的公告文字（标题+正文或仅正文；忽略空白差异）'),
    canonicalJson: z.string().max(200_000).optional().describe('公告的规范化 JSON'),
    sm3: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, { message: 'SM3 摘要应为 64 位十六进制' })
      .optional()
      .describe('公告内容 SM3 摘要'),
  })
  .refine((v) => v.text !== undefined || v.canonicalJson !== undefined || v.sm3 !== undefined, {
    message: '请提供公告文字、规范化 JSON 或 SM3 摘要之一',
  })
  .describe('核验公告副本');
export type VerifyCopyInput = z.output<typeof VerifyCopyBody>;

export const VerifyCopyResult = z
  .object({
    matches: z.boolean().describe('是否与平台发布的公告一致'),
    matchedBy: z
      .enum(['canonical-json', 'sm3', 'text', 'body-text'])
      .nullable()
      .describe('一致的依据：规范化 JSON · 摘要 · 标题和正文 · 正文'),
    announcement: LinkedAnnouncementView.extend({ lotCode: z.string(), contentSm3: Sm3Hex }).nullable(),
    signatureValid: z.boolean().nullable().describe('平台签名是否有效（找到公告时）'),
    message: z.string().describe('核验结论'),
  })
  .describe('核验结果');

export const LotIdParams = z.strictObject({ lotId: z.string().min(1).max(64) });
export const AnnouncementParams = z.strictObject({
  lotId: z.string().min(1).max(64),
  announcementId: z.string().min(1).max(64),
});
export const ObjectionParams = z.strictObject({
  lotId: z.string().min(1).max(64),
  objectionId: z.string().min(1).max(64),
});
export const PublicAnnouncementParams = z.strictObject({ announcementId: z.string().min(1).max(64) });
export const AttachmentParams = z.strictObject({
  announcementId: z.string().min(1).max(64),
  index: z.coerce.number().int().min(0).max(49),
});
