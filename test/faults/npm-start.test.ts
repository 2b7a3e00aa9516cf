import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// The README's first command is `npm ci && npm start`: run the start script exactly as npm does.
test('`npm start` starts the platform on the embedded database, seeds it and prints the URL and demo accounts', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-npm-start-'));
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', GGZY_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  child.stderr.on('data', (d) => {
    output += String(d);
  });
  try {
    const deadline = Date.now() + 150_000;
    let health: Response | null = null;
    while (Date.now() < deadline && child.exitCode === null) {
      health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null);
      if (health?.status === 200) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(health?.status, output).toBe(200);
    expect(output).toContain(`http://127.0.0.1:${port}/`);
    expect(output).toContain('演示账号');
    for (const username of ['admin', 'zhaobiao', 'daili', 'toubiao1', 'zhuanjia', 'jiandu', 'shenji']) {
      expect(output).toContain(username);
    }
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'Ggzy@2026' }),
    });
    expect(login.status).toBe(200);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(true);
  } finally {
    if (child.pid && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
    // npm exits before its node child has closed the database: retry while PGlite still writes its files.
    fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
  }
}, 180_000);
