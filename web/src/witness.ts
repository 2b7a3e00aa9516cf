/**
 * Reading the witness log (交易见证) defensively: the events endpoint is young, so any of
 * `[...]`, `{items: [...]}`, `{events: [...]}` is accepted, and each field is taken when present
 * under its camelCase or snake_case name.
 */
export interface WitnessEventRow {
  key: string;
  leafIndex: number | string | null;
  occurredAt: string | null;
  action: string | null;
  entityType: string | null;
  entityId: string | null;
  actorRole: string | null;
}

type Loose = Record<string, unknown>;

function pick(event: Loose, ...names: string[]): unknown {
  for (const name of names) {
    if (event[name] !== undefined && event[name] !== null) return event[name];
  }
  return null;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

export interface EventsPage {
  rows: WitnessEventRow[];
  /** Events in the log (the tree size), when the server says. */
  total: number | null;
}

export function eventsFrom(body: unknown): EventsPage {
  let list: unknown = body;
  let total: number | null = null;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Loose;
    list = b.items ?? b.events ?? b.data ?? [];
    if (typeof b.total === 'number') total = b.total;
    else if (typeof b.treeSize === 'number') total = b.treeSize;
  }
  if (!Array.isArray(list)) return { rows: [], total };
  const rows = list
    .filter((e): e is Loose => typeof e === 'object' && e !== null)
    .map((e, i) => {
      const leafIndex = pick(e, 'leafIndex', 'leaf_index');
      const actor = pick(e, 'actor');
      return {
        key: text(pick(e, 'eventId', 'id', 'leafIndex', 'leaf_index')) ?? `row-${i}`,
        leafIndex: typeof leafIndex === 'number' || typeof leafIndex === 'string' ? leafIndex : null,
        occurredAt: text(pick(e, 'occurredAt', 'occurred_at', 'at')),
        action: text(pick(e, 'action')),
        entityType: text(pick(e, 'entityType', 'entity_type')),
        entityId: text(pick(e, 'entityId', 'entity_id')),
        actorRole:
          text(pick(e, 'actorRole', 'actor_role')) ??
          (actor && typeof actor === 'object' ? text((actor as Loose).role) : null),
      };
    });
  return { rows, total };
}

/** Chinese names of the actions known today; an unknown action shows its code. */
export const ACTION_NAMES_ZH: Record<string, string> = {
  'account.created': '创建账号',
  'account.disabled': '停用账号',
  'account.password-changed': '修改密码',
  'grant.created': '授予权限',
  'grant.revoked': '撤销权限',
  'job.retried': '任务重试',
  'organization.created': '创建组织',
  'session.opened': '登录',
  'session.closed': '退出登录',
  'session.revoked-all': '强制下线',
};

export const ENTITY_NAMES_ZH: Record<string, string> = {
  account: '账号',
  organization: '组织',
  job: '任务',
  session: '会话',
  grant: '授权',
};

const leafOf = (row: WitnessEventRow) =>
  typeof row.leafIndex === 'number' ? row.leafIndex : Number(row.leafIndex);

/** Newest first, by leaf index when there is one. */
export function newestFirst(rows: WitnessEventRow[]): WitnessEventRow[] {
  return [...rows].sort((a, b) => {
    const x = leafOf(a);
    const y = leafOf(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return 0;
    return y - x;
  });
}

/**
 * The latest `count` events. The feed pages forward from a cursor (`after` = a leaf index), oldest first,
 * so the first answer tells the tree size and, when the log is longer, a second asks for its tail.
 */
export async function latestEvents(
  get: (query: Record<string, number>) => Promise<unknown>,
  count: number,
): Promise<EventsPage> {
  const first = eventsFrom(await get({ limit: count }));
  if (first.total === null || first.total <= count || first.rows.length < count) {
    return { rows: newestFirst(first.rows), total: first.total };
  }
  const tail = eventsFrom(await get({ limit: count, after: first.total - count - 1 }));
  return { rows: newestFirst(tail.rows), total: tail.total ?? first.total };
}
