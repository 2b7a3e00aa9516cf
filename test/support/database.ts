import { type DatabaseHandle, openDatabase } from '../../src/platform/db/index.ts';
import type { AllTables } from '../../src/tables.ts';

/**
 * One database per test worker (DESIGN §5): an in-memory PGlite by default, the PostgreSQL server at
 * DATABASE_URL when it is set (CI runs the suite both ways). Tests isolate by their own data.
 */
let shared: Promise<DatabaseHandle<AllTables>> | undefined;

export function sharedDatabase(): Promise<DatabaseHandle<AllTables>> {
  shared ??= process.env.DATABASE_URL
    ? openDatabase<AllTables>({ kind: 'postgres', url: process.env.DATABASE_URL }, { poolSize: 4 })
    : openDatabase<AllTables>({ kind: 'pglite-memory' });
  return shared;
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);
