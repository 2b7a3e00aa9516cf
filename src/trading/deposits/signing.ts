import {
  canonicalJson,
  NONCE_HEADER,
  NONCE_PATTERN,
  REPLAY_WINDOW_MS,
  requestSigningText,
  SIGNATURE_HEADER,
  type Sm2PrivateKey,
  signRequestHeaders,
  sm2Sign,
  TIMESTAMP_HEADER,
  toBase64Url,
  verifyBase64UrlSignature,
} from '../../platform/crypto/index.ts';

/**
 * Signed institution requests: the kernel's signed-request scheme (src/platform/crypto/signed-request.ts —
 * method, target, SM3 of the body, timestamp, nonce; SM2, base64url) with the caller named in
 * X-Ggzy-Institution. The simulators sign with the same code the platform verifies with.
 */
export const INSTITUTION_HEADER = 'x-ggzy-institution';
export {
  NONCE_HEADER,
  NONCE_PATTERN,
  REPLAY_WINDOW_MS,
  requestSigningText,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyBase64UrlSignature,
};

export function signRequest(
  key: Sm2PrivateKey,
  input: {
    institutionId: string;
    method: string;
    target: string;
    body: Uint8Array | string;
    timestamp?: number;
    nonce?: string;
  },
): Record<string, string> {
  const { institutionId, ...rest } = input;
  return signRequestHeaders(key, { ...rest, callerHeader: INSTITUTION_HEADER, callerId: institutionId });
}

/**
 * 电子保函 as the issuer signs it: canonical JSON (keys sorted, no spaces) of this object, UTF-8.
 */
export interface GuaranteeDocument {
  format: 'ggzy-guarantee/v1';
  guaranteeNo: string;
  issuer: { institutionId: string; creditCode: string; name: string };
  lotId: string;
  lotCode: string;
  applicant: { creditCode: string; name: string };
  beneficiary: { organizationId: string; name: string };
  amountYuan: string;
  validFrom: string;
  validUntil: string;
  issuedAt: string;
}

export function guaranteeSigningText(document: GuaranteeDocument): string {
  return canonicalJson(document);
}

export function signGuarantee(key: Sm2PrivateKey, document: GuaranteeDocument): string {
  return toBase64Url(sm2Sign(key, guaranteeSigningText(document)));
}
