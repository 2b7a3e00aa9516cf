import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  CryptoError,
  CryptoInputError,
  CryptoIntegrityError,
  canonicalJson,
  createDetachedEnvelope,
  createEnvelope,
  type Envelope,
  envelopeKeyId,
  exportSm2PublicKeyPem,
  fromBase64Url,
  generateSm2KeyPair,
  manifestBytes,
  openDetachedContent,
  openDetachedEnvelope,
  openEnvelope,
  parseEnvelope,
  sm2PublicKeyDer,
  sm3Hex,
  toBase64Url,
  unwrapContentKey,
} from './index.ts';

const bidder = generateSm2KeyPair();
const platform = generateSm2KeyPair();
const custodian = generateSm2KeyPair();
const outsider = generateSm2KeyPair();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function errorOf(run: () => unknown): CryptoError {
  try {
    run();
  } catch (error) {
    if (error instanceof CryptoError) return error;
    throw error;
  }
  throw new Error('expected a CryptoError');
}

describe('数字信封 round trips', () => {
  test('every recipient opens it, with or without a signature, through JSON text', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.subarray([bidder, platform, custodian], { minLength: 1 }),
        fc.boolean(),
        fc.constantFrom('ctr' as const, 'cbc' as const),
        (content, recipients, signed, mode) => {
          const envelope = createEnvelope({
            content,
            recipients: recipients.map((r) => r.publicKey),
            ...(signed ? { signer: bidder } : {}),
            mode,
          });
          const text = JSON.stringify(envelope);
          for (const recipient of recipients) {
            const opened = openEnvelope(text, recipient);
            expect(hex(opened.content)).toBe(hex(content));
            expect(opened.signer?.publicKey.pointHex ?? null).toBe(signed ? bidder.publicKey.pointHex : null);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  test('recipients are named by SM3 of their SubjectPublicKeyInfo', () => {
    const envelope = createEnvelope({
      content: Uint8Array.of(1),
      recipients: [platform.publicKey, bidder.publicKey],
    });
    expect(envelope.recipients.map((r) => r.keyId)).toEqual([
      sm3Hex(sm2PublicKeyDer(platform.publicKey)),
      envelopeKeyId(bidder.publicKey),
    ]);
    expect(Object.keys(envelope)).toEqual(['type', 'version', 'content', 'recipients']);
  });

  test('the signature covers the RFC 8785 form of everything but itself', () => {
    const envelope = createEnvelope({
      content: Uint8Array.of(1, 2, 3),
      recipients: [platform.publicKey],
      signer: { key: bidder, userId: 'bidder@91110000' },
    });
    expect(envelope.signature?.userId).toBe('bidder@91110000');
    const text = new TextDecoder().decode(manifestBytes(envelope));
    expect(text.startsWith('{"content":{"algorithm":"sm4-ctr-hmac-sm3","sealed":"')).toBe(true);
    expect(text).not.toContain('signature');
    expect(canonicalJson({ b: [1, 'é', { d: null, c: true }], a: '\u2028' })).toBe(
      '{"a":"\u2028","b":[1,"é",{"c":true,"d":null}]}',
    );
    expect(openEnvelope(envelope, platform, { expectedSigner: bidder.publicKey }).signer?.userId).toBe(
      'bidder@91110000',
    );
  });
});

describe('数字信封 failures are clear, typed and never yield garbage', () => {
  const content = new TextEncoder().encode('投标报价：壹佰贰拾叁万肆仟元整');
  const envelope = createEnvelope({
    content,
    recipients: [bidder.publicKey, platform.publicKey],
    signer: bidder,
  });

  test('a key that is not a recipient', () => {
    const error = errorOf(() => openEnvelope(envelope, outsider));
    expect(error).toBeInstanceOf(CryptoInputError);
    expect(error.code).toBe('envelope.not-recipient');
    expect(error.title).toMatch(/不是该数字信封的接收方/);
  });

  test('altered sealed content: MAC error (unsigned envelope), signature error (signed envelope)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), (at, flip, signed) => {
        const original = createEnvelope({
          content,
          recipients: [platform.publicKey],
          ...(signed ? { signer: bidder } : {}),
        });
        if (!('sealed' in original.content)) throw new Error('inline expected');
        const sealed = fromBase64Url(original.content.sealed)!;
        const index = 8 + (at % (sealed.length - 8));
        sealed[index]! ^= flip;
        const altered: Envelope = {
          ...original,
          content: { ...original.content, sealed: toBase64Url(sealed) },
        };
        const error = errorOf(() => openEnvelope(altered, platform));
        expect(error).toBeInstanceOf(CryptoIntegrityError);
        expect(error.code).toBe(signed ? 'envelope.signature' : 'sm4.mac');
      }),
      { numRuns: 30 },
    );
  });

  test('an altered wrapped key, a swapped recipient list, an unexpected or missing signer', () => {
    const wrapped = fromBase64Url(envelope.recipients[1]!.encryptedKey)!;
    wrapped[wrapped.length - 3]! ^= 4;
    const recipients = envelope.recipients.map((r, i) =>
      i === 1 ? { ...r, encryptedKey: toBase64Url(wrapped) } : r,
    );
    const unsigned: Envelope = { ...envelope, recipients };
    delete unsigned.signature;
    expect(errorOf(() => openEnvelope(unsigned, platform)).code).toBe('sm2.decrypt');
    expect(errorOf(() => openEnvelope({ ...envelope, recipients }, platform)).code).toBe(
      'envelope.signature',
    );
    expect(errorOf(() => openEnvelope(envelope, platform, { expectedSigner: platform.publicKey })).code).toBe(
      'envelope.signer',
    );
    expect(errorOf(() => openEnvelope(unsigned, bidder, { requireSignature: true })).code).toBe(
      'envelope.signature',
    );
  });

  test('malformed envelopes: typed error, Chinese title, whatever the JSON', () => {
    const bad: unknown[] = [
      '',
      'null',
      '[]',
      '{"type":"ggzy-envelope"}',
      { ...envelope, version: 2 },
      { ...envelope, extra: 1 },
      { ...envelope, recipients: [] },
      { ...envelope, recipients: [{ ...envelope.recipients[0], keyId: 'ABC' }] },
      { ...envelope, content: { algorithm: 'aes-gcm', sealed: 'AAAA' } },
      { ...envelope, content: { algorithm: 'sm4-ctr-hmac-sm3', sealed: 'not base64url!' } },
      { ...envelope, signature: { ...envelope.signature, value: 'AAA=' } },
    ];
    for (const input of bad) {
      const error = errorOf(() => openEnvelope(input as Envelope, platform));
      expect(error).toBeInstanceOf(CryptoInputError);
      expect(error.title).toMatch(/[\u4e00-\u9fff]/);
    }
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => parseEnvelope(JSON.stringify(value) ?? 'null')).toThrow(CryptoInputError);
      }),
    );
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => openEnvelope(text, platform)).toThrow(CryptoError);
      }),
    );
  });

  test('the PEM of a recipient is what an operator would publish', () => {
    expect(exportSm2PublicKeyPem(platform.publicKey)).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});

