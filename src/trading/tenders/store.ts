import { type Insertable, type Selectable, type SqlBool, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  AnnouncementsTable,
  TenderClarificationsTable,
  TenderDocumentsTable,
  TenderDownloadsTable,
  TenderInvitationsTable,
  TenderNotificationsTable,
  TenderObjectionsTable,
  TendersTables,
  TenderTimelinesTable,
  TimelineStatus,
} from './tables.ts';

// SQL for this module's own tables only.
type TDb = Db<TendersTables>;

export type TimelineRow = Selectable<TenderTimelinesTable>;
export type AnnouncementRow = Selectable<AnnouncementsTable>;
export type DocumentRow = Selectable<TenderDocumentsTable>;
export type ClarificationRow = Selectable<TenderClarificationsTable>;
export type DownloadRow = Selectable<TenderDownloadsTable>;
export type NotificationRow = Selectable<TenderNotificationsTable>;
export type ObjectionRow = Selectable<TenderObjectionsTable>;
export type InvitationRow = Selectable<TenderInvitationsTable>;

// ---- timelines ----

export function findTimeline(db: TDb, lotId: string) {
  return db.selectFrom('tender_timelines').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

/** Locks the lot's timeline for the rest of the transaction: deadline moves and jobs take turns. */
export function lockTimeline(db: TDb, lotId: string) {
  return db
    .selectFrom('tender_timelines')
    .selectAll()
    .where('lot_id', '=', lotId)
    .forUpdate()
    .executeTakeFirst();
}

export function insertTimeline(db: TDb, row: Insertable<TenderTimelinesTable>) {
  return db.insertInto('tender_timelines').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateTimeline(db: TDb, lotId: string, changes: Updateable<TenderTimelinesTable>) {
  return db
    .updateTable('tender_timelines')
    .set({ ...changes, version: sql`version + 1` })
    .where('lot_id', '=', lotId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function setTimelineStatus(
  db: TDb,
  lotId: string,
  from: TimelineStatus,
  to: TimelineStatus,
  at: Date,
) {
  return db
    .updateTable('tender_timelines')
    .set({ status: to, updated_at: at, version: sql`version + 1` })
    .where('lot_id', '=', lotId)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
}

// ---- announcements ----

export function insertAnnouncement(db: TDb, row: Insertable<AnnouncementsTable>) {
  return db.insertInto('announcements').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findAnnouncement(db: TDb, id: string) {
  return db.selectFrom('announcements').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockAnnouncement(db: TDb, id: string) {
  return db.selectFrom('announcements').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a draft only: a published row is never updated (the `status = 'draft'` guard). */
export function updateDraft(db: TDb, id: string, changes: Updateable<AnnouncementsTable>) {
  return db
    .updateTable('announcements')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirst();
}

export function listAnnouncementsOfLot(db: TDb, lotId: string) {
  return db
    .selectFrom('announcements')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function findPublishedOfLotByKinds(db: TDb, lotId: string, kinds: string[]) {
  return db
    .selectFrom('announcements')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('status', '=', 'published')
    .where('kind', 'in', kinds)
    .orderBy('published_at')
    .executeTakeFirst();
}

export function listLinkedChanges(db: TDb, id: string) {
  return db
    .selectFrom('announcements')
    .select(['id', 'kind', 'title', 'published_at'])
    .where('linked_to', '=', id)
    .where('status', '=', 'published')
    .orderBy('published_at')
    .execute();
}

export interface PublicListFilter {
  kinds: string[];
  categoryCode?: string;
  /** Region code prefix (150000 → '15', 150100 → '1501'). */
  regionPrefix?: string;
  publishedFrom?: Date;
  publishedUntil?: Date;
  terms?: string[];
  after?: { publishedAt: Date; id: string };
  limit: number;
}

const PUBLIC_COLUMNS = [
  'id',
  'kind',
  'title',
  'lot_code',
  'lot_name',
  'project_name',
  'category_code',
  'catalog_item_code',
  'region_code',
  'published_at',
  'linked_to',
  'content_sm3',
] as const;

/**
 * How many of the newest rows a keyword search looks through first. A common word fills a page from
 * them at once; only when it does not (a rare word) does the search ask the whole GIN index — where a
 * rare word costs little. Without the first step the planner, which multiplies the words' frequencies as
 * if independent, would sort tens of thousands of rows for a frequent phrase such as 供热 管网.
 */
export const SEARCH_RECENT_WINDOW = 3000;

function publishedQuery(db: TDb, filter: PublicListFilter) {
  let q = db
    .selectFrom('announcements')
    .select(PUBLIC_COLUMNS)
    .where('status', '=', 'published')
    .where('kind', 'in', filter.kinds);
  if (filter.categoryCode) q = q.where('category_code', '=', filter.categoryCode);
  if (filter.regionPrefix) q = q.where('region_code', 'like', `${filter.regionPrefix}%`);
  if (filter.publishedFrom) q = q.where('published_at', '>=', filter.publishedFrom);
  if (filter.publishedUntil) q = q.where('published_at', '<=', filter.publishedUntil);
  if (filter.after) {
    const { publishedAt, id } = filter.after;
    q = q.where(sql<SqlBool>`(published_at, id) < (${publishedAt}, ${id})`);
  }
  return q;
}

/**
 * Published announcements, newest first, keyset-paged on (published_at, id) — no OFFSET, so page 10,000
 * costs what page 1 costs. The keyword's words are ANDed against the GIN-indexed search vector: first
 * within the newest SEARCH_RECENT_WINDOW rows that pass the other filters (a full page from there is
 * exactly the first page overall, every row outside being older), else over the whole index.
 */
export async function listPublished(db: TDb, filter: PublicListFilter) {
  if (!filter.terms || filter.terms.length === 0) {
    return publishedQuery(db, filter)
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
  }
  const query = filter.terms.join(' ');
  const matches = sql<SqlBool>`search_vector @@ plainto_tsquery('simple', ${query})`;
  const recent = await db
    .selectFrom(
      publishedQuery(db, filter)
        .select('search_vector')
        .orderBy('published_at', 'desc')
        .orderBy('id', 'desc')
        .limit(SEARCH_RECENT_WINDOW)
        .as('recent'),
    )
    .select(PUBLIC_COLUMNS)
    .where(matches)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  if (recent.length === filter.limit) return recent;
  return publishedQuery(db, filter)
    .where(matches)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
}

export function findPublishedBy(db: TDb, column: 'content_sm3' | 'text_sm3' | 'body_sm3', value: string) {
  return db
    .selectFrom('announcements')
    .selectAll()
    .where(column, '=', value)
    .where('status', '=', 'published')
    .orderBy('published_at')
    .executeTakeFirst();
}

// ---- documents ----

export function insertDocument(db: TDb, row: Insertable<TenderDocumentsTable>) {
  return db.insertInto('tender_documents').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listDocuments(db: TDb, lotId: string) {
  return db
    .selectFrom('tender_documents')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('version')
    .execute();
}

export function latestDocument(db: TDb, lotId: string) {
  return db
    .selectFrom('tender_documents')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// ---- clarifications ----

export function insertClarification(db: TDb, row: Insertable<TenderClarificationsTable>) {
  return db.insertInto('tender_clarifications').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listClarifications(db: TDb, lotId: string) {
  return db
    .selectFrom('tender_clarifications')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('issued_at')
    .execute();
}

// ---- downloads ----

export function insertDownload(db: TDb, row: Insertable<TenderDownloadsTable>) {
  return db.insertInto('tender_downloads').values(row).returningAll().executeTakeFirstOrThrow();
}

export function hasDownloaded(db: TDb, lotId: string, organizationId: string) {
  return db
    .selectFrom('tender_downloads')
    .select('id')
    .where('lot_id', '=', lotId)
    .where('organization_id', '=', organizationId)
    .limit(1)
    .executeTakeFirst()
    .then((row) => row !== undefined);
}

/** Whether the organisation obtained the lot's tender documents (the sealed-bid intake asks). */
export function hasObtainedDocuments(db: TDb, lotId: string, organizationId: string): Promise<boolean> {
  return hasDownloaded(db, lotId, organizationId);
}

export function listDownloads(db: TDb, lotId: string) {
  return db
    .selectFrom('tender_downloads')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('downloaded_at')
    .execute();
}

/** Each organisation that downloaded the documents, once (for notices). */
export function listDownloaderOrganizations(db: TDb, lotId: string) {
  return db
    .selectFrom('tender_downloads')
    .select('organization_id')
    .distinct()
    .where('lot_id', '=', lotId)
    .execute()
    .then((rows) => rows.map((r) => r.organization_id));
}

// ---- notifications ----

export function insertNotifications(db: TDb, rows: Insertable<TenderNotificationsTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('tender_notifications').values(rows).returningAll().execute();
}

export function listNotificationsOf(db: TDb, organizationId: string, limit: number) {
  return db
    .selectFrom('tender_notifications')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}

// ---- objections ----

export function insertObjection(db: TDb, row: Insertable<TenderObjectionsTable>) {
  return db.insertInto('tender_objections').values(row).returningAll().executeTakeFirstOrThrow();
}

export function lockObjection(db: TDb, id: string) {
  return db.selectFrom('tender_objections').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateObjection(db: TDb, id: string, changes: Updateable<TenderObjectionsTable>) {
  return db
    .updateTable('tender_objections')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listObjections(db: TDb, lotId: string, organizationId?: string) {
  let q = db.selectFrom('tender_objections').selectAll().where('lot_id', '=', lotId);
  if (organizationId) q = q.where('organization_id', '=', organizationId);
  return q.orderBy('filed_at').execute();
}

export function countPendingObjections(db: TDb, lotId: string) {
  return db
    .selectFrom('tender_objections')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('lot_id', '=', lotId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.n));
}

// ---- invitations ----

export function insertInvitation(db: TDb, row: Insertable<TenderInvitationsTable>) {
  return db.insertInto('tender_invitations').values(row).returningAll().executeTakeFirstOrThrow();
}

export function isInvited(db: TDb, lotId: string, organizationId: string) {
  return db
    .selectFrom('tender_invitations')
    .select('id')
    .where('lot_id', '=', lotId)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst()
    .then((row) => row !== undefined);
}

export function listInvitationsOfLot(db: TDb, lotId: string) {
  return db
    .selectFrom('tender_invitations')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('invited_at')
    .orderBy('credit_code')
    .execute();
}

/** The lots an organisation is invited to, newest first, with the lot's timeline and the invitation's title. */
export function listInvitationsOfOrganization(db: TDb, organizationId: string, limit: number) {
  return db
    .selectFrom('tender_invitations as i')
    .innerJoin('tender_timelines as t', 't.lot_id', 'i.lot_id')
    .innerJoin('announcements as a', 'a.id', 'i.announcement_id')
    .selectAll('t')
    .select([
      'i.announcement_id as invitation_id',
      'i.invited_at',
      'a.title as invitation_title',
      'a.lot_name',
      'a.project_name',
    ])
    .where('i.organization_id', '=', organizationId)
    .orderBy('i.invited_at', 'desc')
    .orderBy('i.id')
    .limit(limit)
    .execute();
}

export function listPublishedOfLot(db: TDb, lotId: string) {
  return db
    .selectFrom('announcements')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('status', '=', 'published')
    .orderBy('published_at')
    .orderBy('id')
    .execute();
}

// ---- read port for the supervision system (投诉处理: 投诉前须先提出异议/质疑) ----

/**
 * The 异议 (工程) / 质疑 (政府采购) an organisation raised on the documents of a lot (or of every lot when
 * `lotId` is null), in the shape the complaint handling reads for every stage.
 */
export async function listObjectionsByOrganization(db: TDb, lotId: string | null, organizationId: string) {
  let q = db.selectFrom('tender_objections').selectAll().where('organization_id', '=', organizationId);
  if (lotId !== null) q = q.where('lot_id', '=', lotId);
  const rows = await q.orderBy('filed_at').orderBy('id').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    lotId: r.lot_id,
    stage: 'documents' as const,
    text: r.content,
    raisedAt: r.filed_at,
    answerDueAt: r.answer_due_at,
    answeredAt: r.answered_at,
    answer: r.answer,
  }));
}
