import { z } from 'zod';
import { ROLES } from '../identity/index.ts';

/** A certificate in a JSON body: PEM text or base64 of the DER. */
const CertificateText = z
  .string()
  .min(1)
  .max(64 * 1024);

export const ChallengeBody = z.strictObject({
  /** Binds the challenge to this account; recommended, so a signature cannot open another account. */
  username: z.string().min(1).max(64).optional(),
});

export const ChallengeResponse = z.object({
  challengeId: z.string(),
  /** The exact text to sign, as UTF-8 bytes (format in docs/certificates.md). */
  challenge: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
});

export const CertificateAnswerBody = z.strictObject({
  challengeId: z.string().min(1).max(100),
  certificate: CertificateText,
  /** Base64 of the DER signature over the challenge text. */
  signature: z.string().min(1).max(4096),
  chain: z.array(CertificateText).max(4).optional(),
});

export const CertLoginBody = CertificateAnswerBody.extend({
  tokenKind: z.enum(['cookie', 'bearer']).default('cookie'),
});

const CertificateSummary = z.object({
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  fingerprint: z.string(),
  notAfter: z.string(),
});

export const CertLoginResponse = z.object({
  account: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)),
    organization: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  }),
  expiresAt: z.string(),
  token: z.string().optional(),
  certificate: CertificateSummary,
});

export const SecondFactorResponse = z.object({
  verifiedAt: z.string(),
  bindingId: z.string(),
  certificate: CertificateSummary,
});

export const SecondFactorStatus = z.object({
  verified: z.boolean(),
  verifiedAt: z.string().nullable(),
  signFingerprint: z.string().nullable(),
});

export const BindingBody = z.strictObject({
  signCertificate: CertificateText,
  encryptionCertificate: CertificateText,
  chain: z.array(CertificateText).max(4).optional(),
});

export const BindingView = z.object({
  id: z.string(),
  accountId: z.string(),
  organizationId: z.string().nullable(),
  signFingerprint: z.string(),
  encFingerprint: z.string(),
  subject: z.string(),
  creditCode: z.string().nullable(),
  method: z.enum(['credit-code', 'staff-confirmed']).nullable(),
  status: z.enum(['pending', 'bound', 'revoked']),
  requestedAt: z.string(),
  boundAt: z.string().nullable(),
});

export const BindingIdParams = z.strictObject({ bindingId: z.uuid() });
export const BindingListQuery = z.strictObject({
  status: z.enum(['pending', 'bound', 'revoked']).optional(),
});

export const TrustedCaBody = z.strictObject({ certificate: CertificateText });

export const TrustedCaView = z.object({
  fingerprint: z.string(),
  fingerprintSm3: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  keyType: z.enum(['sm2', 'rsa', 'ec-p256']),
  isRoot: z.boolean(),
  notBefore: z.string(),
  notAfter: z.string(),
  status: z.enum(['active', 'disabled']),
  addedAt: z.string(),
  disabledAt: z.string().nullable(),
  certificatePem: z.string(),
});

export const FingerprintParams = z.strictObject({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) });

/** CRLs of large CAs run to megabytes; the route raises the body limit for them. */
export const CrlBody = z.strictObject({
  crl: z
    .string()
    .min(1)
    .max(32 * 1024 * 1024),
});

export const CrlView = z.object({
  id: z.number(),
  issuer: z.string(),
  issuerFingerprint: z.string(),
  crlNumber: z.string().nullable(),
  thisUpdate: z.string(),
  nextUpdate: z.string().nullable(),
  fingerprint: z.string(),
  revokedCount: z.number(),
  alreadyLoaded: z.boolean().optional(),
});
