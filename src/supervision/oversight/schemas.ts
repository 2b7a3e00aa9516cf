import { z } from 'zod';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, '证据文件须以 SHA-256 摘要（64 位小写十六进制）引用');

export const EvidenceInput = z.object({
  sha256: Sha256,
  kind: z.enum(['photo', 'audio', 'video', 'document']),
  filename: z.string().trim().min(1, '请填写文件名').max(255),
});
export type EvidenceInput = z.infer<typeof EvidenceInput>;

export const PersonInput = z.object({
  name: z.string().trim().min(1, '请填写当事人姓名').max(50),
  role: z.enum(['initiator', 'responder', 'intermediary', 'expert', 'other']),
  organization: z.string().trim().max(100).nullable().default(null),
});

export const ViolationInput = z.object({
  lotId: z.string().min(1).max(64),
  venue: z.string().trim().min(1, '请填写发生场所').max(100),
  occurredAt: z.iso.datetime({ offset: true, message: '发生时间须为 ISO 8601 时间' }),
  persons: z.array(PersonInput).min(1, '请至少填写一名当事人').max(20),
  description: z.string().trim().min(1, '请描述违规行为').max(2000),
  ruleBreached: z.string().trim().min(1, '请填写违反的现场管理制度').max(500),
  measure: z.string().trim().min(1, '请填写采取的制止、纠正措施').max(1000),
  corrected: z.boolean(),
  evidence: z.array(EvidenceInput).max(20).default([]),
});
export type ViolationInput = z.infer<typeof ViolationInput>;

export const ReportInput = z.object({
  suspicion: z.string().trim().min(1, '请填写涉嫌违法违规的情形').max(2000),
  /** The responsible regulator, when more than one department's scope covers the project. */
  department: z.string().trim().min(1).max(100).optional(),
  /** More evidence kept for the report (§24: 保存证据). */
  evidence: z.array(EvidenceInput).max(20).default([]),
});
export type ReportInput = z.infer<typeof ReportInput>;

export const FeedbackInput = z.object({
  result: z.string().trim().min(1, '请填写处理结果').max(4000),
  evidence: z.array(EvidenceInput).max(20).default([]),
});
export type FeedbackInput = z.infer<typeof FeedbackInput>;

export const SettingsInput = z.object({
  feedbackWorkingDays: z
    .number()
    .int()
    .min(1, '反馈期限至少 1 个工作日')
    .max(60, '反馈期限不超过 60 个工作日'),
});

export const ViolationListQuery = z.strictObject({
  status: z.enum(['recorded', 'reported', 'acknowledged', 'answered']).optional(),
  lotId: z.string().min(1).max(64).optional(),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const IdParams = z.object({ id: z.string().min(1).max(64) });
export const ProjectParams = z.object({ projectId: z.string().min(1).max(64) });

export const LiveQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(-1).optional(),
  wait: z.coerce.number().int().min(0).max(25).default(20),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const ProgressQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  activeOnly: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

const EvidenceView = z.object({
  sha256: z.string(),
  sm3: z.string(),
  size: z.number(),
  contentType: z.string().nullable(),
  filename: z.string(),
  kind: z.string(),
  kindNameZh: z.string(),
});

export const ReportView = z.object({
  id: z.string(),
  department: z.string(),
  suspicion: z.string(),
  reportedAt: z.string(),
  reportedBy: z.string(),
  timeLimitWorkingDays: z.number(),
  feedbackDueAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  feedback: z.string().nullable(),
  feedbackEvidence: z.array(EvidenceView),
  feedbackAt: z.string().nullable(),
  feedbackBy: z.string().nullable(),
  feedbackLate: z.boolean().nullable(),
  overdue: z.boolean(),
  overdueFlaggedAt: z.string().nullable(),
});

export const ViolationView = z.object({
  id: z.string(),
  lotId: z.string(),
  lotCode: z.string(),
  lotName: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  regionCode: z.string(),
  catalogItemCode: z.string(),
  venue: z.string(),
  occurredAt: z.string(),
  persons: z.array(
    z.object({
      name: z.string(),
      role: z.string(),
      roleNameZh: z.string(),
      organization: z.string().nullable(),
    }),
  ),
  description: z.string(),
  ruleBreached: z.string(),
  measure: z.string(),
  corrected: z.boolean(),
  evidence: z.array(EvidenceView),
  status: z.string(),
  statusNameZh: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
  report: ReportView.nullable(),
  /** For a supervisor: the report is routed to its department. */
  routedToMe: z.boolean(),
  citation: z.string(),
});

export const SettingsView = z.object({
  feedbackWorkingDays: z.number(),
  updatedAt: z.string(),
  note: z.string(),
  citation: z.string(),
});

const EventViewSchema = z.object({
  leafIndex: z.number(),
  eventId: z.number(),
  occurredAt: z.string(),
  action: z.string(),
  actionNameZh: z.string().nullable(),
  entityType: z.string(),
  entityTypeNameZh: z.string().nullable(),
  entityId: z.string(),
  projectId: z.string(),
  projectCode: z.string(),
  projectName: z.string(),
  lotId: z.string().nullable(),
  lotCode: z.string().nullable(),
  lotName: z.string().nullable(),
  actorRole: z.string().nullable(),
  actorOrganizationId: z.string().nullable(),
  citation: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
});

export const LivePageView = z.object({
  items: z.array(EventViewSchema),
  cursor: z.number(),
  department: z.string(),
});

export const TimelineView = z.object({
  project: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    regionCode: z.string(),
    catalogItemCode: z.string(),
    regulator: z.string(),
  }),
  lots: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: z.string(),
      procedureType: z.string(),
      lastEventAt: z.string(),
    }),
  ),
  events: z.array(EventViewSchema),
  truncated: z.boolean(),
});
