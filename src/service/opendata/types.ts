/**
 * 公开数据 (§28): what the platform publishes of one contracting process — one lot (标段/包) — at a moment.
 * Built only from what the law has already made public: bidders after the opening record, candidates and
 * the winner after their announcements, experts (a reference only) after the result.
 */

/** A party as published: the organisation's name and 统一社会信用代码. */
export interface SnapshotParty {
  organizationId: string;
  name: string;
  creditCode: string;
  regionCode: string | null;
}

/** A published announcement (公告) of the lot. */
export interface SnapshotAnnouncement {
  id: string;
  /** AnnouncementKind of the procedures module: tender, change, correction, termination, candidates, result, contract … */
  kind: string;
  kindNameZh: string;
  title: string;
  body: string;
  publishedAt: Date;
  documentsFrom: Date | null;
  documentsUntil: Date | null;
  bidDeadline: Date | null;
  openingAt: Date | null;
  depositYuan: string | null;
  linkedTo: string | null;
  /** The portal path of the announcement (/announcements/<id>). */
  url: string;
}

/** One bid of the published opening record (开标记录). */
export interface SnapshotBid {
  bidId: string;
  seq: number;
  bidderName: string;
  creditCode: string;
  priceYuan: string | null;
}

/** 中标候选人 as the publicity names them. */
export interface SnapshotCandidate {
  rank: number;
  bidderName: string;
  creditCode: string;
  priceYuan: string;
  score: string | null;
}

export interface ProcessSnapshot {
  /** `<prefix>-<lot code>`: one OCDS contracting process per lot. */
  ocid: string;
  asOf: Date;
  lot: {
    id: string;
    /** 标段（包）编号, 23 characters. */
    code: string;
    name: string;
    projectId: string;
    /** 项目编号, 17 characters. */
    projectCode: string;
    /** 招标项目编号, 20 characters. */
    tenderProjectCode: string;
    projectName: string;
    catalogItemCode: string;
    /** 交易目录 category '01'…'09'. */
    categoryCode: string;
    procedureType: string;
    law: 'works' | 'gp' | 'other';
    estimateYuan: string;
    regionCode: string;
    mandatoryTender: boolean;
    regulator: string;
    createdAt: Date;
  };
  initiator: SnapshotParty | null;
  agency: SnapshotParty | null;
  /** Published announcements only, in publication order. */
  announcements: SnapshotAnnouncement[];
  /** Null until the opening record is public (the bidders are confidential before it). */
  opening: { publishedAt: Date; recordSm3: string | null; failed: boolean; bids: SnapshotBid[] } | null;
  award: {
    status: string;
    /** Only once a candidates or result announcement is published. */
    candidates: SnapshotCandidate[];
    /** Only once the result announcement is published. */
    winner: { bidderName: string; creditCode: string; priceYuan: string } | null;
    noticeIssuedAt: Date | null;
    failedAt: Date | null;
    failureReason: string | null;
  } | null;
  /** The signed contract only. */
  contract: {
    id: string;
    title: string;
    priceYuan: string;
    signedAt: Date;
    supplierName: string;
    supplierCreditCode: string;
  } | null;
  deposit: { requiredYuan: string | null };
  /** A reference to the expert draw's public record, only once the result is published. */
  expertDraw: { drawId: string } | null;
}

export type ReleaseTriggerKind =
  | 'tender'
  | 'amendment'
  | 'cancellation'
  | 'opening'
  | 'opening-failed'
  | 'candidates'
  | 'award'
  | 'contract';

/** Why a release was emitted: the witness event that made something public. */
export interface ReleaseTrigger {
  kind: ReleaseTriggerKind;
  at: Date;
  /** The witness event's id. */
  eventId: number;
  announcementId: string | null;
}
