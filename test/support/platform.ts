import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildPlatform, type Platform } from '../../src/main.ts';
import { allMigrations } from '../../src/migrations.ts';
import { loadDemoCa } from '../../src/platform/certs/index.ts';
import { TestClock } from '../../src/platform/clock/index.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { migrateToLatest } from '../../src/platform/db/index.ts';
import { SYSTEM_ORIGIN } from '../../src/platform/witness/index.ts';
import { sharedDatabase } from './database.ts';

export const TEST_PASSWORD = 'Test@2026pw';

export interface TestPlatform extends Platform {
  clock: TestClock;
  /** Creates an organisation and an account in it with these roles; returns its login name. */
  makeAccount(
    roles: string[],
    opts?: { organizationName?: string; displayName?: string },
  ): Promise<TestAccount>;
  /** Logs in and returns a client that sends the session cookie. */
  as(account: TestAccount): Promise<ApiClient>;
  /** Logs in by login name (an account made some other way, e.g. by a registration). */
  login(username: string, password?: string): Promise<ApiClient>;
  anonymous: ApiClient;
}

export interface TestAccount {
  id: string;
  username: string;
  organizationId: string | null;
  roles: string[];
}

export interface ApiClient {
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  delete(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  cookie: string | null;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

let demoCaReady: Promise<unknown> | undefined;

/**
 * The worker's demo CA, valid from before any test clock starts. The CA is made on first use with the
 * clock of the platform that needs it, and every test file of a worker shares the database: made by a test
 * whose clock had moved on, it would be "not yet valid" for the next file's fresh clock.
 */
function ensureDemoCa(database: Awaited<ReturnType<typeof sharedDatabase>>): Promise<unknown> {
  demoCaReady ??= (async () => {
    await migrateToLatest(database.db, allMigrations);
    const early = new TestClock('2026-01-01T00:00:00.000Z');
    await loadDemoCa({ db: database.db, clock: early, securityClock: early });
  })();
  return demoCaReady;
}

export async function makeTestPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  const database = await sharedDatabase();
  await ensureDemoCa(database);
  const clock = new TestClock();
  const config = loadConfig({ GGZY_DATA_DIR: '.tmp/test-data', LOG_LEVEL: 'silent', ...env });
  const platform = await buildPlatform({ config, clock, database, logger: false, webDir: null });
  return withTestClients(platform, clock);
}

/**
 * A platform of its own on the database the configuration names — the embedded PGlite in `dataDir`, or
 * DATABASE_URL when `env` gives one — for a test or bench that later starts `ggzy serve` on the same data
 * (a crash test, the intake bench). The clock starts at now. Close it before the server opens the data.
 */
export async function makeDiskPlatform(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<TestPlatform> {
  const clock = new TestClock();
  clock.set(new Date());
  const config = loadConfig({
    GGZY_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    GGZY_LOGIN_RATE_MAX: '100000',
    GGZY_REGISTRATION_RATE_MAX: '100000',
    ...env,
  });
  const platform = await buildPlatform({ config, clock, logger: false, webDir: null });
  return withTestClients(platform, clock);
}

function withTestClients(platform: Platform, clock: TestClock): TestPlatform {
  const client = (cookie: string | null): ApiClient => {
    const request = (opts: InjectOptions) =>
      platform.app.inject({
        ...opts,
        headers: { ...(cookie ? { cookie } : {}), ...(opts.headers ?? {}) },
      });
    const withBody = (
      method: 'POST' | 'PUT',
      url: string,
      body: unknown,
      headers: Record<string, string> | undefined,
    ) =>
      request({
        method,
        url,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
    return {
      cookie,
      request,
      get: (url, headers) => request({ method: 'GET', url, headers }),
      post: (url, body, headers) => withBody('POST', url, body, headers),
      put: (url, body, headers) => withBody('PUT', url, body, headers),
      delete: (url, headers) => request({ method: 'DELETE', url, headers }),
    };
  };

  const systemCtx = () => ({ db: platform.db, clock, actor: null, origin: SYSTEM_ORIGIN });

  const login = async (username: string, password = TEST_PASSWORD): Promise<ApiClient> => {
    const res = await client(null).post('/api/auth/login', { username, password });
    if (res.statusCode !== 200) throw new Error(`login failed for ${username}: ${res.body}`);
    const setCookie = res.headers['set-cookie'];
    const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    return client(raw ? raw.split(';')[0]! : null);
  };

  return {
    ...platform,
    clock,
    anonymous: client(null),
    async makeAccount(roles, opts = {}) {
      const org = await platform.identity.createOrganization(systemCtx(), {
        name: opts.organizationName ?? uniqueName('测试单位'),
      });
      const account = await platform.identity.createAccount(systemCtx(), {
        username: uniqueName('u'),
        displayName: opts.displayName ?? '测试用户',
        password: TEST_PASSWORD,
        roles,
        organizationId: org.id,
      });
      return { id: account.id, username: account.username, organizationId: org.id, roles };
    },
    as: (account) => login(account.username),
    login,
  };
}
