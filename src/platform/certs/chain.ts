import { type CertErrorCode, CertificateError } from './errors.ts';
import { verifySignature } from './signatures.ts';
import { allowsKeyUsage, KEY_USAGE_NAMES_ZH, type ParsedCertificate } from './x509.ts';

/**
 * Certification path validation (RFC 5280 §6, simplified to what 公共资源交易 needs, §32 CA 互认):
 * build a path from the presented certificate to an active trusted root in the store — through
 * intermediates from the store or sent with the certificate — checking at every step the issuer's
 * signature (SM2 with SM3 and the GM/T 0009 default ID for SM2 certificates), validity at the given time,
 * basicConstraints CA and pathLenConstraint, keyUsage keyCertSign, unknown critical extensions, a maximum
 * length and loops; then revocation of every certificate below the root. Policies and name constraints
 * are not processed (documented in docs/certificates.md).
 */

/** What the presented certificate is for. */
export type CertificatePurpose =
  /** Signing a login challenge: digitalSignature (RFC 5280 §4.2.1.3). */
  | 'authentication'
  /** Signing documents: digitalSignature or nonRepudiation (contentCommitment). */
  | 'signing'
  /** Encryption certificate of a dual pair: keyEncipherment, dataEncipherment or keyAgreement. */
  | 'encryption'
  /** A CA certificate: CA:true and keyCertSign. */
  | 'ca';

export interface StoredCa {
  certificate: ParsedCertificate;
  status: 'active' | 'disabled';
}

/** Where trusted CA certificates come from: the database trust store, or a list given on a command line. */
export interface TrustSource {
  /** CA certificates whose subject matches this name key (DistinguishedName.key), active and disabled. */
  casNamed(nameKey: string): Promise<StoredCa[]>;
}

export type RevocationStatus =
  | { status: 'good'; source: 'crl'; thisUpdate: Date; nextUpdate: Date | null }
  | { status: 'revoked'; source: 'crl' | 'ocsp'; revokedAt: Date; reason: string | null }
  | { status: 'unknown'; reason: string };

/**
 * Revocation lookup for one certificate and its issuer. Implemented by loaded CRLs; an OCSP checker
 * (RFC 6960) would implement the same interface — it is not implemented yet.
 */
export interface RevocationChecker {
  check(certificate: ParsedCertificate, issuer: ParsedCertificate, at: Date): Promise<RevocationStatus>;
}

export interface ChainOptions {
  /** The time of the check: the server's clock, never the client's. */
  at: Date;
  trust: TrustSource;
  purpose: CertificatePurpose;
  /** Intermediates sent with the certificate; untrusted until they chain to a trusted root. */
  intermediates?: ParsedCertificate[];
  revocation?: RevocationChecker;
  /** Most certificates in a path, leaf and root included. */
  maxLength?: number;
}

export interface ValidatedChain {
  /** The presented certificate first, the trusted root last. */
  path: ParsedCertificate[];
  /** For each certificate below the root, what revocation checking found. */
  revocation: RevocationStatus[];
}

export const DEFAULT_MAX_CHAIN_LENGTH = 5;

/** Validates `leaf` for `purpose`; throws a CertificateError with the first reason it cannot be trusted. */
export async function validateChain(leaf: ParsedCertificate, opts: ChainOptions): Promise<ValidatedChain> {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_CHAIN_LENGTH;
  checkOwnFields(leaf, opts.at);
  checkPurpose(leaf, opts.purpose);
  const path = await extend([leaf], opts, maxLength);
  const revocation: RevocationStatus[] = [];
  for (let i = 0; i < path.length - 1; i++) {
    const status = opts.revocation
      ? await opts.revocation.check(path[i]!, path[i + 1]!, opts.at)
      : ({ status: 'unknown', reason: '未配置吊销检查' } as const);
    if (status.status === 'revoked') {
      throw new CertificateError(
        'CERT_REVOKED',
        `${i === 0 ? '证书' : `证书链中的 CA 证书（${path[i]!.subject.text}）`}已于 ${status.revokedAt.toISOString()} 被颁发者吊销${status.reason ? `（原因：${REVOCATION_REASONS_ZH[status.reason] ?? status.reason}）` : ''}。`,
        { certificate: who(path[i]!), citation: 'RFC 5280 §6.3' },
      );
    }
    revocation.push(status);
  }
  return { path, revocation };
}

