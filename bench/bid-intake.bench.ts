/**
 * Bid intake at the deadline (issue 5 targets): BENCH_BIDDERS (default 200) bidders upload BENCH_MB
 * (default 20) MB sealed bids concurrently on loopback to one lot of a `ggzy serve` child process on its
 * embedded database. Printed beside `dd if=/dev/zero of=<data dir> bs=1M count=<same total> conv=fsync`
 * measured in the same run:
 *   - aggregate MB/s of the upload (first byte to last receipt) — target ≥ 50 % of dd;
 *   - receipt latency after each bidder's last byte, p50/p99 — target p99 < 2 s;
 *   - the server's peak RSS (VmHWM) — target < 1 GB;
 *   - lost or corrupt bids (every receipt verified offline, every stored part's SM3 recomputed, every
 *     bidder's live bid checked through the API) — target 0.
 * Setup (accounts, certificates, packing) is not timed. Run: `npm run bench bid-intake`, or scaled down:
 * `BENCH_BIDDERS=20 BENCH_MB=5 npm run bench bid-intake`.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { submitPackedBid } from '../src/cli/bid.ts';
import { type SignedBidReceipt, verifyReceipt } from '../src/trading/bids/index.ts';
import {
  addBidder,
  openLotForBidding,
  packTestBid,
  type TestBidder,
} from '../src/trading/bids/test-factory.ts';
import { makeDiskPlatform } from '../test/support/platform.ts';
import { fmt, freePort, startProcess, stopProcess, waitFor200 } from './support.ts';

const BIDDERS = Number(process.env.BENCH_BIDDERS ?? 200);
/** BENCH_DATABASE_URL=postgres://…: the server on PostgreSQL instead of the embedded PGlite. */
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? '';
const MB = Number(process.env.BENCH_MB ?? 20);
const PASSWORD = 'Bench@2026pw';

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ggzy-bench-bids-'));
const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'ggzy-bench-bids-work-'));
console.log(
  `bid intake: ${BIDDERS} bidders × ${MB} MB, data ${dataDir}, ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
);

// ---- setup in-process on the same data directory (not timed) ----
const factoryPlatform = await makeDiskPlatform(dataDir, { DATABASE_URL });
const setup = factoryPlatform;

let t = Date.now();
const lot = await openLotForBidding(factoryPlatform, { bidders: 0, maxPartBytes: 2 ** 31 });
const bidders: TestBidder[] = [];
for (let i = 0; i < BIDDERS; i++) bidders.push(await addBidder(factoryPlatform, lot.lot.id));
console.log(
  `  setup: lot and ${BIDDERS} bidders with demo certificates in ${fmt((Date.now() - t) / 1000, 1)} s`,
);
await setup.close();
void PASSWORD;

t = Date.now();
const plain = randomBytes(MB * 1024 * 1024);
const packed = [];
for (const bidder of bidders) {
  const p = await packTestBid(lot, bidder, {
    parts: [{ kind: 'technical', name: '技术部分', bytes: plain }],
  });
  packed.push(p);
}
const totalBytes = packed.reduce(
  (sum, p) => sum + p.signed.manifest.parts.reduce((s, x) => s + x.content.sealedLength, 0),
  0,
);
console.log(
  `  packed ${BIDDERS} bids (${fmt(totalBytes / 1e6, 0)} MB sealed) in ${fmt((Date.now() - t) / 1000, 1)} s`,
);

// ---- baseline: dd of the same number of bytes into the data directory ----
const ddFile = path.join(dataDir, 'dd.bin');
const ddCount = Math.ceil(totalBytes / (1024 * 1024));
t = Date.now();
const dd = spawnSync('dd', ['if=/dev/zero', `of=${ddFile}`, 'bs=1M', `count=${ddCount}`, 'conv=fsync'], {
  stdio: 'ignore',
});
const ddSeconds = (Date.now() - t) / 1000;
await fs.rm(ddFile, { force: true });
if (dd.status !== 0) throw new Error('dd failed');
const ddMbps = (ddCount * 1024 * 1024) / 1e6 / ddSeconds;
// How long SM3 alone takes over the same number of bytes on one core (64 MiB measured, scaled).
const sample = randomBytes(64 * 1024 * 1024);
const sm3Started = performance.now();
createHash('sm3').update(sample).digest();
const sm3Seconds = ((performance.now() - sm3Started) / 1000) * (totalBytes / sample.length);

// ---- the server ----
const port = await freePort();
// BENCH_PROFILE=<dir>: a CPU profile of the server (Node refuses --cpu-prof in NODE_OPTIONS).
const profile = process.env.BENCH_PROFILE
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
  : [];
const server = startProcess([...profile, 'bin/ggzy.js', 'serve'], {
  GGZY_DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DATABASE_URL,
  GGZY_LOGIN_RATE_MAX: '100000',
  ...(process.env.UV_THREADPOOL_SIZE ? { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE } : {}),
});
const base = `http://127.0.0.1:${port}`;
await waitFor200(`${base}/api/health`, Date.now());
const tokens = await Promise.all(
  bidders.map(async (b) => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: b.account.username, password: 'Test@2026pw', tokenKind: 'bearer' }),
    });
    return ((await res.json()) as { token: string }).token;
  }),
);

let peakKb = 0;
const sampler = setInterval(async () => {
  try {
    const status = await fs.readFile(`/proc/${server.pid}/status`, 'utf8');
    peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  } catch {
    // exited
  }
}, 200);

