import crypto from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase } from '../db/index.ts';
import { witnessMigrations } from './migrations.ts';
import type { WitnessTables } from './tables.ts';

export interface WitnessTestDatabase {
  db: Kysely<WitnessTables>;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * A witness log of its own for one test file. The tree is global to its schema and the tamper tests edit
 * rows behind the platform's back, so sharing a schema with other tests would make both lie:
 * - default: a fresh in-memory PGlite;
 * - with DATABASE_URL: a uniquely named schema on that server, chosen through the connection's
 *   search_path and dropped on close.
 */
export async function openWitnessTestDatabase(): Promise<WitnessTestDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await openDatabase<WitnessTables>({ kind: 'pglite-memory' });
    await migrateToLatest(handle.db as Kysely<unknown>, witnessMigrations);
    return { db: handle.db, kind: 'pglite', close: () => handle.close() };
  }
  const schema = `test_witness_${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(url, `create schema ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const handle = await openDatabase<WitnessTables>(
    { kind: 'postgres', url: scoped.toString() },
    { poolSize: 4 },
  );
  try {
    await createWitnessTables(handle.db);
  } catch (error) {
    await handle.close();
    await adminQuery(url, `drop schema ${schema} cascade`);
    throw error;
  }
  return {
    db: handle.db,
    kind: 'postgres',
    close: async () => {
      await handle.close();
      await adminQuery(url, `drop schema ${schema} cascade`);
    },
  };
}

/**
 * The witness migration's statements, run straight into the fresh schema. Not through migrateToLatest:
 * Kysely's migrator looks for its lock table in every schema, so another test's schema holding one
 * makes it skip creating its own here and then fail.
 */
export async function createWitnessTables(db: Kysely<WitnessTables>): Promise<void> {
  for (const migration of witnessMigrations) {
    for (const statement of migration.statements) await sql.raw(statement).execute(db);
  }
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
