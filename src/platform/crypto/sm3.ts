import crypto from 'node:crypto';

/** SM3 (GB/T 32905-2016), 32-byte digest, from Node's OpenSSL. Strings are hashed as UTF-8. */
export function sm3(data: Uint8Array | string): Uint8Array {
  return crypto.createHash('sm3').update(data).digest();
}

/** SM3 as lowercase hex. */
export function sm3Hex(data: Uint8Array | string): string {
  return crypto.createHash('sm3').update(data).digest('hex');
}