async function drain(source: Uint8Array[], transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(source),
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('detached envelopes for large bids', () => {
  test('seal as a stream, open as a stream; the manifest pins the sealed bytes', async () => {
    const parts = Array.from({ length: 20 }, (_, i) => new Uint8Array(100_000).fill(i));
    const sealer = createDetachedEnvelope({
      recipients: [platform.publicKey, bidder.publicKey],
      signer: bidder,
    });
    const sealed = await drain(parts, sealer.stream);
    const envelope = sealer.finish();
    expect(envelope.content).toEqual({
      algorithm: 'sm4-ctr-hmac-sm3',
      sealedDigest: sm3Hex(sealed),
      sealedLength: sealed.length,
    });
    const opened = openDetachedEnvelope(JSON.stringify(envelope), platform, { requireSignature: true });
    expect(opened.signer?.publicKey.pointHex).toBe(bidder.publicKey.pointHex);
    const plaintext = await drain([sealed], opened.stream);
    expect(sm3Hex(plaintext)).toBe(sm3Hex(Buffer.concat(parts)));

    // Other sealed bytes (even under the same content key) do not match the signed digest.
    const shortened = sealed.subarray(0, sealed.length - 1);
    await expect(drain([shortened], openDetachedEnvelope(envelope, bidder).stream)).rejects.toThrow(
      CryptoIntegrityError,
    );
    expect(() => openEnvelope(envelope, platform)).toThrow(CryptoInputError);
  });
});

describe('opening detached content with a raw content key (the remote bid opening)', () => {
  test('the key unwrapped on the bidder side opens the part; another key or other bytes never do', async () => {
    const parts = [new Uint8Array(70_000).fill(7), new Uint8Array(1234).fill(9)];
    const sealer = createDetachedEnvelope({
      recipients: [bidder.publicKey, custodian.publicKey],
      mode: 'cbc',
    });
    const sealed = await drain(parts, sealer.stream);
    const envelope = sealer.finish();
    const content = envelope.content as Parameters<typeof openDetachedContent>[0];

    const key = unwrapContentKey(envelope.recipients, bidder);
    expect(key.length).toBe(32);
    const again = unwrapContentKey(envelope.recipients, custodian);
    expect(hex(again)).toBe(hex(key));
    const plaintext = await drain([sealed], openDetachedContent(content, key));
    expect(sm3Hex(plaintext)).toBe(sm3Hex(Buffer.concat(parts)));

    const wrong = new Uint8Array(32).fill(1);
    await expect(drain([sealed], openDetachedContent(content, wrong))).rejects.toMatchObject({
      code: 'sm4.mac',
    });
    const flipped = Buffer.from(sealed);
    flipped[100] = (flipped[100] ?? 0) ^ 1;
    await expect(drain([flipped], openDetachedContent(content, key))).rejects.toThrow(CryptoIntegrityError);
    expect(errorOf(() => openDetachedContent(content, new Uint8Array(5))).code).toBe('sm4.key');
    expect(errorOf(() => unwrapContentKey(envelope.recipients, outsider)).code).toBe(
      'envelope.not-recipient',
    );
  });
});
