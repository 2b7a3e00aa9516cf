import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { JobTables } from '../../platform/jobs/index.ts';
import { notify } from '../../platform/notify/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import type {
  DepositsDb,
  PartyEligibility,
  ProceduresTables,
  ProjectsDb,
  ScopesTables,
  TendersDb,
} from './deps.ts';
import type { AuctionsTables } from './tables.ts';

/** The tables the auction reads: its own, and its neighbours' through their functions. */
export type AuctionsDb = AuctionsTables &
  WitnessTables &
  JobTables &
  ProjectsDb &
  DepositsDb &
  ProceduresTables &
  ScopesTables &
  TendersDb;
export type Tx = Transaction<AuctionsDb>;
export type ReadDb = Kysely<AuctionsDb>;

/** What every use case of the engine receives (one per request; the live room builds one per socket message). */
export interface AuctionContext {
  db: Kysely<AuctionsDb>;
  clock: Clock;
  actor: Actor | null;
  origin: WitnessOrigin;
  sealer: FieldSealer;
  eligibility: PartyEligibility;
}

/** What the module needs once per platform instance (main.ts). */
export interface AuctionsDeps {
  db: Kysely<AuctionsDb>;
  clock: Clock;
  sealer: FieldSealer;
  eligibility: PartyEligibility;
}

/** The notification channel of every auction's changes: a public bid, or `{ auctionId, kind: 'state' }`. */
export const AUCTION_CHANNEL = 'ggzy_auction';

/** Witness entity types: ('auction', auctionId) and ('auction-registration', registrationId). */
export const AUCTION_WITNESS_TYPE = 'auction';
export const REGISTRATION_WITNESS_TYPE = 'auction-registration';

/** The bidding starts (announced → bidding) at `biddingStartsAt`. Payload { auctionId, lotId }. */
export const START_JOB = 'auctions.start';
/** A phase or the 限时竞价 countdown ends (the handler checks the deadline in the row). Payload { auctionId, lotId }. */
export const DEADLINE_JOB = 'auctions.deadline';
/** 资格审核 not done within 2 工作日 of the 预成交 is flagged. Payload { auctionId, lotId }. */
export const QUALIFICATION_DUE_JOB = 'auctions.qualification-due';

export function witness(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  entityType: string,
  entityId: string,
  action: string,
  payload: unknown,
) {
  return appendWitnessEvent(tx, at, origin, { entityType, entityId, action, payload });
}

/** What tells every instance's live rooms that an auction's state changed (they re-read the room). */
export function stateNotification(auctionId: string) {
  return { auctionId, kind: 'state' as const };
}

export function announceState(tx: Tx, auctionId: string): Promise<void> {
  return notify(tx, AUCTION_CHANNEL, stateNotification(auctionId));
}
