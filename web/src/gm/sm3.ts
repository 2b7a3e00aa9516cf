/**
 * SM3 (GB/T 32905-2016) and HMAC-SM3 for the browser, incremental so that a bid part of any size is hashed
 * as it is read. The server uses OpenSSL's SM3 (src/platform/crypto/sm3.ts); test/web/gm.test.ts holds the
 * two to each other.
 */
const IV = Uint32Array.of(
  0x7380166f,
  0x4914b2b9,
  0x172442d7,
  0xda8a0600,
  0xa96f30bc,
  0x163138aa,
  0xe38dee4d,
  0xb0fb0e4e,
);
const W = new Uint32Array(68);
const W1 = new Uint32Array(64);
const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
const p0 = (x: number) => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
const p1 = (x: number) => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;
const T = new Uint32Array(64);
for (let j = 0; j < 64; j++) T[j] = rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32);

export class Sm3 {
  private readonly v = Uint32Array.from(IV);
  private readonly block = new Uint8Array(64);
  private used = 0;
  private length = 0; // bytes; a browser never hashes 2^53 bytes

  update(data: Uint8Array): this {
    let offset = 0;
    this.length += data.length;
    if (this.used > 0) {
      const take = Math.min(64 - this.used, data.length);
      this.block.set(data.subarray(0, take), this.used);
      this.used += take;
      offset = take;
      if (this.used < 64) return this;
      this.compress(this.block, 0);
      this.used = 0;
    }
    for (; offset + 64 <= data.length; offset += 64) this.compress(data, offset);
    if (offset < data.length) {
      this.block.set(data.subarray(offset), 0);
      this.used = data.length - offset;
    }
    return this;
  }

  digest(): Uint8Array {
    const bits = this.length * 8;
    const tail = new Uint8Array(this.used + 1 + 8 <= 64 ? 64 : 128);
    tail.set(this.block.subarray(0, this.used));
    tail[this.used] = 0x80;
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, Math.floor(bits / 2 ** 32));
    view.setUint32(tail.length - 4, bits >>> 0);
    for (let offset = 0; offset < tail.length; offset += 64) this.compress(tail, offset);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setUint32(i * 4, this.v[i] as number);
    return out;
  }

  private compress(data: Uint8Array, offset: number): void {
    for (let j = 0; j < 16; j++) {
      const i = offset + j * 4;
      W[j] =
        (((data[i] as number) << 24) |
          ((data[i + 1] as number) << 16) |
          ((data[i + 2] as number) << 8) |
          (data[i + 3] as number)) >>>
        0;
    }
    for (let j = 16; j < 68; j++) {
      W[j] =
        (p1((W[j - 16] as number) ^ (W[j - 9] as number) ^ rotl(W[j - 3] as number, 15)) ^
          rotl(W[j - 13] as number, 7) ^
          (W[j - 6] as number)) >>>
        0;
    }
    for (let j = 0; j < 64; j++) W1[j] = ((W[j] as number) ^ (W[j + 4] as number)) >>> 0;
    const v = this.v;
    let a = v[0] as number;
    let b = v[1] as number;
    let c = v[2] as number;
    let d = v[3] as number;
    let e = v[4] as number;
    let f = v[5] as number;
    let g = v[6] as number;
    let h = v[7] as number;
    for (let j = 0; j < 64; j++) {
      const a12 = rotl(a, 12);
      const ss1 = rotl((a12 + e + (T[j] as number)) >>> 0, 7);
      const ss2 = (ss1 ^ a12) >>> 0;
      const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
      const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
      const tt1 = (ff + d + ss2 + (W1[j] as number)) >>> 0;
      const tt2 = (gg + h + ss1 + (W[j] as number)) >>> 0;
      d = c;
      c = rotl(b, 9);
      b = a;
      a = tt1;
      h = g;
      g = rotl(f, 19);
      f = e;
      e = p0(tt2);
    }
    const next = [a, b, c, d, e, f, g, h];
    for (let i = 0; i < 8; i++) v[i] = ((v[i] as number) ^ (next[i] as number)) >>> 0;
  }
}

export function sm3(data: Uint8Array): Uint8Array {
  return new Sm3().update(data).digest();
}

/** HMAC-SM3 (RFC 2104 with SM3, 64-byte blocks). */
export class HmacSm3 {
  private readonly inner = new Sm3();
  private readonly outerKey: Uint8Array;

  constructor(key: Uint8Array) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? sm3(key) : key);
    const ipad = block.map((x) => x ^ 0x36);
    this.outerKey = block.map((x) => x ^ 0x5c);
    this.inner.update(ipad);
  }

  update(data: Uint8Array): this {
    this.inner.update(data);
    return this;
  }

  digest(): Uint8Array {
    return new Sm3().update(this.outerKey).update(this.inner.digest()).digest();
  }
}

/** KDF(Z, klen) of GM/T 0003.4 §5.4.3 (32-bit big-endian counter from 1). */
export function sm3Kdf(z: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  for (let offset = 0, ct = 1; offset < length; offset += 32, ct++) {
    new DataView(counter.buffer).setUint32(0, ct);
    const block = new Sm3().update(z).update(counter).digest();
    out.set(block.subarray(0, Math.min(32, length - offset)), offset);
  }
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) throw new Error('不是十六进制字符串');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64(text: string): Uint8Array {
  const normal = text.replace(/-/g, '+').replace(/_/g, '/').replace(/\s+/g, '');
  const padded = normal + '='.repeat((4 - (normal.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
