import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * Presents one embedded PGlite database to Kysely's PostgresDialect as a pool of one connection.
 * PGlite is a single Postgres backend, so a connection is held exclusively from `connect()` until
 * `release()`: a transaction never sees another request's statements interleaved into it.
 * (kysely-pglite does the same; it is not used because it pulls a code generator and a CLI framework
 * into production dependencies for these few lines.)
 */
export function pglitePool(pglite: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();

  const client = (release: () => void): PostgresPoolClient => {
    let released = false;
    return {
      async query<R>(
        sqlOrCursor: unknown,
        parameters?: ReadonlyArray<unknown>,
      ): Promise<PostgresQueryResult<R>> {
        if (typeof sqlOrCursor !== 'string') throw new Error('PGlite pool does not support cursors');
        const result = await pglite.query<R>(sqlOrCursor, parameters ? [...parameters] : []);
        return {
          command: commandOf(sqlOrCursor),
          rowCount: result.affectedRows ?? result.rows.length,
          rows: result.rows,
        };
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    } as PostgresPoolClient;
  };

  return {
    async connect() {
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const previous = tail;
      tail = previous.then(() => held);
      await previous;
      return client(release);
    },
    async end() {
      await tail;
    },
  };
}

function commandOf(sql: string): PostgresQueryResult<unknown>['command'] {
  const word = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
  if (word === 'INSERT' || word === 'UPDATE' || word === 'DELETE' || word === 'MERGE') return word;
  return 'SELECT';
}
