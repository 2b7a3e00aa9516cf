/**
 * 双随机、一公开 — the shapes of the spot-check API (src/supervision/inspections/) and small helpers the
 * workspace and portal pages share. Names and outcomes arrive in Chinese from the server.
 */
import { api } from './api.ts';

export type ListKind = 'items' | 'targets' | 'inspectors';
export type RiskLevel = 'high' | 'mid-high' | 'mid' | 'low';
export type Outcome = 'no-issues' | 'rectification' | 'referred' | 'unreachable';

export const RISK_LEVELS: { code: RiskLevel; name: string }[] = [
  { code: 'high', name: '高风险' },
  { code: 'mid-high', name: '较高风险' },
  { code: 'mid', name: '一般风险' },
  { code: 'low', name: '低风险' },
];

export const OUTCOMES: { code: Outcome; name: string }[] = [
  { code: 'no-issues', name: '未发现问题' },
  { code: 'rectification', name: '发现问题，已责令改正' },
  { code: 'referred', name: '发现问题，已移交处理或立案查处' },
  { code: 'unreachable', name: '无法检查（对象不存在或无法联系等）' },
];

export interface ItemEntry {
  code: string;
  name: string;
  kind: 'key' | 'general';
  targetKind: 'lot' | 'organization';
  basis: string;
  ratioPercent: number | null;
  ratioByRisk: Record<RiskLevel, number> | null;
  catalogPrefix: string | null;
}

export interface TargetEntry {
  code: string;
  kind: 'lot' | 'organization';
  entityId: string;
  name: string;
  reference: string;
  regionCode: string;
  catalogItemCode: string | null;
  riskLevel: RiskLevel;
}

export interface InspectorEntry {
  code: string;
  accountId: string;
  name: string;
  department: string;
  certificateNo: string | null;
}

export interface ListVersion<E> {
  id: string;
  version: number;
  entriesSm3: string;
  entryCount: number;
  note: string | null;
  createdByName: string;
  createdAt: string;
  entries?: E[];
}

export interface ListView<E> {
  department: string;
  kind: ListKind;
  kindName: string;
  current: (ListVersion<E> & { entries: E[] }) | null;
  versions: ListVersion<E>[];
}

export interface BatchHeader {
  id: string;
  planId: string;
  department: string;
  seq: number;
  name: string;
  itemCodes: string[];
  inspectorsPerTarget: number;
  exclusionYears: number;
  publishWorkingDays: number;
  scheduledOn: string | null;
  status: 'planned' | 'committed' | 'drawn' | 'published';
  statusName: string;
  drawnAt: string | null;
  publishDueAt: string | null;
  publishedAt: string | null;
  overdue: boolean;
  overdueFlaggedAt: string | null;
}

export interface PlanView {
  id: string;
  year: number;
  name: string;
  note: string | null;
  createdAt: string;
  batches: BatchHeader[];
}

export interface TeamMember {
  memberId: string;
  accountId: string;
  name: string;
  department: string;
  round: number;
  status: 'active' | 'recused';
  statusName: string;
  recusalReason: string | null;
}

export interface AssignmentView {
  id: string;
  targetCode: string;
  targetKindName: string;
  name: string;
  reference: string;
  riskLevelName: string;
  itemCode: string;
  outcome: Outcome | null;
  outcomeName: string | null;
  findings: string | null;
  recordedByName: string | null;
  recordedAt: string | null;
  team: TeamMember[];
}

export interface BatchDetail extends BatchHeader {
  items: { code: string; name: string; kindName: string | null; basis: string | null }[];
  groups: {
    g: number;
    itemCode: string;
    itemName: string;
    riskLevelName: string;
    ratioPercent: number;
    population: number;
    excluded: number;
    needed: number;
    count: number;
  }[];
  excluded: { code: string; name: string; lastDrawnAt: string }[];
  rounds: {
    round: number;
    kindName: string;
    targetCode: string | null;
    status: string;
    seedCommitment: string;
    drawnAt: string | null;
  }[];
  assignments: AssignmentView[];
  shortTeams: string[];
  resultsRecorded: number;
}

export interface MyInspection {
  memberId: string;
  memberStatus: 'active' | 'recused';
  memberStatusName: string;
  assignmentId: string;
  batchId: string;
  batchName: string;
  batchStatus: BatchHeader['status'];
  batchStatusName: string;
  publishDueAt: string | null;
  targetKindName: string;
  name: string;
  reference: string;
  riskLevelName: string;
  itemCode: string;
  outcome: Outcome | null;
  outcomeName: string | null;
  findings: string | null;
}

export interface Verification {
  ok: boolean;
  rounds: { round: number; checks: string[]; replayed: boolean }[];
  failure: { round: number | null; check: string; checkName: string; detail: string } | null;
}

export interface PublishedSummary {
  id: string;
  department: string;
  name: string;
  planName: string;
  planYear: number;
  drawnAt: string | null;
  publishDueAt: string | null;
  publishedAt: string | null;
  late: boolean;
  targets: number;
  withIssues: number;
}

export interface PublishedDetail {
  id: string;
  department: string;
  name: string;
  drawnAt: string | null;
  publishedAt: string | null;
  late: boolean;
  plan: { name: string; year: number } | null;
  items: { code: string; name: string; kindName: string | null; basis: string | null }[];
  targets: {
    name: string;
    reference: string;
    kindName: string;
    riskLevelName: string;
    itemCode: string;
    inspectors: { name: string; department: string }[];
    outcomeName: string | null;
    findings: string | null;
  }[];
}

export const getList = <E>(kind: ListKind) =>
  api.get<ListView<E>>(`/api/supervision/inspection-lists/${kind}`);
export const getBatch = (id: string) =>
  api.get<BatchDetail>(`/api/supervision/spot-check-batches/${encodeURIComponent(id)}`);
export const verifyBatch = (id: string) =>
  api.get<Verification>(`/api/supervision/spot-check-batches/${encodeURIComponent(id)}/verify`);

/** "30% / 10% / 2% / 1%" or "50%". */
export function ratioText(item: Pick<ItemEntry, 'ratioPercent' | 'ratioByRisk'>): string {
  if (item.ratioByRisk) return RISK_LEVELS.map((r) => `${r.name} ${item.ratioByRisk?.[r.code]}%`).join(' / ');
  return `${item.ratioPercent ?? 0}%`;
}
