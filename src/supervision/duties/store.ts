import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Db as AnyDb } from '../../platform/db/index.ts';
import type { DutiesTables, DutyListKind, DutyListVersionsTable } from './tables.ts';

type Db = AnyDb<DutiesTables>;
export type VersionRow = Selectable<DutyListVersionsTable>;

export async function findCurrent(db: Db, kind: DutyListKind): Promise<VersionRow | null> {
  return (
    (await db
      .selectFrom('duty_list_versions')
      .selectAll()
      .where('kind', '=', kind)
      .where('status', '=', 'published')
      .executeTakeFirst()) ?? null
  );
}

export async function findDraft(db: Db, kind: DutyListKind): Promise<VersionRow | null> {
  return (
    (await db
      .selectFrom('duty_list_versions')
      .selectAll()
      .where('kind', '=', kind)
      .where('status', '=', 'draft')
      .executeTakeFirst()) ?? null
  );
}

export async function lockDraft(
  tx: Transaction<DutiesTables>,
  kind: DutyListKind,
): Promise<VersionRow | null> {
  return (
    (await tx
      .selectFrom('duty_list_versions')
      .selectAll()
      .where('kind', '=', kind)
      .where('status', '=', 'draft')
      .forUpdate()
      .executeTakeFirst()) ?? null
  );
}

export async function findVersion(db: Db, kind: DutyListKind, version: number): Promise<VersionRow | null> {
  return (
    (await db
      .selectFrom('duty_list_versions')
      .selectAll()
      .where('kind', '=', kind)
      .where('version', '=', version)
      .executeTakeFirst()) ?? null
  );
}

/** Published and superseded versions, newest first (drafts are never history). */
export async function listVersions(db: Db, kind: DutyListKind): Promise<VersionRow[]> {
  return db
    .selectFrom('duty_list_versions')
    .selectAll()
    .where('kind', '=', kind)
    .where('status', '!=', 'draft')
    .orderBy('version', 'desc')
    .execute();
}

export async function countVersions(db: Db, kind: DutyListKind): Promise<number> {
  const row = await db
    .selectFrom('duty_list_versions')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function maxVersion(db: Db, kind: DutyListKind): Promise<number> {
  const row = await db
    .selectFrom('duty_list_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max);
}

export async function insertVersion(tx: Db, row: Insertable<DutyListVersionsTable>): Promise<VersionRow> {
  return tx.insertInto('duty_list_versions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateDraft(
  tx: Db,
  id: string,
  patch: { note: string; items: string; items_sm3: string; updated_at: Date },
): Promise<VersionRow> {
  return tx
    .updateTable('duty_list_versions')
    .set(patch)
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteDraft(tx: Db, id: string): Promise<void> {
  await tx.deleteFrom('duty_list_versions').where('id', '=', id).where('status', '=', 'draft').execute();
}

export async function supersedeCurrent(tx: Db, kind: DutyListKind, at: Date): Promise<void> {
  await tx
    .updateTable('duty_list_versions')
    .set({ status: 'superseded', superseded_at: at, updated_at: at })
    .where('kind', '=', kind)
    .where('status', '=', 'published')
    .execute();
}

export async function publishDraft(
  tx: Db,
  id: string,
  version: number,
  at: Date,
  by: string | null,
): Promise<VersionRow> {
  return tx
    .updateTable('duty_list_versions')
    .set({ status: 'published', version, published_at: at, published_by: by, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .returningAll()
    .executeTakeFirstOrThrow();
}
