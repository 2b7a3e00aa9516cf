import type { Kysely } from 'kysely';
import * as store from './store.ts';
import type { ScopesTables } from './tables.ts';

/** Gives a supervisor test account a scope directly (default: the whole region, every category). */
export async function giveTestScope(
  db: Kysely<ScopesTables>,
  accountId: string,
  scope: { department?: string; regionPrefixes?: string[]; catalogPrefixes?: string[] } = {},
) {
  await store.upsertScope(db, {
    account_id: accountId,
    department: scope.department ?? '测试监督部门',
    region_prefixes: scope.regionPrefixes ?? ['15'],
    catalog_prefixes: scope.catalogPrefixes ?? ['01', '02', '03', '04', '05', '06', '07', '08', '09'],
    updated_at: new Date(),
    updated_by: null,
  });
}
