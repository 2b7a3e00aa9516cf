import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  CryptoInputError,
  CryptoIntegrityError,
  createSm4OpenStream,
  createSm4SealStream,
  generateContentKey,
  hmacSm3,
  openSm4,
  SEALED_OVERHEAD,
  type Sm4Mode,
  sealSm4,
  sm3,
  sm3Hex,
  sm3Kdf,
  sm4Decrypt,
  sm4Encrypt,
} from './index.ts';
import { opensslSandbox } from './test-openssl.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const ossl = opensslSandbox('ggzy-sm4-');
afterAll(() => ossl.remove());

describe('known answers', () => {
  test('SM3("abc") (GB/T 32905 Appendix A.1), HMAC-SM3 and KDF against OpenSSL', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    ossl.write('data', 'abc');
    const mac = ossl
      .run('dgst', '-sm3', '-mac', 'HMAC', '-macopt', 'hexkey:00112233', '-r', 'data')
      .toString();
    expect(mac.split(' ')[0]).toBe(hex(hmacSm3(fromHex('00112233'), new TextEncoder().encode('abc'))));
    // KDF(Z, klen) is SM3(Z ‖ 00000001) ‖ SM3(Z ‖ 00000002) … (GM/T 0003.4 §5.4.3).
    const z = new TextEncoder().encode('z');
    const expected = Buffer.concat([
      sm3(Uint8Array.of(...z, 0, 0, 0, 1)),
      sm3(Uint8Array.of(...z, 0, 0, 0, 2)),
    ]).subarray(0, 40);
    expect(hex(sm3Kdf(z, 40))).toBe(hex(expected));
  });

  test('SM4 example of GB/T 32907 Appendix A, once and 1,000,000 times', () => {
    const key = fromHex('0123456789abcdeffedcba9876543210');
    const zeroIv = new Uint8Array(16);
    const once = sm4Encrypt({ mode: 'cbc', key, iv: zeroIv, data: key });
    expect(hex(once.subarray(0, 16))).toBe('681edf34d206965e86b3e94f536e4246');
    // CBC with IV 0 over P ‖ 0 ‖ 0 … makes block i the i-fold encryption of P (A.2's iterated example).
    const data = new Uint8Array(16 * 1_000_000);
    data.set(key);
    const iterated = sm4Encrypt({ mode: 'cbc', key, iv: zeroIv, data });
    expect(hex(iterated.subarray(16 * 999_999, 16 * 1_000_000))).toBe('595298c7c6fd271f0402f804c33d3f66');
    expect(hex(sm4Decrypt({ mode: 'cbc', key, iv: zeroIv, data: once }))).toBe(hex(key));
  });
});

describe('raw SM4 against openssl enc', () => {
  test.each(['cbc', 'ctr'] as const)('sm4-%s both directions', (mode) => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ maxLength: 100 }),
        (key, iv, data) => {
          ossl.write('p.bin', data);
          ossl.run('enc', `-sm4-${mode}`, '-K', hex(key), '-iv', hex(iv), '-in', 'p.bin', '-out', 'c.bin');
          const theirs = ossl.read('c.bin');
          expect(hex(sm4Encrypt({ mode, key, iv, data }))).toBe(hex(theirs));
          expect(hex(sm4Decrypt({ mode, key, iv, data: theirs }))).toBe(hex(data));
          ossl.run(
            'enc',
            '-d',
            `-sm4-${mode}`,
            '-K',
            hex(key),
            '-iv',
            hex(iv),
            '-in',
            'c.bin',
            '-out',
            'd.bin',
          );
          expect(hex(ossl.read('d.bin'))).toBe(hex(data));
        },
      ),
      { numRuns: 10 },
    );
  });

  test('CTR carries across all 128 bits of the counter, as OpenSSL does', () => {
    const key = generateContentKey().subarray(0, 16);
    const iv = fromHex('0000000000000000ffffffffffffffff');
    const data = new Uint8Array(64);
    ossl.write('z.bin', data);
    ossl.run('enc', '-sm4-ctr', '-K', hex(key), '-iv', hex(iv), '-in', 'z.bin', '-out', 'zc.bin');
    expect(hex(sm4Encrypt({ mode: 'ctr', key, iv, data }))).toBe(hex(ossl.read('zc.bin')));
  });

  test('bad key or IV sizes and bad CBC ciphertexts are CryptoInputError', () => {
    const key = new Uint8Array(16);
    expect(() => sm4Encrypt({ mode: 'cbc', key: new Uint8Array(15), iv: key, data: key })).toThrow(
      CryptoInputError,
    );
    expect(() => sm4Decrypt({ mode: 'cbc', key, iv: key, data: new Uint8Array(15) })).toThrow(
      CryptoInputError,
    );
  });
});

