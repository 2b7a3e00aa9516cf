import {
  DerError,
  decodeUnsignedInteger,
  encode,
  encodeObjectIdentifier,
  encodeUnsignedInteger,
  equalBytes,
  expectTag,
  fromPem,
  readChildren,
  readOnly,
  TAG,
  toPem,
} from './der.ts';
import { bytesOf, CryptoInputError } from './errors.ts';
import {
  decodePoint,
  encodePoint,
  fixedTable,
  fromBytes,
  HOT_KEY_WINDOW,
  mulAddPublic,
  oddMultiples,
  type PublicTables,
  SM2_A,
  SM2_B,
  SM2_GX,
  SM2_GY,
  SM2_N,
  type Sm2Point,
  Sm2Point as Sm2PointCons,
  toBytes32,
} from './sm2-curve.ts';
import { hmacSm3, sm3Parts } from './sm3.ts';
import { toHex } from './util.ts';

/**
 * SM2 digital signatures per GM/T 0003.2-2012 / GB/T 32918.2-2016 with the signer's distinguishing ID
 * hashed into Z_A (GM/T 0009-2012 §10: default '1234567812345678'), which is what Chinese CA
 * certificates and `openssl dgst -sm3 -sigopt distid:1234567812345678` use. Node's own SM2 signs with an
 * empty ID, so the arithmetic is ours, on @noble/curves (see sm2-curve.ts). Keys and signatures travel
 * in OpenSSL's DER/PEM forms.
 */

/** GM/T 0009-2012 §10: the user ID to use when none was agreed. */
export const SM2_DEFAULT_USER_ID = '1234567812345678';

export interface Sm2PublicKey {
  readonly type: 'sm2-public';
  /** The uncompressed point 04 ‖ x ‖ y, lowercase hex (130 characters). */
  readonly pointHex: string;
}

export interface Sm2PrivateKey {
  readonly type: 'sm2-private';
  /** The scalar d, lowercase hex (64 characters). Never log it. */
  readonly scalarHex: string;
  readonly publicKey: Sm2PublicKey;
}

export interface Sm2Options {
  /** The signer's distinguishing ID (a string is taken as UTF-8); GM/T 0009's default when absent. */
  userId?: string | Uint8Array;
}

export interface Sm2SignOptions extends Sm2Options {
  /**
   * k from RFC 6979 §3.2 (HMAC_DRBG with HMAC-SM3) over d and e only, so equal inputs give equal
   * signatures. Default false: RFC 6979 §3.6 "additional data" of 32 fresh random bytes is mixed in
   * (hedged signatures), so a weak RNG alone cannot leak d and a fault cannot be replayed.
   */
  deterministic?: boolean;
}

const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_SM2_CURVE = '1.2.156.10197.1.301';
const ALGORITHM = encode(
  TAG.sequence,
  encodeObjectIdentifier(OID_EC_PUBLIC_KEY),
  encodeObjectIdentifier(OID_SM2_CURVE),
);
const SM2_CURVE_OID = encodeObjectIdentifier(OID_SM2_CURVE);

export class Sm2KeyError extends CryptoInputError {
  constructor(detail: string) {
    super('sm2.key', 'SM2 密钥无效', detail);
  }
}

// --------------------------------------------------------------------------------------------------
// Keys
// --------------------------------------------------------------------------------------------------

/** A fresh key pair (GM/T 0003.1 §6.1: d uniform in [1, n−2], P = [d]G); the public half is `key.publicKey`. */
export function generateSm2KeyPair(): Sm2PrivateKey {
  for (;;) {
    const d = fromBytes(crypto.getRandomValues(new Uint8Array(32)));
    if (d >= 1n && d <= SM2_N - 2n) return privateKeyFromScalar(d);
  }
}

/** The key pair of a known scalar d ∈ [1, n−2] (e.g. from a GM/T 0003.5 test vector). */
export function sm2PrivateKeyFromScalar(d: bigint): Sm2PrivateKey {
  return privateKeyFromScalar(d);
}

