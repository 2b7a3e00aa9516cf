import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Numeric = ColumnType<string, string, string>;

/**
 * 评标办法 (evaluation method): 经评审的最低投标价法 (works), 综合评估法/综合评分法 (both laws),
 * 最低评标价法 (government procurement).
 */
export type EvaluationMethod = 'lowest-evaluated-price' | 'comprehensive' | 'lowest-price';

/** The steps of an evaluation: 资格审查 → 初步评审 → 详细评审 (scored) → 价格评分 (computed by the platform). */
export type StepCode = 'qualification' | 'preliminary' | 'detailed';

/** A criterion of the plan: a pass/fail item (合格制) or a scored item (打分制) with its range. */
export interface PlanCriterion {
  id: string;
  step: StepCode;
  name: string;
  kind: 'pass-fail' | 'scored';
  /** Scored items: the range in points (two decimals at most). */
  min: number | null;
  max: number | null;
  /** Scored items: 客观分 (objective) — members must agree (87号令第六十四条 客观分评分不一致). */
  objective: boolean;
  /** Pass/fail items: the listed ground (否决投标/投标无效) a fail stands for. */
  ground: string | null;
}

/** 评标办法 of a lot: frozen at the bid deadline, its canonical JSON SM3-witnessed. */
export interface EvaluationPlan {
  method: EvaluationMethod;
  criteria: PlanCriterion[];
  /** 综合评估法: the price score's weight in points of 100 (87号令第五十五条: ≥30 goods, ≥10 services). */
  priceWeight: number | null;
  /** A price below this percentage of the average of the other qualified prices is flagged (87号令第六十条). */
  abnormalLowPercent: number;
  /** How many ranked candidates the report names (≤ 3, 实施条例第五十三条). */
  candidateCount: number;
}

/**
 * planned 已设定评标办法 · committee 评标中（委员会已组建）· aggregated 已汇总 · reporting 评标报告签署中 ·
 * reported 评标结束（报告已签署）.
 */
export type EvaluationStatus = 'planned' | 'committee' | 'aggregated' | 'reporting' | 'reported';

export interface EvaluationsTable {
  lot_id: string;
  project_id: string;
  initiator_organization_id: string;
  agency_organization_id: string | null;
  procedure_type: string;
  law: 'works' | 'gp';
  catalog_item_code: string;
  estimate_yuan: Numeric;
  method: EvaluationMethod;
  plan: Json<EvaluationPlan>;
  plan_sm3: string;
  plan_set_by: string;
  plan_set_at: Date;
  status: EvaluationStatus;
  draw_id: string | null;
  evaluation_starts_at: Date | null;
  evaluation_ends_at: Date | null;
  opening_record_sm3: string | null;
  committee_formed_at: Date | null;
  chair_member_id: string | null;
  /** The aggregation result (AggregationSnapshot), replaced by each 第六十四条 correction. */
  aggregation: Json<unknown> | null;
  aggregated_at: Date | null;
  outcome: 'candidates' | 'failed' | null;
  failed_reason: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export type MemberKind = 'expert' | 'initiator-representative';
/** active 在任 · replaced 已回避/更换（其评审无效，实施条例第四十八条）. */
export type MemberStatus = 'active' | 'replaced';

/** 评标委员会成员. */
export interface EvaluationMembersTable {
  id: string;
  lot_id: string;
  seq: number;
  kind: MemberKind;
  expert_id: string | null;
  assignment_id: string | null;
  account_id: string | null;
  name: string;
  venue_role: 'host' | 'away';
  venue_name: string;
  specialty_code: string | null;
  status: MemberStatus;
  replaced_reason: string | null;
  joined_at: Date;
  signed_in_at: Date | null;
  late: boolean;
  declared_at: Date | null;
  chair_vote_for: string | null;
  chair_voted_at: Date | null;
  left_at: Date | null;
  left_reason: string | null;
}

/** A member's submitted scoring sheet of a step (final once submitted). */
export interface EvaluationSheetsTable {
  lot_id: string;
  member_id: string;
  step: StepCode;
  sheet_sm3: string;
  submitted_at: Date;
}

/** One score of a sheet: pass/fail or points (hundredths of a point), with the reason for a fail/deduction. */
export interface EvaluationScoresTable {
  lot_id: string;
  member_id: string;
  step: StepCode;
  bid_id: string;
  criterion_id: string;
  passed: boolean | null;
  score_centi: number | null;
  reason: string | null;
}

/** 87号令第六十四条: a correction after the aggregation, with its ground, reason and who recorded it. */
export interface EvaluationAdjustmentsTable {
  id: string;
  lot_id: string;
  member_id: string;
  bid_id: string;
  criterion_id: string;
  old_centi: number | null;
  new_centi: number | null;
  old_passed: boolean | null;
  new_passed: boolean | null;
  ground: string;
  reason: string;
  recorded_by: string;
  recorded_by_name: string;
  recorded_at: Date;
}

/** 算术修正 (87号令第五十九条): the corrected price of a bid, with the rule applied and the reason. */
export interface EvaluationPriceCorrectionsTable {
  id: string;
  lot_id: string;
  bid_id: string;
  original_yuan: Numeric;
  corrected_yuan: Numeric;
  rule: string;
  reason: string;
  clarification_id: string;
  recorded_by: string;
  recorded_at: Date;
}

/** 否决投标 / 投标无效 decided by the committee, on a listed ground with its reason. */
export interface EvaluationRejectionsTable {
  id: string;
  lot_id: string;
  bid_id: string;
  ground: string;
  reason: string;
  recorded_by: string;
  recorded_at: Date;
}

export type ClarificationKind = 'general' | 'abnormally-low' | 'price-correction';

/** 澄清 (实施条例第五十二条): the committee's written question and the bidder's written answer. */
export interface EvaluationClarificationsTable {
  id: string;
  lot_id: string;
  bid_id: string;
  organization_id: string;
  kind: ClarificationKind;
  question: string;
  due_at: Date;
  asked_by: string;
  asked_at: Date;
  answer: string | null;
  answered_by: string | null;
  answered_at: Date | null;
}

/** 评标报告: canonical JSON and its SM3, the signing window, the archived PDF's hashes. */
export interface EvaluationReportsTable {
  id: string;
  lot_id: string;
  content: Json<unknown>;
  sm3: string;
  generated_at: Date;
  generated_by: string;
  signing_until: Date;
  completed_at: Date | null;
  pdf_sha256: string | null;
  pdf_sm3: string | null;
  pdf_size: number | null;
}

/** signed 签署 · dissent 签署并注明不同意见 · refused 拒签（书面理由）· deemed-agreed 视为同意（实施条例第五十三条）. */
export type SignatureKind = 'signed' | 'dissent' | 'refused' | 'deemed-agreed';

export interface EvaluationReportSignaturesTable {
  report_id: string;
  member_id: string;
  kind: SignatureKind;
  signature: string | null;
  certificate_fingerprint: string | null;
  text: string | null;
  signed_at: Date;
}

export interface EvaluationTables {
  evaluations: EvaluationsTable;
  evaluation_members: EvaluationMembersTable;
  evaluation_sheets: EvaluationSheetsTable;
  evaluation_scores: EvaluationScoresTable;
  evaluation_adjustments: EvaluationAdjustmentsTable;
  evaluation_price_corrections: EvaluationPriceCorrectionsTable;
  evaluation_rejections: EvaluationRejectionsTable;
  evaluation_clarifications: EvaluationClarificationsTable;
  evaluation_reports: EvaluationReportsTable;
  evaluation_report_signatures: EvaluationReportSignaturesTable;
}
