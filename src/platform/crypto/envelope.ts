import { CryptoError, CryptoInputError, CryptoIntegrityError } from './errors.ts';
import {
  importSm2PublicKeyDer,
  SM2_DEFAULT_USER_ID,
  type Sm2PrivateKey,
  type Sm2PublicKey,
  sm2PublicKeyDer,
  sm2Sign,
  sm2Verify,
} from './sm2.ts';
import { sm2Decrypt, sm2Encrypt } from './sm2-encrypt.ts';
import { sm3Hex } from './sm3.ts';
import {
  createSm4OpenStream,
  createSm4SealStream,
  generateContentKey,
  openSm4,
  type Sm4Mode,
  type Sm4OpenStream,
  type Sm4SealStream,
  sealedMode,
  sealSm4,
} from './sm4.ts';
import { fromBase64Url, toBase64Url, toHex } from './util.ts';

/**
 * 数字信封 (digital envelope) for sealed bids (DESIGN §4 "Sealed bids"), in the spirit of GM/T 0010-2012
 * SignedAndEnvelopedData but as JSON: one random content key seals the content with SM4 + HMAC-SM3
 * (sm4.ts), the content key is encrypted with SM2 (GM/T 0003.4) to each recipient, and the sender may
 * sign the manifest with SM2 (GM/T 0003.2, GM/T 0009 user ID). The format is specified byte for byte in
 * docs/crypto.md "Digital envelope".
 */

export const ENVELOPE_TYPE = 'ggzy-envelope';
export const ENVELOPE_VERSION = 1;
/** Associated data of the sealed content: a sealed blob made for something else is refused. */
const CONTENT_AAD = new TextEncoder().encode('ggzy-envelope/v1');
const MAX_RECIPIENTS = 64;

export type ContentAlgorithm = 'sm4-ctr-hmac-sm3' | 'sm4-cbc-hmac-sm3';

export interface EnvelopeRecipient {
  /** Lowercase hex SM3 of the recipient's DER SubjectPublicKeyInfo. */
  keyId: string;
  keyIdType: 'sm3-spki';
  algorithm: 'sm2-encrypt';
  /** base64url of the DER SM2Cipher (C1 ‖ C3 ‖ C2) holding the content key. */
  encryptedKey: string;
}

export interface EnvelopeSignature {
  algorithm: 'sm2-sm3';
  /** The signer's GM/T 0009 distinguishing ID. */
  userId: string;
  /** base64url of the signer's DER SubjectPublicKeyInfo. */
  publicKey: string;
  /** base64url of the DER signature over the canonical manifest. */
  value: string;
}

/** Sealed content carried inside the envelope. */
export interface InlineContent {
  algorithm: ContentAlgorithm;
  /** base64url of the sealed bytes (GZS4 format). */
  sealed: string;
}

/** Sealed content stored elsewhere (a blob store); the manifest pins it by hash and length. */
export interface DetachedContent {
  algorithm: ContentAlgorithm;
  /** Lowercase hex SM3 of the sealed bytes. */
  sealedDigest: string;
  sealedLength: number;
}

export interface Envelope {
  type: typeof ENVELOPE_TYPE;
  version: typeof ENVELOPE_VERSION;
  content: InlineContent | DetachedContent;
  recipients: EnvelopeRecipient[];
  signature?: EnvelopeSignature;
}

export interface EnvelopeSigner {
  key: Sm2PrivateKey;
  /** GM/T 0009 default when absent. */
  userId?: string;
}

export interface CreateEnvelopeOptions {
  content: Uint8Array;
  recipients: Sm2PublicKey[];
  /** A private key (default user ID) or a key with its user ID. */
  signer?: Sm2PrivateKey | EnvelopeSigner;
  mode?: Sm4Mode;
}

export interface OpenEnvelopeOptions {
  /** Refuse envelopes without a valid sender signature. */
  requireSignature?: boolean;
  /** Refuse envelopes not signed by this key. Implies `requireSignature`. */
  expectedSigner?: Sm2PublicKey;
}

