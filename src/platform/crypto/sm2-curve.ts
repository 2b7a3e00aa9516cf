import { type WeierstrassPoint, weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { CryptoInputError } from './errors.ts';

/**
 * The SM2 curve and its arithmetic.
 *
 * Curve: the recommended 256-bit prime curve of GM/T 0003.5-2012 / GB/T 32918.5-2017 (OID
 * 1.2.156.10197.1.301), y² = x³ + ax + b over F_p with a = p − 3, cofactor 1.
 *
 * Everything that touches a secret scalar (key generation, signing, decryption, the ephemeral key of
 * encryption) uses @noble/curves' audited point arithmetic and its constant-time `multiply`. Signature
 * VERIFICATION only ever multiplies public values, so it uses `mulAddPublic` below: a variable-time
 * Jacobian-coordinate Strauss-style double-scalar multiplication specialised for a = −3 (4M+4S doublings
 * instead of the complete formulas' ~12M, no objects per step). It is cross-checked against noble's
 * `multiplyUnsafe`/`add` by property tests; see docs/crypto.md "Speed" for the measured gain.
 */

export const SM2_P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
export const SM2_A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
export const SM2_B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
export const SM2_N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
export const SM2_GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
export const SM2_GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;

export type Sm2Point = WeierstrassPoint<bigint>;

export const Sm2Point = weierstrass<bigint>({
  p: SM2_P,
  n: SM2_N,
  h: 1n,
  a: SM2_A,
  b: SM2_B,
  Gx: SM2_GX,
  Gy: SM2_GY,
});

// noble's default table is 6-bit windows; 8-bit windows make the constant-time k·G of signing and
// encryption ~1.5× faster for a one-off ~75 ms here (lazily, at the first multiplication).
Sm2Point.BASE.precompute(8);

/** Field element / scalar to its fixed 32-byte big-endian form (GM/T 0003.1 §4.2.5, §4.2.1). */
export function toBytes32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

export function fromBytes(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/**
 * Public-key validation of GM/T 0003.1 §6.2 (GB/T 32918.1 §6.2.1): P ≠ O, coordinates in [0, p−1], P on
 * the curve. The standard's last step, [n]P = O, is implied here: the SM2 curve has cofactor 1, so its
 * group of points has prime order n and every point on it other than O has order n (SEC 1 v2 §3.2.2.1
 * asks for the check only when h ≠ 1). Skipping it makes a key's first verification — the common case
 * when a bid opening checks 500 bidders' signatures — about twice as fast.
 */
export function validatedPoint(x: bigint, y: bigint): Sm2Point {
  if (x < 0n || x >= SM2_P || y < 0n || y >= SM2_P) {
    throw new CryptoInputError('sm2.public-key', 'SM2 公钥无效', 'coordinate out of range');
  }
  const point = Sm2Point.fromAffine({ x, y });
  if (!isOnCurve(x, y))
    throw new CryptoInputError('sm2.public-key', 'SM2 公钥无效', 'point is not on the curve');
  return point;
}

export function isOnCurve(x: bigint, y: bigint): boolean {
  return (y * y - (x * x * x + SM2_A * x + SM2_B)) % SM2_P === 0n;
}

/** The uncompressed SEC 1 / GM/T 0003.1 §4.2.9 form 04 ‖ x ‖ y. */
export function encodePoint(point: Sm2Point): Uint8Array {
  const { x, y } = point.toAffine();
  const out = new Uint8Array(65);
  out[0] = 4;
  out.set(toBytes32(x), 1);
  out.set(toBytes32(y), 33);
  return out;
}

/** Reads 04 ‖ x ‖ y (the only form OpenSSL writes in SM2 keys) and validates the point. */
export function decodePoint(bytes: Uint8Array): Sm2Point {
  if (bytes.length !== 65 || bytes[0] !== 4) {
    throw new CryptoInputError('sm2.public-key', 'SM2 公钥无效', 'not an uncompressed point 04‖x‖y');
  }
  return validatedPoint(fromBytes(bytes.subarray(1, 33)), fromBytes(bytes.subarray(33)));
}

// ---------------------------------------------------------------------------------------------------
// Variable-time double-scalar multiplication for verification (public inputs only).
// ---------------------------------------------------------------------------------------------------

type Affine = readonly [x: bigint, y: bigint];

/**
 * Signed fixed-window table of a point Q: row i holds j·2^(w·i)·Q for j = 1 … 2^(w−1), affine. With it
 * k·Q is one mixed addition per w bits of k and no doubling at all.
 */
export interface FixedTable {
  readonly window: number;
  readonly rows: Affine[][];
}

/** The public point's tables for `mulAddPublic`: always its odd multiples, a fixed table once it is hot. */
export interface PublicTables {
  /** Q, 3Q, …, 15Q for the width-5 NAF walk. */
  readonly odd: Affine[];
  fixed?: FixedTable;
}

/** Window of the wNAF of the public key's scalar: tables of 2^(w−2) = 8 odd multiples Q, 3Q … 15Q. */
const KEY_WINDOW = 5;
/** G's fixed table: 8-bit signed digits, 33 rows of 128 points (~4,200 points, built once, ~40 ms). */
const BASE_WINDOW = 8;
/** A hot key's fixed table: 4-bit signed digits, 65 rows of 8 points (520 points, ~3 ms, ~70 kB). */
export const HOT_KEY_WINDOW = 4;

const P = SM2_P;

/** x mod p for a possibly negative x. */
function md(x: bigint): bigint {
  const r = x % P;
  return r < 0n ? r + P : r;
}

// The accumulator in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity. Module
// state instead of objects: a walk does ~300 steps and allocating a point per step costs more than the
// arithmetic. The functions are synchronous, so no two walks interleave.
let X = 0n;
let Y = 1n;
let Z = 0n;

/** dbl-2001-b (Bernstein–Lange EFD), valid because SM2's a = −3. Z3 = 2·Y·Z directly. */
function double(): void {
  if (Z === 0n) return;
  const delta = (Z * Z) % P;
  const gamma = (Y * Y) % P;
  const beta = (X * gamma) % P;
  const alpha = md(3n * (X - delta) * (X + delta));
  const x3 = md(alpha * alpha - 8n * beta);
  const z3 = (2n * Y * Z) % P;
  Y = md(alpha * (4n * beta - x3) - 8n * gamma * gamma);
  X = x3;
  Z = z3;
}

/** Adds the affine point (x2, y2) (mixed addition, add-1998-cmo-2 with Z2 = 1), handling Q = ±P. */
function addAffine(x2: bigint, y2: bigint): void {
  if (Z === 0n) {
    X = x2;
    Y = y2;
    Z = 1n;
    return;
  }
  const z1z1 = (Z * Z) % P;
  const h = md(x2 * z1z1 - X);
  const r = md(y2 * ((Z * z1z1) % P) - Y);
  if (h === 0n) {
    if (r === 0n)
      double(); // the same point: the addition formula does not apply
    else Z = 0n; // the opposite point: the sum is the point at infinity
    return;
  }
  const hh = (h * h) % P;
  const hhh = (h * hh) % P;
  const v = (X * hh) % P;
  const x3 = md(r * r - hhh - 2n * v);
  Y = md(r * (v - x3) - Y * hhh);
  Z = (Z * h) % P;
  X = x3;
}

/** Affine forms of noble's projective points with one field inversion (Montgomery's trick). */
function normalize(points: Sm2Point[]): Affine[] {
  const inverses = Sm2Point.Fp.invertBatch(points.map((q) => q.Z));
  return points.map((q, i) => {
    const iz = inverses[i]!;
    // noble's points are homogeneous projective: x = X/Z, y = Y/Z.
    return [(q.X * iz) % P, (q.Y * iz) % P] as const;
  });
}

/** Builds a `FixedTable` with noble's (audited) arithmetic. */
export function fixedTable(point: Sm2Point, window: number): FixedTable {
  const rowCount = Math.ceil(256 / window) + 1; // +1: the top digit's carry
  const rowLength = 1 << (window - 1);
  const all: Sm2Point[] = [];
  let base = point;
  for (let i = 0; i < rowCount; i++) {
    let entry = base;
    all.push(entry);
    for (let j = 1; j < rowLength; j++) {
      entry = entry.add(base);
      all.push(entry);
    }
    base = entry.double(); // 2^w·base = 2·(2^(w−1)·base)
  }
  const affine = normalize(all);
  const rows: Affine[][] = [];
  for (let i = 0; i < rowCount; i++) rows.push(affine.slice(i * rowLength, (i + 1) * rowLength));
  return { window, rows };
}

/** The odd multiples Q, 3Q, …, 15Q in affine form. Computed once per public key. */
export function oddMultiples(point: Sm2Point): Affine[] {
  const twice = point.double();
  const points: Sm2Point[] = [point];
  for (let i = 1; i < 1 << (KEY_WINDOW - 2); i++) points.push(points[i - 1]!.add(twice));
  return normalize(points);
}

let baseTable: FixedTable | undefined;

/** Adds k·Q to the accumulator from Q's fixed table: signed w-bit digits, one mixed addition per digit. */
function addFixed(k: bigint, table: FixedTable): void {
  const { window, rows } = table;
  const full = 1 << window;
  const half = full >> 1;
  const mask = BigInt(full - 1);
  const shift = BigInt(window);
  let carry = 0;
  let rest = k;
  for (let i = 0; i < rows.length; i++) {
    let digit = Number(rest & mask) + carry;
    rest >>= shift;
    carry = 0;
    if (digit > half) {
      digit -= full;
      carry = 1;
    }
    if (digit > 0) {
      const [x, y] = rows[i]![digit - 1]!;
      addAffine(x, y);
    } else if (digit < 0) {
      const [x, y] = rows[i]![-digit - 1]!;
      addAffine(x, P - y);
    }
  }
}

const wnafDigits = new Int8Array(260);

/** Adds t·Q to the accumulator by a width-5 NAF walk over Q's odd multiples (256 doublings). */
function addWnaf(t: bigint, odd: Affine[]): void {
  let length = 0;
  for (let k = t; k > 0n; k >>= 1n) {
    let digit = 0;
    if (k & 1n) {
      digit = Number(k & 31n);
      if (digit >= 16) digit -= 32;
      k -= BigInt(digit);
    }
    wnafDigits[length++] = digit;
  }
  for (let i = length - 1; i >= 0; i--) {
    double();
    const digit = wnafDigits[i]!;
    if (digit > 0) {
      const [x, y] = odd[(digit - 1) >> 1]!;
      addAffine(x, y);
    } else if (digit < 0) {
      const [x, y] = odd[(-digit - 1) >> 1]!;
      addAffine(x, P - y);
    }
  }
}

/**
 * x-coordinate of s·G + t·Q, or null for the point at infinity (GM/T 0003.2 §7.1 B6). Variable time:
 * for public s, t and Q only.
 */
export function mulAddPublic(s: bigint, q: PublicTables, t: bigint): bigint | null {
  if (s < 0n || s >= SM2_N || t < 0n || t >= SM2_N) throw new RangeError('scalar out of range');
  baseTable ??= fixedTable(Sm2Point.BASE, BASE_WINDOW);
  X = 0n;
  Y = 1n;
  Z = 0n;
  // The walk with doublings must come first: it starts from the point at infinity.
  if (q.fixed) addFixed(t, q.fixed);
  else addWnaf(t, q.odd);
  addFixed(s, baseTable);
  if (Z === 0n) return null;
  const zInverse = Sm2Point.Fp.inv(Z);
  return (X * ((zInverse * zInverse) % P)) % P;
}
