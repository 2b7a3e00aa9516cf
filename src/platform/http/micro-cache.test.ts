import { describe, expect, test } from 'vitest';
import { MicroCache } from './micro-cache.ts';

describe('MicroCache', () => {
  test('reuses an answer within its time, computes again after, and shares one computation', async () => {
    let now = 0;
    let computed = 0;
    const cache = new MicroCache<number>(1000, 10, () => now);
    const compute = async () => {
      computed += 1;
      return computed;
    };
    const [a, b] = await Promise.all([cache.get('k', compute), cache.get('k', compute)]);
    expect([a, b, computed]).toEqual([1, 1, 1]);
    now = 999;
    expect(await cache.get('k', compute)).toBe(1);
    now = 1000;
    expect(await cache.get('k', compute)).toBe(2);
    cache.clear();
    expect(await cache.get('k', compute)).toBe(3);
  });

  test('never remembers a failure, keeps at most maxEntries keys, and 0 turns it off', async () => {
    const cache = new MicroCache<string>(1000, 2, () => 0);
    await expect(cache.get('x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('x', async () => 'up')).toBe('up');
    await cache.get('y', async () => 'y');
    await cache.get('z', async () => 'z');
    expect(cache.size).toBe(2);
    let calls = 0;
    const off = new MicroCache<number>(0);
    await off.get('k', async () => ++calls);
    await off.get('k', async () => ++calls);
    expect(calls).toBe(2);
  });
});
