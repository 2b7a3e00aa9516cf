import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import {
  type CertsDb,
  type CertsModule,
  certsMigrations,
  createCertsModule,
  type OpenSession,
  registerCertRoutes,
} from '../../../src/platform/certs/index.ts';
import { TestClock } from '../../../src/platform/clock/index.ts';
import { openDatabase, type SqlMigration } from '../../../src/platform/db/index.ts';
import { createHttpServer, type HttpServer } from '../../../src/platform/http/index.ts';
import {
  createIdentity,
  type Identity,
  identityMigrations,
  registerIdentityRoutes,
} from '../../../src/platform/identity/index.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN, witnessMigrations } from '../../../src/platform/witness/index.ts';

/**
 * The certs part on a server composed here from the platform's own parts, as blobs/routes.test.ts does,
 * until src/main.ts wires it. A database of its own: an in-memory PGlite, or with DATABASE_URL a
 * uniquely named schema on that server (dropped on close) — the shared test database's migration list
 * does not know this part's tables yet.
 */
export const PASSWORD = 'Test@2026pw';

export interface CertTestApp {
  app: HttpServer;
  db: Kysely<CertsDb>;
  clock: TestClock;
  identity: Identity;
  certs: CertsModule;
  dataDir: string;
  makeAccount(opts: {
    roles?: string[];
    creditCode?: string | null;
    organizationName?: string;
    displayName?: string;
  }): Promise<TestAccount>;
  /** Password login; returns the cookie header value. */
  cookieFor(account: TestAccount): Promise<string>;
  post(url: string, body: unknown, cookie?: string): Promise<LightMyRequestResponse>;
  get(url: string, cookie?: string): Promise<LightMyRequestResponse>;
  witnessActions(entityId: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface TestAccount {
  id: string;
  username: string;
  organizationId: string;
  creditCode: string | null;
}

function byName(lists: SqlMigration[][]): SqlMigration[] {
  return lists.flat().sort((a, b) => a.name.localeCompare(b.name));
}

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function openTestDatabase(
  embeddedDir?: string,
): Promise<{ db: Kysely<CertsDb>; close(): Promise<void> }> {
  const url = embeddedDir ? undefined : process.env.DATABASE_URL;
  let handle: Awaited<ReturnType<typeof openDatabase<CertsDb>>>;
  let dropSchema = async () => {};
  if (embeddedDir) {
    handle = await openDatabase<CertsDb>({ kind: 'pglite', dir: embeddedDir });
  } else if (url) {
    const schema = `test_certs_${randomBytes(6).toString('hex')}`;
    await adminQuery(url, `create schema ${schema}`);
    const scoped = new URL(url);
    scoped.searchParams.set('options', `-c search_path=${schema}`);
    handle = await openDatabase<CertsDb>({ kind: 'postgres', url: scoped.toString() }, { poolSize: 4 });
    dropSchema = () => adminQuery(url, `drop schema ${schema} cascade`);
  } else {
    handle = await openDatabase<CertsDb>({ kind: 'pglite-memory' });
  }
  // The statements go straight in: Kysely's migrator looks for its lock table in every schema.
  for (const migration of byName([identityMigrations, witnessMigrations, certsMigrations])) {
    for (const statement of migration.statements) await sql.raw(statement).execute(handle.db);
  }
  return {
    db: handle.db,
    close: async () => {
      await handle.close();
      await dropSchema();
    },
  };
}

/**
 * identity.openSession once identity exports it; until then a stand-in doing what it does — insert the
 * session (SHA-256 of the token) and witness `session.opened` in one transaction.
 */
export function openSessionOf(identity: Identity, db: Kysely<CertsDb>, clock: TestClock): OpenSession {
  const exported = (identity as unknown as { openSession?: OpenSession }).openSession;
  if (exported) return exported;
  return async (ctx, input) => {
    const account = await db
      .selectFrom('accounts')
      .leftJoin('organizations', 'organizations.id', 'accounts.organization_id')
      .select([
        'accounts.id',
        'accounts.username',
        'accounts.display_name',
        'accounts.roles',
        'accounts.status',
        'accounts.organization_id',
        'organizations.name as organization_name',
      ])
      .where('accounts.id', '=', input.accountId)
      .executeTakeFirstOrThrow();
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    const sessionId = randomUUID();
    const expiresAt = new Date(now.getTime() + 12 * 3600_000);
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('sessions')
        .values({
          id: sessionId,
          account_id: account.id,
          token_hash: createHash('sha256').update(token).digest('hex'),
          kind: input.kind,
          created_at: now,
          expires_at: expiresAt,
          revoked_at: null,
          ip: ctx.origin.ip,
          user_agent: ctx.origin.userAgent,
        })
        .execute();
      await appendWitnessEvent(
        tx,
        ctx.clock.now(),
        { ...ctx.origin, accountId: account.id },
        {
          entityType: 'account',
          entityId: account.id,
          action: 'session.opened',
          payload: { sessionId, kind: input.kind, method: input.method },
        },
      );
    });
    return {
      token,
      expiresAt,
      actor: {
        accountId: account.id,
        username: account.username,
        displayName: account.display_name,
        roles: account.roles,
        organizationId: account.organization_id,
        organizationName: account.organization_name,
        sessionId,
      },
    };
  };
}

