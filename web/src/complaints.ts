/**
 * 质疑 · 投诉 (src/supervision/complaints): the shapes the server answers with and the calls the pages make.
 * Every rule — periods, the 异议/质疑 that must come first, the scope of a complaint, who may act — is the
 * server's; the pages show its clocks, its citations and the actions it offers (`actions`).
 */
import { api } from './api.ts';

export type Law = 'works' | 'gp';

export interface MaterialView {
  sha256: string;
  sm3: string;
  size: number;
  filename: string;
  kind: string;
  description: string | null;
}

/** A file chosen in a form: uploaded at once, sent as its SHA-256. */
export interface MaterialForm {
  sha256: string;
  sm3: string | null;
  size: number | null;
  filename: string;
  kind: 'evidence' | 'power-of-attorney' | 'other';
  description: string;
}

export interface PriorView {
  source: string;
  id: string;
  itemNo: number | null;
  stage: string;
  text: string;
  raisedAt: string;
  answerDueAt: string;
  answeredAt: string | null;
  answer: string | null;
}

export interface ClockView {
  key: string;
  name: string;
  dueAt: string | null;
  doneAt: string | null;
  paused: boolean;
  overdue: boolean;
  flaggedAt: string | null;
  citation: string;
}

export interface NoticeView {
  id: string;
  kind: string;
  kindName: string;
  recipientOrganizationId: string;
  recipientRole: string;
  title: string;
  body: string;
  issuedAt: string;
}

export interface PartyView {
  organizationId: string;
  role: string;
  name: string;
}

export interface ComplaintView {
  id: string;
  code: string;
  law: Law;
  lawName: string;
  status: string;
  statusName: string;
  viewer: 'complainant' | 'respondent' | 'related' | 'supervisor';
  lot: {
    id: string;
    code: string;
    name: string;
    projectName: string;
    procedureType: string;
    regionCode: string;
    catalogItemCode: string;
  };
  department: string;
  departmentBasis: string;
  complainant: {
    organizationId: string;
    name: string;
    kind: string;
    kindName: string;
    address: string;
    contactName: string;
    contactPhone: string;
    interest: string | null;
    signatoryName: string;
    signatoryCapacity: string;
  };
  respondents: PartyView[];
  related: PartyView[];
  facts: string;
  requests: string;
  legalBasis: string;
  knownOn: string;
  knownEvidence: string;
  items: {
    no: number;
    stage: string;
    stageName: string;
    matter: string;
    matterName: string;
    text: string;
    arisesFromAnswer: boolean;
    prior: PriorView | null;
  }[];
  materials: MaterialView[];
  receivedAt: string;
  filingDeadline: string;
  duplicateOf: { id: string; code: string } | null;
  clocks: ClockView[];
  pauses: {
    reason: string;
    reasonName: string;
    note: string | null;
    startedAt: string;
    endedAt: string | null;
    excludedWorkingDays: number | null;
  }[];
  suspensions: {
    startedAt: string;
    until: string | null;
    endedAt: string | null;
    reason: string;
    citation: string;
    inForce: boolean;
  }[];
  notAccepted: { reason: string; reasonName: string; text: string; citation: string; at: string } | null;
  correction: {
    requestedAt: string;
    items: string;
    dueAt: string;
    correctedAt: string | null;
    text: string | null;
    materials: MaterialView[];
  } | null;
  explanation: {
    dueAt: string | null;
    submittedAt: string | null;
    text: string | null;
    materials: MaterialView[];
    late: boolean;
  } | null;
  withdrawal: {
    requestedAt: string;
    reason: string;
    decision: string | null;
    decidedAt: string | null;
    refusalReason: string | null;
  } | null;
  decision: {
    outcome: string;
    outcomeName: string;
    reasoning: string;
    handling: string | null;
    legalBasis: string;
    citation: string;
    decidedAt: string;
    late: boolean;
    published: boolean;
  } | null;
  notices: NoticeView[];
  actions: string[];
}

