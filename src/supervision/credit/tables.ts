import type { ColumnType, Generated } from 'kysely';
import type { CalendarDate } from '../../platform/clock/index.ts';

type Json<T> = ColumnType<T, string, string>;
type CreatedAt = ColumnType<Date, Date, never>;

/**
 * Kinds of credit record (信用记录):
 *   violation    违法行为记录 — an administrative penalty decision (行政处罚决定)
 *   dishonest    失信行为记录 — a finding of dishonest conduct (失信认定, e.g. 严重失信主体名单)
 *   commendation 守信记录 — an award or commendation (表彰奖励)
 *   performance  履约记录 — how a contract was performed (履约评价)
 */
export type CreditRecordKind = 'violation' | 'dishonest' | 'commendation' | 'performance';

/** 轻微 · 一般 · 严重 (《信用修复管理办法》grading of dishonest information). */
export type CreditSeverity = 'minor' | 'general' | 'serious';

/** 履约评价: 良好 · 合格 · 不合格. */
export type PerformanceRating = 'good' | 'qualified' | 'poor';

export type CreditSubjectKind = 'organization' | 'person';

/** What a restriction (限制) bars its subject from. */
export type RestrictionKind =
  | 'bidding_mandatory_tender'
  | 'government_procurement'
  | 'bidding_all'
  | 'acting_as_agency'
  | 'acting_as_expert';

/**
 * 信用记录: one decision about one subject (an organisation by its 统一社会信用代码, a natural person by ID
 * number), with the facts, the legal basis, the decision and its publication window. Dates are Shanghai
 * calendar dates 'YYYY-MM-DD' kept as text so no time zone can move them.
 */
export interface CreditRecordsTable {
  id: string;
  /** Human number, e.g. XYJL-2026-000012. */
  code: string;
  kind: CreditRecordKind;
  subject_kind: CreditSubjectKind;
  subject_name: string;
  subject_credit_code: string | null;
  subject_id_number: string | null;
  /** The platform's organisation of the subject, when it is a registered market entity. */
  subject_organization_id: string | null;
  /** Where and in which trading category the conduct happened: the supervisor's scope is checked on them. */
  region_code: string;
  catalog_item_code: string;
  lot_id: string | null;
  severity: CreditSeverity | null;
  /** 违法失信行为 / 表彰事由 / 履约情况. */
  facts: string;
  /** 法律依据 — required for violation and dishonest records. */
  legal_basis: string | null;
  /** 处罚（处理）决定内容. */
  penalty: string | null;
  deciding_authority: string;
  decision_number: string;
  decision_date: CalendarDate;
  performance_rating: PerformanceRating | null;
  /** Whether the record goes on the portal list at all (轻微 may stay unpublished; 履约 never is). */
  publish: boolean;
  published_at: Date | null;
  /** 20 working days after the decision (发改法规〔2008〕1531号 第六条). */
  publication_due_on: CalendarDate | null;
  /** Last day on the list (inclusive); after it the record is kept for back-end lookup. */
  publication_ends_on: CalendarDate | null;
  /** 信用修复 may be granted from this day (the minimum publication period). */
  repair_earliest_on: CalendarDate | null;
  /** The rule the publication window was computed by. */
  publication_rule: string | null;
  /** 信用修复: publication ends and the restrictions are lifted on this day. */
  repaired_on: CalendarDate | null;
  /** 撤销: the decision was withdrawn (e.g. overturned on review); publication and restrictions end. */
  revoked_on: CalendarDate | null;
  revoke_reason: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: CreatedAt;
  updated_at: Date;
}

/** 限制: what the subject may not do, where, and from when to when (a date range, never a flag). */
export interface CreditRestrictionsTable {
  id: string;
  record_id: string;
  kind: RestrictionKind;
  /** Trading-catalog prefixes the restriction covers; empty = every category. */
  catalog_prefixes: string[];
  /** GB/T 2260 region prefixes the restriction covers; empty = everywhere. */
  region_prefixes: string[];
  from_date: CalendarDate;
  to_date: CalendarDate;
  /** Key into BAN_BASES, or 'other' with its own text. */
  basis_code: string;
  legal_basis: string;
  /** Lifted early (repair, revocation) on this day; the restriction is not in force from it on. */
  lifted_on: CalendarDate | null;
  lifted_reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
}

