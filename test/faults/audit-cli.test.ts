import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { expect, test } from 'vitest';
import { openDatabase } from '../../src/platform/db/index.ts';
import type { AllTables } from '../../src/tables.ts';

const root = path.resolve(import.meta.dirname, '../..');

function ggzy(args: string[], dataDir: string) {
  return spawnSync(process.execPath, [path.join(root, 'bin/ggzy.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', GGZY_DATA_DIR: dataDir },
    timeout: 120_000,
  });
}

test('`ggzy audit verify` passes an intact log and names the event edited behind the platform’s back', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-audit-'));
  try {
    const seeded = ggzy(['seed'], dataDir);
    expect(seeded.status, seeded.stderr).toBe(0);

    const intact = ggzy(['audit', 'verify', '--json'], dataDir);
    expect(intact.status, intact.stderr).toBe(0);
    const report = JSON.parse(intact.stdout) as { ok: boolean; eventsChecked: number };
    expect(report.ok).toBe(true);
    expect(report.eventsChecked).toBeGreaterThanOrEqual(17); // 8 organisations + 9 accounts

    // Someone with database access rewrites one account's creation record.
    const handle = await openDatabase<AllTables>({ kind: 'pglite', dir: path.join(dataDir, 'pglite') });
    const victim = await handle.db
      .selectFrom('witness_events')
      .select(['id', 'leaf_index'])
      .where('action', '=', 'account.created')
      .orderBy('leaf_index')
      .executeTakeFirstOrThrow();
    await sql`update witness_events set payload = '{"roles":["operator"]}' where id = ${victim.id}`.execute(
      handle.db,
    );
    await handle.close();

    const tampered = ggzy(['audit', 'verify'], dataDir);
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain('altered');
    expect(tampered.stdout).toContain(`叶子序号 leaf index: ${victim.leaf_index}`);
    expect(tampered.stdout).toContain(`事件编号 event id:   ${victim.id}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 240_000);
