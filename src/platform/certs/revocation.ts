import type { RevocationChecker, RevocationStatus, StoredCa, TrustSource } from './chain.ts';
import type { ParsedCrl } from './crl.ts';
import { CertificateError } from './errors.ts';
import { verifySignature } from './signatures.ts';
import { allowsKeyUsage, type ParsedCertificate } from './x509.ts';

/**
 * Revocation by CRL (RFC 5280 §5, §6.3), for an in-memory list (the command line) — the database's
 * checker in trust-store.ts answers the same way. A certificate whose issuer has no CRL loaded is
 * 'unknown', which the chain accepts: the platform cannot demand CRLs from every CA it trusts, and a
 * CRL once loaded only ever revokes. OCSP (RFC 6960) would be another RevocationChecker; not implemented.
 */
export class MemoryCrlChecker implements RevocationChecker {
  constructor(private readonly crls: readonly ParsedCrl[]) {}

  async check(certificate: ParsedCertificate, issuer: ParsedCertificate): Promise<RevocationStatus> {
    const latest = this.crls
      .filter((c) => c.issuer.key === issuer.subject.key)
      .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
    if (!latest) return { status: 'unknown', reason: '未加载该CA的证书吊销列表' };
    const entry = latest.revoked.find((r) => r.serialNumber === certificate.serialNumber);
    if (entry) return { status: 'revoked', source: 'crl', revokedAt: entry.revokedAt, reason: entry.reason };
    return { status: 'good', source: 'crl', thisUpdate: latest.thisUpdate, nextUpdate: latest.nextUpdate };
  }
}

/** Several checkers in order; the first definite answer ('good' or 'revoked') wins. */
export function firstDefinite(checkers: readonly RevocationChecker[]): RevocationChecker {
  return {
    async check(certificate, issuer, at) {
      let last: RevocationStatus = { status: 'unknown', reason: '未配置吊销检查' };
      for (const checker of checkers) {
        last = await checker.check(certificate, issuer, at);
        if (last.status !== 'unknown') return last;
      }
      return last;
    },
  };
}

/** Trusted CAs given as a list (the command line's --trust files). */
export class MemoryTrustSource implements TrustSource {
  constructor(private readonly cas: readonly StoredCa[]) {}
  async casNamed(nameKey: string): Promise<StoredCa[]> {
    return this.cas.filter((c) => c.certificate.subject.key === nameKey);
  }
}

/**
 * The CA that signed this CRL, among the store's CAs of the CRL's issuer name: its key must verify the
 * CRL's signature and, if it states key usages, include cRLSign (RFC 5280 §6.3.3 (f)).
 */
export function findCrlIssuer(crl: ParsedCrl, candidates: readonly StoredCa[]): StoredCa {
  const named = candidates.filter(
    (c) =>
      c.certificate.subject.key === crl.issuer.key &&
      (!crl.authorityKeyId ||
        !c.certificate.extensions.subjectKeyId ||
        c.certificate.extensions.subjectKeyId === crl.authorityKeyId),
  );
  if (named.length === 0) {
    throw new CertificateError(
      'CERT_UNTRUSTED_ISSUER',
      `CRL 的颁发者「${crl.issuer.text}」不在平台的受信任CA列表中，请先添加该CA证书。`,
    );
  }
  const algorithm = crl.signatureAlgorithm;
  if ('unsupported' in algorithm)
    throw new CertificateError(
      'CERT_UNSUPPORTED_ALGORITHM',
      `CRL 签名算法不受支持：${algorithm.unsupported}。`,
    );
  const signer = named.find((c) =>
    verifySignature({
      algorithm: algorithm.algorithm,
      publicKey: c.certificate.publicKey,
      data: crl.tbs,
      signature: crl.signature,
      ...(algorithm.saltLength === undefined ? {} : { saltLength: algorithm.saltLength }),
    }),
  );
  if (!signer) {
    throw new CertificateError(
      'CERT_BAD_SIGNATURE',
      `CRL 的签名不能用颁发者「${crl.issuer.text}」的公钥验证通过${algorithm.algorithm === 'sm2-sm3' ? '（SM2 签名应使用默认用户标识 1234567812345678）' : ''}。`,
    );
  }
  if (!allowsKeyUsage(signer.certificate, 'cRLSign')) {
    throw new CertificateError(
      'CERT_WRONG_KEY_USAGE',
      `CA证书（${signer.certificate.subject.text}）的密钥用途不含“CRL签发”（cRLSign）。`,
      {
        citation: 'RFC 5280 §4.2.1.3',
      },
    );
  }
  return signer;
}
