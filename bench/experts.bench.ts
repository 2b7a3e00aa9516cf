/**
 * Expert pool bench (综合评标评审专家库): `node --import tsx bench/experts.bench.ts [count]`.
 *
 * (a) importExperts of a realistic 100,000-expert pool (bench/expert-pool.ts) in batches of 10,000 — every
 *     ID number and phone sealed, every row checked — against a plain multi-row INSERT of the same experts
 *     rows into an UNLOGGED copy measured in the same run;
 * (b) listDrawCandidates — the draw's one query under all five pool rules with five bidders to avoid and a
 *     regulator — for a leaf, a second-level and a top-level specialty over the whole province and one city,
 *     p50/p99 of 100 runs each (10 for the top class, which returns most of the pool), against `select 1` on the same connection, with the query plan.
 *
 * Uses DATABASE_URL, or database ggzy_bench_experts on postgres://postgres@127.0.0.1:5432 (dropped and
 * created afresh when DATABASE_URL is not set).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { allMigrations } from '../src/migrations.ts';
import { TestClock } from '../src/platform/clock/index.ts';
import { migrateToLatest, openDatabase } from '../src/platform/db/index.ts';
import { createFieldSealer } from '../src/platform/sealing/index.ts';
import { importExperts, listDrawCandidates } from '../src/service/experts/index.ts';
import { drawCandidatesQuery } from '../src/service/experts/store.ts';
import type { AllTables } from '../src/tables.ts';
import { generateExpertPool } from './expert-pool.ts';

const COUNT = Number(process.argv[2] ?? 100_000);
const BATCH = 10_000;
const RUNS = 100;

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  await client.query('drop database if exists ggzy_bench_experts with (force)');
  await client.query('create database ggzy_bench_experts');
  await client.end();
  return 'postgres://postgres@127.0.0.1:5432/ggzy_bench_experts';
}

async function main(): Promise<void> {
  const url = await databaseUrl();
  const handle = await openDatabase<AllTables>({ kind: 'postgres', url }, { poolSize: 2 });
  const db = handle.db;
  try {
    await migrateToLatest(db, allMigrations);
    const { rows: version } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(
      db,
    );
    console.log(`expert pool bench: ${fmt(COUNT)} experts, PostgreSQL ${version[0]!.v}`);

    const t0 = performance.now();
    const pool = generateExpertPool(COUNT);
    console.log(`  generated in ${fmt(performance.now() - t0)} ms`);

    // (a) import
    const sealer = createFieldSealer(new Uint8Array(32).fill(7));
    const clock = new TestClock();
    clock.set('2026-05-04T01:00:00.000Z');
    const t1 = performance.now();
    for (let i = 0; i < pool.rows.length; i += BATCH) {
      await importExperts(db, sealer, clock, pool.rows.slice(i, i + BATCH), { reason: 'bench' });
    }
    const importMs = performance.now() - t1;
    // What autovacuum does soon after a load: statistics, and the visibility map for index-only scans.
    await sql`vacuum analyze`.execute(db);
    // Baseline: the same experts rows, already built, into an unlogged copy with no checks and no sealing.
    await sql`create unlogged table bench_experts_copy (like experts including defaults)`.execute(db);
    const copyRows = await db.selectFrom('experts').selectAll().execute();
    const t2 = performance.now();
    for (let i = 0; i < copyRows.length; i += 1000) {
      await db
        .insertInto('bench_experts_copy' as 'experts')
        .values(copyRows.slice(i, i + 1000))
        .execute();
    }
    const copyMs = performance.now() - t2;
    console.log(
      `  (a) importExperts: ${fmt(importMs)} ms (${fmt((COUNT / importMs) * 1000)} experts/s, with specialties, relationships, unavailability)`,
    );
    console.log(`      baseline: plain INSERT of the experts rows into an unlogged copy: ${fmt(copyMs)} ms`);

    // (b) the draw's query
    const bidders = pool.organizations
      .slice(0, 5)
      .map((o) => ({ ...o, organizationId: null, reasonCode: '1' }));
    const base = {
      period: { from: new Date('2026-06-10T01:00:00.000Z'), to: new Date('2026-06-10T09:00:00.000Z') },
      avoid: bidders,
      regulatorName: pool.regulators[0]!,
      asOf: clock.now(),
    };
    const cases: { label: string; specialtyCode: string; regionCode: string; runs?: number }[] = [
      { label: 'leaf A080101, province 150000', specialtyCode: 'A080101', regionCode: '150000' },
      { label: 'second level A0801, province 150000', specialtyCode: 'A0801', regionCode: '150000' },
      { label: 'second level A0801, city 150200', specialtyCode: 'A0801', regionCode: '150200' },
      {
        label: 'top class A08, province 150000 (most of the pool)',
        specialtyCode: 'A08',
        regionCode: '150000',
        runs: 10,
      },
    ];
    const conn = await db.connection().execute(async (c) => {
      const ping: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        await sql`select 1`.execute(c);
        ping.push(performance.now() - s);
      }
      ping.sort((a, b) => a - b);
      const out: string[] = [
        `      baseline select 1: p50 ${fmt(percentile(ping, 50), 2)} ms, p99 ${fmt(percentile(ping, 99), 2)} ms`,
      ];
      for (const c0 of cases) {
        const samples: number[] = [];
        let size = 0;
        let eligible = 0;
        for (let i = 0; i < (c0.runs ?? RUNS); i++) {
          const s = performance.now();
          const rows = await listDrawCandidates(c, {
            ...base,
            specialtyCode: c0.specialtyCode,
            regionCode: c0.regionCode,
          });
          samples.push(performance.now() - s);
          size = rows.length;
          eligible = rows.filter((r) => r.blockedBy === null).length;
        }
        samples.sort((a, b) => a - b);
        out.push(
          `      ${c0.label}: ${fmt(size)} candidates (${fmt(eligible)} eligible) — p50 ${fmt(percentile(samples, 50), 2)} ms, p99 ${fmt(percentile(samples, 99), 2)} ms`,
        );
      }
      return out;
    });
    console.log('  (b) listDrawCandidates (one query, five rules, five bidders avoided):');
    for (const line of conn) console.log(line);
    if (process.env.BENCH_EXPLAIN) {
      const params = {
        specialtyPrefix: 'A080101',
        regionPrefix: '15',
        fromDate: '2026-06-10',
        toDate: '2026-06-10',
        employerCodes: bidders.map((b) => b.creditCode),
        employerOrgIds: [],
        employerNames: bidders.map((b) => b.name),
        relationCodes: bidders.map((b) => b.creditCode),
        relationOrgIds: [],
        formerEmployerSince: '2023-05-04',
        regulatorNames: [pool.regulators[0]!],
        regulatorCodes: [],
        regulatorOrgIds: [],
      };
      const { rows } = await sql<{
        'QUERY PLAN': string;
      }>`explain (analyze, buffers) ${drawCandidatesQuery(params)}`.execute(db);
      for (const r of rows) console.log(`      ${r['QUERY PLAN']}`);
    }
  } finally {
    await handle.close();
  }
}

await main();
