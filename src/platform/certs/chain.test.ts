import { CRLReasons } from '@peculiar/asn1-x509';
import { describe, expect, test } from 'vitest';
import {
  ecKey,
  type Issued,
  makeCa,
  makeCrl,
  makeLeaf,
  rsaKey,
  sm2Key,
} from '../../../test/interop/support/pki.ts';
import { TestClock } from '../clock/index.ts';
import { buildCertificate } from './builder.ts';
import { type ChainOptions, type StoredCa, validateChain } from './chain.ts';
import { parseCrl } from './crl.ts';
import { CertificateError } from './errors.ts';
import { findCrlIssuer, MemoryCrlChecker, MemoryTrustSource } from './revocation.ts';
import { type ParsedCertificate, parseCertificateDer } from './x509.ts';

const DAY = 86_400_000;
const start = new Date('2026-03-02T01:00:00.000Z');

function trustOf(...cas: (Issued | StoredCa)[]) {
  return new MemoryTrustSource(
    cas.map((c) => ('status' in c ? c : { certificate: c.certificate, status: 'active' as const })),
  );
}

async function expectFailure(
  promise: Promise<unknown>,
  code: string,
  title: string,
  detail?: RegExp,
): Promise<CertificateError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CertificateError);
  const e = error as CertificateError;
  expect({ code: e.code, title: e.title }).toEqual({ code, title });
  if (detail) expect(e.detail).toMatch(detail);
  return e;
}

