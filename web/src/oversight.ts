/**
 * 实时监督、现场管理、监管范围、权责清单 — the shapes the server answers with (src/supervision/oversight,
 * src/supervision/duties, src/supervision/scopes) and the calls the pages make.
 */
import { api } from './api.ts';

// ---- 实时监督 ----

export interface WitnessEventView {
  leafIndex: number;
  eventId: number;
  occurredAt: string;
  action: string;
  actionNameZh: string | null;
  entityType: string;
  entityTypeNameZh: string | null;
  entityId: string;
  projectId: string;
  projectCode: string;
  projectName: string;
  lotId: string | null;
  lotCode: string | null;
  lotName: string | null;
  actorRole: string | null;
  actorOrganizationId: string | null;
  citation: string | null;
  payload: Record<string, unknown>;
}

export interface LivePage {
  items: WitnessEventView[];
  cursor: number;
  department: string;
}

export interface LotProgress {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectId: string;
  projectCode: string;
  projectName: string;
  regionCode: string;
  catalogItemCode: string;
  procedureType: string;
  procedureNameZh: string;
  stageNameZh: string;
  finished: boolean;
  timeline: {
    status: string;
    statusNameZh: string;
    bidDeadline: string;
    openingAt: string;
    suspended: boolean;
  } | null;
  opening: {
    state: string;
    stateNameZh: string;
    paused: boolean;
    recordPublishedAt: string | null;
    bidsInRecord: number | null;
  } | null;
  evaluation: {
    status: string;
    statusNameZh: string;
    failed: boolean;
    failedReason: string | null;
    candidates: number | null;
    stepsCompleted: number;
    sheetsSubmitted: number;
  } | null;
  award: { status: string; statusNameZh: string } | null;
  suspension: { reason: string; citation: string; startedAt: string; until: string | null } | null;
  lastEvent: { action: string; actionNameZh: string | null; occurredAt: string } | null;
}

export interface ProjectTimeline {
  project: {
    id: string;
    code: string;
    name: string;
    regionCode: string;
    catalogItemCode: string;
    regulator: string;
  };
  lots: { id: string; code: string; name: string; procedureType: string; lastEventAt: string }[];
  events: WitnessEventView[];
  truncated: boolean;
}

export interface LotHit {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectId: string;
  projectCode: string;
  projectName: string;
  procedureNameZh: string;
}

export function readLive(after: number | null, wait: number, signal?: AbortSignal): Promise<LivePage> {
  return api.get<LivePage>('/api/supervision/live/events', {
    query: after === null ? { limit: 50, wait: 0 } : { after, wait, limit: 200 },
    signal,
  });
}

export function findLots(q: string): Promise<{ items: LotHit[] }> {
  return api.get<{ items: LotHit[] }>('/api/supervision/lots', { query: { q } });
}

/** An event's name: the Chinese one when the server knows it, else its code. */
export function eventName(event: { action: string; actionNameZh: string | null }): string {
  return event.actionNameZh ?? event.action;
}

// ---- 现场管理 ----

export type ViolationStatus = 'recorded' | 'reported' | 'acknowledged' | 'answered';

export const VIOLATION_STATUS_NAMES: Record<ViolationStatus, string> = {
  recorded: '已记录（已制止纠正）',
  reported: '已报告，待确认',
  acknowledged: '已确认，待反馈',
  answered: '已反馈处理结果',
};

/** 当事人 in the terms of 《办法》第五十七条. */
export const PERSON_ROLES: { value: string; label: string }[] = [
  { value: 'initiator', label: '项目发起方' },
  { value: 'responder', label: '项目响应方' },
  { value: 'intermediary', label: '中介服务机构' },
  { value: 'expert', label: '评标评审专家' },
  { value: 'other', label: '其他人员' },
];

export const EVIDENCE_KINDS: { value: string; label: string }[] = [
  { value: 'photo', label: '照片' },
  { value: 'audio', label: '录音' },
  { value: 'video', label: '录像' },
  { value: 'document', label: '书面材料' },
];

export interface EvidenceView {
  sha256: string;
  sm3: string;
  size: number;
  contentType: string | null;
  filename: string;
  kind: string;
  kindNameZh: string;
}

/** A file chosen in a form, uploaded, with the kind the person gave it. */
export interface EvidenceRow {
  sha256: string;
  sm3: string;
  size: number;
  filename: string;
  kind: string;
}

export interface EvidenceInput {
  sha256: string;
  kind: string;
  filename: string;
}

export interface ViolationView {
  id: string;
  lotId: string;
  lotCode: string;
  lotName: string;
  projectId: string;
  projectName: string;
  regionCode: string;
  catalogItemCode: string;
  venue: string;
  occurredAt: string;
  persons: { name: string; role: string; roleNameZh: string; organization: string | null }[];
  description: string;
  ruleBreached: string;
  measure: string;
  corrected: boolean;
  evidence: EvidenceView[];
  status: ViolationStatus;
  statusNameZh: string;
  recordedAt: string;
  recordedBy: string;
  report: {
    id: string;
    department: string;
    suspicion: string;
    reportedAt: string;
    timeLimitWorkingDays: number;
    feedbackDueAt: string;
    acknowledgedAt: string | null;
    feedback: string | null;
    feedbackEvidence: EvidenceView[];
    feedbackAt: string | null;
    feedbackLate: boolean | null;
    overdue: boolean;
    overdueFlaggedAt: string | null;
  } | null;
  routedToMe: boolean;
  citation: string;
}

export interface SiteSettings {
  feedbackWorkingDays: number;
  updatedAt: string;
  note: string;
  citation: string;
}

// ---- 监管范围 ----

export interface ScopeView {
  accountId: string;
  department: string;
  regionPrefixes: string[];
  catalogPrefixes: string[];
  updatedAt: string;
}

// ---- 权责清单 ----

export type DutyListKind = 'power' | 'service';

export interface DutyItem {
  code: string;
  name: string;
  type: string;
  basis: string;
  department: string;
  process: string | null;
  timeLimit: string | null;
  serviceTarget: string | null;
  coordination: string | null;
  accountability: string | null;
}

export interface DutyVersion {
  id: string;
  kind: DutyListKind;
  kindNameZh: string;
  version: number | null;
  status: 'draft' | 'published' | 'superseded';
  statusNameZh: string;
  note: string;
  items: DutyItem[];
  itemsSm3: string;
  updatedAt: string;
  publishedAt: string | null;
  supersededAt: string | null;
}

export interface DutyVersionSummary {
  version: number;
  status: string;
  statusNameZh: string;
  note: string;
  itemCount: number;
  itemsSm3: string;
  publishedAt: string;
  supersededAt: string | null;
}

export interface PublicDutyLists {
  citation: string;
  lists: {
    kind: DutyListKind;
    kindNameZh: string;
    requiredFieldsZh: string;
    current: DutyVersion | null;
    versions: DutyVersionSummary[];
  }[];
}

export interface AdminDutyList {
  kind: DutyListKind;
  kindNameZh: string;
  citation: string;
  current: DutyVersion | null;
  draft: DutyVersion | null;
  versions: DutyVersionSummary[];
}

/** A field the regulation leaves open is shown as such, never left blank. */
export function orUnset(value: string | null): string {
  return value && value.trim() !== '' ? value : '未规定';
}