export interface ComplaintSummary {
  id: string;
  code: string;
  law: Law;
  lawName: string;
  status: string;
  statusName: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  complainantName: string;
  department: string;
  receivedAt: string;
  nextDueAt: string | null;
  nextDueName: string | null;
  overdue: boolean;
  suspended: boolean;
}

export interface ChallengeView {
  id: string;
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  stage: string;
  stageName: string;
  step: string;
  organizationId: string;
  organizationName: string;
  contactName: string;
  contactPhone: string;
  knownOn: string;
  knownEvidence: string;
  items: { no: number; matter: string; matterName: string; text: string }[];
  facts: string;
  requests: string;
  legalBasis: string;
  materials: MaterialView[];
  filedAt: string;
  deadlineAt: string;
  answerDueAt: string;
  answer: string | null;
  answerMaterials: MaterialView[];
  answeredAt: string | null;
  answerLate: boolean;
  overdue: boolean;
  complaintDeadline: string;
  citation: string;
}

export interface BasisPrior extends PriorView {
  items: { no: number; matter: string; text: string }[] | null;
  complaintDeadline: string | null;
  complaintOpensAt: string | null;
}

export interface BasisView {
  lot: {
    id: string;
    code: string;
    name: string;
    projectName: string;
    law: Law;
    lawName: string;
    department: string;
    hasAgency: boolean;
  };
  priors: BasisPrior[];
  rules: { text: string; citation: string }[];
}

export interface ComplaintLot {
  id: string;
  code: string;
  name: string;
  projectName: string;
  law: Law;
  lawName: string;
}

export interface PublicDecision {
  id: string;
  code: string;
  law: Law;
  lawName: string;
  department: string;
  projectName: string;
  lotCode: string;
  lotName: string;
  complainantName: string;
  respondents: string[];
  receivedAt: string;
  decidedAt: string;
  items: string[];
  outcome: string;
  outcomeName: string;
  reasoning: string;
  handling: string | null;
  legalBasis: string;
  citation: string;
}

// ---- the law's words (for selects; the server names what it stored) ----

export const MATTERS: { code: string; name: string }[] = [
  { code: 'qualification', name: '资格条件' },
  { code: 'specification', name: '技术、商务要求' },
  { code: 'scoring', name: '评审因素与评分标准' },
  { code: 'procedure', name: '程序与期限' },
  { code: 'evaluation', name: '评标（评审）过程' },
  { code: 'result', name: '中标（成交）结果' },
  { code: 'conduct', name: '其他当事人的违法行为' },
  { code: 'other', name: '其他' },
];

export const STAGES: Record<Law, { code: string; name: string }[]> = {
  works: [
    { code: 'documents', name: '资格预审文件、招标文件（须先异议）' },
    { code: 'opening', name: '开标（须先在开标现场异议）' },
    { code: 'result', name: '评标结果（须先在公示期间异议）' },
    { code: 'other', name: '其他招标投标活动' },
  ],
  gp: [
    { code: 'documents', name: '采购文件' },
    { code: 'process', name: '采购过程' },
    { code: 'result', name: '中标（成交）结果' },
  ],
};

export const SOURCE_NAMES: Record<string, string> = {
  tenders: '对招标（采购）文件的异议/质疑',
  opening: '开标异议',
  awards: '对评标结果的异议',
  challenge: '对采购过程/结果的质疑',
};

export const NOT_ACCEPTED_REASONS: { code: string; name: string }[] = [
  { code: 'not-interested', name: '投诉人不是投标人（供应商）或其他利害关系人' },
  { code: 'no-prior-objection', name: '应当先提出异议（质疑）而未提出' },
  { code: 'out-of-time', name: '超过投诉时效' },
  { code: 'vague', name: '投诉事项不具体，且未提供有效线索，难以查证' },
  { code: 'unsigned', name: '未署具真实姓名、签字和有效联系方式或未加盖公章' },
  { code: 'already-handled', name: '已作出处理决定，并且没有新的证据' },
  { code: 'in-review-or-litigation', name: '已进入行政复议或者行政诉讼程序' },
  { code: 'correction-not-made', name: '未按期补正或者补正后仍不符合规定（政府采购）' },
  { code: 'outside-jurisdiction', name: '不属于本部门管辖（告知有权处理的部门）' },
];

