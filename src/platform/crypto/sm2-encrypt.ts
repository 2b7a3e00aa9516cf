import {
  decodeUnsignedInteger,
  encode,
  encodeUnsignedInteger,
  expectTag,
  readChildren,
  readOnly,
  TAG,
} from './der.ts';
import { CryptoInputError, CryptoIntegrityError, requireBytes } from './errors.ts';
import { publicPointOf, type Sm2PrivateKey, type Sm2PublicKey, scalarOf } from './sm2.ts';
import { fromBytes, isOnCurve, SM2_N, SM2_P, Sm2Point, toBytes32 } from './sm2-curve.ts';
import { sm3Kdf, sm3Parts } from './sm3.ts';
import { concatBytes, constantTimeEqual } from './util.ts';

/**
 * SM2 public-key encryption, GM/T 0003.4-2012 / GB/T 32918.4-2016, with the ciphertext C1 ‖ C3 ‖ C2 in
 * the DER form of GM/T 0009-2012 §7.2 that OpenSSL 3 reads and writes (`openssl pkeyutl -encrypt`):
 *
 *   SM2Cipher ::= SEQUENCE {
 *     xCoordinate INTEGER,       -- x1 of C1 = [k]G
 *     yCoordinate INTEGER,       -- y1 of C1
 *     hash        OCTET STRING,  -- C3 = SM3(x2 ‖ M ‖ y2), 32 bytes
 *     cipherText  OCTET STRING } -- C2 = M ⊕ KDF(x2 ‖ y2, klen)
 */

/** Largest plaintext accepted: SM2 encryption is for keys and short secrets, not for content. */
export const SM2_MAX_PLAINTEXT = 1 << 20;

/** Encrypts `plaintext` (1 byte to 1 MiB) to `publicKey`; returns the DER SM2Cipher. */
export function sm2Encrypt(publicKey: Sm2PublicKey, plaintext: Uint8Array): Uint8Array {
  const message = requireBytes(plaintext, 'plaintext');
  // klen = 0 would make step A5's "t is all zeros" true forever; the standard assumes a non-empty M.
  if (message.length === 0 || message.length > SM2_MAX_PLAINTEXT) {
    throw new CryptoInputError(
      'sm2.plaintext',
      'SM2 加密的明文长度无效',
      'plaintext must be 1 byte to 1 MiB',
    );
  }
  const point = publicPointOf(publicKey); // validated per GM/T 0003.1 §6.2, so A3's [h]P_B ≠ O holds (h = 1)
  for (;;) {
    // A1: k ∈ [1, n−1].
    const k = fromBytes(crypto.getRandomValues(new Uint8Array(32)));
    if (k < 1n || k >= SM2_N) continue;
    // A2: C1 = [k]G; A4: (x2, y2) = [k]P_B — both constant-time in noble.
    const c1 = Sm2Point.BASE.multiply(k).toAffine();
    const shared = point.multiply(k).toAffine();
    const x2 = toBytes32(shared.x);
    const y2 = toBytes32(shared.y);
    // A5: t = KDF(x2 ‖ y2, klen); back to A1 if t is all zeros.
    const t = sm3Kdf(concatBytes(x2, y2), message.length);
    if (t.every((byte) => byte === 0)) continue;
    // A6: C2 = M ⊕ t; A7: C3 = SM3(x2 ‖ M ‖ y2).
    const c2 = xor(message, t);
    const c3 = sm3Parts(x2, message, y2);
    return encode(
      TAG.sequence,
      encodeUnsignedInteger(c1.x),
      encodeUnsignedInteger(c1.y),
      encode(TAG.octetString, c3),
      encode(TAG.octetString, c2),
    );
  }
}

/**
 * Decrypts a DER SM2Cipher. Malformed input throws `CryptoInputError` ('sm2.ciphertext'); a ciphertext
 * for another key, or one that was altered, throws `CryptoIntegrityError` ('sm2.decrypt') — C3 is
 * checked before any plaintext is returned.
 */
export function sm2Decrypt(privateKey: Sm2PrivateKey, ciphertext: Uint8Array): Uint8Array {
  const d = scalarOf(privateKey);
  const { x1, y1, c3, c2 } = decodeCiphertext(requireBytes(ciphertext, 'ciphertext'));
  // B1: C1 must be a point on the curve (and, cofactor 1, [h]C1 ≠ O is B2).
  if (x1 >= SM2_P || y1 >= SM2_P || !isOnCurve(x1, y1)) {
    throw new CryptoInputError('sm2.ciphertext', 'SM2 密文格式错误', 'C1 is not a point on the curve');
  }
  // B3: (x2, y2) = [d_B]C1.
  const shared = Sm2Point.fromAffine({ x: x1, y: y1 }).multiply(d).toAffine();
  const x2 = toBytes32(shared.x);
  const y2 = toBytes32(shared.y);
  // B4: t = KDF(x2 ‖ y2, klen); all zeros is an error. (OpenSSL 3.0 skips this check; for a 16- or
  // 32-byte content key it fires with probability 2⁻¹²⁸ or less, for a 1-byte message 1/256.)
  const t = sm3Kdf(concatBytes(x2, y2), c2.length);
  if (t.every((byte) => byte === 0)) {
    throw new CryptoIntegrityError('sm2.decrypt', 'SM2 解密失败', 'KDF output is all zeros');
  }
  // B5: M' = C2 ⊕ t; B6: u = SM3(x2 ‖ M' ‖ y2) must equal C3.
  const message = xor(c2, t);
  if (!constantTimeEqual(sm3Parts(x2, message, y2), c3)) {
    message.fill(0);
    throw new CryptoIntegrityError(
      'sm2.decrypt',
      'SM2 解密失败：密钥不匹配或密文已被篡改',
      'C3 does not match: wrong key or altered ciphertext',
    );
  }
  return message;
}

function decodeCiphertext(der: Uint8Array): { x1: bigint; y1: bigint; c3: Uint8Array; c2: Uint8Array } {
  try {
    const [x, y, hash, body, extra] = readChildren(readOnly(der, TAG.sequence).content);
    if (extra) throw new CryptoInputError('sm2.ciphertext', 'SM2 密文格式错误', 'trailing fields');
    const c3 = expectTag(hash, TAG.octetString).content;
    const c2 = expectTag(body, TAG.octetString).content;
    if (c3.length !== 32)
      throw new CryptoInputError('sm2.ciphertext', 'SM2 密文格式错误', 'C3 must be 32 bytes');
    if (c2.length === 0) throw new CryptoInputError('sm2.ciphertext', 'SM2 密文格式错误', 'C2 is empty');
    return {
      x1: decodeUnsignedInteger(expectTag(x, TAG.integer)),
      y1: decodeUnsignedInteger(expectTag(y, TAG.integer)),
      c3,
      c2,
    };
  } catch (error) {
    if (error instanceof CryptoInputError && error.code === 'der.malformed') {
      throw new CryptoInputError('sm2.ciphertext', 'SM2 密文格式错误', error.message);
    }
    throw error;
  }
}

function xor(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}