describe('sealSm4 / openSm4 (encrypt-then-MAC)', () => {
  const modeArb = fc.constantFrom<Sm4Mode>('ctr', 'cbc');
  const keyArb = fc.oneof(
    fc.uint8Array({ minLength: 16, maxLength: 16 }),
    fc.uint8Array({ minLength: 32, maxLength: 32 }),
  );

  test('round trip with random keys, data, AAD and modes', () => {
    fc.assert(
      fc.property(
        keyArb,
        fc.uint8Array({ maxLength: 1000 }),
        fc.uint8Array({ maxLength: 40 }),
        modeArb,
        (key, data, aad, mode) => {
          const sealed = sealSm4(key, data, aad, { mode });
          expect(hex(openSm4(key, sealed, aad))).toBe(hex(data));
          if (mode === 'ctr') expect(sealed.length).toBe(data.length + SEALED_OVERHEAD);
        },
      ),
    );
  });

  test('any altered byte, the wrong key or the wrong AAD fail with CryptoIntegrityError', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        modeArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (data, mode, at, flip) => {
          const key = generateContentKey();
          const sealed = sealSm4(key, data, new Uint8Array(0), { mode });
          const altered = Uint8Array.from(sealed);
          const index = 8 + (at % (sealed.length - 8)); // past the header: header changes are format errors
          altered[index]! ^= flip;
          expect(() => openSm4(key, altered)).toThrow(CryptoIntegrityError);
          expect(() => openSm4(generateContentKey(), sealed)).toThrow(CryptoIntegrityError);
          expect(() => openSm4(key, sealed, Uint8Array.of(1))).toThrow(CryptoIntegrityError);
        },
      ),
      { numRuns: 50 },
    );
  });

  test('truncated, extended and re-headed messages are refused, never decrypted', () => {
    const key = generateContentKey();
    const sealed = sealSm4(key, new TextEncoder().encode('bid price: 1,234,000.00'));
    for (let length = 0; length < sealed.length; length++) {
      expect(() => openSm4(key, sealed.subarray(0, length))).toThrow(/SM4|数据完整性/);
    }
    expect(() => openSm4(key, Uint8Array.of(...sealed, 0))).toThrow(CryptoIntegrityError);
    const cbcHeader = Uint8Array.from(sealed);
    cbcHeader[5] = 2; // claim CBC: the header is authenticated
    expect(() => openSm4(key, cbcHeader)).toThrow(CryptoIntegrityError);
    const version2 = Uint8Array.from(sealed);
    version2[4] = 2;
    expect(() => openSm4(key, version2)).toThrow(CryptoInputError);
    expect(() => openSm4(new Uint8Array(24), sealed)).toThrow(CryptoInputError);
  });
});

async function collect(source: Iterable<Uint8Array>, transform: NodeJS.ReadWriteStream): Promise<Buffer> {
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

function chunks(data: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    out.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return out;
}

describe('streaming seal and open', () => {
  test('the stream writes exactly what sealSm4 writes, and opens it, for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 3000 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom<Sm4Mode>('ctr', 'cbc'),
        async (data, sizes, mode) => {
          const key = generateContentKey();
          const iv = generateContentKey().subarray(0, 16);
          const aad = new TextEncoder().encode('part 1');
          const sealer = createSm4SealStream(key, aad, { mode, iv });
          const sealed = await collect(chunks(data, sizes), sealer);
          expect(hex(sealed)).toBe(hex(sealSm4(key, data, aad, { mode, iv })));
          expect(hex(sealer.sealedDigest())).toBe(hex(sm3(sealed)));
          expect(sealer.sealedLength).toBe(sealed.length);
          const opened = await collect(
            chunks(sealed, sizes.reverse()),
            createSm4OpenStream(key, { aad, expectedDigest: sm3(sealed) }),
          );
          expect(hex(opened)).toBe(hex(data));
        },
      ),
      { numRuns: 40 },
    );
  });

  test('a tampered or truncated stream ends in an error and withholds its final plaintext', async () => {
    const key = generateContentKey();
    const data = new Uint8Array(200_000).map((_, i) => i & 0xff);
    const sealed = sealSm4(key, data);
    const tampered = Uint8Array.from(sealed);
    tampered[150_000]! ^= 1;
    for (const [input, error] of [
      [tampered, CryptoIntegrityError],
      [sealed.subarray(0, sealed.length - 1), CryptoIntegrityError],
      [sealed.subarray(0, 30), CryptoInputError],
    ] as const) {
      const released: Buffer[] = [];
      const run = pipeline(
        Readable.from(chunks(input, [65_536])),
        createSm4OpenStream(key),
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            released.push(chunk);
            done();
          },
        }),
      );
      await expect(run).rejects.toThrow(error);
      expect(Buffer.concat(released).length).toBeLessThan(data.length);
    }
    // The expected digest is checked too.
    await expect(
      collect([sealed], createSm4OpenStream(key, { expectedDigest: new Uint8Array(32) })),
    ).rejects.toThrow(CryptoIntegrityError);
  });

  test('32 MB through seal and open streams', async () => {
    const key = generateContentKey();
    const block = new Uint8Array(1 << 20).map((_, i) => (i * 31) & 0xff);
    const blocks = Array.from({ length: 32 }, () => block);
    const sealer = createSm4SealStream(key);
    const sealed = await collect(blocks, sealer);
    const opened = await collect(
      chunks(sealed, [1 << 16]),
      createSm4OpenStream(key, { expectedDigest: sealer.sealedDigest() }),
    );
    expect(opened.length).toBe(32 << 20);
    expect(sm3Hex(opened)).toBe(sm3Hex(Buffer.concat(blocks)));
  });
});
