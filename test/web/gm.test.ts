import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildCertificate } from '../../src/platform/certs/builder.ts';
import { toPem } from '../../src/platform/certs/index.ts';
import { sm2PublicKeyInfo } from '../../src/platform/certs/signatures.ts';
import {
  envelopeKeyId,
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  fromBase64Url,
  generateSm2KeyPair,
  hmacSm3,
  openSm4,
  canonicalJson as serverCanonicalJson,
  sm2Decrypt,
  sm2Verify,
  sm3,
  sm3Kdf,
} from '../../src/platform/crypto/index.ts';
import { canonicalJson } from '../../web/src/gm/canonical.ts';
import {
  certificateFromPem,
  privateKeyFromPem,
  publicKeyFromPem,
  recipientKeyId,
  signText,
  unwrapKey,
  wrapKey,
} from '../../web/src/gm/keys.ts';
import { ENVELOPE_AAD, SealWriter } from '../../web/src/gm/sealed.ts';
import { HmacSm3, Sm3, toHex, sm3Kdf as webKdf } from '../../web/src/gm/sm3.ts';

/** The browser's GM code (web/src/gm) against the server's (OpenSSL-backed) crypto module. */
describe('browser SM3, HMAC-SM3 and KDF', () => {
  test('equal OpenSSL for any input, fed in any pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.integer({ min: 1, max: 130 }), (data, piece) => {
        const hash = new Sm3();
        for (let i = 0; i < data.length; i += piece) hash.update(data.subarray(i, i + piece));
        expect(toHex(hash.digest())).toBe(toHex(sm3(data)));
        const key = data.subarray(0, 80);
        expect(toHex(new HmacSm3(key).update(data).digest())).toBe(toHex(hmacSm3(key, data)));
        expect(toHex(webKdf(data, 48))).toBe(toHex(sm3Kdf(data, 48)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('browser sealing', () => {
  test('a part sealed in pieces opens with the server, and the second pass gives the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.integer({ min: 1, max: 999 }), (plain, piece) => {
        const key = crypto.randomBytes(32);
        const iv = crypto.randomBytes(16);
        const passes = [0, 1].map(() => {
          const writer = new SealWriter(key, iv);
          const out: Uint8Array[] = [];
          for (let i = 0; i < plain.length; i += piece) out.push(writer.update(plain.subarray(i, i + piece)));
          out.push(writer.finish());
          return { bytes: Buffer.concat(out), digest: toHex(writer.sealedDigest()), length: writer.length };
        });
        const [first, second] = passes as [(typeof passes)[0], (typeof passes)[0]];
        expect(second.bytes.equals(first.bytes)).toBe(true);
        expect(first.length).toBe(first.bytes.length);
        expect(first.digest).toBe(toHex(sm3(first.bytes)));
        expect(Buffer.from(openSm4(key, first.bytes, ENVELOPE_AAD)).equals(Buffer.from(plain))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('browser keys', () => {
  const pair = generateSm2KeyPair();
  const info = sm2PublicKeyInfo(pair);
  const now = new Date();
  const certPem = toPem(
    'CERTIFICATE',
    buildCertificate({
      subject: [['CN', '测试投标人']],
      publicKey: info,
      selfSignKey: { kind: 'sm2', sm2: pair, publicKey: info },
      notBefore: now,
      notAfter: new Date(now.getTime() + 86_400_000),
    }),
  );

  test('reads the key and certificate files the CA tools write', () => {
    const key = privateKeyFromPem(exportSm2PrivateKeyPem(pair));
    expect(key.scalarHex).toBe(pair.scalarHex);
    expect(key.publicKeyHex).toBe(pair.publicKey.pointHex);
    const cert = certificateFromPem(certPem);
    expect(cert.publicKeyHex).toBe(pair.publicKey.pointHex);
    expect(recipientKeyId(cert.spki)).toBe(envelopeKeyId(pair.publicKey));
    const pub = publicKeyFromPem(exportSm2PublicKeyPem(pair.publicKey));
    expect(recipientKeyId(pub.spki)).toBe(envelopeKeyId(pair.publicKey));
    expect(() => privateKeyFromPem(certPem)).toThrow(/没有私钥/);
  });

  test('a wrapped content key opens with the server and the browser; signatures verify on the server', () => {
    const contentKey = crypto.randomBytes(32);
    const wrapped = wrapKey(pair.publicKey.pointHex, contentKey);
    const der = fromBase64Url(wrapped);
    expect(der).not.toBeNull();
    expect(Buffer.from(sm2Decrypt(pair, der as Uint8Array)).equals(contentKey)).toBe(true);
    const key = privateKeyFromPem(exportSm2PrivateKeyPem(pair));
    expect(Buffer.from(unwrapKey(key, wrapped)).equals(contentKey)).toBe(true);
    const other = privateKeyFromPem(exportSm2PrivateKeyPem(generateSm2KeyPair()));
    expect(() => unwrapKey(other, wrapped)).toThrow();
    const signature = fromBase64Url(signText(key, '开标记录 SM3'));
    expect(sm2Verify(pair.publicKey, '开标记录 SM3', signature as Uint8Array)).toBe(true);
    expect(sm2Verify(pair.publicKey, '开标记录 SM4', signature as Uint8Array)).toBe(false);
  });

  test('canonical JSON is the server’s, byte for byte', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(serverCanonicalJson(value));
      }),
    );
  });
});

describe('browser SPKI', () => {
  test('the SM2 SubjectPublicKeyInfo built from a point is the server’s, byte for byte', async () => {
    const { sm2Spki } = await import('../../web/src/gm/keys.ts');
    const { sm2PublicKeyDer } = await import('../../src/platform/crypto/index.ts');
    for (let i = 0; i < 5; i++) {
      const pair = generateSm2KeyPair();
      expect(toHex(sm2Spki(pair.publicKey.pointHex))).toBe(toHex(sm2PublicKeyDer(pair.publicKey)));
    }
  });
});