export const REVOCATION_REASONS_ZH: Record<string, string> = {
  unspecified: '未说明',
  keyCompromise: '密钥泄露',
  cACompromise: 'CA 密钥泄露',
  affiliationChanged: '隶属关系变更',
  superseded: '已被替换',
  cessationOfOperation: '停止使用',
  certificateHold: '证书挂起',
  privilegeWithdrawn: '权限撤销',
  aACompromise: '属性机构泄露',
};

async function extend(
  path: ParsedCertificate[],
  opts: ChainOptions,
  maxLength: number,
): Promise<ParsedCertificate[]> {
  const current = path[path.length - 1]!;
  const stored = await opts.trust.casNamed(current.issuer.key);

  if (current.selfIssued && signedBy(current, current) === true) {
    // A self-signed certificate ends the path: trusted only if the store holds it, active.
    const entry = stored.find((s) => s.certificate.fingerprintSha256 === current.fingerprintSha256);
    if (entry?.status === 'active') return path;
    throw new CertificateError(
      'CERT_UNTRUSTED_ISSUER',
      entry
        ? `根证书（${current.subject.text}）已被交易中心停用。`
        : `根证书（${current.subject.text}）不在平台的受信任CA列表中。`,
      { certificate: who(current) },
    );
  }

  const candidates = new Map<
    string,
    { certificate: ParsedCertificate; source: 'active' | 'disabled' | 'supplied' }
  >();
  for (const s of stored)
    candidates.set(s.certificate.fingerprintSha256, { certificate: s.certificate, source: s.status });
  for (const c of opts.intermediates ?? []) {
    if (c.subject.key === current.issuer.key && !candidates.has(c.fingerprintSha256)) {
      candidates.set(c.fingerprintSha256, { certificate: c, source: 'supplied' });
    }
  }
  const keyMatched = [...candidates.values()].filter(
    // RFC 5280 §4.2.1.1: the authority key identifier picks the issuer's key when a CA has several.
    (c) =>
      !current.extensions.authorityKeyId ||
      !c.certificate.extensions.subjectKeyId ||
      c.certificate.extensions.subjectKeyId === current.extensions.authorityKeyId,
  );
  if (keyMatched.length === 0) {
    throw new CertificateError(
      'CERT_UNTRUSTED_ISSUER',
      `找不到颁发者「${current.issuer.text}」的受信任CA证书；请确认该CA已由交易中心加入信任列表，或随证书提交中级CA证书。`,
      { certificate: who(current) },
    );
  }

  const failures: CertificateError[] = [];
  for (const candidate of keyMatched) {
    try {
      const issuer = candidate.certificate;
      checkIssuer(current, issuer, path, maxLength, opts.at);
      if (candidate.source === 'disabled') {
        throw new CertificateError(
          'CERT_UNTRUSTED_ISSUER',
          `颁发者CA（${issuer.subject.text}）已被交易中心停用。`,
          {
            certificate: who(issuer),
          },
        );
      }
      const next = [...path, issuer];
      if (issuer.selfIssued && candidate.source === 'active') return next;
      return await extend(next, opts, maxLength);
    } catch (error) {
      if (!(error instanceof CertificateError)) throw error;
      failures.push(error);
    }
  }
  throw mostTelling(failures);
}