export interface OpenedEnvelope {
  content: Uint8Array;
  /** The verified signer, or null for an unsigned envelope. */
  signer: { publicKey: Sm2PublicKey; userId: string } | null;
}

/** The recipient ID of a key: lowercase hex SM3 of its DER SubjectPublicKeyInfo. */
export function envelopeKeyId(key: Sm2PublicKey): string {
  return sm3Hex(sm2PublicKeyDer(key));
}

/** Seals `content` for every recipient (and signs the manifest when `signer` is given). */
export function createEnvelope(opts: CreateEnvelopeOptions): Envelope {
  const contentKey = generateContentKey();
  try {
    const mode = opts.mode ?? 'ctr';
    const sealed = sealSm4(contentKey, opts.content, CONTENT_AAD, { mode });
    const manifest: Envelope = {
      type: ENVELOPE_TYPE,
      version: ENVELOPE_VERSION,
      content: { algorithm: algorithmOf(mode), sealed: toBase64Url(sealed) },
      recipients: wrapKey(contentKey, opts.recipients),
    };
    return sign(manifest, opts.signer);
  } finally {
    contentKey.fill(0);
  }
}

/**
 * Opens an envelope with one recipient's private key. Errors, all `CryptoError`s with Chinese titles:
 * 'envelope.malformed' (not a valid envelope), 'envelope.signature' / 'envelope.signer' (bad or
 * unexpected sender signature), 'envelope.not-recipient' (the key is not among the recipients),
 * 'sm2.decrypt' (the wrapped key does not decrypt), 'sm4.mac' (content altered).
 */
export function openEnvelope(
  envelope: Envelope | string,
  privateKey: Sm2PrivateKey,
  opts: OpenEnvelopeOptions = {},
): OpenedEnvelope {
  const parsed = parseEnvelope(envelope);
  if (!('sealed' in parsed.content)) {
    throw malformed('content is detached: use openDetachedEnvelope with the sealed bytes');
  }
  const signer = checkSignature(parsed, opts);
  const sealed = fromBase64Url(parsed.content.sealed)!; // validated by parseEnvelope
  if (sealedMode(sealed) !== modeOf(parsed.content.algorithm))
    throw malformed('sealed mode differs from algorithm');
  const contentKey = unwrapKey(parsed, privateKey);
  try {
    return { content: openSm4(contentKey, sealed, CONTENT_AAD), signer };
  } finally {
    contentKey.fill(0);
  }
}

export interface DetachedEnvelopeSealer {
  /** Write the plaintext in, read the sealed bytes out (to the blob store). */
  readonly stream: Sm4SealStream;
  /** The envelope, once `stream` has ended: it pins the sealed bytes by SM3 and length. */
  finish(): Envelope;
}

/** The streaming form of `createEnvelope` for large content (bids of many GB). */
export function createDetachedEnvelope(opts: Omit<CreateEnvelopeOptions, 'content'>): DetachedEnvelopeSealer {
  const contentKey = generateContentKey();
  const mode = opts.mode ?? 'ctr';
  let recipients: EnvelopeRecipient[];
  let stream: Sm4SealStream;
  try {
    recipients = wrapKey(contentKey, opts.recipients);
    stream = createSm4SealStream(contentKey, CONTENT_AAD, { mode });
  } finally {
    contentKey.fill(0); // the stream has derived its own keys
  }
  return {
    stream,
    finish(): Envelope {
      const manifest: Envelope = {
        type: ENVELOPE_TYPE,
        version: ENVELOPE_VERSION,
        content: {
          algorithm: algorithmOf(mode),
          sealedDigest: toHex(stream.sealedDigest()),
          sealedLength: stream.sealedLength,
        },
        recipients,
      };
      return sign(manifest, opts.signer);
    },
  };
}

export interface OpenedDetachedEnvelope {
  /** Pipe the sealed bytes in, read plaintext out; see `Sm4OpenStream` on when it is authentic. */
  stream: Sm4OpenStream;
  signer: OpenedEnvelope['signer'];
}

