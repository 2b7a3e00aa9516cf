/**
 * Risk monitoring bench (风险监测预警): `npm run bench monitoring`.
 *
 * BENCH_LOTS (default 5) lots, each opened through the real API by BENCH_BIDDERS (default 10) bidders (the
 * opening test factory: sealed bids, the remote opening, the record published). Measured: the incremental
 * computation of a freshly opened lot as the live path and the follower run it — one transaction under the
 * follower's lock: the opening record, every bid's sealed evidence opened (who, IP, machine, file digests),
 * the deposits' payers, the timeline, the rules in force, every signal, the R023 pairs, the alerts raised
 * with their witness events — target < 100 ms per lot (issue 9 "Speed"). Baseline, in the same run and on
 * the same lots: reading the lot's records alone through the same ports (no computation, no writes).
 * The first computation of each lot is the fresh one (it raises the alerts); a recomputation finds them
 * raised and is reported separately.
 *
 * Database: in-memory PGlite, or DATABASE_URL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { computeOpenedLot, type MonitoringDb } from '../src/supervision/monitoring/index.ts';
import { readBidEvidence } from '../src/trading/bids/index.ts';
import type { BidFactoryPlatform } from '../src/trading/bids/test-factory.ts';
import { readDepositEvidence } from '../src/trading/deposits/index.ts';
import { readOpeningOutcome } from '../src/trading/opening/index.ts';
import { openedLot } from '../src/trading/opening/test-factory.ts';
import { findLot } from '../src/trading/projects/index.ts';
import { getLotTimeline } from '../src/trading/tenders/index.ts';
import { makeTestPlatform } from '../test/support/platform.ts';
import { fmt } from './support.ts';

const LOTS = Number(process.env.BENCH_LOTS ?? 5);
const BIDDERS = Number(process.env.BENCH_BIDDERS ?? 10);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function main() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-bench-monitoring-'));
  const p = await makeTestPlatform({
    GGZY_DATA_DIR: dataDir,
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    GGZY_SESSION_HOURS: '720',
  });
  try {
    console.log(
      `monitoring bench: ${LOTS} lots × ${BIDDERS} bidders, database ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in memory)'}`,
    );
    const db = p.db as unknown as Kysely<MonitoringDb>;
    const deps = p.monitoring;
    const readRecords = async (lotId: string) => {
      const [lot, outcome, bids, deposits, timeline] = await Promise.all([
        findLot(db, lotId),
        readOpeningOutcome(db, lotId),
        readBidEvidence(db, p.sealer, p.clock, lotId),
        readDepositEvidence(db, p.sealer, p.clock, lotId),
        getLotTimeline(db, lotId),
      ]);
      return { lot, outcome, bids, deposits, timeline };
    };

    const t = performance.now();
    const lotIds: string[] = [];
    const fresh: number[] = [];
    let raised = 0;
    for (let i = 0; i < LOTS; i++) {
      const lot = await openedLot(p as unknown as BidFactoryPlatform, { bidders: BIDDERS });
      lotIds.push(lot.lot.id);
      // Warm-up (first lot only): the reads, so that the first measured computation is not the cold start.
      if (i === 0) await readRecords(lot.lot.id);
      const first = await time(() => computeOpenedLot(deps, lot.lot.id, { source: 'incremental' }));
      if (!first.value || first.value.skipped) throw new Error(`lot not computed: ${first.value?.skipped}`);
      fresh.push(first.ms);
      raised += first.value.raised;
    }
    console.log(`setup (${LOTS} lots opened through the API): ${fmt((performance.now() - t) / 1000, 1)} s`);

    const baseline: number[] = [];
    const again: number[] = [];
    for (const lotId of lotIds) {
      for (let r = 0; r < RUNS; r++) baseline.push((await time(() => readRecords(lotId))).ms);
      for (let r = 0; r < RUNS; r++) {
        again.push((await time(() => computeOpenedLot(deps, lotId, { source: 'incremental' }))).ms);
      }
    }
    const base = median(baseline);
    const m = median(fresh);
    console.log(`baseline — reading one lot's records through the ports: median ${fmt(base, 1)} ms`);
    console.log(
      `incremental computation of a freshly opened lot (${BIDDERS} bids, ${fmt(raised / LOTS, 1)} alerts raised per lot): ` +
        `median ${fmt(m, 1)} ms, max ${fmt(Math.max(...fresh), 1)} ms (${fmt(m / base, 1)}× the baseline) — target < 100 ms`,
    );
    console.log(`recomputation (nothing new to raise): median ${fmt(median(again), 1)} ms`);
    if (m >= 100) process.exitCode = 1;
  } finally {
    await p.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