/** The checks on one link: `issuer` may have signed `current`, at the end of `path`. */
function checkIssuer(
  current: ParsedCertificate,
  issuer: ParsedCertificate,
  path: ParsedCertificate[],
  maxLength: number,
  at: Date,
): void {
  if (path.some((c) => c.fingerprintSha256 === issuer.fingerprintSha256)) {
    throw new CertificateError(
      'CERT_CHAIN_LOOP',
      `证书链在「${issuer.subject.text}」处形成循环，无法到达受信任的根证书。`,
      {
        certificate: who(issuer),
      },
    );
  }
  if (path.length + 1 > maxLength) {
    throw new CertificateError(
      'CERT_CHAIN_TOO_LONG',
      `证书链超过平台允许的最大长度 ${maxLength}（含根证书）。`,
      {
        certificate: who(current),
      },
    );
  }
  const signed = signedBy(current, issuer);
  if (signed !== true) {
    throw new CertificateError('CERT_BAD_SIGNATURE', signed, {
      certificate: who(current),
      ...(isSm2Signed(current)
        ? { citation: 'GM/T 0009-2012 §10（SM2 默认用户标识 1234567812345678）' }
        : {}),
    });
  }
  if (issuer.extensions.basicConstraints?.ca !== true) {
    throw new CertificateError(
      'CERT_WRONG_KEY_USAGE',
      `颁发者证书（${issuer.subject.text}）不是CA证书（basicConstraints 未标明 CA:TRUE），不能签发证书。`,
      {
        certificate: who(issuer),
        citation: 'RFC 5280 §4.2.1.9',
      },
    );
  }
  if (!allowsKeyUsage(issuer, 'keyCertSign')) {
    throw new CertificateError(
      'CERT_WRONG_KEY_USAGE',
      `颁发者证书（${issuer.subject.text}）的密钥用途不含“证书签发”（keyCertSign）。`,
      {
        certificate: who(issuer),
        citation: 'RFC 5280 §4.2.1.3',
      },
    );
  }
  const pathLen = issuer.extensions.basicConstraints.pathLen;
  // Intermediates below this issuer, self-issued ones not counted (RFC 5280 §6.1.4 (l)).
  const below = path.slice(1).filter((c) => !c.selfIssued).length;
  if (pathLen !== null && below > pathLen) {
    throw new CertificateError(
      'CERT_CHAIN_TOO_LONG',
      `CA证书（${issuer.subject.text}）限定其下最多 ${pathLen} 级中级CA（pathLenConstraint），实际为 ${below} 级。`,
      { certificate: who(issuer), citation: 'RFC 5280 §4.2.1.9' },
    );
  }
  checkOwnFields(issuer, at);
}

function isSm2Signed(cert: ParsedCertificate): boolean {
  return 'algorithm' in cert.signatureAlgorithm && cert.signatureAlgorithm.algorithm === 'sm2-sm3';
}

/** Validity at `at` and critical extensions of one certificate (RFC 5280 §6.1.3 (a)(2), §4.2). */
export function checkOwnFields(cert: ParsedCertificate, at: Date): void {
  const which = cert.extensions.basicConstraints?.ca ? `CA证书（${cert.subject.text}）` : '证书';
  if (at.getTime() > cert.notAfter.getTime()) {
    throw new CertificateError('CERT_EXPIRED', `${which}已于 ${cert.notAfter.toISOString()} 过期。`, {
      certificate: who(cert),
    });
  }
  if (at.getTime() < cert.notBefore.getTime()) {
    throw new CertificateError(
      'CERT_NOT_YET_VALID',
      `${which}自 ${cert.notBefore.toISOString()} 起才生效。`,
      {
        certificate: who(cert),
      },
    );
  }
  if (cert.extensions.unknownCritical.length > 0) {
    throw new CertificateError(
      'CERT_MALFORMED',
      `${which}含有平台无法识别的关键扩展 ${cert.extensions.unknownCritical.join('、')}，按规定不能接受。`,
      { certificate: who(cert), citation: 'RFC 5280 §4.2' },
    );
  }
}

export function checkPurpose(cert: ParsedCertificate, purpose: CertificatePurpose): void {
  const fail = (detail: string) =>
    new CertificateError('CERT_WRONG_KEY_USAGE', detail, {
      certificate: who(cert),
      citation: 'RFC 5280 §4.2.1.3',
    });
  switch (purpose) {
    case 'authentication':
      if (!allowsKeyUsage(cert, 'digitalSignature')) {
        throw fail(`该证书的密钥用途为“${usageText(cert)}”，不能用于签名登录；请使用签名证书而非加密证书。`);
      }
      return;
    case 'signing':
      if (!allowsKeyUsage(cert, 'digitalSignature', 'nonRepudiation')) {
        throw fail(`该证书的密钥用途为“${usageText(cert)}”，不能用于签名；请使用签名证书而非加密证书。`);
      }
      return;
    case 'encryption':
      if (!allowsKeyUsage(cert, 'keyEncipherment', 'dataEncipherment', 'keyAgreement')) {
        throw fail(`该证书的密钥用途为“${usageText(cert)}”，不是加密证书。`);
      }
      return;
    case 'ca':
      if (cert.extensions.basicConstraints?.ca !== true) {
        throw fail(`该证书不是CA证书（basicConstraints 未标明 CA:TRUE）。`);
      }
      if (!allowsKeyUsage(cert, 'keyCertSign'))
        throw fail('该CA证书的密钥用途不含“证书签发”（keyCertSign）。');
      return;
  }
}

