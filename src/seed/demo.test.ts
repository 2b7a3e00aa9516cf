import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildPlatform, type Platform } from '../main.ts';
import { TestClock } from '../platform/clock/index.ts';
import { loadConfig } from '../platform/config/index.ts';
import { openDatabase } from '../platform/db/index.ts';
import { SYSTEM_ORIGIN } from '../platform/witness/index.ts';
import type { AllTables } from '../tables.ts';
import { DEMO_ACCOUNTS, seedDemo } from './demo.ts';

// Its own empty database: seeding is about what an empty (or half-seeded) database becomes.
let platform: Platform;
let dataDir: string;
beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-seed-'));
  platform = await buildPlatform({
    config: loadConfig({ GGZY_DATA_DIR: dataDir }),
    clock: new TestClock(),
    database: await openDatabase<AllTables>({ kind: 'pglite-memory' }),
    logger: false,
    webDir: null,
  });
});
afterAll(async () => {
  await platform.app.close();
  await platform.database.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a seed interrupted half-way is completed on the next start, and a finished seed is never repeated', async () => {
  const deps = { ...platform, securityClock: platform.clock, dataDir };
  // What a start killed during seeding leaves behind: the first organisation and the first account.
  const ctx = { db: platform.db, clock: platform.clock, actor: null, origin: SYSTEM_ORIGIN };
  const org = await platform.identity.createOrganization(ctx, {
    name: '内蒙古自治区公共资源交易中心（演示）',
    creditCode: '12150000MB0000001C',
  });
  await platform.identity.createAccount(ctx, {
    username: DEMO_ACCOUNTS[0]!.username,
    displayName: DEMO_ACCOUNTS[0]!.displayName,
    password: 'Ggzy@2026',
    roles: [DEMO_ACCOUNTS[0]!.role],
    organizationId: org.id,
  });

  expect(await seedDemo(deps)).toBe(true);
  const accounts = await platform.db.selectFrom('accounts').select('username').execute();
  expect(accounts.map((a) => a.username).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
  const orgs = await platform.db.selectFrom('organizations').select('id').execute();
  expect(orgs).toHaveLength(8);
  for (const account of DEMO_ACCOUNTS) {
    expect(fs.existsSync(path.join(dataDir, 'certs', account.username, 'sign.cert.pem'))).toBe(true);
  }

  expect(await seedDemo(deps)).toBe(false);
  expect(await platform.db.selectFrom('accounts').select('id').execute()).toHaveLength(DEMO_ACCOUNTS.length);
});
