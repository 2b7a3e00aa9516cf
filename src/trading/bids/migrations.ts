import type { SqlMigration } from '../../platform/db/index.ts';

export const bidsMigrations: SqlMigration[] = [
  {
    name: '0300_bids',
    statements: [
      `create table bid_lot_settings (
        lot_id text primary key,
        summary_fields jsonb not null,
        deposit_forms jsonb not null,
        allow_fallback boolean not null default false,
        decrypt_window_minutes integer not null check (decrypt_window_minutes between 5 and 1440),
        max_part_bytes int8 not null check (max_part_bytes > 0),
        saved boolean not null default false,
        updated_at timestamptz not null,
        updated_by text
      )`,
      `create table bid_opening_keys (
        lot_id text primary key,
        key_id text not null,
        public_key_pem text not null,
        threshold integer not null check (threshold >= 2),
        created_at timestamptz not null
      )`,
      `create table bid_opening_key_shares (
        lot_id text not null references bid_opening_keys(lot_id) on delete cascade,
        share_index integer not null,
        custodian_account_id text not null,
        label text not null,
        encrypted_share text not null,
        enc_certificate_fingerprint text not null,
        primary key (lot_id, share_index)
      )`,
      `create table bid_uploads (
        id text primary key,
        lot_id text not null,
        bidder_ref text not null,
        bidder_sealed text not null,
        manifest_sealed text not null,
        manifest_sm3 text not null,
        nonce text not null unique,
        status text not null check (status in ('uploading', 'completed', 'expired')),
        bid_id text,
        created_at timestamptz not null,
        finished_at timestamptz
      )`,
      `create index bid_uploads_lot_status on bid_uploads (lot_id, status)`,
      `create table bid_upload_parts (
        upload_id text not null references bid_uploads(id),
        no integer not null check (no >= 1),
        sealed_length int8 not null check (sealed_length >= 0),
        sealed_sm3 text not null,
        algorithm text not null,
        received int8 not null default 0 check (received >= 0 and received <= sealed_length),
        verified_sha256 text,
        primary key (upload_id, no)
      )`,
      `create table bids (
        id text primary key,
        lot_id text not null,
        bidder_ref text not null,
        bidder_sealed text not null,
        upload_id text not null unique references bid_uploads(id),
        manifest_sealed text not null,
        manifest_sm3 text not null,
        nonce text not null unique,
        status text not null check (status in ('live', 'superseded', 'withdrawn')),
        received_at timestamptz not null,
        witness_event_id int8 not null,
        receipt_sealed text not null,
        superseded_by text,
        withdrawn_at timestamptz,
        withdrawal_event_id int8
      )`,
      // At most one live bid per bidder and lot (替换 supersedes the earlier one in the same transaction).
      `create unique index bids_one_live on bids (lot_id, bidder_ref) where status = 'live'`,
      `create index bids_lot on bids (lot_id, status)`,
      `create table bid_parts (
        bid_id text not null references bids(id),
        no integer not null,
        kind text not null,
        algorithm text not null,
        sealed_sha256 text not null,
        sealed_sm3 text not null,
        sealed_length int8 not null,
        primary key (bid_id, no)
      )`,
      `create index bid_parts_sha256 on bid_parts (sealed_sha256)`,
    ],
  },
];
