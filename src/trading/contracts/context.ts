import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { appendWitnessEvent, type WitnessOrigin } from '../../platform/witness/index.ts';
import type { AuctionsDb, AwardsDb, BlobStore, CertsModule } from './deps.ts';
import type { ContractsTables } from './tables.ts';

/** The tables the contracts module reads: its own, and its neighbours' through their functions. */
export type ContractsDb = ContractsTables & AwardsDb & AuctionsDb;
export type Tx = Transaction<ContractsDb>;
export type ReadDb = Kysely<ContractsDb>;

export interface ContractsDeps {
  db: ReadDb;
  clock: Clock;
  /** The certificate trust store (chain, validity, revocation) the parties' signatures are checked against. */
  certs: Pick<CertsModule, 'trust'>;
  /** Where an uploaded signed contract PDF is stored (the blobs upload route). */
  blobs: BlobStore;
}

export type ContractsContext = UseCaseContext<ContractsDb> & { deps: ContractsDeps };

/** Witness entity types: ('contract', contractId), ('contract-alert', alertId). */
export const CONTRACT_WITNESS_TYPE = 'contract';
export const ALERT_WITNESS_TYPE = 'contract-alert';

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

/** 政府采购: the contract not published within 2 工作日 of signing is flagged to the regulator. */
export const PUBLICATION_DUE_JOB = 'contracts.publication-due';
