import pg from 'pg';

/**
 * On PostgreSQL each test worker gets a database of its own, `<DATABASE_URL's database>_w<pool id>`, made
 * fresh when the worker starts, and DATABASE_URL is pointed at it for everything in that worker. Workers
 * then never see each other's rows — above all each other's due jobs: a worker whose test clock stands
 * later would otherwise run another worker's deadline jobs (a lot's bid deadline) at its own time. That
 * is how it is on PGlite too (one in-memory database per worker). Tests of concurrency against one server
 * (SKIP LOCKED, LISTEN/NOTIFY, two instances) open their own connections inside one worker.
 */
const KEY = Symbol.for('ggzy.test.worker-database');
const state = globalThis as typeof globalThis & { [KEY]?: Promise<void> };

async function prepare(base: string): Promise<void> {
  const url = new URL(base);
  const name = `${url.pathname.slice(1)}_w${process.env.VITEST_POOL_ID ?? '1'}`;
  if (!/^[A-Za-z0-9_]{1,63}$/.test(name)) throw new Error(`unusable test database name: ${name}`);
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.GGZY_TEST_BASE_DATABASE_URL = base;
}

const base = process.env.GGZY_TEST_BASE_DATABASE_URL ?? process.env.DATABASE_URL;
if (base) {
  state[KEY] ??= prepare(base);
  await state[KEY];
}
