import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestClock } from '../clock/index.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase, type SqlMigration } from '../db/index.ts';
import { createHttpServer, type HttpServer } from '../http/index.ts';
import {
  createIdentity,
  type IdentityDb,
  identityMigrations,
  registerIdentityRoutes,
} from '../identity/index.ts';
import { SYSTEM_ORIGIN, witnessMigrations } from '../witness/index.ts';
import {
  enqueueJob,
  type JobLogger,
  JobRunner,
  type JobTables,
  jobsMigrations,
  registerJobRoutes,
} from './index.ts';

/** The operator's HTTP view of jobs, on a server composed here from the platform's own parts. */
type Db = IdentityDb & JobTables;

const PASSWORD = 'Test@2026pw';
const silent: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

let handle: DatabaseHandle<Db>;
let app: HttpServer;
const clock = new TestClock();
const cookies: Record<'operator' | 'responder', string> = { operator: '', responder: '' };

function byName(lists: SqlMigration[][]): SqlMigration[] {
  const all = new Map(lists.flat().map((m) => [m.name, m]));
  return [...all.values()].sort((a, b) => a.name.localeCompare(b.name));
}

beforeAll(async () => {
  handle = await openDatabase<Db>({ kind: 'pglite-memory' });
  await migrateToLatest(
    handle.db as Kysely<unknown>,
    byName([identityMigrations, witnessMigrations, jobsMigrations]),
  );
  const identity = createIdentity({ db: handle.db, sessionClock: clock, sessionHours: 12 });
  app = await createHttpServer({
    version: 'test',
    logLevel: 'silent',
    logger: false,
    bodyLimit: 1024 * 1024,
    authenticate: (token) => identity.authenticate(token),
    ping: () => handle.ping(),
    serverTime: () => clock.now(),
    timeScale: 1,
    webDir: null,
  });
  registerIdentityRoutes(app, { identity, db: handle.db, clock, loginRateMax: 1000, secureCookies: false });
  registerJobRoutes(app, { db: handle.db, clock });
  await app.ready();

  const system = { db: handle.db, clock, actor: null, origin: SYSTEM_ORIGIN };
  for (const role of ['operator', 'responder'] as const) {
    await identity.createAccount(system, {
      username: role,
      displayName: role,
      password: PASSWORD,
      roles: [role],
    });
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: role, password: PASSWORD },
    });
    const setCookie = login.headers['set-cookie'];
    cookies[role] = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;
  }
});

afterAll(async () => {
  await app.close();
  await handle.close();
});

describe('operator job view', () => {
  test('lists jobs with their error; a failed job is retried by the operator and witnessed', async () => {
    const runner = new JobRunner<Db>({ db: handle.db, clock, leaseClock: clock, logger: silent });
    let fail = true;
    runner.register('notify.sms', async () => {
      if (fail) throw new Error('短信网关不可用');
    });
    const { id } = await enqueueJob(handle.db, {
      type: 'notify.sms',
      payload: { to: '138' },
      maxAttempts: 1,
    });
    await runner.runDueJobs();

    const list = await app.inject({
      method: 'GET',
      url: '/api/admin/jobs?status=failed',
      headers: { cookie: cookies.operator },
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().counts.failed).toBe(1);
    expect(list.json().items[0]).toMatchObject({
      id,
      type: 'notify.sms',
      status: 'failed',
      statusName: '失败',
      lastError: 'Error: 短信网关不可用',
      payload: { to: '138' },
    });

    const retry = await app.inject({
      method: 'POST',
      url: `/api/admin/jobs/${id}/retry`,
      headers: { cookie: cookies.operator },
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ id, status: 'queued', attempts: 0 });
    const events = await handle.db
      .selectFrom('witness_events')
      .selectAll()
      .where('action', '=', 'job.retried')
      .where('entity_id', '=', String(id))
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_role: 'operator' });

    const twice = await app.inject({
      method: 'POST',
      url: `/api/admin/jobs/${id}/retry`,
      headers: { cookie: cookies.operator },
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'JOB_NOT_FAILED', title: '只能重试失败的任务' });

    fail = false;
    expect(await runner.runDueJobs()).toMatchObject({ succeeded: 1 });
  });

  test('unknown or malformed ids are 404', async () => {
    for (const id of ['999999', 'abc']) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/admin/jobs/${id}/retry`,
        headers: { cookie: cookies.operator },
      });
      expect(res.statusCode, id).toBe(404);
      expect(res.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    }
  });

  test('other roles get 403, anonymous callers 401', async () => {
    const asResponder = await app.inject({
      method: 'GET',
      url: '/api/admin/jobs',
      headers: { cookie: cookies.responder },
    });
    expect(asResponder.statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'POST', url: '/api/admin/jobs/1/retry' });
    expect(anonymous.statusCode).toBe(401);
  });
});