/**
 * Checks the signature and unwraps the content key now; the returned stream checks the sealed bytes'
 * SM3 and length against the manifest and their HMAC tag before it releases the final plaintext.
 */
export function openDetachedEnvelope(
  envelope: Envelope | string,
  privateKey: Sm2PrivateKey,
  opts: OpenEnvelopeOptions = {},
): OpenedDetachedEnvelope {
  const parsed = parseEnvelope(envelope);
  if (!('sealedDigest' in parsed.content)) throw malformed('content is inline: use openEnvelope');
  const signer = checkSignature(parsed, opts);
  const contentKey = unwrapKey(parsed, privateKey);
  try {
    const stream = createSm4OpenStream(contentKey, {
      aad: CONTENT_AAD,
      mode: modeOf(parsed.content.algorithm),
      // SM3 over the exact bytes pins the length too (sealedLength is for display and quotas).
      expectedDigest: Buffer.from(parsed.content.sealedDigest, 'hex'),
    });
    return { stream, signer };
  } finally {
    contentKey.fill(0);
  }
}

/**
 * Opens detached sealed content with a content key the caller already holds (the bid opening: the bidder
 * unwraps the key on its own machine and sends only the key). Same associated data, mode and checks as
 * `openDetachedEnvelope`: the stream verifies the sealed bytes' SM3 against `content.sealedDigest` and
 * the HMAC tag over the whole input before it releases the final plaintext; a wrong key ends it with
 * `CryptoIntegrityError` 'sm4.mac'. The stream derives its own keys: the caller may zero `contentKey`.
 */
export function openDetachedContent(content: DetachedContent, contentKey: Uint8Array): Sm4OpenStream {
  if (!(contentKey instanceof Uint8Array) || (contentKey.length !== 16 && contentKey.length !== 32)) {
    throw new CryptoInputError('sm4.key', '内容密钥长度错误', 'the content key is 16 or 32 bytes');
  }
  const parsed = parseEnvelope({
    type: ENVELOPE_TYPE,
    version: ENVELOPE_VERSION,
    content,
    // Only to reuse the strict content parser; recipients are not used here.
    recipients: [
      { keyId: '0'.repeat(64), keyIdType: 'sm3-spki', algorithm: 'sm2-encrypt', encryptedKey: 'AA' },
    ],
  });
  const detached = parsed.content as DetachedContent;
  return createSm4OpenStream(contentKey, {
    aad: CONTENT_AAD,
    mode: modeOf(detached.algorithm),
    expectedDigest: Buffer.from(detached.sealedDigest, 'hex'),
  });
}

/**
 * Unwraps the content key addressed to `privateKey` among an envelope's recipients (the bidder's tool
 * before the opening, or the opening key in the fallback). Errors as `openEnvelope` steps 3–4. The caller
 * zeroes the returned key when done.
 */
export function unwrapContentKey(recipients: EnvelopeRecipient[], privateKey: Sm2PrivateKey): Uint8Array {
  const parsed = parseEnvelope({
    type: ENVELOPE_TYPE,
    version: ENVELOPE_VERSION,
    content: { algorithm: 'sm4-ctr-hmac-sm3', sealedDigest: '0'.repeat(64), sealedLength: 0 },
    recipients,
  });
  return unwrapKey(parsed, privateKey);
}

// --------------------------------------------------------------------------------------------------

function algorithmOf(mode: Sm4Mode): ContentAlgorithm {
  return mode === 'cbc' ? 'sm4-cbc-hmac-sm3' : 'sm4-ctr-hmac-sm3';
}

function modeOf(algorithm: ContentAlgorithm): Sm4Mode {
  return algorithm === 'sm4-cbc-hmac-sm3' ? 'cbc' : 'ctr';
}

