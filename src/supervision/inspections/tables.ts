import type { ColumnType } from 'kysely';

type Int8 = ColumnType<number, number | bigint, number | bigint>;
type Json<T> = ColumnType<T, string, string>;

/** Which list a version belongs to: 抽查事项清单 · 检查对象名录库 · 执法检查人员名录库 ("一单两库"). */
export type ListKind = 'items' | 'targets' | 'inspectors';

/** 重点检查事项 (no cap on the ratio) · 一般检查事项 (ratio strictly limited). */
export type ItemKind = 'key' | 'general';

/** What an item inspects: a project (its lot, 标段/包) or a party (an organisation). */
export type TargetKind = 'lot' | 'organization';

/** 风险等级: 高 · 较高 · 一般 · 低. */
export type RiskLevel = 'high' | 'mid-high' | 'mid' | 'low';

/** 抽查事项 (one entry of the item list). Ratios are percent (0 < r ≤ 100, two decimals at most). */
export interface ItemEntry {
  code: string;
  name: string;
  kind: ItemKind;
  targetKind: TargetKind;
  /** 检查依据. */
  basis: string;
  /** One ratio for every risk level … */
  ratioPercent: number | null;
  /** … or one per risk level (e.g. 30 / 10 / 2 / 1). */
  ratioByRisk: Record<RiskLevel, number> | null;
  /** Only lots whose 交易目录 code starts with this (projects only); null = all. */
  catalogPrefix: string | null;
}

/** 检查对象 (one entry of the target list), resolved through the projects / entities modules when added. */
export interface TargetEntry {
  /** `L` + 标段编号 or `O` + 统一社会信用代码: the code the draw lists. */
  code: string;
  kind: TargetKind;
  /** The lot id or the organisation id. */
  entityId: string;
  name: string;
  /** 标段编号 or 统一社会信用代码. */
  reference: string;
  regionCode: string;
  /** The lot's 交易目录 code; null for an organisation. */
  catalogItemCode: string | null;
  riskLevel: RiskLevel;
}

/** 执法检查人员 (one entry of the inspector list): a supervisor account of the department. */
export interface InspectorEntry {
  /** `I` + account id. */
  code: string;
  accountId: string;
  name: string;
  department: string;
  /** 执法证号, when the department records it. */
  certificateNo: string | null;
}

/** A list version: immutable once written; the newest of a department and kind is the one in force. */
export interface InspectionListVersionsTable {
  id: string;
  department: string;
  kind: ListKind;
  version: number;
  entries: Json<ItemEntry[] | TargetEntry[] | InspectorEntry[]>;
  /** SM3 of the canonical JSON of `entries`. */
  entries_sm3: string;
  entry_count: number;
  note: string | null;
  created_by: string;
  created_by_name: string;
  created_at: ColumnType<Date, Date, never>;
}

/** 年度抽查计划 of a department. */
export interface InspectionPlansTable {
  id: string;
  department: string;
  year: number;
  name: string;
  note: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date, never>;
}

/** planned 待抽取 · committed 已提交承诺 · drawn 已抽取 · published 已公示. */
export type BatchStatus = 'planned' | 'committed' | 'drawn' | 'published';

/** One draw group: an item's targets of one risk level (or of every level for a flat ratio). */
export interface DrawGroupInfo {
  g: number;
  itemCode: string;
  itemName: string;
  itemKind: ItemKind;
  riskLevel: RiskLevel | null;
  ratioPercent: number;
  /** Targets of the group in the list (in the drawing supervisor's scope), before the exclusion window. */
  population: number;
  /** Of those, excluded as inspected within the window. */
  excluded: number;
  /** ceil(population × ratio). */
  needed: number;
  /** What the draw takes: `needed`, less when too few remain (never more than certainly available). */
  count: number;
}

export interface ExcludedTarget {
  code: string;
  name: string;
  lastBatchId: string;
  lastDrawnAt: string;
}

