export { publishSystemAnnouncement, type SystemAnnouncementInput } from './announcements.ts';
export {
  ANNOUNCEMENT_WITNESS_TYPE,
  TENDER_WITNESS_TYPE,
  type TendersContext,
  type TendersDb,
} from './context.ts';
export { registerTenderJobs } from './jobs.ts';
export { tendersMigrations } from './migrations.ts';
export { listPublicAnnouncementsOfLot, type PublicLotAnnouncement } from './portal.ts';
export { registerTenderRoutes, type TenderRouteDeps } from './routes.ts';
export { keywordTerms, searchTermsOf } from './search.ts';
export { ANNOUNCEMENT_FORMAT, canonicalAnnouncement, normalizedTextSm3 } from './signing.ts';
export { TIMELINE_STATUS_NAMES_ZH } from './states.ts';
export {
  hasObtainedDocuments,
  listObjectionsByOrganization as listDocumentObjectionsByOrganization,
} from './store.ts';
export type {
  AnnouncementAttachment,
  AnnouncementStatus,
  AnnouncementsTable,
  TendersTables,
  TenderTimelinesTable,
  TimelineStatus,
} from './tables.ts';
export { getLotTimeline, type LotTimeline } from './timeline.ts';
