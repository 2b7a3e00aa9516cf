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
  /**
   * LISTEN on a channel (pg_notify): a dedicated connection on a server, PGlite's own listener embedded.
   * `fn` gets each payload; `onReconnect` (server only) when the connection was lost and is back — a
   * notification may have been missed, so the listener should resynchronise. Resolves to an unlisten.
   */
  listen(
    channel: string,
    fn: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Channel names are SQL identifiers we quote ourselves: keep them plain. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

function assertChannel(channel: string): void {
  if (!CHANNEL.test(channel))
    throw new RangeError(`invalid notification channel: ${JSON.stringify(channel)}`);
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
    const listener = new PgListener(target.url);
    const handle: DatabaseHandle<T> = {
      db,
      kind: 'postgres',
      ping: async () => {
        await sql`select 1`.execute(db);
      },
      listen: (channel, fn, onReconnect) => {
        assertChannel(channel);
        return listener.listen(channel, fn, onReconnect);
      },
      close: async () => {
        await listener.close();
        await db.destroy();
      },
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
  const pool = pglitePool(pglite);
  const db = new Kysely<T>({ dialect: new PostgresDialect({ pool }) });
  const handle: DatabaseHandle<T> = {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    listen: async (channel, fn) => {
      assertChannel(channel);
      // PGlite is one backend: hold the pool's only connection so LISTEN never lands inside another
      // request's open transaction (where a rollback would undo it).
      const connection = await pool.connect();
      let unlisten: () => Promise<void>;
      try {
        unlisten = await pglite.listen(channel, fn);
      } finally {
        connection.release();
      }
      return async () => {
        const held = await pool.connect();
        try {
          await unlisten();
        } finally {
          held.release();
        }
      };
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

/**
 * One dedicated connection per database handle for LISTEN (a pooled connection cannot listen: it goes
 * back to the pool). Reconnects with back-off when the server goes away and LISTENs again on every
 * channel, then tells each listener that it may have missed notifications.
 */
class PgListener {
  readonly #url: string;
  readonly #listeners = new Map<string, Set<{ fn: (payload: string) => void; onReconnect?: () => void }>>();
  #client: pg.Client | null = null;
  #connecting: Promise<pg.Client> | null = null;
  #closed = false;
  #retryMs = 250;

  constructor(url: string) {
    this.#url = url;
  }

  async listen(
    channel: string,
    fn: (payload: string) => void,
    onReconnect?: () => void,
  ): Promise<() => Promise<void>> {
    const entry = { fn, ...(onReconnect ? { onReconnect } : {}) };
    let set = this.#listeners.get(channel);
    const first = !set;
    if (!set) {
      set = new Set();
      this.#listeners.set(channel, set);
    }
    set.add(entry);
    if (first) {
      const client = await this.#connect();
      await client.query(`LISTEN "${channel}"`);
    }
    return async () => {
      const current = this.#listeners.get(channel);
      if (!current) return;
      current.delete(entry);
      if (current.size === 0) {
        this.#listeners.delete(channel);
        if (this.#client) await this.#client.query(`UNLISTEN "${channel}"`).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    const client = this.#client;
    this.#client = null;
    if (client) await client.end().catch(() => {});
  }

  #connect(): Promise<pg.Client> {
    if (this.#client) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.#url });
      client.on('notification', (message) => {
        for (const entry of this.#listeners.get(message.channel) ?? []) entry.fn(message.payload ?? '');
      });
      client.on('error', () => this.#lost(client));
      client.on('end', () => this.#lost(client));
      try {
        await client.connect();
      } catch (error) {
        this.#connecting = null;
        throw error;
      }
      this.#client = client;
      this.#connecting = null;
      this.#retryMs = 250;
      return client;
    })();
    return this.#connecting;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    if (this.#closed || this.#listeners.size === 0) return;
    const retry = () => {
      if (this.#closed) return;
      this.#connect()
        .then(async (fresh) => {
          for (const channel of this.#listeners.keys()) await fresh.query(`LISTEN "${channel}"`);
          for (const set of this.#listeners.values()) for (const entry of set) entry.onReconnect?.();
        })
        .catch(() => {
          this.#retryMs = Math.min(this.#retryMs * 2, 10_000);
          setTimeout(retry, this.#retryMs).unref();
        });
    };
    setTimeout(retry, this.#retryMs).unref();
  }
}
