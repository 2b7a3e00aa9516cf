export {
  listBidderOrganizationsForDraw,
  type RevealedBid,
  revealBidsForOpening,
} from './bids.ts';
export {
  type BidderEligibility,
  type BidsDb,
  type BidsDeps,
  MAX_CHUNK_BYTES,
} from './context.ts';
export { type BidEvidence, readBidEvidence } from './evidence.ts';
export * from './format.ts';
export { registerBidJobs } from './jobs.ts';
export { bidsMigrations } from './migrations.ts';
export {
  MANIFEST_FILE,
  machineFingerprint,
  type PackBidInput,
  type PackedBid,
  type PackPartInput,
  packBid,
  partFileName,
  readPackedBid,
} from './pack.ts';
export { createReceiptService, PROOF_TIMEOUT_MS, type ReceiptService } from './receipts.ts';
export { registerBidRoutes } from './routes.ts';
export {
  type BidSettings,
  combineOpeningKeyShares,
  getBidSettings,
  listOpeningKeyShares,
} from './settings.ts';
export type { BidStatus, BidsTables, SummaryField } from './tables.ts';
