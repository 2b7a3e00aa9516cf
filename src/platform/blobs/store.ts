import type { Selectable } from 'kysely';
import type { Db } from '../db/index.ts';
import type { BlobsTable, BlobTables } from './tables.ts';

/** SQL for the blobs table. */

export async function insertBlobIfAbsent(
  db: Db<BlobTables>,
  row: Selectable<BlobsTable>,
): Promise<{ created: boolean }> {
  const inserted = await db
    .insertInto('blobs')
    .values(row)
    .onConflict((oc) => oc.column('sha256').doNothing())
    .returning('sha256')
    .executeTakeFirst();
  return { created: inserted !== undefined };
}

export async function findBlob(
  db: Db<BlobTables>,
  sha256: string,
): Promise<Selectable<BlobsTable> | undefined> {
  return db.selectFrom('blobs').selectAll().where('sha256', '=', sha256).executeTakeFirst();
}
