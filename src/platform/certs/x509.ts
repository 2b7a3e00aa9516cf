import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CRLDistributionPoints,
  ExtendedKeyUsage,
  type Extension,
  type GeneralName,
  KeyUsage,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { sm3Hex } from '../crypto/index.ts';
import { findCreditCode } from './credit-code.ts';
import { DerFrameError, signedFrame, unsignedHex } from './der.ts';
import { CertificateError } from './errors.ts';
import { attributeValues, type DistinguishedName, NAME_OID, readName } from './names.ts';
import { EXTENDED_KEY_USAGE_NAMES, OID, UNDERSTOOD_CERT_EXTENSIONS } from './oids.ts';
import { derObjectsOf } from './pem.ts';
import {
  type AlgorithmChoice,
  KeyFormatError,
  type PublicKeyInfo,
  publicKeyFromSpki,
  signatureAlgorithmOf,
} from './signatures.ts';

/** RFC 5280 §4.2.1.3 key usage bits, by their RFC names (nonRepudiation is X.509's contentCommitment). */
export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

export const KEY_USAGE_NAMES_ZH: Record<KeyUsageName, string> = {
  digitalSignature: '数字签名',
  nonRepudiation: '不可否认',
  keyEncipherment: '密钥加密',
  dataEncipherment: '数据加密',
  keyAgreement: '密钥协商',
  keyCertSign: '证书签发',
  cRLSign: 'CRL签发',
  encipherOnly: '仅加密',
  decipherOnly: '仅解密',
};

export interface SubjectAltName {
  type: 'email' | 'dns' | 'uri' | 'ip' | 'directory' | 'other';
  value: string;
}

export interface CertificateExtensions {
  /** null when absent (then the certificate is not a CA, RFC 5280 §4.2.1.9). */
  basicConstraints: { ca: boolean; pathLen: number | null; critical: boolean } | null;
  /** null when absent: RFC 5280 puts no restriction on the key then. */
  keyUsage: KeyUsageName[] | null;
  /** Dotted OIDs; null when absent. */
  extendedKeyUsage: string[] | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  subjectAltNames: SubjectAltName[];
  crlDistributionPoints: string[];
  /** Critical extensions this platform does not understand: such a certificate must be refused. */
  unknownCritical: string[];
}

/** 证书 — an X.509 certificate, read once, with everything the checks and the screens need. */
export interface ParsedCertificate {
  der: Uint8Array;
  /** The exact to-be-signed bytes, as the issuer signed them. */
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: AlgorithmChoice | { unsupported: string };
  signatureAlgorithmOid: string;
  version: number;
  /** Lowercase hex of the serial number's value, without leading zero bytes. */
  serialNumber: string;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  publicKey: PublicKeyInfo;
  extensions: CertificateExtensions;
  /** SHA-256 of the DER, lowercase hex: the identity of the certificate in this platform's tables. */
  fingerprintSha256: string;
  /** SM3 of the DER, lowercase hex. */
  fingerprintSm3: string;
  /** 统一社会信用代码 of the subject organisation, where the CA put one; null if none. */
  creditCode: string | null;
  /** Subject and issuer are the same name (a root, or a CA's self-issued key rollover certificate). */
  selfIssued: boolean;
}

const CERT_LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'];

/**
 * Every certificate in the input — a PEM file or bundle, base64 DER, or DER bytes — in order. An input
 * with no certificate in it, or any certificate that does not parse, is CERT_MALFORMED.
 */
export function parseCertificates(input: string | Uint8Array): ParsedCertificate[] {
  const ders = derObjectsOf(input, CERT_LABELS);
  if (ders.length === 0) {
    throw new CertificateError(
      'CERT_MALFORMED',
      '未找到证书：应为 PEM（BEGIN CERTIFICATE）、Base64 或 DER 格式的 X.509 证书。',
    );
  }
  return ders.map(parseCertificateDer);
}

/** Exactly one certificate (the first of a bundle is taken only through parseCertificates). */
export function parseCertificate(input: string | Uint8Array): ParsedCertificate {
  const all = parseCertificates(input);
  if (all.length !== 1) {
    throw new CertificateError('CERT_MALFORMED', `应为一张证书，实际为 ${all.length} 张。`);
  }
  return all[0]!;
}

