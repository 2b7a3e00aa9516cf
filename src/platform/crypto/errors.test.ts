import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  CryptoError,
  CryptoInputError,
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  importSm2PublicKeyDer,
  importSm2PublicKeyPem,
  openSm4,
  publicKeyFromSpki,
  Sm2KeyError,
  type Sm2PrivateKey,
  type Sm2PublicKey,
  sealSm4,
  sm2Decrypt,
  sm2Encrypt,
  sm2PublicKeyDer,
  sm2Sign,
  sm2Verify,
  verifySignature,
} from './index.ts';

/** Malformed input must end in a typed error with a stable code and a Chinese title — never a TypeError. */
function expectTyped(run: () => unknown): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CryptoError);
  const error = caught as CryptoError;
  expect(error.code).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/);
  expect(error.title).toMatch(/[\u4e00-\u9fff]/);
}

const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64')}\n-----END ${label}-----\n`;

const key = generateSm2KeyPair();
const spki = sm2PublicKeyDer(key.publicKey);
const pkcs8 = Buffer.from(exportSm2PrivateKeyPem(key).replace(/-----[^-]+-----|\s/g, ''), 'base64');

describe('malformed DER and PEM give typed errors with Chinese titles', () => {
  test('random and mutated public keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (junk) => {
        expectTyped(() => importSm2PublicKeyPem(pem('PUBLIC KEY', junk)));
        expectTyped(() => importSm2PublicKeyDer(junk));
      }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const mutated = Uint8Array.from(spki);
        mutated[at % mutated.length]! ^= flip;
        expectTyped(() => importSm2PublicKeyPem(pem('PUBLIC KEY', mutated)));
      }),
    );
  });

  test('random and mutated private keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        expectTyped(() => importSm2PrivateKeyPem(pem('PRIVATE KEY', junk)));
        expectTyped(() => importSm2PrivateKeyPem(pem('EC PRIVATE KEY', junk)));
      }),
    );
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const mutated = Uint8Array.from(pkcs8);
        const index = at % mutated.length;
        mutated[index]! ^= flip;
        // A flip inside the 32-byte scalar gives another valid scalar whose embedded public key no
        // longer matches: refused too. Every mutation is refused, none crashes.
        expectTyped(() => importSm2PrivateKeyPem(pem('PRIVATE KEY', mutated)));
      }),
    );
  });

  test('text that is not PEM, and values that are not text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expectTyped(() => importSm2PublicKeyPem(text));
        expectTyped(() => importSm2PrivateKeyPem(text));
      }),
    );
    for (const value of [undefined, null, 42, {}, new Uint8Array(3)]) {
      expectTyped(() => importSm2PublicKeyPem(value as unknown as string));
      expectTyped(() => importSm2PrivateKeyPem(value as unknown as string));
    }
    expect(() => importSm2PublicKeyPem(exportSm2PrivateKeyPem(key))).toThrow(Sm2KeyError);
    expect(importSm2PublicKeyPem(exportSm2PublicKeyPem(key.publicKey))).toEqual(key.publicKey);
  });

  test('random signatures are just "not valid"', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (junk) => {
        expect(sm2Verify(key.publicKey, 'm', junk)).toBe(false);
        expect(
          verifySignature({ algorithm: 'sm2-sm3', publicKey: spki, data: Uint8Array.of(1), signature: junk }),
        ).toBe(false);
      }),
    );
  });

  test('wrong argument types at every entry point', () => {
    const badKey = { type: 'sm2-public', pointHex: 'zz' } as unknown as Sm2PublicKey;
    const badPrivate = {
      type: 'sm2-private',
      scalarHex: '00',
      publicKey: key.publicKey,
    } as unknown as Sm2PrivateKey;
    const mismatched: Sm2PrivateKey = { ...generateSm2KeyPair(), publicKey: key.publicKey };
    const notBytes = 'text' as unknown as Uint8Array;
    expectTyped(() => sm2Verify(badKey, 'm', new Uint8Array(8)));
    expectTyped(() => sm2Verify(undefined as unknown as Sm2PublicKey, 'm', new Uint8Array(8)));
    expectTyped(() => sm2Verify(key.publicKey, 42 as unknown as string, new Uint8Array(8)));
    expectTyped(() => sm2Sign(badPrivate, 'm'));
    expectTyped(() => sm2Sign(key, 'm', { userId: 42 as unknown as string }));
    expectTyped(() => sm2Sign(key, 'm', { userId: 'x'.repeat(8192) }));
    expectTyped(() => sm2Sign(mismatched, 'm'));
    expectTyped(() => sm2Encrypt(badKey, Uint8Array.of(1)));
    expectTyped(() => sm2Encrypt(key.publicKey, notBytes));
    expectTyped(() => sm2Decrypt(key, notBytes));
    expectTyped(() => sealSm4(notBytes, Uint8Array.of(1)));
    expectTyped(() => sealSm4(new Uint8Array(16), notBytes));
    expectTyped(() => openSm4(new Uint8Array(16), notBytes));
    expectTyped(() => publicKeyFromSpki(notBytes));
    expectTyped(() => importSm2PublicKeyDer(notBytes));
    expectTyped(() =>
      verifySignature({ algorithm: 'sm2-sm3', publicKey: spki, data: notBytes, signature: notBytes }),
    );
    expectTyped(() =>
      verifySignature({
        algorithm: 'sm2-sm3',
        publicKey: 7 as unknown as Uint8Array,
        data: spki,
        signature: spki,
      }),
    );
    expect(new CryptoInputError('der.malformed', 'DER 编码格式错误', 'x').message).toBe(
      'DER 编码格式错误：x',
    );
  });
});
