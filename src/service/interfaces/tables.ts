import type { ColumnType, Generated } from 'kysely';

export type SystemStatus = 'active' | 'revoked';
export type SystemKind = 'third-party' | 'city-centre';
export type RecordResultStatus = 'accepted' | 'duplicate' | 'rejected';

/**
 * 第三方交易系统与盟市平台 (§29, §31) that may call the platform's interfaces: a 平台目录 entry, its SM2
 * certificate, and the data it owns (region prefixes and data-specification tables).
 */
export interface ThirdPartySystemsTable {
  id: string;
  /** 平台目录 code (T…/P…, 11 characters): also the caller id in X-Ggzy-System. */
  platform_code: string;
  name: string;
  kind: SystemKind;
  certificate_pem: string;
  public_key_pem: string;
  /** SM3 of the certificate's DER, hex. */
  certificate_sm3: string;
  certificate_subject: string;
  certificate_not_after: Date;
  /** JSON array of region code prefixes (e.g. ["1501"]). */
  region_prefixes: string;
  /** JSON array of data-specification table names. */
  tables: string;
  status: SystemStatus;
  revoke_reason: string | null;
  registered_by: string;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  revoked_at: Date | null;
}

export interface InterfaceNoncesTable {
  system_id: string;
  nonce: string;
  expires_at: Date;
}

/** One version of one pushed record (idempotent on system + table + key + version). */
export interface InterfaceRecordsTable {
  seq: Generated<string>;
  system_id: string;
  table_name: string;
  record_key: string;
  /** DATA_TIMESTAMP (yyyyMMddHHmmss). */
  version: string;
  /** The first 统一交易标识码 the record names, if any. */
  deal_code: string | null;
  tender_project_code: string | null;
  region_code: string | null;
  /** The record as pushed, JSON. */
  data: string;
  push_id: string;
  received_at: Date;
}

/** One call of the aggregation port: counts and every record's result. */
export interface InterfacePushesTable {
  id: string;
  system_id: string;
  received_at: Date;
  total: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  /** JSON array of { index, table, status, problems }. */
  results: string;
  witness_event_id: ColumnType<string, string | number, never>;
}

export interface InterfacesTables {
  third_party_systems: ThirdPartySystemsTable;
  interface_nonces: InterfaceNoncesTable;
  interface_records: InterfaceRecordsTable;
  interface_pushes: InterfacePushesTable;
}
