import { ACTION_NAMES_ZH, ENTITY_TYPE_NAMES_ZH } from './actions.ts';
import type { EventRow } from './store.ts';

function parsePayload(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch (error) {
    if (error instanceof SyntaxError) return { text };
    throw error;
  }
}

/** One event as a supervisor sees it: what, when, on which project and lot, by which role, and the rule. */
export function toEventView(row: EventRow) {
  const payload = parsePayload(row.payload);
  return {
    leafIndex: Number(row.leaf_index),
    eventId: Number(row.event_id),
    occurredAt: row.occurred_at.toISOString(),
    action: row.action,
    actionNameZh: ACTION_NAMES_ZH[row.action] ?? null,
    entityType: row.entity_type,
    entityTypeNameZh: ENTITY_TYPE_NAMES_ZH[row.entity_type] ?? null,
    entityId: row.entity_id,
    projectId: row.project_id,
    projectCode: row.project_code,
    projectName: row.project_name,
    lotId: row.lot_id,
    lotCode: row.lot_code,
    lotName: row.lot_name,
    actorRole: row.actor_role,
    actorOrganizationId: row.actor_organization_id,
    citation: typeof payload.citation === 'string' ? payload.citation : null,
    payload,
  };
}
export type EventView = ReturnType<typeof toEventView>;
