import type { ColumnType } from 'kysely';

/**
 * 开标大厅 (the remote opening hall) of one lot. Its state moves only by the preset steps (states.ts);
 * the clock-driven ones (the decryption and confirmation windows' ends) by jobs.
 */
export type HallState =
  | 'check-in' // 签到: at openingAt; bidders with a live bid sign in
  | 'revealed' // 已开标: bids revealed and counted (≥ the minimum)
  | 'decrypting' // 解密中: the decryption window runs
  | 'fallback' // 备用解密: custodians combine the opening key for bids that failed by no fault of the bidder
  | 'decrypted' // 解密结束: failures settled, record ready to publish
  | 'published' // 开标记录已公布: confirmation window
  | 'closed' // 开标结束
  | 'failed'; // 流标: fewer bids than the law asks (no opening)

export interface OpeningHallsTable {
  lot_id: string;
  lot_code: string;
  lot_name: string;
  procedure_type: string;
  opening_at: Date;
  state: HallState;
  paused: boolean;
  paused_at: Date | null;
  pause_reason: string | null;
  /** Milliseconds spent paused in total (the windows are extended by each pause). */
  paused_total_ms: ColumnType<number, number, number>;
  decrypt_window_minutes: number | null;
  decrypt_until: Date | null;
  confirm_until: Date | null;
  revealed_at: Date | null;
  /** Known only from the reveal on. */
  bid_count: number | null;
  minimum_bids: number | null;
  minimum_citation: string | null;
  failed_reason: string | null;
  allow_fallback: boolean;
  fallback_threshold: number | null;
  opening_key_id: string | null;
  record_json: string | null;
  record_sm3: string | null;
  record_signature: string | null;
  record_key_id: string | null;
  published_at: Date | null;
  closed_at: Date | null;
  /** Bumped on every change: the live view's sequence. */
  version: number;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 签到. Written from openingAt on; before the reveal only the bidder itself sees its row. */
export interface OpeningAttendanceTable {
  id: string;
  lot_id: string;
  organization_id: string;
  account_id: string;
  signed_in_at: Date;
}

/**
 * One revealed bid and how its decryption went (电子招标投标办法第三十一条):
 *   pending → decrypted (by the bidder's content keys) | fallback-decrypted (opening key)
 *   pending → revoked 撤销 (bidder's cause) | withdrawn 撤回 (not the bidder's cause, no fallback)
 */
export type DecryptionStatus =
  | 'pending'
  | 'decrypted'
  | 'awaiting-fallback'
  | 'fallback-decrypted'
  | 'revoked'
  | 'withdrawn';

export interface OpeningDecryptionsTable {
  bid_id: string;
  lot_id: string;
  /** Bidder order in the record: the order of submission. */
  seq: number;
  organization_id: string;
  account_id: string;
  bidder_name: string;
  credit_code: string;
  submitted_at: Date;
  manifest_sm3: string;
  status: DecryptionStatus;
  attempts: number;
  last_error: string | null;
  /** The host's record that a failure was not the bidder's fault (第三十一条), with its reason. */
  not_bidder_cause: boolean;
  cause_reason: string | null;
  cause_recorded_by: string | null;
  decrypted_at: Date | null;
  settled_reason: string | null;
}

/**
 * A part of a revealed bid: its sealed form (blob by SHA-256) and, once opened, its plaintext blob.
 * `content_key_sealed` holds a submitted content key (sealed under the field key) only until the
 * plaintext job has used it.
 */
export type PartStatus = 'sealed' | 'verifying' | 'opened' | 'key-rejected';

export interface OpeningPartsTable {
  bid_id: string;
  no: number;
  lot_id: string;
  kind: string;
  name: string;
  algorithm: string;
  sealed_sha256: string;
  sealed_sm3: string;
  sealed_length: ColumnType<number, number, number>;
  recipients: ColumnType<unknown, string, string>;
  status: PartStatus;
  content_key_sealed: string | null;
  plaintext_sha256: string | null;
  plaintext_sm3: string | null;
  plaintext_size: ColumnType<number | null, number | null, number | null>;
  error: string | null;
  updated_at: Date;
}

/** 开标记录 entry: bidder, price and the summary fields, as the decryption landed. */
export interface OpeningRecordEntriesTable {
  bid_id: string;
  lot_id: string;
  seq: number;
  bidder_name: string;
  credit_code: string;
  organization_id: string;
  fields: ColumnType<unknown, string, string>;
  price_yuan: string | null;
  decrypted_via: 'bidder' | 'opening-key';
  recorded_at: Date;
  /** Set when the bid later counted as 撤销/撤回 (a part's key never opened it). */
  void_reason: string | null;
}

/** 开标异议 (条例第四十四条第三款): raised in the hall, answered there. */
export interface OpeningObjectionsTable {
  id: string;
  lot_id: string;
  seq: number;
  organization_id: string;
  account_id: string;
  bidder_name: string;
  text: string;
  raised_at: Date;
  answer: string | null;
  answered_at: Date | null;
  answered_by: string | null;
}

/** 开标记录确认 (87号令第四十二条): signed from the CLI, a witnessed session, or silence after the window. */
export interface OpeningConfirmationsTable {
  id: string;
  lot_id: string;
  party: 'host' | 'bidder';
  organization_id: string;
  account_id: string | null;
  method: 'sm2-signature' | 'session' | 'silence';
  record_sm3: string;
  signature: string | null;
  certificate_fingerprint: string | null;
  confirmed_at: Date;
}

/** A custodian's plaintext opening-key share (sealed under the field key) until the threshold is met. */
export interface OpeningFallbackSharesTable {
  lot_id: string;
  share_index: number;
  custodian_account_id: string;
  share_sealed: string;
  posted_at: Date;
}

/** Every step of the hall, in order: who took it, from which state to which, and why. */
export interface OpeningStepsTable {
  id: ColumnType<number, never, never>;
  lot_id: string;
  step: string;
  from_state: string | null;
  to_state: string;
  account_id: string | null;
  reason: string | null;
  at: Date;
}

export interface OpeningTables {
  opening_halls: OpeningHallsTable;
  opening_attendance: OpeningAttendanceTable;
  opening_decryptions: OpeningDecryptionsTable;
  opening_parts: OpeningPartsTable;
  opening_record_entries: OpeningRecordEntriesTable;
  opening_objections: OpeningObjectionsTable;
  opening_confirmations: OpeningConfirmationsTable;
  opening_fallback_shares: OpeningFallbackSharesTable;
  opening_steps: OpeningStepsTable;
}
