import type { Db } from '../db/index.ts';
import { canonicalJson } from './canonical-json.ts';
import type { WitnessTables } from './tables.ts';

/** Who did it and from where (DESIGN §4 "Witness log"). */
export interface WitnessOrigin {
  accountId: string | null;
  organizationId: string | null;
  role: string | null;
  ip: string | null;
  userAgent: string | null;
  clientFingerprint: string | null;
  requestId: string | null;
}

export interface WitnessEventInput {
  entityType: string;
  entityId: string;
  /** Dotted verb, e.g. `account.created`, `bid.withdrawn`. */
  action: string;
  payload?: unknown;
}

export const SYSTEM_ORIGIN: WitnessOrigin = {
  accountId: null,
  organizationId: null,
  role: 'system',
  ip: null,
  userAgent: null,
  clientFingerprint: null,
  requestId: null,
};

/**
 * Appends one witness event. Call it with the transaction that makes the state change, so that both
 * commit together or neither does.
 */
export async function appendWitnessEvent(
  tx: Db<WitnessTables>,
  at: Date,
  origin: WitnessOrigin,
  event: WitnessEventInput,
): Promise<{ id: number }> {
  return tx
    .insertInto('witness_events')
    .values(witnessRow({ at, origin, event }))
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** One event of a batch (appendWitnessEvents). */
export interface WitnessAppend {
  at: Date;
  origin: WitnessOrigin;
  event: WitnessEventInput;
}

/**
 * Appends several events with one statement, in the order given (their ids, and so their place in the
 * log, follow it). For a writer that commits many state changes in one transaction (the auction engine's
 * group commit): the same guarantee as appendWitnessEvent, each event commits with its change.
 */
export async function appendWitnessEvents(
  tx: Db<WitnessTables>,
  events: readonly WitnessAppend[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.insertInto('witness_events').values(events.map(witnessRow)).execute();
}

function witnessRow({ at, origin, event }: WitnessAppend) {
  return {
    leaf_index: null,
    leaf_hash: null,
    occurred_at: at,
    actor_account_id: origin.accountId,
    actor_organization_id: origin.organizationId,
    actor_role: origin.role,
    ip: origin.ip,
    user_agent: origin.userAgent,
    client_fingerprint: origin.clientFingerprint,
    request_id: origin.requestId,
    entity_type: event.entityType,
    entity_id: event.entityId,
    action: event.action,
    payload: canonicalJson(event.payload ?? {}),
  };
}
