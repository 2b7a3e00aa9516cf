import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { Sm2PrivateKey } from '../../platform/crypto/index.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import type { JobTables } from '../../platform/jobs/index.ts';
import { notify } from '../../platform/notify/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import type {
  BidSettings,
  BidsTables,
  BlobStore,
  BlobTables,
  CertsModule,
  CertsTables,
  DepositsTables,
  EntitiesTables,
  ProceduresTables,
  ProjectsTables,
  RevealedBid,
  TendersTables,
} from './deps.ts';
import type { OpeningTables } from './tables.ts';

export type OpeningDb = OpeningTables &
  WitnessTables &
  JobTables &
  BlobTables &
  IdentityTables &
  CertsTables &
  EntitiesTables &
  ProjectsTables &
  TendersTables &
  BidsTables &
  ProceduresTables &
  DepositsTables;

export type Tx = Transaction<OpeningDb>;
export type ReadDb = Kysely<OpeningDb>;

/**
 * The bids and deposits functions the opening calls (contracts.md), injected so that one place (main.ts)
 * wires them; the defaults are the modules' own exports.
 */
export interface OpeningPorts {
  revealBids(db: ReadDb, lotId: string): Promise<RevealedBid[]>;
  bidSettings(db: ReadDb, lotId: string): Promise<BidSettings>;
  openingKeyShares(
    db: ReadDb,
    lotId: string,
  ): Promise<{ custodianAccountId: string; index: number; encryptedShare: string }[]>;
  combineShares(db: ReadDb, lotId: string, shares: Uint8Array[]): Promise<Sm2PrivateKey>;
  scheduleRefunds(
    tx: Tx,
    at: Date,
    origin: WitnessOrigin,
    input: {
      lotId: string;
      organizationIds: string[];
      reason: 'withdrawn' | 'lot-failed';
      forfeit?: boolean;
    },
  ): Promise<void>;
}

export interface OpeningServices {
  sealer: FieldSealer;
  blobs: BlobStore;
  certs: Pick<CertsModule, 'trust'>;
  ports: OpeningPorts;
}

export type OpeningContext = UseCaseContext<OpeningDb> & OpeningServices;
export type SystemContext = { db: ReadDb; clock: Clock } & OpeningServices;

/** Witness entity type of the hall's events: ('opening', lotId), from the reveal on. */
export const OPENING_WITNESS_TYPE = 'opening';
/** The notification channel of every hall's changes (payload: { lotId, org? }). */
export const OPENING_CHANNEL = 'ggzy_opening';

export const DECRYPT_WINDOW_END_JOB = 'opening.decrypt-window-end';
export const CONFIRM_WINDOW_END_JOB = 'opening.confirm-window-end';
export const STORE_PART_JOB = 'opening.store-part';

/** 确认窗口: how long bidders have to confirm the record before silence counts as accepting. */
export const CONFIRM_WINDOW_MINUTES = 30;
/** The summary part is small JSON; anything bigger is refused before it is parsed. */
export const MAX_SUMMARY_BYTES = 64 * 1024;
/** Parts up to this size are verified (MAC) while the bidder waits, so a wrong key is refused at once. */
export const INLINE_VERIFY_BYTES = 1024 * 1024;

/** The rules the hall follows, cited exactly (../shared/reference/standards.md §3 "开标"). */
export const CITATIONS = {
  remoteOpening: '《内蒙古自治区公共资源交易管理办法》第二十条；《电子招标投标办法》第二十九条',
  decryption: '《电子招标投标办法》第三十条',
  failures: '《电子招标投标办法》第三十一条',
  objection: '《中华人民共和国招标投标法实施条例》第四十四条第三款',
  host: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十条',
  record: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十二条',
  emergency: '《内蒙古自治区公共资源交易管理办法》第三十五条',
} as const;

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

/**
 * Tells every instance's live views that the hall changed. `audience` (a blind reference of one
 * organisation) limits the push to that organisation's own connections: before the reveal, a bidder's
 * sign-in must not make anyone else's screen move (the count of pushes would count the bidders).
 */
export function announce(tx: Tx, lotId: string, audience?: string): Promise<void> {
  return notify(tx, OPENING_CHANNEL, audience ? { lotId, audience } : { lotId });
}

export function audienceOf(sealer: FieldSealer, lotId: string, organizationId: string): string {
  return sealer.blindIndex('opening-live', lotId, organizationId);
}
