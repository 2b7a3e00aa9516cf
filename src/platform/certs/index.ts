/**
 * 证书与信任 (§32 CA 互认): X.509 certificates (RSA, ECDSA P-256, SM2), the trust store of CAs and
 * CRLs, chain validation, dual-certificate bindings, certificate login and the demo CA.
 * See docs/certificates.md.
 */
export { type Bindings, type BindingView, createBindings } from './bindings.ts';
export {
  type BoundCertificates,
  findBindingOfSigningCertificate,
  findBoundCertificatesOfAccount,
  listBoundCertificatesOfOrganization,
} from './bound.ts';
export { buildCertificate, buildCrl, type CertificateTemplate, type CrlTemplate } from './builder.ts';
export {
  type CertificateAnswer,
  type CertLogin,
  type ChallengeView,
  createCertLogin,
  type OpenSession,
  sessionCertificateFactor,
} from './cert-login.ts';
export { type CertsDeps, type CertsModule, createCertsModule } from './certs.ts';
export {
  type CertificatePurpose,
  type ChainOptions,
  checkPurpose,
  DEFAULT_MAX_CHAIN_LENGTH,
  REVOCATION_REASONS_ZH,
  type RevocationChecker,
  type RevocationStatus,
  type StoredCa,
  type TrustSource,
  type ValidatedChain,
  validateChain,
} from './chain.ts';
export { CHALLENGE_FORMAT, CHALLENGE_TTL_MS, type ChallengeFields, challengeText } from './challenge.ts';
export { creditCodeCheckCharacter, findCreditCode, isValidCreditCode } from './credit-code.ts';
export { type ParsedCrl, parseCrl, type RevokedEntry } from './crl.ts';
export {
  DEMO_CA_LABEL,
  type DemoCa,
  type DemoCaDeps,
  type DemoCertificates,
  type IssueDemoOptions,
  issueDemoCertificates,
  loadDemoCa,
} from './demo-ca.ts';
export { keyMatchesCertificate, signDetached, verifyDetached } from './detached.ts';
export {
  CERT_ERROR_TITLES,
  type CertErrorCode,
  CertificateError,
  CHALLENGE_ERROR_TITLES,
  ChallengeError,
  type ChallengeErrorCode,
} from './errors.ts';
export { certsMigrations } from './migrations.ts';
export type { DistinguishedName, NameAttribute } from './names.ts';
export { derObjectsOf, pemBlocks, toPem } from './pem.ts';
export { findCrlIssuer, firstDefinite, MemoryCrlChecker, MemoryTrustSource } from './revocation.ts';
export { type CertRouteDeps, registerCertRoutes } from './routes.ts';
export {
  describeKey,
  KeyFormatError,
  loadPrivateKey,
  type PrivateKeyInfo,
  type PublicKeyInfo,
  type SignatureAlgorithm,
} from './signatures.ts';
export type { CertsTables } from './tables.ts';
export {
  type CertsContext,
  type CertsDb,
  createTrustStore,
  DbCrlChecker,
  DbTrustSource,
  type TrustStore,
} from './trust-store.ts';
export {
  allowsKeyUsage,
  colonHex,
  extendedKeyUsageNames,
  KEY_USAGE_NAMES_ZH,
  type KeyUsageName,
  type ParsedCertificate,
  parseCertificate,
  parseCertificateDer,
  parseCertificates,
} from './x509.ts';
