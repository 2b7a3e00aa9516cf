import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import {
  appendWitnessEvent,
  canonicalJson,
  SYSTEM_ORIGIN,
  type WitnessOrigin,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import { DUTY_LISTS_CITATION, REGULATION_ITEMS, REGULATION_NOTE } from './regulation.ts';
import type { DraftInput } from './schemas.ts';
import * as store from './store.ts';
import type { DutiesTables, DutyItem, DutyListKind, DutyVersionStatus } from './tables.ts';

export type DutiesDb = DutiesTables & WitnessTables;
export type DutiesContext = UseCaseContext<DutiesDb>;

/** Witness entity: ('duty-list', kind). */
export const DUTY_LIST_WITNESS_TYPE = 'duty-list';

export const DUTY_LIST_KINDS: readonly DutyListKind[] = ['power', 'service'];

export const DUTY_LIST_NAMES_ZH: Record<DutyListKind, string> = {
  power: '监管权力和责任清单',
  service: '服务事项清单',
};

/** What §37 says each list must make clear. */
export const REQUIRED_FIELDS_ZH: Record<DutyListKind, string> = {
  power: '监督事项、监督依据、衔接配合事项等',
  service: '服务事项、服务时限、服务对象和衔接配合事项等',
};

export const VERSION_STATUS_NAMES_ZH: Record<DutyVersionStatus, string> = {
  draft: '草稿',
  published: '现行版本',
  superseded: '历史版本',
};

function requireOperator(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (!actor.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '清单由交易中心工作人员维护和发布。',
    });
  }
  return actor;
}

function digest(items: DutyItem[]): string {
  return sm3Hex(new TextEncoder().encode(canonicalJson(items)));
}

function toView(row: store.VersionRow) {
  return {
    id: row.id,
    kind: row.kind,
    kindNameZh: DUTY_LIST_NAMES_ZH[row.kind],
    version: row.version,
    status: row.status,
    statusNameZh: VERSION_STATUS_NAMES_ZH[row.status],
    note: row.note,
    items: row.items,
    itemsSm3: row.items_sm3,
    updatedAt: row.updated_at.toISOString(),
    publishedAt: row.published_at?.toISOString() ?? null,
    supersededAt: row.superseded_at?.toISOString() ?? null,
  };
}
export type DutyListVersionView = ReturnType<typeof toView>;

function toSummary(row: store.VersionRow) {
  return {
    version: row.version ?? 0,
    status: row.status,
    statusNameZh: VERSION_STATUS_NAMES_ZH[row.status],
    note: row.note,
    itemCount: row.items.length,
    itemsSm3: row.items_sm3,
    publishedAt: row.published_at?.toISOString() ?? '',
    supersededAt: row.superseded_at?.toISOString() ?? null,
  };
}

function normalise(items: DraftInput['items']): DutyItem[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.code)) {
      throw new InvalidInput('DUPLICATE_ITEM_CODE', {
        title: '事项编码重复',
        detail: `事项编码“${item.code}”在清单中出现了不止一次。`,
      });
    }
    seen.add(item.code);
  }
  return items.map((i) => ({
    code: i.code,
    name: i.name,
    type: i.type,
    basis: i.basis,
    department: i.department,
    process: i.process,
    timeLimit: i.timeLimit,
    serviceTarget: i.serviceTarget,
    coordination: i.coordination,
    accountability: i.accountability,
  }));
}

// ---- public ----

/** 清单公开 (§37: 向社会公开): the current version of both lists and their published history. */
export async function readPublicLists(db: Kysely<DutiesDb>) {
  const lists = [];
  for (const kind of DUTY_LIST_KINDS) {
    const [current, versions] = await Promise.all([
      store.findCurrent(db, kind),
      store.listVersions(db, kind),
    ]);
    lists.push({
      kind,
      kindNameZh: DUTY_LIST_NAMES_ZH[kind],
      requiredFieldsZh: REQUIRED_FIELDS_ZH[kind],
      current: current ? toView(current) : null,
      versions: versions.map(toSummary),
    });
  }
  return { citation: DUTY_LISTS_CITATION, lists };
}

/** A published (current or superseded) version; drafts are not public. */
export async function readPublishedVersion(db: Kysely<DutiesDb>, kind: DutyListKind, version: number) {
  const row = await store.findVersion(db, kind, version);
  if (!row || row.status === 'draft') {
    throw new NotFound('DUTY_LIST_VERSION_NOT_FOUND', {
      title: '清单版本不存在',
      detail: `${DUTY_LIST_NAMES_ZH[kind]}没有已发布的第 ${version} 版。`,
    });
  }
  return toView(row);
}

// ---- the trading centre ----

