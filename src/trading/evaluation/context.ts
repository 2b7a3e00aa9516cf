import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import type { JobTables } from '../../platform/jobs/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import type {
  BlobStore,
  CertsModule,
  CertsTables,
  DrawsDb,
  EntitiesTables,
  OpeningTables,
  ProceduresTables,
  ProjectsTables,
  TendersTables,
} from './deps.ts';
import type { EvaluationTables } from './tables.ts';

/** The tables the evaluation reads: its own, and its neighbours' through their functions. */
export type EvaluationDb = EvaluationTables &
  WitnessTables &
  JobTables &
  IdentityTables &
  CertsTables &
  EntitiesTables &
  ProjectsTables &
  TendersTables &
  OpeningTables &
  ProceduresTables &
  DrawsDb;
export type Tx = Transaction<EvaluationDb>;
export type ReadDb = Kysely<EvaluationDb>;

/** Everything the evaluation's use cases share (one per platform instance). */
export interface EvaluationDeps {
  db: ReadDb;
  clock: Clock;
  sealer: FieldSealer;
  blobs: BlobStore;
  certs: Pick<CertsModule, 'trust'>;
}

export type EvaluationContext = UseCaseContext<EvaluationDb> & { deps: EvaluationDeps };

/** Witness entity type of every evaluation event: ('evaluation', lotId). */
export const EVALUATION_WITNESS_TYPE = 'evaluation';
export const CLARIFICATION_WITNESS_TYPE = 'evaluation-clarification';

export const REPORT_WINDOW_END_JOB = 'evaluation.report-window-end';
/**
 * Enqueued when the report is complete (signed by all, or the window over): the award module handles it
 * and opens the award file, whose legal periods count from the report (实施条例第五十四条; 87号令第六十八条).
 */
export const REPORT_COMPLETED_JOB = 'evaluation.report-completed';

export function witness(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  lotId: string,
  action: string,
  payload: unknown,
  entityType: string = EVALUATION_WITNESS_TYPE,
) {
  return appendWitnessEvent(tx, at, origin, { entityType, entityId: lotId, action, payload });
}
