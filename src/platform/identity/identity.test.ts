import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  makeTestPlatform,
  TEST_PASSWORD,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

async function witnessActions(entityId: string): Promise<string[]> {
  const rows = await p.db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('login 登录', () => {
  test('a correct password opens a session in an httpOnly cookie, and /me tells who is logged in', async () => {
    const account = await p.makeAccount(['initiator'], { displayName: '李强' });
    const res = await p.anonymous.post('/api/auth/login', {
      username: account.username,
      password: TEST_PASSWORD,
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/ggzy_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(res.json()).not.toHaveProperty('token');

    const client = await p.as(account);
    const me = await client.get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      username: account.username,
      displayName: '李强',
      roles: ['initiator'],
    });
    expect(await witnessActions(account.id)).toContain('session.opened');
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const account = await p.makeAccount(['responder']);
    const wrong = await p.anonymous.post('/api/auth/login', {
      username: account.username,
      password: 'Wrong@2026x',
    });
    const unknown = await p.anonymous.post('/api/auth/login', {
      username: uniqueName('nobody'),
      password: 'Wrong@2026x',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', title: '用户名或密码错误' });
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  test('logins are rate-limited: the attempt past the limit gets 429 even with the right password', async () => {
    const limited = await makeTestPlatform({ GGZY_LOGIN_RATE_MAX: '3' });
    try {
      const account = await limited.makeAccount(['responder']);
      for (let i = 0; i < 3; i++) {
        const r = await limited.anonymous.post('/api/auth/login', {
          username: account.username,
          password: 'Wrong@2026x',
        });
        expect(r.statusCode).toBe(401);
      }
      const blocked = await limited.anonymous.post('/api/auth/login', {
        username: account.username,
        password: TEST_PASSWORD,
      });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS', title: '操作过于频繁' });
    } finally {
      await limited.close();
    }
  });

  test('an API client can ask for a bearer token instead of a cookie', async () => {
    const account = await p.makeAccount(['agency']);
    const res = await p.anonymous.post('/api/auth/login', {
      username: account.username,
      password: TEST_PASSWORD,
      tokenKind: 'bearer',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    const { token } = res.json() as { token: string };
    const me = await p.anonymous.get('/api/auth/me', { authorization: `Bearer ${token}` });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: account.username });
  });

  test('a disabled account cannot log in', async () => {
    const admin = await p.as(await p.makeAccount(['operator']));
    const target = await p.makeAccount(['expert']);
    expect((await admin.post(`/api/admin/accounts/${target.id}/disable`)).statusCode).toBe(200);
    const res = await p.anonymous.post('/api/auth/login', {
      username: target.username,
      password: TEST_PASSWORD,
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });
});

describe('sessions 会话', () => {
  test('a session past its lifetime is refused as expired', async () => {
    const account = await p.makeAccount(['expert']);
    const client = await p.as(account);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    p.clock.advance(12 * 3600_000 + 1);
    const res = await client.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_EXPIRED', title: '登录已过期' });
  });

  test('after logout the same cookie no longer works', async () => {
    const account = await p.makeAccount(['supervisor']);
    const client = await p.as(account);
    const out = await client.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    const res = await client.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_REVOKED' });
    expect(await witnessActions(account.id)).toEqual(['account.created', 'session.opened', 'session.closed']);
  });

  test('an operator can end every session of an account at once', async () => {
    const admin = await p.as(await p.makeAccount(['operator']));
    const target = await p.makeAccount(['responder']);
    const first = await p.as(target);
    const second = await p.as(target);
    const res = await admin.post(`/api/admin/accounts/${target.id}/revoke-sessions`);
    expect(res.json()).toEqual({ sessionsEnded: 2 });
    expect((await first.get('/api/auth/me')).statusCode).toBe(401);
    expect((await second.get('/api/auth/me')).statusCode).toBe(401);
  });

  test('a forged or garbage token is treated as no login', async () => {
    const res = await p.anonymous.get('/api/auth/me', {
      cookie: 'ggzy_session=not-a-real-token-at-all-xxxxxxxx',
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  test('changing the password ends the other sessions but keeps this one', async () => {
    const account = await p.makeAccount(['initiator']);
    const here = await p.as(account);
    const elsewhere = await p.as(account);
    const weak = await here.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'PASSWORD_TOO_WEAK' });
    const ok = await here.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'Changed@2026pw',
    });
    expect(ok.statusCode).toBe(204);
    expect((await here.get('/api/auth/me')).statusCode).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).statusCode).toBe(401);
    const relogin = await p.anonymous.post('/api/auth/login', {
      username: account.username,
      password: 'Changed@2026pw',
    });
    expect(relogin.statusCode).toBe(200);
  });
});

describe('accounts 账号管理', () => {
  test('an operator creates an account; the new user can log in; the creation is witnessed', async () => {
    const admin = await p.as(await p.makeAccount(['operator']));
    const username = uniqueName('new');
    const res = await admin.post('/api/admin/accounts', {
      username,
      displayName: '新用户',
      password: 'NewUser@2026',
      roles: ['responder'],
    });
    expect(res.statusCode).toBe(201);
    const { id } = res.json() as { id: string };
    expect(await witnessActions(id)).toEqual(['account.created']);
    const login = await p.anonymous.post('/api/auth/login', { username, password: 'NewUser@2026' });
    expect(login.statusCode).toBe(200);

    const again = await admin.post('/api/admin/accounts', {
      username,
      displayName: '重复',
      password: 'NewUser@2026',
      roles: ['responder'],
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'USERNAME_TAKEN' });
  });

  test('an operator lists organisations to choose from', async () => {
    const admin = await p.as(await p.makeAccount(['operator'], { organizationName: uniqueName('交易中心') }));
    const bidder = await p.makeAccount(['responder'], { organizationName: uniqueName('投标单位') });
    const res = await admin.get('/api/admin/organizations?limit=50');
    expect(res.statusCode).toBe(200);
    // Newest first: the organisation just registered is on the first page.
    const ids = (res.json() as { items: { id: string }[] }).items.map((o) => o.id);
    expect(ids).toContain(bidder.organizationId);
  });

  test('a non-operator may not list or create accounts', async () => {
    const bidder = await p.as(await p.makeAccount(['responder']));
    const list = await bidder.get('/api/admin/accounts');
    expect(list.statusCode).toBe(403);
    expect(list.json()).toMatchObject({ code: 'ROLE_FORBIDDEN' });
    const create = await bidder.post('/api/admin/accounts', {
      username: uniqueName('x'),
      displayName: 'x',
      password: 'NewUser@2026',
      roles: ['operator'],
    });
    expect(create.statusCode).toBe(403);
  });

  test('bad account input is answered field by field and nothing is stored', async () => {
    const admin = await p.as(await p.makeAccount(['operator']));
    const username = uniqueName('bad');
    const cases = [
      [{ username, displayName: 'x', password: 'NewUser@2026', roles: ['king'] }, 'ROLE_INVALID'],
      [
        { username: 'a b', displayName: 'x', password: 'NewUser@2026', roles: ['expert'] },
        'USERNAME_INVALID',
      ],
      [{ username, displayName: 'x', password: 'abc', roles: ['expert'] }, 'PASSWORD_TOO_WEAK'],
      [
        { username, displayName: 'x', password: 'NewUser@2026', roles: ['expert'], isAdmin: true },
        'VALIDATION_FAILED',
      ],
      [{ username, password: 'NewUser@2026', roles: ['expert'] }, 'VALIDATION_FAILED'],
    ] as const;
    for (const [body, code] of cases) {
      const res = await admin.post('/api/admin/accounts', body);
      expect(res.statusCode, code).toBe(400);
      expect(res.json()).toMatchObject({ code });
    }
    const stored = await p.db.selectFrom('accounts').select('id').where('username', '=', username).execute();
    expect(stored).toHaveLength(0);
  });
});

test('passwords, tokens and cookies never reach the request log', async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logged = await makeTestPlatform();
  await logged.close();
  const { buildPlatform } = await import('../../main.ts');
  const { loadConfig } = await import('../config/index.ts');
  const platform = await buildPlatform({
    config: loadConfig({ LOG_LEVEL: 'trace', GGZY_DATA_DIR: '.tmp/test-data' }),
    clock: p.clock,
    database: p.database,
    logger: { stream },
    webDir: null,
  });
  try {
    const account = await p.makeAccount(['responder']);
    const login = await platform.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: account.username, password: TEST_PASSWORD, tokenKind: 'bearer' }),
    });
    const { token } = login.json() as { token: string };
    await platform.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    await platform.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `ggzy_session=${token}` },
    });
    const log = lines.join('');
    expect(log).toContain('/api/auth/login'); // the log is really being written
    expect(log).not.toContain(TEST_PASSWORD);
    expect(log).not.toContain(token);
  } finally {
    await platform.app.close();
  }
});
