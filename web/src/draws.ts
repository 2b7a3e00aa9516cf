/**
 * 专家抽取 (src/trading/draws): the shapes the server answers with and the calls the pages make. Names of
 * drawn experts come back only after the evaluation starts (the requester) or to the supervisor.
 */
import { api } from './api.ts';

export interface DrawVenueInput {
  role: 'host' | 'away';
  regionCode: string;
  name: string;
  seats: number;
}
export interface DrawGroupInput {
  specialtyCode: string;
  count: number;
  venueIndex: number;
}
export interface DrawExclusionInput {
  name: string;
  creditCode?: string;
  reasonCode: '1' | '2' | '3' | '4' | '9';
  reasonText: string;
}
export interface DrawRequestInput {
  evaluationStartsAt: string;
  durationMinutes: number;
  confirmWindowMinutes: number;
  venues: DrawVenueInput[];
  groups: DrawGroupInput[];
  exclusions: DrawExclusionInput[];
}

export interface DrawSummary {
  id: string;
  lotId: string;
  lotCode: string;
  lotName: string;
  projectName: string;
  status: 'requested' | 'drawn' | 'short' | 'cancelled';
  statusNameZh: string;
  evaluationStartsAt: string;
  evaluationEndsAt: string;
  revealed: boolean;
  createdAt: string;
}

export interface FunnelStep {
  rule: string;
  nameZh: string;
  remaining: number;
}

export interface DrawView extends DrawSummary {
  durationMinutes: number;
  confirmWindowMinutes: number;
  venues: (DrawVenueInput & { roomId: string | null })[];
  groups: (DrawGroupInput & {
    venueName: string;
    confirmed: number;
    pending: number;
    declined: number;
    noAnswer: number;
    conflict: number;
  })[];
  exclusions: {
    source: string;
    reasonCode: string;
    reasonNameZh: string;
    reasonText: string;
    name: string;
    creditCode: string | null;
  }[];
  rules: { code: string; nameZh: string; citation: string }[];
  shortfall: {
    round: number;
    groupIndex: number;
    specialtyCode: string;
    needed: number;
    available: number;
    rule: string;
    ruleNameZh: string;
    funnel: FunnelStep[];
  } | null;
  cancelReason: string | null;
  rounds: {
    round: number;
    kind: string;
    kindNameZh: string;
    reason: string | null;
    reasonNameZh: string | null;
    status: string;
    seedCommitment: string;
    listHash: string;
    listSize: number;
    checkpointTreeSize: number | null;
    checkpointRootHash: string | null;
    committedAt: string;
    drawnAt: string | null;
    funnel?: { g: number; steps: FunnelStep[] }[];
    bidders?: { name: string; creditCode: string }[];
  }[];
  assignments:
    | {
        id: string;
        round: number;
        groupIndex: number;
        code: string;
        name: string;
        status: string;
        statusNameZh: string;
        respondBy: string;
        respondedAt: string | null;
        replacedByRound: number | null;
        reason?: string | null;
        employerName?: string | null;
        phoneMasked?: string | null;
        title?: string | null;
      }[]
    | null;
  notifications?: {
    id: string;
    assignmentId: string;
    channel: 'in-app' | 'sms';
    status: string;
    attempts: number;
    lastError: string | null;
    sentAt: string | null;
    message: string;
  }[];
}

export interface MyAssignment {
  id: string;
  drawId: string;
  round: number;
  projectName: string;
  projectCode: string;
  lotName: string;
  lotCode: string;
  specialtyCode: string;
  venue: { name: string; role: string; regionCode: string };
  evaluationStartsAt: string;
  evaluationEndsAt: string;
  respondBy: string;
  status: string;
  statusNameZh: string;
  respondedAt: string | null;
  mayConfirm: boolean;
  mayDecline: boolean;
  mayDeclareConflict: boolean;
}

export const AVOID_REASONS = [
  { code: '1', name: '投标单位' },
  { code: '2', name: '招标单位' },
  { code: '3', name: '主管部门' },
  { code: '4', name: '招标代理机构' },
  { code: '9', name: '其他' },
] as const;

export const NOTICE_STATUS_NAMES_ZH: Record<string, string> = {
  pending: '待发送',
  sent: '已发送',
  failed: '发送失败',
  'not-configured': '未配置短信网关',
};

export const requestDraw = (lotId: string, body: DrawRequestInput) =>
  api.post<DrawView>(`/api/lots/${encodeURIComponent(lotId)}/expert-draws`, body);
export const listLotDraws = (lotId: string) =>
  api.get<{ items: DrawSummary[] }>(`/api/lots/${encodeURIComponent(lotId)}/expert-draws`);
export const listMyDraws = () => api.get<{ items: DrawSummary[] }>('/api/my/expert-draws');
export const getDraw = (id: string) => api.get<DrawView>(`/api/expert-draws/${encodeURIComponent(id)}`);
export const runDraw = (id: string) => api.post<DrawView>(`/api/expert-draws/${encodeURIComponent(id)}/run`);
export const cancelDraw = (id: string, reason: string) =>
  api.post<DrawView>(`/api/expert-draws/${encodeURIComponent(id)}/cancel`, { reason });
export const listMyAssignments = () => api.get<{ items: MyAssignment[] }>('/api/my/expert-assignments');
export const confirmAssignment = (id: string) =>
  api.post<{ id: string; status: string }>(`/api/expert-assignments/${encodeURIComponent(id)}/confirm`, {
    declareNoConflict: true,
  });
export const declineAssignment = (id: string, reason: string) =>
  api.post<{ id: string; status: string }>(`/api/expert-assignments/${encodeURIComponent(id)}/decline`, {
    reason,
  });
export const declareConflict = (id: string, reason: string) =>
  api.post<{ id: string; status: string }>(`/api/expert-assignments/${encodeURIComponent(id)}/conflict`, {
    reason,
  });
export const listSupervisedDraws = () => api.get<{ items: DrawSummary[] }>('/api/supervision/expert-draws');
export const getSupervisedDraw = (id: string) =>
  api.get<DrawView>(`/api/supervision/expert-draws/${encodeURIComponent(id)}`);
export const getDrawRecord = (id: string) =>
  api.get<Record<string, unknown>>(`/api/expert-draws/${encodeURIComponent(id)}/record`);
