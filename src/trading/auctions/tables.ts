import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;
/** numeric(18,2): yuan as a decimal string. */
type Numeric = ColumnType<string, string, string>;

/** The three ways of §10 (三)–(八) this engine runs: 挂牌 · 拍卖 · 网络竞价. */
export type AuctionProcedureType = 'listing' | 'auction' | 'online-bidding';

/**
 * draft 草稿 · announced 已公告（接受竞买申请）· bidding 竞价中 · closed 竞价结束（结果确定中）
 * · pre-deal 预成交（资格后审）· dealt 已成交 · failed 不成交（流拍）· terminated 已终止.
 */
export type AuctionStatus =
  | 'draft'
  | 'announced'
  | 'bidding'
  | 'closed'
  | 'pre-deal'
  | 'dealt'
  | 'failed'
  | 'terminated';

/**
 * listing 挂牌报价期 · free 自由竞价（报价）期 · entry 限时竞价确认期 · timed 限时竞价 · sealed 最高限价后的一次报价.
 */
export type AuctionPhase = 'listing' | 'free' | 'entry' | 'timed' | 'sealed';

export type BidKind = 'bid' | 'match' | 'sealed';
export type RegistrationStatus = 'registered' | 'qualified' | 'rejected' | 'withdrawn';

/** 限时竞价 entry rule: everyone · only those with a listed bid · those who confirm within `confirmMinutes`. */
export type TimedEntry = 'automatic' | 'listed-bid' | 'confirm';
/** Where 限时竞价 starts: the highest listed bid + one step (anyone may bid it) · the highest bid (its bidder leads). */
export type TimedStart = 'highest-plus-step' | 'highest';
export type BidMode = 'multiple' | 'single';
/** 资格后审 (预成交 → 资格审核 → 成交通知书) · 资格预审 (qualified at registration). */
export type Qualification = 'post' | 'pre';

/** All parameters of one auction, fixed at publication (the host may change only the step, witnessed). */
export interface AuctionTerms {
  title: string;
  description: string;
  startPriceYuan: string;
  stepYuan: string;
  depositYuan: string;
  announcementAt: string;
  registrationUntil: string;
  depositDeadline: string;
  biddingStartsAt: string;
  /** 挂牌: the end of the listing period. */
  listingEndsAt: string | null;
  listingDaysCounting: 'calendar' | 'working';
  /** 拍卖 / 网络竞价: the length of the free bidding period. */
  freeBiddingMinutes: number | null;
  countdownMinutes: number;
  timedEntry: TimedEntry;
  confirmMinutes: number;
  timedStart: TimedStart;
  minBidders: number;
  priceCapYuan: string | null;
  /** Minutes of the one-shot sealed round after the cap is reached. */
  sealedMinutes: number;
  bidMode: BidMode;
  qualification: Qualification;
  /** After a failed 资格审核: the next best bidder is offered the deal, or the lot fails. */
  qualificationFallback: 'next-best' | 'no-deal';
  valuationYuan: string | null;
  relisting: boolean;
  reapprovalDocument: string | null;
  preemptiveHolders: { creditCode: string; rank: number }[];
  /** 延牌: too few bidders at the start → the registration, the deposit deadline and the start move on. */
  autoExtend: boolean;
  /** Working days of each extension (≥ 5, 企业国有产权交易操作规则). */
  extensionWorkingDays: number;
  /** The most extensions the notice allows (0 when `autoExtend` is off). */
  maxExtensions: number;
}

