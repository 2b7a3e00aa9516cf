import type { ColumnType, Generated } from 'kysely';
import type { CalendarDate } from '../../platform/clock/index.ts';

/** submitted 已登记待受理 · returned 已退回待补正 · received 已受理 (§15, §48(1): 受理 is never 审批). */
export type ProjectStatus = 'submitted' | 'returned' | 'received';

/** A lot's registration status: registered 已登记 → received 已受理 (later modules keep their own states). */
export type LotStatus = 'registered' | 'received';

/** active 有效 · revoked 已撤销 · expired 已过期 (validity ended; closed when the next one is recorded). */
export type AuthorisationStatus = 'active' | 'revoked' | 'expired';

/** 交易方式, as the trading catalog names them. */
export type TradingMode = 'tender' | 'procurement' | 'auction' | 'listing' | 'other';

/** 项目审批（核准、备案）文件 (数据规范 PROJECT.APPROVAL_NAME / APPROVAL_NUMBER / APPROVAL_AUTHORITY). */
export interface ApprovalDocument {
  name: string;
  number: string;
  authority: string;
  /** SHA-256 of the scanned document in the blob store, when uploaded. */
  blobId: string | null;
}

/**
 * 项目 (数据规范 PROJECT) together with its 招标项目 (TENDER_PROJECT): a registration has exactly one tender
 * project for now, so its code (`tender_project_code`, 20) lives on the same row — see codes.ts.
 */
export interface ProjectsTable {
  id: string;
  /** PROJECT_CODE, 17 characters. */
  code: string;
  /** TENDER_PROJECT_CODE, 20 characters = code + 3-digit sequence. */
  tender_project_code: string;
  name: string;
  /** 交易目录 item (§10), e.g. '0101'; may be reclassified by the trading centre at 受理. */
  catalog_item_code: string;
  /** 交易方式, confirmed at 受理. */
  trading_mode: TradingMode | null;
  /** 依法必须招标 (IS_TO_LAW). */
  mandatory_tender: boolean;
  fund_source: string;
  /** 预算/估算 in yuan, numeric(18,2). */
  budget: ColumnType<string, string, string>;
  region_code: string;
  address: string | null;
  approval_documents: ColumnType<ApprovalDocument[], string, string>;
  /** 行政监督部门 in charge (§5). */
  regulator: string;
  /** 投资项目统一代码 (INVEST_PROJECT_CODE, 24). */
  investment_project_code: string | null;
  initiator_organization_id: string;
  initiator_name: string;
  status: ProjectStatus;
  /** 退回补正 reasons, while returned. */
  return_reasons: ColumnType<string[] | null, string | null, string | null>;
  /** Incremented on every edit; 受理 names the version it checked. */
  version: number;
  /** The last lot sequence number used (lot codes are never reused). */
  last_lot_seq: number;
  received_at: Date | null;
  received_by: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 标段/包 (数据规范 SECTION). */
export interface LotsTable {
  id: string;
  project_id: string;
  /** BID_SECTION_CODE, 23 characters = tender project code + 3-digit sequence. */
  code: string;
  seq: number;
  name: string;
  /** ProcedureType of trading/procedures. */
  procedure_type: string;
  /** 标段估算/合同估算价 in yuan, numeric(18,2). */
  estimate: ColumnType<string, string, string>;
  content: string;
  /** The date whose law applies to this lot: its registration date (Asia/Shanghai). */
  rules_as_of: CalendarDate;
  status: LotStatus;
  received_at: Date | null;
  created_by: string;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 委托代理: an initiator's authorisation of an agency for one project, on record. */
export interface AgencyAuthorisationsTable {
  id: string;
  project_id: string;
  agency_organization_id: string;
  agency_name: string;
  document_name: string;
  document_number: string | null;
  document_blob_id: string | null;
  scope: string;
  valid_from: CalendarDate;
  /** Last day of validity; null = until the project ends (or revoked). */
  valid_until: CalendarDate | null;
  status: AuthorisationStatus;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date, never>;
}

/** The last project sequence number used per region and day (codes.ts); a row per region-day. */
export interface ProjectCodeSequencesTable {
  region_code: string;
  day: string;
  last_seq: number;
}

/** A lot under the threshold that, with the initiator's other small lots of the item, reaches it (§49(1)). */
export interface SplitFlagsTable {
  id: Generated<number>;
  lot_id: string;
  project_id: string;
  initiator_organization_id: string;
  catalog_item_code: string;
  threshold: ColumnType<string, string, never>;
  total: ColumnType<string, string, never>;
  /** The lots counted (this one included): id, code, name, project code, estimate, registration date. */
  evidence: ColumnType<SplitFlagEvidenceLot[], string, never>;
  citation: string;
  window_from: CalendarDate;
  created_at: ColumnType<Date, Date, never>;
}

export interface SplitFlagEvidenceLot {
  lotId: string;
  lotCode: string;
  lotName: string;
  projectCode: string;
  projectName: string;
  estimateYuan: string;
  rulesAsOf: CalendarDate;
}

export interface ProjectsTables {
  projects: ProjectsTable;
  lots: LotsTable;
  agency_authorisations: AgencyAuthorisationsTable;
  project_code_sequences: ProjectCodeSequencesTable;
  split_flags: SplitFlagsTable;
}
