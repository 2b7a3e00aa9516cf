import fc from 'fast-check';
import { sm2 as reference } from 'sm-crypto-v2';
import { afterAll, describe, expect, test } from 'vitest';
import {
  CryptoInputError,
  exportSm2PrivateKeyPem,
  exportSm2PublicKeyPem,
  generateSm2KeyPair,
  importSm2PublicKeyPem,
  type Sm2PrivateKey,
  sm2PrivateKeyFromScalar,
  sm2Sign,
  sm2Verify,
  sm2Za,
} from './index.ts';
import { fixedTable, HOT_KEY_WINDOW, mulAddPublic, oddMultiples, SM2_N, Sm2Point } from './sm2-curve.ts';
import { opensslSandbox } from './test-openssl.ts';

/**
 * Our SM2 (GM/T 0003.2 on @noble/curves) against two independent implementations: sm-crypto-v2 and
 * OpenSSL 3. The existing crypto.test.ts covers PEM and the basic OpenSSL round trip.
 */

const keys = Array.from({ length: 4 }, () => generateSm2KeyPair());
const keyArb = fc.constantFrom(...keys);
const bytesArb = fc.uint8Array({ maxLength: 300 });
const userIdArb = fc.oneof(fc.constant('1234567812345678'), fc.string({ minLength: 1, maxLength: 40 }));
const toHex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const ossl = opensslSandbox('ggzy-sm2x-');
afterAll(() => ossl.remove());

