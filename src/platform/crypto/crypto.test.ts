import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  importSm2PublicKeyPem,
  Sm2KeyError,
  sm2Sign,
  sm2Verify,
  sm3,
  sm3Hex,
} from './index.ts';

const OPENSSL = '/usr/bin/openssl';
const DIST_ID = 'distid:1234567812345678';
let dir: string;

function openssl(...args: string[]): Buffer {
  return execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `openssl dgst` exits 0 and prints "Verified OK" only for a good signature. */
function opensslVerifies(publicKeyFile: string, signatureFile: string, messageFile: string): boolean {
  try {
    // OpenSSL 3.0's dgst has no -vfyopt; -sigopt sets the distinguishing ID for verifying as well.
    const out = openssl(
      'dgst',
      '-sm3',
      '-verify',
      publicKeyFile,
      '-sigopt',
      DIST_ID,
      '-signature',
      signatureFile,
      messageFile,
    );
    return out.toString().includes('Verified OK');
  } catch {
    return false; // a non-zero exit is OpenSSL's "Verification failure"
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ggzy-sm2-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SM3', () => {
  test('hashes "abc" to the GB/T 32905 test vector', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(Buffer.from(sm3(new TextEncoder().encode('abc'))).toString('hex')).toBe(sm3Hex('abc'));
  });

  test('hashes the 64-byte "abcd"×16 vector', () => {
    expect(sm3Hex('abcd'.repeat(16))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });
});

describe('SM2 with the GM/T 0009 default ID, against OpenSSL', () => {
  test('a signature we make verifies with openssl dgst -sm3 -sigopt distid:1234567812345678', () => {
    const key = generateSm2KeyPair();
    fs.writeFileSync(path.join(dir, 'ours-pub.pem'), exportSm2PublicKeyPem(key.publicKey));
    // Several messages so that r and s with a leading 1-bit (DER needs a 00 byte) are exercised.
    for (let i = 0; i < 12; i++) {
      const message = `交易见证 checkpoint ${i}\n`;
      fs.writeFileSync(path.join(dir, 'msg.txt'), message);
      fs.writeFileSync(path.join(dir, 'ours.sig'), sm2Sign(key, message));
      expect(opensslVerifies('ours-pub.pem', 'ours.sig', 'msg.txt')).toBe(true);
    }
    fs.writeFileSync(path.join(dir, 'msg.txt'), 'a different message');
    expect(opensslVerifies('ours-pub.pem', 'ours.sig', 'msg.txt')).toBe(false);
  });

  test('a signature openssl makes verifies here, and only with the right ID, key and message', () => {
    openssl('genpkey', '-algorithm', 'SM2', '-out', 'theirs.pem');
    openssl('pkey', '-in', 'theirs.pem', '-pubout', '-out', 'theirs-pub.pem');
    const message = Buffer.from('招标公告 2026-001\n');
    fs.writeFileSync(path.join(dir, 'msg.bin'), message);
    openssl('dgst', '-sm3', '-sign', 'theirs.pem', '-sigopt', DIST_ID, '-out', 'theirs.sig', 'msg.bin');
    const signature = fs.readFileSync(path.join(dir, 'theirs.sig'));
    const publicKey = importSm2PublicKeyPem(fs.readFileSync(path.join(dir, 'theirs-pub.pem'), 'utf8'));

    expect(sm2Verify(publicKey, message, signature)).toBe(true);
    expect(sm2Verify(publicKey, message, signature, { userId: 'another-id' })).toBe(false);
    expect(sm2Verify(publicKey, Buffer.from('招标公告 2026-002\n'), signature)).toBe(false);
    expect(sm2Verify(generateSm2KeyPair().publicKey, message, signature)).toBe(false);
  });

  test('keys round-trip through PEM byte for byte as OpenSSL writes them', () => {
    openssl('genpkey', '-algorithm', 'SM2', '-out', 'k.pem');
    openssl('pkey', '-in', 'k.pem', '-pubout', '-out', 'k-pub.pem');
    const privatePem = fs.readFileSync(path.join(dir, 'k.pem'), 'utf8');
    const publicPem = fs.readFileSync(path.join(dir, 'k-pub.pem'), 'utf8');
    const key = importSm2PrivateKeyPem(privatePem);
    expect(exportSm2PrivateKeyPem(key)).toBe(privatePem);
    expect(exportSm2PublicKeyPem(key.publicKey)).toBe(publicPem);
    expect(importSm2PublicKeyPem(publicPem)).toEqual(key.publicKey);

    // And OpenSSL reads the keys we write: same public key derived from our private key file.
    const ours = generateSm2KeyPair();
    fs.writeFileSync(path.join(dir, 'ours.pem'), exportSm2PrivateKeyPem(ours));
    expect(openssl('pkey', '-in', 'ours.pem', '-pubout').toString()).toBe(
      exportSm2PublicKeyPem(ours.publicKey),
    );
  });

  test('a SEC1 "EC PRIVATE KEY" from openssl ecparam is read too', () => {
    openssl('ecparam', '-name', 'SM2', '-genkey', '-noout', '-out', 'sec1.pem');
    openssl('pkey', '-in', 'sec1.pem', '-pubout', '-out', 'sec1-pub.pem');
    const key = importSm2PrivateKeyPem(fs.readFileSync(path.join(dir, 'sec1.pem'), 'utf8'));
    expect(exportSm2PublicKeyPem(key.publicKey)).toBe(
      fs.readFileSync(path.join(dir, 'sec1-pub.pem'), 'utf8'),
    );
  });

  test('malformed keys and signatures are refused, not misread', () => {
    const key = generateSm2KeyPair();
    const signature = sm2Sign(key, 'm');
    expect(sm2Verify(key.publicKey, 'm', signature)).toBe(true);
    expect(sm2Verify(key.publicKey, 'm', signature.subarray(0, signature.length - 1))).toBe(false);
    expect(sm2Verify(key.publicKey, 'm', Buffer.concat([signature, Buffer.of(0)]))).toBe(false);
    expect(sm2Verify(key.publicKey, 'm', Buffer.of(0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01))).toBe(
      false,
    );
    expect(() =>
      importSm2PublicKeyPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n'),
    ).toThrow(Sm2KeyError);
    expect(() => importSm2PrivateKeyPem(exportSm2PublicKeyPem(key.publicKey))).toThrow(Sm2KeyError);
    // An ordinary P-256 key is not an SM2 key even though both say id-ecPublicKey.
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'p256.pem');
    expect(() => importSm2PrivateKeyPem(fs.readFileSync(path.join(dir, 'p256.pem'), 'utf8'))).toThrow(
      Sm2KeyError,
    );
  });
});
