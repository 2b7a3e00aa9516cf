import fc from 'fast-check';
import { sm2 as reference } from 'sm-crypto-v2';
import { afterAll, describe, expect, test } from 'vitest';
import {
  CryptoInputError,
  CryptoIntegrityError,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  importSm2PublicKeyPem,
  sm2Decrypt,
  sm2Encrypt,
} from './index.ts';
import { opensslSandbox } from './test-openssl.ts';

const ossl = opensslSandbox('ggzy-sm2e-');
afterAll(() => ossl.remove());

const key = generateSm2KeyPair();
const other = generateSm2KeyPair();
const plaintextArb = fc.uint8Array({ minLength: 1, maxLength: 300 });

/**
 * sm-crypto-v2's ciphertext of `plaintext`. It does not draw a new k when t = KDF(x2‖y2, klen) is all zeros
 * (GM/T 0003.4 step A5) — for a one-byte message once in 256 — and such a ciphertext must be refused by the
 * decryptor (step B4), as ours does: encrypt again until it is one the standard lets through.
 */
function theirCiphertext(plaintext: Uint8Array): Uint8Array {
  for (;;) {
    const theirs = Buffer.from(
      reference.doEncrypt(plaintext, key.publicKey.pointHex, 1, { asn1: true }),
      'hex',
    );
    try {
      sm2Decrypt(key, theirs);
      return theirs;
    } catch (error) {
      if (!(error instanceof CryptoIntegrityError && /all zeros/.test(error.message))) throw error;
    }
  }
}

describe('SM2 encryption (GM/T 0003.4, C1‖C3‖C2 DER)', () => {
  test('round trip for random plaintexts', () => {
    fc.assert(
      fc.property(plaintextArb, (plaintext) => {
        expect(Buffer.from(sm2Decrypt(key, sm2Encrypt(key.publicKey, plaintext)))).toEqual(
          Buffer.from(plaintext),
        );
      }),
      { numRuns: 40 },
    );
  });

  test('interoperates with sm-crypto-v2 (asn1 C1C3C2) in both directions', () => {
    fc.assert(
      fc.property(plaintextArb, (plaintext) => {
        const ours = sm2Encrypt(key.publicKey, plaintext);
        const decrypted = reference.doDecrypt(Buffer.from(ours).toString('hex'), key.scalarHex, 1, {
          output: 'array',
          asn1: true,
        });
        expect(Buffer.from(decrypted)).toEqual(Buffer.from(plaintext));
        expect(Buffer.from(sm2Decrypt(key, theirCiphertext(plaintext)))).toEqual(Buffer.from(plaintext));
      }),
      { numRuns: 25 },
    );
  });

  test('interoperates with openssl pkeyutl -encrypt / -decrypt in both directions', () => {
    ossl.run('genpkey', '-algorithm', 'SM2', '-out', 'key.pem');
    ossl.run('pkey', '-in', 'key.pem', '-pubout', '-out', 'pub.pem');
    const theirKey = importSm2PrivateKeyPem(ossl.read('key.pem').toString());
    const theirPublic = importSm2PublicKeyPem(ossl.read('pub.pem').toString());
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (plaintext) => {
        ossl.write('m.bin', plaintext);
        // OpenSSL encrypts → we decrypt.
        ossl.run('pkeyutl', '-encrypt', '-pubin', '-inkey', 'pub.pem', '-in', 'm.bin', '-out', 'c.der');
        expect(Buffer.from(sm2Decrypt(theirKey, ossl.read('c.der')))).toEqual(Buffer.from(plaintext));
        // We encrypt → OpenSSL decrypts.
        ossl.write('ours.der', sm2Encrypt(theirPublic, plaintext));
        ossl.run('pkeyutl', '-decrypt', '-inkey', 'key.pem', '-in', 'ours.der', '-out', 'back.bin');
        expect(ossl.read('back.bin')).toEqual(Buffer.from(plaintext));
      }),
      { numRuns: 8 },
    );
    // The exported PEM of a key we made works for OpenSSL too.
    ossl.write('ours-pub.pem', exportSm2PublicKeyPem(key.publicKey));
    ossl.write('m2.bin', '内容密钥');
    ossl.run('pkeyutl', '-encrypt', '-pubin', '-inkey', 'ours-pub.pem', '-in', 'm2.bin', '-out', 'c2.der');
    expect(new TextDecoder().decode(sm2Decrypt(key, ossl.read('c2.der')))).toBe('内容密钥');
  });

  test('the wrong key or an altered byte gives CryptoIntegrityError, never plaintext', () => {
    const plaintext = new TextEncoder().encode('content key 0123456789abcdef'); // 28 bytes
    const ciphertext = sm2Encrypt(key.publicKey, plaintext);
    expect(() => sm2Decrypt(other, ciphertext)).toThrow(CryptoIntegrityError);
    // Flip bits in the contents of C3 (32 bytes) and C2 (28 bytes), skipping C2's tag and length.
    const c2Start = ciphertext.length - plaintext.length;
    const c3Start = c2Start - 2 - 32;
    for (const i of [...Array(32).keys()]
      .map((j) => c3Start + j)
      .concat([...Array(28).keys()].map((j) => c2Start + j))) {
      const altered = Uint8Array.from(ciphertext);
      altered[i]! ^= 0x01;
      expect(() => sm2Decrypt(key, altered)).toThrow(CryptoIntegrityError);
    }
    // Anywhere at all: a typed error of one kind or the other.
    for (let i = 0; i < ciphertext.length; i++) {
      const altered = Uint8Array.from(ciphertext);
      altered[i]! ^= 0x80;
      let caught: unknown;
      try {
        sm2Decrypt(key, altered);
      } catch (error) {
        caught = error;
      }
      expect(caught instanceof CryptoIntegrityError || caught instanceof CryptoInputError).toBe(true);
    }
  });

  test('empty and oversized plaintexts, and malformed ciphertexts, are CryptoInputError', () => {
    expect(() => sm2Encrypt(key.publicKey, new Uint8Array(0))).toThrow(CryptoInputError);
    expect(() => sm2Encrypt(key.publicKey, new Uint8Array((1 << 20) + 1))).toThrow(CryptoInputError);
    for (const bad of [
      new Uint8Array(0),
      Uint8Array.of(0x30, 0x00),
      Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01),
    ]) {
      expect(() => sm2Decrypt(key, bad)).toThrow(CryptoInputError);
    }
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
        expect(() => sm2Decrypt(key, junk)).toThrow(CryptoInputError);
      }),
    );
  });
});
