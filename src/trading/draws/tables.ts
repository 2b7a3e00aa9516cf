import type { ColumnType } from 'kysely';

type Int8 = ColumnType<number, number | bigint, number | bigint>;
type Json<T> = ColumnType<T, string, string>;

/** 评标场地: the host venue (主场) and the away venues (副场) of 远程异地评标. */
export interface DrawVenue {
  role: 'host' | 'away';
  regionCode: string;
  roomId: string | null;
  name: string;
  seats: number;
}

/** A group of experts to draw: the specialty (评标专家专业分类), how many, and the venue they sit at. */
export interface DrawGroup {
  specialtyCode: string;
  count: number;
  venueIndex: number;
}

/**
 * requested 待抽取 · drawn 已抽取（通知确认中）· short 人数不足（补抽未能补足）· cancelled 已取消.
 * Whether the list is public (揭晓) is `revealed_at`, at the evaluation's start.
 */
export type DrawStatus = 'requested' | 'drawn' | 'short' | 'cancelled';

/** Why a draw (or a 补抽) found too few experts: the group and the rule after which too few remained. */
export interface DrawShortfall {
  round: number;
  groupIndex: number;
  specialtyCode: string;
  needed: number;
  available: number;
  rule: string;
  ruleNameZh: string;
  funnel: FunnelStep[];
  at: string;
}

/** How many experts of a group remained after each rule, in order (the first row is the whole pool). */
export interface FunnelStep {
  rule: string;
  nameZh: string;
  remaining: number;
}