function privateKeyFromScalar(d: bigint): Sm2PrivateKey {
  // GM/T 0003.1 §6.1: d ∈ [1, n−2] (n−1 is excluded because sign needs (1 + d)⁻¹).
  if (d < 1n || d > SM2_N - 2n) throw new Sm2KeyError('SM2 private key out of range');
  const point = Sm2PointCons.BASE.multiply(d);
  return {
    type: 'sm2-private',
    scalarHex: d.toString(16).padStart(64, '0'),
    publicKey: { type: 'sm2-public', pointHex: Buffer.from(encodePoint(point)).toString('hex') },
  };
}

/** PKCS#8 PrivateKeyInfo holding an RFC 5915 ECPrivateKey, byte for byte as `openssl genpkey -algorithm SM2` writes it. */
export function exportSm2PrivateKeyPem(key: Sm2PrivateKey): string {
  const ecPrivateKey = encode(
    TAG.sequence,
    encodeUnsignedInteger(1n),
    encode(TAG.octetString, Buffer.from(key.scalarHex, 'hex')),
    encode(TAG.context1, encode(TAG.bitString, Uint8Array.of(0), Buffer.from(key.publicKey.pointHex, 'hex'))),
  );
  const info = encode(
    TAG.sequence,
    encodeUnsignedInteger(0n),
    ALGORITHM,
    encode(TAG.octetString, ecPrivateKey),
  );
  return toPem('PRIVATE KEY', info);
}

/** X.509 SubjectPublicKeyInfo, as `openssl pkey -pubout` writes it. */
export function exportSm2PublicKeyPem(key: Sm2PublicKey): string {
  return toPem('PUBLIC KEY', sm2PublicKeyDer(key));
}

/** The DER SubjectPublicKeyInfo (RFC 5480 form with the SM2 curve OID). */
export function sm2PublicKeyDer(key: Sm2PublicKey): Uint8Array {
  return encode(
    TAG.sequence,
    ALGORITHM,
    encode(TAG.bitString, Uint8Array.of(0), Buffer.from(key.pointHex, 'hex')),
  );
}

/** Reads a PKCS#8 `PRIVATE KEY` (or a SEC1 `EC PRIVATE KEY` from `openssl ecparam -name SM2 -genkey`). */
export function importSm2PrivateKeyPem(pem: string): Sm2PrivateKey {
  if (typeof pem !== 'string') throw new Sm2KeyError('PEM must be a string');
  const block = fromPem(pem, ['PRIVATE KEY', 'EC PRIVATE KEY']);
  if (!block) throw new Sm2KeyError('not a PEM private key');
  return asKeyError(() => {
    let ecPrivateKey = block.der;
    if (block.label === 'PRIVATE KEY') {
      const [version, algorithm, privateKey, extra] = readChildren(readOnly(block.der, TAG.sequence).content);
      // OpenSSL writes no PKCS#8 attributes for SM2 keys; anything more is not a key we wrote or expect.
      if (extra) throw new Sm2KeyError('unexpected fields in PrivateKeyInfo');
      if (decodeUnsignedInteger(expectTag(version, TAG.integer)) !== 0n)
        throw new Sm2KeyError('unsupported PKCS#8 version');
      if (!equalBytes(encode(TAG.sequence, expectTag(algorithm, TAG.sequence).content), ALGORITHM)) {
        throw new Sm2KeyError('not an SM2 key');
      }
      ecPrivateKey = expectTag(privateKey, TAG.octetString).content;
    }
    const [version, scalar, ...optional] = readChildren(readOnly(ecPrivateKey, TAG.sequence).content);
    if (decodeUnsignedInteger(expectTag(version, TAG.integer)) !== 1n)
      throw new Sm2KeyError('unsupported EC key version');
    const d = expectTag(scalar, TAG.octetString).content;
    if (d.length !== 32) throw new Sm2KeyError('SM2 private key must be 32 bytes');
    // RFC 5915 §3: [0] parameters and [1] publicKey, both optional, in that order, and nothing else.
    const [first, second, extra] = optional;
    const parameters = first?.tag === TAG.context0 ? first : undefined;
    const embedded = parameters ? second : first;
    if (
      extra ||
      (parameters && second && second.tag !== TAG.context1) ||
      (embedded && embedded.tag !== TAG.context1)
    ) {
      throw new Sm2KeyError('unexpected fields in ECPrivateKey');
    }
    if (parameters && !equalBytes(parameters.content, SM2_CURVE_OID)) throw new Sm2KeyError('not an SM2 key');
    const key = privateKeyFromScalar(fromBytes(d));
    if (embedded) {
      const point = bitStringBytes(readOnly(embedded.content, TAG.bitString).content);
      if (Buffer.from(point).toString('hex') !== key.publicKey.pointHex)
        throw new Sm2KeyError('public key does not match private key');
    }
    return key;
  });
}

