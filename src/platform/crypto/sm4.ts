import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { CryptoInputError, CryptoIntegrityError, requireBytes } from './errors.ts';
import { sm3Kdf } from './sm3.ts';
import { concatBytes, constantTimeEqual } from './util.ts';

/**
 * SM4 (GB/T 32907-2016 / GM/T 0002-2012) from Node's OpenSSL, and an encrypt-then-MAC sealed format
 * around it. Node-only (`node:crypto`, `node:stream`). The byte layout is specified in docs/crypto.md
 * "Sealed SM4"; in short:
 *
 *   sealed = header(8) ‖ IV(16) ‖ ciphertext ‖ tag(32)
 *   header = "GZS4" ‖ version 0x01 ‖ mode (0x01 SM4-CTR, 0x02 SM4-CBC with PKCS#7) ‖ 0x00 0x00
 *   encKey(16) ‖ macKey(32) = KDF_SM3("ggzy/sm4-etm/v1" ‖ 0x00 ‖ contentKey, 48)   (GM/T 0003.4 §5.4.3)
 *   tag = HMAC-SM3(macKey, header ‖ IV ‖ uint64be(len(aad)) ‖ aad ‖ ciphertext)
 *
 * Encrypt-then-MAC (Bellare–Namprempre; ISO/IEC 19772 §10 style) with independent keys: the tag is checked
 * before a single byte is decrypted, so a forged or altered ciphertext never yields plaintext and there
 * is no CBC padding oracle.
 */

export type Sm4Mode = 'ctr' | 'cbc';

export const SEALED_MAGIC = Uint8Array.of(0x47, 0x5a, 0x53, 0x34); // "GZS4"
export const SEALED_VERSION = 1;
export const SEALED_HEADER_LENGTH = 8;
export const SM4_BLOCK = 16;
export const SEALED_TAG_LENGTH = 32;
/** header + IV + tag: the size of a sealed empty CTR message. */
export const SEALED_OVERHEAD = SEALED_HEADER_LENGTH + SM4_BLOCK + SEALED_TAG_LENGTH;

const MODE_BYTE: Record<Sm4Mode, number> = { ctr: 0x01, cbc: 0x02 };
const KDF_LABEL = new TextEncoder().encode('ggzy/sm4-etm/v1\u0000');

export interface SealOptions {
  /** Default 'ctr' (length-preserving, no padding). 'cbc' pads with PKCS#7. */
  mode?: Sm4Mode;
  /** Only for tests and known-answer vectors: a fixed IV. Never reuse an IV with one key. */
  iv?: Uint8Array;
}

/** A fresh 32-byte content key (16-byte keys are accepted too; 32 gives the MAC key 256 bits). */
export function generateContentKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

interface DerivedKeys {
  readonly enc: Uint8Array;
  readonly mac: Uint8Array;
}

function deriveKeys(contentKey: Uint8Array): DerivedKeys {
  const key = requireBytes(contentKey, 'key');
  if (key.length !== 16 && key.length !== 32) {
    throw new CryptoInputError('sm4.key', 'SM4 内容密钥长度错误', 'the content key must be 16 or 32 bytes');
  }
  const okm = sm3Kdf(concatBytes(KDF_LABEL, key), 48);
  return { enc: okm.subarray(0, 16), mac: okm.subarray(16) };
}

function headerOf(mode: Sm4Mode): Uint8Array {
  return Uint8Array.of(...SEALED_MAGIC, SEALED_VERSION, MODE_BYTE[mode], 0, 0);
}

/** Reads the 8-byte header; throws `CryptoInputError` when it is not a version-1 sealed header. */
function parseHeader(header: Uint8Array): Sm4Mode {
  const fail = (detail: string) => new CryptoInputError('sm4.sealed', 'SM4 密封数据格式错误', detail);
  if (header.length < SEALED_HEADER_LENGTH) throw fail('truncated header');
  for (let i = 0; i < 4; i++) if (header[i] !== SEALED_MAGIC[i]) throw fail('not a GZS4 sealed message');
  if (header[4] !== SEALED_VERSION) throw fail(`unsupported version ${header[4]}`);
  if (header[6] !== 0 || header[7] !== 0) throw fail('reserved header bytes must be zero');
  if (header[5] === MODE_BYTE.ctr) return 'ctr';
  if (header[5] === MODE_BYTE.cbc) return 'cbc';
  throw fail(`unknown mode ${header[5]}`);
}

function aadPrefix(aad: Uint8Array): Uint8Array {
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(aad.length));
  return concatBytes(length, aad);
}

