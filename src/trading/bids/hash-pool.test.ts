import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HashPool } from './hash-pool.ts';

let dir: string;
const pool = new HashPool(2);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ggzy-hash-pool-'));
});
afterAll(async () => {
  await pool.close();
  await rm(dir, { recursive: true, force: true });
});

const digests = (bytes: Uint8Array) => ({
  sm3: createHash('sm3').update(bytes).digest('hex'),
  sha256: createHash('sha256').update(bytes).digest('hex'),
});

describe('the hashing worker pool', () => {
  test('chunks hashed in order on the workers give the digests of the whole part', async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const file = path.join(dir, 'part');
    await writeFile(file, bytes);
    const cuts = [0, 1, 700_000, 2_500_000, bytes.length];
    // Sent without waiting, as the upload route does: the worker keeps their order.
    const updates = cuts
      .slice(0, -1)
      .map((at, i) => pool.update('u1/1', file, at, (cuts[i + 1] as number) - at));
    expect(await pool.take('u1/1', bytes.length)).toEqual(digests(bytes));
    expect(await Promise.all(updates)).toEqual([true, true, true, true]);
    // Taken once: the state is gone.
    expect(await pool.take('u1/1', bytes.length)).toBeNull();
  });

  test('a chunk out of step drops the state, and the caller hashes the whole file instead', async () => {
    const bytes = randomBytes(100_000);
    const file = path.join(dir, 'gap');
    await writeFile(file, bytes);
    expect(await pool.update('u2/1', file, 0, 40_000)).toBe(true);
    expect(await pool.update('u2/1', file, 50_000, 50_000)).toBe(false);
    expect(await pool.take('u2/1', bytes.length)).toBeNull();
    expect(await pool.hashFile(file)).toEqual({ ...digests(bytes), size: bytes.length });
  });

  test('a state that started mid-file (another instance took the first chunks) is not trusted', async () => {
    const file = path.join(dir, 'mid');
    await writeFile(file, randomBytes(10_000));
    expect(await pool.update('u3/1', file, 5_000, 5_000)).toBe(false);
    expect(await pool.take('u3/1', 10_000)).toBeNull();
  });

  test('forget drops every part of an upload; a missing file is an error, not a wrong digest', async () => {
    const file = path.join(dir, 'gone');
    await writeFile(file, randomBytes(1000));
    await pool.update('u4/1', file, 0, 1000);
    await pool.update('u4/2', file, 0, 1000);
    await pool.forget('u4/');
    expect(await pool.take('u4/1', 1000)).toBeNull();
    expect(await pool.take('u4/2', 1000)).toBeNull();
    await expect(pool.hashFile(path.join(dir, 'no-such-file'))).rejects.toThrow(/ENOENT/);
  });
});
