import { sm2 } from 'sm-crypto-v2';
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

/**
 * SM2 signatures per GM/T 0003-2012 with the signer's ID hashed into Z (GM/T 0009: default
 * '1234567812345678'), which is what Chinese CA certificates and `openssl dgst -sm3 -sigopt
 * distid:1234567812345678` use. Node's own SM2 signs with an empty ID, so the curve arithmetic comes
 * from sm-crypto-v2 (on @noble/curves); keys and signatures travel in OpenSSL's DER/PEM forms.
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
  /** The signer's distinguishing ID (UTF-8); GM/T 0009's default when absent. */
  userId?: string;
}

/** The order n of the SM2 curve's base point (GB/T 32918.5). */
const CURVE_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const OID_SM2_CURVE = '1.2.156.10197.1.301';
const ALGORITHM = encode(
  TAG.sequence,
  encodeObjectIdentifier(OID_EC_PUBLIC_KEY),
  encodeObjectIdentifier(OID_SM2_CURVE),
);
const SM2_CURVE_OID = encodeObjectIdentifier(OID_SM2_CURVE);

export class Sm2KeyError extends Error {}

/** A fresh key pair; the public half is `key.publicKey`. */
export function generateSm2KeyPair(): Sm2PrivateKey {
  const pair = sm2.generateKeyPairHex();
  return privateKeyOf(pair.privateKey.toLowerCase(), pair.publicKey.toLowerCase());
}

/** Signs `message` (SM3 with Z, as GM/T 0003 part 2 §6.1 says) and returns the DER SEQUENCE { r, s }. */
export function sm2Sign(key: Sm2PrivateKey, message: Uint8Array | string, opts: Sm2Options = {}): Uint8Array {
  const rs = sm2.doSignature(message, key.scalarHex, {
    der: false,
    hash: true,
    publicKey: key.publicKey.pointHex,
    userId: opts.userId ?? SM2_DEFAULT_USER_ID,
  });
  const r = BigInt(`0x${rs.slice(0, 64)}`);
  const s = BigInt(`0x${rs.slice(64)}`);
  return encode(TAG.sequence, encodeUnsignedInteger(r), encodeUnsignedInteger(s));
}

/** True when `signature` (DER) is a valid SM2 signature of `message` by `key`. Malformed input is false. */
export function sm2Verify(
  key: Sm2PublicKey,
  message: Uint8Array | string,
  signature: Uint8Array,
  opts: Sm2Options = {},
): boolean {
  let r: bigint;
  let s: bigint;
  try {
    const [rElement, sElement, extra] = readChildren(readOnly(signature, TAG.sequence).content);
    if (!rElement || !sElement || extra) return false;
    r = decodeUnsignedInteger(rElement);
    s = decodeUnsignedInteger(sElement);
  } catch (error) {
    if (error instanceof DerError) return false;
    throw error;
  }
  // GM/T 0003 part 2 §7.1 B1–B2; the library leaves this range check to its caller.
  if (r < 1n || r >= CURVE_ORDER || s < 1n || s >= CURVE_ORDER) return false;
  const rsHex = r.toString(16).padStart(64, '0') + s.toString(16).padStart(64, '0');
  return sm2.doVerifySignature(message, rsHex, key.pointHex, {
    der: false,
    hash: true,
    userId: opts.userId ?? SM2_DEFAULT_USER_ID,
  });
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

export function sm2PublicKeyDer(key: Sm2PublicKey): Uint8Array {
  return encode(
    TAG.sequence,
    ALGORITHM,
    encode(TAG.bitString, Uint8Array.of(0), Buffer.from(key.pointHex, 'hex')),
  );
}

/** Reads a PKCS#8 `PRIVATE KEY` (or a SEC1 `EC PRIVATE KEY` from `openssl ecparam -name SM2 -genkey`). */
export function importSm2PrivateKeyPem(pem: string): Sm2PrivateKey {
  const block = fromPem(pem, ['PRIVATE KEY', 'EC PRIVATE KEY']);
  if (!block) throw new Sm2KeyError('not a PEM private key');
  try {
    let ecPrivateKey = block.der;
    if (block.label === 'PRIVATE KEY') {
      const [version, algorithm, privateKey] = readChildren(readOnly(block.der, TAG.sequence).content);
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
    const parameters = optional.find((e) => e.tag === TAG.context0);
    if (parameters && !equalBytes(parameters.content, SM2_CURVE_OID)) throw new Sm2KeyError('not an SM2 key');
    const scalarHex = Buffer.from(d).toString('hex');
    const derived = sm2.getPublicKeyFromPrivateKey(scalarHex).toLowerCase();
    const embedded = optional.find((e) => e.tag === TAG.context1);
    if (embedded) {
      const point = bitStringBytes(readOnly(embedded.content, TAG.bitString).content);
      if (Buffer.from(point).toString('hex') !== derived)
        throw new Sm2KeyError('public key does not match private key');
    }
    return privateKeyOf(scalarHex, derived);
  } catch (error) {
    if (error instanceof DerError) throw new Sm2KeyError(`bad SM2 private key: ${error.message}`);
    throw error;
  }
}

export function importSm2PublicKeyPem(pem: string): Sm2PublicKey {
  const block = fromPem(pem, ['PUBLIC KEY']);
  if (!block) throw new Sm2KeyError('not a PEM public key');
  try {
    const [algorithm, key, extra] = readChildren(readOnly(block.der, TAG.sequence).content);
    if (extra || !equalBytes(encode(TAG.sequence, expectTag(algorithm, TAG.sequence).content), ALGORITHM)) {
      throw new Sm2KeyError('not an SM2 public key');
    }
    const point = Buffer.from(bitStringBytes(expectTag(key, TAG.bitString).content)).toString('hex');
    if (point.length !== 130 || !point.startsWith('04') || !sm2.verifyPublicKey(point)) {
      throw new Sm2KeyError('SM2 public key is not an uncompressed point on the curve');
    }
    return { type: 'sm2-public', pointHex: point };
  } catch (error) {
    if (error instanceof DerError) throw new Sm2KeyError(`bad SM2 public key: ${error.message}`);
    throw error;
  }
}

function privateKeyOf(scalarHex: string, pointHex: string): Sm2PrivateKey {
  const d = BigInt(`0x${scalarHex}`);
  // GM/T 0003 part 1 §6.1: d ∈ [1, n−2].
  if (d < 1n || d > CURVE_ORDER - 2n) throw new Sm2KeyError('SM2 private key out of range');
  return {
    type: 'sm2-private',
    scalarHex: scalarHex.padStart(64, '0'),
    publicKey: { type: 'sm2-public', pointHex },
  };
}

function bitStringBytes(content: Uint8Array): Uint8Array {
  if (content[0] !== 0) throw new DerError('bit string with unused bits');
  return content.subarray(1);
}
