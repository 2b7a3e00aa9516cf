import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { sm3 } from '../crypto/index.ts';
import {
  consistencyProofRanges,
  EMPTY_ROOT,
  foldSubtrees,
  hashChildren,
  hashLeaf,
  inclusionPathRanges,
  type LeafRange,
  MerkleFrontier,
  perfectSubtrees,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from './merkle.ts';

// A brute-force reference, written straight from RFC 9162 §2.1.1–2.1.4 with whole leaf lists.
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sm3(new Uint8Array(0));
  if (leaves.length === 1) return hashLeaf(leaves[0]!);
  const k = largestPowerBelow(leaves.length);
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}
function referencePath(m: number, leaves: Uint8Array[]): Uint8Array[] {
  if (leaves.length <= 1) return [];
  const k = largestPowerBelow(leaves.length);
  return m < k
    ? [...referencePath(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...referencePath(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}
function referenceSubproof(m: number, leaves: Uint8Array[], complete: boolean): Uint8Array[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [mth(leaves)];
  const k = largestPowerBelow(n);
  return m <= k
    ? [...referenceSubproof(m, leaves.slice(0, k), complete), mth(leaves.slice(k))]
    : [...referenceSubproof(m - k, leaves.slice(k), false), mth(leaves.slice(0, k))];
}
function largestPowerBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf ${i}`));
const hex = (hashes: Uint8Array[]) => hashes.map(toHex);

/** A range's hash the way the server computes it: stored perfect subtrees, folded from the right. */
function rangeHash(leaves: Uint8Array[], range: LeafRange): Uint8Array {
  const subtrees = perfectSubtrees(range).map(({ level, index }) =>
    mth(leaves.slice(index * 2 ** level, (index + 1) * 2 ** level)),
  );
  const folded = foldSubtrees(subtrees);
  expect(toHex(folded)).toBe(toHex(mth(leaves.slice(range[0], range[1]))));
  return folded;
}
const leaves300 = leavesOf(300);

const sizeAndIndex = fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1)));
const twoSizes = fc
  .tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }))
  .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

// A proof binds a leaf (or an old root) to a root; the tree size is bound by the signed checkpoint that
// carries both size and root, which is why these tests change roots and paths rather than sizes alone.
describe('the SM3 Merkle tree matches a brute-force RFC 9162 reference', () => {
  test('the empty tree hashes to SM3 of nothing', () => {
    expect(toHex(EMPTY_ROOT)).toBe('1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b');
  });

  test('the frontier gives the reference root at every size and announces every perfect subtree once', () => {
    const leaves = leavesOf(300);
    const frontier = new MerkleFrontier();
    const nodes = new Map<string, string>();
    leaves.forEach((leaf, i) => {
      frontier.append(hashLeaf(leaf), (level, index, hash) => {
        const key = `${level}:${index}`;
        expect(nodes.has(key)).toBe(false);
        nodes.set(key, toHex(hash));
      });
      expect(toHex(frontier.root())).toBe(toHex(mth(leaves.slice(0, i + 1))));
    });
    for (const [key, hash] of nodes) {
      const [level, index] = key.split(':').map(Number) as [number, number];
      const size = 2 ** level;
      expect(hash).toBe(toHex(mth(leaves.slice(index * size, (index + 1) * size))));
    }
    expect(nodes.size).toBe(300 - 4); // n minus the number of 1-bits in n (300 = 0b100101100)
  });

  test('inclusion proofs equal the reference path and verify; a wrong index, leaf or path fails', () => {
    fc.assert(
      fc.property(sizeAndIndex, ([n, m]) => {
        const leaves = leaves300.slice(0, n);
        const path = inclusionPathRanges(m, n).map((range) => rangeHash(leaves, range));
        expect(hex(path)).toEqual(hex(referencePath(m, leaves)));
        const claim = {
          leafIndex: m,
          treeSize: n,
          leafHash: hashLeaf(leaves[m]!),
          inclusionPath: path,
          rootHash: mth(leaves),
        };
        expect(verifyInclusion(claim)).toBe(true);
        expect(verifyInclusion({ ...claim, leafHash: hashLeaf(new TextEncoder().encode('forged')) })).toBe(
          false,
        );
        if (n > 1) {
          expect(verifyInclusion({ ...claim, leafIndex: (m + 1) % n })).toBe(false);
          expect(verifyInclusion({ ...claim, inclusionPath: path.slice(0, -1) })).toBe(false);
        }
        expect(verifyInclusion({ ...claim, inclusionPath: [...path, EMPTY_ROOT] })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  test('consistency proofs equal the reference and verify; a different old tree fails', () => {
    fc.assert(
      fc.property(twoSizes, ([m, n]) => {
        const leaves = leaves300.slice(0, n);
        const proof = consistencyProofRanges(m, n).map((range) => rangeHash(leaves, range));
        expect(hex(proof)).toEqual(hex(m === n ? [] : referenceSubproof(m, leaves, true)));
        const claim = {
          fromSize: m,
          toSize: n,
          fromRoot: mth(leaves.slice(0, m)),
          toRoot: mth(leaves),
          proof,
        };
        expect(verifyConsistency(claim)).toBe(true);
        // A history rewritten before m: same sizes, a different old root.
        const rewritten = [new TextEncoder().encode('rewritten'), ...leaves.slice(1, m)];
        expect(verifyConsistency({ ...claim, fromRoot: mth(rewritten) })).toBe(false);
        expect(verifyConsistency({ ...claim, toRoot: mth([...leaves.slice(0, n - 1), rewritten[0]!]) })).toBe(
          false,
        );
        if (proof.length > 0) {
          expect(verifyConsistency({ ...claim, proof: proof.slice(0, -1) })).toBe(false);
          expect(verifyConsistency({ ...claim, proof: [...proof, EMPTY_ROOT] })).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('edge cases: the empty old tree, equal sizes, malformed input', () => {
    const leaves = leavesOf(5);
    expect(
      verifyConsistency({ fromSize: 0, toSize: 5, fromRoot: EMPTY_ROOT, toRoot: mth(leaves), proof: [] }),
    ).toBe(true);
    expect(
      verifyConsistency({ fromSize: 5, toSize: 5, fromRoot: mth(leaves), toRoot: mth(leaves), proof: [] }),
    ).toBe(true);
    expect(
      verifyConsistency({ fromSize: 6, toSize: 5, fromRoot: mth(leaves), toRoot: mth(leaves), proof: [] }),
    ).toBe(false);
    expect(
      verifyInclusion({
        leafIndex: 0,
        treeSize: 1,
        leafHash: hashLeaf(leaves[0]!),
        inclusionPath: [],
        rootHash: mth(leaves.slice(0, 1)),
      }),
    ).toBe(true);
    expect(
      verifyInclusion({
        leafIndex: -1,
        treeSize: 1,
        leafHash: hashLeaf(leaves[0]!),
        inclusionPath: [],
        rootHash: mth(leaves),
      }),
    ).toBe(false);
    expect(
      verifyInclusion({
        leafIndex: 0,
        treeSize: 1,
        leafHash: new Uint8Array(31),
        inclusionPath: [],
        rootHash: mth(leaves),
      }),
    ).toBe(false);
  });
});
