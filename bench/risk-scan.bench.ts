/**
 * Risk scan bench (风险扫描 — Cardinal red flags): `npm run bench risk-scan`.
 *
 * Writes GGZY_BENCH_RISK_N (default 1,000,000) synthetic compiled releases (bench/risk-gen.ts: 1–7 bids,
 * ≈ 10 % disqualified, awards, classified items, ≈ 20,000 tenderers, 2,000 buyers) as JSON Lines to a
 * temporary file, then times over the same file:
 *  - the baseline: a plain `readline` + `JSON.parse` pass, nothing else;
 *  - parsing alone through the scan's own line splitter (no indicator enabled), on one thread;
 *  - all eleven indicators on one thread (`scanJsonLines`);
 *  - `ggzy risk scan` itself: `scanFile`, the file cut into ranges folded by a worker thread per core and
 *    reduced in file order (the figure the target is about).
 * Each row prints processes/s, the cores it had (CPU time of all threads / wall time: the machine is
 * shared) and the peak RSS seen during it (sampled every 50 ms, between chunks);
 * the process's maximum RSS (getrusage) is printed at the end. The file is deleted afterwards.
 *
 * Target: ≥ 30,000 processes/s for the scan of 1,000,000 processes with bids, in under 2 GB of memory.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import {
  type CardinalResult,
  defaultCardinalSettings,
  scanFile,
  scanJsonLines,
} from '../src/supervision/risk/index.ts';
import { writeCompiledReleases } from './risk-gen.ts';
import { fmt } from './support.ts';

const N = Number(process.env.GGZY_BENCH_RISK_N ?? 1_000_000);
const TARGET = 30_000;
const MEMORY_LIMIT_MB = 2048;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (bytes: number) => bytes / 2 ** 20;

let peakRss = 0;
function notePeak() {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}

interface Row {
  name: string;
  lines: number;
  ms: number;
  peakMb: number;
}

async function timed(name: string, body: () => Promise<number>): Promise<Row> {
  gc();
  peakRss = process.memoryUsage.rss();
  const sampler = setInterval(notePeak, 50);
  const cpu = process.cpuUsage();
  const t = performance.now();
  const lines = await body();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  notePeak();
  const row = { name, lines, ms, peakMb: mb(peakRss) };
  // CPU time of all threads over wall time: how many cores the run really had (the machine is shared).
  const cores = (used.user + used.system) / 1000 / ms;
  console.log(
    `  ${name.padEnd(48)} ${fmt(lines).padStart(10)} ${fmt(ms / 1000, 2).padStart(8)} s ${fmt((lines / ms) * 1000).padStart(9)}/s ${fmt(cores, 2).padStart(6)}   peak RSS ${fmt(row.peakMb).padStart(6)} MB`,
  );
  return row;
}

/** The baseline: what any JSON Lines reader must do at least. */
async function readlineAndParse(file: string): Promise<number> {
  let lines = 0;
  const reader = readline.createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of reader) {
    if (JSON.parse(line) !== null) lines++;
  }
  return lines;
}

let result: CardinalResult = {};
let threads = 0;
/** One thread (`scanJsonLines`), or the whole command (`scanFile`: a worker per core). */
async function scan(file: string, how: 'none' | 'one thread' | 'command'): Promise<number> {
  let warnings = 0;
  const onWarning = () => warnings++;
  const settings = how === 'none' ? defaultCardinalSettings([]) : defaultCardinalSettings();
  result =
    how === 'command'
      ? await scanFile(file, settings, onWarning, { onPlan: (plan) => (threads = plan.threads) })
      : await scanJsonLines(createReadStream(file, { highWaterMark: 256 << 10 }), settings, onWarning);
  if (warnings > 0) throw new Error(`${warnings} lines were not JSON`);
  return N;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-risk-bench-'));
try {
  const file = path.join(dir, 'releases.jsonl');
  const warmFile = path.join(dir, 'warm-up.jsonl');
  let t = performance.now();
  const bytes = await writeCompiledReleases(file, N);
  console.log(
    `risk-scan: ${fmt(N)} compiled releases, ${fmt(mb(bytes))} MB (${fmt(bytes / N)} bytes each), generated in ${fmt(
      (performance.now() - t) / 1000,
      1,
    )} s; Node ${process.version}, ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  // Warm-up: the JIT for every path, on a small file of its own.
  t = performance.now();
  await writeCompiledReleases(warmFile, 20_000, { seed: 7 });
  await readlineAndParse(warmFile);
  await scanJsonLines(createReadStream(warmFile), defaultCardinalSettings(), () => {});
  await scanFile(warmFile, defaultCardinalSettings(), () => {}, { minBytesPerThread: 1 });
  await rm(warmFile);

  console.log(
    `  ${'run'.padEnd(48)} ${'processes'.padStart(10)} ${'time'.padStart(10)} ${'rate'.padStart(11)} ${'cores'.padStart(6)}`,
  );
  const baseline = await timed('baseline: readline + JSON.parse', () => readlineAndParse(file));
  const parseOnly = await timed('one thread, no indicator (split + JSON.parse)', () => scan(file, 'none'));
  const oneThread = await timed('one thread, all 11 indicators (scanJsonLines)', () =>
    scan(file, 'one thread'),
  );
  const full = await timed('ggzy risk scan: scanFile, a thread per core', () => scan(file, 'command'));
  const counts = Object.entries(result)
    .filter(([group]) => group !== 'Meta')
    .map(([group, ids]) => `${group} ${fmt(Object.keys(ids as object).length)}`)
    .join(', ');
  console.log(`  flagged: ${counts}; ggzy risk scan used ${threads} threads`);
  const rate = (full.lines / full.ms) * 1000;
  const baseRate = (baseline.lines / baseline.ms) * 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const met = rate >= TARGET && maxRssMb < MEMORY_LIMIT_MB;
  console.log(
    `  risk scan: ${fmt(rate)} processes/s (target ≥ ${fmt(TARGET)}) — ${met ? 'met' : 'NOT met'}; ` +
      `baseline readline + JSON.parse ${fmt(baseRate)}/s (the scan runs at ${fmt((rate / baseRate) * 100)} % of it, ` +
      `on one thread ${fmt((oneThread.lines / oneThread.ms) * 1000)}/s, parsing alone ${fmt(
        (parseOnly.lines / parseOnly.ms) * 1000,
      )}/s); ` +
      `peak RSS ${fmt(full.peakMb)} MB during the scan, process max RSS ${fmt(maxRssMb)} MB (limit ${fmt(MEMORY_LIMIT_MB)} MB)`,
  );
  if (!met) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
