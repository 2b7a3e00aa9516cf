/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2): the award
 * (winner, notice) or the auction's deal (成交通知书), the lot, the parties' names, bound certificates, announcements and deposit refunds.
 */
export type { BlobStore } from '../../platform/blobs/index.ts';
export type { CertsModule } from '../../platform/certs/index.ts';
export {
  listBoundCertificatesOfOrganization,
  parseCertificateDer,
  parseCertificates,
  verifyDetached,
} from '../../platform/certs/index.ts';
export { findEntityOfOrganization } from '../../service/entities/index.ts';
export {
  AUCTION_CITATIONS,
  type AuctionsDb,
  DEAL_CONTRACT_WORKING_DAYS,
  getDealOfLot,
  markDealContracted,
} from '../auctions/index.ts';
export {
  AWARD_CITATIONS,
  type AwardSummary,
  type AwardsDb,
  CONTRACT_DEADLINE_JOB,
  getAward,
  markAwardContracted,
} from '../awards/index.ts';
export { REFUND_PERIODS, REFUND_REASON_NAMES_ZH, scheduleDepositRefunds } from '../deposits/index.ts';
export { assertLotNotSuspended, type ProceduresTables } from '../procedures/index.ts';
export { assertMayActForLot, findLot, type LotSummary } from '../projects/index.ts';
export { publishSystemAnnouncement } from '../tenders/index.ts';