export async function readAdminList(ctx: DutiesContext, kind: DutyListKind) {
  requireOperator(ctx.actor);
  const [current, draft, versions] = await Promise.all([
    store.findCurrent(ctx.db, kind),
    store.findDraft(ctx.db, kind),
    store.listVersions(ctx.db, kind),
  ]);
  return {
    kind,
    kindNameZh: DUTY_LIST_NAMES_ZH[kind],
    citation: DUTY_LISTS_CITATION,
    current: current ? toView(current) : null,
    draft: draft ? toView(draft) : null,
    versions: versions.map(toSummary),
  };
}

/** Items drawn from the regulation's articles, to start a draft from. */
export function regulationItems(actor: Actor | null, kind: DutyListKind) {
  requireOperator(actor);
  return { note: REGULATION_NOTE, items: REGULATION_ITEMS[kind].map((i) => ({ ...i })) };
}

/** Saves the list's draft (creating it, or replacing its content); the published version is untouched. */
export async function saveDraft(ctx: DutiesContext, kind: DutyListKind, input: DraftInput) {
  const actor = requireOperator(ctx.actor);
  const items = normalise(input.items);
  const itemsSm3 = digest(items);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const existing = await store.lockDraft(tx, kind);
    const row = existing
      ? await store.updateDraft(tx, existing.id, {
          note: input.note,
          items: JSON.stringify(items),
          items_sm3: itemsSm3,
          updated_at: now,
        })
      : await store.insertVersion(tx, {
          id: randomUUID(),
          kind,
          version: null,
          status: 'draft',
          note: input.note,
          items: JSON.stringify(items),
          items_sm3: itemsSm3,
          created_at: now,
          created_by: actor.accountId,
          updated_at: now,
          published_at: null,
          published_by: null,
          superseded_at: null,
        });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: DUTY_LIST_WITNESS_TYPE,
      entityId: kind,
      action: 'duty-list.draft-saved',
      payload: { kind, itemCount: items.length, itemsSm3 },
    });
    return toView(row);
  });
}

export async function discardDraft(ctx: DutiesContext, kind: DutyListKind): Promise<void> {
  requireOperator(ctx.actor);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const draft = await store.lockDraft(tx, kind);
    if (!draft) throw noDraft(kind);
    await store.deleteDraft(tx, draft.id);
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: DUTY_LIST_WITNESS_TYPE,
      entityId: kind,
      action: 'duty-list.draft-discarded',
      payload: { kind, itemsSm3: draft.items_sm3 },
    });
  });
}

/** Publishes the draft as the next version; the one in force becomes history (never edited). */
export async function publishDraft(ctx: DutiesContext, kind: DutyListKind) {
  const actor = requireOperator(ctx.actor);
  return publishIn(ctx.db, ctx.clock, ctx.origin, actor.accountId, kind);
}

async function publishIn(
  db: Kysely<DutiesDb>,
  clock: Clock,
  origin: WitnessOrigin,
  by: string | null,
  kind: DutyListKind,
) {
  const now = clock.now();
  return db.transaction().execute(async (tx: Transaction<DutiesDb>) => {
    const draft = await store.lockDraft(tx, kind);
    if (!draft) throw noDraft(kind);
    const version = (await store.maxVersion(tx, kind)) + 1;
    await store.supersedeCurrent(tx, kind, now);
    const row = await store.publishDraft(tx, draft.id, version, now, by);
    await appendWitnessEvent(tx, now, origin, {
      entityType: DUTY_LIST_WITNESS_TYPE,
      entityId: kind,
      action: 'duty-list.published',
      payload: {
        kind,
        version,
        itemCount: row.items.length,
        itemsSm3: row.items_sm3,
        citation: DUTY_LISTS_CITATION,
      },
    });
    return toView(row);
  });
}

/**
 * Seeds both lists from the regulation's own articles (regulation.ts) and publishes them as version 1 —
 * only for a list that has no version at all, so it is safe to call on every start of a demo.
 */
export async function seedRegulationDutyLists(
  db: Kysely<DutiesDb>,
  clock: Clock,
): Promise<{ published: DutyListKind[] }> {
  const published: DutyListKind[] = [];
  for (const kind of DUTY_LIST_KINDS) {
    if ((await store.countVersions(db, kind)) > 0) continue;
    const items = REGULATION_ITEMS[kind].map((i) => ({ ...i }));
    const now = clock.now();
    await db.transaction().execute(async (tx) => {
      await store.insertVersion(tx, {
        id: randomUUID(),
        kind,
        version: null,
        status: 'draft',
        note: REGULATION_NOTE,
        items: JSON.stringify(items),
        items_sm3: digest(items),
        created_at: now,
        created_by: null,
        updated_at: now,
        published_at: null,
        published_by: null,
        superseded_at: null,
      });
    });
    await publishIn(db, clock, SYSTEM_ORIGIN, null, kind);
    published.push(kind);
  }
  return { published };
}

function noDraft(kind: DutyListKind) {
  return new RuleViolation('DUTY_LIST_NO_DRAFT', {
    title: '没有待发布的草稿',
    detail: `${DUTY_LIST_NAMES_ZH[kind]}当前没有草稿，请先编辑并保存草稿。`,
  });
}