describe('chain validation 证书链验证', () => {
  const clock = new TestClock(start);
  const root = makeCa('测试根CA', clock.now());
  const intermediate = makeCa('测试中级CA', clock.now(), root, {
    basicConstraints: { ca: true, pathLen: 0 },
  });
  const leaf = makeLeaf(intermediate, clock.now(), { name: '赵刚' });
  const opts = (extra: Partial<ChainOptions> = {}): ChainOptions => ({
    at: clock.now(),
    trust: trustOf(root),
    intermediates: [intermediate.certificate],
    purpose: 'authentication',
    ...extra,
  });

  test('SM2 root → intermediate → leaf validates, intermediates from the request or the store', async () => {
    const chain = await validateChain(leaf.certificate, opts());
    expect(chain.path.map((c) => c.subject.text)).toEqual([
      leaf.certificate.subject.text,
      intermediate.certificate.subject.text,
      root.certificate.subject.text,
    ]);
    expect(chain.revocation.map((r) => r.status)).toEqual(['unknown', 'unknown']);
    const viaStore = await validateChain(
      leaf.certificate,
      opts({ trust: trustOf(root, intermediate), intermediates: [] }),
    );
    expect(viaStore.path).toHaveLength(3);
  });

  test('RSA and ECDSA P-256 chains validate too, and CAs of different algorithms mix', async () => {
    const rsaRoot = makeCa('RSA 根CA', clock.now(), undefined, { key: rsaKey() });
    const ecIntermediate = makeCa('ECDSA 中级CA', clock.now(), rsaRoot, { key: ecKey() });
    const sm2Leaf = makeLeaf(ecIntermediate, clock.now());
    const rsaLeaf = makeLeaf(rsaRoot, clock.now(), { key: rsaKey() });
    await expect(validateChain(rsaLeaf.certificate, opts({ trust: trustOf(rsaRoot) }))).resolves.toBeTruthy();
    const mixed = await validateChain(
      sm2Leaf.certificate,
      opts({ trust: trustOf(rsaRoot), intermediates: [ecIntermediate.certificate] }),
    );
    expect(mixed.path.map((c) => c.publicKey.kind)).toEqual(['sm2', 'ec-p256', 'rsa']);
  });

  test('an issuer the platform does not trust: CERT_UNTRUSTED_ISSUER', async () => {
    const otherRoot = makeCa('其他根CA', clock.now());
    await expectFailure(
      validateChain(leaf.certificate, opts({ trust: trustOf(otherRoot) })),
      'CERT_UNTRUSTED_ISSUER',
      '证书颁发者不受信任',
      /找不到颁发者/,
    );
    await expectFailure(
      validateChain(
        leaf.certificate,
        opts({ trust: trustOf(otherRoot), intermediates: [intermediate.certificate, root.certificate] }),
      ),
      'CERT_UNTRUSTED_ISSUER',
      '证书颁发者不受信任',
      /不在平台的受信任CA列表中/,
    );
    await expectFailure(
      validateChain(
        leaf.certificate,
        opts({ trust: trustOf({ certificate: root.certificate, status: 'disabled' }) }),
      ),
      'CERT_UNTRUSTED_ISSUER',
      '证书颁发者不受信任',
      /已被交易中心停用/,
    );
  });

  test('expired and not yet valid, by the clock (leaf and CA alike)', async () => {
    const later = new TestClock(start);
    later.advance(366 * DAY);
    await expectFailure(
      validateChain(leaf.certificate, opts({ at: later.now() })),
      'CERT_EXPIRED',
      '证书已过期',
      /已于 .* 过期/,
    );
    const earlier = new TestClock(start);
    earlier.advance(-2 * DAY);
    await expectFailure(
      validateChain(leaf.certificate, opts({ at: earlier.now() })),
      'CERT_NOT_YET_VALID',
      '证书尚未生效',
      /起才生效/,
    );
    const shortCa = makeCa('短期中级CA', clock.now(), root, {
      notAfter: new Date(start.getTime() + 10 * DAY),
    });
    const longLeaf = makeLeaf(shortCa, clock.now());
    const after = new TestClock(start);
    after.advance(11 * DAY);
    const e = await expectFailure(
      validateChain(longLeaf.certificate, opts({ at: after.now(), intermediates: [shortCa.certificate] })),
      'CERT_EXPIRED',
      '证书已过期',
      /CA证书（.*短期中级CA）已于/,
    );
    expect(e.certificate?.subject).toMatch(/短期中级CA/);
  });

  test('revoked by a loaded CRL: CERT_REVOKED with the reason; a revoked intermediate too', async () => {
    const crl = parseCrl(
      makeCrl(intermediate, clock.now(), [
        { certificate: leaf.certificate, reason: CRLReasons.keyCompromise },
      ]),
    );
    expect(
      findCrlIssuer(crl, [{ certificate: intermediate.certificate, status: 'active' }]).certificate
        .fingerprintSha256,
    ).toBe(intermediate.certificate.fingerprintSha256);
    await expectFailure(
      validateChain(leaf.certificate, opts({ revocation: new MemoryCrlChecker([crl]) })),
      'CERT_REVOKED',
      '证书已被吊销',
      /原因：密钥泄露/,
    );
    const otherLeaf = makeLeaf(intermediate, clock.now());
    const ok = await validateChain(otherLeaf.certificate, opts({ revocation: new MemoryCrlChecker([crl]) }));
    expect(ok.revocation[0]).toMatchObject({ status: 'good', source: 'crl' });
    const rootCrl = parseCrl(makeCrl(root, clock.now(), [{ certificate: intermediate.certificate }]));
    await expectFailure(
      validateChain(otherLeaf.certificate, opts({ revocation: new MemoryCrlChecker([rootCrl]) })),
      'CERT_REVOKED',
      '证书已被吊销',
      /证书链中的 CA 证书/,
    );
  });

  test('an encryption certificate used to sign: CERT_WRONG_KEY_USAGE', async () => {
    const enc = makeLeaf(intermediate, clock.now(), { usage: 'enc' });
    await expectFailure(
      validateChain(enc.certificate, opts()),
      'CERT_WRONG_KEY_USAGE',
      '证书用途不符',
      /不能用于签名登录；请使用签名证书而非加密证书/,
    );
    await expect(validateChain(enc.certificate, opts({ purpose: 'encryption' }))).resolves.toBeTruthy();
    await expectFailure(
      validateChain(leaf.certificate, opts({ purpose: 'encryption' })),
      'CERT_WRONG_KEY_USAGE',
      '证书用途不符',
      /不是加密证书/,
    );
  });

  test('an issuer that is not a CA, or may not sign certificates: CERT_WRONG_KEY_USAGE', async () => {
    const notCa = makeCa('非CA中级', clock.now(), root, { basicConstraints: { ca: false } });
    await expectFailure(
      validateChain(makeLeaf(notCa, clock.now()).certificate, opts({ intermediates: [notCa.certificate] })),
      'CERT_WRONG_KEY_USAGE',
      '证书用途不符',
      /不是CA证书/,
    );
    const noCertSign = makeCa('无签发用途中级', clock.now(), root, { keyUsage: ['cRLSign'] });
    await expectFailure(
      validateChain(
        makeLeaf(noCertSign, clock.now()).certificate,
        opts({ intermediates: [noCertSign.certificate] }),
      ),
      'CERT_WRONG_KEY_USAGE',
      '证书用途不符',
      /keyCertSign/,
    );
  });

  test('too long: more certificates than allowed, or beyond a pathLenConstraint: CERT_CHAIN_TOO_LONG', async () => {
    const cas: Issued[] = [root];
    for (let i = 1; i <= 4; i++) cas.push(makeCa(`第${i}级中级CA`, clock.now(), cas[i - 1]));
    const deep = makeLeaf(cas[4]!, clock.now());
    const intermediates = cas.slice(1).map((c) => c.certificate);
    await expectFailure(
      validateChain(deep.certificate, opts({ intermediates })),
      'CERT_CHAIN_TOO_LONG',
      '证书链过长',
      /最大长度 5/,
    );
    await expect(
      validateChain(deep.certificate, opts({ intermediates, maxLength: 6 })),
    ).resolves.toBeTruthy();
    // The fixture's intermediate allows no intermediate below it (pathlen:0).
    const below = makeCa('越级中级CA', clock.now(), intermediate);
    await expectFailure(
      validateChain(
        makeLeaf(below, clock.now()).certificate,
        opts({ intermediates: [intermediate.certificate, below.certificate] }),
      ),
      'CERT_CHAIN_TOO_LONG',
      '证书链过长',
      /pathLenConstraint/,
    );
  });

  test('CAs certifying each other in a circle: CERT_CHAIN_LOOP', async () => {
    // A and B each certify the other (cross-certificates), neither reaches a trusted root.
    const keyA = sm2Key();
    const keyB = sm2Key();
    const selfA = makeCa('循环CA-A', clock.now(), undefined, { key: keyA });
    const selfB = makeCa('循环CA-B', clock.now(), undefined, { key: keyB });
    const aByB = makeCa('循环CA-A', clock.now(), selfB, { key: keyA });
    const bByA = makeCa('循环CA-B', clock.now(), selfA, { key: keyB });
    const looping = makeLeaf(aByB, clock.now());
    await expectFailure(
      validateChain(looping.certificate, opts({ intermediates: [aByB.certificate, bByA.certificate] })),
      'CERT_CHAIN_LOOP',
      '证书链存在循环',
      /循环/,
    );
  });

  test('a forged certificate (same issuer name, another key) or a tampered one: CERT_BAD_SIGNATURE', async () => {
    const impostor = makeCa('测试中级CA', clock.now(), root, {
      basicConstraints: { ca: true, pathLen: 0 },
      omitKeyIdentifiers: true,
    });
    const forged = makeLeaf({ certificate: intermediate.certificate, key: impostor.key }, clock.now(), {
      omitKeyIdentifiers: true,
    });
    await expectFailure(
      validateChain(forged.certificate, opts()),
      'CERT_BAD_SIGNATURE',
      '签名验证失败',
      /不是由颁发者/,
    );
    const tampered = tamper(leaf.certificate, '赵刚', '赵钢');
    await expectFailure(
      validateChain(tampered, opts()),
      'CERT_BAD_SIGNATURE',
      '签名验证失败',
      /可能被篡改或伪造/,
    );
  });

  test('an unknown critical extension: CERT_MALFORMED (RFC 5280 §4.2)', async () => {
    const { Extension } = await import('@peculiar/asn1-x509');
    const { OctetString } = await import('@peculiar/asn1-schema');
    const odd = makeLeaf(intermediate, clock.now(), {
      extraExtensions: [
        new Extension({
          extnID: '1.2.3.4.5',
          critical: true,
          extnValue: new OctetString(Uint8Array.of(5, 0)),
        }),
      ],
    });
    await expectFailure(
      validateChain(odd.certificate, opts()),
      'CERT_MALFORMED',
      '证书格式错误',
      /1\.2\.3\.4\.5/,
    );
  });

  test('a rolled-over CA key: the authority key identifier picks the right issuer certificate', async () => {
    const newKey = sm2Key();
    const rolled = makeCa('测试中级CA', clock.now(), root, {
      key: newKey,
      basicConstraints: { ca: true, pathLen: 0 },
    });
    const newLeaf = makeLeaf(rolled, clock.now());
    const chain = await validateChain(
      newLeaf.certificate,
      opts({ intermediates: [intermediate.certificate, rolled.certificate] }),
    );
    expect(chain.path[1]!.fingerprintSha256).toBe(rolled.certificate.fingerprintSha256);
  });

  test('a certificate signed with a key of another type than the issuer’s is refused', async () => {
    const rsaRoot = makeCa('测试根CA', clock.now(), undefined, { key: rsaKey() });
    // Issued under the SM2 root's name, but the store only has an RSA CA by that name (no key ids to tell).
    const sm2Leaf = makeLeaf(root, clock.now(), { omitKeyIdentifiers: true });
    await expectFailure(
      validateChain(sm2Leaf.certificate, opts({ trust: trustOf(rsaRoot), intermediates: [] })),
      'CERT_BAD_SIGNATURE',
      '签名验证失败',
      /密钥类型不符/,
    );
  });
});

