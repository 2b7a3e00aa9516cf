import crypto from 'node:crypto';
import { bytesOf, requireBytes } from './errors.ts';

/**
 * SM3 (GB/T 32905-2016 / GM/T 0004-2012), HMAC-SM3 (RFC 2104 with SM3) and the SM3 key derivation
 * function of GM/T 0003.4-2012 §5.4.3 / GB/T 32918.4-2016 §5.4.3. Node-only: the hashing is Node's
 * OpenSSL (`node:crypto`); a browser build swaps this one file.
 */

export const SM3_DIGEST_LENGTH = 32;

/** SM3, 32-byte digest. Strings are hashed as UTF-8. */
export function sm3(data: Uint8Array | string): Uint8Array {
  return crypto.createHash('sm3').update(bytesOf(data, 'data')).digest();
}

/** SM3 as lowercase hex. */
export function sm3Hex(data: Uint8Array | string): string {
  return crypto.createHash('sm3').update(bytesOf(data, 'data')).digest('hex');
}

/** SM3 over several parts without concatenating them first. */
export function sm3Parts(...parts: Uint8Array[]): Uint8Array {
  const hash = crypto.createHash('sm3');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** HMAC-SM3 (RFC 2104 with SM3's 64-byte block), 32-byte tag. */
export function hmacSm3(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const hmac = crypto.createHmac('sm3', requireBytes(key, 'key'));
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/**
 * KDF(Z, klen) of GM/T 0003.4 §5.4.3: Ha_i = SM3(Z ‖ ct_i) with a 32-bit big-endian counter starting at
 * 1, concatenated and cut to `length` bytes. Used by SM2 encryption and to split content keys.
 */
export function sm3Kdf(z: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  const view = new DataView(counter.buffer);
  for (let offset = 0, ct = 1; offset < length; offset += SM3_DIGEST_LENGTH, ct++) {
    view.setUint32(0, ct);
    const block = crypto.createHash('sm3').update(z).update(counter).digest();
    out.set(block.subarray(0, Math.min(SM3_DIGEST_LENGTH, length - offset)), offset);
  }
  return out;
}
