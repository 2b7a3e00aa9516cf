import type { ColumnType } from 'kysely';

type Json<T> = ColumnType<T, string, string>;

/** The body of law a complaint runs under: 工程建设 (招标投标法实施条例) or 政府采购 (财政部令第94号). */
export type ComplaintLaw = 'works' | 'gp';

/**
 * received 已收到（受理审查中）· correction 补正中 (政府采购) · accepted 已受理（调查处理中）
 * · paused 计时中止（检验、检测、鉴定、专家评审）· not-accepted 不予受理 · decided 已作出处理决定
 * · withdrawn 已撤回 · terminated 已终止 (政府采购: 受理后撤回).
 */
export type ComplaintStatus =
  | 'received'
  | 'correction'
  | 'accepted'
  | 'paused'
  | 'not-accepted'
  | 'decided'
  | 'withdrawn'
  | 'terminated';

/** 投标人/供应商 (took part in the lot) or 其他利害关系人 (11号令第三条). */
export type ComplainantKind = 'bidder' | 'interested-party';

/** Who signed the 投诉书: the 法定代表人/主要负责人, or an authorised representative with a 授权委托书. */
export type SignatoryCapacity = 'legal-representative' | 'authorised-agent';

/**
 * The stage a complaint item (投诉事项) concerns. 工程: documents 资格预审文件/招标文件 (条例第二十二条),
 * opening 开标 (第四十四条), result 评标结果 (第五十四条) need an 异议 first; other needs none.
 * 政府采购: documents 采购文件, process 采购过程, result 中标/成交结果 (94号令第十条), each after a 质疑.
 */
export type ItemStage = 'documents' | 'opening' | 'process' | 'result' | 'other';

/** Where the prior 异议/质疑 an item rests on is recorded. */
export type PriorSource = 'tenders' | 'opening' | 'awards' | 'challenge';

/** What a complaint item (or 质疑 item) is about, so that a complaint stays inside its 质疑 (第二十条). */
export type Matter =
  | 'qualification' // 资格条件
  | 'specification' // 技术、商务要求
  | 'scoring' // 评审因素与标准
  | 'procedure' // 程序与期限
  | 'evaluation' // 评审（评标）过程
  | 'result' // 中标（成交）结果
  | 'conduct' // 其他当事人的违法行为（串通、弄虚作假等）
  | 'other';

export interface ComplaintItem {
  no: number;
  stage: ItemStage;
  matter: Matter;
  text: string;
  prior: {
    source: PriorSource;
    id: string;
    /** For a 质疑 built here: which of its items. */
    itemNo: number | null;
  } | null;
  /** 第二十条 但书: the item arises from the 质疑's answer itself. */
  arisesFromAnswer: boolean;
}

export type MaterialKind = 'evidence' | 'power-of-attorney' | 'other';

/** An uploaded file (src/platform/blobs): referenced by its SHA-256, with the SM3 and size at filing. */
export interface Material {
  sha256: string;
  sm3: string;
  size: number;
  filename: string;
  kind: MaterialKind;
  description: string | null;
}

export interface Party {
  organizationId: string;
  /** initiator 招标人/采购人 · agency 招标/采购代理机构 · related 与投诉事项有关的当事人. */
  role: 'initiator' | 'agency' | 'related';
  name: string;
}

export type NotAcceptedReason =
  | 'not-interested'
  | 'no-prior-objection'
  | 'out-of-time'
  | 'vague'
  | 'unsigned'
  | 'already-handled'
  | 'in-review-or-litigation'
  | 'correction-not-made'
  | 'outside-jurisdiction'
  | 'duplicate';

export type Outcome =
  | 'rejected' // 驳回投诉
  | 'founded-correct' // 投诉成立，责令改正（工程）
  | 'founded-continue' // 投诉成立但未影响结果，继续采购活动（94号令第三十一、三十二条）
  | 'founded-redo' // 投诉成立，重新开展采购活动 / 重新招标
  | 'founded-void' // 认定中标（成交）结果无效
  | 'founded-cancel-contract' // 撤销合同，重新开展采购活动
  | 'founded-other-candidate' // 另行确定中标（成交）供应商（94号令第三十二条）
  | 'founded-damages'; // 合同已经履行，依法承担赔偿责任

