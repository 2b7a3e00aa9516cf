/**
 * Witness log bench (交易见证): `node --import tsx bench/witness.bench.ts`.
 *
 * (a) appending witness events inside real transactions (one event per transaction, 8 connections, the
 *     sequencer loop running beside them), against the plain insert rate of the same rows into an
 *     UNLOGGED copy of the table measured in the same run;
 * (b) verifyWitnessLog over 1,000,000 events, against `openssl dgst -sm3` hashing the same leaf bytes.
 *
 * Uses DATABASE_URL, or database ggzy_bench on postgres://postgres@127.0.0.1:5432 (created if missing).
 * Everything lives in schema bench_witness, dropped and recreated at the start, so other benches and
 * tests on the same server are left alone.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { TestClock } from '../src/platform/clock/index.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import { canonicalJson } from '../src/platform/witness/canonical-json.ts';
import {
  appendWitnessEvent,
  createCheckpoint,
  loadCheckpointSigner,
  sequenceWitnessEvents,
  startWitnessLoop,
  verifyWitnessLog,
  type WitnessEventInput,
  type WitnessOrigin,
  type WitnessTables,
  witnessMigrations,
} from '../src/platform/witness/index.ts';
import { LEAF_TAIL_SQL, LeafHasher } from '../src/platform/witness/leaf.ts';

const SCHEMA = 'bench_witness';
const APPEND_EVENTS = 20_000;
const CONNECTIONS = 8;
const VERIFY_EVENTS = 1_000_000;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const url = await benchDatabaseUrl();
  await admin(url, [`drop schema if exists ${SCHEMA} cascade`, `create schema ${SCHEMA}`]);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${SCHEMA}`);
  const handle = await openDatabase<WitnessTables>(
    { kind: 'postgres', url: scoped.toString() },
    { poolSize: CONNECTIONS + 2 },
  );
  const db = handle.db;
  try {
    // A fresh schema: the statements go straight in (Kysely's migrator would look for its lock table
    // in every schema of the database and trip over another bench's).
    for (const migration of witnessMigrations) {
      for (const statement of migration.statements) await sql.raw(statement).execute(db);
    }
    console.log(`PostgreSQL ${await serverVersion(db)}, ${os.cpus().length} CPU cores, schema ${SCHEMA}`);
    await benchAppend(db);
    await benchVerify(db);
  } finally {
    await handle.close();
    await handle.close();
    await admin(url, [`drop schema if exists ${SCHEMA} cascade`]);
  }
}

// ---------------------------------------------------------------------------------------------- (a)

type Sample = { origin: WitnessOrigin; event: WitnessEventInput };

async function benchAppend(db: Kysely<WitnessTables>): Promise<void> {
  const clock = new TestClock();
  const rows = Array.from({ length: APPEND_EVENTS }, (_, i) => sampleEvent(i));
  await sql`create unlogged table witness_events_unlogged (like witness_events including all)`.execute(db);
  await sql`create table witness_events_plain (like witness_events including all)`.execute(db);
  const insertInto = (table: 'witness_events_unlogged' | 'witness_events_plain', { origin, event }: Sample) =>
    sql`insert into ${sql.table(table)} (occurred_at, actor_account_id, actor_organization_id, actor_role, ip,
        user_agent, client_fingerprint, request_id, entity_type, entity_id, action, payload)
      values (${clock.now()}, ${origin.accountId}, ${origin.organizationId}, ${origin.role}, ${origin.ip},
        ${origin.userAgent}, ${origin.clientFingerprint}, ${origin.requestId}, ${event.entityType}, ${event.entityId},
        ${event.action}, ${canonicalJson(event.payload)})`;

  // Warm up connections and JIT first: a process's first thousands of queries run markedly slower.
  await runConcurrently(rows.slice(0, 4000), async (row) => {
    await insertInto('witness_events_unlogged', row).execute(db);
  });
  await sql`truncate witness_events_unlogged`.execute(db);

  // Baseline: the same rows, same columns and indexes, one autocommit INSERT each, no WAL.
  const baselineMs = await runConcurrently(rows, async (row) => {
    await insertInto('witness_events_unlogged', row).execute(db);
  });
  // For the breakdown: the same rows into a logged table, a transaction each, nothing else running.
  const plainMs = await runConcurrently(rows, async (row) => {
    await db.transaction().execute((tx) => insertInto('witness_events_plain', row).execute(tx));
  });

  // The real thing: a transaction per event, the sequencer loop and checkpoints running alongside.
  const errors: unknown[] = [];
  const stopLoop = startWitnessLoop(db, clock, {
    logger: { error: (details) => errors.push(details) },
    checkpointIntervalMs: 2000,
  });
  const appendMs = await runConcurrently(rows, async ({ origin, event }) => {
    await db.transaction().execute((tx) => appendWitnessEvent(tx, clock.now(), origin, event));
  });
  const backlog = await unsequencedCount(db);
  const drainStart = performance.now();
  while ((await unsequencedCount(db)) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const drainMs = performance.now() - drainStart;
  await stopLoop();
  if (errors.length > 0) throw new Error(`witness loop failed: ${JSON.stringify(errors[0])}`);

  const rate = (ms: number) => APPEND_EVENTS / (ms / 1000);
  const percent = (a: number, b: number) => `${Math.round((100 * a) / b)}%`;
  console.log(
    `witness append: ${fmt(rate(appendMs))} events/s  (baseline unlogged insert: ${fmt(rate(baselineMs))} rows/s, ` +
      `ratio ${percent(rate(appendMs), rate(baselineMs))})  — ${fmt(APPEND_EVENTS)} events, ` +
      `${CONNECTIONS} connections, 1 event per transaction`,
  );
  console.log(
    `  breakdown: the same rows into a logged table, a transaction each, no sequencer: ${fmt(rate(plainMs))} rows/s; ` +
      `witness append reaches ${percent(rate(appendMs), rate(plainMs))} of that. The gap to the unlogged baseline ` +
      `is the WAL flush every durable commit waits for.`,
  );
  console.log(
    `  sequencer kept up: ${fmt(backlog)} events waiting when the appends ended, all sequenced ` +
      `${Math.round(drainMs)} ms later`,
  );
  await sql`drop table witness_events_unlogged, witness_events_plain`.execute(db);
}

function sampleEvent(i: number): Sample {
  return {
    origin: {
      accountId: `acc-${i % 5000}`,
      organizationId: `org-${i % 700}`,
      role: 'responder',
      ip: `10.${i % 250}.${Math.floor(i / 250) % 250}.${i % 13}`,
      userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) ggzy-bidder/1.0',
      clientFingerprint: crypto.createHash('md5').update(`fp${i}`).digest('hex'),
      requestId: crypto.randomUUID(),
    },
    event: {
      entityType: 'bid',
      entityId: `bid-${i}`,
      action: 'bid.submitted',
      payload: { amount: `${(i * 7) % 100000}.00`, lot: `标段${i % 40}`, note: '投标文件已提交' },
    },
  };
}

/** Runs `work` over all items with CONNECTIONS workers; wall time in ms. */
async function runConcurrently<T>(items: T[], work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
  return performance.now() - start;
}

