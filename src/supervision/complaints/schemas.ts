import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/index.ts';

/**
 * Contracts of the complaints API (质疑 · 投诉 · 处理 · 公告). Every field says what it is, in the words the
 * person filling it reads.
 */

const Text = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`);
const OptionalText = (max: number) => z.string().trim().max(max).nullable().default(null);
const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{5,20}$/, { message: '电话号码只能包含数字、空格和 + - ( )，5–20 位' });
const CalendarDateString = z
  .string()
  .refine((v: string): boolean => isCalendarDate(v), { message: '日期应为 YYYY-MM-DD 格式的有效日期' });
const Sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { message: '应为 64 位小写十六进制 SHA-256 摘要' })
  .describe('文件 SHA-256 摘要（上传 /api/blobs 后得到）');
const Id = z.string().min(1).max(100);

export const MATTERS = [
  'qualification',
  'specification',
  'scoring',
  'procedure',
  'evaluation',
  'result',
  'conduct',
  'other',
] as const;
export const ITEM_STAGES = ['documents', 'opening', 'process', 'result', 'other'] as const;
export const PRIOR_SOURCES = ['tenders', 'opening', 'awards', 'challenge'] as const;
export const NOT_ACCEPTED_REASONS = [
  'not-interested',
  'no-prior-objection',
  'out-of-time',
  'vague',
  'unsigned',
  'already-handled',
  'in-review-or-litigation',
  'correction-not-made',
  'outside-jurisdiction',
] as const;
export const OUTCOMES = [
  'rejected',
  'founded-correct',
  'founded-continue',
  'founded-redo',
  'founded-void',
  'founded-cancel-contract',
  'founded-other-candidate',
  'founded-damages',
] as const;
export const PAUSE_REASONS = ['inspection', 'testing', 'appraisal', 'expert-review'] as const;

export const Matter = z
  .enum(MATTERS)
  .describe(
    '事项类别：qualification 资格条件 · specification 技术商务要求 · scoring 评审因素与标准 · procedure 程序与期限 · evaluation 评审过程 · result 中标（成交）结果 · conduct 其他当事人违法行为 · other 其他',
  );

export const MaterialInput = z.strictObject({
  sha256: Sha256,
  filename: Text(200, '文件名'),
  kind: z
    .enum(['evidence', 'power-of-attorney', 'other'])
    .default('evidence')
    .describe('evidence 证明材料 · power-of-attorney 授权委托书 · other 其他'),
  description: OptionalText(500),
});
export type MaterialInput = z.output<typeof MaterialInput>;
const Materials = z.array(MaterialInput).max(30, '材料不能超过 30 个').default([]);

export const ComplaintItemInput = z.strictObject({
  stage: z
    .enum(ITEM_STAGES)
    .describe(
      '投诉事项所涉环节：documents 招标（采购）文件 · opening 开标 · process 采购过程 · result 评标（中标、成交）结果 · other 其他（工程）',
    ),
  matter: Matter,
  text: Text(2000, '投诉事项'),
  prior: z
    .strictObject({
      source: z
        .enum(PRIOR_SOURCES)
        .describe(
          'tenders 对文件的异议/质疑 · opening 开标异议 · awards 对评标结果的异议 · challenge 对采购过程/结果的质疑',
        ),
      id: Id,
      itemNo: z
        .number()
        .int()
        .min(1)
        .nullable()
        .default(null)
        .describe('质疑事项序号（对采购过程/结果的质疑）'),
    })
    .nullable()
    .default(null)
    .describe('此前提出的异议（质疑）'),
  arisesFromAnswer: z.boolean().default(false).describe('是否基于质疑答复内容提出（94号令第二十条但书）'),
});

export const FileComplaintInput = z.strictObject({
  lotId: Id.describe('所投诉的标段（包）'),
  complainantKind: z
    .enum(['bidder', 'interested-party'])
    .describe('bidder 投标人/供应商 · interested-party 其他利害关系人'),
  interest: OptionalText(2000).describe('其他利害关系人：与项目或招标投标活动的利害关系'),
  address: Text(200, '投诉人地址'),
  contactName: Text(50, '联系人'),
  contactPhone: Phone,
  signatory: z.strictObject({
    name: Text(50, '签署人'),
    capacity: z
      .enum(['legal-representative', 'authorised-agent'])
      .describe(
        'legal-representative 法定代表人（主要负责人） · authorised-agent 授权代表（须附授权委托书）',
      ),
  }),
  respondents: z
    .array(z.enum(['initiator', 'agency']))
    .min(1, '请选择被投诉人')
    .max(2)
    .describe('被投诉人：initiator 招标人（采购人） · agency 招标（采购）代理机构'),
  facts: Text(20_000, '事实和理由'),
  requests: Text(5000, '投诉请求'),
  legalBasis: Text(5000, '法律依据'),
  knownOn: CalendarDateString.describe('知道或者应当知道其权益受到损害之日'),
  knownEvidence: Text(2000, '知道或应当知道之日的依据'),
  items: z.array(ComplaintItemInput).min(1, '请至少填写一项投诉事项').max(20),
  materials: Materials,
});
export type FileComplaintInput = z.output<typeof FileComplaintInput>;

export const ChallengeInput = z.strictObject({
  stage: z.enum(['process', 'result']).describe('process 采购过程 · result 中标（成交）结果'),
  step: Text(200, '所质疑的采购程序环节'),
  contactName: Text(50, '联系人'),
  contactPhone: Phone,
  knownOn: CalendarDateString.describe('知道或者应当知道其权益受到损害之日'),
  knownEvidence: Text(2000, '知道或应当知道之日的依据'),
  items: z
    .array(z.strictObject({ matter: Matter, text: Text(2000, '质疑事项') }))
    .min(1, '请至少填写一项质疑事项')
    .max(20),
  facts: Text(20_000, '事实依据'),
  requests: Text(5000, '质疑请求'),
  legalBasis: Text(5000, '法律依据'),
  materials: Materials,
});
export type ChallengeInput = z.output<typeof ChallengeInput>;

export const ChallengeAnswerInput = z.strictObject({
  answer: Text(20_000, '答复内容'),
  materials: Materials,
});
export type ChallengeAnswerInput = z.output<typeof ChallengeAnswerInput>;

export const RefuseInput = z.strictObject({
  reason: z.enum(NOT_ACCEPTED_REASONS),
  text: Text(2000, '不予受理的理由'),
});
export type RefuseInput = z.output<typeof RefuseInput>;

export const CorrectionRequestInput = z.strictObject({
  items: Text(2000, '需要补正的事项'),
  dueOn: CalendarDateString.describe('补正期限（最后一日）'),
});
export type CorrectionRequestInput = z.output<typeof CorrectionRequestInput>;

export const CorrectionInput = z.strictObject({ text: Text(5000, '补正说明'), materials: Materials });
export type CorrectionInput = z.output<typeof CorrectionInput>;

export const CopiesInput = z.strictObject({
  relatedOrganizationIds: z.array(Id).max(30).default([]).describe('与投诉事项有关的供应商（投标人）'),
});
export type CopiesInput = z.output<typeof CopiesInput>;

export const ExplanationInput = z.strictObject({ text: Text(20_000, '书面说明'), materials: Materials });
export type ExplanationInput = z.output<typeof ExplanationInput>;

export const PauseInput = z.strictObject({
  reason: z
    .enum(PAUSE_REASONS)
    .describe('inspection 检验 · testing 检测 · appraisal 鉴定 · expert-review 专家评审'),
  note: OptionalText(500),
});
export type PauseInput = z.output<typeof PauseInput>;

export const SuspendInput = z.strictObject({
  reason: Text(500, '暂停理由'),
  days: z
    .number()
    .int()
    .min(1)
    .max(365)
    .nullable()
    .default(null)
    .describe('暂停天数；政府采购不超过30日，工程可不填（至通知恢复）'),
});
export type SuspendInput = z.output<typeof SuspendInput>;

export const DecideInput = z.strictObject({
  outcome: z.enum(OUTCOMES),
  reasoning: Text(20_000, '认定的事实和理由'),
  handling: OptionalText(5000).describe('处理意见（责令改正、重新招标等具体要求）'),
  legalBasis: Text(2000, '法律依据'),
});
export type DecideInput = z.output<typeof DecideInput>;

export const WithdrawInput = z.strictObject({ reason: Text(2000, '撤回理由') });
export type WithdrawInput = z.output<typeof WithdrawInput>;

export const WithdrawalDecisionInput = z.strictObject({
  grant: z.boolean(),
  reason: OptionalText(2000).describe('不予准许撤回的理由（已查实有明显违法行为）'),
});
export type WithdrawalDecisionInput = z.output<typeof WithdrawalDecisionInput>;

export const ComplaintParams = z.strictObject({ complaintId: Id });
export const ChallengeParams = z.strictObject({ challengeId: Id });
export const LotParams = z.strictObject({ lotId: Id });

export const ListQuery = z.strictObject({
  status: z
    .enum([
      'received',
      'correction',
      'accepted',
      'paused',
      'not-accepted',
      'decided',
      'withdrawn',
      'terminated',
      'open',
    ])
    .optional(),
});

export const PublicListQuery = z.strictObject({
  law: z.enum(['works', 'gp']).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

// ---- views ----

const MaterialView = z.object({
  sha256: z.string(),
  sm3: z.string(),
  size: z.number(),
  filename: z.string(),
  kind: z.string(),
  description: z.string().nullable(),
});

const PriorView = z.object({
  source: z.string(),
  id: z.string(),
  itemNo: z.number().nullable(),
  stage: z.string(),
  text: z.string(),
  raisedAt: z.string(),
  answerDueAt: z.string(),
  answeredAt: z.string().nullable(),
  answer: z.string().nullable(),
});

export const ClockView = z.object({
  key: z.string(),
  name: z.string(),
  dueAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  paused: z.boolean(),
  overdue: z.boolean(),
  flaggedAt: z.string().nullable(),
  citation: z.string(),
});

const NoticeView = z.object({
  id: z.string(),
  kind: z.string(),
  kindName: z.string(),
  recipientOrganizationId: z.string(),
  recipientRole: z.string(),
  title: z.string(),
  body: z.string(),
  issuedAt: z.string(),
});

const PartyView = z.object({ organizationId: z.string(), role: z.string(), name: z.string() });

export const ComplaintView = z.object({
  id: z.string(),
  code: z.string(),
  law: z.enum(['works', 'gp']),
  lawName: z.string(),
  status: z.string(),
  statusName: z.string(),
  viewer: z.enum(['complainant', 'respondent', 'related', 'supervisor']),
  lot: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    projectName: z.string(),
    procedureType: z.string(),
    regionCode: z.string(),
    catalogItemCode: z.string(),
  }),
  department: z.string(),
  departmentBasis: z.string(),
  complainant: z.object({
    organizationId: z.string(),
    name: z.string(),
    kind: z.string(),
    kindName: z.string(),
    address: z.string(),
    contactName: z.string(),
    contactPhone: z.string(),
    interest: z.string().nullable(),
    signatoryName: z.string(),
    signatoryCapacity: z.string(),
  }),
  respondents: z.array(PartyView),
  related: z.array(PartyView),
  facts: z.string(),
  requests: z.string(),
  legalBasis: z.string(),
  knownOn: z.string(),
  knownEvidence: z.string(),
  items: z.array(
    z.object({
      no: z.number(),
      stage: z.string(),
      stageName: z.string(),
      matter: z.string(),
      matterName: z.string(),
      text: z.string(),
      arisesFromAnswer: z.boolean(),
      prior: PriorView.nullable(),
    }),
  ),
  materials: z.array(MaterialView),
  receivedAt: z.string(),
  filingDeadline: z.string(),
  duplicateOf: z.object({ id: z.string(), code: z.string() }).nullable(),
  clocks: z.array(ClockView),
  pauses: z.array(
    z.object({
      reason: z.string(),
      reasonName: z.string(),
      note: z.string().nullable(),
      startedAt: z.string(),
      endedAt: z.string().nullable(),
      excludedWorkingDays: z.number().nullable(),
    }),
  ),
  suspensions: z.array(
    z.object({
      startedAt: z.string(),
      until: z.string().nullable(),
      endedAt: z.string().nullable(),
      reason: z.string(),
      citation: z.string(),
      inForce: z.boolean(),
    }),
  ),
  notAccepted: z
    .object({
      reason: z.string(),
      reasonName: z.string(),
      text: z.string(),
      citation: z.string(),
      at: z.string(),
    })
    .nullable(),
  correction: z
    .object({
      requestedAt: z.string(),
      items: z.string(),
      dueAt: z.string(),
      correctedAt: z.string().nullable(),
      text: z.string().nullable(),
      materials: z.array(MaterialView),
    })
    .nullable(),
  explanation: z
    .object({
      dueAt: z.string().nullable(),
      submittedAt: z.string().nullable(),
      text: z.string().nullable(),
      materials: z.array(MaterialView),
      late: z.boolean(),
    })
    .nullable(),
  withdrawal: z
    .object({
      requestedAt: z.string(),
      reason: z.string(),
      decision: z.string().nullable(),
      decidedAt: z.string().nullable(),
      refusalReason: z.string().nullable(),
    })
    .nullable(),
  decision: z
    .object({
      outcome: z.string(),
      outcomeName: z.string(),
      reasoning: z.string(),
      handling: z.string().nullable(),
      legalBasis: z.string(),
      citation: z.string(),
      decidedAt: z.string(),
      late: z.boolean(),
      published: z.boolean(),
    })
    .nullable(),
  notices: z.array(NoticeView),
  actions: z.array(z.string()),
});
export type ComplaintView = z.infer<typeof ComplaintView>;

export const ComplaintSummaryView = z.object({
  id: z.string(),
  code: z.string(),
  law: z.string(),
  lawName: z.string(),
  status: z.string(),
  statusName: z.string(),
  lotCode: z.string(),
  lotName: z.string(),
  projectName: z.string(),
  complainantName: z.string(),
  department: z.string(),
  receivedAt: z.string(),
  nextDueAt: z.string().nullable(),
  nextDueName: z.string().nullable(),
  overdue: z.boolean(),
  suspended: z.boolean(),
});
export type ComplaintSummaryView = z.infer<typeof ComplaintSummaryView>;

export const ChallengeView = z.object({
  id: z.string(),
  lotId: z.string(),
  lotCode: z.string(),
  lotName: z.string(),
  projectName: z.string(),
  stage: z.string(),
  stageName: z.string(),
  step: z.string(),
  organizationId: z.string(),
  organizationName: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  knownOn: z.string(),
  knownEvidence: z.string(),
  items: z.array(z.object({ no: z.number(), matter: z.string(), matterName: z.string(), text: z.string() })),
  facts: z.string(),
  requests: z.string(),
  legalBasis: z.string(),
  materials: z.array(MaterialView),
  filedAt: z.string(),
  deadlineAt: z.string(),
  answerDueAt: z.string(),
  answer: z.string().nullable(),
  answerMaterials: z.array(MaterialView),
  answeredAt: z.string().nullable(),
  answerLate: z.boolean(),
  overdue: z.boolean(),
  complaintDeadline: z.string(),
  citation: z.string(),
});
export type ChallengeView = z.infer<typeof ChallengeView>;

export const BasisView = z.object({
  lot: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    projectName: z.string(),
    law: z.string(),
    lawName: z.string(),
    department: z.string(),
    hasAgency: z.boolean(),
  }),
  priors: z.array(
    PriorView.extend({
      items: z.array(z.object({ no: z.number(), matter: z.string(), text: z.string() })).nullable(),
      complaintDeadline: z.string().nullable(),
      complaintOpensAt: z.string().nullable(),
    }),
  ),
  rules: z.array(z.object({ text: z.string(), citation: z.string() })),
});
export type BasisView = z.infer<typeof BasisView>;

export const PublicDecisionView = z.object({
  id: z.string(),
  code: z.string(),
  law: z.string(),
  lawName: z.string(),
  department: z.string(),
  projectName: z.string(),
  lotCode: z.string(),
  lotName: z.string(),
  complainantName: z.string(),
  respondents: z.array(z.string()),
  receivedAt: z.string(),
  decidedAt: z.string(),
  items: z.array(z.string()),
  outcome: z.string(),
  outcomeName: z.string(),
  reasoning: z.string(),
  handling: z.string().nullable(),
  legalBasis: z.string(),
  citation: z.string(),
});
export type PublicDecisionView = z.infer<typeof PublicDecisionView>;