function newMac(keys: DerivedKeys, header: Uint8Array, iv: Uint8Array, aad: Uint8Array): crypto.Hmac {
  return crypto.createHmac('sm3', keys.mac).update(header).update(iv).update(aadPrefix(aad));
}

function freshIv(opts: SealOptions): Uint8Array {
  if (opts.iv === undefined) return crypto.getRandomValues(new Uint8Array(SM4_BLOCK));
  if (!(opts.iv instanceof Uint8Array) || opts.iv.length !== SM4_BLOCK) {
    throw new CryptoInputError('input.type', 'SM4 初始向量长度错误', 'the IV must be 16 bytes');
  }
  return opts.iv;
}

function modeOf(opts: SealOptions): Sm4Mode {
  const mode = opts.mode ?? 'ctr';
  if (mode !== 'ctr' && mode !== 'cbc')
    throw new CryptoInputError('input.type', 'SM4 工作模式无效', String(mode));
  return mode;
}

/** Seals `plaintext` under `key` (16 or 32 bytes), binding the optional associated data `aad`. */
export function sealSm4(
  key: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
  opts: SealOptions = {},
): Uint8Array {
  const keys = deriveKeys(key);
  const data = requireBytes(plaintext, 'plaintext');
  const associated = requireBytes(aad, 'aad');
  const mode = modeOf(opts);
  const iv = freshIv(opts);
  const header = headerOf(mode);
  const cipher = crypto.createCipheriv(`sm4-${mode}`, keys.enc, iv);
  const ciphertext = concatBytes(cipher.update(data), cipher.final());
  const tag = newMac(keys, header, iv, associated).update(ciphertext).digest();
  return concatBytes(header, iv, ciphertext, tag);
}

/**
 * Opens a sealed message. Malformed framing throws `CryptoInputError` ('sm4.sealed'); a wrong key, wrong
 * `aad` or any altered byte throws `CryptoIntegrityError` ('sm4.mac') before anything is decrypted.
 */
export function openSm4(
  key: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const keys = deriveKeys(key);
  const input = requireBytes(sealed, 'sealed');
  const associated = requireBytes(aad, 'aad');
  if (input.length < SEALED_OVERHEAD) {
    throw new CryptoInputError('sm4.sealed', 'SM4 密封数据格式错误', 'shorter than header, IV and tag');
  }
  const header = input.subarray(0, SEALED_HEADER_LENGTH);
  const mode = parseHeader(header);
  const iv = input.subarray(SEALED_HEADER_LENGTH, SEALED_HEADER_LENGTH + SM4_BLOCK);
  const ciphertext = input.subarray(SEALED_HEADER_LENGTH + SM4_BLOCK, input.length - SEALED_TAG_LENGTH);
  const tag = input.subarray(input.length - SEALED_TAG_LENGTH);
  const expected = newMac(keys, header, iv, associated).update(ciphertext).digest();
  if (!constantTimeEqual(expected, tag)) throw macError();
  return decryptVerified(mode, keys, iv, ciphertext);
}

/** The mode named in a sealed message's header (validated). */
export function sealedMode(sealed: Uint8Array): Sm4Mode {
  return parseHeader(requireBytes(sealed, 'sealed').subarray(0, SEALED_HEADER_LENGTH));
}

function macError(): CryptoIntegrityError {
  return new CryptoIntegrityError(
    'sm4.mac',
    '数据完整性校验失败：密钥错误或密文已被篡改',
    'HMAC-SM3 tag does not match',
  );
}

/** Decrypts a ciphertext whose tag has been checked; a CBC padding error here means a faulty sealer. */
function decryptVerified(
  mode: Sm4Mode,
  keys: DerivedKeys,
  iv: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  if (mode === 'cbc' && (ciphertext.length === 0 || ciphertext.length % SM4_BLOCK !== 0)) {
    throw new CryptoInputError('sm4.sealed', 'SM4 密封数据格式错误', 'CBC ciphertext is not whole blocks');
  }
  const decipher = crypto.createDecipheriv(`sm4-${mode}`, keys.enc, iv);
  try {
    return concatBytes(decipher.update(ciphertext), decipher.final());
  } catch (error) {
    // Only reachable for authentic data that was sealed with bad padding; report it as a format error.
    throw new CryptoInputError('sm4.sealed', 'SM4 密封数据格式错误', `bad padding: ${String(error)}`);
  }
}

// --------------------------------------------------------------------------------------------------
// Raw SM4 for interoperability (`openssl enc -sm4-cbc` / `-sm4-ctr`). No integrity: prefer sealSm4.
// --------------------------------------------------------------------------------------------------