/** 投诉 (complaint) to the regulator, for one lot, with its clocks. */
export interface ComplaintsTable {
  id: string;
  code: string;
  law: ComplaintLaw;
  lot_id: string;
  lot_code: string;
  lot_name: string;
  project_name: string;
  procedure_type: string;
  /** The scope subject (行业 × 地域) the handling department is found by. */
  region_code: string;
  catalog_item_code: string;
  /** 处理部门: the lot's 行政监督部门 (工程) or the 财政部门 of the purchaser's level (政府采购). */
  department: string;
  department_basis: string;
  complainant_organization_id: string;
  complainant_name: string;
  complainant_account_id: string;
  complainant_kind: ComplainantKind;
  complainant_address: string;
  contact_name: string;
  contact_phone: string;
  /** 其他利害关系人: how the complainant's interest is affected. */
  interest: string | null;
  signatory_name: string;
  signatory_capacity: SignatoryCapacity;
  respondents: Json<Party[]>;
  related: Json<Party[]>;
  facts: string;
  requests: string;
  legal_basis: string;
  /** 知道或者应当知道之日 (CalendarDate) and what shows it. */
  known_on: string;
  known_evidence: string;
  items: Json<ComplaintItem[]>;
  /** One key per item ("same matter" for 重复投诉): the prior 异议/质疑 it rests on, or its text's digest. */
  matter_keys: Json<string[]>;
  materials: Json<Material[]>;
  status: ComplaintStatus;
  received_at: Date;
  filing_deadline: Date;
  duplicate_of: string | null;
  /** 工程: 3 个工作日 to decide on acceptance; 政府采购: 5 个工作日 review (补正 time excluded). */
  acceptance_due_at: Date;
  accepted_at: Date | null;
  acceptance_overdue_at: Date | null;
  not_accepted_at: Date | null;
  not_accepted_reason: NotAcceptedReason | null;
  not_accepted_text: string | null;
  not_accepted_citation: string | null;
  correction_requested_at: Date | null;
  correction_items: string | null;
  correction_due_at: Date | null;
  corrected_at: Date | null;
  correction_text: string | null;
  correction_materials: Json<Material[]>;
  correction_lapsed_at: Date | null;
  /** 政府采购: copies to the respondent within 8 个工作日 of receipt. */
  copies_due_at: Date | null;
  copies_sent_at: Date | null;
  copies_overdue_at: Date | null;
  explanation_due_at: Date | null;
  explanation_at: Date | null;
  explanation_text: string | null;
  explanation_materials: Json<Material[]>;
  explanation_organization_id: string | null;
  explanation_overdue_at: Date | null;
  /** 工程: 30 个工作日 from acceptance; 政府采购: 30 个工作日 from receipt; excluded time added. Null until it runs. */
  decision_due_at: Date | null;
  excluded_working_days: number;
  decision_overdue_at: Date | null;
  decided_at: Date | null;
  outcome: Outcome | null;
  decision_reasoning: string | null;
  decision_handling: string | null;
  decision_legal_basis: string | null;
  decision_citation: string | null;
  decision_late: boolean;
  withdrawal_requested_at: Date | null;
  withdrawal_reason: string | null;
  withdrawal_decision: 'granted' | 'refused' | null;
  withdrawal_decided_at: Date | null;
  withdrawal_refusal_reason: string | null;
  closed_at: Date | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 检验、检测、鉴定、专家评审 (and 政府采购's 补正): time not counted in the handling periods. */
export type PauseReason = 'inspection' | 'testing' | 'appraisal' | 'expert-review' | 'correction';

export interface ComplaintPausesTable {
  id: string;
  complaint_id: string;
  reason: PauseReason;
  note: string | null;
  started_at: Date;
  ended_at: Date | null;
  excluded_working_days: number | null;
  started_by: string | null;
  ended_by: string | null;
}

export type NoticeKind =
  | 'received' // 投诉收到回执
  | 'correction' // 补正通知书
  | 'not-accepted' // 不予受理通知书
  | 'accepted' // 受理通知书
  | 'copy' // 投诉答复通知书及投诉书副本
  | 'suspension' // 暂停通知书
  | 'resumption' // 恢复通知书
  | 'withdrawal-granted' // 准予撤回
  | 'withdrawal-refused' // 不准撤回
  | 'termination' // 终止通知书
  | 'decision'; // 投诉处理决定书

/** A written document (文书) delivered to a party; each party's screen shows what was delivered to it. */
export interface ComplaintNoticesTable {
  id: string;
  /** Delivery order (several notices may share an instant). */
  seq: ColumnType<string, never, never>;
  complaint_id: string;
  kind: NoticeKind;
  recipient_organization_id: string;
  recipient_role: 'complainant' | 'respondent' | 'related';
  title: string;
  body: string;
  issued_at: Date;
  issued_by: string | null;
}

/** 政府采购 质疑 on the 采购过程 or 结果 (94号令第十条), filed with the purchaser / agency. */
export type ChallengeStage = 'process' | 'result';

export interface ChallengeItem {
  no: number;
  matter: Matter;
  text: string;
}

export interface ComplaintChallengesTable {
  id: string;
  lot_id: string;
  lot_code: string;
  lot_name: string;
  project_name: string;
  stage: ChallengeStage;
  /** The procedural step challenged (e.g. 资格审查、评审、确定成交). */
  step: string;
  organization_id: string;
  organization_name: string;
  account_id: string;
  contact_name: string;
  contact_phone: string;
  known_on: string;
  known_evidence: string;
  items: Json<ChallengeItem[]>;
  facts: string;
  requests: string;
  legal_basis: string;
  materials: Json<Material[]>;
  filed_at: Date;
  /** 7 个工作日 from 知道或者应当知道之日. */
  deadline_at: Date;
  /** 7 个工作日 from receipt (94号令第十三条). */
  answer_due_at: Date;
  answer: string | null;
  answer_materials: Json<Material[]>;
  answered_at: Date | null;
  answered_by: string | null;
  answer_late: boolean;
  overdue_flagged_at: Date | null;
  initiator_organization_id: string;
  agency_organization_id: string | null;
}

export interface ComplaintsTables {
  complaints: ComplaintsTable;
  complaint_pauses: ComplaintPausesTable;
  complaint_notices: ComplaintNoticesTable;
  complaint_challenges: ComplaintChallengesTable;
}