export function parseCertificateDer(der: Uint8Array): ParsedCertificate {
  let frame: { tbs: Uint8Array; signature: Uint8Array };
  let cert: Certificate;
  try {
    frame = signedFrame(der);
    cert = AsnConvert.parse(der, Certificate);
  } catch (error) {
    throw malformed(`不是有效的 DER 编码 X.509 证书（${(error as Error).message}）。`, error);
  }
  const tbs = cert.tbsCertificate;
  const outerAlgorithm = cert.signatureAlgorithm;
  if (
    outerAlgorithm.algorithm !== tbs.signature.algorithm ||
    !sameParameters(outerAlgorithm.parameters, tbs.signature.parameters)
  ) {
    // RFC 5280 §4.1.1.2: the two algorithm fields must be identical.
    throw malformed('证书内外两处签名算法不一致。');
  }
  let publicKey: PublicKeyInfo;
  try {
    const spki = tbs.subjectPublicKeyInfo;
    publicKey = publicKeyFromSpki(
      new Uint8Array(AsnConvert.serialize(spki)),
      spki.algorithm.algorithm,
      spki.algorithm.parameters ? new Uint8Array(spki.algorithm.parameters) : null,
    );
  } catch (error) {
    if (error instanceof KeyFormatError) {
      const unsupported = error.message.startsWith('不支持');
      throw new CertificateError(
        unsupported ? 'CERT_UNSUPPORTED_ALGORITHM' : 'CERT_MALFORMED',
        error.message,
        {
          cause: error,
        },
      );
    }
    if (error instanceof DerFrameError) throw malformed(`公钥格式错误（${error.message}）。`, error);
    throw error;
  }
  const subject = readName(tbs.subject);
  const issuer = readName(tbs.issuer);
  let extensions: CertificateExtensions;
  try {
    extensions = readExtensions(tbs.extensions ?? []);
  } catch (error) {
    throw malformed(`证书扩展格式错误（${(error as Error).message}）。`, error);
  }
  const notBefore = tbs.validity.notBefore.getTime();
  const notAfter = tbs.validity.notAfter.getTime();
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()))
    throw malformed('证书有效期格式错误。');
  return {
    der,
    tbs: frame.tbs,
    signature: frame.signature,
    signatureAlgorithm: signatureAlgorithmOf(
      outerAlgorithm.algorithm,
      outerAlgorithm.parameters ? new Uint8Array(outerAlgorithm.parameters) : null,
    ),
    signatureAlgorithmOid: outerAlgorithm.algorithm,
    version: tbs.version + 1,
    serialNumber: unsignedHex(new Uint8Array(tbs.serialNumber)),
    subject,
    issuer,
    notBefore,
    notAfter,
    publicKey,
    extensions,
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
    fingerprintSm3: sm3Hex(der),
    creditCode: creditCodeOf(subject),
    selfIssued: subject.key === issuer.key,
  };
}

function sameParameters(a: ArrayBuffer | null | undefined, b: ArrayBuffer | null | undefined): boolean {
  const bytes = (p: ArrayBuffer | null | undefined) => (p ? Buffer.from(p) : Buffer.alloc(0));
  return bytes(a).equals(bytes(b));
}

function malformed(detail: string, cause?: unknown): CertificateError {
  return new CertificateError('CERT_MALFORMED', detail, cause === undefined ? {} : { cause });
}

