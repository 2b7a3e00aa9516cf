import type { Kysely, Transaction } from 'kysely';
import type { UseCaseContext } from '../../platform/context.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import type { JobTables } from '../../platform/jobs/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import type {
  AwardsTables,
  BlobTables,
  EntitiesTables,
  OpeningTables,
  ProceduresTables,
  ProjectsTables,
  ScopesTables,
  TendersTables,
} from './deps.ts';
import type { ComplaintsTables } from './tables.ts';

/** The tables the complaint handling reads: its own, and its neighbours' through their functions. */
export type ComplaintsDb = ComplaintsTables &
  WitnessTables &
  JobTables &
  IdentityTables &
  BlobTables &
  EntitiesTables &
  ProjectsTables &
  ProceduresTables &
  TendersTables &
  AwardsTables &
  OpeningTables &
  ScopesTables;

export type ComplaintsContext = UseCaseContext<ComplaintsDb>;
export type Tx = Transaction<ComplaintsDb>;
export type ReadDb = Kysely<ComplaintsDb>;

/** Witness entity types: ('complaint', complaintId) and ('complaint-challenge', challengeId). */
export const COMPLAINT_WITNESS_TYPE = 'complaint';
export const CHALLENGE_WITNESS_TYPE = 'complaint-challenge';

/**
 * Due when one of a complaint's clocks ends (payload { complaintId } — deliberately no lotId: the handling
 * goes on while the lot's procedure is suspended).
 */
export const COMPLAINT_DEADLINE_JOB = 'complaints.deadline-check';
/** Due when a 质疑's 7 个工作日 answer period ends (payload { challengeId }). */
export const CHALLENGE_ANSWER_DUE_JOB = 'complaints.challenge-answer-due';

/** The suspension cause recorded with procedures: which complaint ordered it. */
export function suspensionCause(complaintId: string): string {
  return `complaint:${complaintId}`;
}

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
