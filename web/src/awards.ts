/**
 * 定标 (src/trading/awards): the shapes the server answers with and the calls the pages make. The
 * initiator's page sees the candidates and every objection; a bidder sees only its own result.
 */
import { api } from './api.ts';

export interface AwardCandidate {
  rank: number;
  bidId: string;
  organizationId: string;
  bidderName: string;
  creditCode: string;
  priceYuan: string;
  score: string | null;
  fields: Record<string, string>;
}

export interface AwardObjection {
  id: string;
  seq: number;
  bidderName: string;
  text: string;
  raisedAt: string;
  answerDueAt: string;
  answer: string | null;
  answeredAt: string | null;
  late: boolean;
}

export interface AwardDeadline {
  nameZh: string;
  dueAt: string;
  late?: boolean;
  citation: string;
}

export interface AwardBase {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  law: 'works' | 'gp';
  mandatoryTender: boolean;
  status: string;
  statusNameZh: string;
  reportedAt: string | null;
  publicity: { announcementId: string; publishedAt: string; endsAt: string; objectionChannel: string } | null;
  winner: {
    bidId: string;
    organizationId: string;
    bidderName: string;
    priceYuan: string;
    rank: number | null;
  } | null;
  confirmedAt: string | null;
  deemed: boolean;
  skipReason: { code: string; nameZh: string; text: string } | null;
  notice: {
    issuedAt: string;
    sm3: string;
    resultAnnouncementId: string;
    resultPublicityEndsAt: string;
  } | null;
  failure: { reason: string; nameZh: string; text: string; at: string; announcementId: string } | null;
  deadlines: { first: AwardDeadline | null; notice: AwardDeadline | null; contract: AwardDeadline | null };
}

export interface AwardView extends AwardBase {
  candidates: AwardCandidate[];
  objections: AwardObjection[];
  unansweredObjections: number;
  skipReasons: { code: string; nameZh: string }[];
}

export interface MyAwardView extends Partial<AwardBase> {
  bidId: string;
  statusNameZh: string;
  candidates: AwardCandidate[];
  own: {
    rank: number | null;
    score: string | null;
    rejected: boolean;
    rejectionReason: string | null;
  } | null;
  awarded?: boolean | null;
  noticeAvailable?: boolean;
  objections?: AwardObjection[];
  mayObject?: boolean;
}

export interface AwardNotice {
  notice: {
    text: string;
    winner: { name: string; priceYuan: string };
    issuedAt: string;
    contractDueAt: string;
  };
  noticeJson: string;
  noticeSm3: string;
  signature: { algorithm: 'sm2-sm3'; keyId: string; value: string; publicKeyPem: string | null };
}

export const FAILURE_REASONS = [
  { code: 'evaluation-failed', name: '评标失败（否决全部投标或有效投标不足）' },
  { code: 'all-candidates-declined', name: '中标候选人均放弃中标或不能确定中标人' },
  { code: 'terminated', name: '招标人终止招标（采购）' },
] as const;

const base = (lotId: string) => `/api/lots/${encodeURIComponent(lotId)}`;

export const listMyAwards = () => api.get<{ items: AwardBase[] }>('/api/my/awards');
export const getAward = (lotId: string) => api.get<AwardView>(`${base(lotId)}/award`);
export const publishPublicity = (lotId: string, objectionChannel: string) =>
  api.post<AwardView>(`${base(lotId)}/award/publicity`, { objectionChannel });
export const confirmWinner = (
  lotId: string,
  body: { bidId: string; reasonCode?: string | null; reasonText?: string | null },
) => api.post<AwardView>(`${base(lotId)}/award/confirm`, body);
export const issueNotice = (lotId: string) => api.post<AwardView>(`${base(lotId)}/award/notice`);
export const getNotice = (lotId: string) => api.get<AwardNotice>(`${base(lotId)}/award/notice`);
export const declareFailure = (lotId: string, reason: string, text: string) =>
  api.post<AwardView>(`${base(lotId)}/failure`, { reason, text });
export const answerObjection = (objectionId: string, answer: string) =>
  api.post<{ id: string }>(`/api/award-objections/${encodeURIComponent(objectionId)}/answer`, { answer });
export const getMyAward = (lotId: string) => api.get<MyAwardView>(`${base(lotId)}/my-award`);
export const raiseObjection = (lotId: string, text: string) =>
  api.post<{ id: string; answerDueAt: string }>(`${base(lotId)}/award/objections`, { text });