/** `embeddedDir`: a PGlite database in that directory, as `npm start` runs (the bench uses it). */
export async function makeCertTestApp(opts: { embeddedDir?: string } = {}): Promise<CertTestApp> {
  const database = await openTestDatabase(opts.embeddedDir);
  const db = database.db;
  const clock = new TestClock(new Date());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-certs-'));
  const identity = createIdentity({ db, sessionClock: clock, sessionHours: 12 });
  const certs = createCertsModule({
    db,
    clock,
    securityClock: clock,
    openSession: openSessionOf(identity, db, clock),
    platform: 'https://ggzy.test',
    dataDir,
  });
  const app = await createHttpServer({
    version: 'test',
    logLevel: 'silent',
    logger: false,
    bodyLimit: 1024 * 1024,
    authenticate: (token) => identity.authenticate(token),
    ping: async () => {},
    serverTime: () => clock.now(),
    timeScale: 1,
    webDir: null,
  });
  registerIdentityRoutes(app, { identity, db, clock, loginRateMax: 100_000, secureCookies: false });
  registerCertRoutes(app, { certs, db, clock, secureCookies: false, rateMax: 100_000 });
  await app.ready();

  const system = { db, clock, actor: null, origin: SYSTEM_ORIGIN };
  const request = (method: 'GET' | 'POST', url: string, body?: unknown, cookie?: string) =>
    app.inject({
      method,
      url,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  return {
    app,
    db,
    clock,
    identity,
    certs,
    dataDir,
    async makeAccount(opts) {
      const org = await identity.createOrganization(system, {
        name: opts.organizationName ?? `测试单位${randomBytes(4).toString('hex')}`,
        creditCode: opts.creditCode ?? null,
      });
      const account = await identity.createAccount(system, {
        username: `u_${randomBytes(5).toString('hex')}`,
        displayName: opts.displayName ?? '测试用户',
        password: PASSWORD,
        roles: opts.roles ?? ['responder'],
        organizationId: org.id,
      });
      return {
        id: account.id,
        username: account.username,
        organizationId: org.id,
        creditCode: opts.creditCode ?? null,
      };
    },
    async cookieFor(account) {
      const res = await request('POST', '/api/auth/login', {
        username: account.username,
        password: PASSWORD,
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      const setCookie = res.headers['set-cookie'];
      return String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;
    },
    post: (url, body, cookie) => request('POST', url, body, cookie),
    get: (url, cookie) => request('GET', url, undefined, cookie),
    async witnessActions(entityId) {
      const rows = await db
        .selectFrom('witness_events')
        .select('action')
        .where('entity_id', '=', entityId)
        .orderBy('id')
        .execute();
      return rows.map((r) => r.action);
    },
    async close() {
      await app.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
