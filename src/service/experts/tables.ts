import type { ColumnType } from 'kysely';

/** 在库 · 暂停 · 退出 — decided by the regulator (§40); the platform records the decision. */
export type ExpertStatus = 'active' | 'suspended' | 'retired';

/** 职称等级: 正高 · 副高 · 中级 · 其他. */
export type TitleLevel = 'senior' | 'vice-senior' | 'intermediate' | 'other';

export type Gender = 'male' | 'female';

/** 工作单位性质. */
export type EmployerKind = 'enterprise' | 'government' | 'public-institution' | 'university' | 'other';

/**
 * Declared relationships (政府采购法实施条例第九条, 评标委员会和评标方法暂行规定第十二条):
 * 配偶受聘 · 近亲属受聘 · 持股 · 任职（董事、监事等） · 曾受聘（三年内） · 其他.
 */
export type RelationshipKind =
  | 'spouse-employer'
  | 'relative-employer'
  | 'shareholding'
  | 'director'
  | 'former-employer'
  | 'other';

/** 培训 · 考核 · 评标表现 · 信用. */
export type ExpertRecordKind = 'training' | 'assessment' | 'performance' | 'credit';

/** 申请状态: 待审核 · 已入库 · 未通过. */
export type ApplicationStatus = 'submitted' | 'admitted' | 'rejected';

/** Calendar dates are stored as 'YYYY-MM-DD' text (Asia/Shanghai dates, like the entities module). */
type DateText = string;

/** Expert 评标评审专家 — one person in the 综合评标评审专家库 (§33). */
export interface ExpertsTable {
  id: string;
  /** 专家编号, e.g. ZJ15000001: stable and pseudonymous — what a public draw record shows. */
  code: string;
  /** The expert's login (role `expert`); null for a record imported without an account. */
  account_id: string | null;
  application_id: string | null;
  name: string;
  gender: Gender;
  /** 身份证号, sealed under the field key (context `expert-id-number:<id>`). */
  id_number_sealed: string;
  /** Blind index of the ID number: the same person cannot be in the pool twice. */
  id_number_index: string;
  id_number_masked: string;
  phone_sealed: string;
  phone_masked: string;
  employer_name: string;
  employer_credit_code: string | null;
  employer_organization_id: string | null;
  employer_kind: EmployerKind;
  /** 6-digit 行政区划代码 where the expert works. */
  region_code: string;
  title: string;
  title_level: TitleLevel;
  education: string | null;
  years_in_field: number;
  status: ExpertStatus;
  status_reason: string | null;
  /** 暂停至 (inclusive); null for 在库 / 退出 or a suspension without an end. */
  suspended_until: DateText | null;
  admitted_at: Date;
  version: number;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface ExpertSpecialtiesTable {
  expert_id: string;
  /** 评标专家专业分类 code (发改法规〔2018〕316号), leaf or inner. */
  code: string;
  is_main: boolean;
  /** = experts.region_code (denormalised for the draw's index; updated with it). */
  region_code: string;
  /** Copies of experts.code, status, suspended_until and employer_* for the draw's index (store.ts keeps them). */
  expert_code: string;
  status: ExpertStatus;
  suspended_until: string | null;
  employer_credit_code: string | null;
  employer_organization_id: string | null;
  employer_name: string;
}

/** Dates the expert cannot serve (from … to, inclusive), declared by the expert. */
export interface ExpertUnavailabilityTable {
  id: string;
  expert_id: string;
  from_date: DateText;
  to_date: DateText;
  reason: string | null;
  created_at: ColumnType<Date, Date, never>;
}

export interface ExpertRelationshipsTable {
  id: string;
  expert_id: string;
  kind: RelationshipKind;
  organization_name: string;
  /** Needed for the automatic avoidance rule; rows without one are still shown to the supervisor. */
  credit_code: string | null;
  organization_id: string | null;
  /** For a former employer: when it ended (counts for 3 years after). */
  ended_on: DateText | null;
  note: string | null;
  /** Declaration order (shown in it). */
  position: ColumnType<number, number | undefined, number>;
  created_at: ColumnType<Date, Date, never>;
}

/** 面向社会公开征集: an application to join the pool, decided by the regulator. */
export interface ExpertApplicationsTable {
  id: string;
  account_id: string;
  name: string;
  gender: Gender;
  id_number_sealed: string;
  id_number_index: string;
  id_number_masked: string;
  phone_sealed: string;
  phone_masked: string;
  employer_name: string;
  employer_credit_code: string | null;
  employer_kind: EmployerKind;
  region_code: string;
  title: string;
  title_level: TitleLevel;
  education: string | null;
  years_in_field: number;
  specialty_codes: string[];
  statement: string | null;
  status: ApplicationStatus;
  decision_reason: string | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  expert_id: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 培训 · 考核 · 评标表现 · 信用 records of an expert. */
export interface ExpertRecordsTable {
  id: string;
  expert_id: string;
  kind: ExpertRecordKind;
  title: string;
  detail: string | null;
  /** 结果 (合格/不合格, 优/良/中/差, 奖励/处罚 …). */
  result: string | null;
  /** 依据 (for a credit record: 处罚依据). */
  basis: string | null;
  occurred_on: DateText;
  /** A credit record's restriction (限制行为) ends on this date. */
  valid_until: DateText | null;
  lot_id: string | null;
  recorded_by: string | null;
  recorded_by_name: string | null;
  created_at: ColumnType<Date, Date, never>;
}

export interface ExpertsTables {
  experts: ExpertsTable;
  expert_specialties: ExpertSpecialtiesTable;
  expert_unavailability: ExpertUnavailabilityTable;
  expert_relationships: ExpertRelationshipsTable;
  expert_applications: ExpertApplicationsTable;
  expert_records: ExpertRecordsTable;
}
