import { sm3, sm3Hex } from '../../platform/crypto/index.ts';

/**
 * The verifiable random draw (随机抽取, docs/draws.md "Verifiable randomness"), pure and deterministic:
 * the drawing process and `ggzy experts verify-draw` both call `replayDraw`, so a replay of the published
 * inputs gives the same experts byte for byte. Nothing here reads a database or a clock.
 */

/** One entry of the ordered eligible list: group index and the expert's pseudonymous code (专家编号). */
export interface EligibleEntry {
  g: number;
  c: string;
}

/** How many experts a round draws for a group. */
export interface GroupNeed {
  g: number;
  count: number;
}

export interface ReplayInput {
  drawId: string;
  round: number;
  /** The secret seed (32 bytes), published at the reveal. */
  seed: Uint8Array;
  /** The public value: root hash (32 bytes) and size of the first signed checkpoint containing the commit. */
  rootHash: Uint8Array;
  treeSize: number;
  list: EligibleEntry[];
  needs: GroupNeed[];
}

/** The selection: per group in the order of `needs`, the codes in the order they were drawn. */
export interface ReplaySelection {
  g: number;
  codes: string[];
}

export const SEED_BYTES = 32;
export const SEED_DOMAIN = 'ggzy-draw-seed/v1';

/** SM3("ggzy-draw-seed/v1" ‖ seed), hex: what is published before the draw. */
export function seedCommitment(seed: Uint8Array): string {
  return sm3Hex(Buffer.concat([Buffer.from(SEED_DOMAIN, 'utf8'), seed]));
}

/**
 * canonicalJson(list), built directly — `[{"c":"ZJ…","g":0},…]` (keys sorted, no spaces) — because the
 * generic canonicalJson copies and sorts every object, which costs milliseconds on a list of 10,000.
 * replay.test.ts holds the two equal.
 */
export function listJson(list: EligibleEntry[]): string {
  const parts = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) {
    const e = list[i]!;
    if (!Number.isSafeInteger(e.g)) throw new RangeError('group index must be an integer');
    parts[i] = `{"c":${JSON.stringify(e.c)},"g":${e.g}}`;
  }
  return `[${parts.join(',')}]`;
}

/** SM3(canonicalJson(list)), hex. */
export function listHash(list: EligibleEntry[]): string {
  return sm3Hex(listJson(list));
}

/** Orders the list by (g, c), codes compared by UTF-16 code units (the codes are ASCII). */
export function orderList(list: EligibleEntry[]): EligibleEntry[] {
  if (isOrderedList(list)) return [...list];
  return [...list].sort((a, b) => a.g - b.g || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
}

/** The list is ordered by (g, c) with no entry twice. */
export function isOrderedList(list: EligibleEntry[]): boolean {
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1]!;
    const b = list[i]!;
    if (a.g > b.g || (a.g === b.g && a.c >= b.c)) return false;
  }
  return true;
}

/**
 * The deterministic random bit generator: block k = SM3(seed ‖ rootHash ‖ u64be(treeSize) ‖ utf8(drawId)
 * ‖ u32be(round) ‖ u32be(k)), k = 0, 1, …; each block gives eight 32-bit big-endian words in order.
 */
export class DrawRng {
  readonly #prefix: Buffer;
  #counter = 0;
  #block: Buffer = Buffer.alloc(0);
  #offset = 0;

  constructor(input: Pick<ReplayInput, 'seed' | 'rootHash' | 'treeSize' | 'drawId' | 'round'>) {
    if (input.seed.length !== SEED_BYTES) throw new RangeError('seed must be 32 bytes');
    if (input.rootHash.length !== 32) throw new RangeError('rootHash must be 32 bytes');
    if (!Number.isSafeInteger(input.treeSize) || input.treeSize < 1) throw new RangeError('bad treeSize');
    if (!Number.isInteger(input.round) || input.round < 1 || input.round > 0xffffffff)
      throw new RangeError('bad round');
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(input.treeSize));
    const round = Buffer.alloc(4);
    round.writeUInt32BE(input.round);
    this.#prefix = Buffer.concat([
      Buffer.from(input.seed),
      Buffer.from(input.rootHash),
      size,
      Buffer.from(input.drawId, 'utf8'),
      round,
    ]);
  }

  /** The next 32-bit word. */
  nextWord(): number {
    if (this.#offset >= this.#block.length) {
      const counter = Buffer.alloc(4);
      counter.writeUInt32BE(this.#counter++);
      this.#block = Buffer.from(sm3(Buffer.concat([this.#prefix, counter])));
      this.#offset = 0;
    }
    const word = this.#block.readUInt32BE(this.#offset);
    this.#offset += 4;
    return word;
  }

  /** Uniform in [0, n) without bias: words at or above the largest multiple of n below 2^32 are rejected. */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 0x100000000) throw new RangeError(`bad bound ${n}`);
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const word = this.nextWord();
      if (word < limit) return word % n;
    }
  }
}

export class ReplayError extends Error {}

/**
 * Per group in the order of `needs`: the group's entries (list order) not already chosen in this round
 * by an earlier group, then a partial Fisher–Yates — for i = 0 … count−1, j = i + below(len − i), swap
 * a[i] and a[j] — and a[0 … count−1] are chosen, in that order.
 */
export function replayDraw(input: ReplayInput): ReplaySelection[] {
  const rng = new DrawRng(input);
  const chosen = new Set<string>();
  const out: ReplaySelection[] = [];
  for (const need of input.needs) {
    const pool = input.list.filter((e) => e.g === need.g && !chosen.has(e.c)).map((e) => e.c);
    if (pool.length < need.count) {
      throw new ReplayError(`group ${need.g}: ${pool.length} eligible, ${need.count} needed`);
    }
    for (let i = 0; i < need.count; i++) {
      const j = i + rng.below(pool.length - i);
      const t = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = t;
      chosen.add(pool[i]!);
    }
    out.push({ g: need.g, codes: pool.slice(0, need.count) });
  }
  return out;
}

/**
 * Whether a round can never run short: for each group, its entries minus the most that earlier groups
 * (sharing entries with it) could take. Returns the first group that could run short, or null.
 */
export function shortGroup(
  list: EligibleEntry[],
  needs: GroupNeed[],
): { g: number; available: number } | null {
  const byGroup = new Map<number, Set<string>>();
  for (const e of list) {
    let set = byGroup.get(e.g);
    if (!set) {
      set = new Set();
      byGroup.set(e.g, set);
    }
    set.add(e.c);
  }
  for (let k = 0; k < needs.length; k++) {
    const need = needs[k]!;
    const own = byGroup.get(need.g) ?? new Set<string>();
    let taken = 0;
    for (let h = 0; h < k; h++) {
      const earlier = needs[h]!;
      const other = byGroup.get(earlier.g);
      if (!other) continue;
      let shared = 0;
      for (const c of other) if (own.has(c)) shared++;
      taken += Math.min(earlier.count, shared);
    }
    if (own.size - taken < need.count) return { g: need.g, available: own.size - taken };
  }
  return null;
}
