import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import type { JobTables } from '../../platform/jobs/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import type { AwardsDb, BlobDb, ScopesTables } from './deps.ts';
import type { OversightTables } from './tables.ts';

/** The tables the module reads: its own, and its neighbours' through their functions. */
export type OversightDb = OversightTables &
  AwardsDb &
  ScopesTables &
  BlobDb &
  WitnessTables &
  JobTables &
  IdentityTables;
export type Tx = Transaction<OversightDb>;
export type ReadDb = Kysely<OversightDb>;

export type OversightContext = UseCaseContext<OversightDb>;

export interface OversightDeps {
  db: ReadDb;
  clock: Clock;
}

/** Witness entity types of this module. */
export const VIOLATION_WITNESS_TYPE = 'site-violation';
export const SETTINGS_WITNESS_TYPE = 'oversight-settings';

/** The job that flags a report still without feedback when its time limit has passed. */
export const FEEDBACK_OVERDUE_JOB = 'oversight.feedback-overdue';

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