function wrapKey(contentKey: Uint8Array, recipients: Sm2PublicKey[]): EnvelopeRecipient[] {
  if (!Array.isArray(recipients) || recipients.length === 0 || recipients.length > MAX_RECIPIENTS) {
    throw new CryptoInputError(
      'envelope.malformed',
      '数字信封接收方数量无效',
      `1 to ${MAX_RECIPIENTS} recipients`,
    );
  }
  const seen = new Set<string>();
  return recipients.map((publicKey) => {
    const keyId = envelopeKeyId(publicKey);
    if (seen.has(keyId)) throw new CryptoInputError('envelope.malformed', '数字信封接收方重复', keyId);
    seen.add(keyId);
    return {
      keyId,
      keyIdType: 'sm3-spki',
      algorithm: 'sm2-encrypt',
      encryptedKey: toBase64Url(sm2Encrypt(publicKey, contentKey)),
    };
  });
}

function sign(manifest: Envelope, signer: CreateEnvelopeOptions['signer']): Envelope {
  if (!signer) return manifest;
  const { key, userId = SM2_DEFAULT_USER_ID } = 'type' in signer ? { key: signer } : signer;
  const signature = sm2Sign(key, manifestBytes(manifest), { userId });
  return {
    ...manifest,
    signature: {
      algorithm: 'sm2-sm3',
      userId,
      publicKey: toBase64Url(sm2PublicKeyDer(key.publicKey)),
      value: toBase64Url(signature),
    },
  };
}

function checkSignature(envelope: Envelope, opts: OpenEnvelopeOptions): OpenedEnvelope['signer'] {
  const { signature } = envelope;
  if (!signature) {
    if (opts.requireSignature || opts.expectedSigner) {
      throw new CryptoIntegrityError('envelope.signature', '数字信封缺少发送方签名');
    }
    return null;
  }
  const publicKey = importSm2PublicKeyDer(fromBase64Url(signature.publicKey)!);
  const ok = sm2Verify(publicKey, manifestBytes(envelope), fromBase64Url(signature.value)!, {
    userId: signature.userId,
  });
  if (!ok) throw new CryptoIntegrityError('envelope.signature', '数字信封签名验证失败：内容或签名已被篡改');
  if (opts.expectedSigner && opts.expectedSigner.pointHex !== publicKey.pointHex) {
    throw new CryptoIntegrityError('envelope.signer', '数字信封不是由预期的发送方签署的');
  }
  return { publicKey, userId: signature.userId };
}

function unwrapKey(envelope: Envelope, privateKey: Sm2PrivateKey): Uint8Array {
  const keyId = envelopeKeyId(privateKey.publicKey);
  const recipient = envelope.recipients.find((r) => r.keyId === keyId);
  if (!recipient) {
    throw new CryptoInputError(
      'envelope.not-recipient',
      '您的密钥不是该数字信封的接收方，无法解密',
      `no recipient with key ID ${keyId}`,
    );
  }
  const contentKey = sm2Decrypt(privateKey, fromBase64Url(recipient.encryptedKey)!);
  if (contentKey.length !== 16 && contentKey.length !== 32) {
    contentKey.fill(0);
    throw new CryptoIntegrityError('envelope.content', '数字信封内容密钥长度错误');
  }
  return contentKey;
}

/** The bytes the sender signs: UTF-8 of the RFC 8785 (JCS) form of the envelope without `signature`. */
export function manifestBytes(envelope: Envelope): Uint8Array {
  const { signature: _omitted, ...manifest } = envelope;
  return new TextEncoder().encode(canonicalJson(manifest));
}

