import type { ColumnType, Generated } from 'kysely';

/**
 * Where the projection of the witness log stands (one row): the last leaf index it has read, and the key
 * that signs feed cursors (so a client cannot forge a position).
 */
export interface OpendataProjectionTable {
  id: number;
  last_leaf_index: ColumnType<string | number, number, number>;
  cursor_key: string | null;
  updated_at: Date;
}

/**
 * 公开数据变更流 (§28): every OCDS release the platform has published, numbered by `seq` in the order of
 * the witness log (= commit order). Append-only: a row is never changed.
 */
export interface PublicReleasesTable {
  seq: ColumnType<string | number, number, never>;
  release_id: string;
  ocid: string;
  lot_id: string;
  trigger_kind: string;
  witness_event_id: ColumnType<string | number, number, never>;
  published_at: Date;
  /** The release as JSON text (stored as text so its bytes stay as published). */
  release: string;
}

/** The latest public snapshot of each process (for the data-specification export and compiled records). */
export interface PublicProcessesTable {
  lot_id: string;
  ocid: string;
  snapshot: string;
  updated_at: Date;
}

export type WebhookStatus = 'active' | 'disabled';

/** 数据推送订阅: a receiver of the feed, delivered in order, at least once, SM2-signed. */
export interface WebhookSubscriptionsTable {
  id: string;
  name: string;
  url: string;
  /** Trigger kinds it wants (empty array: all). */
  kinds: ColumnType<string[], string, string>;
  status: WebhookStatus;
  /** Releases up to this seq have been delivered (acknowledged with 2xx). */
  delivered_seq: ColumnType<string | number, number, number>;
  failures: number;
  next_attempt_at: Date;
  last_error: string | null;
  last_attempt_at: Date | null;
  created_by: string;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** One delivery attempt (a page of releases to one subscriber). */
export interface WebhookAttemptsTable {
  id: Generated<number>;
  subscription_id: string;
  first_seq: ColumnType<string | number, number, never>;
  last_seq: ColumnType<string | number, number, never>;
  attempted_at: Date;
  status_code: number | null;
  ok: boolean;
  error: string | null;
}

export interface OpendataTables {
  opendata_projection: OpendataProjectionTable;
  public_releases: PublicReleasesTable;
  public_processes: PublicProcessesTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_attempts: WebhookAttemptsTable;
}
