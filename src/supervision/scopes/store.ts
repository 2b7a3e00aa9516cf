import type { Insertable, Selectable } from 'kysely';
import type { Db as AnyDb } from '../../platform/db/index.ts';
import type { ScopesTables, SupervisorScopesTable } from './tables.ts';

type Db = AnyDb<ScopesTables>;
export type ScopeRow = Selectable<SupervisorScopesTable>;

export async function findScope(db: Db, accountId: string): Promise<ScopeRow | null> {
  return (
    (await db
      .selectFrom('supervisor_scopes')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst()) ?? null
  );
}

export async function upsertScope(db: Db, row: Insertable<SupervisorScopesTable>): Promise<ScopeRow> {
  return db
    .insertInto('supervisor_scopes')
    .values(row)
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({
        department: row.department,
        region_prefixes: row.region_prefixes,
        catalog_prefixes: row.catalog_prefixes,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listScopes(db: Db): Promise<ScopeRow[]> {
  return db.selectFrom('supervisor_scopes').selectAll().orderBy('department').orderBy('account_id').execute();
}
