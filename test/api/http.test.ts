import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildPlatform } from '../../src/main.ts';
import { TestClock } from '../../src/platform/clock/index.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { isDatabaseUnavailable, openDatabase } from '../../src/platform/db/index.ts';
import { createHttpServer } from '../../src/platform/http/index.ts';
import type { AllTables } from '../../src/tables.ts';
import { makeTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p.close();
});

describe('access policy on every route (deny by default)', () => {
  test('every registered route declares a policy', () => {
    const routes = p.app.registeredRoutes;
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) expect(route.policy, `${route.method} ${route.url}`).toBeDefined();
  });

  test('no route that is not public answers an anonymous caller with anything but 401', async () => {
    const guarded = p.app.registeredRoutes.filter((r) => r.policy !== 'public' && r.method !== 'HEAD');
    expect(guarded.length).toBeGreaterThan(3);
    for (const route of guarded) {
      const url = route.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const res = await p.app.inject({
        method: route.method as 'GET',
        url,
        ...(route.method === 'GET' || route.method === 'DELETE'
          ? {}
          : { headers: { 'content-type': 'application/json' }, payload: '{}' }),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(res.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    }
  });

  test('a role route refuses a signed-in account without the role', async () => {
    const roleRoutes = p.app.registeredRoutes.filter(
      (r) => typeof r.policy === 'object' && !r.policy.roles.includes('auditor'),
    );
    expect(roleRoutes.length).toBeGreaterThan(0);
    const auditor = await p.as(await p.makeAccount(['auditor']));
    for (const route of roleRoutes) {
      const url = route.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const res = await auditor.request({
        method: route.method as 'GET',
        url,
        ...(route.method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, payload: '{}' }),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
    }
  });

  test('a route registered without a policy stops the server from being built', async () => {
    const app = await createHttpServer({
      version: 'test',
      logLevel: 'silent',
      logger: false,
      bodyLimit: 1024,
      authenticate: async () => ({ ok: false, reason: 'unknown' }),
      ping: async () => {},
      serverTime: () => new Date(),
      timeScale: 1,
      webDir: null,
    });
    expect(() => app.get('/api/forgotten', async () => 'secret')).toThrow(/declares no access policy/);
    await app.close();
  });
});

describe('errors speak problem+json', () => {
  test('malformed JSON is a 400 problem, not a crash', async () => {
    const res = await p.anonymous.request({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": "x", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'MALFORMED_JSON', title: '请求内容不是有效的 JSON' });
    expect(res.json().requestId).toBe(res.headers['x-request-id']);
  });

  test('unknown fields are refused and named', async () => {
    const res = await p.anonymous.post('/api/auth/login', { username: 'a', password: 'b', role: 'operator' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify(res.json().errors)).toContain('role');
  });

  test('an oversized body is a 413 problem', async () => {
    const res = await p.anonymous.post('/api/auth/login', {
      username: 'x',
      password: 'y'.repeat(2 * 1024 * 1024),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'BODY_TOO_LARGE' });
  });

  test('a non-JSON content type is a 415 problem', async () => {
    const res = await p.anonymous.request({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'username=x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  test('an unknown API path is a 404 problem', async () => {
    const res = await p.anonymous.get('/api/no-such-thing');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', title: '请求的资源不存在' });
  });

  test('security headers are set', async () => {
    const res = await p.anonymous.get('/api/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});

describe('health and the OpenAPI document', () => {
  test('/api/health reports the database, the version and the server time', async () => {
    p.clock.set('2026-10-01T02:00:00.000Z');
    const res = await p.anonymous.get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      database: 'up',
      serverTime: '2026-10-01T02:00:00.000Z',
    });
    expect(res.json().version).toMatch(/^\d+\.\d+\.\d+/);
  });

  test('the OpenAPI 3.1 document lists the routes with Chinese summaries', async () => {
    const res = await p.anonymous.get('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/auth/login']?.post?.summary).toBe('用户名密码登录');
    const docs = await p.anonymous.get('/api/docs/');
    expect([200, 302]).toContain(docs.statusCode);
  });
});

describe('a database that goes away', () => {
  test('a request while the database is down is a 503 problem and the server keeps serving', async () => {
    const database = await openDatabase<AllTables>({ kind: 'pglite-memory' });
    const platform = await buildPlatform({
      config: loadConfig({ GGZY_DATA_DIR: '.tmp/test-data' }),
      clock: new TestClock(),
      database,
      logger: false,
      webDir: null,
    });
    try {
      expect((await platform.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
      await database.close();
      const res = await platform.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE', title: '数据库暂时不可用' });
      const login = await platform.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'a', password: 'b' }),
      });
      expect(login.statusCode).toBe(503);
      // The API docs need no database and still answer.
      expect((await platform.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    } finally {
      await platform.app.close();
    }
  });

  test('a PostgreSQL server that refuses connections is recognised as unavailable', async () => {
    const database = await openDatabase<AllTables>({
      kind: 'postgres',
      url: 'postgres://postgres@127.0.0.1:1/none',
    });
    try {
      const error = await database.ping().then(
        () => null,
        (e: unknown) => e,
      );
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await database.close();
    }
  });
});
