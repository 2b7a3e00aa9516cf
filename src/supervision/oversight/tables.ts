import type { ColumnType } from 'kysely';

/**
 * 实时监督 read model: the witness log indexed by project and lot, so that a supervisor's live view and a
 * project's timeline are one indexed query filtered by scope (行业 × 地域). Written only by the indexer
 * (indexer.ts), which follows the sequenced log in leaf order; everything here can be rebuilt from the log.
 */

/** The indexer's position: every sequenced event up to `indexed_through` has been looked at. */
export interface OversightIndexCursorTable {
  singleton: ColumnType<boolean, boolean | undefined, never>;
  /** Leaf index of the last event looked at; -1 before the first. */
  indexed_through: ColumnType<number, number, number>;
  updated_at: Date;
}

/** A project (项目) as scope sees it: its region and 交易目录 item now (a reclassification moves it). */
export interface OversightProjectsTable {
  project_id: string;
  project_code: string;
  project_name: string;
  region_code: string;
  catalog_item_code: string;
  /** 行政监督部门 in charge, as registered (§5). */
  regulator: string;
  updated_at: Date;
}

/** A lot (标段/包) met in the log, with its last activity. */
export interface OversightLotsTable {
  lot_id: string;
  project_id: string;
  lot_code: string;
  lot_name: string;
  procedure_type: string;
  last_leaf_index: ColumnType<number, number, number>;
  last_event_at: Date;
}

/** One witness event that concerns a project (and, most often, one of its lots). */
export interface OversightEventsTable {
  leaf_index: ColumnType<number, number, never>;
  event_id: ColumnType<number, number, never>;
  project_id: string;
  lot_id: string | null;
  occurred_at: Date;
  entity_type: string;
  entity_id: string;
  action: string;
  actor_role: string | null;
  actor_organization_id: string | null;
  /** The event's canonical JSON payload, as in the log. */
  payload: string;
  /** Which rule of mapping.ts tied the event to its project (documented in docs/oversight.md). */
  mapped_by: string;
}

/** Records (an announcement, a draw, a contract …) already tied to a lot, for their later events. */
export interface OversightEntityLinksTable {
  entity_type: string;
  entity_id: string;
  project_id: string;
  lot_id: string | null;
}

/** 违反现场管理制度的行为 recorded by the trading centre (§24). */
export type ViolationStatus = 'recorded' | 'reported' | 'acknowledged' | 'answered';

/** Who did it, in the terms of 《办法》第五十七条. */
export type PersonRole = 'initiator' | 'responder' | 'intermediary' | 'expert' | 'other';

export interface ViolationPerson {
  name: string;
  role: PersonRole;
  organization: string | null;
}

export type EvidenceKind = 'photo' | 'audio' | 'video' | 'document';

/** A file kept as evidence, by hash (the content is in the blob store). */
export interface EvidenceFile {
  sha256: string;
  sm3: string;
  size: number;
  contentType: string | null;
  filename: string;
  kind: EvidenceKind;
}

export interface SiteViolationsTable {
  id: string;
  lot_id: string;
  project_id: string;
  lot_code: string;
  lot_name: string;
  project_name: string;
  /** Scope of the project when recorded (the report is routed by it). */
  region_code: string;
  catalog_item_code: string;
  /** 场所: the room or area, e.g. 第一开标室、评标区域. */
  venue: string;
  occurred_at: Date;
  persons: ColumnType<ViolationPerson[], string, string>;
  /** What happened (违规行为). */
  description: string;
  /** Which on-site rule it breaks (违反的现场管理制度). */
  rule_breached: string;
  /** 制止、纠正: what staff did about it. */
  measure: string;
  corrected: boolean;
  evidence: ColumnType<EvidenceFile[], string, string>;
  status: ViolationStatus;
  recorded_by: string;
  recorded_at: Date;
  updated_at: Date;
}

/** 违法违规报告: a suspected violation reported to the responsible regulator (§24, §39). */
export interface ViolationReportsTable {
  id: string;
  violation_id: string;
  /** The responsible regulator (a department of the supervisor scopes). */
  department: string;
  /** 涉嫌违法违规情形, as the centre reports it. */
  suspicion: string;
  reported_by: string;
  reported_at: Date;
  /** The working-day limit in force when reported (a later change of the setting does not move it). */
  time_limit_working_days: number;
  feedback_due_at: Date;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  /** 处理结果 fed back by the regulator. */
  feedback: string | null;
  feedback_evidence: ColumnType<EvidenceFile[], string, string>;
  feedback_by: string | null;
  feedback_at: Date | null;
  feedback_late: boolean | null;
  overdue_flagged_at: Date | null;
}

/** The centre's settings for on-site management (one row). */
export interface OversightSettingsTable {
  singleton: ColumnType<boolean, boolean | undefined, never>;
  feedback_working_days: number;
  updated_at: Date;
  updated_by: string | null;
}

export interface OversightTables {
  oversight_index_cursor: OversightIndexCursorTable;
  oversight_projects: OversightProjectsTable;
  oversight_lots: OversightLotsTable;
  oversight_events: OversightEventsTable;
  oversight_entity_links: OversightEntityLinksTable;
  site_violations: SiteViolationsTable;
  violation_reports: ViolationReportsTable;
  oversight_settings: OversightSettingsTable;
}
