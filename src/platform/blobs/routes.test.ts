import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
import { type BlobDb, blobsMigrations, LocalBlobStore, registerBlobRoutes } from './index.ts';

/** The HTTP surface of the blob store, on a server composed here from the platform's own parts. */
type Db = IdentityDb & BlobDb;

const UPLOAD_LIMIT = 64 * 1024;
const PASSWORD = 'Test@2026pw';

let handle: DatabaseHandle<Db>;
let app: HttpServer;
let dir: string;
let store: LocalBlobStore;
let cookie: string;

function byName(lists: SqlMigration[][]): SqlMigration[] {
  const all = new Map(lists.flat().map((m) => [m.name, m]));
  return [...all.values()].sort((a, b) => a.name.localeCompare(b.name));
}

beforeAll(async () => {
  handle = await openDatabase<Db>({ kind: 'pglite-memory' });
  await migrateToLatest(
    handle.db as Kysely<unknown>,
    byName([identityMigrations, witnessMigrations, blobsMigrations]),
  );
  dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-blob-routes-'));
  store = new LocalBlobStore(dir);
  const clock = new TestClock();
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
  await registerBlobRoutes(app, { db: handle.db, blobs: store, clock, uploadLimit: UPLOAD_LIMIT });
  await app.ready();

  const system = { db: handle.db, clock, actor: null, origin: SYSTEM_ORIGIN };
  await identity.createAccount(system, {
    username: 'bidder1',
    displayName: '投标人一',
    password: PASSWORD,
    roles: ['responder'],
  });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'bidder1', password: PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const setCookie = login.headers['set-cookie'];
  cookie = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;
});

afterAll(async () => {
  await app.close();
  await handle.close();
  await rm(dir, { recursive: true, force: true });
});

function multipart(content: Buffer, filename: string, contentType = 'application/pdf') {
  const boundary = `----ggzy${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const upload = (content: Buffer, filename = '投标文件.pdf', withCookie = true) => {
  const body = multipart(content, filename);
  return app.inject({
    method: 'POST',
    url: '/api/blobs',
    payload: body.payload,
    headers: { ...body.headers, ...(withCookie ? { cookie } : {}) },
  });
};

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('POST /api/blobs', () => {
  test('stores the file by hash and answers its SHA-256 and SM3; the upload is witnessed', async () => {
    const content = randomBytes(10_000);
    const res = await upload(content);
    expect(res.statusCode).toBe(201);
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(res.json()).toMatchObject({
      sha256,
      sm3: createHash('sm3').update(content).digest('hex'),
      size: 10_000,
      contentType: 'application/pdf',
    });
    const [event] = await handle.db
      .selectFrom('witness_events')
      .selectAll()
      .where('entity_type', '=', 'blob')
      .where('entity_id', '=', sha256)
      .execute();
    expect(event).toMatchObject({ action: 'blob.uploaded', actor_role: 'responder' });
    expect(JSON.parse(event!.payload)).toMatchObject({ filename: '投标文件.pdf', size: 10_000 });

    const again = await upload(content);
    expect(again.statusCode).toBe(200);
    expect(again.json().sha256).toBe(sha256);
  });

  test('a file over the limit is refused with 413 in Chinese, and nothing is kept', async () => {
    const before = await storedFiles();
    const content = randomBytes(UPLOAD_LIMIT + 1);
    const res = await upload(content, '超大文件.zip');
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'UPLOAD_TOO_LARGE',
      title: '文件超过大小限制',
      maxBytes: UPLOAD_LIMIT,
    });
    expect(res.json().detail).toContain('超大文件.zip');
    expect(await storedFiles()).toEqual(before);
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(
      await handle.db.selectFrom('blobs').select('sha256').where('sha256', '=', sha256).execute(),
    ).toEqual([]);
  });

  test('a file of exactly the limit is accepted', async () => {
    expect((await upload(randomBytes(UPLOAD_LIMIT))).statusCode).toBe(201);
  });

  test('anonymous callers get 401; a JSON body gets 400', async () => {
    const anonymous = await upload(randomBytes(10), 'a.txt', false);
    expect(anonymous.statusCode).toBe(401);
    const json = await app.inject({
      method: 'POST',
      url: '/api/blobs',
      payload: { a: 1 },
      headers: { cookie },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'UPLOAD_NOT_MULTIPART' });
  });
});

describe('GET /api/blobs/:sha256', () => {
  test('returns the bytes as a download with both digests', async () => {
    const content = Buffer.from('<html><script>alert(1)</script></html>');
    const body = multipart(content, 'page.html', 'text/html');
    const up = await app.inject({
      method: 'POST',
      url: '/api/blobs',
      payload: body.payload,
      headers: { ...body.headers, cookie },
    });
    const { sha256, sm3 } = up.json();
    const res = await app.inject({ method: 'GET', url: `/api/blobs/${sha256}`, headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(content)).toBe(true);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${sha256}"`);
    expect(res.headers['x-content-sm3']).toBe(sm3);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  test('unknown or malformed hashes are 404; anonymous callers 401', async () => {
    const missing = await app.inject({
      method: 'GET',
      url: `/api/blobs/${'a'.repeat(64)}`,
      headers: { cookie },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'BLOB_NOT_FOUND', title: '文件不存在' });
    const malformed = await app.inject({
      method: 'GET',
      url: '/api/blobs/..%2F..%2Fetc',
      headers: { cookie },
    });
    expect(malformed.statusCode).toBe(404);
    const anonymous = await app.inject({ method: 'GET', url: `/api/blobs/${'a'.repeat(64)}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
