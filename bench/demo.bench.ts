/**
 * `ggzy demo` end to end — a whole tender from registration to contract and refunds on a fresh embedded
 * database, ending with the witness log verified (issue target: < 3 minutes) — beside a baseline measured
 * in the same run: the cold start of `ggzy serve --demo` to its first /api/health (migrations and the
 * demo seed, which the demo also does before its tender).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, freePort, ROOT, startProcess, stopProcess, waitFor200 } from './support.ts';

// Baseline: cold start with the demo seed.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-bench-demo-'));
const port = await freePort();
const t0 = Date.now();
const server = startProcess(['bin/ggzy.js', 'serve', '--demo'], {
  GGZY_DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
});
const cold = await waitFor200(`http://127.0.0.1:${port}/api/health`, t0);
await stopProcess(server);
fs.rmSync(dataDir, { recursive: true, force: true });

const t1 = Date.now();
const run = spawnSync(process.execPath, ['bin/ggzy.js', 'demo'], {
  cwd: ROOT,
  env: { ...process.env, DATABASE_URL: '' },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const demoMs = Date.now() - t1;
if (run.status !== 0) {
  console.error(run.stdout, run.stderr);
  throw new Error(`ggzy demo failed (exit ${run.status})`);
}
const verified = /见证日志完整/.test(run.stdout);
console.log(
  `ggzy demo, registration → contract, witness log verified (${verified ? 'intact' : 'NOT verified'}): ${fmt(demoMs)} ms  (target < 180,000 ms)`,
);
console.log(`  baseline: ggzy serve --demo cold start to first 200 (migrate + seed): ${fmt(cold)} ms`);
