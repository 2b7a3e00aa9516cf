import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openDatabase } from '../platform/db/index.ts';
import type { AllTables } from '../tables.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-demo-auction-test-'));
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

test('ggzy demo --auction plays a land 挂牌 into 限时竞价 to a deal, settles the deposits and verifies the record', async () => {
  const data = path.join(dir, 'data');
  const { code, out } = await run(['demo', '--auction', '--data-dir', data]);
  expect(code, out).toBe(0);
  for (const step of [
    '① 出让人登记',
    '② 竞价规则、密封底价',
    '③ 竞买申请与竞买保证金',
    '④ 挂牌报价',
    '⑤ 挂牌期满',
    '⑥ 限时竞价',
    '⑦ 竞价结束',
    '⑧ 竞得人资格审核',
    '⑨ 竞买保证金',
    '⑩ 竞价记录',
  ]) {
    expect(out).toContain(step);
  }
  // The engine refused what the rules forbid, and said why.
  expect(out).toContain('BID_SELF_OUTBID');
  expect(out).toMatch(/核验通过/);
  expect(out).toMatch(/篡改一条报价后再核验：发现篡改/);
  expect(out).toContain('见证日志完整，未发现篡改');

  // What it printed is what the database holds: the land auction dealt at the highest bid, by seq order;
  // and the seed's own demo 挂牌 (npm start, one registration), which the demo's clock carried past its
  // listing — its one applicant never paid the deposit — so it ended 不成交.
  const db = await openDatabase<AllTables>({ kind: 'pglite', dir: path.join(data, 'pglite') });
  try {
    const auctions = await db.db
      .selectFrom('auctions')
      .select(['id', 'catalog_item_code', 'status', 'seq', 'current_price_yuan'])
      .orderBy('catalog_item_code')
      .execute();
    expect(auctions.map((a) => `${a.catalog_item_code} ${a.status}`)).toEqual(['0301 dealt', '0603 failed']);
    const land = auctions[0]!;
    const result = await db.db
      .selectFrom('auction_results')
      .selectAll()
      .where('auction_id', '=', land.id)
      .executeTakeFirstOrThrow();
    expect(result.outcome).toBe('deal');
    expect(result.price_yuan).toBe(land.current_price_yuan);
    expect(out).toContain(
      `成交价 ${Number(result.price_yuan).toLocaleString('en-US', { minimumFractionDigits: 2 })} 元`,
    );
    const bids = await db.db
      .selectFrom('auction_bids')
      .select(['seq', 'amount_yuan'])
      .where('auction_id', '=', land.id)
      .orderBy('seq')
      .execute();
    expect(bids).toHaveLength(land.seq);
    // Each bid higher than the one before: the order of record is the sequence.
    for (let i = 1; i < bids.length; i += 1)
      expect(Number(bids[i]!.amount_yuan)).toBeGreaterThan(Number(bids[i - 1]!.amount_yuan));
    const failed = await db.db
      .selectFrom('auction_results')
      .select(['outcome', 'reason'])
      .where('auction_id', '=', auctions[1]!.id)
      .executeTakeFirstOrThrow();
    expect(failed.outcome).toBe('no-deal');
    expect(['no-bids', 'insufficient-bidders']).toContain(failed.reason);
    const seeded = await db.db
      .selectFrom('auction_registrations')
      .select('id')
      .where('auction_id', '=', auctions[1]!.id)
      .execute();
    expect(seeded).toHaveLength(1);
  } finally {
    await db.close();
  }
}, 300_000);
