import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import { LEAF_TAIL_SQL } from './leaf.ts';
import type { WitnessTables } from './tables.ts';

/** One sequenced event as the feed reads it; `leafTail` only when asked for (auditors). */
export interface SequencedEvent {
  id: number;
  leafIndex: number;
  leafHash: Uint8Array;
  occurredAt: Date;
  actorAccountId: string | null;
  actorOrganizationId: string | null;
  actorRole: string | null;
  ip: string | null;
  userAgent: string | null;
  clientFingerprint: string | null;
  requestId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  payload: string;
  /** The leaf bytes after the leaf index (see leaf.ts), for whoever may see every column. */
  leafTail: Uint8Array | null;
}

export interface FeedQuery {
  /** Only events with a larger leaf index (the cursor). */
  after?: number;
  limit: number;
  entityType?: string;
  entityId?: string;
  /** Only events with one of these actions (a projection reading the log for what concerns it). */
  actions?: readonly string[];
  withLeafBytes?: boolean;
}

/** Sequenced events in leaf order, keyset-paged by leaf index. */
export async function listSequencedEvents(
  db: Db<WitnessTables>,
  query: FeedQuery,
): Promise<SequencedEvent[]> {
  let q = db
    .selectFrom('witness_events')
    .select([
      'id',
      'leaf_index',
      'leaf_hash',
      'occurred_at',
      'actor_account_id',
      'actor_organization_id',
      'actor_role',
      'ip',
      'user_agent',
      'client_fingerprint',
      'request_id',
      'entity_type',
      'entity_id',
      'action',
      'payload',
    ])
    .select(
      query.withLeafBytes
        ? sql<Uint8Array>`${LEAF_TAIL_SQL}`.as('leaf_tail')
        : sql<null>`null`.as('leaf_tail'),
    )
    .where('leaf_index', 'is not', null)
    .orderBy('leaf_index')
    .limit(query.limit);
  if (query.after !== undefined) q = q.where('leaf_index', '>', query.after);
  if (query.entityType !== undefined) q = q.where('entity_type', '=', query.entityType);
  if (query.entityId !== undefined) q = q.where('entity_id', '=', query.entityId);
  if (query.actions !== undefined) q = q.where('action', 'in', [...query.actions]);
  const rows = await q.execute();
  return rows.map((row) => ({
    id: Number(row.id),
    leafIndex: Number(row.leaf_index),
    leafHash: row.leaf_hash!,
    occurredAt: row.occurred_at,
    actorAccountId: row.actor_account_id,
    actorOrganizationId: row.actor_organization_id,
    actorRole: row.actor_role,
    ip: row.ip,
    userAgent: row.user_agent,
    clientFingerprint: row.client_fingerprint,
    requestId: row.request_id,
    entityType: row.entity_type,
    entityId: row.entity_id,
    action: row.action,
    payload: row.payload,
    leafTail: row.leaf_tail,
  }));
}