export function importSm2PublicKeyPem(pem: string): Sm2PublicKey {
  if (typeof pem !== 'string') throw new Sm2KeyError('PEM must be a string');
  const block = fromPem(pem, ['PUBLIC KEY']);
  if (!block) throw new Sm2KeyError('not a PEM public key');
  return importSm2PublicKeyDer(block.der);
}

/** Reads a DER SubjectPublicKeyInfo holding an SM2 key and validates the point (GM/T 0003.1 §6.2). */
export function importSm2PublicKeyDer(der: Uint8Array): Sm2PublicKey {
  if (!(der instanceof Uint8Array)) throw new Sm2KeyError('DER must be a Uint8Array');
  return asKeyError(() => {
    const [algorithm, key, extra] = readChildren(readOnly(der, TAG.sequence).content);
    if (extra || !equalBytes(encode(TAG.sequence, expectTag(algorithm, TAG.sequence).content), ALGORITHM)) {
      throw new Sm2KeyError('not an SM2 public key');
    }
    const point = bitStringBytes(expectTag(key, TAG.bitString).content);
    const publicKey: Sm2PublicKey = { type: 'sm2-public', pointHex: Buffer.from(point).toString('hex') };
    preparePublicKey(publicKey); // validates, and warms the cache for the verifications that follow
    return publicKey;
  });
}

/** Runs a key parser, reporting every malformed-input failure as `Sm2KeyError`. */
function asKeyError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Sm2KeyError) throw error;
    if (error instanceof DerError || error instanceof CryptoInputError) throw new Sm2KeyError(error.message);
    throw error;
  }
}

function bitStringBytes(content: Uint8Array): Uint8Array {
  if (content[0] !== 0) throw new DerError('bit string with unused bits');
  return content.subarray(1);
}

// --------------------------------------------------------------------------------------------------
// Prepared keys: parsed, validated, with verification tables and Z values, cached.
// --------------------------------------------------------------------------------------------------

interface PreparedPublicKey {
  readonly point: Sm2Point;
  readonly x: bigint;
  readonly y: bigint;
  /** Tables for the verification walk; `fixed` is added once the key is hot. */
  readonly tables: PublicTables;
  /** Verifications in the current run of short gaps, until the key turns hot. */
  uses: number;
  /** `verificationCount` at the key's latest verification. */
  lastUse: number;
  /** Z_A per user ID. */
  readonly z: Map<string, Uint8Array>;
}

const PREPARED_LIMIT = 4096;
/**
 * A key verified HOT_AFTER times in a row of short gaps gets a fixed-window table (~3 ms to build,
 * ~70 kB), after which its verifications need no doublings at all (~4× faster). Witness checkpoints, CA
 * keys and a bidder's own key are verified again and again; a key seen once or twice never pays for it.
 * "Short gap" means at most HOT_LIMIT other verifications since the key's previous one: keys taking turns
 * in a rotation wider than the HOT_LIMIT tables never turn hot, so they cannot evict each other's tables
 * and rebuild them forever.
 */
