import type { UseCaseContext } from '../../platform/context.ts';
import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { ProjectsDb } from '../../trading/projects/index.ts';
import type { TendersTables } from '../../trading/tenders/index.ts';
import { assertInScope, requireSupervisorScope, type ScopesDb } from '../scopes/index.ts';
import type { ScopeFilter } from './store.ts';
import type { CreditTables } from './tables.ts';

export type CreditDb = CreditTables & ScopesDb & ProjectsDb & TendersTables;
export type CreditContext = UseCaseContext<CreditDb>;

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export const isOperator = (actor: Actor | null) => actor?.roles.includes('operator') ?? false;
export const isSupervisor = (actor: Actor | null) => actor?.roles.includes('supervisor') ?? false;

export function assertOperator(actor: Actor | null, what: string): Actor {
  const signedIn = requireActor(actor);
  if (!isOperator(signedIn)) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: `只有交易中心工作人员可以${what}。`,
    });
  }
  return signedIn;
}

/**
 * Who reads the credit workspace: the trading centre (everything, read-only) or a supervisor (what its
 * scope covers). `undefined` = no filter.
 */
export async function readerScope(ctx: CreditContext): Promise<ScopeFilter | undefined> {
  const actor = requireActor(ctx.actor);
  if (isOperator(actor)) return undefined;
  if (isSupervisor(actor)) {
    const scope = await requireSupervisorScope(ctx.db, actor);
    return { regionPrefixes: scope.regionPrefixes, catalogPrefixes: scope.catalogPrefixes };
  }
  throw new Forbidden('ROLE_FORBIDDEN', {
    title: '无权查看',
    detail: '信用管理由行政监督部门办理，交易中心可以查看。',
  });
}

/** A supervisor acting on a record: its scope must cover the record's region and trading category. */
export function assertSupervisorInScope(
  ctx: CreditContext,
  subject: { regionCode: string; catalogItemCode: string; label: string },
) {
  return assertInScope(ctx.db, ctx.actor, subject);
}
