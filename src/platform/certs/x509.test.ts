import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { makeCa, makeLeaf, rsaKey } from '../../../test/interop/support/pki.ts';
import { TestClock } from '../clock/index.ts';
import { buildCertificate } from './builder.ts';
import { creditCodeCheckCharacter, findCreditCode, isValidCreditCode } from './credit-code.ts';
import { CertificateError } from './errors.ts';
import { toPem } from './pem.ts';
import { parseCertificate, parseCertificates } from './x509.ts';

const clock = new TestClock('2026-03-02T01:00:00.000Z');

function expectCertError(fn: () => unknown, code: string, title: string): CertificateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CertificateError);
    const e = error as CertificateError;
    expect(e.code).toBe(code);
    expect(e.title).toBe(title);
    return e;
  }
  throw new Error(`expected ${code}`);
}

describe('parsing X.509 证书解析', () => {
  const root = makeCa('测试根CA', clock.now());

  test('reads Chinese names, serial, validity, key, usages, identifiers, SAN and the credit code', () => {
    const leaf = makeLeaf(root, clock.now(), {
      name: '赵刚',
      organization: '内蒙古北疆建设工程有限公司',
      creditCode: '91150100MA0N0R0B39',
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.2'],
      subjectAltNames: { email: ['zhao@example.cn'] },
    }).certificate;
    expect(leaf.subject.text).toBe(
      'C=CN, O=内蒙古北疆建设工程有限公司, organizationIdentifier=91150100MA0N0R0B39, CN=赵刚',
    );
    expect(leaf.issuer.text).toBe('C=CN, O=测试CA机构, CN=测试根CA');
    expect(leaf.issuer.key).toBe(root.certificate.subject.key);
    expect(leaf.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(leaf.version).toBe(3);
    expect(leaf.publicKey.kind).toBe('sm2');
    expect(leaf.signatureAlgorithm).toEqual({ algorithm: 'sm2-sm3' });
    expect(leaf.extensions.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(leaf.extensions.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(leaf.extensions.basicConstraints).toEqual({ ca: false, pathLen: null, critical: true });
    expect(leaf.extensions.authorityKeyId).toBe(root.certificate.extensions.subjectKeyId);
    expect(leaf.extensions.subjectAltNames).toEqual([{ type: 'email', value: 'zhao@example.cn' }]);
    expect(leaf.creditCode).toBe('91150100MA0N0R0B39');
    expect(leaf.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(leaf.fingerprintSm3).toMatch(/^[0-9a-f]{64}$/);
    expect(leaf.selfIssued).toBe(false);
    expect(root.certificate.selfIssued).toBe(true);
  });

  test('PEM, base64 DER and DER bytes all read the same; a bundle reads in order', () => {
    const leaf = makeLeaf(root, clock.now()).certificate;
    const pem = toPem('CERTIFICATE', leaf.der);
    expect(parseCertificate(pem).fingerprintSha256).toBe(leaf.fingerprintSha256);
    expect(parseCertificate(Buffer.from(leaf.der).toString('base64')).fingerprintSha256).toBe(
      leaf.fingerprintSha256,
    );
    expect(parseCertificate(leaf.der).fingerprintSha256).toBe(leaf.fingerprintSha256);
    const bundle = parseCertificates(pem + toPem('CERTIFICATE', root.certificate.der));
    expect(bundle.map((c) => c.subject.text)).toEqual([leaf.subject.text, root.certificate.subject.text]);
  });

  test('finds the credit code in OU, serialNumber or the CN text, and ignores look-alikes', () => {
    const at = clock.now();
    const subjectWith = (attrs: [string, string][]) =>
      parseCertificate(
        buildCertificate({
          subject: attrs,
          issuer: { certificate: root.certificate, key: root.key },
          publicKey: root.key.publicKey,
          notBefore: at,
          notAfter: new Date(at.getTime() + 86_400_000),
        }),
      ).creditCode;
    expect(subjectWith([['OU', '91150100MA0N0R0B39']])).toBe('91150100MA0N0R0B39');
    expect(subjectWith([['serialNumber', '91330100799655058B']])).toBe('91330100799655058B');
    expect(subjectWith([['CN', '内蒙古某公司@91440300708461136T']])).toBe('91440300708461136T');
    // A citizen ID number (18 characters) with the wrong check character for a credit code.
    expect(subjectWith([['serialNumber', '110101199003071234']])).toBeNull();
    expect(subjectWith([['OU', '91150100MA0N0R0B38']])).toBeNull();
  });

  test('an RSA certificate reads with its key size', () => {
    const rsaRoot = makeCa('RSA 根CA', clock.now(), undefined, { key: rsaKey() });
    expect(rsaRoot.certificate.publicKey).toMatchObject({ kind: 'rsa', bits: 2048 });
    expect(rsaRoot.certificate.signatureAlgorithm).toEqual({ algorithm: 'rsa-pkcs1-sha256' });
  });

  test('malformed PEM and DER are CERT_MALFORMED, with a Chinese explanation', () => {
    const good = makeLeaf(root, clock.now()).certificate.der;
    const title = '证书格式错误';
    expectCertError(() => parseCertificate('not a certificate at all!'), 'CERT_MALFORMED', title);
    expectCertError(
      () => parseCertificate('-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----\n'),
      'CERT_MALFORMED',
      title,
    );
    expectCertError(() => parseCertificate(good.subarray(0, good.length - 10)), 'CERT_MALFORMED', title);
    expectCertError(() => parseCertificate(Buffer.concat([good, Buffer.of(0)])), 'CERT_MALFORMED', title);
    // BER's indefinite length is not DER.
    const ber = Buffer.from(good);
    ber[1] = 0x80;
    const e = expectCertError(() => parseCertificate(ber), 'CERT_MALFORMED', title);
    expect(e.detail).toMatch(/DER/);
    expectCertError(
      () => parseCertificate(toPem('CERTIFICATE', Buffer.from('3003020101', 'hex'))),
      'CERT_MALFORMED',
      title,
    );
    expectCertError(() => parseCertificate(''), 'CERT_MALFORMED', title);
  });

  test('an unsupported key type is named as such', () => {
    // An Ed25519 certificate from `openssl req -x509 -newkey ed25519`: well formed, but not a key this platform uses.
    const der = Buffer.from(
      'MIIBQjCB9aADAgECAhRK2VJnZjFhiWXY/3xlnXE4a7J/kTAFBgMrZXAwFzEVMBMGA1UEAwwMZWQyNTUxOS10ZXN0MB4XDTI2MTEyODAyMDQzMVoXDTM2MTEyNTAyMDQzMVowFzEVMBMGA1UEAwwMZWQyNTUxOS10ZXN0MCowBQYDK2VwAyEAkQo+hb64cVjdgdUOohK7ul3aT3Z+0uMIP8OEMscT5RejUzBRMB0GA1UdDgQWBBQwJNZYTb3tj7ZronOh0IYFw5UvmDAfBgNVHSMEGDAWgBQwJNZYTb3tj7ZronOh0IYFw5UvmDAPBgNVHRMBAf8EBTADAQH/MAUGAytlcANBAJStF+TInTaBjIaFtOVU8BdEWbILIA0Gyjv4xQwvltNOGo7s2J9y6VDsy+OnX+HA96YbWr/Og6hZ8wtryE2KlQk=',
      'base64',
    );
    expectCertError(() => parseCertificate(der), 'CERT_UNSUPPORTED_ALGORITHM', '不支持的证书算法');
  });
});

describe('统一社会信用代码 (GB 32100-2015)', () => {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const code = fc
    .tuple(
      fc.constantFrom(...'159Y'),
      fc.constantFrom(...'123'),
      fc.stringMatching(/^\d{6}$/),
      fc.array(fc.constantFrom(...alphabet), { minLength: 9, maxLength: 9 }),
    )
    .map(([a, b, region, org]) => {
      const first17 = `${a}${b}${region}${org.join('')}`;
      return first17 + creditCodeCheckCharacter(first17)!;
    });

  test('published codes check out', () => {
    for (const c of ['91330100799655058B', '91440300708461136T', '91110000100010433L'])
      expect(isValidCreditCode(c)).toBe(true);
  });

  test('every code with its check character is valid and found in surrounding text', () => {
    fc.assert(
      fc.property(code, (c) => {
        expect(isValidCreditCode(c)).toBe(true);
        expect(findCreditCode(`统一社会信用代码：${c}（演示）`)).toBe(c);
      }),
    );
  });

  test('any single changed character is caught (the weights are all non-zero modulo 31)', () => {
    fc.assert(
      fc.property(code, fc.nat(17), fc.constantFrom(...alphabet), (c, position, replacement) => {
        fc.pre(c[position] !== replacement);
        const changed = c.slice(0, position) + replacement + c.slice(position + 1);
        expect(isValidCreditCode(changed)).toBe(false);
      }),
    );
  });
});
