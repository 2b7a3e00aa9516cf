import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/index.ts';
import { pglitePool } from './pglite-pool.ts';

/** A query runner: the database itself or a transaction on it. Stores take this. */
export type Db<T> = Kysely<T> | Transaction<T>;

export interface DatabaseHandle<T> {
  db: Kysely<T>;
  kind: 'pglite' | 'postgres';
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseTarget = Config['database'] | { kind: 'pglite-memory' };

/** int8 as a JS number (ids and counters here stay far below 2^53); numeric stays a string (money). */
const INT8_OID = 20;

export async function openDatabase<T>(
  target: DatabaseTarget,
  opts: { poolSize?: number; pgliteSharedBuffers?: string } = {},
) {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const db = new Kysely<T>({ dialect: new PostgresDialect({ pool }) });
    const handle: DatabaseHandle<T> = {
      db,
      kind: 'postgres',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      close: () => db.destroy(),
    };
    return handle;
  }
  // PGlite's own default of 128MB shared buffers nearly doubles the server's idle memory; 16MB holds the
  // working set of a single-node demo (bench/startup.bench.ts). Production runs on a PostgreSQL server.
  const startParams = [
    ...PGlite.defaultStartParams,
    '-c',
    `shared_buffers=${opts.pgliteSharedBuffers ?? '16MB'}`,
  ];
  let pglite: PGlite;
  if (target.kind === 'pglite') {
    fs.mkdirSync(target.dir, { recursive: true });
    pglite = await PGlite.create({ dataDir: target.dir, startParams });
  } else {
    pglite = await PGlite.create({ startParams });
  }
  const db = new Kysely<T>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
  const handle: DatabaseHandle<T> = {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
  return handle;
}

/** Errors that mean "the database is not reachable", as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.cause !== undefined && error.cause !== error && isDatabaseUnavailable(error.cause)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN'].includes(code))
      return true;
    // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection exceptions
    if (/^(57P0[123]|08\d{3})$/.test(code)) return true;
  }
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed|driver has already been destroyed|Cannot use a pool after calling end/i.test(
    error.message,
  );
}
