import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  CertificateError,
  findCrlIssuer,
  MemoryCrlChecker,
  MemoryTrustSource,
  type ParsedCertificate,
  parseCertificate,
  parseCrl,
  toPem,
  validateChain,
} from '../../src/platform/certs/index.ts';
import {
  DISTID,
  makeCa,
  makeCrl,
  makeLeaf,
  openssl,
  opensslChain,
  opensslCrl,
  opensslStatus,
} from './support/pki.ts';

/**
 * X.509 interoperability with OpenSSL 3.0 (DESIGN §5): chains, CRLs and SM2 signatures made by the
 * `openssl` command line validate here, and OpenSSL verifies what this platform makes.
 *
 * What OpenSSL 3.0 does with the SM2 user ID (checked here, see docs/certificates.md):
 * - `req`/`x509 -req`/`ca` sign with the GM/T 0009 default ID only when given `-sigopt distid:…`; without
 *   it they sign with an EMPTY ID.
 * - `openssl verify` checks with an empty ID unless `-vfyopt distid:…`, which applies to the target
 *   certificate only — so it verifies root → leaf, but not the intermediate of a 3-level SM2 chain.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'ggzy-interop-certs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const read = (file: string) => parseCertificate(readFileSync(file));
const trustOf = (...certs: ParsedCertificate[]) =>
  new MemoryTrustSource(certs.map((certificate) => ({ certificate, status: 'active' as const })));

describe('certificates made by OpenSSL', () => {
  const sm2 = opensslChain(path.join(dir, 'sm2'), 'sm2', { creditCode: '91150100MA0N0R0B39' });
  const rsa = opensslChain(path.join(dir, 'rsa'), 'rsa');

  test('an SM2 chain root → intermediate → leaf (SM2-with-SM3, distid 1234567812345678) validates', async () => {
    const leaf = read(sm2.sign.cert);
    expect(leaf.signatureAlgorithm).toEqual({ algorithm: 'sm2-sm3' });
    expect(leaf.publicKey.kind).toBe('sm2');
    expect(leaf.subject.text).toBe('C=CN, O=内蒙古互认测试有限公司, OU=91150100MA0N0R0B39, CN=钱七');
    expect(leaf.creditCode).toBe('91150100MA0N0R0B39');
    const chain = await validateChain(leaf, {
      at: new Date(),
      trust: trustOf(read(sm2.root)),
      intermediates: [read(sm2.intermediate)],
      purpose: 'authentication',
    });
    expect(chain.path.map((c) => c.subject.text)).toEqual([
      leaf.subject.text,
      'C=CN, O=互认测试CA, CN=互认测试中级CA SM2',
      'C=CN, O=互认测试CA, CN=互认测试根CA SM2',
    ]);
    await expect(
      validateChain(read(sm2.enc.cert), {
        at: new Date(),
        trust: trustOf(read(sm2.root)),
        intermediates: [read(sm2.intermediate)],
        purpose: 'encryption',
      }),
    ).resolves.toBeTruthy();
  });

  test('an RSA chain validates', async () => {
    const leaf = read(rsa.sign.cert);
    expect(leaf.publicKey).toMatchObject({ kind: 'rsa', bits: 2048 });
    const chain = await validateChain(leaf, {
      at: new Date(),
      trust: trustOf(read(rsa.root)),
      intermediates: [read(rsa.intermediate)],
      purpose: 'signing',
    });
    expect(chain.path).toHaveLength(3);
  });

  test('fingerprints and fields agree with `openssl x509`', () => {
    const leaf = read(sm2.sign.cert);
    const sha256 = openssl(['x509', '-in', sm2.sign.cert, '-noout', '-fingerprint', '-sha256'], dir);
    const sm3 = openssl(['x509', '-in', sm2.sign.cert, '-noout', '-fingerprint', '-sm3'], dir);
    const serial = openssl(['x509', '-in', sm2.sign.cert, '-noout', '-serial'], dir);
    const hex = (line: string) => line.split('=')[1]!.trim().replaceAll(':', '').toLowerCase();
    expect(leaf.fingerprintSha256).toBe(hex(sha256));
    expect(leaf.fingerprintSm3).toBe(hex(sm3));
    expect(leaf.serialNumber).toBe(hex(serial).replace(/^(00)+(?=.)/, ''));
  });

  test('an SM2 CRL from `openssl ca -gencrl` verifies against its CA and revokes the certificate', async () => {
    const crlDir = path.join(dir, 'sm2-crl');
    const crlFile = opensslCrl(
      crlDir,
      { cert: sm2.intermediate, key: path.join(sm2.dir, 'int.key') },
      sm2.sign.cert,
      'sm2',
    );
    const crl = parseCrl(readFileSync(crlFile));
    expect(crl.revoked[0]).toMatchObject({
      serialNumber: read(sm2.sign.cert).serialNumber,
      reason: 'keyCompromise',
    });
    expect(crl.crlNumber).toBe('4096');
    const issuer = findCrlIssuer(crl, [{ certificate: read(sm2.intermediate), status: 'active' }]);
    expect(issuer.certificate.subject.text).toContain('中级CA SM2');
    const failure = await validateChain(read(sm2.sign.cert), {
      at: new Date(),
      trust: trustOf(read(sm2.root)),
      intermediates: [read(sm2.intermediate)],
      revocation: new MemoryCrlChecker([crl]),
      purpose: 'authentication',
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CertificateError);
    expect(failure).toMatchObject({ code: 'CERT_REVOKED', title: '证书已被吊销' });
  });

  test('an SM2 certificate OpenSSL signed without -sigopt distid (empty ID) is refused, and says why', async () => {
    const d = path.join(dir, 'sm2-empty-id');
    openssl(['genpkey', '-algorithm', 'SM2', '-out', `${d}-leaf.key`], dir);
    openssl(
      [
        'req',
        '-new',
        '-key',
        `${d}-leaf.key`,
        '-sm3',
        '-sigopt',
        DISTID,
        '-subj',
        '/CN=empty-id',
        '-out',
        `${d}.csr`,
      ],
      dir,
    );
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${d}.csr`,
        '-CA',
        sm2.root,
        '-CAkey',
        path.join(sm2.dir, 'root.key'),
        '-CAcreateserial',
        '-sm3',
        '-vfyopt',
        DISTID,
        '-days',
        '30',
        '-out',
        `${d}.pem`,
      ],
      dir,
    );
    const failure = await validateChain(read(`${d}.pem`), {
      at: new Date(),
      trust: trustOf(read(sm2.root)),
      purpose: 'authentication',
    }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'CERT_BAD_SIGNATURE', title: '签名验证失败' });
    expect((failure as CertificateError).detail).toMatch(/空用户标识/);
  });
});

describe('OpenSSL verifies what this platform makes', () => {
  const at = new Date();
  const root = makeCa('平台签发根CA', at);
  const intermediate = makeCa('平台签发中级CA', at, root);
  const leaf = makeLeaf(intermediate, at, { name: '赵刚' });
  const write = (name: string, der: Uint8Array, label = 'CERTIFICATE') => {
    const file = path.join(dir, name);
    writeFileSync(file, toPem(label, der));
    return file;
  };
  const rootFile = write('our-root.pem', root.certificate.der);
  const intFile = write('our-int.pem', intermediate.certificate.der);
  const leafFile = write('our-leaf.pem', leaf.certificate.der);

  test('each SM2 link verifies with -vfyopt distid:1234567812345678 and fails with OpenSSL’s empty default', () => {
    expect(opensslStatus(['verify', '-CAfile', rootFile, '-vfyopt', DISTID, intFile], dir)).toMatchObject({
      status: 0,
    });
    expect(
      opensslStatus(['verify', '-partial_chain', '-CAfile', intFile, '-vfyopt', DISTID, leafFile], dir),
    ).toMatchObject({ status: 0 });
    expect(opensslStatus(['verify', '-CAfile', rootFile, intFile], dir).status).not.toBe(0);
  });

  test('our root’s self-signature verifies with `openssl dgst -sm3 -sigopt distid` over its TBS', () => {
    // `openssl verify -check_ss_sig` would check it with an empty ID (-vfyopt does not reach trust anchors).
    writeFileSync(path.join(dir, 'root-tbs.bin'), root.certificate.tbs);
    writeFileSync(path.join(dir, 'root-sig.der'), root.certificate.signature);
    openssl(['x509', '-in', rootFile, '-noout', '-pubkey', '-out', 'root-pub.pem'], dir);
    const out = openssl(
      [
        'dgst',
        '-sm3',
        '-verify',
        'root-pub.pem',
        '-sigopt',
        DISTID,
        '-signature',
        'root-sig.der',
        'root-tbs.bin',
      ],
      dir,
    );
    expect(out).toMatch(/Verified OK/);
  });

  test('the text OpenSSL prints shows our Chinese names and extensions', () => {
    const text = openssl(['x509', '-in', leafFile, '-noout', '-text', '-nameopt', 'utf8'], dir);
    expect(text).toContain('Signature Algorithm: SM2-with-SM3');
    expect(text).toContain('CN=赵刚');
    expect(text).toContain('Digital Signature, Non Repudiation');
    expect(text).toContain('ASN1 OID: SM2');
  });

  test('our SM2 CRL’s signature verifies with `openssl dgst -sm3 -sigopt distid` over its TBS', () => {
    const crl = parseCrl(makeCrl(intermediate, at, [{ certificate: leaf.certificate }]));
    writeFileSync(path.join(dir, 'crl-tbs.bin'), crl.tbs);
    writeFileSync(path.join(dir, 'crl-sig.der'), crl.signature);
    openssl(['x509', '-in', intFile, '-noout', '-pubkey', '-out', 'int-pub.pem'], dir);
    const out = openssl(
      [
        'dgst',
        '-sm3',
        '-verify',
        'int-pub.pem',
        '-sigopt',
        DISTID,
        '-signature',
        'crl-sig.der',
        'crl-tbs.bin',
      ],
      dir,
    );
    expect(out).toMatch(/Verified OK/);
    expect(openssl(['crl', '-in', write('our.crl', crl.der, 'X509 CRL'), '-noout', '-text'], dir)).toContain(
      'Revoked Certificates',
    );
  });
});
