import type { Kysely } from 'kysely';
import type { UseCaseContext } from '../../platform/context.ts';
import { Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import { type Actor, findAccountById, type IdentityTables } from '../../platform/identity/index.ts';
import { appendWitnessEvent, type WitnessTables } from '../../platform/witness/index.ts';
import type { ScopeInput, ScopeView } from './schemas.ts';
import * as store from './store.ts';
import type { ScopesTables } from './tables.ts';

export type ScopesDb = ScopesTables & WitnessTables & IdentityTables;
export type ScopesContext = UseCaseContext<ScopesDb>;

/** What a supervisor oversees (§5: 行业 × 地域). */
export interface SupervisorScope {
  accountId: string;
  department: string;
  regionPrefixes: string[];
  catalogPrefixes: string[];
}

/** Whatever can be in or out of scope: a project, a lot, a complaint, an alert. */
export interface ScopeSubject {
  regionCode: string;
  catalogItemCode: string;
}

export const SCOPE_CITATION =
  '《内蒙古自治区公共资源交易管理办法》第五条：行政监督管理部门按照职责分工对公共资源交易活动实施监督';

export function covers(scope: Pick<SupervisorScope, 'regionPrefixes' | 'catalogPrefixes'>, s: ScopeSubject) {
  return (
    scope.regionPrefixes.some((p) => s.regionCode.startsWith(p)) &&
    scope.catalogPrefixes.some((p) => s.catalogItemCode.startsWith(p))
  );
}

function toScope(row: store.ScopeRow): SupervisorScope {
  return {
    accountId: row.account_id,
    department: row.department,
    regionPrefixes: row.region_prefixes,
    catalogPrefixes: row.catalog_prefixes,
  };
}

function toView(row: store.ScopeRow): ScopeView {
  return { ...toScope(row), updatedAt: row.updated_at.toISOString() };
}

export async function getSupervisorScope(db: Kysely<ScopesTables>, accountId: string) {
  const row = await store.findScope(db, accountId);
  return row ? toScope(row) : null;
}

/**
 * The scope a supervisor acts in; a supervisor account without one oversees nothing (refused, so a
 * missing configuration is noticed rather than read as "everything").
 */
export async function requireSupervisorScope(
  db: Kysely<ScopesTables>,
  actor: Actor | null,
): Promise<SupervisorScope> {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (!actor.roles.includes('supervisor')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '只有行政监督部门可以执行此操作。',
    });
  }
  const scope = await getSupervisorScope(db, actor.accountId);
  if (!scope) {
    throw new Forbidden('SCOPE_NOT_CONFIGURED', {
      title: '尚未配置监管范围',
      detail: '本账号尚未由交易中心配置所属监督部门及其监管的行业和地域，暂不能查看或处理监督事项。',
      citation: SCOPE_CITATION,
    });
  }
  return scope;
}

/** Refuses a supervisor acting on a subject outside its scope (行业 × 地域). */
export async function assertInScope(
  db: Kysely<ScopesTables>,
  actor: Actor | null,
  subject: ScopeSubject & { label?: string },
): Promise<SupervisorScope> {
  const scope = await requireSupervisorScope(db, actor);
  if (!covers(scope, subject)) {
    throw new Forbidden('OUT_OF_SCOPE', {
      title: '不在本部门监管范围内',
      detail: `${subject.label ?? '该事项'}（地域 ${subject.regionCode}，交易目录 ${subject.catalogItemCode}）不属于${scope.department}的监管范围。`,
      citation: SCOPE_CITATION,
    });
  }
  return scope;
}

/** 交易中心 sets (or changes) a supervisor account's scope; witnessed. */
export async function setSupervisorScope(ctx: ScopesContext, accountId: string, input: ScopeInput) {
  if (!ctx.actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (!ctx.actor.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '只有交易中心工作人员可以配置监管范围。',
    });
  }
  const account = await findAccountById(ctx.db, accountId);
  if (!account) throw new NotFound('ACCOUNT_NOT_FOUND', { title: '账号不存在' });
  if (!account.roles.includes('supervisor')) {
    throw new Forbidden('NOT_A_SUPERVISOR', {
      title: '该账号不是行政监督账号',
      detail: '只能为具有“行政监督”角色的账号配置监管范围。',
    });
  }
  const now = ctx.clock.now();
  const unique = (xs: string[]) => [...new Set(xs)].sort();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.upsertScope(tx, {
      account_id: accountId,
      department: input.department,
      region_prefixes: unique(input.regionPrefixes),
      catalog_prefixes: unique(input.catalogPrefixes),
      updated_at: now,
      updated_by: ctx.actor?.accountId ?? null,
    });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: 'supervisor-scope',
      entityId: accountId,
      action: 'supervisor-scope.set',
      payload: {
        department: row.department,
        regionPrefixes: row.region_prefixes,
        catalogPrefixes: row.catalog_prefixes,
      },
    });
    return toView(row);
  });
}

export async function listSupervisorScopes(db: Kysely<ScopesTables>): Promise<ScopeView[]> {
  return (await store.listScopes(db)).map(toView);
}

export async function myScope(db: Kysely<ScopesTables>, actor: Actor | null): Promise<ScopeView> {
  const scope = await requireSupervisorScope(db, actor);
  const row = await store.findScope(db, scope.accountId);
  return toView(row as store.ScopeRow);
}