const silent = { out: () => {}, err: () => {} };
const latencies: number[] = [];
/** Of each latency: last byte → the server's commit time (receivedAt), and commit → receipt in hand. */
const beforeCommit: number[] = [];
const afterCommit: number[] = [];
const receipts: (SignedBidReceipt | Error)[] = [];
/** CPU seconds (user + system) of the server process, from /proc (clock ticks of 1/100 s). */
const serverCpu = async () => {
  const fields = (await fs.readFile(`/proc/${server.pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
};
const serverCpuBefore = await serverCpu();
const clientCpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(
  packed.map(async (p, i) => {
    let lastByte = 0;
    let lastByteWall = 0;
    try {
      receipts[i] = await submitPackedBid(
        {
          dir: p.dir,
          server: base,
          token: tokens[i]!,
          onUploaded: () => {
            lastByte = performance.now();
            lastByteWall = Date.now();
          },
        },
        silent,
      );
      latencies.push(performance.now() - lastByte);
      const receipt = receipts[i];
      if (receipt && !(receipt instanceof Error)) {
        const committed = Date.parse(receipt.receipt.receivedAt);
        beforeCommit.push(committed - lastByteWall);
        afterCommit.push(Date.now() - committed);
      }
    } catch (error) {
      receipts[i] = error as Error;
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
const serverCpuAfter = await serverCpu();
const serverUser = serverCpuAfter.user - serverCpuBefore.user;
const serverSystem = serverCpuAfter.system - serverCpuBefore.system;
const clientCpu = process.cpuUsage(clientCpuBefore);
const clientCpuSeconds = (clientCpu.user + clientCpu.system) / 1e6;
clearInterval(sampler);
const status = await fs.readFile(`/proc/${server.pid}/status`, 'utf8');
peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));

// ---- zero lost, zero corrupt ----
const keys = (
  (await (await fetch(`${base}/api/witness/public-key`)).json()) as { keys: { publicKeyPem: string }[] }
).keys.map((k) => k.publicKeyPem);
let lost = 0;
let corrupt = 0;
for (const [i, p] of packed.entries()) {
  const receipt = receipts[i];
  if (!receipt || receipt instanceof Error) {
    lost++;
    console.log(`  bidder ${i}: ${receipt instanceof Error ? receipt.message : 'no receipt'}`);
    continue;
  }
  if (!verifyReceipt(receipt, keys).ok) corrupt++;
  for (const part of p.signed.manifest.parts) {
    const local = path.join(p.dir, `part-${part.no}.gzs4`);
    const sha256 = await digest(local, 'sha256');
    const stored = path.join(dataDir, 'blobs', 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    const sm3 = await digest(stored, 'sm3').catch(() => null);
    if (sm3 !== part.content.sealedDigest || receipt.receipt.parts[part.no - 1]?.sealedDigest !== sm3)
      corrupt++;
  }
  const mine = (await (
    await fetch(`${base}/api/lots/${lot.lot.id}/my-bid`, {
      headers: { authorization: `Bearer ${tokens[i]}` },
    })
  ).json()) as { bidId?: string };
  if (mine.bidId !== receipt.receipt.bidId) lost++;
}
await stopProcess(server);

for (const list of [latencies, beforeCommit, afterCommit]) list.sort((a, b) => a - b);
const quantile = (list: number[], q: number) =>
  list[Math.min(list.length - 1, Math.ceil(q * list.length) - 1)] ?? Number.NaN;
const pct = (q: number) => quantile(latencies, q);
const mbps = totalBytes / 1e6 / seconds;
console.log('');
console.log(`| figure | measured | baseline in the same run | target |`);
console.log(`|---|---|---|---|`);
console.log(
  `| aggregate upload, ${BIDDERS} × ${MB} MB | ${fmt(mbps, 1)} MB/s (${fmt(seconds, 1)} s) = ${fmt((100 * mbps) / ddMbps, 0)} % | dd conv=fsync ${fmt(ddMbps, 1)} MB/s | ≥ 50 % |`,
);
console.log(
  `| receipt after the last byte | p50 ${fmt(pct(0.5), 0)} ms, p99 ${fmt(pct(0.99), 0)} ms, max ${fmt(latencies.at(-1) ?? Number.NaN, 0)} ms | — | p99 < 2 s |`,
);
console.log(
  `| — of which last byte → commit / commit → receipt (witness proof) | p50 ${fmt(quantile(beforeCommit, 0.5), 0)} / ${fmt(quantile(afterCommit, 0.5), 0)} ms, p99 ${fmt(quantile(beforeCommit, 0.99), 0)} / ${fmt(quantile(afterCommit, 0.99), 0)} ms | — | — |`,
);
console.log(
  `| CPU during the upload (2 cores here: ${fmt(2 * seconds, 1)} core-s) | server ${fmt(serverUser + serverSystem, 1)} s (${fmt(serverSystem, 1)} s in the kernel), bidders' tool ${fmt(clientCpuSeconds, 1)} s (${fmt(clientCpu.system / 1e6, 1)} s in the kernel) | bare SM3 of the same bytes on one core: ${fmt(sm3Seconds, 1)} s | — |`,
);
console.log(`| server peak RSS (VmHWM) | ${fmt(peakKb / 1024, 0)} MB | — | < 1 GB |`);
console.log(`| lost / corrupt bids | ${lost} / ${corrupt} of ${BIDDERS} | — | 0 |`);

await fs.rm(workDir, { recursive: true, force: true });
for (const p of packed) await fs.rm(p.dir, { recursive: true, force: true });
await fs.rm(dataDir, { recursive: true, force: true });
if (lost > 0 || corrupt > 0) process.exitCode = 1;

async function digest(file: string, algorithm: 'sha256' | 'sm3'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
