import { sm4 } from 'sm-crypto-v2';
import { HmacSm3, Sm3, sm3Kdf } from './sm3.ts';

/**
 * The sealed SM4 format of docs/crypto.md ("GZS4": header ‖ IV ‖ SM4-CTR ciphertext ‖ HMAC-SM3 tag), written
 * in the browser as a stream. With the same key and IV the output is the same bytes every time, so a bid
 * part is sealed twice: once to learn its SM3 and length for the signed manifest, then again while it is
 * uploaded — the browser never holds a whole sealed file.
 */
const MAGIC = Uint8Array.of(0x47, 0x5a, 0x53, 0x34, 0x01, 0x01, 0x00, 0x00); // "GZS4", v1, CTR
const KDF_LABEL = new TextEncoder().encode('ggzy/sm4-etm/v1\u0000');
/** The envelope's associated data: sealed content made for something else does not open as a bid part. */
export const ENVELOPE_AAD = new TextEncoder().encode('ggzy-envelope/v1');

export class SealWriter {
  private readonly encKey: Uint8Array;
  private readonly mac: HmacSm3;
  private readonly hash = new Sm3();
  private readonly counter: Uint8Array;
  private keystream: Uint8Array = new Uint8Array(0);
  private used = 0;
  length = 0;

  /** `contentKey`: 32 random bytes; `iv`: 16 random bytes, kept for the second pass. */
  constructor(contentKey: Uint8Array, iv: Uint8Array, aad: Uint8Array = ENVELOPE_AAD) {
    const okm = sm3Kdf(concat(KDF_LABEL, contentKey), 48);
    this.encKey = okm.subarray(0, 16);
    this.mac = new HmacSm3(okm.subarray(16));
    this.counter = Uint8Array.from(iv);
    const aadLength = new Uint8Array(8);
    new DataView(aadLength.buffer).setBigUint64(0, BigInt(aad.length));
    this.mac.update(MAGIC).update(iv).update(aadLength).update(aad);
    this.emitted = concat(MAGIC, iv);
  }

  private emitted: Uint8Array | null;

  /** Seals the next plaintext piece; returns the sealed bytes to send (the header comes first). */
  update(plain: Uint8Array): Uint8Array {
    const out = new Uint8Array(plain.length);
    let done = 0;
    while (done < plain.length) {
      if (this.used === this.keystream.length) this.refill(plain.length - done);
      const take = Math.min(this.keystream.length - this.used, plain.length - done);
      for (let i = 0; i < take; i++)
        out[done + i] = (plain[done + i] as number) ^ (this.keystream[this.used + i] as number);
      this.used += take;
      done += take;
    }
    this.mac.update(out);
    return this.output(out);
  }

  /** The tag, last bytes of the sealed message. */
  finish(): Uint8Array {
    return this.output(this.mac.digest());
  }

  /** SM3 of every byte `update`/`finish` returned (valid after `finish`). */
  sealedDigest(): Uint8Array {
    return this.hash.digest();
  }

  private output(bytes: Uint8Array): Uint8Array {
    const out = this.emitted ? concat(this.emitted, bytes) : bytes;
    this.emitted = null;
    this.hash.update(out);
    this.length += out.length;
    return out;
  }

  /** Encrypts the next counter blocks (as OpenSSL's CTR: a 128-bit big-endian counter). */
  private refill(wanted: number): void {
    const blocks = Math.min(4096, Math.max(1, Math.ceil(wanted / 16)));
    const counters = new Uint8Array(blocks * 16);
    for (let b = 0; b < blocks; b++) {
      counters.set(this.counter, b * 16);
      for (let i = 15; i >= 0; i--) {
        this.counter[i] = ((this.counter[i] as number) + 1) & 0xff;
        if (this.counter[i] !== 0) break;
      }
    }
    this.keystream = sm4.encrypt(counters, this.encKey, { mode: 'ecb', padding: 'none', output: 'array' });
    this.used = 0;
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
