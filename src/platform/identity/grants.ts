import type { Db } from '../db/index.ts';
import { NotFound } from '../errors.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../witness/index.ts';
import type { Actor } from './actor.ts';
import * as store from './store.ts';
import type { IdentityTables } from './tables.ts';

/**
 * Per-object grants (授权): "this agency acts for this initiator's project", "this expert sits on this
 * committee". A subject is an account or a whole organisation; modules name their own relations.
 */
export interface GrantInput {
  subject: { type: 'account' | 'organization'; id: string };
  relation: string;
  object: { type: string; id: string };
}

type GrantDb = Db<IdentityTables & WitnessTables>;

/** Records a grant inside the caller's transaction, with its witness event. */
export async function grant(tx: GrantDb, at: Date, origin: WitnessOrigin, input: GrantInput) {
  const row = await store.insertGrant(tx, {
    subject_type: input.subject.type,
    subject_id: input.subject.id,
    relation: input.relation,
    object_type: input.object.type,
    object_id: input.object.id,
    granted_by: origin.accountId,
    created_at: at,
  });
  await appendWitnessEvent(tx, at, origin, {
    entityType: input.object.type,
    entityId: input.object.id,
    action: 'grant.created',
    payload: { grantId: row.id, subject: input.subject, relation: input.relation },
  });
  return row;
}

export async function revokeGrant(tx: GrantDb, at: Date, origin: WitnessOrigin, grantId: number) {
  const row = await store.revokeGrant(tx, grantId, at);
  if (!row) throw new NotFound('GRANT_NOT_FOUND', { title: '授权不存在或已撤销' });
  await appendWitnessEvent(tx, at, origin, {
    entityType: row.object_type,
    entityId: row.object_id,
    action: 'grant.revoked',
    payload: { grantId: row.id },
  });
  return row;
}

/** Does the actor (itself, or its organisation) hold this relation to the object? */
export async function hasGrant(
  db: Db<IdentityTables>,
  actor: Pick<Actor, 'accountId' | 'organizationId'>,
  relation: string,
  object: { type: string; id: string },
): Promise<boolean> {
  const subjects: { type: 'account' | 'organization'; id: string }[] = [
    { type: 'account', id: actor.accountId },
  ];
  if (actor.organizationId) subjects.push({ type: 'organization', id: actor.organizationId });
  const found = await store.findActiveGrant(db, {
    subjects,
    relation,
    objectType: object.type,
    objectId: object.id,
  });
  return found !== undefined;
}

/**
 * Accounts that hold an active grant of this relation on the object themselves (as the subject; members
 * of an organisation granted as a whole are not listed). E.g. the administrators of an organisation.
 */
export function accountsHoldingGrant(
  db: Db<IdentityTables>,
  relation: string,
  object: { type: string; id: string },
): Promise<string[]> {
  return store.accountSubjectsOfGrant(db, { relation, objectType: object.type, objectId: object.id });
}
