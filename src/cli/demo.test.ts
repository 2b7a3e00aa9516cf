import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase } from '../platform/db/index.ts';
import { validateRecord } from '../service/dataspec/index.ts';
import { validateOcds } from '../service/opendata/index.ts';
import type { AllTables } from '../tables.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-demo-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ggzy.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', ...env },
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
  let releaseCount = 0;
  let processCount = 0;
  const db = await openDatabase<AllTables>({ kind: 'pglite', dir: path.join(data, 'pglite') });
  try {
    const contract = await db.db.selectFrom('contracts').selectAll().executeTakeFirstOrThrow();
    expect(contract.status).toBe('signed');
    expect(out).toContain(`合同金额 ${contract.price_yuan} 元`);
    const signatures = await db.db.selectFrom('contract_signatures').select('party').execute();
    expect(signatures.map((s) => s.party).sort()).toEqual(['initiator', 'supplier']);

    // 公开数据: the tender's whole life in the feed, in order, each release valid OCDS 1.1 — bidders only
    // from the opening record on, the winner and the contract at the end.
    expect(out).toContain('⑬ 公开数据');
    expect(out).toContain('全部通过 OCDS 1.1 release schema 校验');
    const releases = await db.db
      .selectFrom('public_releases')
      .select(['trigger_kind', 'release'])
      .where('lot_id', '=', contract.lot_id)
      .orderBy('seq')
      .execute();
    expect(releases.map((r) => r.trigger_kind)).toEqual([
      'tender',
      'opening',
      'candidates',
      'award',
      'contract',
    ]);
    for (const r of releases) expect(validateOcds('release', JSON.parse(r.release)).errors).toEqual([]);
    releaseCount = Number(
      (
        await db.db
          .selectFrom('public_releases')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    processCount = Number(
      (
        await db.db
          .selectFrom('public_processes')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(releases[0]!.release).not.toContain(contract.supplier_credit_code);
    expect(releases[1]!.release).toContain(contract.supplier_credit_code);
    const last = JSON.parse(releases[4]!.release) as { contracts: { value: { amount: number } }[] };
    expect(last.contracts[0]!.value.amount).toBe(Number(contract.price_yuan));
  } finally {
    await db.close();
  }
  // The exports read the same data: every published release, then one compiled release per process, then
  // the data-specification records, each line valid (OCDS schema / field by field).
  const env = { GGZY_DATA_DIR: data, LOG_LEVEL: 'silent' };
  const ocdsFile = path.join(dir, 'releases.jsonl.gz');
  const exported = await run(['export', 'ocds', '--out', ocdsFile], env);
  expect(exported.code, exported.out).toBe(0);
  const lines = gunzipSync(await readFile(ocdsFile))
    .toString('utf8')
    .trim()
    .split('\n');
  expect(lines.length).toBe(releaseCount);
  for (const line of lines) expect(validateOcds('release', JSON.parse(line)).errors).toEqual([]);
  const compiledFile = path.join(dir, 'compiled.jsonl');
  expect((await run(['export', 'ocds', '--compiled', '--out', compiledFile], env)).code).toBe(0);
  const compiled = (await readFile(compiledFile, 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(compiled.length).toBe(processCount);
  for (const c of compiled) {
    expect(c.tag).toEqual(['compiled']);
    expect(validateOcds('release', c).errors).toEqual([]);
  }
  const forged = await run(['export', 'ocds', '--since', 'eyJ4IjoxfQ.AAAA', '--out', ocdsFile], env);
  expect(forged.code).toBe(2);
  expect(forged.out).toContain('游标无效');
  const specDir = path.join(dir, 'dataspec');
  const spec = await run(['export', 'dataspec', '--out', specDir], env);
  expect(spec.code, spec.out).toBe(0);
  const tables = (await readdir(specDir)).sort();
  for (const table of [
    'PROJECT',
    'TENDER_PROJECT',
    'SECTION',
    'BID_OPENING_RECORD',
    'WIN_RESULT_ANNO',
    'CONTRACT_PERFORMANCE',
  ])
    expect(tables).toContain(`${table}.jsonl`);
  for (const file of tables) {
    const table = file.replace(/\.jsonl$/, '');
    for (const line of (await readFile(path.join(specDir, file), 'utf8')).trim().split('\n'))
      expect(validateRecord(table, JSON.parse(line))).toEqual([]);
  }

  // A directory that is not empty is refused before anything is written.
  const again = await run(['demo', '--data-dir', data]);
  expect(again.code).toBe(2);
  expect(again.out).toContain('不为空');
  expect((await readdir(data)).length).toBeGreaterThan(0);
}, 300_000);