function usageText(cert: ParsedCertificate): string {
  return (cert.extensions.keyUsage ?? []).map((u) => KEY_USAGE_NAMES_ZH[u]).join('、') || '无';
}

// Verified (issuer, certificate) pairs: a signature, once valid, stays valid, and SM2 verification is
// the costliest step of a login. Keyed by both fingerprints; bounded so it cannot grow without end.
const verifiedLinks = new Map<string, true>();
const VERIFIED_LINKS_MAX = 10_000;

/** True when `issuer`'s key signed `cert`, else the reason in Chinese. */
export function signedBy(cert: ParsedCertificate, issuer: ParsedCertificate): true | string {
  const cacheKey = `${issuer.fingerprintSha256}>${cert.fingerprintSha256}`;
  if (verifiedLinks.has(cacheKey)) return true;
  const algorithm = cert.signatureAlgorithm;
  if ('unsupported' in algorithm) return `证书签名算法不受支持：${algorithm.unsupported}。`;
  const ok = verifySignature({
    algorithm: algorithm.algorithm,
    publicKey: issuer.publicKey,
    data: cert.tbs,
    signature: cert.signature,
    ...(algorithm.saltLength === undefined ? {} : { saltLength: algorithm.saltLength }),
  });
  if (ok) {
    if (verifiedLinks.size >= VERIFIED_LINKS_MAX) verifiedLinks.delete(verifiedLinks.keys().next().value!);
    verifiedLinks.set(cacheKey, true);
    return true;
  }
  if (algorithm.algorithm === 'sm2-sm3' && issuer.publicKey.kind === 'sm2') {
    // A common mistake deserves its own words: OpenSSL 3.0 signs certificates with an empty SM2 ID
    // unless told `-sigopt distid:1234567812345678`; such a certificate is refused, and says why.
    const emptyId = verifySignature({
      algorithm: 'sm2-sm3',
      publicKey: issuer.publicKey,
      data: cert.tbs,
      signature: cert.signature,
      sm2UserId: '',
    });
    if (emptyId) {
      return `证书（${cert.subject.text}）的 SM2 签名使用了空用户标识，而非 GM/T 0009 规定的默认标识 1234567812345678（OpenSSL 签发时应加 -sigopt distid:1234567812345678）。`;
    }
  }
  if (
    issuer.publicKey.kind === 'sm2' ? algorithm.algorithm !== 'sm2-sm3' : algorithm.algorithm === 'sm2-sm3'
  ) {
    return `证书（${cert.subject.text}）的签名算法与颁发者（${issuer.subject.text}）的密钥类型不符。`;
  }
  return `证书（${cert.subject.text}）的签名不是由颁发者（${issuer.subject.text}）的密钥所签，证书可能被篡改或伪造。`;
}

const PRIORITY: CertErrorCode[] = [
  'CERT_CHAIN_LOOP',
  'CERT_CHAIN_TOO_LONG',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_WRONG_KEY_USAGE',
  'CERT_BAD_SIGNATURE',
  'CERT_MALFORMED',
  'CERT_UNSUPPORTED_ALGORITHM',
  'CERT_UNTRUSTED_ISSUER',
];

/** Of the ways every candidate path failed, the one that tells the holder most. */
function mostTelling(failures: CertificateError[]): CertificateError {
  const rank = (e: CertificateError) => {
    const i = PRIORITY.indexOf(e.code);
    return i < 0 ? PRIORITY.length : i;
  };
  return failures.reduce((best, e) => (rank(e) < rank(best) ? e : best));
}

function who(cert: ParsedCertificate) {
  return { subject: cert.subject.text, fingerprint: cert.fingerprintSha256 };
}
