import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Int8 = ColumnType<number, number | bigint, number | bigint>;

/** 预警等级: high 红色（高）, medium 橙色（中）, low 黄色（低）. */
export type AlertLevel = 'high' | 'medium' | 'low';

/**
 * 预警处置 workflow: new 待处理 → acknowledged 已签收 → investigating 核查中 → concluded 已办结（属实/不属实）
 * → fed-back 已反馈交易中心.
 */
export type AlertStatus = 'new' | 'acknowledged' | 'investigating' | 'concluded' | 'fed-back';

/** 核查结论: founded 属实 · unfounded 不属实. */
export type AlertFinding = 'founded' | 'unfounded';

/** What an alert is about: a lot (标段/包), an organisation (招标人/投标人/代理机构) or an expert (评标专家). */
export type SubjectType = 'lot' | 'organization' | 'expert';

/** How an alert came about: as data landed, a rerun of every rule, the platform-wide Cardinal set. */
export type AlertSource = 'incremental' | 'rerun' | 'cardinal';

/**
 * 预警规则版本: rules and thresholds are data. A change appends a version (never edits one), and each
 * alert keeps the version it was raised under, so a change never rewrites a past alert.
 */
export interface MonitoringRuleVersionsTable {
  /** bigserial: read it through Number() (int8 comes back as text from some drivers). */
  id: Generated<number>;
  code: string;
  version: number;
  enabled: boolean;
  level: AlertLevel;
  thresholds: Json<Record<string, unknown>>;
  effective_from: Date;
  changed_by: string | null;
  changed_by_name: string | null;
  reason: string;
  created_at: Date;
}

/** 预警信息: internal to the supervision system (never public). */
export interface MonitoringAlertsTable {
  id: string;
  rule_code: string;
  rule_version_id: Int8;
  rule_version: number;
  level: AlertLevel;
  title: string;
  /** One sentence: what was found. */
  summary: string;
  citation: string;
  subject_type: SubjectType;
  subject_id: string;
  subject_label: string;
  /** With (rule, subject) the identity of an alert: the same finding raised twice is one alert. */
  evidence_key: string;
  evidence: Json<Record<string, unknown>>;
  evidence_sm3: string;
  lot_id: string | null;
  lot_code: string | null;
  region_code: string;
  catalog_item_code: string;
  /** The supervisors whose scope covered the subject when the alert was raised. */
  routed_to: Json<{ accountId: string; department: string }[]>;
  source: AlertSource;
  status: AlertStatus;
  finding: AlertFinding | null;
  conclusion: string | null;
  feedback: string | null;
  raised_at: Date;
  updated_at: Date;
}

/** Every step of an alert's handling, in order (each also witnessed). */
export interface MonitoringAlertStepsTable {
  id: Generated<number>;
  alert_id: string;
  action: string;
  from_status: AlertStatus | null;
  to_status: AlertStatus;
  account_id: string | null;
  department: string | null;
  text: string | null;
  at: Date;
}

/** The witness-log follower's position (one row). */
export interface MonitoringCursorTable {
  id: number;
  last_leaf_index: Int8;
  updated_at: Date;
}

/** R023 read model: each pair of priced bidders of a lot and the ratio of their prices (2 decimals). */
export interface MonitoringPricePairsTable {
  lot_id: string;
  lot_code: string;
  organization_a: string;
  organization_b: string;
  name_a: string;
  name_b: string;
  price_a: string;
  price_b: string;
  ratio: string;
  recorded_at: Date;
}

/** Experts who served on a lot's committee (from the finished evaluation). */
export interface MonitoringCommitteesTable {
  lot_id: string;
  expert_id: string;
  expert_name: string;
  reported_at: Date;
}

/** The winner of each awarded lot (from the award). */
export interface MonitoringWinnersTable {
  lot_id: string;
  winner_organization_id: string;
  winner_name: string;
  initiator_organization_id: string;
  procedure_type: string;
  awarded_at: Date;
}

export type ScanStage = 'opening' | 'evaluation' | 'award';

/** When each stage of a lot was last computed, how long it took and what it raised. */
export interface MonitoringLotScansTable {
  lot_id: string;
  stage: ScanStage;
  scanned_at: Date;
  duration_ms: number;
  alerts_raised: number;
}

export type RunKind = 'rules' | 'cardinal';
export type RunStatus = 'queued' | 'running' | 'done' | 'failed';

/** A rerun asked for by a supervisor or the trading centre ("in full on demand"). */
export interface MonitoringRunsTable {
  id: string;
  kind: RunKind;
  status: RunStatus;
  requested_by: string | null;
  requested_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  processed: number;
  alerts_raised: number;
  error: string | null;
}

export interface MonitoringTables {
  monitoring_rule_versions: MonitoringRuleVersionsTable;
  monitoring_alerts: MonitoringAlertsTable;
  monitoring_alert_steps: MonitoringAlertStepsTable;
  monitoring_cursor: MonitoringCursorTable;
  monitoring_price_pairs: MonitoringPricePairsTable;
  monitoring_committees: MonitoringCommitteesTable;
  monitoring_winners: MonitoringWinnersTable;
  monitoring_lot_scans: MonitoringLotScansTable;
  monitoring_runs: MonitoringRunsTable;
}