async function unsequencedCount(db: Kysely<WitnessTables>): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from witness_events where leaf_index is null`.execute(db);
  return rows[0]!.n;
}

// ---------------------------------------------------------------------------------------------- (b)

async function benchVerify(db: Kysely<WitnessTables>): Promise<void> {
  const clock = new TestClock();
  await sql`truncate witness_events, witness_nodes, witness_checkpoints`.execute(db);
  await sql`update witness_tree_head set tree_size = 0`.execute(db);

  let t = performance.now();
  await sql`
    insert into witness_events (occurred_at, actor_account_id, actor_organization_id, actor_role, ip, user_agent,
      client_fingerprint, request_id, entity_type, entity_id, action, payload)
    select timestamptz '2026-01-05 09:00:00+08' + g * interval '37 millisecond',
      'acc-' || (g % 5000), 'org-' || (g % 700), (array['responder','initiator','agency','expert'])[1 + g % 4],
      '10.' || (g % 250) || '.' || (g / 250 % 250) || '.' || (g % 13),
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) ggzy-bidder/1.0',
      case when g % 3 = 0 then null else md5(g::text) end,
      md5('r' || g), 'bid', 'bid-' || g, 'bid.submitted',
      '{"amount":"' || (g * 7 % 100000) || '.00","lot":"标段' || (g % 40) || '","note":"投标文件已提交"}'
    from generate_series(1, ${VERIFY_EVENTS}::int) as g`.execute(db);
  // What autovacuum would do by itself: otherwise the sequencer's first reads also write hint bits for a
  // million fresh rows, and autovacuum starts in the middle of the timing.
  await sql`vacuum analyze witness_events`.execute(db);
  console.log(
    `generated ${fmt(VERIFY_EVENTS)} events with one INSERT … SELECT (+ vacuum) in ${seconds(performance.now() - t)}`,
  );

  const signer = await loadCheckpointSigner(db, clock);
  t = performance.now();
  // Two checkpoints, so verification checks a root in the middle as well as at the end.
  await sequenceWitnessEvents(db, { batchSize: 20_000, maxBatches: VERIFY_EVENTS / 2 / 20_000 });
  await createCheckpoint(db, clock, signer);
  const { treeSize } = await sequenceWitnessEvents(db, { batchSize: 20_000 });
  clock.advance(60_000);
  await createCheckpoint(db, clock, signer);
  const sequenceMs = performance.now() - t;
  console.log(
    `sequenced ${fmt(treeSize)} events in ${seconds(sequenceMs)} (${fmt(treeSize / (sequenceMs / 1000))} events/s)`,
  );
  // Again what autovacuum does in a running system: the sequencer's updates left a million dead row
  // versions and unset hint bits, which the first full read would otherwise clean up while being timed.
  t = performance.now();
  await sql`vacuum analyze witness_events`.execute(db);
  console.log(`vacuum after sequencing: ${seconds(performance.now() - t)}`);

  t = performance.now();
  const report = await verifyWitnessLog(db);
  const verifyMs = performance.now() - t;
  if (!report.ok) throw new Error(`verification failed: ${JSON.stringify(report.firstProblem)}`);
  const verifyRate = report.eventsChecked / (verifyMs / 1000);

  // The baseline: OpenSSL hashing exactly the bytes the verifier hashed, as one stream.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-witness-'));
  const file = path.join(dir, 'leaves.bin');
  try {
    const { bytes, count, inProcessHashMs } = await writeLeafBytes(db, file);
    t = performance.now();
    const openssl = spawnSync('/usr/bin/openssl', ['dgst', '-sm3', file], { encoding: 'utf8' });
    const opensslMs = performance.now() - t;
    if (openssl.status !== 0) throw new Error(`openssl failed: ${openssl.stderr}`);
    const mbPerSecond = bytes / 1e6 / (opensslMs / 1000);
    const opensslEventRate = count / (opensslMs / 1000);
    console.log(
      `witness verify: ${fmt(verifyRate)} events/s  (${fmt(report.eventsChecked)} events, ` +
        `${report.checkpointsChecked} checkpoints, ${seconds(verifyMs)}; baseline openssl dgst -sm3 on the same ` +
        `leaf bytes: ${mbPerSecond.toFixed(0)} MB/s = ${fmt(opensslEventRate)} events/s of ${Math.round(bytes / count)} ` +
        `bytes, ratio ${Math.round((100 * verifyRate) / opensslEventRate)}%)`,
    );
    console.log(
      `  breakdown: SM3 of each leaf alone, in-process: ${fmt(count / (inProcessHashMs / 1000))} leaves/s ` +
        `(one OpenSSL call per leaf, where openssl dgst hashes one stream); the rest is reading rows and the tree`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes 0x00 ‖ leaf bytes of every leaf to `file`; also times hashing them one by one in-process. */
async function writeLeafBytes(
  db: Kysely<WitnessTables>,
  file: string,
): Promise<{ bytes: number; count: number; inProcessHashMs: number }> {
  const out = fs.openSync(file, 'w');
  const hasher = new LeafHasher();
  let bytes = 0;
  let count = 0;
  let inProcessHashMs = 0;
  try {
    for (let from = 0; ; from += 20_000) {
      const { rows } = await sql<{ leaf_index: number; tail: Uint8Array }>`
        select leaf_index, ${LEAF_TAIL_SQL} as tail from witness_events
        where leaf_index >= ${from} order by leaf_index limit 20000`.execute(db);
      if (rows.length === 0) break;
      const t = performance.now();
      for (const row of rows) hasher.hash(Number(row.leaf_index), row.tail);
      inProcessHashMs += performance.now() - t;
      const chunks = rows.map((row) => {
        hasher.hash(Number(row.leaf_index), row.tail);
        return Buffer.from(hasher.hashInput);
      });
      const chunk = Buffer.concat(chunks);
      fs.writeSync(out, chunk);
      bytes += chunk.length;
      count += rows.length;
    }
  } finally {
    fs.closeSync(out);
  }
  return { bytes, count, inProcessHashMs };
}

// ---------------------------------------------------------------------------------------------- setup

async function benchDatabaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const server = 'postgres://postgres@127.0.0.1:5432';
  const client = new pg.Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query(`select 1 from pg_database where datname = 'ggzy_bench'`);
    if (!rowCount) await client.query('create database ggzy_bench');
  } finally {
    await client.end();
  }
  return `${server}/ggzy_bench`;
}

async function admin(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

async function serverVersion(db: Kysely<WitnessTables>): Promise<string> {
  const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
  return rows[0]!.v;
}

await main();