describe('SM2 signatures cross-checked with sm-crypto-v2', () => {
  test('ours signs → sm-crypto-v2 verifies (random messages and user IDs)', () => {
    fc.assert(
      fc.property(keyArb, bytesArb, userIdArb, (key, message, userId) => {
        const signature = sm2Sign(key, message, { userId });
        expect(
          reference.doVerifySignature(message, toHex(signature), key.publicKey.pointHex, {
            der: true,
            hash: true,
            userId,
          }),
        ).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  test('sm-crypto-v2 signs → ours verifies (random messages and user IDs)', () => {
    fc.assert(
      fc.property(keyArb, bytesArb, userIdArb, (key, message, userId) => {
        const hex = reference.doSignature(message, key.scalarHex, {
          der: true,
          hash: true,
          publicKey: key.publicKey.pointHex,
          userId,
        });
        expect(sm2Verify(key.publicKey, message, Buffer.from(hex, 'hex'), { userId })).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  test('Z_A agrees with sm-crypto-v2 (GM/T 0003.2 §5.5)', () => {
    for (const key of keys) {
      const theirs = reference.getZ(key.publicKey.pointHex, '1234567812345678');
      expect(toHex(sm2Za(key.publicKey))).toBe(toHex(theirs));
    }
  });
});

describe('SM2 signatures refuse what they must', () => {
  test('a signature made under another user ID does not verify', () => {
    fc.assert(
      fc.property(keyArb, bytesArb, userIdArb, userIdArb, (key, message, a, b) => {
        fc.pre(a !== b);
        const signature = sm2Sign(key, message, { userId: a });
        expect(sm2Verify(key.publicKey, message, signature, { userId: a })).toBe(true);
        expect(sm2Verify(key.publicKey, message, signature, { userId: b })).toBe(false);
      }),
      { numRuns: 30 },
    );
    // Node's own SM2 signs with an empty ID (the reason this module exists): that is another ID too.
    const key = keys[0]!;
    const signature = sm2Sign(key, 'x', { userId: '' });
    expect(sm2Verify(key.publicKey, 'x', signature)).toBe(false);
  });

  test('a signature over other bytes, or by another key, does not verify', () => {
    fc.assert(
      fc.property(keyArb, keyArb, bytesArb, bytesArb, (signer, other, message, otherMessage) => {
        const signature = sm2Sign(signer, message);
        if (toHex(otherMessage) !== toHex(message)) {
          expect(sm2Verify(signer.publicKey, otherMessage, signature)).toBe(false);
        }
        if (other !== signer) expect(sm2Verify(other.publicKey, message, signature)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  test('any single flipped bit of the signature makes it fail', () => {
    const key = keys[1]!;
    const message = new TextEncoder().encode('投标文件 manifest');
    const signature = sm2Sign(key, message);
    for (let bit = 0; bit < signature.length * 8; bit++) {
      const altered = Uint8Array.from(signature);
      altered[bit >> 3]! ^= 1 << (bit & 7);
      expect(sm2Verify(key.publicKey, message, altered)).toBe(false);
    }
  });

  test('r or s out of [1, n−1], and t = 0, are refused (GM/T 0003.2 §7.1 B1, B2, B5)', () => {
    const key = keys[0]!;
    const der = (r: bigint, s: bigint) => {
      const int = (v: bigint) => {
        let hex = v.toString(16);
        if (hex.length % 2) hex = `0${hex}`;
        if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
        return Buffer.concat([Buffer.of(2, hex.length / 2), Buffer.from(hex, 'hex')]);
      };
      const body = Buffer.concat([int(r), int(s)]);
      return Buffer.concat([Buffer.of(0x30, body.length), body]);
    };
    const { r, s } = reference
      .doSignature('m', key.scalarHex, { der: false, hash: true, publicKey: key.publicKey.pointHex })
      .match(/^(?<r>.{64})(?<s>.{64})$/)!.groups as { r: string; s: string };
    const R = BigInt(`0x${r}`);
    const S = BigInt(`0x${s}`);
    expect(sm2Verify(key.publicKey, 'm', der(R, S))).toBe(true);
    expect(sm2Verify(key.publicKey, 'm', der(R + SM2_N, S))).toBe(false);
    expect(sm2Verify(key.publicKey, 'm', der(R, S + SM2_N))).toBe(false);
    expect(sm2Verify(key.publicKey, 'm', der(0n, S))).toBe(false);
    expect(sm2Verify(key.publicKey, 'm', der(R, 0n))).toBe(false);
    expect(sm2Verify(key.publicKey, 'm', der(R, SM2_N - R))).toBe(false); // t = 0
  });

  test('a user ID given as bytes means its UTF-8 string', () => {
    const key = keys[3]!;
    const signature = sm2Sign(key, 'm', { userId: new TextEncoder().encode('招标人 ID') });
    expect(sm2Verify(key.publicKey, 'm', signature, { userId: '招标人 ID' })).toBe(true);
    expect(sm2Verify(key.publicKey, 'm', signature, { userId: Uint8Array.of(1, 2) })).toBe(false);
  });

  test('deterministic signing (RFC 6979 with HMAC-SM3) repeats; hedged signing does not', () => {
    const key = keys[2]!;
    const a = sm2Sign(key, 'same', { deterministic: true });
    const b = sm2Sign(key, 'same', { deterministic: true });
    expect(toHex(a)).toBe(toHex(b));
    expect(sm2Verify(key.publicKey, 'same', a)).toBe(true);
    expect(toHex(sm2Sign(key, 'same'))).not.toBe(toHex(sm2Sign(key, 'same')));
  });
});

describe('SM2 signatures against OpenSSL 3 with many keys', () => {
  test('both directions, for keys and messages fast-check picks', () => {
    ossl.run('genpkey', '-algorithm', 'SM2', '-out', 'o.pem');
    ossl.run('pkey', '-in', 'o.pem', '-pubout', '-out', 'o-pub.pem');
    const theirs = importSm2PublicKeyPem(ossl.read('o-pub.pem').toString());
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (message) => {
        ossl.write('m.bin', message);
        // Ours → OpenSSL.
        const ours = generateSm2KeyPair();
        ossl.write('k-pub.pem', exportSm2PublicKeyPem(ours.publicKey));
        ossl.write('k.sig', sm2Sign(ours, message));
        expect(
          ossl.succeeds(
            'dgst',
            '-sm3',
            '-verify',
            'k-pub.pem',
            '-sigopt',
            'distid:1234567812345678',
            '-signature',
            'k.sig',
            'm.bin',
          ),
        ).toBe(true);
        // OpenSSL → ours.
        ossl.run(
          'dgst',
          '-sm3',
          '-sign',
          'o.pem',
          '-sigopt',
          'distid:1234567812345678',
          '-out',
          'o.sig',
          'm.bin',
        );
        expect(sm2Verify(theirs, message, ossl.read('o.sig'))).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  test('a key OpenSSL reads from our PKCS#8 signs what we verify', () => {
    const ours = generateSm2KeyPair();
    ossl.write('ours.pem', exportSm2PrivateKeyPem(ours));
    ossl.write('msg', '开标 2026');
    ossl.run(
      'dgst',
      '-sm3',
      '-sign',
      'ours.pem',
      '-sigopt',
      'distid:1234567812345678',
      '-out',
      'ours.sig',
      'msg',
    );
    expect(sm2Verify(ours.publicKey, '开标 2026', ossl.read('ours.sig'))).toBe(true);
  });
});

describe('the verification walk (Jacobian, a = −3) against noble', () => {
  const scalar = fc.bigInt({ min: 0n, max: SM2_N - 1n });
  const expected = (s: bigint, q: Sm2Point, t: bigint) => {
    const sum = Sm2Point.BASE.multiplyUnsafe(s).add(q.multiplyUnsafe(t));
    return sum.is0() ? null : sum.toAffine().x;
  };

  test('s·G + t·Q equals noble for random s, t, Q, with both tables', () => {
    fc.assert(
      fc.property(scalar, scalar, fc.bigInt({ min: 1n, max: SM2_N - 1n }), (s, t, k) => {
        const q = Sm2Point.BASE.multiply(k);
        const want = expected(s, q, t);
        expect(mulAddPublic(s, { odd: oddMultiples(q) }, t)).toBe(want);
        expect(mulAddPublic(s, { odd: [], fixed: fixedTable(q, HOT_KEY_WINDOW) }, t)).toBe(want);
      }),
      { numRuns: 25 },
    );
  });

  test('exceptional sums: doubling inside an addition, the point at infinity, tiny scalars', () => {
    const g = Sm2Point.BASE;
    const tables = (q: Sm2Point) => [
      { odd: oddMultiples(q) },
      { odd: [], fixed: fixedTable(q, HOT_KEY_WINDOW) },
    ];
    const cases: [bigint, Sm2Point, bigint][] = [
      [1n, g, 1n], // G + G: the mixed addition meets the same point
      [SM2_N - 1n, g, 1n], // −G + G = O
      [5n, g.multiply(7n), SM2_N - 5n * 8123n], // with k = 7: 5G − 5·8123·7G
      [2n, g.negate(), 1n],
      [0n, g.multiply(3n), 5n],
      [7n, g.multiply(3n), 0n],
      [0n, g, 0n],
      [SM2_N - 1n, g, SM2_N - 1n],
      [3n, g.multiply(SM2_N - 1n), 3n], // Q = −G: 3G − 3G = O
    ];
    for (const [s, q, t] of cases) {
      for (const table of tables(q)) expect(mulAddPublic(s, table, t)).toBe(expected(s, q, t));
    }
  });

  test('a key verified often turns hot and still verifies and refuses correctly', () => {
    const key: Sm2PrivateKey = sm2PrivateKeyFromScalar(0x1234567890abcdefn);
    const signatures = Array.from({ length: 10 }, (_, i) => sm2Sign(key, `m${i}`));
    for (let round = 0; round < 3; round++) {
      signatures.forEach((signature, i) => {
        expect(sm2Verify(key.publicKey, `m${i}`, signature)).toBe(true);
        expect(sm2Verify(key.publicKey, `m${i + 1}`, signature)).toBe(false);
      });
    }
  });
});

describe('SM2 public keys are validated (GM/T 0003.1 §6.2)', () => {
  test('off-curve, out-of-range and infinity points are refused with a typed error', () => {
    const good = keys[0]!.publicKey.pointHex;
    const offCurve = `${good.slice(0, 128)}${((Number.parseInt(good.slice(128), 16) + 1) & 0xff).toString(16).padStart(2, '0')}`;
    const p = 'fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff';
    for (const pointHex of [
      offCurve,
      `04${'0'.repeat(128)}`,
      `04${p}${good.slice(66)}`,
      good.toUpperCase(),
      `02${good.slice(2, 66)}`,
    ]) {
      expect(() => sm2Verify({ type: 'sm2-public', pointHex }, 'm', new Uint8Array(8))).toThrow(
        CryptoInputError,
      );
    }
  });
});