function readExtensions(list: Extension[]): CertificateExtensions {
  const out: CertificateExtensions = {
    basicConstraints: null,
    keyUsage: null,
    extendedKeyUsage: null,
    subjectKeyId: null,
    authorityKeyId: null,
    subjectAltNames: [],
    crlDistributionPoints: [],
    unknownCritical: [],
  };
  const seen = new Set<string>();
  for (const extension of list) {
    // RFC 5280 §4.2: a certificate must not include more than one instance of an extension.
    if (seen.has(extension.extnID)) throw new Error(`扩展 ${extension.extnID} 重复`);
    seen.add(extension.extnID);
    const value = extension.extnValue.buffer;
    switch (extension.extnID) {
      case OID.basicConstraints: {
        const bc = AsnConvert.parse(value, BasicConstraints);
        out.basicConstraints = {
          ca: bc.cA,
          pathLen: bc.pathLenConstraint ?? null,
          critical: extension.critical,
        };
        break;
      }
      case OID.keyUsage:
        out.keyUsage = keyUsageNames(AsnConvert.parse(value, KeyUsage));
        break;
      case OID.extKeyUsage:
        out.extendedKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)];
        break;
      case OID.subjectKeyIdentifier:
        out.subjectKeyId = Buffer.from(AsnConvert.parse(value, SubjectKeyIdentifier).buffer).toString('hex');
        break;
      case OID.authorityKeyIdentifier: {
        const aki = AsnConvert.parse(value, AuthorityKeyIdentifier);
        out.authorityKeyId = aki.keyIdentifier ? Buffer.from(aki.keyIdentifier.buffer).toString('hex') : null;
        break;
      }
      case OID.subjectAltName:
        out.subjectAltNames = [...AsnConvert.parse(value, SubjectAlternativeName)].map(altName);
        break;
      case OID.crlDistributionPoints:
        out.crlDistributionPoints = [...AsnConvert.parse(value, CRLDistributionPoints)].flatMap(
          (point) =>
            point.distributionPoint?.fullName?.flatMap((n) =>
              n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [],
            ) ?? [],
        );
        break;
      default:
        if (extension.critical && !UNDERSTOOD_CERT_EXTENSIONS.has(extension.extnID)) {
          out.unknownCritical.push(extension.extnID);
        }
    }
  }
  return out;
}

/** Bit i counts from the most significant bit of the first byte (X.690 §8.6). */
export const KEY_USAGE_BITS: readonly KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

function keyUsageNames(bits: KeyUsage): KeyUsageName[] {
  const bytes = new Uint8Array(bits.value);
  return KEY_USAGE_BITS.filter(
    (_, i) => i < bytes.length * 8 && ((bytes[i >> 3]! >> (7 - (i & 7))) & 1) === 1,
  );
}

function altName(name: GeneralName): SubjectAltName {
  if (name.rfc822Name !== undefined) return { type: 'email', value: name.rfc822Name };
  if (name.dNSName !== undefined) return { type: 'dns', value: name.dNSName };
  if (name.uniformResourceIdentifier !== undefined)
    return { type: 'uri', value: name.uniformResourceIdentifier };
  if (name.iPAddress !== undefined) return { type: 'ip', value: name.iPAddress };
  if (name.directoryName) return { type: 'directory', value: readName(name.directoryName).text };
  return { type: 'other', value: name.otherName?.typeId ?? name.registeredID ?? '' };
}

/**
 * Where CAs put the 统一社会信用代码: organizationIdentifier (2.5.4.97), OU, serialNumber, and in
 * some CAs' certificates inside the CN or O text; searched in that order.
 */
function creditCodeOf(subject: DistinguishedName): string | null {
  for (const oid of [
    NAME_OID.organizationIdentifier,
    NAME_OID.organizationalUnit,
    NAME_OID.serialNumber,
    NAME_OID.commonName,
    NAME_OID.organization,
  ]) {
    for (const value of attributeValues(subject, oid)) {
      const code = findCreditCode(value);
      if (code) return code;
    }
  }
  return null;
}

/** Key usage check: absent extension means unrestricted (RFC 5280 §4.2.1.3). */
export function allowsKeyUsage(cert: ParsedCertificate, ...anyOf: KeyUsageName[]): boolean {
  const usage = cert.extensions.keyUsage;
  return usage === null || anyOf.some((u) => usage.includes(u));
}

export function extendedKeyUsageNames(cert: ParsedCertificate): string[] | null {
  return cert.extensions.extendedKeyUsage?.map((oid) => EXTENDED_KEY_USAGE_NAMES[oid] ?? oid) ?? null;
}

/** "AB:CD:…" as `openssl x509 -fingerprint` prints it. */
export function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/.{2}/g) ?? []).join(':');
}