const HOT_AFTER = 4;
const HOT_LIMIT = 64;
/** Keys holding a fixed table, least recently used first, so the memory they take stays bounded. */
const hotKeys = new Set<PreparedPublicKey>();
/** Counts every verification: the clock for the gaps above. */
let verificationCount = 0;
const Z_PER_KEY_LIMIT = 8;
/** LRU by point: keys are often rebuilt from PEM or the database, so object identity would miss. */
const preparedKeys = new Map<string, PreparedPublicKey>();

/** The parsed and validated point of `key`, from the cache when it was seen recently. */
export function preparePublicKey(key: Sm2PublicKey): PreparedPublicKey {
  const pointHex = key?.pointHex;
  if (typeof pointHex !== 'string' || !/^04[0-9a-f]{128}$/.test(pointHex)) {
    throw new CryptoInputError('sm2.public-key', 'SM2 公钥无效', 'pointHex must be 04‖x‖y in lowercase hex');
  }
  const cached = preparedKeys.get(pointHex);
  if (cached) {
    preparedKeys.delete(pointHex);
    preparedKeys.set(pointHex, cached);
    return cached;
  }
  const point = decodePoint(Buffer.from(pointHex, 'hex'));
  const { x, y } = point.toAffine();
  const prepared: PreparedPublicKey = {
    point,
    x,
    y,
    tables: { odd: oddMultiples(point) },
    uses: 0,
    lastUse: 0,
    z: new Map(),
  };
  preparedKeys.set(pointHex, prepared);
  if (preparedKeys.size > PREPARED_LIMIT) {
    const oldest = preparedKeys.keys().next().value;
    if (oldest !== undefined) preparedKeys.delete(oldest);
  }
  return prepared;
}

function noteUse(prepared: PreparedPublicKey): void {
  const now = ++verificationCount;
  if (prepared.tables.fixed) {
    hotKeys.delete(prepared); // re-insert: most recently used last
    hotKeys.add(prepared);
  } else {
    prepared.uses = now - prepared.lastUse <= HOT_LIMIT ? prepared.uses + 1 : 1;
    if (prepared.uses >= HOT_AFTER) makeHot(prepared);
  }
  prepared.lastUse = now;
}

function makeHot(prepared: PreparedPublicKey): void {
  prepared.tables.fixed = fixedTable(prepared.point, HOT_KEY_WINDOW);
  hotKeys.add(prepared);
  if (hotKeys.size > HOT_LIMIT) {
    const coldest = hotKeys.values().next().value;
    if (coldest) {
      hotKeys.delete(coldest);
      coldest.tables.fixed = undefined;
      coldest.uses = 0;
    }
  }
}

/** a ‖ b ‖ xG ‖ yG, the constant middle of Z_A. */
const CURVE_BYTES = Buffer.concat([toBytes32(SM2_A), toBytes32(SM2_B), toBytes32(SM2_GX), toBytes32(SM2_GY)]);

/**
 * Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) (GM/T 0003.2 §5.5), ENTL_A being the ID's length in
 * bits as two bytes.
 */
export function sm2Za(key: Sm2PublicKey, userId: string | Uint8Array = SM2_DEFAULT_USER_ID): Uint8Array {
  return zOf(preparePublicKey(key), userId);
}