/**
 * RFC 8785 JSON Canonicalization Scheme for the values an envelope holds: object members sorted by
 * UTF-16 code units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw malformed('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw malformed(`cannot canonicalise a ${typeof value}`);
}

// --------------------------------------------------------------------------------------------------
// Strict parsing: exactly the members above, nothing else, so the signed manifest is unambiguous.
// --------------------------------------------------------------------------------------------------

function malformed(detail: string): CryptoInputError {
  return new CryptoInputError('envelope.malformed', '数字信封格式错误', detail);
}

type Json = Record<string, unknown>;

function objectWith(value: unknown, what: string, required: string[], optional: string[] = []): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(`${what} must be an object`);
  const object = value as Json;
  for (const key of Object.keys(object)) {
    if (!required.includes(key) && !optional.includes(key))
      throw malformed(`${what}: unexpected member "${key}"`);
  }
  for (const key of required) if (!(key in object)) throw malformed(`${what}: missing member "${key}"`);
  return object;
}

function base64UrlField(value: unknown, what: string, maxBytes: number): string {
  if (typeof value !== 'string') throw malformed(`${what} must be a base64url string`);
  const bytes = fromBase64Url(value);
  if (!bytes || bytes.length === 0 || bytes.length > maxBytes)
    throw malformed(`${what} is not valid base64url`);
  return value;
}

function hexDigestField(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value))
    throw malformed(`${what} must be 64 lowercase hex digits`);
  return value;
}

function literal<T extends string | number>(value: unknown, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value as T)) throw malformed(`${what} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Parses and validates an envelope (object or JSON text); throws 'envelope.malformed'. */
export function parseEnvelope(input: Envelope | string): Envelope {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw malformed(`not JSON: ${String(error)}`);
    }
  }
  try {
    const root = objectWith(value, 'envelope', ['type', 'version', 'content', 'recipients'], ['signature']);
    literal(root.type, [ENVELOPE_TYPE], 'type');
    literal(root.version, [ENVELOPE_VERSION], 'version');
    const algorithms: ContentAlgorithm[] = ['sm4-ctr-hmac-sm3', 'sm4-cbc-hmac-sm3'];
    const rawContent = root.content as Json;
    let content: InlineContent | DetachedContent;
    if (typeof rawContent === 'object' && rawContent !== null && 'sealed' in rawContent) {
      const c = objectWith(rawContent, 'content', ['algorithm', 'sealed']);
      content = {
        algorithm: literal(c.algorithm, algorithms, 'content.algorithm'),
        sealed: base64UrlField(c.sealed, 'content.sealed', Number.MAX_SAFE_INTEGER),
      };
    } else {
      const c = objectWith(rawContent, 'content', ['algorithm', 'sealedDigest', 'sealedLength']);
      if (!Number.isSafeInteger(c.sealedLength) || (c.sealedLength as number) < 0) {
        throw malformed('content.sealedLength must be a non-negative integer');
      }
      content = {
        algorithm: literal(c.algorithm, algorithms, 'content.algorithm'),
        sealedDigest: hexDigestField(c.sealedDigest, 'content.sealedDigest'),
        sealedLength: c.sealedLength as number,
      };
    }
    if (
      !Array.isArray(root.recipients) ||
      root.recipients.length === 0 ||
      root.recipients.length > MAX_RECIPIENTS
    ) {
      throw malformed(`recipients must be an array of 1 to ${MAX_RECIPIENTS}`);
    }
    const recipients = root.recipients.map((entry: unknown, i): EnvelopeRecipient => {
      const r = objectWith(entry, `recipients[${i}]`, ['keyId', 'keyIdType', 'algorithm', 'encryptedKey']);
      return {
        keyId: hexDigestField(r.keyId, `recipients[${i}].keyId`),
        keyIdType: literal(r.keyIdType, ['sm3-spki'], `recipients[${i}].keyIdType`),
        algorithm: literal(r.algorithm, ['sm2-encrypt'], `recipients[${i}].algorithm`),
        encryptedKey: base64UrlField(r.encryptedKey, `recipients[${i}].encryptedKey`, 1024),
      };
    });
    const envelope: Envelope = { type: ENVELOPE_TYPE, version: ENVELOPE_VERSION, content, recipients };
    if (root.signature !== undefined) {
      const s = objectWith(root.signature, 'signature', ['algorithm', 'userId', 'publicKey', 'value']);
      if (typeof s.userId !== 'string' || s.userId.length > 1024)
        throw malformed('signature.userId must be a string');
      envelope.signature = {
        algorithm: literal(s.algorithm, ['sm2-sm3'], 'signature.algorithm'),
        userId: s.userId,
        publicKey: base64UrlField(s.publicKey, 'signature.publicKey', 1024),
        value: base64UrlField(s.value, 'signature.value', 128),
      };
    }
    return envelope;
  } catch (error) {
    if (error instanceof CryptoError) throw error;
    throw malformed(String(error));
  }
}
