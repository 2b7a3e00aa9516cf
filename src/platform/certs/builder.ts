import { createHash, randomBytes } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  CertificateList,
  CRLReason,
  type CRLReasons,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  Name,
  RevokedCertificate,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  TBSCertList,
  Time,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { buildName } from './names.ts';
import { OID } from './oids.ts';
import { type PrivateKeyInfo, type PublicKeyInfo, type SignatureAlgorithm, signData } from './signatures.ts';
import { KEY_USAGE_BITS, type KeyUsageName, type ParsedCertificate } from './x509.ts';

/**
 * Builds X.509 certificates and CRLs (RFC 5280): the demo CA (§32 演示CA) issues with it, and the tests
 * make chains with every defect a validator must catch. SM2 issuers sign SM2-with-SM3 with the GM/T 0009
 * default ID — what Chinese CAs do and what `openssl … -sm3 -sigopt distid:1234567812345678` does.
 */

export type NameInput = Name | readonly (readonly [string, string])[];

export interface CertificateTemplate {
  subject: NameInput;
  /** The issuing CA's certificate and key; omit both for a self-signed certificate. */
  issuer?: { certificate: ParsedCertificate; key: PrivateKeyInfo };
  /** The subject's public key; for a self-signed certificate, the signing key's own. */
  publicKey: PublicKeyInfo;
  /** Self-signed only: the key that signs. */
  selfSignKey?: PrivateKeyInfo;
  notBefore: Date;
  notAfter: Date;
  /** Positive serial; 16 random bytes when absent (RFC 5280 §4.1.2.2 allows up to 20 octets). */
  serialNumber?: Uint8Array;
  basicConstraints?: { ca: boolean; pathLen?: number };
  keyUsage?: KeyUsageName[];
  extendedKeyUsage?: string[];
  subjectAltNames?: { email?: string[]; dns?: string[] };
  /** Leave out the key identifiers (they help path building; tests remove them to exercise fallbacks). */
  omitKeyIdentifiers?: boolean;
  /** Anything else, already encoded. */
  extraExtensions?: Extension[];
}

export function buildCertificate(template: CertificateTemplate): Uint8Array {
  const signingKey = template.issuer?.key ?? template.selfSignKey;
  if (!signingKey) throw new Error('a certificate needs an issuer key or a self-sign key');
  const algorithm = algorithmIdentifier(signingKey);
  const subject = nameOf(template.subject);
  const issuerName = template.issuer ? subjectNameOf(template.issuer.certificate) : subject;
  const extensions: Extension[] = [];
  if (template.basicConstraints) {
    extensions.push(
      extension(
        OID.basicConstraints,
        true,
        new BasicConstraints({
          cA: template.basicConstraints.ca,
          ...(template.basicConstraints.pathLen === undefined
            ? {}
            : { pathLenConstraint: template.basicConstraints.pathLen }),
        }),
      ),
    );
  }
  if (template.keyUsage) extensions.push(extension(OID.keyUsage, true, keyUsageBits(template.keyUsage)));
  if (template.extendedKeyUsage) {
    extensions.push(extension(OID.extKeyUsage, false, new ExtendedKeyUsage(template.extendedKeyUsage)));
  }
  if (!template.omitKeyIdentifiers) {
    extensions.push(
      extension(OID.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyIdentifier(template.publicKey))),
    );
    const authorityKey = template.issuer?.certificate.publicKey ?? template.publicKey;
    extensions.push(
      extension(
        OID.authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(keyIdentifier(authorityKey)) }),
      ),
    );
  }
  const altNames = [
    ...(template.subjectAltNames?.email ?? []).map((rfc822Name) => new GeneralName({ rfc822Name })),
    ...(template.subjectAltNames?.dns ?? []).map((dNSName) => new GeneralName({ dNSName })),
  ];
  if (altNames.length > 0)
    extensions.push(extension(OID.subjectAltName, false, new SubjectAlternativeName(altNames)));
  extensions.push(...(template.extraExtensions ?? []));

  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: positiveSerial(template.serialNumber),
    signature: algorithm,
    issuer: issuerName,
    validity: new Validity({ notBefore: template.notBefore, notAfter: template.notAfter }),
    subject,
    subjectPublicKeyInfo: AsnConvert.parse(template.publicKey.spki, SubjectPublicKeyInfo),
    ...(extensions.length > 0 ? { extensions: new Extensions(extensions) } : {}),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const { signature } = signData(signingKey, tbsDer);
  const cert = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: algorithm,
    signatureValue: toArrayBuffer(signature),
  });
  return new Uint8Array(AsnConvert.serialize(cert));
}