export interface RawSm4Options {
  mode: Sm4Mode;
  /** 16 bytes. */
  key: Uint8Array;
  /** 16 bytes: the CBC IV or the initial CTR counter block (big-endian 128-bit counter, as OpenSSL). */
  iv: Uint8Array;
  data: Uint8Array;
}

function rawCipher(opts: RawSm4Options, decrypt: boolean): Uint8Array {
  const key = requireBytes(opts.key, 'key');
  const iv = requireBytes(opts.iv, 'iv');
  const data = requireBytes(opts.data, 'data');
  if (key.length !== 16 || iv.length !== SM4_BLOCK) {
    throw new CryptoInputError('sm4.key', 'SM4 密钥或初始向量长度错误', 'key and IV must be 16 bytes');
  }
  const mode = modeOf({ mode: opts.mode });
  const cipher = decrypt
    ? crypto.createDecipheriv(`sm4-${mode}`, key, iv)
    : crypto.createCipheriv(`sm4-${mode}`, key, iv);
  try {
    return concatBytes(cipher.update(data), cipher.final());
  } catch (error) {
    // OpenSSL refuses a CBC ciphertext that is not whole blocks or has bad PKCS#7 padding.
    throw new CryptoInputError('sm4.sealed', 'SM4 解密失败：数据长度或填充错误', String(error));
  }
}

/** SM4-CBC with PKCS#7 padding (as `openssl enc -sm4-cbc`) or SM4-CTR (as `openssl enc -sm4-ctr`). */
export function sm4Encrypt(opts: RawSm4Options): Uint8Array {
  return rawCipher(opts, false);
}

export function sm4Decrypt(opts: RawSm4Options): Uint8Array {
  return rawCipher(opts, true);
}

// --------------------------------------------------------------------------------------------------
// Streams, for bids of any size. Same bytes as sealSm4/openSm4.
// --------------------------------------------------------------------------------------------------

/** A Transform from plaintext to sealed bytes that also hashes what it emits. */
export class Sm4SealStream extends Transform {
  readonly #cipher: crypto.Cipher;
  readonly #mac: crypto.Hmac;
  readonly #hash = crypto.createHash('sm3');
  #length = 0;
  #digest: Uint8Array | undefined;

  constructor(key: Uint8Array, aad: Uint8Array = new Uint8Array(0), opts: SealOptions = {}) {
    super();
    const keys = deriveKeys(key);
    const mode = modeOf(opts);
    const iv = freshIv(opts);
    const header = headerOf(mode);
    this.#cipher = crypto.createCipheriv(`sm4-${mode}`, keys.enc, iv);
    this.#mac = newMac(keys, header, iv, requireBytes(aad, 'aad'));
    this.#emit(header);
    this.#emit(iv);
  }

  #emit(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#hash.update(bytes);
    this.#length += bytes.length;
    this.push(bytes);
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!(chunk instanceof Uint8Array)) {
      done(new CryptoInputError('input.type', '输入数据类型错误', 'stream chunks must be bytes'));
      return;
    }
    const ciphertext = this.#cipher.update(chunk);
    this.#mac.update(ciphertext);
    this.#emit(ciphertext);
    done();
  }

  override _flush(done: TransformCallback): void {
    const last = this.#cipher.final();
    this.#mac.update(last);
    this.#emit(last);
    this.#emit(this.#mac.digest());
    this.#digest = this.#hash.digest();
    done();
  }

  /** SM3 of every sealed byte emitted (for receipts and detached envelopes); after the stream ended. */
  sealedDigest(): Uint8Array {
    if (!this.#digest) throw new Error('Sm4SealStream.sealedDigest() called before the stream finished');
    return this.#digest;
  }

  /** Number of sealed bytes emitted so far (all of them once the stream ended). */
  get sealedLength(): number {
    return this.#length;
  }
}

export interface OpenStreamOptions {
  aad?: Uint8Array;
  /** The mode the header must name (an envelope's declared algorithm). */
  mode?: Sm4Mode;
  /** SM3 the sealed input must have (a detached envelope's `sealedDigest`); checked with the tag. */
  expectedDigest?: Uint8Array;
}

/**
 * A Transform from sealed bytes to plaintext. The tag is at the end, so plaintext is decrypted as it
 * arrives and is NOT yet authenticated: the stream withholds the latest plaintext piece (and CBC's last
 * block) until the tag — and `expectedDigest`, if given — have been checked, and ends with
 * `CryptoIntegrityError` ('sm4.mac') instead when they fail. A consumer must treat what it has received
 * as provisional until the stream finishes without error, e.g. write to a temporary file and rename it
 * only after `pipeline()` resolves. See docs/crypto.md "Streaming trade-off".
 */
