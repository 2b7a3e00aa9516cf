import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalJson } from '../../platform/witness/index.ts';
import {
  DrawRng,
  isOrderedList,
  listHash,
  listJson,
  orderList,
  ReplayError,
  replayDraw,
  seedCommitment,
  shortGroup,
} from './replay.ts';

const seed = Buffer.from(`${'00'.repeat(31)}01`, 'hex');
const rootHash = Buffer.from('ab'.repeat(32), 'hex');

/** The spec of docs/draws.md written again with nothing but node:crypto, to check the module against. */
function specBlock(drawId: string, round: number, treeSize: number, counter: number): Buffer {
  const size = Buffer.alloc(8);
  size.writeBigUInt64BE(BigInt(treeSize));
  const r = Buffer.alloc(4);
  r.writeUInt32BE(round);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(counter);
  return crypto
    .createHash('sm3')
    .update(Buffer.concat([seed, rootHash, size, Buffer.from(drawId, 'utf8'), r, c]))
    .digest();
}

describe('the DRBG and the selection follow docs/draws.md byte for byte', () => {
  test('words are the big-endian 32-bit words of SM3(seed ‖ root ‖ u64 size ‖ drawId ‖ u32 round ‖ u32 counter)', () => {
    const rng = new DrawRng({ seed, rootHash, treeSize: 300, drawId: 'draw-1', round: 2 });
    const words = Array.from({ length: 12 }, () => rng.nextWord());
    const b0 = specBlock('draw-1', 2, 300, 0);
    const b1 = specBlock('draw-1', 2, 300, 1);
    const expected = [
      ...Array.from({ length: 8 }, (_, i) => b0.readUInt32BE(i * 4)),
      ...Array.from({ length: 4 }, (_, i) => b1.readUInt32BE(i * 4)),
    ];
    expect(words).toEqual(expected);
  });

  test('the commitment and list hash are SM3 of the documented bytes', () => {
    expect(seedCommitment(seed)).toBe(
      crypto.createHash('sm3').update('ggzy-draw-seed/v1').update(seed).digest('hex'),
    );
    const list = [
      { g: 0, c: 'ZJ15000001' },
      { g: 0, c: 'ZJ15000002' },
    ];
    expect(listHash(list)).toBe(
      crypto
        .createHash('sm3')
        .update('[{"c":"ZJ15000001","g":0},{"c":"ZJ15000002","g":0}]', 'utf8')
        .digest('hex'),
    );
  });

  test('a partial Fisher–Yates with rejection sampling, recomputed by hand', () => {
    const list = Array.from({ length: 7 }, (_, i) => ({ g: 0, c: `ZJ1500000${i}` }));
    const [picked] = replayDraw({
      drawId: 'd',
      round: 1,
      seed,
      rootHash,
      treeSize: 5,
      list,
      needs: [{ g: 0, count: 3 }],
    });
    // By hand from the words: j = i + w mod (n − i), rejecting w ≥ floor(2^32/(n−i))·(n−i).
    const words: number[] = [];
    for (let k = 0; words.length < 64; k++) {
      const b = specBlock('d', 1, 5, k);
      for (let i = 0; i < 8; i++) words.push(b.readUInt32BE(i * 4));
    }
    const pool = list.map((e) => e.c);
    let w = 0;
    for (let i = 0; i < 3; i++) {
      const n = pool.length - i;
      const limit = Math.floor(2 ** 32 / n) * n;
      while (words[w]! >= limit) w++;
      const j = i + (words[w++]! % n);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    expect(picked).toEqual({ g: 0, codes: pool.slice(0, 3) });
  });
});

const codeArb = fc.integer({ min: 0, max: 99999 }).map((n) => `ZJ15${String(n).padStart(6, '0')}`);
const drawArb = fc
  .record({
    seed: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    rootHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    treeSize: fc.integer({ min: 1, max: 2 ** 40 }),
    drawId: fc.string({ minLength: 1, maxLength: 40 }),
    round: fc.integer({ min: 1, max: 20 }),
    groups: fc.array(fc.uniqueArray(codeArb, { minLength: 1, maxLength: 40 }), {
      minLength: 1,
      maxLength: 4,
    }),
  })
  .chain((r) =>
    fc
      .tuple(
        ...r.groups.map((codes) => fc.integer({ min: 0, max: Math.max(0, Math.floor(codes.length / 4)) })),
      )
      .map((counts) => ({
        ...r,
        list: orderList(r.groups.flatMap((codes, g) => codes.map((c) => ({ g, c })))),
        needs: counts.map((count, g) => ({ g, count })),
      })),
  );

describe('properties of the selection', () => {
  test('deterministic; each group gets its count from its own entries; no expert twice in a round', () => {
    fc.assert(
      fc.property(drawArb, (d) => {
        // Overlapping groups may run short by construction; only sufficient rounds are drawn.
        fc.pre(shortGroup(d.list, d.needs) === null);
        const a = replayDraw(d);
        const b = replayDraw({ ...d, list: [...d.list] });
        expect(a).toEqual(b);
        const all = a.flatMap((s) => s.codes);
        expect(new Set(all).size).toBe(all.length);
        for (const s of a) {
          expect(s.codes.length).toBe(d.needs.find((n) => n.g === s.g)!.count);
          for (const c of s.codes) expect(d.list.some((e) => e.g === s.g && e.c === c)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('shortGroup is a guarantee: when it says enough, the replay never runs short', () => {
    fc.assert(
      fc.property(drawArb, (d) => {
        const needs = d.needs.map((n) => ({ ...n, count: n.count + 1 }));
        if (shortGroup(d.list, needs) === null) expect(() => replayDraw({ ...d, needs })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  test('any other seed or public value changes the words', () => {
    fc.assert(
      fc.property(drawArb, fc.integer({ min: 0, max: 31 }), (d, byte) => {
        const other = Uint8Array.from(d.seed);
        other[byte] = other[byte]! ^ 1;
        const words = (s: Uint8Array, root: Uint8Array) => {
          const rng = new DrawRng({ ...d, seed: s, rootHash: root });
          return [rng.nextWord(), rng.nextWord(), rng.nextWord()];
        };
        expect(words(other, d.rootHash)).not.toEqual(words(d.seed, d.rootHash));
        const root = Uint8Array.from(d.rootHash);
        root[byte] = root[byte]! ^ 1;
        expect(words(d.seed, root)).not.toEqual(words(d.seed, d.rootHash));
      }),
      { numRuns: 100 },
    );
  });

  test('below(n) is uniform (chi-square over 60,000 draws) and rejects nothing it should keep', () => {
    const rng = new DrawRng({ seed, rootHash, treeSize: 1, drawId: 'uniform', round: 1 });
    const n = 6;
    const counts = new Array<number>(n).fill(0);
    const total = 60_000;
    for (let i = 0; i < total; i++) counts[rng.below(n)]!++;
    const expected = total / n;
    const chi = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi).toBeLessThan(20.5); // 5 degrees of freedom, p = 0.001
  });

  test('listJson is canonicalJson of the list, byte for byte', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ g: fc.nat(20), c: fc.string({ maxLength: 12 }) }), { maxLength: 30 }),
        (list) => {
          expect(listJson(list)).toBe(canonicalJson(list));
        },
      ),
    );
  });

  test('ordering: orderList sorts by (g, c); a list out of order or with a duplicate is not ordered', () => {
    fc.assert(
      fc.property(drawArb, (d) => {
        expect(isOrderedList(d.list)).toBe(true);
        expect(orderList([...d.list].reverse())).toEqual(d.list);
        if (d.list.length > 1)
          expect(isOrderedList([d.list[1]!, d.list[0]!, ...d.list.slice(2)])).toBe(false);
        expect(isOrderedList([...d.list, d.list[d.list.length - 1]!])).toBe(false);
      }),
    );
  });

  test('a group with too few entries is a ReplayError, never a shorter committee', () => {
    expect(() =>
      replayDraw({
        drawId: 'x',
        round: 1,
        seed,
        rootHash,
        treeSize: 1,
        list: [{ g: 0, c: 'A' }],
        needs: [{ g: 0, count: 2 }],
      }),
    ).toThrow(ReplayError);
  });
});