export interface CrlTemplate {
  issuer: { certificate: ParsedCertificate; key: PrivateKeyInfo };
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber: number;
  revoked: { serialNumber: string; revokedAt: Date; reason?: CRLReasons }[];
}

/** A v2 CRL (RFC 5280 §5) with a CRL number and the issuer's key identifier. */
export function buildCrl(template: CrlTemplate): Uint8Array {
  const algorithm = algorithmIdentifier(template.issuer.key);
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: algorithm,
    issuer: subjectNameOf(template.issuer.certificate),
    thisUpdate: new Time(template.thisUpdate),
    ...(template.nextUpdate ? { nextUpdate: new Time(template.nextUpdate) } : {}),
    ...(template.revoked.length > 0
      ? {
          revokedCertificates: template.revoked.map(
            (r) =>
              new RevokedCertificate({
                userCertificate: positiveSerial(Buffer.from(r.serialNumber, 'hex')),
                revocationDate: new Time(r.revokedAt),
                ...(r.reason === undefined
                  ? {}
                  : { crlEntryExtensions: [extension(OID.crlReason, false, new CRLReason(r.reason))] }),
              }),
          ),
        }
      : {}),
    crlExtensions: [
      new Extension({
        extnID: OID.crlNumber,
        critical: false,
        extnValue: new OctetString(encodeInteger(template.crlNumber)),
      }),
      extension(
        OID.authorityKeyIdentifier,
        false,
        new AuthorityKeyIdentifier({
          keyIdentifier: new KeyIdentifier(keyIdentifier(template.issuer.certificate.publicKey)),
        }),
      ),
    ],
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const { signature } = signData(template.issuer.key, tbsDer);
  return new Uint8Array(
    AsnConvert.serialize(
      new CertificateList({
        tbsCertList: tbs,
        signatureAlgorithm: algorithm,
        signature: toArrayBuffer(signature),
      }),
    ),
  );
}

function algorithmIdentifier(key: PrivateKeyInfo): AlgorithmIdentifier {
  const algorithm: SignatureAlgorithm =
    key.kind === 'sm2' ? 'sm2-sm3' : key.kind === 'rsa' ? 'rsa-pkcs1-sha256' : 'ecdsa-p256-sha256';
  switch (algorithm) {
    case 'sm2-sm3':
      // GM/T 0015 and OpenSSL leave the parameters out.
      return new AlgorithmIdentifier({ algorithm: OID.sm2WithSm3 });
    case 'rsa-pkcs1-sha256':
      // RFC 4055 §5: NULL parameters for the PKCS #1 v1.5 algorithms.
      return new AlgorithmIdentifier({ algorithm: OID.sha256WithRsa, parameters: null });
    default:
      // RFC 5758 §3.2: no parameters for ECDSA.
      return new AlgorithmIdentifier({ algorithm: OID.ecdsaWithSha256 });
  }
}

function nameOf(input: NameInput): Name {
  return input instanceof Name ? input : buildName(input);
}

/** The issuer's subject exactly as encoded in its certificate (RFC 5280 §4.1.2.4 name chaining). */
function subjectNameOf(cert: ParsedCertificate): Name {
  return AsnConvert.parse(cert.der, Certificate).tbsCertificate.subject;
}

function extension(extnID: string, critical: boolean, value: unknown): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits — an identifier, not a security check. */
export function keyIdentifier(key: PublicKeyInfo): Uint8Array {
  const spki = AsnConvert.parse(key.spki, SubjectPublicKeyInfo);
  return new Uint8Array(createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest());
}

/** DER named bit list: trailing zero bits dropped (X.690 §11.2.2). */
function keyUsageBits(usages: KeyUsageName[]): KeyUsage {
  const set = KEY_USAGE_BITS.map((name) => usages.includes(name));
  const last = set.lastIndexOf(true);
  const length = Math.floor(last / 8) + 1;
  const bytes = new Uint8Array(length);
  set.forEach((on, i) => {
    if (on) bytes[i >> 3]! |= 0x80 >> (i & 7);
  });
  return new KeyUsage(bytes, length * 8 - (last + 1));
}

function positiveSerial(bytes?: Uint8Array): ArrayBuffer {
  let serial = bytes ? Buffer.from(bytes) : randomBytes(16);
  while (serial.length > 1 && serial[0] === 0 && !((serial[1] ?? 0) & 0x80)) serial = serial.subarray(1);
  if ((serial[0] ?? 0) & 0x80) serial = Buffer.concat([Buffer.of(0), serial]);
  if (!bytes && serial.every((b) => b === 0)) serial = Buffer.of(1);
  return toArrayBuffer(serial);
}

function encodeInteger(value: number): ArrayBuffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const content = Buffer.from(hex, 'hex');
  return toArrayBuffer(Buffer.concat([Buffer.of(0x02, content.length), content]));
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}