export class Sm4OpenStream extends Transform {
  readonly #keys: DerivedKeys;
  readonly #aad: Uint8Array;
  readonly #expectedDigest: Uint8Array | undefined;
  readonly #expectedMode: Sm4Mode | undefined;
  readonly #hash = crypto.createHash('sm3');
  #prefix: Uint8Array = new Uint8Array(0);
  #decipher: crypto.Decipher | undefined;
  #mac: crypto.Hmac | undefined;
  #mode: Sm4Mode = 'ctr';
  /** The last bytes seen, which may be the tag. */
  #tail: Uint8Array = new Uint8Array(0);
  #ciphertextLength = 0;
  /** Plaintext decrypted but not yet released. */
  #pending: Uint8Array = new Uint8Array(0);

  constructor(key: Uint8Array, opts: OpenStreamOptions = {}) {
    super();
    this.#keys = deriveKeys(key);
    this.#aad = requireBytes(opts.aad ?? new Uint8Array(0), 'aad');
    this.#expectedDigest = opts.expectedDigest;
    this.#expectedMode = opts.mode;
  }

  override _transform(chunk: unknown, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!(chunk instanceof Uint8Array)) {
      done(new CryptoInputError('input.type', '输入数据类型错误', 'stream chunks must be bytes'));
      return;
    }
    this.#hash.update(chunk);
    let data: Uint8Array = chunk;
    if (!this.#decipher) {
      this.#prefix = concatBytes(this.#prefix, data);
      const start = SEALED_HEADER_LENGTH + SM4_BLOCK;
      if (this.#prefix.length < start) {
        done();
        return;
      }
      try {
        const header = this.#prefix.subarray(0, SEALED_HEADER_LENGTH);
        this.#mode = parseHeader(header);
        if (this.#expectedMode && this.#mode !== this.#expectedMode) {
          throw new CryptoInputError(
            'sm4.sealed',
            'SM4 密封数据格式错误',
            `expected ${this.#expectedMode} mode`,
          );
        }
        const iv = this.#prefix.subarray(SEALED_HEADER_LENGTH, start);
        this.#mac = newMac(this.#keys, header, iv, this.#aad);
        this.#decipher = crypto.createDecipheriv(`sm4-${this.#mode}`, this.#keys.enc, iv);
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      data = this.#prefix.subarray(start);
      this.#prefix = new Uint8Array(0);
    }
    // Everything except the last 32 bytes seen is ciphertext.
    const combined = concatBytes(this.#tail, data);
    const cut = Math.max(0, combined.length - SEALED_TAG_LENGTH);
    const ciphertext = combined.subarray(0, cut);
    this.#tail = combined.slice(cut);
    if (ciphertext.length > 0) {
      this.#ciphertextLength += ciphertext.length;
      this.#mac!.update(ciphertext);
      const plaintext = this.#decipher.update(ciphertext);
      if (plaintext.length > 0) {
        if (this.#pending.length > 0) this.push(this.#pending);
        this.#pending = plaintext;
      }
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    if (!this.#decipher || !this.#mac || this.#tail.length < SEALED_TAG_LENGTH) {
      done(
        new CryptoInputError(
          'sm4.sealed',
          'SM4 密封数据格式错误',
          'truncated: shorter than header, IV and tag',
        ),
      );
      return;
    }
    const tagOk = constantTimeEqual(this.#mac.digest(), this.#tail);
    const digestOk =
      this.#expectedDigest === undefined || constantTimeEqual(this.#hash.digest(), this.#expectedDigest);
    if (!tagOk || !digestOk) {
      this.#pending.fill(0);
      done(macError());
      return;
    }
    if (this.#mode === 'cbc' && (this.#ciphertextLength === 0 || this.#ciphertextLength % SM4_BLOCK !== 0)) {
      done(new CryptoInputError('sm4.sealed', 'SM4 密封数据格式错误', 'CBC ciphertext is not whole blocks'));
      return;
    }
    let last: Uint8Array;
    try {
      last = this.#decipher.final();
    } catch (error) {
      done(new CryptoInputError('sm4.sealed', 'SM4 密封数据格式错误', `bad padding: ${String(error)}`));
      return;
    }
    if (this.#pending.length > 0) this.push(this.#pending);
    if (last.length > 0) this.push(last);
    done();
  }
}

export function createSm4SealStream(
  key: Uint8Array,
  aad?: Uint8Array,
  opts: SealOptions = {},
): Sm4SealStream {
  return new Sm4SealStream(key, aad, opts);
}

export function createSm4OpenStream(key: Uint8Array, opts: OpenStreamOptions = {}): Sm4OpenStream {
  return new Sm4OpenStream(key, opts);
}
