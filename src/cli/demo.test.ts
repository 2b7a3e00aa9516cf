import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase } from '../platform/db/index.ts';
import type { AllTables } from '../tables.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-demo-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ggzy.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out }));
  });
}

test('ggzy demo plays a whole tender to the signed contract and the refunds, and the witness log verifies', async () => {
  const data = path.join(dir, 'data');
  const { code, out } = await run(['demo', '--data-dir', data]);
  expect(code, out).toBe(0);
  for (const step of [
    '① 项目登记',
    '⑤ 不见面开标',
    '⑥ 随机抽取评标专家',
    '⑦ 评标',
    '⑨ 定标',
    '⑩ 签订合同',
    '⑪ 退还投标保证金',
  ]) {
    expect(out).toContain(step);
  }
  expect(out).toContain('见证日志完整，未发现篡改');
  expect(out).toMatch(/退还保证金指令 5 笔/);

  // What it printed is what the database holds: the contract signed at the winning price by both parties.
  const db = await openDatabase<AllTables>({ kind: 'pglite', dir: path.join(data, 'pglite') });
  try {
    const contract = await db.db.selectFrom('contracts').selectAll().executeTakeFirstOrThrow();
    expect(contract.status).toBe('signed');
    expect(out).toContain(`合同金额 ${contract.price_yuan} 元`);
    const signatures = await db.db.selectFrom('contract_signatures').select('party').execute();
    expect(signatures.map((s) => s.party).sort()).toEqual(['initiator', 'supplier']);
  } finally {
    await db.close();
  }
  // A directory that is not empty is refused before anything is written.
  const again = await run(['demo', '--data-dir', data]);
  expect(again.code).toBe(2);
  expect(again.out).toContain('不为空');
  expect((await readdir(data)).length).toBeGreaterThan(0);
}, 300_000);
