import type { Insertable, Selectable } from 'kysely';
import type { Db as AnyDb } from '../../platform/db/index.ts';
import type { ProcedureSuspensionsTable, ProceduresTables } from './tables.ts';

type Db = AnyDb<ProceduresTables>;
export type SuspensionRow = Selectable<ProcedureSuspensionsTable>;

/** The suspension not yet ended (its `until` may have passed: callers compare with the clock). */
export async function findOpenSuspension(db: Db, lotId: string): Promise<SuspensionRow | null> {
  const row = await db
    .selectFrom('procedure_suspensions')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

/** The open suspensions of several lots (at most one each). */
export function findOpenSuspensions(db: Db, lotIds: string[]): Promise<SuspensionRow[]> {
  if (lotIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('procedure_suspensions')
    .selectAll()
    .where('lot_id', 'in', lotIds)
    .where('ended_at', 'is', null)
    .execute();
}

export async function insertSuspension(db: Db, row: Insertable<ProcedureSuspensionsTable>) {
  return db.insertInto('procedure_suspensions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function endSuspension(db: Db, id: string, at: Date, by: string | null) {
  return db
    .updateTable('procedure_suspensions')
    .set({ ended_at: at, ended_by: by })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export async function listSuspensionsOfLot(db: Db, lotId: string): Promise<SuspensionRow[]> {
  return db
    .selectFrom('procedure_suspensions')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('started_at')
    .execute();
}
