import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { ANNOUNCEMENT_KIND_NAMES_ZH, type AnnouncementKind } from './deps.ts';
import type {
  AnnouncementRow,
  ClarificationRow,
  DocumentRow,
  InvitationRow,
  listInvitationsOfOrganization,
  NotificationRow,
  ObjectionRow,
} from './store.ts';
import { type LotTimeline, toLotTimeline } from './timeline.ts';

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function kindNameZh(kind: string): string {
  return ANNOUNCEMENT_KIND_NAMES_ZH[kind as AnnouncementKind] ?? kind;
}

export function timelineOf(row: AnnouncementRow) {
  if (!row.documents_from || !row.documents_until || !row.bid_deadline || !row.opening_at) return null;
  return {
    documentsFrom: iso(row.documents_from),
    documentsUntil: iso(row.documents_until),
    bidDeadline: iso(row.bid_deadline),
    openingAt: iso(row.opening_at),
  };
}

export function toAnnouncementView(row: AnnouncementRow) {
  return {
    id: row.id,
    lotId: row.lot_id,
    lotCode: row.lot_code,
    lotName: row.lot_name,
    projectName: row.project_name,
    kind: row.kind as AnnouncementKind,
    kindNameZh: kindNameZh(row.kind),
    status: row.status,
    title: row.title,
    body: row.body,
    timeline: timelineOf(row),
    depositYuan: row.deposit_yuan === null ? null : fenToYuan(yuanToFen(row.deposit_yuan)),
    attachments: row.attachments,
    linkedTo: row.linked_to,
    invitees: row.invitees,
    categoryCode: row.category_code,
    catalogItemCode: row.catalog_item_code,
    regionCode: row.region_code,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    publishedAt: isoOrNull(row.published_at),
    contentSm3: row.content_sm3,
    signature: row.signature,
    keyId: row.key_id,
  };
}

export function toTimelineView(t: LotTimeline) {
  return {
    ...t,
    publishedAt: iso(t.publishedAt),
    documentsFrom: iso(t.documentsFrom),
    documentsUntil: iso(t.documentsUntil),
    bidDeadline: iso(t.bidDeadline),
    openingAt: iso(t.openingAt),
    objectionUntil: isoOrNull(t.objectionUntil),
    terminatedAt: isoOrNull(t.terminatedAt),
  };
}

export function toDocumentVersionView(row: DocumentRow) {
  return {
    version: row.version,
    sha256: row.sha256,
    sm3: row.sm3,
    size: Number(row.size),
    filename: row.filename,
    note: row.note,
    clarificationId: row.clarification_id,
    uploadedAt: iso(row.uploaded_at),
  };
}

export function toClarificationView(row: ClarificationRow) {
  return {
    id: row.id,
    content: row.content,
    affectsPreparation: row.affects_preparation,
    issuedAt: iso(row.issued_at),
    documentVersion: row.document_version,
    previousBidDeadline: iso(row.previous_bid_deadline),
    newBidDeadline: iso(row.new_bid_deadline),
    postponed: row.postponed,
    ruleCitation: row.rule_citation,
    changeAnnouncementId: row.change_announcement_id,
  };
}

export function toObjectionView(row: ObjectionRow, now: Date) {
  return {
    id: row.id,
    lotId: row.lot_id,
    organizationName: row.organization_name,
    content: row.content,
    filedAt: iso(row.filed_at),
    answerDueAt: iso(row.answer_due_at),
    status: row.status,
    answer: row.answer,
    answeredAt: isoOrNull(row.answered_at),
    changesDocuments: row.changes_documents,
    clarificationId: row.clarification_id,
    overdue: row.status === 'pending' && now.getTime() > row.answer_due_at.getTime(),
  };
}

export function toNotificationView(row: NotificationRow) {
  return {
    id: row.id,
    lotId: row.lot_id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    referenceId: row.reference_id,
    createdAt: iso(row.created_at),
  };
}

export function toInvitationView(row: InvitationRow) {
  return {
    organizationName: row.organization_name,
    creditCode: row.credit_code,
    announcementId: row.announcement_id,
    invitedAt: iso(row.invited_at),
  };
}

type MyInvitationRow = Awaited<ReturnType<typeof listInvitationsOfOrganization>>[number];

export function toMyInvitationView(row: MyInvitationRow) {
  return {
    lotId: row.lot_id,
    lotCode: row.lot_code,
    lotName: row.lot_name,
    projectName: row.project_name,
    invitationId: row.invitation_id,
    title: row.invitation_title,
    invitedAt: iso(row.invited_at),
    timeline: toTimelineView(toLotTimeline(row)),
  };
}
