import type { ColumnType } from 'kysely';

/**
 * The lot's tender timeline status (招标进度), driven by the deadline jobs:
 *   scheduled 公告已发布、未到发售时间 → documents-open 招标文件发售中 → documents-closed 发售截止 →
 *   bids-closed 投标截止 → opening 开标; terminated 已终止 ends it from any state before the opening.
 * `suspended` (暂停, 条例第二十二条) is a flag beside the status: while set, the jobs do not advance it.
 */
export type TimelineStatus =
  | 'scheduled'
  | 'documents-open'
  | 'documents-closed'
  | 'bids-closed'
  | 'opening'
  | 'terminated';

/** One row per lot: its legal deadlines, computed and checked by the procedures module at publication. */
export interface TenderTimelinesTable {
  lot_id: string;
  lot_code: string;
  procedure_type: string;
  /** The date whose law applies (the lot's registration date, 'YYYY-MM-DD'). */
  rules_as_of: string;
  /** The announcement that set the timeline (招标公告/采购公告/投标邀请书). */
  announcement_id: string;
  published_at: Date;
  documents_from: Date;
  documents_until: Date;
  bid_deadline: Date;
  opening_at: Date;
  /** Last moment an objection to the documents may be filed (条例第二十二条: ≥10 日 before the deadline). */
  objection_until: Date | null;
  objection_citation: string | null;
  /** 投标保证金 the tender asks for (yuan, ≤ 2% of the estimate); null when none. */
  deposit_yuan: string | null;
  status: TimelineStatus;
  suspended: boolean;
  terminated_at: Date | null;
  /** Bumped on every change (postponement, suspension), for optimistic readers. */
  version: number;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export type AnnouncementStatus = 'draft' | 'published';

/** An attachment of an announcement: the content by hash, its name on this announcement. */
export interface AnnouncementAttachment {
  sha256: string;
  sm3: string;
  size: number;
  filename: string;
}

/**
 * 公告. Drafts are editable; a published row never changes (a change is a new 变更/更正公告 linked to it).
 * The portal reads only published rows; the search terms are computed in app code at publication
 * (jieba segmentation) so a bulk loader can fill the table without the application.
 */
export interface AnnouncementsTable {
  id: string;
  lot_id: string;
  lot_code: string;
  lot_name: string;
  project_name: string;
  procedure_type: string;
  /** AnnouncementKind of the procedures module. */
  kind: string;
  status: AnnouncementStatus;
  title: string;
  /** Plain text, never markup; the web shows it escaped. */
  body: string;
  documents_from: Date | null;
  documents_until: Date | null;
  bid_deadline: Date | null;
  opening_at: Date | null;
  /** 投标保证金 stated by a timeline-bearing announcement (yuan); null when none. */
  deposit_yuan: string | null;
  attachments: ColumnType<AnnouncementAttachment[], string, string>;
  /**
   * 投标邀请书 only: the 统一社会信用代码 of the organisations it invites, as drafted. Publication resolves
   * them into `tender_invitations`; not part of the signed canonical form (the invitation is not public).
   */
  invitees: ColumnType<string[], string | undefined, string>;
  /** The announcement this one changes or corrects (变更/更正/终止公告). */
  linked_to: string | null;
  catalog_item_code: string;
  /** 交易目录 category ('01'…'09'). */
  category_code: string;
  region_code: string;
  initiator_organization_id: string;
  created_by: string;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  published_at: Date | null;
  published_by: string | null;
  /** Canonical JSON of the published fields and attachment hashes, as signed. */
  canonical_json: string | null;
  content_sm3: string | null;
  /** SM3 of the normalised title + body and of the body alone, to recognise a pasted copy of the text. */
  text_sm3: string | null;
  body_sm3: string | null;
  /** SM2 signature (DER, hex) by the platform key `key_id` over the canonical JSON. */
  signature: string | null;
  key_id: string | null;
  /** jieba-segmented words, space separated; `search_vector` is generated from it. */
  search_terms: string;
  search_vector: ColumnType<string, never, never>;
}

/** 招标文件 versions: the original (version 1) and each amended version (澄清/修改). */
export interface TenderDocumentsTable {
  id: string;
  lot_id: string;
  version: number;
  sha256: string;
  sm3: string;
  size: number;
  filename: string;
  note: string | null;
  clarification_id: string | null;
  uploaded_by: string;
  uploaded_at: Date;
}

/** 澄清/修改: what changed, when, and what it did to the deadline (条例第二十一条 / 87号令第二十七条). */
export interface TenderClarificationsTable {
  id: string;
  lot_id: string;
  content: string;
  affects_preparation: boolean;
  issued_at: Date;
  issued_by: string;
  document_version: number | null;
  previous_bid_deadline: Date;
  new_bid_deadline: Date;
  postponed: boolean;
  rule_citation: string;
  change_announcement_id: string | null;
  objection_id: string | null;
}

/**
 * 招标文件下载记录. Secret until the opening (招标投标法第二十二条; 87号令第二十八条): no API returns who or
 * how many before `opening_at`. The witness event carries only `commitment` = SM3 of the record and a
 * random nonce, so the public log proves the record existed without telling whose it is.
 */
export interface TenderDownloadsTable {
  id: string;
  lot_id: string;
  document_version: number;
  organization_id: string;
  organization_name: string;
  account_id: string;
  downloaded_at: Date;
  ip: string | null;
  nonce: string;
  commitment: string;
}

/** A notice to an organisation (a downloader told of a clarification, an objector of the answer …). */
export interface TenderNotificationsTable {
  id: string;
  lot_id: string;
  organization_id: string;
  kind: string;
  title: string;
  body: string;
  reference_id: string | null;
  created_at: Date;
}

export type ObjectionStatus = 'pending' | 'answered';

/** 对招标文件的异议 (条例第二十二条): filed in its window, answered within 3 日, suspends meanwhile. */
export interface TenderObjectionsTable {
  id: string;
  lot_id: string;
  organization_id: string;
  organization_name: string;
  account_id: string;
  content: string;
  filed_at: Date;
  answer_due_at: Date;
  status: ObjectionStatus;
  answer: string | null;
  answered_at: Date | null;
  answered_by: string | null;
  changes_documents: boolean;
  clarification_id: string | null;
  overdue_flagged_at: Date | null;
}

/**
 * 邀请招标: an organisation the published 投标邀请书 invites (招标投标法第十七条; 87号令第十四条). Only
 * invitees obtain the documents and object to them. Named by the initiator, so shown to it and its
 * agency; to anyone else as secret as a download (招标投标法第二十二条): the witness event carries only
 * `commitment` = SM3 of the record and a random nonce.
 */
export interface TenderInvitationsTable {
  id: string;
  lot_id: string;
  announcement_id: string;
  organization_id: string;
  organization_name: string;
  credit_code: string;
  invited_at: Date;
  nonce: string;
  commitment: string;
}

export interface TendersTables {
  tender_timelines: TenderTimelinesTable;
  announcements: AnnouncementsTable;
  tender_documents: TenderDocumentsTable;
  tender_clarifications: TenderClarificationsTable;
  tender_downloads: TenderDownloadsTable;
  tender_notifications: TenderNotificationsTable;
  tender_objections: TenderObjectionsTable;
  tender_invitations: TenderInvitationsTable;
}
