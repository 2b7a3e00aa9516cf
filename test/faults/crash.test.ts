import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { allMigrations } from '../../src/migrations.ts';
import { type DatabaseTarget, migrateToLatest, openDatabase } from '../../src/platform/db/index.ts';
import type { AllTables } from '../../src/tables.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs the child until it is inside its transaction, then kills it with SIGKILL (no cleanup at all). */
async function killMidTransaction(target: DatabaseTarget, tag: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'test/faults/crash-child.ts'), JSON.stringify(target), tag],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      if (String(d).includes('IN_TRANSACTION')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function rowsAfterRestart(target: DatabaseTarget, tag: string) {
  const handle = await openDatabase<AllTables>(target, { poolSize: 2 });
  try {
    await migrateToLatest(handle.db, allMigrations);
    const orgs = await handle.db
      .selectFrom('organizations')
      .select('id')
      .where('id', 'like', `${tag}-%`)
      .orderBy('id')
      .execute();
    const events = await handle.db
      .selectFrom('witness_events')
      .select('entity_id')
      .where('entity_id', 'like', `${tag}-%`)
      .execute();
    // The database is usable after the crash.
    await handle.db
      .insertInto('organizations')
      .values({ id: `${tag}-after`, name: 'after', credit_code: null })
      .execute();
    return { orgs: orgs.map((o) => o.id), events: events.map((e) => e.entity_id) };
  } finally {
    await handle.close();
  }
}

describe('a server killed in the middle of a transaction', () => {
  test('embedded database: the committed record survives the restart, the half-done one left nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-crash-'));
    const target: DatabaseTarget = { kind: 'pglite', dir: path.join(dir, 'pglite') };
    const tag = `crash${randomBytes(4).toString('hex')}`;
    await killMidTransaction(target, tag);
    const after = await rowsAfterRestart(target, tag);
    expect(after.orgs).toEqual([`${tag}-kept`]);
    expect(after.events).toEqual([`${tag}-kept`]);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  test.runIf(process.env.DATABASE_URL)(
    'PostgreSQL: the committed record survives, the half-done one left nothing',
    async () => {
      const target: DatabaseTarget = { kind: 'postgres', url: process.env.DATABASE_URL! };
      const tag = `crash${randomBytes(4).toString('hex')}`;
      await killMidTransaction(target, tag);
      const after = await rowsAfterRestart(target, tag);
      expect(after.orgs).toEqual([`${tag}-kept`]);
      expect(after.events).toEqual([`${tag}-kept`]);
    },
    120_000,
  );
});
