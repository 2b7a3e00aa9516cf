import type { ColumnType } from 'kysely';

type Int8 = ColumnType<number, number | bigint, number | bigint>;
type Json<T> = ColumnType<T, string, string>;

export interface SummaryField {
  key: string;
  label: string;
  type: 'money' | 'text' | 'integer' | 'percent';
  required: boolean;
}

/**
 * One row per lot that has bid settings or received an upload: the tender's bid settings and the lot's
 * intake lock — completing a bid and the deadline job both lock this row FOR UPDATE, so "before the
 * deadline" is decided once, with no gap at the boundary.
 */
export interface BidLotSettingsTable {
  lot_id: string;
  summary_fields: Json<SummaryField[]>;
  deposit_forms: Json<('cash' | 'guarantee')[]>;
  allow_fallback: boolean;
  decrypt_window_minutes: number;
  max_part_bytes: Int8;
  /** True once the tender saved them (a row made only as the intake lock holds the defaults). */
  saved: boolean;
  updated_at: Date;
  updated_by: string | null;
}

/** 开标备用密钥 (电子招标投标办法第三十一条): the public half only; the private key exists as shares. */
export interface BidOpeningKeysTable {
  lot_id: string;
  key_id: string;
  public_key_pem: string;
  threshold: number;
  created_at: Date;
}

/** One custodian's Shamir share of the opening key's scalar, SM2-encrypted to its encryption certificate. */
export interface BidOpeningKeySharesTable {
  lot_id: string;
  share_index: number;
  custodian_account_id: string;
  label: string;
  /** base64url SM2Cipher DER (C1C3C2) of the share. */
  encrypted_share: string;
  enc_certificate_fingerprint: string;
}

export type UploadStatus = 'uploading' | 'completed' | 'expired';

/**
 * A bid being uploaded (resumable). Who uploads is sealed (`bidder_sealed`) and looked up by a blind
 * index (`bidder_ref`); the manifest names the bidder, so it is sealed too.
 */
export interface BidUploadsTable {
  id: string;
  lot_id: string;
  bidder_ref: string;
  bidder_sealed: string;
  manifest_sealed: string;
  manifest_sm3: string;
  nonce: string;
  status: UploadStatus;
  bid_id: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface BidUploadPartsTable {
  upload_id: string;
  no: number;
  sealed_length: Int8;
  sealed_sm3: string;
  algorithm: string;
  /** Bytes received and fsync'd. */
  received: Int8;
  /** SHA-256 once the whole part was verified and moved to the blob store (a retried completion reuses it). */
  verified_sha256: string | null;
}

/** 已递交的投标文件: live, superseded by a later one (替换), or withdrawn (撤回). */
export type BidStatus = 'live' | 'superseded' | 'withdrawn';

export interface BidsTable {
  id: string;
  lot_id: string;
  bidder_ref: string;
  /** Sealed JSON {organizationId, accountId, creditCode, name, ip, userAgent} (context `bid:<id>`). */
  bidder_sealed: string;
  upload_id: string;
  /** The signed manifest as received (canonical JSON), sealed (context `bid-manifest:<id>`). */
  manifest_sealed: string;
  manifest_sm3: string;
  nonce: string;
  status: BidStatus;
  received_at: Date;
  witness_event_id: Int8;
  /** The signed receipt without its witness proof, sealed (context `bid-receipt:<id>`): it names the bidder. */
  receipt_sealed: string;
  superseded_by: string | null;
  withdrawn_at: Date | null;
  withdrawal_event_id: Int8 | null;
}

export interface BidPartsTable {
  bid_id: string;
  no: number;
  kind: string;
  algorithm: string;
  sealed_sha256: string;
  sealed_sm3: string;
  sealed_length: Int8;
}

export interface BidsTables {
  bid_lot_settings: BidLotSettingsTable;
  bid_opening_keys: BidOpeningKeysTable;
  bid_opening_key_shares: BidOpeningKeySharesTable;
  bid_uploads: BidUploadsTable;
  bid_upload_parts: BidUploadPartsTable;
  bids: BidsTable;
  bid_parts: BidPartsTable;
}
