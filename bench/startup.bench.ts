/**
 * Start-up and idle memory of the platform on its embedded database (issue targets: cold < 15 s,
 * warm < 5 s to a 200 from /api/health; idle RSS < 250 MB), beside a bare Node HTTP server started and
 * measured the same way in the same run. The web app is built beforehand so the figure is the server's.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, freePort, ROOT, rssMb, startProcess, stopProcess, waitFor200 } from './support.ts';

const IDLE_SECONDS = 10;

if (
  !fs.existsSync(path.join(ROOT, 'web/dist/index.html')) &&
  fs.existsSync(path.join(ROOT, 'web/vite.config.ts'))
) {
  spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

// Baseline: a bare node:http server answering 200.
const basePort = await freePort();
let t0 = Date.now();
const bare = startProcess(
  ['-e', `require('http').createServer((q,s)=>s.end('ok')).listen(${basePort},'127.0.0.1')`],
  {},
);
const bareStart = await waitFor200(`http://127.0.0.1:${basePort}/`, t0);
await new Promise((r) => setTimeout(r, 2000));
const bareRss = rssMb(bare.pid!);
await stopProcess(bare);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-bench-start-'));
const port = await freePort();
const env = {
  GGZY_DATA_DIR: dataDir,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DATABASE_URL: '',
};
const health = `http://127.0.0.1:${port}/api/health`;

t0 = Date.now();
let server = startProcess(['bin/ggzy.js', 'serve', '--demo'], env);
const cold = await waitFor200(health, t0);
await stopProcess(server);

t0 = Date.now();
server = startProcess(['bin/ggzy.js', 'serve', '--demo'], env);
const warm = await waitFor200(health, t0);
// Let start-up work settle, touch the main pages once, then measure at rest.
await fetch(`http://127.0.0.1:${port}/`);
await fetch(`http://127.0.0.1:${port}/api/openapi.json`);
await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
const idle = rssMb(server.pid!);
await stopProcess(server);
fs.rmSync(dataDir, { recursive: true, force: true });

console.log(
  `start to /api/health, cold (empty data dir, migrate + demo seed): ${fmt(cold)} ms  (target < 15,000 ms)`,
);
console.log(
  `start to /api/health, warm (existing data dir):                   ${fmt(warm)} ms  (target < 5,000 ms)`,
);
console.log(`  baseline: bare node:http server start to first 200:              ${fmt(bareStart)} ms`);
console.log(
  `idle server RSS after ${IDLE_SECONDS} s:                                      ${fmt(idle)} MB  (target < 250 MB)`,
);
console.log(`  baseline: bare node:http server RSS:                             ${fmt(bareRss)} MB`);
