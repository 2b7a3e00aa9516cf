import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiClient, makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';

/**
 * The HTTP surface of the blob store, on the real platform. The platform gets a data directory of this
 * file's own, so "nothing is kept" can be checked on disk; database rows are told apart by content.
 */
const UPLOAD_LIMIT = 64 * 1024;

let p: TestPlatform;
let dataDir: string;
let blobDir: string;
let bidder: ApiClient;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-blob-routes-'));
  blobDir = path.join(dataDir, 'blobs');
  p = await makeTestPlatform({ GGZY_DATA_DIR: dataDir, GGZY_UPLOAD_LIMIT: String(UPLOAD_LIMIT) });
  bidder = await p.as(await p.makeAccount(['responder'], { displayName: '投标人一' }));
});

afterAll(async () => {
  await p.close();
  await rm(dataDir, { recursive: true, force: true });
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
  return (withCookie ? bidder : p.anonymous).request({
    method: 'POST',
    url: '/api/blobs',
    payload: body.payload,
    headers: body.headers,
  });
};

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(blobDir, { recursive: true, withFileTypes: true }).catch(() => []);
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
    const [event] = await p.db
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
    expect(await p.db.selectFrom('blobs').select('sha256').where('sha256', '=', sha256).execute()).toEqual(
      [],
    );
  });

  test('a file of exactly the limit is accepted', async () => {
    expect((await upload(randomBytes(UPLOAD_LIMIT))).statusCode).toBe(201);
  });

  test('anonymous callers get 401; a JSON body gets 400', async () => {
    const anonymous = await upload(randomBytes(10), 'a.txt', false);
    expect(anonymous.statusCode).toBe(401);
    const json = await bidder.post('/api/blobs', { a: 1 });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'UPLOAD_NOT_MULTIPART' });
  });
});

describe('GET /api/blobs/:sha256', () => {
  test('returns the bytes as a download with both digests', async () => {
    const content = Buffer.from(
      `<html><script>alert(1)</script><!-- ${randomBytes(8).toString('hex')} --></html>`,
    );
    const body = multipart(content, 'page.html', 'text/html');
    const up = await bidder.request({
      method: 'POST',
      url: '/api/blobs',
      payload: body.payload,
      headers: body.headers,
    });
    const { sha256, sm3 } = up.json();
    const res = await bidder.get(`/api/blobs/${sha256}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(content)).toBe(true);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${sha256}"`);
    expect(res.headers['x-content-sm3']).toBe(sm3);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  test('unknown or malformed hashes are 404; anonymous callers 401', async () => {
    const missing = await bidder.get(`/api/blobs/${'a'.repeat(64)}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'BLOB_NOT_FOUND', title: '文件不存在' });
    const malformed = await bidder.get('/api/blobs/..%2F..%2Fetc');
    expect(malformed.statusCode).toBe(404);
    const anonymous = await p.anonymous.get(`/api/blobs/${'a'.repeat(64)}`);
    expect(anonymous.statusCode).toBe(401);
  });
});
