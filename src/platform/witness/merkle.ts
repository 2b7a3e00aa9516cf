import crypto from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 with SM3 as its hash: leaf = SM3(0x00 ‖ leaf bytes),
 * node = SM3(0x01 ‖ left ‖ right), empty tree = SM3(""). Everything here is pure, so a client can run
 * the verification functions without the server.
 */

export const HASH_SIZE = 32;

export function sm3Digest(data: Uint8Array): Buffer {
  return crypto.hash('sm3', data, 'buffer');
}

/** MTH({}) — the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sm3Digest(new Uint8Array(0));

export function hashLeaf(leafBytes: Uint8Array): Uint8Array {
  const input = Buffer.allocUnsafe(1 + leafBytes.length);
  input[0] = 0x00;
  input.set(leafBytes, 1);
  return sm3Digest(input);
}

const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  // One shared input buffer: this runs once per leaf on average, so it is worth not allocating.
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return sm3Digest(nodeInput);
}

/** A run of leaves [start, end). */
export type LeafRange = readonly [start: number, end: number];

/** A perfect subtree: leaves [index·2^level, (index+1)·2^level). */
export interface SubtreeRef {
  level: number;
  index: number;
}

/** The largest power of two strictly below n (n ≥ 2), RFC 9162's k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up a range, largest first. For the ranges proofs use (a start aligned
 * to a power of two at least the range's size) the range's hash is their right fold: h(P1, h(P2, …)).
 */
export function perfectSubtrees([start, end]: LeafRange): SubtreeRef[] {
  const out: SubtreeRef[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level++;
    }
    out.push({ level, index: at / size });
    at += size;
  }
  return out;
}

/** MTH of a range from the hashes of its perfect subtrees (in `perfectSubtrees` order). */
export function foldSubtrees(hashes: Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) root = hashChildren(hashes[i]!, root);
  return root;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]): the ranges whose hashes form the inclusion proof, leaf side first. */
export function inclusionPathRanges(leafIndex: number, treeSize: number): LeafRange[] {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) throw new RangeError('leaf index outside the tree');
  const out: LeafRange[] = [];
  const path = (start: number, end: number): void => {
    const n = end - start;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (leafIndex - start < k) {
      path(start, start + k);
      out.push([start + k, end]);
    } else {
      path(start + k, end);
      out.push([start, start + k]);
    }
  };
  path(0, treeSize);
  return out;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]): the ranges whose hashes form the consistency proof. */
export function consistencyProofRanges(fromSize: number, toSize: number): LeafRange[] {
  if (!(fromSize >= 0 && fromSize <= toSize)) throw new RangeError('need 0 ≤ from ≤ to');
  const out: LeafRange[] = [];
  if (fromSize === 0 || fromSize === toSize) return out;
  const subproof = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!complete) out.push([start, end]);
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, start + k, complete);
      out.push([start + k, end]);
    } else {
      subproof(m - k, start + k, end, false);
      out.push([start, start + k]);
    }
  };
  subproof(fromSize, 0, toSize, true);
  return out;
}

export interface InclusionClaim {
  leafIndex: number;
  treeSize: number;
  leafHash: Uint8Array;
  inclusionPath: readonly Uint8Array[];
  rootHash: Uint8Array;
}

/** RFC 9162 §2.1.3.2: true when the path proves the leaf hash is at leafIndex in the tree with rootHash. */
export function verifyInclusion(claim: InclusionClaim): boolean {
  const { leafIndex, treeSize } = claim;
  if (!isSize(leafIndex) || !isSize(treeSize) || leafIndex >= treeSize) return false;
  if (!isHash(claim.leafHash) || !isHash(claim.rootHash) || !claim.inclusionPath.every(isHash)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = claim.leafHash;
  for (const p of claim.inclusionPath) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalHashes(r, claim.rootHash);
}

export interface ConsistencyClaim {
  fromSize: number;
  toSize: number;
  fromRoot: Uint8Array;
  toRoot: Uint8Array;
  proof: readonly Uint8Array[];
}

/** RFC 9162 §2.1.4.2: true when the proof shows the tree of toSize extends the tree of fromSize. */
export function verifyConsistency(claim: ConsistencyClaim): boolean {
  const { fromSize, toSize, proof } = claim;
  if (!isSize(fromSize) || !isSize(toSize) || fromSize > toSize) return false;
  if (!isHash(claim.fromRoot) || !isHash(claim.toRoot) || !proof.every(isHash)) return false;
  // The RFC's algorithm starts at 0 < first < second; the two edge cases have empty proofs.
  if (fromSize === toSize) return proof.length === 0 && equalHashes(claim.fromRoot, claim.toRoot);
  if (fromSize === 0) return proof.length === 0 && equalHashes(claim.fromRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(fromSize) ? [claim.fromRoot, ...proof] : [...proof];
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return equalHashes(fr, claim.fromRoot) && equalHashes(sr, claim.toRoot) && sn === 0;
}

/**
 * The right edge of a growing tree: the roots of its perfect subtrees, largest first. Appending a leaf
 * merges equal-sized neighbours and reports each new node once, which is how the sequencer fills
 * `witness_nodes` and how the verifier recomputes roots in one pass with O(log n) memory.
 */
export class MerkleFrontier {
  private readonly levels: number[] = [];
  private readonly hashes: Uint8Array[] = [];
  private count = 0;

  /** Starts from an existing tree of `size` leaves given its perfect subtree roots (largest first). */
  static resume(size: number, subtreeHashes: Uint8Array[]): MerkleFrontier {
    const frontier = new MerkleFrontier();
    const refs = frontierSubtrees(size);
    if (refs.length !== subtreeHashes.length) throw new Error('frontier does not match tree size');
    refs.forEach((ref, i) => {
      frontier.levels.push(ref.level);
      frontier.hashes.push(subtreeHashes[i]!);
    });
    frontier.count = size;
    return frontier;
  }

  get size(): number {
    return this.count;
  }

  /** Adds a leaf hash; `onNode` hears of every completed internal node (level ≥ 1). */
  append(leafHash: Uint8Array, onNode?: (level: number, index: number, hash: Uint8Array) => void): void {
    this.count++;
    let level = 0;
    let hash = leafHash;
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      this.levels.pop();
      const left = this.hashes.pop()!;
      hash = hashChildren(left, hash);
      level++;
      onNode?.(level, this.count / 2 ** level - 1, hash);
    }
    this.levels.push(level);
    this.hashes.push(hash);
  }

  root(): Uint8Array {
    return foldSubtrees(this.hashes);
  }
}

/** The perfect subtrees a tree of `size` leaves is made of, largest first (the tree's right edge). */
export function frontierSubtrees(size: number): SubtreeRef[] {
  return size === 0 ? [] : perfectSubtrees([0, size]);
}

export function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function isSize(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

function isHash(h: Uint8Array): boolean {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}
