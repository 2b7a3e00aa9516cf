import {
  canonicalJson,
  fromBase64Url,
  type Sm2PrivateKey,
  type Sm2PublicKey,
  sm2Sign,
  sm2Verify,
  sm3Hex,
  toBase64Url,
} from '../../platform/crypto/index.ts';

/**
 * Signed institution requests (no database here: the simulators sign with the same code the platform
 * verifies with). The signed text is, byte for byte (UTF-8, `\n` = 0x0A, no trailing newline):
 *
 *   <METHOD>\n<request target: path and query exactly as sent>\n<SM3 hex of the body bytes>\n<timestamp ms>\n<nonce>
 *
 * signed SM2-with-SM3 under the GM/T 0009 default user id, DER, base64url in X-Ggzy-Signature.
 */
export const INSTITUTION_HEADER = 'x-ggzy-institution';
export const TIMESTAMP_HEADER = 'x-ggzy-timestamp';
export const NONCE_HEADER = 'x-ggzy-nonce';
export const SIGNATURE_HEADER = 'x-ggzy-signature';
/** Requests older or newer than this (real time) are refused; nonces are remembered at least this long. */
export const REPLAY_WINDOW_MS = 5 * 60_000;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export function requestSigningText(input: {
  method: string;
  target: string;
  body: Uint8Array | string;
  timestamp: string;
  nonce: string;
}): string {
  const body = typeof input.body === 'string' ? new TextEncoder().encode(input.body) : input.body;
  return `${input.method.toUpperCase()}\n${input.target}\n${sm3Hex(body)}\n${input.timestamp}\n${input.nonce}`;
}

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
  const timestamp = String(input.timestamp ?? Date.now());
  const nonce = input.nonce ?? toBase64Url(crypto.getRandomValues(new Uint8Array(18)));
  const text = requestSigningText({
    method: input.method,
    target: input.target,
    body: input.body,
    timestamp,
    nonce,
  });
  return {
    [INSTITUTION_HEADER]: input.institutionId,
    [TIMESTAMP_HEADER]: timestamp,
    [NONCE_HEADER]: nonce,
    [SIGNATURE_HEADER]: toBase64Url(sm2Sign(key, text)),
  };
}

export function verifyBase64UrlSignature(key: Sm2PublicKey, text: string, signature: string): boolean {
  const bytes = fromBase64Url(signature);
  if (!bytes) return false;
  try {
    return sm2Verify(key, text, bytes);
  } catch {
    // A malformed DER signature is simply not a valid signature.
    return false;
  }
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
