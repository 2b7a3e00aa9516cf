/**
 * 信用管理 / 信用信息 — the shapes the credit API answers with (src/supervision/credit/schemas.ts) and the
 * names the pages show.
 */

export type RecordKind = 'violation' | 'dishonest' | 'commendation' | 'performance';
export type Severity = 'minor' | 'general' | 'serious';
export type RestrictionKind =
  | 'bidding_mandatory_tender'
  | 'government_procurement'
  | 'bidding_all'
  | 'acting_as_agency'
  | 'acting_as_expert';
export type ListKind = 'dishonest_judgment_debtor' | 'major_tax_violation' | 'gp_serious_violation';

export const RECORD_KIND_NAMES: Record<RecordKind, string> = {
  violation: '违法行为记录',
  dishonest: '失信行为记录',
  commendation: '守信记录',
  performance: '履约记录',
};

export const SEVERITY_NAMES: Record<Severity, string> = { minor: '轻微', general: '一般', serious: '严重' };

export const PERFORMANCE_NAMES = { good: '良好', qualified: '合格', poor: '不合格' } as const;

export interface RestrictionView {
  id: string;
  kind: RestrictionKind;
  kindName: string;
  catalogPrefixes: string[];
  regionPrefixes: string[];
  scopeText: string;
  fromDate: string;
  toDate: string;
  basisCode: string;
  legalBasis: string;
  liftedOn: string | null;
  liftedReason: string | null;
  inForce: boolean;
}

export interface RepairView {
  id: string;
  recordId: string;
  recordCode: string | null;
  subjectName: string | null;
  status: 'pending' | 'approved' | 'rejected';
  statusName: string;
  channel: 'online' | 'offline';
  applicantName: string;
  statement: string;
  commitment: string;
  evidence: string[];
  submittedAt: string;
  decidedAt: string | null;
  decidedByName: string | null;
  decisionReason: string | null;
  effectiveOn: string | null;
}

export interface CreditRecordView {
  id: string;
  code: string;
  kind: RecordKind;
  kindName: string;
  subject: {
    kind: 'organization' | 'person';
    name: string;
    creditCode: string | null;
    idNumber: string | null;
    organizationId: string | null;
  };
  regionCode: string;
  catalogItemCode: string;
  lotId: string | null;
  severity: Severity | null;
  severityName: string | null;
  facts: string;
  legalBasis: string | null;
  penalty: string | null;
  decidingAuthority: string;
  decisionNumber: string;
  decisionDate: string;
  performanceRatingName: string | null;
  publication: {
    publish: boolean;
    publishedAt: string | null;
    dueOn: string | null;
    late: boolean;
    endsOn: string | null;
    repairEarliestOn: string | null;
    rule: string | null;
    onList: boolean;
  };
  status: string;
  statusName: string;
  repairedOn: string | null;
  revokedOn: string | null;
  revokeReason: string | null;
  restrictions: RestrictionView[];
  repairs: RepairView[];
  createdByName: string | null;
  createdAt: string;
}

export interface PublicCreditRecord {
  id: string;
  code: string;
  kind: RecordKind;
  kindName: string;
  subjectName: string;
  subjectCode: string | null;
  severityName: string | null;
  facts: string;
  legalBasis: string | null;
  penalty: string | null;
  decidingAuthority: string;
  decisionNumber: string;
  decisionDate: string;
  publishedAt: string | null;
  publicationEndsOn: string | null;
  onList: boolean;
  restrictions: {
    kindName: string;
    scopeText: string;
    fromDate: string;
    toDate: string;
    legalBasis: string;
  }[];
}

export interface ImportBatch {
  id: string | null;
  source: string;
  listKind: ListKind;
  listName: string;
  asOf: string;
  format: 'csv' | 'json';
  contentSm3: string;
  totalRows: number;
  acceptedRows: number;
  rejectedRows: number;
  rejected: { line: number; message: string }[];
  note: string | null;
  importedByName: string | null;
  importedAt: string;
  supersededBy?: { id: string; asOf: string } | null;
  dryRun: boolean;
}

export interface ListEntry {
  line: number;
  name: string;
  creditCode: string | null;
  idNumber: string | null;
  recordNumber: string;
  restrictedFrom: string | null;
  restrictedUntil: string | null;
  authority: string | null;
  reason: string | null;
  source?: string;
  listName?: string;
  asOf?: string;
}

export interface CreditCheck {
  id: string;
  checkedAt: string;
  lotId: string | null;
  stage: 'registration' | 'bid' | 'award';
  stageName: string;
  catalogItemCode: string;
  regionCode: string;
  mandatoryTender: boolean;
  law: string;
  parties: { organizationId: string | null; creditCode: string | null; name: string }[];
  sources: {
    kind: 'platform' | 'external';
    importId: string | null;
    source: string;
    listKind: string | null;
    asOf: string | null;
    importedAt: string | null;
    rows: number | null;
  }[];
  hits: {
    party: string;
    creditCode: string | null;
    barring: boolean;
    list: string;
    source: string;
    recordNumber: string;
    period: string;
    citation: string;
  }[];
  barred: boolean;
  reasons: string[];
  requestedBy: string | null;
}

export interface ScoreRule {
  version: number;
  effectiveFrom: string;
  baseScore: number;
  minScore: number;
  maxScore: number;
  factors: { kind: string; name: string; weight: number; cap: number | null; windowMonths: number }[];
  note: string | null;
  createdByName: string | null;
  createdAt: string;
}

export interface ScoreResult {
  subject: { name: string | null; creditCode: string | null; organizationId: string | null };
  date: string;
  ruleVersion: number;
  score: number;
  baseScore: number;
  breakdown: { kind: string; name: string; count: number; weight: number; points: number }[];
}

export interface CreditReference {
  items: {
    code: string;
    legalBasis: string;
    restriction: RestrictionKind;
    restrictionName: string;
    minYears: number;
    maxYears: number;
    summary: string;
  }[];
  restrictionKinds: { kind: RestrictionKind; name: string }[];
  listKinds: { kind: ListKind; name: string }[];
}

export interface FactorKinds {
  allowed: { kind: string; name: string }[];
  forbidden: { kind: string; name: string }[];
  citation: string;
}

/** Today's date in Beijing time, 'YYYY-MM-DD'. */
export function beijingToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Reads a chosen file as text (UTF-8) for the list import. */
export function readFileText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(new Error('文件读取失败'));
    reader.readAsText(file, 'utf-8');
  });
}
