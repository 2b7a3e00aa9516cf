/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2). Bids are
 * read only through the bids module's functions (revealed after the deadline, never from its tables).
 */
export type { BlobStore, BlobTables } from '../../platform/blobs/index.ts';
export type { CertsModule, CertsTables } from '../../platform/certs/index.ts';
export {
  listBoundCertificatesOfOrganization,
  parseCertificateDer,
  parseCertificates,
  verifyDetached,
} from '../../platform/certs/index.ts';
export type { EntitiesTables } from '../../service/entities/index.ts';
export {
  type BidSettings,
  type BidsTables,
  combineOpeningKeyShares,
  getBidSettings,
  listOpeningKeyShares,
  type RevealedBid,
  revealBidsForOpening,
  SUMMARY_FORMAT,
} from '../bids/index.ts';
export { type DepositsTables, scheduleDepositRefunds } from '../deposits/index.ts';
export {
  assertLotNotSuspended,
  minimumResponders,
  type ProceduresTables,
  type ProcedureType,
} from '../procedures/index.ts';
export type { ProjectsTables } from '../projects/index.ts';
export { assertMayActForLot, findLot, type LotSummary } from '../projects/index.ts';
export type { TendersTables } from '../tenders/index.ts';
export { getLotTimeline, type LotTimeline } from '../tenders/index.ts';