export const OUTCOMES: Record<Law, { code: string; name: string }[]> = {
  works: [
    { code: 'rejected', name: '驳回投诉' },
    { code: 'founded-correct', name: '投诉成立，责令改正' },
    { code: 'founded-redo', name: '投诉成立，责令重新招标（评标）' },
    { code: 'founded-void', name: '投诉成立，认定中标结果无效' },
  ],
  gp: [
    { code: 'rejected', name: '驳回投诉（第二十九条）' },
    { code: 'founded-continue', name: '投诉成立但未影响采购结果，继续开展采购活动' },
    { code: 'founded-redo', name: '重新开展采购活动' },
    { code: 'founded-void', name: '认定中标（成交）结果无效，重新开展采购活动' },
    { code: 'founded-cancel-contract', name: '撤销合同，重新开展采购活动' },
    {
      code: 'founded-other-candidate',
      name: '认定结果无效，另行确定中标（成交）供应商（仅限过程、结果类投诉）',
    },
    { code: 'founded-damages', name: '合同已经履行，依法承担赔偿责任' },
  ],
};

export const PAUSE_REASONS: { code: string; name: string }[] = [
  { code: 'inspection', name: '检验' },
  { code: 'testing', name: '检测' },
  { code: 'appraisal', name: '鉴定' },
  { code: 'expert-review', name: '专家评审' },
];

export const STATUS_FILTERS: { code: string; name: string }[] = [
  { code: 'open', name: '办理中' },
  { code: 'received', name: '受理审查中' },
  { code: 'correction', name: '补正中' },
  { code: 'accepted', name: '调查处理中' },
  { code: 'paused', name: '计时中止' },
  { code: 'decided', name: '已作出处理决定' },
  { code: 'not-accepted', name: '不予受理' },
  { code: 'withdrawn', name: '已撤回' },
  { code: 'terminated', name: '已终止' },
];

export function statusTagType(status: string): 'success' | 'warning' | 'info' | 'danger' | 'primary' {
  if (status === 'decided') return 'success';
  if (status === 'not-accepted' || status === 'terminated' || status === 'withdrawn') return 'info';
  if (status === 'paused' || status === 'correction') return 'warning';
  return 'primary';
}

function materialsOf(list: MaterialForm[]) {
  return list.map((m) => ({
    sha256: m.sha256,
    filename: m.filename,
    kind: m.kind,
    description: m.description.trim() || null,
  }));
}

// ---- the complainant ----

export const listMyComplaints = () => api.get<{ items: ComplaintSummary[] }>('/api/my/complaints');
export const listMyComplaintLots = () => api.get<{ items: ComplaintLot[] }>('/api/my/complaint-lots');
export const getBasis = (lotId: string) => api.get<BasisView>('/api/complaints/basis', { query: { lotId } });
export const getComplaint = (id: string) =>
  api.get<ComplaintView>(`/api/complaints/${encodeURIComponent(id)}`);

export interface ComplaintItemForm {
  stage: string;
  matter: string;
  text: string;
  /** `${source}|${id}` of the prior 异议/质疑, or ''. */
  prior: string;
  itemNo: number | null;
  arisesFromAnswer: boolean;
}

export interface ComplaintForm {
  lotId: string;
  complainantKind: 'bidder' | 'interested-party';
  interest: string;
  address: string;
  contactName: string;
  contactPhone: string;
  signatoryName: string;
  signatoryCapacity: 'legal-representative' | 'authorised-agent';
  respondents: ('initiator' | 'agency')[];
  facts: string;
  requests: string;
  legalBasis: string;
  knownOn: string;
  knownEvidence: string;
  items: ComplaintItemForm[];
  materials: MaterialForm[];
}

