/**
 * 评标评审 (src/trading/evaluation): the shapes the server answers with and the calls the pages make. Every
 * rule is the server's: the pages only show what it says and submit what the person enters.
 */
import { api } from './api.ts';
import { privateKeyFromPem, signText } from './gm/keys.ts';

export type EvaluationMethod = 'lowest-evaluated-price' | 'comprehensive' | 'lowest-price';
export type StepCode = 'qualification' | 'preliminary' | 'detailed';
export type EvaluationStatus =
  | 'unplanned'
  | 'planned'
  | 'committee'
  | 'aggregated'
  | 'reporting'
  | 'reported';

export interface PlanCriterion {
  id: string;
  step: StepCode;
  name: string;
  kind: 'pass-fail' | 'scored';
  min: number | null;
  max: number | null;
  objective: boolean;
  ground: string | null;
}

export interface EvaluationPlan {
  method: EvaluationMethod;
  criteria: PlanCriterion[];
  priceWeight: number | null;
  abnormalLowPercent: number;
  candidateCount: number;
}

export interface CodeName {
  code: string;
  nameZh: string;
}

export interface ReferenceLists {
  rejectionGrounds: CodeName[];
  rejectionCitation: string;
  correctionRules: { code: string; nameZh: string }[];
  afterAggregationGrounds: CodeName[];
  methods: CodeName[];
}

export interface EvaluationMember {
  id: string;
  seq: number;
  name: string;
  kind: 'expert' | 'initiator-representative';
  kindNameZh: string;
  status: 'active' | 'replaced';
  replacedReason: string | null;
  isChair: boolean;
  venueRole: 'host' | 'away';
  venueName: string;
  signedInAt: string | null;
  late: boolean;
  declaredAt: string | null;
  hasVoted: boolean;
  leftAt: string | null;
  submittedSteps: StepCode[];
}

export interface StepProgress {
  step: StepCode;
  nameZh: string;
  complete: boolean;
  submitted: number;
  members: number;
}

export interface EvaluationBidder {
  bidId: string;
  seq: number;
  bidderName: string;
  creditCode: string;
  openedPriceYuan: string | null;
  priceYuan: string | null;
  abnormallyLow: boolean;
  underReview: boolean;
  rejection: { ground: string; groundNameZh: string; reason: string } | null;
}

export interface Clarification {
  id: string;
  lotId: string;
  lotCode: string | null;
  lotName: string | null;
  projectName: string | null;
  bidId: string;
  kind: 'general' | 'abnormally-low' | 'price-correction';
  kindNameZh: string;
  question: string;
  dueAt: string;
  askedAt: string;
  answer: string | null;
  answeredAt: string | null;
  notice: string;
}

export interface SnapshotBidder {
  bidId: string;
  seq: number;
  bidderName: string;
  creditCode: string;
  openedPriceYuan: string | null;
  priceYuan: string | null;
  abnormallyLow: boolean;
  rejected: boolean;
  rejectionGroundNameZh: string | null;
  rejectionReason: string | null;
  priceScore: string | null;
  score: string | null;
  rank: number | null;
  memberTotals: { memberId: string; score: string }[];
}

export interface AggregationSnapshot {
  failed: boolean;
  failedReason: string | null;
  candidates: string[];
  ranking: string[];
  bidders: SnapshotBidder[];
}

export interface ReportView {
  id: string;
  sm3: string;
  signingText: string;
  generatedAt: string;
  signingUntil: string;
  completedAt: string | null;
  pdfSha256: string | null;
  pdfSm3: string | null;
  pdfSize: number | null;
  signatures: {
    memberId: string;
    name: string;
    kind: string;
    kindNameZh: string;
    text: string | null;
    certificateFingerprint: string | null;
    signedAt: string;
  }[];
}

export interface OrganiserView {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  procedureType: string;
  estimateYuan: string;
  bidDeadline: string | null;
  planEditable: boolean;
  reference: ReferenceLists;
  status: EvaluationStatus;
  statusNameZh: string;
  plan: EvaluationPlan | null;
  methodNameZh?: string;
  planSm3?: string;
  evaluationStartsAt?: string | null;
  members?: EvaluationMember[];
  steps?: StepProgress[];
  bidders?: EvaluationBidder[];
  priceCorrections?: {
    id: string;
    bidId: string;
    originalYuan: string;
    correctedYuan: string;
    rule: string;
    reason: string;
  }[];
  clarifications?: Clarification[];
  aggregation?: AggregationSnapshot | null;
  report?: ReportView | null;
}

export interface MemberStep {
  step: StepCode;
  nameZh: string;
  criteria: PlanCriterion[];
  submitted: boolean;
  complete: boolean;
  open: boolean;
  bids: string[];
}

export interface MemberView {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  status: EvaluationStatus;
  statusNameZh: string;
  methodNameZh: string;
  law: 'works' | 'gp';
  priceWeight: number | null;
  evaluationStartsAt: string | null;
  me: {
    memberId: string;
    name: string;
    kind: 'expert' | 'initiator-representative';
    venueRole: 'host' | 'away';
    venueName: string;
    assignmentId: string | null;
    signedInAt: string | null;
    late: boolean;
    declaredAt: string | null;
    votedFor: string | null;
    isChair: boolean;
    leftAt: string | null;
  };
  chairMemberId: string | null;
  members: { id: string; seq: number; name: string; kindNameZh: string; mayChair: boolean }[];
  bidders: EvaluationBidder[];
  steps: MemberStep[];
  clarifications: Clarification[];
  reference: ReferenceLists;
  aggregation: AggregationSnapshot | null;
  report: ReportView | null;
  signingMinutes: number;
}

