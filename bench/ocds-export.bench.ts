/**
 * OCDS export bench (开放数据 OCDS 导出): `npm run bench ocds-export`.
 *
 * 100,000 contracting processes (BENCH_PROCESSES to change), each with the releases of four triggers —
 * tender, opening, award, contract — built with `buildRelease` from `sampleSnapshot(…, n)` and written
 * as JSON Lines to a file stream through the export's own writer (`writeLines` of `ggzy export ocds`:
 * backpressure, gzip when the name ends in .gz). Everything is generated lazily, one process at a time,
 * so memory must stay flat: RSS and heap are printed at the start and end of each run (after a GC) and
 * the peak RSS seen during it.
 *
 * Target: ≥ 5,000 releases/s for the JSON Lines export.
 * Baselines, in the same run: `JSON.stringify` alone of the same release objects (the first 10,000
 * processes' releases, built once and held), and building + `JSON.stringify` without any I/O.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeLines } from '../src/cli/export.ts';
import { buildRelease, type OcdsRelease } from '../src/service/opendata/ocds/index.ts';
import { sampleSnapshot } from '../src/service/opendata/test-factory.ts';
import type { ReleaseTriggerKind } from '../src/service/opendata/types.ts';
import { fmt } from './support.ts';

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 100_000);
const BASELINE_PROCESSES = Math.min(PROCESSES, 10_000);
const TRIGGERS: { kind: ReleaseTriggerKind; day: number }[] = [
  { kind: 'tender', day: 0 },
  { kind: 'opening', day: 21 },
  { kind: 'award', day: 28 },
  { kind: 'contract', day: 35 },
];
const T0 = Date.parse('2026-03-02T01:00:00Z');
const PUBLIC_URL = 'https://ggzy.example.cn';
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** The releases of process n, as the projector would emit them (the snapshot already holds it all). */
function releasesOf(n: number): OcdsRelease[] {
  const snapshot = sampleSnapshot({}, n);
  return TRIGGERS.map((t, i) =>
    buildRelease(
      snapshot,
      { kind: t.kind, at: new Date(T0 + t.day * 86_400_000), eventId: n * 10 + i, announcementId: null },
      undefined,
      { publicUrl: PUBLIC_URL },
    ),
  );
}

interface Memory {
  rssMb: number;
  heapMb: number;
}
function memory(): Memory {
  gc();
  const m = process.memoryUsage();
  return { rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20 };
}

let peakRss = 0;
/** Keeps the baselines' results alive so the work is not optimised away. */
let sink = 0;
function notePeak() {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

async function* lines(count: number): AsyncGenerator<string> {
  for (let n = 1; n <= count; n++) {
    for (const r of releasesOf(n)) yield `${JSON.stringify(r)}\n`;
    if (n % 1000 === 0) notePeak();
  }
}

interface Row {
  name: string;
  releases: number;
  ms: number;
  bytes: number | null;
  start: Memory;
  end: Memory;
  peakMb: number;
}

async function run(name: string, body: () => Promise<{ releases: number; bytes: number | null }>) {
  const start = memory();
  peakRss = process.memoryUsage.rss();
  const t = performance.now();
  const { releases, bytes } = await body();
  const ms = performance.now() - t;
  notePeak();
  const row: Row = { name, releases, ms, bytes, start, end: memory(), peakMb: peakRss / 2 ** 20 };
  console.log(
    `  ${row.name.padEnd(46)} ${fmt(row.releases).padStart(9)} ${fmt(row.ms / 1000, 2).padStart(8)} s ${fmt(
      (row.releases / row.ms) * 1000,
    ).padStart(9)}/s ${(row.bytes === null ? '—' : `${fmt(row.bytes / 2 ** 20, 1)} MB`).padStart(10)}   ${fmt(
      row.start.rssMb,
    ).padStart(5)} → ${fmt(row.end.rssMb).padStart(5)} (peak ${fmt(row.peakMb).padStart(5)})   ${fmt(
      row.start.heapMb,
    ).padStart(4)} → ${fmt(row.end.heapMb).padStart(4)}`,
  );
  return row;
}

// ------------------------------------------------------------------------------------------- runs

const dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-ocds-bench-'));
try {
  console.log(
    `ocds-export: ${fmt(PROCESSES)} processes × ${TRIGGERS.length} releases (${TRIGGERS.map((t) => t.kind).join(', ')}), Node ${process.version}`,
  );
  console.log(
    `  ${'run'.padEnd(46)} ${'releases'.padStart(9)} ${'time'.padStart(10)} ${'rate'.padStart(11)} ${'output'.padStart(10)}   RSS MB start → end         heap MB`,
  );
  // Warm-up: the JIT, the builder and the file stream. The streaming runs go first, on a clean heap;
  // the held baseline (which keeps its releases in memory) last.
  await writeLines(path.join(dir, 'warmup.jsonl'), lines(500));

  // The export: build + JSON.stringify + JSON Lines to a file stream with backpressure.
  const plainFile = path.join(dir, 'releases.jsonl');
  const plain = await run('export: JSON Lines file (.jsonl)', async () => {
    await writeLines(plainFile, lines(PROCESSES));
    return { releases: PROCESSES * TRIGGERS.length, bytes: (await stat(plainFile)).size };
  });
  await rm(plainFile, { force: true });

  const gzFile = path.join(dir, 'releases.jsonl.gz');
  await run('export: JSON Lines, gzip (.jsonl.gz)', async () => {
    await writeLines(gzFile, lines(PROCESSES));
    return { releases: PROCESSES * TRIGGERS.length, bytes: (await stat(gzFile)).size };
  });

  // Baseline 1: JSON.stringify of the same release objects, already built and held in memory.
  const held: OcdsRelease[] = [];
  for (let n = 1; n <= BASELINE_PROCESSES; n++) held.push(...releasesOf(n));
  const stringifyOnly = await run(`baseline: JSON.stringify only (${fmt(held.length)} held)`, async () => {
    for (const r of held) sink += JSON.stringify(r).length;
    return { releases: held.length, bytes: null };
  });
  held.length = 0;

  // Baseline 2: build + JSON.stringify, no I/O.
  await run('baseline: buildRelease + JSON.stringify, no I/O', async () => {
    let releases = 0;
    for (let n = 1; n <= PROCESSES; n++) {
      for (const r of releasesOf(n)) {
        sink += JSON.stringify(r).length;
        releases++;
      }
      if (n % 1000 === 0) notePeak();
    }
    return { releases, bytes: null };
  });

  const rate = (plain.releases / plain.ms) * 1000;
  const baseRate = (stringifyOnly.releases / stringifyOnly.ms) * 1000;
  console.log(
    `  JSON Lines export: ${fmt(rate)} releases/s (target ≥ 5,000) — ${rate >= 5000 ? 'met' : 'NOT met'}; ` +
      `JSON.stringify alone: ${fmt(baseRate)} releases/s (the export runs at ${fmt((rate / baseRate) * 100)} % of it); ` +
      `RSS ${fmt(plain.start.rssMb)} → ${fmt(plain.end.rssMb)} MB, peak ${fmt(plain.peakMb)} MB for ${fmt(
        (plain.bytes ?? 0) / 2 ** 20,
      )} MB written`,
  );
  if (sink < 0) console.log(sink);
  if (rate < 5000) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