/** The same certificate with some bytes of its subject changed: the issuer's signature no longer fits. */
function tamper(cert: ParsedCertificate, from: string, to: string): ParsedCertificate {
  const der = Buffer.from(cert.der);
  const at = der.indexOf(Buffer.from(from));
  Buffer.from(to).copy(der, at);
  return parseCertificateDer(new Uint8Array(der));
}

describe('SM2 certificates signed with an empty user ID', () => {
  test('are refused with the reason (OpenSSL without -sigopt distid)', async () => {
    const { sm2Sign } = await import('../crypto/index.ts');
    const { AsnConvert } = await import('@peculiar/asn1-schema');
    const { Certificate } = await import('@peculiar/asn1-x509');
    const root = makeCa('空标识根CA', start);
    const leaf = makeLeaf(root, start);
    // Re-sign the leaf's TBS with the empty ID, as `openssl x509 -req -sm3` does without -sigopt distid.
    const cert = AsnConvert.parse(leaf.certificate.der, Certificate);
    if (root.key.kind !== 'sm2') throw new Error('SM2 expected');
    cert.signatureValue = new Uint8Array(
      sm2Sign(root.key.sm2, leaf.certificate.tbs, { userId: '' }),
    ).slice().buffer;
    const resigned = parseCertificateDer(new Uint8Array(AsnConvert.serialize(cert)));
    await expectFailure(
      validateChain(resigned, { at: start, trust: trustOf(root), purpose: 'authentication' }),
      'CERT_BAD_SIGNATURE',
      '签名验证失败',
      /空用户标识.*-sigopt distid:1234567812345678/,
    );
  });
});

test('buildCertificate refuses a template without a signing key', () => {
  const key = sm2Key();
  expect(() =>
    buildCertificate({ subject: [['CN', 'x']], publicKey: key.publicKey, notBefore: start, notAfter: start }),
  ).toThrow();
});
