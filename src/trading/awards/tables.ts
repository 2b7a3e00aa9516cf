import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
type Numeric = ColumnType<string, string, string>;

/**
 * One candidate of the evaluation report (中标候选人), as the award copied it when it opened: the rank and
 * score from the report, the price and the 开标一览表 fields (工期, 质量 …) from the opening record.
 */
export interface AwardCandidate {
  rank: number;
  bidId: string;
  organizationId: string;
  bidderName: string;
  creditCode: string;
  priceYuan: string;
  score: string | null;
  fields: Record<string, string>;
}

/**
 * reported 已收到评标报告 · evaluation-failed 评标失败（待宣布流标）· publicity 中标候选人公示中 (工程)
 * · confirmed 已确定中标人 · notified 已发出中标通知书 · contracted 已签订合同 · failed 流标 · terminated 已终止.
 */
export type AwardStatus =
  | 'reported'
  | 'evaluation-failed'
  | 'publicity'
  | 'confirmed'
  | 'notified'
  | 'contracted'
  | 'failed'
  | 'terminated';

/** Why a lot failed or ended after the opening (招标异常: 流标 / 终止). */
export type FailureReason = 'evaluation-failed' | 'all-candidates-declined' | 'terminated';

/** 实施条例第五十五条: the grounds on which the first candidate is passed over. */
export type SkipReasonCode = 'declined' | 'force-majeure' | 'no-performance-bond' | 'illegal-conduct';

/** 定标 of one lot (标段/包): the report received, publicity, the winner, the notice, a failure. */
export interface AwardLotsTable {
  lot_id: string;
  project_id: string;
  lot_code: string;
  lot_name: string;
  project_name: string;
  procedure_type: string;
  law: 'works' | 'gp';
  mandatory_tender: boolean;
  initiator_organization_id: string;
  agency_organization_id: string | null;
  regulator: string;
  status: AwardStatus;
  /** From the evaluation's outcome; null when the lot failed before any report. */
  report_id: string | null;
  report_sm3: string | null;
  reported_at: Date | null;
  method: string | null;
  candidates: Json<AwardCandidate[]>;
  /** 工程: publish the candidates by (report + 3 日); 政府采购: decide by (report + 5 工作日). */
  due_at: Date | null;
  late_flagged_at: Date | null;
  publicity_announcement_id: string | null;
  publicity_published_at: Date | null;
  publicity_ends_at: Date | null;
  objection_channel: string | null;
  winner_bid_id: string | null;
  winner_organization_id: string | null;
  winner_name: string | null;
  winner_credit_code: string | null;
  winner_price_yuan: Numeric | null;
  winner_rank: number | null;
  confirmed_at: Date | null;
  confirmed_by: string | null;
  /** 政府采购: the purchaser did not decide in 5 工作日, the first candidate is deemed the winner. */
  deemed: boolean;
  skip_reason_code: SkipReasonCode | null;
  skip_reason_text: string | null;
  notice_due_at: Date | null;
  notice_late_flagged_at: Date | null;
  notice_issued_at: Date | null;
  notice_json: string | null;
  notice_sm3: string | null;
  notice_signature: string | null;
  notice_key_id: string | null;
  result_announcement_id: string | null;
  result_publicity_ends_at: Date | null;
  failure_reason: FailureReason | null;
  failure_text: string | null;
  failed_at: Date | null;
  termination_announcement_id: string | null;
  contracted_at: Date | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 异议 on the evaluation result, raised by a bidder during the publicity (实施条例第五十四条). */
export interface AwardObjectionsTable {
  id: string;
  lot_id: string;
  seq: number;
  organization_id: string;
  bidder_name: string;
  account_id: string;
  text: string;
  raised_at: Date;
  answer_due_at: Date;
  answer: string | null;
  answered_at: Date | null;
  answered_by: string | null;
  late_flagged_at: Date | null;
}

export interface AwardsTables {
  award_lots: AwardLotsTable;
  award_objections: AwardObjectionsTable;
}
