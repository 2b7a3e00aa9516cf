import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import {
  appendWitnessEvent,
  type CheckpointSigner,
  type WitnessOrigin,
} from '../../platform/witness/index.ts';
import type { DepositsDb, EvaluationDb, OpeningDb, PartyEligibility, TendersDb } from './deps.ts';
import type { AwardsTables } from './tables.ts';

/** The tables the award reads: its own, and its neighbours' through their functions. */
export type AwardsDb = AwardsTables & OpeningDb & TendersDb & DepositsDb & EvaluationDb;
export type Tx = Transaction<AwardsDb>;
export type ReadDb = Kysely<AwardsDb>;

/** Everything the award's use cases share (one per platform instance). */
export interface AwardsDeps {
  db: ReadDb;
  clock: Clock;
  /** The platform's signing key (the witness checkpoint key), loaded once: it signs the 中标通知书. */
  signer(): Promise<CheckpointSigner>;
  /** The credit gate (§43): a barred candidate cannot be confirmed or deemed the winner. */
  eligibility: PartyEligibility;
}

export type AwardsContext = UseCaseContext<AwardsDb> & { deps: AwardsDeps };

/** Witness entity types: ('award', lotId) and ('award-objection', objectionId). */
export const AWARD_WITNESS_TYPE = 'award';
export const OBJECTION_WITNESS_TYPE = 'award-objection';

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

/** Opens the award file of a lot whose evaluation reported: the evaluation enqueues it at the report. */
export { EVALUATION_REPORT_COMPLETED_JOB as REPORT_RECEIVED_JOB } from './deps.ts';
/** 工程: the candidates' publicity not published by its due date is flagged late. */
export const PUBLICATION_DUE_JOB = 'awards.publication-due';
/** 政府采购: no decision within 5 工作日 → the first candidate is deemed the winner. */
export const DECISION_DUE_JOB = 'awards.decision-due';
/** 政府采购: the notice and result announcement not issued within 2 工作日 are flagged late. */
export const NOTICE_DUE_JOB = 'awards.notice-due';
/** An objection not answered within 3 日 is flagged late. */
export const OBJECTION_DUE_JOB = 'awards.objection-due';
/**
 * Enqueued when the notice is issued, handled by the contracts module (which imports this module, not the
 * other way round): a reminder to both parties before the 30-day limit, and the limit itself.
 * Payload: { lotId, kind: 'reminder' | 'overdue', daysBefore }.
 */
export const CONTRACT_DEADLINE_JOB = 'contracts.signing-deadline';
