import { z } from 'zod';

const LEVEL = z.enum(['high', 'medium', 'low']);
const STATUS = z.enum(['new', 'acknowledged', 'investigating', 'concluded', 'fed-back']);
const SUBJECT = z.enum(['lot', 'organization', 'expert']);

export const AlertQuery = z.object({
  status: STATUS.optional(),
  level: LEVEL.optional(),
  rule: z.string().trim().min(1).max(50).optional(),
  lotId: z.string().trim().min(1).max(100).optional(),
  subjectType: SUBJECT.optional(),
  subjectId: z.string().trim().min(1).max(200).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type AlertQuery = z.infer<typeof AlertQuery>;

export const AlertIdParams = z.object({ alertId: z.string().min(1).max(100) });
export const RuleCodeParams = z.object({ code: z.string().min(1).max(50) });

export const StepNoteInput = z.object({
  note: z.string().trim().max(2000, '说明不能超过 2000 个字').optional(),
});
export type StepNoteInput = z.infer<typeof StepNoteInput>;

export const ConcludeInput = z.object({
  finding: z.enum(['founded', 'unfounded'], { error: '请选择核查结论：属实或不属实' }),
  conclusion: z.string().trim().min(2, '请填写办结意见').max(5000, '办结意见不能超过 5000 个字'),
});
export type ConcludeInput = z.infer<typeof ConcludeInput>;

export const FeedbackInput = z.object({
  feedback: z.string().trim().min(2, '请填写反馈交易中心的处理结果').max(5000, '反馈内容不能超过 5000 个字'),
});
export type FeedbackInput = z.infer<typeof FeedbackInput>;

export const RuleChangeInput = z.object({
  enabled: z.boolean(),
  level: LEVEL,
  /** Validated against the rule's own schema in the use case (InvalidInput RULE_THRESHOLD_INVALID). */
  thresholds: z.record(z.string(), z.unknown()),
  reason: z.string().trim().min(2, '请填写调整理由').max(500, '调整理由不能超过 500 个字'),
  /** When the version takes effect (default: now); never in the past. */
  effectiveFrom: z.iso.datetime({ offset: true }).optional(),
});
export type RuleChangeInput = z.infer<typeof RuleChangeInput>;

export const RunInput = z.object({ kind: z.enum(['rules', 'cardinal']) });
export type RunInput = z.infer<typeof RunInput>;

// ------------------------------------------------------------------------------------------ views

export const AlertSummaryView = z.object({
  id: z.string(),
  ruleCode: z.string(),
  ruleVersion: z.number(),
  title: z.string(),
  category: z.string(),
  categoryNameZh: z.string(),
  level: LEVEL,
  levelNameZh: z.string(),
  summary: z.string(),
  subjectType: SUBJECT,
  subjectTypeNameZh: z.string(),
  subjectId: z.string(),
  subjectLabel: z.string(),
  lotId: z.string().nullable(),
  lotCode: z.string().nullable(),
  regionCode: z.string(),
  catalogItemCode: z.string(),
  source: z.string(),
  sourceNameZh: z.string(),
  status: STATUS,
  statusNameZh: z.string(),
  finding: z.enum(['founded', 'unfounded']).nullable(),
  findingNameZh: z.string().nullable(),
  raisedAt: z.string(),
  updatedAt: z.string(),
});

export const AlertDetailView = AlertSummaryView.extend({
  citation: z.string(),
  evidenceKey: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  evidenceSm3: z.string(),
  routedTo: z.array(z.object({ accountId: z.string(), department: z.string() })),
  conclusion: z.string().nullable(),
  feedback: z.string().nullable(),
  ruleVersionDetail: z
    .object({
      version: z.number(),
      enabled: z.boolean(),
      level: LEVEL,
      thresholds: z.record(z.string(), z.unknown()),
      effectiveFrom: z.string(),
      reason: z.string(),
    })
    .nullable(),
  steps: z.array(
    z.object({
      action: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      toStatusNameZh: z.string(),
      accountId: z.string().nullable(),
      department: z.string().nullable(),
      text: z.string().nullable(),
      at: z.string(),
    }),
  ),
});

export const AlertListView = z.object({
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  items: z.array(AlertSummaryView),
});

export const RunView = z.object({
  id: z.string(),
  kind: z.enum(['rules', 'cardinal']),
  kindNameZh: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  statusNameZh: z.string(),
  requestedBy: z.string().nullable(),
  requestedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  processed: z.number(),
  alertsRaised: z.number(),
  error: z.string().nullable(),
});

export const DashboardView = z.object({
  scope: z
    .object({
      department: z.string(),
      regionPrefixes: z.array(z.string()),
      catalogPrefixes: z.array(z.string()),
    })
    .nullable(),
  total: z.number(),
  open: z.number(),
  byLevel: z.array(z.object({ level: LEVEL, nameZh: z.string(), count: z.number() })),
  byStatus: z.array(z.object({ status: STATUS, nameZh: z.string(), count: z.number() })),
  byRule: z.array(z.object({ ruleCode: z.string(), titleZh: z.string(), count: z.number() })),
  follower: z.object({ lastLeafIndex: z.number(), updatedAt: z.string() }),
  recentRuns: z.array(RunView),
});

export const RuleVersionView = z.object({
  id: z.number(),
  code: z.string(),
  version: z.number(),
  enabled: z.boolean(),
  level: LEVEL,
  levelNameZh: z.string(),
  thresholds: z.record(z.string(), z.unknown()),
  effectiveFrom: z.string(),
  changedBy: z.string().nullable(),
  changedByName: z.string().nullable(),
  reason: z.string(),
  createdAt: z.string(),
});

export const RuleView = z.object({
  code: z.string(),
  titleZh: z.string(),
  descriptionZh: z.string(),
  category: z.string(),
  categoryNameZh: z.string(),
  subject: SUBJECT,
  trigger: z.string(),
  citation: z.object({ works: z.string(), gp: z.string() }),
  fields: z.array(
    z.object({
      key: z.string(),
      labelZh: z.string(),
      kind: z.enum(['number', 'integer', 'strings', 'choices', 'map']),
      options: z.array(z.object({ value: z.string(), labelZh: z.string() })).optional(),
      hintZh: z.string().optional(),
    }),
  ),
  defaultThresholds: z.record(z.string(), z.unknown()),
  current: RuleVersionView.nullable(),
  /** A version that takes effect later, if one is scheduled. */
  scheduled: RuleVersionView.nullable(),
});