export function fileComplaint(form: ComplaintForm) {
  return api.post<ComplaintView>('/api/complaints', {
    lotId: form.lotId,
    complainantKind: form.complainantKind,
    interest: form.complainantKind === 'interested-party' ? form.interest.trim() || null : null,
    address: form.address,
    contactName: form.contactName,
    contactPhone: form.contactPhone,
    signatory: { name: form.signatoryName, capacity: form.signatoryCapacity },
    respondents: form.respondents,
    facts: form.facts,
    requests: form.requests,
    legalBasis: form.legalBasis,
    knownOn: form.knownOn,
    knownEvidence: form.knownEvidence,
    items: form.items.map((i) => {
      const [source, id] = i.prior ? i.prior.split('|') : [];
      return {
        stage: i.stage,
        matter: i.matter,
        text: i.text,
        prior: source && id ? { source, id, itemNo: i.itemNo } : null,
        arisesFromAnswer: i.arisesFromAnswer,
      };
    }),
    materials: materialsOf(form.materials),
  });
}

export const withdrawComplaint = (id: string, reason: string) =>
  api.post<ComplaintView>(`/api/complaints/${encodeURIComponent(id)}/withdraw`, { reason });

export const submitCorrection = (id: string, text: string, materials: MaterialForm[]) =>
  api.post<ComplaintView>(`/api/complaints/${encodeURIComponent(id)}/correction`, {
    text,
    materials: materialsOf(materials),
  });

// ---- 质疑 on the 采购过程 / 结果 (政府采购) ----

export const listMyChallenges = () => api.get<{ items: ChallengeView[] }>('/api/my/challenges');

export interface ChallengeForm {
  lotId: string;
  stage: 'process' | 'result';
  step: string;
  contactName: string;
  contactPhone: string;
  knownOn: string;
  knownEvidence: string;
  items: { matter: string; text: string }[];
  facts: string;
  requests: string;
  legalBasis: string;
  materials: MaterialForm[];
}

export function fileChallenge(form: ChallengeForm) {
  const { lotId, materials, ...rest } = form;
  return api.post<ChallengeView>(`/api/lots/${encodeURIComponent(lotId)}/challenges`, {
    ...rest,
    materials: materialsOf(materials),
  });
}

export const listChallengesToAnswer = () =>
  api.get<{ items: ChallengeView[] }>('/api/my/challenges-to-answer');

export const answerChallenge = (id: string, answer: string, materials: MaterialForm[]) =>
  api.post<ChallengeView>(`/api/challenges/${encodeURIComponent(id)}/answer`, {
    answer,
    materials: materialsOf(materials),
  });

// ---- the respondent ----

export const listReceivedComplaints = () =>
  api.get<{ items: ComplaintSummary[] }>('/api/my/complaints-received');

export const submitExplanation = (id: string, text: string, materials: MaterialForm[]) =>
  api.post<ComplaintView>(`/api/complaints/${encodeURIComponent(id)}/explanation`, {
    text,
    materials: materialsOf(materials),
  });

// ---- the handling department ----

export const listSupervisedComplaints = (status: string) =>
  api.get<{ items: ComplaintSummary[] }>('/api/supervision/complaints', {
    query: { status: status || undefined },
  });

export const supervisorAct = (id: string, step: string, body?: unknown) =>
  api.post<ComplaintView>(`/api/supervision/complaints/${encodeURIComponent(id)}/${step}`, body);

export const relatedCandidates = (id: string) =>
  api.get<{ items: { organizationId: string; name: string }[] }>(
    `/api/supervision/complaints/${encodeURIComponent(id)}/related-candidates`,
  );

// ---- the portal ----

export const listPublicDecisions = (query: { law?: string; q?: string; page: number; pageSize: number }) =>
  api.get<{ items: PublicDecision[]; total: number; page: number; pageSize: number }>(
    '/api/public/complaint-decisions',
    {
      query: {
        law: query.law || undefined,
        q: query.q || undefined,
        page: query.page,
        pageSize: query.pageSize,
      },
    },
  );

export const getPublicDecision = (id: string) =>
  api.get<PublicDecision>(`/api/public/complaint-decisions/${encodeURIComponent(id)}`);