/** 抽查批次: the plan's batch, with its draw settings and, once drawn, its publication deadline. */
export interface InspectionBatchesTable {
  id: string;
  plan_id: string;
  department: string;
  seq: number;
  name: string;
  item_codes: string[];
  /** ≥ 2 (at least two inspectors per target). */
  inspectors_per_target: number;
  /** Targets inspected (drawn) within this many years are excluded; 0 = none. */
  exclusion_years: number;
  /** 结果公示期限: working days after the draw (default 20 — not verified in a national text). */
  publish_working_days: number;
  scheduled_on: string | null;
  status: BatchStatus;
  /** The versions the draw used. */
  items_version_id: string | null;
  targets_version_id: string | null;
  inspectors_version_id: string | null;
  groups: Json<DrawGroupInfo[]>;
  excluded: Json<ExcludedTarget[]>;
  /** The drawing supervisor's scope, copied at the draw (the list was limited to it). */
  scope_region_prefixes: string[];
  scope_catalog_prefixes: string[];
  drawn_by: string | null;
  drawn_at: Date | null;
  publish_due_at: Date | null;
  published_at: Date | null;
  published_by: string | null;
  overdue_flagged_at: Date | null;
  created_by: string;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export type RoundKind = 'initial' | 'redraw';
export type RoundStatus = 'committed' | 'drawn' | 'short';

/** The draw's list entries, as the expert draw's: group index and code, ordered by (g, c). */
export interface ListEntry {
  g: number;
  c: string;
}

/** A round's selection: the targets (initial round) and each target's team, in drawing order. */
export interface RoundSelection {
  targets: { g: number; codes: string[] }[] | null;
  teams: { target: string; inspectors: string[] }[];
}

/**
 * One committed draw: round 1 draws the targets and their teams; each 回避 adds a redraw round for one
 * target. The seed is sealed until the round is drawn, then published (`seed_hex`).
 */
export interface InspectionDrawRoundsTable {
  batch_id: string;
  round: number;
  kind: RoundKind;
  /** Redraw: the target whose team is completed. */
  target_code: string | null;
  /** Redraw: the team member who recused. */
  replaces_member_id: string | null;
  status: RoundStatus;
  /** Targets per group (initial round); `[{g: 0, count}]` of inspectors (redraw). */
  needs: Json<{ g: number; count: number }[]>;
  inspectors_per_target: number;
  seed_sealed: string;
  seed_commitment: string;
  seed_hex: string | null;
  target_list: Json<ListEntry[] | null>;
  target_list_hash: string | null;
  inspector_list: Json<ListEntry[]>;
  inspector_list_hash: string;
  commit_event_id: Int8;
  checkpoint_tree_size: Int8 | null;
  checkpoint_root_hash: string | null;
  selection: Json<RoundSelection | null>;
  committed_at: Date;
  drawn_at: Date | null;
}

/** 结果: 未发现问题 · 发现问题已责令改正 · 发现问题已移交处理或立案 · 无法检查（对象不存在、无法联系等）. */
export type InspectionOutcome = 'no-issues' | 'rectification' | 'referred' | 'unreachable';

/** A target drawn in a batch, with its result once recorded. */
export interface InspectionAssignmentsTable {
  id: string;
  batch_id: string;
  target_code: string;
  target_kind: TargetKind;
  entity_id: string;
  name: string;
  reference: string;
  region_code: string;
  catalog_item_code: string | null;
  risk_level: RiskLevel;
  item_code: string;
  group_index: number;
  position: number;
  outcome: InspectionOutcome | null;
  findings: string | null;
  attachments: Json<{ name: string; sm3: string }[]>;
  recorded_by: string | null;
  recorded_by_name: string | null;
  recorded_at: Date | null;
  drawn_at: Date;
}

export type MemberStatus = 'active' | 'recused';

/** An inspector drawn for a target (检查组成员). */
export interface InspectionTeamMembersTable {
  id: string;
  assignment_id: string;
  batch_id: string;
  round: number;
  inspector_code: string;
  account_id: string;
  name: string;
  department: string;
  status: MemberStatus;
  recusal_reason: string | null;
  recused_at: Date | null;
  created_at: ColumnType<Date, Date, never>;
}

export interface InspectionsTables {
  inspection_list_versions: InspectionListVersionsTable;
  inspection_plans: InspectionPlansTable;
  inspection_batches: InspectionBatchesTable;
  inspection_draw_rounds: InspectionDrawRoundsTable;
  inspection_assignments: InspectionAssignmentsTable;
  inspection_team_members: InspectionTeamMembersTable;
}
