export {
  type AuctionRecord,
  RECORD_FORMAT as AUCTION_RECORD_FORMAT,
  type RecordVerification,
  verifyAuctionRecord,
} from './chain.ts';
export {
  AUCTION_CHANNEL,
  AUCTION_WITNESS_TYPE,
  type AuctionContext,
  type AuctionsDb,
  type AuctionsDeps,
  REGISTRATION_WITNESS_TYPE as AUCTION_REGISTRATION_WITNESS_TYPE,
} from './context.ts';
export { type AuctionDeal, DEAL_CONTRACT_WORKING_DAYS, getDealOfLot, markDealContracted } from './deal.ts';
export {
  type BidAck,
  type BidNotification,
  type PublicBid,
  placeBid,
  ROOM_BIDS_LIMIT,
  type RoomView,
  readRoom,
} from './engine.ts';
export { registerAuctionJobs } from './jobs.ts';
export { type AuctionLiveRouteDeps, registerAuctionLiveRoutes } from './live-routes.ts';
export { auctionsMigrations } from './migrations.ts';
export { registerAuctionRoutes } from './routes.ts';
export { CITATIONS as AUCTION_CITATIONS, rulesFor as auctionRulesFor } from './rules.ts';
export type { AuctionPhase, AuctionStatus, AuctionsTables } from './tables.ts';
export {
  PHASE_NAMES_ZH as AUCTION_PHASE_NAMES_ZH,
  STATUS_NAMES_ZH as AUCTION_STATUS_NAMES_ZH,
} from './texts.ts';
