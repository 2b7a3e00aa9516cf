import type { ColumnType } from 'kysely';

type Int8 = ColumnType<number, number | bigint, number | bigint>;
type Json<T> = ColumnType<T, string, string>;

/**
 * Who rates whom (多方互评, §40–41, §46 ¶3):
 *   initiator-expert  招标人（采购人）评价评标专家      agency-expert   代理机构评价评标专家
 *   expert-initiator  评标专家评价招标人（采购人）      expert-agency   评标专家评价代理机构
 *   bidder-agency     投标人（供应商）评价代理机构      bidder-platform 投标人（供应商）评价交易平台
 */
export type RatingRelation =
  | 'initiator-expert'
  | 'agency-expert'
  | 'expert-initiator'
  | 'expert-agency'
  | 'bidder-agency'
  | 'bidder-platform';

export type RaterKind = 'organization' | 'expert';
export type RateeKind = 'organization' | 'expert' | 'platform';

/** How the project (the lot) ended: the 中标（成交）通知书, 流标, or 终止. */
export type EndKind = 'notice' | 'failed' | 'terminated';

/** 1–5 per dimension of the relation. */
export type Scores = Record<string, number>;

/**
 * The rating window of a lot: opened at the lot's end (read from the award module), 5 working days long,
 * with who took part captured then (committee members, parties, bidders).
 */
export interface RatingWindowsTable {
  lot_id: string;
  lot_code: string;
  lot_name: string;
  project_name: string;
  region_code: string;
  catalog_item_code: string;
  initiator_organization_id: string;
  initiator_name: string;
  agency_organization_id: string | null;
  agency_name: string | null;
  end_kind: EndKind;
  ended_at: Date;
  window_ends_at: Date;
  /** The committee's experts: [{expertId, accountId, code, name}]. */
  experts: Json<{ expertId: string; accountId: string | null; code: string; name: string }[]>;
  expert_ids: string[];
  /** The bidders whose bids were opened: [{organizationId, name}]. */
  bidders: Json<{ organizationId: string; name: string }[]>;
  bidder_organization_ids: string[];
  opened_at: ColumnType<Date, Date, never>;
}

/** One rating: once per rater, ratee and lot. */
export interface RatingsTable {
  id: string;
  lot_id: string;
  relation: RatingRelation;
  rater_kind: RaterKind;
  rater_id: string;
  rater_name: string;
  rater_account_id: string;
  ratee_kind: RateeKind;
  ratee_id: string;
  ratee_name: string;
  scores: Json<Scores>;
  /** Mean of the dimensions × 100, rounded. */
  score_centi: number;
  comment: string | null;
  /** The lot's region and 交易目录 (supervisors see what is in their scope). */
  region_code: string;
  catalog_item_code: string;
  created_at: ColumnType<Date, Date, never>;
}

/** 平台自评价 (§46 ¶2) of a quarter, by the trading centre. */
export interface ServiceSelfAssessmentsTable {
  id: string;
  period: string;
  scores: Json<Scores>;
  score_centi: number;
  summary: string;
  recorded_by: string;
  recorded_by_name: string;
  created_at: ColumnType<Date, Date, never>;
}

/** 外部评价 / 服务满意度调查 (§46 ¶2): one per account and quarter. */
export interface ServiceRatingsTable {
  id: string;
  period: string;
  account_id: string;
  organization_id: string | null;
  role: string;
  scores: Json<Scores>;
  score_centi: number;
  comment: string | null;
  created_at: ColumnType<Date, Date, never>;
}

/** How far the window opener has read the witness log. */
export interface RatingFeedCursorTable {
  name: string;
  after_leaf: Int8;
}

export interface RatingsTables {
  rating_windows: RatingWindowsTable;
  ratings: RatingsTable;
  service_self_assessments: ServiceSelfAssessmentsTable;
  service_ratings: ServiceRatingsTable;
  rating_feed_cursor: RatingFeedCursorTable;
}