function zOf(prepared: PreparedPublicKey, userId: string | Uint8Array): Uint8Array {
  const id = bytesOf(userId, 'userId');
  const cacheKey = typeof userId === 'string' ? `s:${userId}` : `b:${toHex(id)}`;
  const cached = prepared.z.get(cacheKey);
  if (cached) return cached;
  if (id.length >= 8192) {
    throw new CryptoInputError(
      'input.type',
      'SM2 用户标识过长',
      'ENTL is 16 bits: the ID must be under 8192 bytes',
    );
  }
  const entl = Uint8Array.of((id.length * 8) >> 8, (id.length * 8) & 0xff);
  const z = sm3Parts(entl, id, CURVE_BYTES, toBytes32(prepared.x), toBytes32(prepared.y));
  if (prepared.z.size >= Z_PER_KEY_LIMIT) prepared.z.clear();
  prepared.z.set(cacheKey, z);
  return z;
}

interface PreparedPrivateKey {
  readonly d: bigint;
  /** (1 + d)⁻¹ mod n, used by every signature. */
  readonly inverse: bigint;
  readonly publicKey: PreparedPublicKey;
}

/** Per key object, so the secret never lands in a map keyed by its own value. */
const preparedPrivateKeys = new WeakMap<Sm2PrivateKey, PreparedPrivateKey>();

function preparePrivateKey(key: Sm2PrivateKey): PreparedPrivateKey {
  const cached = key && typeof key === 'object' ? preparedPrivateKeys.get(key) : undefined;
  if (cached) return cached;
  if (typeof key?.scalarHex !== 'string' || !/^[0-9a-f]{64}$/.test(key.scalarHex)) {
    throw new Sm2KeyError('scalarHex must be 64 lowercase hex digits');
  }
  const d = BigInt(`0x${key.scalarHex}`);
  if (d < 1n || d > SM2_N - 2n) throw new Sm2KeyError('SM2 private key out of range');
  const publicKey = preparePublicKey(key.publicKey);
  // A hand-built key object whose halves disagree would sign under the wrong Z_A: refuse it once here.
  if (!Sm2PointCons.BASE.multiply(d).equals(publicKey.point)) {
    throw new Sm2KeyError('public key does not match private key');
  }
  const prepared = { d, inverse: Sm2PointCons.Fn.inv(1n + d), publicKey };
  preparedPrivateKeys.set(key, prepared);
  return prepared;
}

/** The validated noble point of a public key (for SM2 encryption). */
export function publicPointOf(key: Sm2PublicKey): Sm2Point {
  return preparePublicKey(key).point;
}

/** The scalar d of a private key, range-checked (for SM2 decryption). */
export function scalarOf(key: Sm2PrivateKey): bigint {
  return preparePrivateKey(key).d;
}

// --------------------------------------------------------------------------------------------------
// Signatures (GM/T 0003.2 §6–7)
// --------------------------------------------------------------------------------------------------

/** Signs `message` (SM3 with Z_A, GM/T 0003.2 §6.1) and returns the DER SEQUENCE { r INTEGER, s INTEGER }. */
export function sm2Sign(
  key: Sm2PrivateKey,
  message: Uint8Array | string,
  opts: Sm2SignOptions = {},
): Uint8Array {
  const { r, s } = sm2SignRaw(key, message, opts);
  return encode(TAG.sequence, encodeUnsignedInteger(r), encodeUnsignedInteger(s));
}

/** The signature as the integers (r, s). */
export function sm2SignRaw(
  key: Sm2PrivateKey,
  message: Uint8Array | string,
  opts: Sm2SignOptions = {},
): { r: bigint; s: bigint } {
  const prepared = preparePrivateKey(key);
  const { d, inverse } = prepared;
  // A1–A2: e = SM3(Z_A ‖ M) as an integer.
  const eBytes = sm3Parts(
    zOf(prepared.publicKey, opts.userId ?? SM2_DEFAULT_USER_ID),
    bytesOf(message, 'message'),
  );
  const e = fromBytes(eBytes);
  const extra = opts.deterministic ? new Uint8Array(0) : crypto.getRandomValues(new Uint8Array(32));
  for (const k of nonces(d, e, extra)) {
    // A4: (x1, y1) = [k]G, constant-time in noble.
    const x1 = Sm2PointCons.BASE.multiply(k).toAffine().x;
    // A5: r = (e + x1) mod n; back to A3 when r = 0 or r + k = n.
    const r = (e + x1) % SM2_N;
    if (r === 0n || r + k === SM2_N) continue;
    // A6: s = ((1 + d)⁻¹ · (k − r·d)) mod n; back to A3 when s = 0.
    const s = (((inverse * (k - ((r * d) % SM2_N))) % SM2_N) + SM2_N) % SM2_N;
    if (s === 0n) continue;
    return { r, s };
  }
  throw new Error('unreachable: the nonce generator never ends');
}

