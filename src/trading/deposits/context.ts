import type { Kysely, Transaction } from 'kysely';
import type { UseCaseContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { appendWitnessEvent, type WitnessOrigin } from '../../platform/witness/index.ts';
import type { EntitiesDb, ProjectsTables, TendersTables } from './deps.ts';
import type { DepositsTables } from './tables.ts';

/** The tables the deposits module reads (its own, the lot's tender timeline and project, the entities). */
export type DepositsDb = DepositsTables & TendersTables & ProjectsTables & EntitiesDb;
export type Tx = Transaction<DepositsDb>;
export type ReadDb = Kysely<DepositsDb>;

/** The forms of deposit the lot's tender accepts (read from the bids module's settings, injected by main). */
export type DepositForm = 'cash' | 'guarantee';
export type AcceptedFormsReader = (db: ReadDb, lotId: string) => Promise<DepositForm[]>;
export const ALL_FORMS: DepositForm[] = ['cash', 'guarantee'];
export const bothForms: AcceptedFormsReader = async () => ALL_FORMS;

export type DepositsContext = UseCaseContext<DepositsDb> & {
  sealer: FieldSealer;
  acceptedForms: AcceptedFormsReader;
};

/** Witness entity types. Events about a bidder's deposit use the account/transfer id, never the lot id. */
export const WITNESS = {
  institution: 'deposit-institution',
  account: 'deposit-account',
  transfer: 'deposit-transfer',
  guarantee: 'deposit-guarantee',
  refund: 'deposit-refund',
  signal: 'deposit-signal',
  /** The deposit terms of a lot that is not tendered (public: the lot id is the entity). */
  terms: 'deposit-terms',
} as const;

export function witness(
  tx: Db<DepositsDb>,
  at: Date,
  origin: WitnessOrigin,
  entityType: string,
  entityId: string,
  action: string,
  payload: unknown,
) {
  return appendWitnessEvent(tx, at, origin, { entityType, entityId, action, payload });
}

/** The blind lookup value of a bidder in a lot (contracts "Secrecy"). */
export function bidderRefOf(sealer: FieldSealer, lotId: string, organizationId: string): string {
  return sealer.blindIndex('bidder', lotId, organizationId);
}

export interface SealedBidder {
  organizationId: string;
  accountId: string | null;
}

export interface BankAccountDetails {
  accountNumber: string;
  accountName: string;
  bankName: string;
}