export interface AuctionsTable {
  id: string;
  lot_id: string;
  project_id: string;
  lot_code: string;
  project_name: string;
  procedure_type: AuctionProcedureType;
  catalog_item_code: string;
  region_code: string;
  initiator_organization_id: string;
  agency_organization_id: string | null;
  title: string;
  status: AuctionStatus;
  phase: AuctionPhase | null;
  terms: Json<AuctionTerms>;
  /** The step in force (the host may change it during bidding). */
  step_yuan: Numeric;
  start_price_yuan: Numeric;
  /** 底价, sealed with the field key: JSON { amountYuan, salt }. */
  reserve_sealed: string | null;
  /** The public commitment: SM3("<salt>:<amountYuan>"), fixed before the start. */
  reserve_sm3: string | null;
  current_price_yuan: Numeric | null;
  leader_registration_id: string | null;
  /** When set, the next bid may be this amount (or floor + k×step) and the leader may bid too. */
  floor_yuan: Numeric | null;
  seq: number;
  chain_head: string;
  genesis_json: string | null;
  countdown_ends_at: Date | null;
  phase_ends_at: Date | null;
  bidding_starts_at: Date;
  announced_at: Date | null;
  started_at: Date | null;
  closed_at: Date | null;
  version: number;
  /** 延牌: extensions of the registration and the start made so far (≤ terms.maxExtensions). */
  extensions: ColumnType<number, number | undefined, number>;
  /** Ids of the supervisor's suspensions (trading/procedures) whose lost bidding time was given back. */
  credited_suspensions: ColumnType<string[], string | undefined, string>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 竞买申请: a bidder's registration, anonymous (a pseudonym; the organisation sealed) until the close. */
export interface AuctionRegistrationsTable {
  id: string;
  auction_id: string;
  /** Blind index of (auction, organisation): finds a bidder's registration without naming it. */
  bidder_ref: string;
  /** Blind index of the organisation alone: "my registrations" across auctions. */
  organization_ref: string;
  organization_sealed: string;
  pseudonym: string;
  preemptive_rank: number | null;
  status: RegistrationStatus;
  registered_at: Date;
  /** Deposit and credit checked (at the first bid or the 限时竞价 confirmation). */
  cleared_at: Date | null;
  timed_confirmed_at: Date | null;
  /** Not admitted to 限时竞价 under the entry rule. */
  timed_excluded: boolean;
}

export interface AuctionBidsTable {
  auction_id: string;
  seq: number;
  registration_id: string;
  amount_yuan: Numeric;
  at: Date;
  phase: AuctionPhase;
  kind: BidKind;
  prev_hash: string;
  hash: string;
}

export interface LotteryRecord {
  seed: string;
  priceYuan: string;
  rank: number;
  entrants: { registrationId: string; pseudonym: string; draw: string }[];
  order: string[];
}

export interface RankedBidder {
  registrationId: string;
  pseudonym: string;
  amountYuan: string;
  seq: number;
}

export interface AuctionResultsTable {
  auction_id: string;
  outcome: 'deal' | 'no-deal';
  /** no-deal: 'no-bids' | 'below-reserve' | 'insufficient-bidders' | 'qualification-failed' | 'terminated'. */
  reason: string | null;
  /** Who won the bidding itself (the record's result); the deal may pass to the next best after 资格审核. */
  close_winner_registration_id: string | null;
  winner_registration_id: string | null;
  winner_organization_id: string | null;
  price_yuan: Numeric | null;
  sealed_offer_yuan: Numeric | null;
  decided_at: Date;
  reserve_yuan: Numeric | null;
  reserve_salt: string | null;
  /** The order of the others (next best first) for a fallback after a failed 资格审核. */
  ranking: Json<RankedBidder[]>;
  lottery: Json<LotteryRecord | null>;
  pre_deal_at: Date | null;
  qualification_due: Date | null;
  qualification_overdue_at: Date | null;
  qualified_at: Date | null;
  qualification_reason: string | null;
  notice_at: Date | null;
  notice_json: string | null;
  notice_sm3: string | null;
  record_sm3: string | null;
  contract_note: string | null;
  updated_at: Date;
}

/**
 * transfer-notice 出让（转让）公告 · extension 延期公告（延牌）· pre-deal 预成交通知 · deal-notice 成交通知书
 * · deal-publicity 成交公示 · failure 不成交公告 · termination 终止公告.
 */
export type AuctionNoticeKind =
  | 'transfer-notice'
  | 'extension'
  | 'pre-deal'
  | 'deal-notice'
  | 'deal-publicity'
  | 'failure'
  | 'termination';

/**
 * Texts the auction publishes: 出让（转让）公告, 延期公告, 成交公示, 不成交/终止公告; the 预成交通知 and the
 * 成交通知书 to the winner only. A public one is also the platform-signed announcement `announcement_id`
 * (trading/tenders), which the portal's list, search and the open-data feed show.
 */
export interface AuctionNoticesTable {
  id: string;
  auction_id: string;
  kind: AuctionNoticeKind;
  title: string;
  body: string;
  body_sm3: string;
  public: boolean;
  published_at: Date;
  published_by: string | null;
  /** The portal announcement of a public notice (null: private, or published before 0821). */
  announcement_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Step changes by the host (witnessed; part of the record). */
export interface AuctionStepChangesTable {
  auction_id: string;
  after_seq: number;
  step_yuan: Numeric;
  at: Date;
  by_account_id: string | null;
}

export interface AuctionsTables {
  auctions: AuctionsTable;
  auction_registrations: AuctionRegistrationsTable;
  auction_bids: AuctionBidsTable;
  auction_results: AuctionResultsTable;
  auction_notices: AuctionNoticesTable;
  auction_step_changes: AuctionStepChangesTable;
}
