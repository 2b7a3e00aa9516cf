import type { ColumnType } from 'kysely';
import type { ContractLaw } from './rules.ts';

type Json<T> = ColumnType<T, string, string>;
type Numeric = ColumnType<string, string, string>;

/** The contract's main terms (主要条款), as drafted from the tender and the winning bid (实施条例第五十七条). */
export interface ContractTerms {
  /** 合同标的 / 工程范围. */
  scope: string;
  /** 履行期限: 工期 / 交货期 / 服务期, as bid. */
  period: string | null;
  /** 质量标准, as bid. */
  quality: string | null;
  /** 价款支付方式. */
  payment: string;
  other: string | null;
}

/**
 * draft 草拟 · signing 签署中（一方已签）· signed 已签订. How it was signed: 'online' (both parties' SM2
 * signatures over the contract's SM3) or 'upload' (an already-signed PDF with both detached signatures).
 */
export type ContractStatus = 'draft' | 'signing' | 'signed';
export type SigningMethod = 'online' | 'upload';

/** 合同 (§23): one per lot, drafted by the initiator from the award. */
export interface ContractsTable {
  id: string;
  lot_id: string;
  project_id: string;
  law: ContractLaw;
  lot_code: string;
  lot_name: string;
  project_name: string;
  initiator_organization_id: string;
  initiator_name: string;
  agency_organization_id: string | null;
  supplier_organization_id: string;
  supplier_name: string;
  supplier_credit_code: string;
  winning_bid_id: string;
  notice_sm3: string;
  notice_issued_at: Date;
  due_at: Date;
  regulator: string;
  title: string;
  price_yuan: Numeric;
  performance_bond_yuan: Numeric | null;
  terms: Json<ContractTerms>;
  contract_json: string;
  contract_sm3: string;
  status: ContractStatus;
  method: SigningMethod | null;
  pdf_sha256: string | null;
  signed_at: Date | null;
  late: boolean;
  late_reason: string | null;
  late_reason_by: string | null;
  refunds_scheduled_at: Date | null;
  publication_due_at: Date | null;
  publication_late_at: Date | null;
  published_at: Date | null;
  announcement_id: string | null;
  drafted_by: string;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export type ContractParty = 'initiator' | 'supplier';

/** A party's SM2 signature over the contract (online) or over the signed PDF's hash (upload). */
export interface ContractSignaturesTable {
  contract_id: string;
  party: ContractParty;
  organization_id: string;
  account_id: string;
  method: SigningMethod;
  message_sm3: string;
  signature: string;
  certificate_fingerprint: string;
  signed_at: Date;
}

/**
 * reminder 签约提醒（期限前7日、1日）· overdue 逾期未签订 · late-signed 超期签订（附理由）· publication-late
 * 合同公告逾期 (政府采购). Audience 'parties' shows on both parties' contract page; 'regulator' on the
 * supervision side's list as well.
 */
export type AlertKind = 'reminder' | 'overdue' | 'late-signed' | 'publication-late';

export interface ContractAlertsTable {
  id: string;
  lot_id: string;
  contract_id: string | null;
  kind: AlertKind;
  days_before: number;
  audience: 'parties' | 'regulator';
  regulator: string;
  project_name: string;
  lot_name: string;
  title: string;
  detail: string;
  citation: string;
  created_at: Date;
}

export interface ContractsTables {
  contracts: ContractsTable;
  contract_signatures: ContractSignaturesTable;
  contract_alerts: ContractAlertsTable;
}
