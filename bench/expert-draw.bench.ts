/**
 * Expert draw bench (随机抽取): `npm run bench expert-draw`.
 *
 * A realistic pool (bench/expert-pool.ts) on PostgreSQL. Each draw asks for 9 experts — 土建 ×5, 造价 ×2,
 * 监理 ×2 from the whole region, five bidders' firms and the regulator avoided — under every default rule
 * (status, availability, employer, relationships, regulator staff, busy, frequency cap, same initiator).
 * Measured: `runDraw` — eligible list, commitment (witnessed), a signed checkpoint, replay, sealed
 * assignments and notices — target p99 < 50 ms at 100,000 experts; and `verifyDrawInDatabase`, the full
 * replay verification of a draw — target < 1 s.
 *
 * Baseline, in the same run and on the same database: the same draws while the pool holds 1,000 experts
 * (BENCH_BASE_DRAWS draws), before the other 99,000 are imported.
 *
 * BENCH_EXPERTS (100000), BENCH_DRAWS (200), BENCH_BASE_DRAWS (20). Uses DATABASE_URL, or a database
 * ggzy_bench_draw on postgres://postgres@127.0.0.1:5432, dropped and created afresh.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sequenceWitnessEvents } from '../src/platform/witness/index.ts';
import { importExperts } from '../src/service/experts/index.ts';
import { createDrawsDeps, runDraw, verifyDrawInDatabase } from '../src/trading/draws/index.ts';
import { registerReceivedLot } from '../src/trading/projects/test-factory.ts';
import { makeDiskPlatform, type TestPlatform } from '../test/support/platform.ts';
import { generateExpertPool } from './expert-pool.ts';
import { fmt } from './support.ts';

const EXPERTS = Number(process.env.BENCH_EXPERTS ?? 100_000);
const DRAWS = Number(process.env.BENCH_DRAWS ?? 200);
const BASE_EXPERTS = 1_000;
const BASE_DRAWS = Number(process.env.BENCH_BASE_DRAWS ?? 20);
const BATCH = 10_000;
const DAY = 86_400_000;

async function databaseUrl(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await client.connect();
  await client.query('drop database if exists ggzy_bench_draw with (force)');
  await client.query('create database ggzy_bench_draw');
  await client.end();
  return 'postgres://postgres@127.0.0.1:5432/ggzy_bench_draw';
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `p50 ${fmt(percentile(s, 50), 1)} ms, p99 ${fmt(percentile(s, 99), 1)} ms, max ${fmt(s.at(-1) ?? 0, 1)} ms`;
}

interface Figures {
  draw: number[];
  verify: number[];
}

/**
 * `count` draws, each on a lot of its own (a fresh initiator each time), evaluations `spacingDays` apart:
 * one a day on the full pool, so the frequency cap and the overlap rule bite as in a busy province; 31 days
 * on the 1,000-expert baseline pool, which one-a-day draws would exhaust under the cap.
 */
async function runDraws(
  p: TestPlatform,
  deps: ReturnType<typeof createDrawsDeps>,
  count: number,
  firstDay: number,
  spacingDays: number,
  avoid: { name: string; creditCode: string }[],
  regulator: string,
): Promise<Figures> {
  const figures: Figures = { draw: [], verify: [] };
  for (let i = 0; i < count; i++) {
    const lot = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const startsAt = new Date(p.clock.now().getTime() + (firstDay + i * spacingDays) * DAY);
    const requested = await lot.initiatorClient.post(`/api/lots/${lot.lot.id}/expert-draws`, {
      evaluationStartsAt: startsAt.toISOString(),
      durationMinutes: 240,
      confirmWindowMinutes: 60,
      venues: [{ role: 'host', regionCode: '150000', name: '自治区公共资源交易中心评标室', seats: 9 }],
      groups: [
        { specialtyCode: 'A080101', count: 5, venueIndex: 0 },
        { specialtyCode: 'A0601', count: 2, venueIndex: 0 },
        { specialtyCode: 'A0501', count: 2, venueIndex: 0 },
      ],
      exclusions: [
        ...avoid.map((a) => ({ ...a, reasonCode: '1', reasonText: '本标段投标人' })),
        { name: regulator, creditCode: null, reasonCode: '3', reasonText: '本项目行政监督部门' },
      ],
    });
    if (requested.statusCode !== 201) throw new Error(`draw not requested: ${requested.body}`);
    const drawId = (requested.json() as { id: string }).id;

    // The witness loop of a running platform keeps the log sequenced; the bench has no loop, so it
    // sequences what setting up the lot wrote before the draw is timed.
    await sequenceWitnessEvents(p.db, {});
    const t0 = performance.now();
    const result = await runDraw(deps, drawId);
    figures.draw.push(performance.now() - t0);
    if (result.assignments !== 9) throw new Error(`draw ${drawId}: ${result.assignments} experts drawn`);

    const t1 = performance.now();
    const verification = await verifyDrawInDatabase(deps, drawId);
    figures.verify.push(performance.now() - t1);
    if (!verification?.ok) throw new Error(`draw ${drawId} does not verify: ${JSON.stringify(verification)}`);
  }
  return figures;
}

async function main(): Promise<void> {
  const url = await databaseUrl();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-bench-draw-'));
  const p = await makeDiskPlatform(dataDir, { DATABASE_URL: url });
  try {
    const deps = createDrawsDeps({ db: p.db, clock: p.clock, sealer: p.sealer });
    const pool = generateExpertPool(EXPERTS, 20260, p.clock.now());
    const avoid = pool.organizations.slice(0, 5).map((o) => ({ name: o.name, creditCode: o.creditCode }));
    const regulator = pool.regulators[0]!;
    console.log(`expert draw bench: ${fmt(EXPERTS)} experts, ${DRAWS} draws of 9, PostgreSQL`);

    // Baseline pool: the first 1,000 experts.
    const importStarted = performance.now();
    await importExperts(p.db, p.sealer, p.clock, pool.rows.slice(0, BASE_EXPERTS), { reason: 'bench' });
    const base = await runDraws(p, deps, BASE_DRAWS, 2, 31, avoid, regulator);

    for (let i = BASE_EXPERTS; i < pool.rows.length; i += BATCH) {
      await importExperts(
        p.db,
        p.sealer,
        p.clock,
        pool.rows.slice(i, Math.min(i + BATCH, pool.rows.length)),
        {
          reason: 'bench',
        },
      );
    }
    console.log(
      `  pool imported (${fmt(EXPERTS)} experts) in ${fmt((performance.now() - importStarted) / 1000, 1)} s`,
    );
    // Statistics and the visibility map, as autovacuum leaves them after an import of this size.
    const analyze = new pg.Client({ connectionString: url });
    await analyze.connect();
    await analyze.query('vacuum analyze');
    await analyze.end();

    // Warm-up (connection pool, prepared plans), not counted.
    await runDraws(p, deps, 5, 2 + BASE_DRAWS * 40, 1, avoid, regulator);
    const full = await runDraws(p, deps, DRAWS, 2 + BASE_DRAWS * 40 + 10, 1, avoid, regulator);

    console.log(`  runDraw at ${fmt(EXPERTS)} experts: ${summary(full.draw)} — target p99 < 50 ms`);
    console.log(`      baseline at ${fmt(BASE_EXPERTS)} experts: ${summary(base.draw)}`);
    console.log(
      `  verify-draw (full replay) at ${fmt(EXPERTS)} experts: ${summary(full.verify)} — target < 1 s`,
    );
    console.log(`      baseline at ${fmt(BASE_EXPERTS)} experts: ${summary(base.verify)}`);
  } finally {
    await p.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
