import { type Sm2PrivateKey, type Sm2PublicKey, sm2Sign, sm2Verify } from './sm2.ts';
import { sm3Hex } from './sm3.ts';
import { fromBase64Url, toBase64Url } from './util.ts';

/**
 * SM2-signed API requests (no session: the caller is a registered institution or system holding an SM2 key).
 * The signed text is, byte for byte (UTF-8, `\n` = 0x0A, no trailing newline):
 *
 *   <METHOD>\n<request target: path and query exactly as sent>\n<SM3 hex of the body bytes>\n<timestamp ms>\n<nonce>
 *
 * signed SM2-with-SM3 under the GM/T 0009 default user id, DER, base64url in X-Ggzy-Signature. The caller
 * names itself in a header of the route's choosing (X-Ggzy-Institution, X-Ggzy-System …).
 * The verifier keeps the nonces for longer than the window, so a request cannot be played twice.
 */
export const TIMESTAMP_HEADER = 'x-ggzy-timestamp';
export const NONCE_HEADER = 'x-ggzy-nonce';
export const SIGNATURE_HEADER = 'x-ggzy-signature';
/** Requests older or newer than this (real time) are refused; nonces are remembered at least this long. */
export const REPLAY_WINDOW_MS = 5 * 60_000;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
const TIMESTAMP_PATTERN = /^\d{1,16}$/;

export interface RequestSigningInput {
  method: string;
  target: string;
  body: Uint8Array | string;
  timestamp: string;
  nonce: string;
}

export function requestSigningText(input: RequestSigningInput): string {
  const body = typeof input.body === 'string' ? new TextEncoder().encode(input.body) : input.body;
  return `${input.method.toUpperCase()}\n${input.target}\n${sm3Hex(body)}\n${input.timestamp}\n${input.nonce}`;
}

/** A fresh nonce: 18 random bytes, base64url (24 characters). */
export function newRequestNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(18)));
}

/**
 * The headers of a signed request: `{ [callerHeader]: callerId, x-ggzy-timestamp, x-ggzy-nonce, x-ggzy-signature }`.
 */
export function signRequestHeaders(
  key: Sm2PrivateKey,
  input: {
    callerHeader: string;
    callerId: string;
    method: string;
    target: string;
    body: Uint8Array | string;
    timestamp?: number;
    nonce?: string;
  },
): Record<string, string> {
  const timestamp = String(input.timestamp ?? Date.now());
  const nonce = input.nonce ?? newRequestNonce();
  const text = requestSigningText({
    method: input.method,
    target: input.target,
    body: input.body,
    timestamp,
    nonce,
  });
  return {
    [input.callerHeader]: input.callerId,
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

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** The signature headers of a request, or null when any of them is missing (an unsigned request). */
export function readSignedRequestHeaders(
  headers: RequestHeaders,
  callerHeader: string,
): { callerId: string; timestamp: string; nonce: string; signature: string } | null {
  const read = (name: string): string | null => {
    const value = headers[name];
    return typeof value === 'string' && value.length > 0 ? value : null;
  };
  const callerId = read(callerHeader);
  const timestamp = read(TIMESTAMP_HEADER);
  const nonce = read(NONCE_HEADER);
  const signature = read(SIGNATURE_HEADER);
  if (!callerId || !timestamp || !nonce || !signature) return null;
  return { callerId, timestamp, nonce, signature };
}

/** Why the timestamp or nonce of a signed request is refused before any key is looked up, or null. */
export type SignedRequestFreshnessProblem = 'timestamp-invalid' | 'timestamp-skew' | 'nonce-invalid';

export function checkSignedRequestFreshness(
  parts: { timestamp: string; nonce: string },
  realNow: Date,
): SignedRequestFreshnessProblem | null {
  if (!TIMESTAMP_PATTERN.test(parts.timestamp)) return 'timestamp-invalid';
  if (Math.abs(Number(parts.timestamp) - realNow.getTime()) > REPLAY_WINDOW_MS) return 'timestamp-skew';
  if (!NONCE_PATTERN.test(parts.nonce)) return 'nonce-invalid';
  return null;
}

/** Until when a verifier must remember a nonce it accepted at `realNow` (twice the window: both skews). */
export function nonceExpiry(realNow: Date): Date {
  return new Date(realNow.getTime() + 2 * REPLAY_WINDOW_MS);
}