/**
 * RFC 6979 §3.2 HMAC_DRBG, with HMAC-SM3 as the PRF and qlen = hlen = 256 (so bits2int is the identity
 * and no truncation happens). `extra` is §3.6's additional data. An infinite generator: SM2's A5/A6
 * rejections take the next candidate exactly as §3.2 step h.3 does.
 */
function* nonces(d: bigint, e: bigint, extra: Uint8Array): Generator<bigint, never> {
  const x = toBytes32(d);
  const h = toBytes32(e % SM2_N); // bits2octets(h1) = int2octets(bits2int(h1) mod q)
  let v: Uint8Array = new Uint8Array(32).fill(1);
  let k: Uint8Array = new Uint8Array(32);
  k = hmacSm3(k, v, Uint8Array.of(0), x, h, extra);
  v = hmacSm3(k, v);
  k = hmacSm3(k, v, Uint8Array.of(1), x, h, extra);
  v = hmacSm3(k, v);
  for (;;) {
    v = hmacSm3(k, v);
    const candidate = fromBytes(v);
    if (candidate >= 1n && candidate < SM2_N) yield candidate;
    k = hmacSm3(k, v, Uint8Array.of(0));
    v = hmacSm3(k, v);
  }
}

/**
 * True when `signature` (DER) is a valid SM2 signature of `message` by `key` under `opts.userId`.
 * A malformed or out-of-range signature is simply false; a malformed key throws `CryptoInputError`.
 */
export function sm2Verify(
  key: Sm2PublicKey,
  message: Uint8Array | string,
  signature: Uint8Array,
  opts: Sm2Options = {},
): boolean {
  const prepared = preparePublicKey(key);
  const data = bytesOf(message, 'message');
  const rs = decodeSignature(signature);
  if (!rs) return false;
  const { r, s } = rs;
  // B1–B2: r, s ∈ [1, n−1].
  if (r < 1n || r >= SM2_N || s < 1n || s >= SM2_N) return false;
  // B3–B4: e = SM3(Z_A ‖ M').
  const e = fromBytes(sm3Parts(zOf(prepared, opts.userId ?? SM2_DEFAULT_USER_ID), data));
  // B5: t = (r' + s') mod n, fail when t = 0.
  const t = (r + s) % SM2_N;
  if (t === 0n) return false;
  // B6: (x1', y1') = [s']G + [t]P_A; the point at infinity fails.
  noteUse(prepared);
  const x1 = mulAddPublic(s, prepared.tables, t);
  if (x1 === null) return false;
  // B7: R = (e' + x1') mod n must equal r'.
  return (e + x1) % SM2_N === r;
}

/** The (r, s) of a DER signature; null when it is not exactly SEQUENCE { INTEGER, INTEGER } in DER. */
export function decodeSignature(signature: Uint8Array): { r: bigint; s: bigint } | null {
  if (!(signature instanceof Uint8Array)) return null;
  try {
    const [rElement, sElement, extra] = readChildren(readOnly(signature, TAG.sequence).content);
    if (!rElement || !sElement || extra) return null;
    return { r: decodeUnsignedInteger(rElement), s: decodeUnsignedInteger(sElement) };
  } catch (error) {
    // Malformed DER means "not a valid signature": verification answers false rather than throwing.
    if (error instanceof DerError) return null;
    throw error;
  }
}