export type RepairStatus = 'pending' | 'approved' | 'rejected';

/** 信用修复申请: the subject applies (online, or on paper registered by the regulator), the regulator decides. */
export interface CreditRepairApplicationsTable {
  id: string;
  record_id: string;
  status: RepairStatus;
  channel: 'online' | 'offline';
  applicant_account_id: string | null;
  applicant_name: string;
  /** 失信行为纠正情况说明. */
  statement: string;
  /** 信用承诺. */
  commitment: string;
  /** SM3/SHA-256 digests of supporting files uploaded through /api/blobs. */
  evidence: Json<string[]>;
  submitted_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decision_reason: string | null;
  effective_on: CalendarDate | null;
}

/** External list kinds (外部信用名单) the platform enforces. */
export type ExternalListKind = 'dishonest_judgment_debtor' | 'major_tax_violation' | 'gp_serious_violation';

export interface RejectedRow {
  line: number;
  message: string;
}

/** One import of an external list (a batch): source, kind, 查询时点 (as-of date), counts and bad rows. */
export interface CreditListImportsTable {
  id: string;
  source: string;
  list_kind: ExternalListKind;
  as_of: CalendarDate;
  format: 'csv' | 'json';
  content_sm3: string;
  total_rows: number;
  accepted_rows: number;
  rejected_rows: number;
  rejected: Json<RejectedRow[]>;
  note: string | null;
  imported_by: string | null;
  imported_by_name: string | null;
  imported_at: Date;
}

/** A row of an imported list. Rows of a batch are in force from its as-of date until a later batch of the same source and kind. */
export interface CreditListEntriesTable {
  id: Generated<number>;
  import_id: string;
  line: number;
  name: string;
  credit_code: string | null;
  id_number: string | null;
  record_number: string;
  restricted_from: CalendarDate | null;
  restricted_until: CalendarDate | null;
  authority: string | null;
  reason: string | null;
}

export interface CheckedParty {
  organizationId: string | null;
  creditCode: string | null;
  name: string;
}

export interface ConsultedSource {
  kind: 'platform' | 'external';
  /** For external lists: the batch in force, its source, kind and dates. */
  importId: string | null;
  source: string;
  listKind: string | null;
  asOf: string | null;
  importedAt: string | null;
  rows: number | null;
}

export interface CheckHit {
  party: string;
  creditCode: string | null;
  barring: boolean;
  list: string;
  source: string;
  recordNumber: string;
  recordId: string | null;
  period: string;
  citation: string;
}

/** 信用核查记录: every eligibility check, the evidence a procurement file keeps (财库〔2016〕125号). */
export interface CreditChecksTable {
  id: string;
  checked_at: Date;
  lot_id: string | null;
  stage: 'registration' | 'bid' | 'award';
  catalog_item_code: string;
  region_code: string;
  mandatory_tender: boolean;
  law: string;
  parties: Json<CheckedParty[]>;
  sources: Json<ConsultedSource[]>;
  hits: Json<CheckHit[]>;
  barred: boolean;
  reasons: Json<string[]>;
  requested_by: string | null;
}

export interface ScoreFactor {
  kind: string;
  /** Points per counted occurrence (negative lowers the score). */
  weight: number;
  /** Largest absolute contribution of this factor; null = no cap. */
  cap: number | null;
  /** Records decided within this many months before the computation date count. */
  windowMonths: number;
}

/** 信用评分规则 — versioned data; a new version never rewrites an earlier one. */
export interface CreditScoreRulesTable {
  version: number;
  effective_from: CalendarDate;
  base_score: number;
  min_score: number;
  max_score: number;
  factors: Json<ScoreFactor[]>;
  note: string | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: CreatedAt;
}

export interface CreditTables {
  credit_records: CreditRecordsTable;
  credit_restrictions: CreditRestrictionsTable;
  credit_repair_applications: CreditRepairApplicationsTable;
  credit_list_imports: CreditListImportsTable;
  credit_list_entries: CreditListEntriesTable;
  credit_checks: CreditChecksTable;
  credit_score_rules: CreditScoreRulesTable;
}