export interface EvaluationTask {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  status: EvaluationStatus;
  statusNameZh: string;
  memberStatus: 'active' | 'replaced';
  evaluationStartsAt: string | null;
  venueName: string;
  isChair: boolean;
}

export interface OrganisedEvaluation {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  statusNameZh: string;
  methodNameZh: string;
}

export interface SheetItem {
  bidId: string;
  criterionId: string;
  passed?: boolean | null;
  score?: number | null;
  reason?: string | null;
}

export interface StepScores {
  step: StepCode;
  complete: boolean;
  submitted: number;
  members: number;
  sheets: {
    memberId: string;
    name: string;
    items: {
      bidId: string;
      criterionId: string;
      passed: boolean | null;
      score: string | null;
      reason: string | null;
    }[];
  }[];
}

export interface CompositionCheck {
  experts: number;
  representatives: number;
  revealed: boolean;
  problems: { code: string; message: string; citation: string }[];
}

const lot = (lotId: string, rest = '') => `/api/lots/${encodeURIComponent(lotId)}/evaluation${rest}`;

export const STEP_NAMES_ZH: Record<StepCode, string> = {
  qualification: '资格审查',
  preliminary: '初步评审',
  detailed: '详细评审',
};

// 评标组织 (招标人/代理机构)
export const listOrganisedEvaluations = () =>
  api.get<{ items: OrganisedEvaluation[] }>('/api/my/organised-evaluations');
export const getOrganiserView = (lotId: string) => api.get<OrganiserView>(lot(lotId));
export const savePlan = (lotId: string, plan: EvaluationPlan) =>
  api.put<{ planSm3: string }>(lot(lotId, '/plan'), plan);
export const listRepresentativeCandidates = (lotId: string) =>
  api.get<{ items: { accountId: string; displayName: string; username: string }[] }>(
    lot(lotId, '/representative-candidates'),
  );
export const checkCommittee = (lotId: string, representativeAccountIds: string[]) =>
  api.post<CompositionCheck>(lot(lotId, '/committee/check'), { representativeAccountIds });
export const formCommittee = (lotId: string, representativeAccountIds: string[]) =>
  api.post<{ members: number }>(lot(lotId, '/committee'), { representativeAccountIds });
export const syncCommittee = (lotId: string) =>
  api.post<{ left: number; joined: number }>(lot(lotId, '/committee/sync'));
export const reportPdfUrl = (lotId: string) => lot(lotId, '/report.pdf');

// 评标委员会成员
export const listMyEvaluations = () => api.get<{ items: EvaluationTask[] }>('/api/my/evaluations');
export const getMemberView = (lotId: string) => api.get<MemberView>(lot(lotId, '/member'));
export const signInEvaluation = (lotId: string) => api.post<{ late: boolean }>(lot(lotId, '/sign-in'));
export const declareNoConflict = (lotId: string) =>
  api.post(lot(lotId, '/declaration'), { declareNoConflict: true });
export const voteChair = (lotId: string, memberId: string) =>
  api.post<{ elected: boolean; votes: number; members: number }>(lot(lotId, '/chair-votes'), { memberId });
export const leaveEvaluation = (lotId: string, reason: string) => api.post(lot(lotId, '/leave'), { reason });
export const submitSheet = (lotId: string, step: StepCode, items: SheetItem[]) =>
  api.post<{ stepComplete: boolean }>(lot(lotId, `/steps/${step}/sheet`), { items });
export const getStepScores = (lotId: string, step: StepCode) =>
  api.get<StepScores>(lot(lotId, `/steps/${step}/scores`));
export const recordPriceCorrection = (
  lotId: string,
  body: { bidId: string; correctedPriceYuan: string; rule: string; reason: string; dueAt: string },
) => api.post(lot(lotId, '/price-corrections'), body);
export const rejectBid = (lotId: string, body: { bidId: string; ground: string; reason: string }) =>
  api.post(lot(lotId, '/rejections'), body);
export const askClarification = (
  lotId: string,
  body: { bidId: string; kind: 'general' | 'abnormally-low'; question: string; dueAt: string },
) => api.post(lot(lotId, '/clarifications'), body);
export const aggregateEvaluation = (lotId: string) => api.post<AggregationSnapshot>(lot(lotId, '/aggregate'));
export const correctScore = (
  lotId: string,
  body: {
    memberId: string;
    bidId: string;
    criterionId: string;
    ground: string;
    reason: string;
    score?: number;
    passed?: boolean;
  },
) => api.post<AggregationSnapshot>(lot(lotId, '/corrections'), body);
export const generateReport = (lotId: string) => api.post<{ reportSm3: string }>(lot(lotId, '/report'));

/** 签署评标报告 with the signing key file chosen in the browser (the key never leaves the browser). */
export function signReportWithKey(
  lotId: string,
  signingText: string,
  signKeyPem: string,
  dissent: string | null,
): Promise<unknown> {
  const signature = signText(privateKeyFromPem(signKeyPem), signingText);
  return api.post(lot(lotId, '/report/signatures'), {
    decision: dissent ? 'dissent' : 'sign',
    signature,
    ...(dissent ? { text: dissent } : {}),
  });
}
export const refuseReport = (lotId: string, text: string) =>
  api.post(lot(lotId, '/report/signatures'), { decision: 'refuse', text });

// 投标人
export const listMyClarifications = () =>
  api.get<{ items: Clarification[] }>('/api/my/evaluation-clarifications');
export const answerClarification = (id: string, answer: string) =>
  api.post(`/api/evaluation-clarifications/${encodeURIComponent(id)}/answer`, { answer });
