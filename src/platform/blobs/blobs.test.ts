import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { promisify } from 'node:util';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestClock } from '../clock/index.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../db/index.ts';
import { NotFound } from '../errors.ts';
import { SYSTEM_ORIGIN, witnessMigrations } from '../witness/index.ts';
import { type BlobDb, blobsMigrations, LocalBlobStore, PayloadTooLarge, uploadBlob } from './index.ts';

const run = promisify(execFile);

let handle: DatabaseHandle<BlobDb>;
let db: Kysely<BlobDb>;
let root: string;
const clock = new TestClock();
const origin = { ...SYSTEM_ORIGIN, accountId: 'acct-uploader', role: 'responder' };

beforeAll(async () => {
  handle = await openDatabase<BlobDb>({ kind: 'pglite-memory' });
  db = handle.db;
  await migrateToLatest(db as Kysely<unknown>, [...witnessMigrations, ...blobsMigrations]);
  root = await mkdtemp(path.join(os.tmpdir(), 'ggzy-blobs-'));
});

afterAll(async () => {
  await handle.close();
  await rm(root, { recursive: true, force: true });
});

let dirCounter = 0;
const freshStore = () => new LocalBlobStore(path.join(root, `store-${++dirCounter}`));

/** The content as a stream of uneven chunks, as a network upload arrives. */
function chunked(content: Buffer, chunkSize = 7919): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < content.length; i += chunkSize) chunks.push(content.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

async function filesUnder(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

const rowCount = async (sha256: string) =>
  (await db.selectFrom('blobs').select('sha256').where('sha256', '=', sha256).execute()).length;

describe('LocalBlobStore.put', () => {
  test('SHA-256 and SM3 match node:crypto over the whole buffer and openssl dgst on the stored file', async () => {
    const store = freshStore();
    const content = randomBytes(1_000_003);
    const stored = await store.put(chunked(content), { maxBytes: 2_000_000 });

    expect(stored).toEqual({
      sha256: createHash('sha256').update(content).digest('hex'),
      sm3: createHash('sm3').update(content).digest('hex'),
      size: content.length,
    });
    const file = store.pathOf(stored.sha256);
    const sm3 = await run('openssl', ['dgst', '-sm3', '-r', file]);
    expect(sm3.stdout.split(' ')[0]).toBe(stored.sm3);
    const sha = await run('openssl', ['dgst', '-sha256', '-r', file]);
    expect(sha.stdout.split(' ')[0]).toBe(stored.sha256);
    expect(await filesUnder(path.join(store.dir, 'tmp'))).toEqual([]);
  });

  test('SM3 of "abc" is the GB/T 32905 example value', async () => {
    const stored = await freshStore().put(Readable.from([Buffer.from('abc')]), { maxBytes: 3 });
    expect(stored.sm3).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  test('content of exactly maxBytes is accepted; an empty file too', async () => {
    const store = freshStore();
    expect((await store.put(chunked(Buffer.alloc(4096, 1)), { maxBytes: 4096 })).size).toBe(4096);
    const empty = await store.put(Readable.from([]), { maxBytes: 0 });
    expect(empty.sha256).toBe(createHash('sha256').digest('hex'));
    expect(await store.has(empty.sha256)).toBe(true);
  });

  test('a source that fails mid-way leaves no file behind', async () => {
    const store = freshStore();
    async function* broken() {
      yield Buffer.alloc(10_000);
      throw new Error('connection reset by client');
    }
    await expect(store.put(broken(), { maxBytes: 1_000_000 })).rejects.toThrow('connection reset');
    expect(await filesUnder(store.dir)).toEqual([]);
  });

  test('get streams stored content; unknown hashes are NotFound', async () => {
    const store = freshStore();
    const stored = await store.put(Readable.from(['招标文件正文']), { maxBytes: 1000 });
    expect(await text(await store.get(stored.sha256))).toBe('招标文件正文');
    await expect(store.get('0'.repeat(64))).rejects.toBeInstanceOf(NotFound);
    await expect(store.get('../../etc/passwd')).rejects.toBeInstanceOf(NotFound);
    expect(await store.has('0'.repeat(64))).toBe(false);
    expect(await store.delete(stored.sha256)).toBe(true);
    expect(await store.has(stored.sha256)).toBe(false);
  });
});

describe('uploadBlob', () => {
  test('an oversized upload is refused with 413 and leaves no file and no row', async () => {
    const store = freshStore();
    const content = randomBytes(100_001);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const upload = uploadBlob(
      { db, blobs: store, clock },
      { source: chunked(content), maxBytes: 100_000, filename: '投标文件.zip', origin },
    );
    await expect(upload).rejects.toBeInstanceOf(PayloadTooLarge);
    await expect(upload).rejects.toMatchObject({
      status: 413,
      code: 'UPLOAD_TOO_LARGE',
      title: '文件超过大小限制',
      detail: expect.stringContaining('投标文件.zip'),
    });
    expect(await filesUnder(store.dir)).toEqual([]);
    expect(await rowCount(sha256)).toBe(0);
  });

  test('concurrent uploads of identical content store one file and one row; each upload is witnessed', async () => {
    const store = freshStore();
    const content = randomBytes(300_000);
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        uploadBlob(
          { db, blobs: store, clock },
          { source: chunked(content, 4096), maxBytes: 1_000_000, contentType: 'application/pdf', origin },
        ),
      ),
    );
    const sha256 = createHash('sha256').update(content).digest('hex');
    expect(new Set(results.map((r) => r.blob.sha256))).toEqual(new Set([sha256]));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await filesUnder(store.dir)).toEqual([store.pathOf(sha256)]);
    expect(await rowCount(sha256)).toBe(1);
    expect(results[0]!.blob).toMatchObject({
      size: 300_000,
      contentType: 'application/pdf',
      createdBy: 'acct-uploader',
      createdAt: clock.now(),
    });
    const events = await db
      .selectFrom('witness_events')
      .select(['action', 'actor_account_id'])
      .where('entity_type', '=', 'blob')
      .where('entity_id', '=', sha256)
      .execute();
    expect(events).toHaveLength(8);
    expect(events[0]).toEqual({ action: 'blob.uploaded', actor_account_id: 'acct-uploader' });
  });
});

describe('LocalBlobStore.adoptFile', () => {
  test('a finished staging file moves into the store without a copy; the same content again is dropped', async () => {
    const store = freshStore();
    const content = randomBytes(100_000);
    const staging = path.join(root, `staging-${dirCounter}`);
    const { writeFile, stat } = await import('node:fs/promises');
    await writeFile(staging, content);
    const inode = (await stat(staging)).ino;
    const expected = {
      sha256: createHash('sha256').update(content).digest('hex'),
      sm3: createHash('sm3').update(content).digest('hex'),
      size: content.length,
    };
    await store.adoptFile(staging, expected);
    expect((await stat(store.pathOf(expected.sha256))).ino).toBe(inode);
    await expect(stat(staging)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.has(expected.sha256)).toBe(true);
    // A second adoption of the same content (a retried completion) leaves the stored file as it was.
    await writeFile(staging, content);
    await store.adoptFile(staging, expected);
    expect((await stat(store.pathOf(expected.sha256))).ino).toBe(inode);
    await expect(stat(staging)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
