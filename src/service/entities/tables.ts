import type { ColumnType, Generated } from 'kysely';
import type { EntityRole } from './entity-roles.ts';

/** 主体类型: 法人 · 非法人组织 · 自然人. */
export type EntityKind = 'legal_person' | 'other_organization' | 'natural_person';

/** submitted 已提交待受理 · returned 已退回待补正 · active 已受理 (§48(1): 受理, never 审批). */
export type EntityStatus = 'submitted' | 'returned' | 'active';

/** 证件类型 of a natural person or a legal representative. */
export type IdType =
  | 'resident_id'
  | 'passport'
  | 'hk_macao_permit'
  | 'taiwan_permit'
  | 'foreign_permanent_resident';

/**
 * 市场主体 (market entity, §30): a legal person or other organisation (数据规范 V4 100 LEGAL_PERSON_BASE) or a
 * natural person (114 INDIVIDUAL_BASE). Linked 1:1 to the kernel's `organizations` row, which its accounts
 * belong to. Dates are calendar dates 'YYYY-MM-DD' (Asia/Shanghai), kept as text so no time zone can move them.
 */
export interface MarketEntitiesTable {
  id: string;
  organization_id: string;
  kind: EntityKind;
  name: string;
  /** 统一社会信用代码 (LEGAL_CODE); null for a natural person. */
  credit_code: string | null;
  /** 登记管理部门码 and 机构类别码, positions 1 and 2 of the credit code (法人机构类别). */
  registration_authority_code: string | null;
  institution_category_code: string | null;
  roles: EntityRole[];
  /** 法定代表人 (LEGAL_REPRESENT) — legal persons and other organisations. */
  representative_name: string | null;
  representative_id_type: IdType | null;
  representative_id_number: string | null;
  representative_phone: string | null;
  /** 证件 of a natural person (ID_CARD_TYPE, ID_CARD, ID_CARD_END_DATE; null end date = 长期). */
  person_id_type: IdType | null;
  person_id_number: string | null;
  person_id_valid_until: string | null;
  /** 基本账户 (BASIC_BANK, BASIC_BRANCH_BANK, BASIC_ACCOUNT_NO, BASIC_ACCOUNT_NAME) — deposits are refunded here. */
  bank_name: string;
  bank_branch_code: string | null;
  bank_account_number: string;
  bank_account_name: string;
  region_code: string;
  address: string;
  zip_code: string | null;
  contact_name: string;
  contact_phone: string;
  contact_email: string | null;
  /** 营业执照 validity (LICENSE_END_DATE); null until = 长期. */
  licence_valid_from: string | null;
  licence_valid_until: string | null;
  /** 注册资本 in 万元 (REG_CAPITAL, REG_UNIT = 1), decimal text. */
  registered_capital: string | null;
  registered_capital_currency: string | null;
  status: EntityStatus;
  /** 退回补正 reason, while returned. */
  return_reason: string | null;
  /** The version last accepted (受理) by the trading centre. */
  accepted_version: number | null;
  accepted_at: Date | null;
  accepted_by: string | null;
  version: number;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 资质 — a qualification certificate (QUAL_NAME, QUAL_TYPE, QUAL_LEVEL, QUAL_CERT_NO, QUAL_CERT_END_DATE). */
export interface EntityQualificationsTable {
  id: string;
  entity_id: string;
  /** 资质序列、行业和专业类别 (QUAL_TYPE), free text or its 6-character code. */
  category: string;
  name: string;
  level: string | null;
  certificate_number: string;
  issuing_authority: string;
  valid_from: string | null;
  /** Last day of validity; null = 长期有效. */
  valid_until: string | null;
  /** When the periodic sweep recorded that the certificate expired (with a witness event). */
  expired_flagged_at: Date | null;
  created_at: ColumnType<Date, Date, never>;
}

/** 主体信息版本 — the full declared data after each change, who changed it and when. */
export interface EntityVersionsTable {
  id: Generated<number>;
  entity_id: string;
  version: number;
  action: string;
  snapshot: ColumnType<unknown, string, never>;
  /** SM3 of the snapshot's canonical JSON; the witness event carries it instead of the private data. */
  snapshot_sm3: string;
  changed_by: string | null;
  changed_at: Date;
}

export interface EntitiesTables {
  market_entities: MarketEntitiesTable;
  entity_qualifications: EntityQualificationsTable;
  entity_versions: EntityVersionsTable;
}