/** 专家抽取申请 and its state: one per request for a lot. */
export interface ExpertDrawsTable {
  id: string;
  lot_id: string;
  project_id: string;
  initiator_organization_id: string;
  agency_organization_id: string | null;
  requested_by: string;
  requester_organization_id: string | null;
  requester_party: 'initiator' | 'agency';
  evaluation_starts_at: Date;
  evaluation_ends_at: Date;
  duration_minutes: number;
  confirm_window_minutes: number;
  venues: Json<DrawVenue[]>;
  groups: Json<DrawGroup[]>;
  /** The project's 行政监督部门 at the request (its staff are not eligible, 实施条例第四十六条). */
  regulator_name: string;
  /** The province-or-more-specific `draw_rules` row that applied, copied at the request. */
  frequency_max: number;
  same_initiator_days: number;
  status: DrawStatus;
  shortfall: Json<DrawShortfall | null>;
  revealed_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 回避原因 (数据规范 9547): 1 投标单位 · 2 招标单位 · 3 主管部门 · 4 招标代理机构 · 9 其他. */
export type AvoidReasonCode = '1' | '2' | '3' | '4' | '9';

/**
 * 回避企业名单 entries the requester gave or the platform added (招标人、代理机构、主管部门). The lot's
 * bidders (回避原因 1) are never here: they are read at each round and kept sealed in the round.
 */
export interface ExpertDrawExclusionsTable {
  draw_id: string;
  seq: number;
  source: 'requester' | 'automatic';
  reason_code: AvoidReasonCode;
  reason_text: string;
  name: string;
  credit_code: string | null;
  organization_id: string | null;
}

export type RoundKind = 'initial' | 'supplementary';
/** Why a 补抽: the expert declined 拒绝, did not answer in time 未答复, or declared a conflict 回避. */
export type SupplementaryReason = 'declined' | 'no-answer' | 'conflict';
export type RoundStatus = 'committed' | 'drawn';

/**
 * One round of drawing: the first draw, or a 补抽 replacing one assignment. The seed and the eligible list
 * are sealed until the reveal; their commitments are public from the commit on.
 */
export interface ExpertDrawRoundsTable {
  draw_id: string;
  round: number;
  kind: RoundKind;
  reason: SupplementaryReason | null;
  replaces_assignment_id: string | null;
  needs: Json<{ g: number; count: number }[]>;
  status: RoundStatus;
  /** hex seed, sealed (context `expert-draw-seed:<drawId>:<round>`). */
  seed_sealed: string;
  /** canonical JSON of the ordered list, sealed (context `expert-draw-list:<drawId>:<round>`). */
  list_sealed: string;
  seed_commitment: string;
  list_hash: string;
  list_size: number;
  funnel: Json<{ g: number; steps: FunnelStep[] }[]>;
  /** The lot's bidders avoided in this round (回避原因 1), sealed JSON (context `expert-draw-bidders:<drawId>:<round>`). */
  bidders_sealed: string;
  commit_event_id: Int8;
  checkpoint_tree_size: Int8 | null;
  checkpoint_root_hash: string | null;
  checkpoint_issued_at: Date | null;
  /** The selection [{g, codes}], sealed (context `expert-draw-selected:<drawId>:<round>`). */
  selected_sealed: string | null;
  draw_event_id: Int8 | null;
  committed_at: Date;
  drawn_at: Date | null;
}

/**
 * notified 待确认 · confirmed 已确认 · declined 已拒绝 · no-answer 未答复 · conflict 已回避（作废，实施条例第四十八条）
 * · cancelled 抽取已取消.
 */
export type AssignmentStatus = 'notified' | 'confirmed' | 'declined' | 'no-answer' | 'conflict' | 'cancelled';

/** What an assignment seals about its expert (context `expert-assignment:<id>`). */
export interface SealedAssignee {
  expertId: string;
  code: string;
  name: string;
  accountId: string | null;
}

/** A drawn expert's assignment (抽取结果). Who it is stays sealed until the reveal. */
export interface ExpertAssignmentsTable {
  id: string;
  draw_id: string;
  round: number;
  group_index: number;
  position: number;
  /** sealer.blindIndex('expert', expertId): the expert's own list. */
  expert_ref: string;
  /** SM4 tag of the expert code (refs.ts): the busy / frequency / same-initiator rules. */
  code_tag: string;
  expert_sealed: string;
  initiator_organization_id: string;
  period_from: Date;
  period_to: Date;
  status: AssignmentStatus;
  respond_by: Date;
  responded_at: Date | null;
  /** The expert's reason for declining or 回避, sealed (context `expert-assignment-reason:<id>`). */
  reason_sealed: string | null;
  replaced_by_round: number | null;
  created_at: ColumnType<Date, Date, never>;
}

export type NotificationChannel = 'in-app' | 'sms';
/** pending 待发送 · sent 已发送 · failed 发送失败（已停止重试）· not-configured 未配置短信网关. */
export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'not-configured';

/** 抽取通知 outbox: an in-app notice and an SMS/voice notice per drawn expert. */
export interface ExpertNotificationsTable {
  id: string;
  assignment_id: string;
  draw_id: string;
  channel: NotificationChannel;
  /** The phone number, sealed (context `expert-notification-phone:<id>`); null for in-app. */
  recipient_sealed: string | null;
  /** Names the project, the lot, the time and the venue — never the bidders. */
  message: string;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  created_at: ColumnType<Date, Date, never>;
}

/** 抽取规则 per region (the supervisor sets them): national texts set no numbers (docs/draws.md). */
export interface DrawRulesTable {
  region_code: string;
  /** 'frequency': at most this many draws of one expert in the 30 days before an evaluation. */
  frequency_max: number;
  /** 'same-initiator': not drawn for the same initiator within this many days. */
  same_initiator_days: number;
  updated_at: Date;
  updated_by: string | null;
}

export interface DrawsTables {
  expert_draws: ExpertDrawsTable;
  expert_draw_exclusions: ExpertDrawExclusionsTable;
  expert_draw_rounds: ExpertDrawRoundsTable;
  expert_assignments: ExpertAssignmentsTable;
  expert_notifications: ExpertNotificationsTable;
  draw_rules: DrawRulesTable;
}
