import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, TEST_PASSWORD, type TestPlatform } from '../../../test/support/platform.ts';
import { buildPlatform, type Platform } from '../../main.ts';
import { loadConfig } from '../config/index.ts';
import type { Role } from '../identity/index.ts';
import { SYSTEM_ORIGIN } from '../witness/index.ts';

let p: TestPlatform;
let sandbox: Platform;
let dataDir: string;
beforeAll(async () => {
  p = await makeTestPlatform();
  // A database of its own: moving the clock runs every due job, and the worker's shared database holds
  // other test files' jobs.
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-sandbox-'));
  sandbox = await buildPlatform({
    config: loadConfig({ GGZY_DATA_DIR: dataDir, LOG_LEVEL: 'silent', GGZY_SANDBOX: 'on' }),
    logger: false,
    webDir: null,
  });
});
afterAll(async () => {
  await sandbox?.close();
  await p?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function account(role: Role): Promise<string> {
  const username = `sandbox_${role}_${Math.random().toString(36).slice(2, 8)}`;
  await sandbox.identity.createAccount(
    { db: sandbox.db, clock: sandbox.clock, actor: null, origin: SYSTEM_ORIGIN },
    { username, displayName: username, password: TEST_PASSWORD, roles: [role], organizationId: null },
  );
  return username;
}

async function bearer(platform: Platform, username: string): Promise<Record<string, string>> {
  const res = await platform.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: TEST_PASSWORD, tokenKind: 'bearer' },
  });
  expect(res.statusCode, res.body).toBe(200);
  return { authorization: `Bearer ${(res.json() as { token: string }).token}` };
}

describe('沙箱时钟 (GGZY_SANDBOX=on)', () => {
  test('the trading centre moves time ahead, due jobs run at once, the move is witnessed; never back', async () => {
    const operator = await bearer(sandbox, await account('operator'));
    const bidder = await bearer(sandbox, await account('responder'));
    const before = (await sandbox.app.inject({ url: '/api/sandbox/clock', headers: bidder })).json() as {
      now: string;
    };
    const to = new Date(new Date(before.now).getTime() + 20 * 86_400_000).toISOString();
    const refused = await sandbox.app.inject({
      method: 'POST',
      url: '/api/admin/sandbox/clock',
      headers: bidder,
      payload: { to },
    });
    expect(refused.statusCode).toBe(403);
    const moved = await sandbox.app.inject({
      method: 'POST',
      url: '/api/admin/sandbox/clock',
      headers: operator,
      payload: { to },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(new Date(moved.json().now).getTime()).toBeGreaterThanOrEqual(new Date(to).getTime());
    expect(sandbox.clock.now().getTime()).toBeGreaterThanOrEqual(new Date(to).getTime());
    const event = await sandbox.db
      .selectFrom('witness_events')
      .select(['payload'])
      .where('action', '=', 'sandbox.clock-moved')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(event.payload as string)).toMatchObject({ to });

    const back = await sandbox.app.inject({
      method: 'POST',
      url: '/api/admin/sandbox/clock',
      headers: operator,
      payload: { to: before.now },
    });
    expect(back.statusCode).toBe(409);
    expect(back.json().code).toBe('SANDBOX_CLOCK_BACKWARDS');
  });

  test('outside a sandbox there is no way to move time', async () => {
    const operator = await p.as(await p.makeAccount(['operator']));
    const res = await operator.post('/api/admin/sandbox/clock', {
      to: new Date(p.clock.now().getTime() + 86_400_000).toISOString(),
    });
    expect(res.statusCode).toBe(404);
  });
});
