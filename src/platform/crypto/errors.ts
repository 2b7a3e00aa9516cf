/**
 * Typed crypto errors. Every failure this module reports on purpose is a `CryptoError` with a stable
 * `code` (for logs, tests and RFC 9457 problem documents) and a Chinese `title` fit to show a user
 * (DESIGN §4 "Errors"). Bad input never surfaces as a raw TypeError or RangeError from a library.
 */

export type CryptoErrorCode =
  | 'der.malformed'
  | 'pem.malformed'
  | 'input.type'
  | 'sm2.key'
  | 'sm2.public-key'
  | 'sm2.signature'
  | 'sm2.ciphertext'
  | 'sm2.decrypt'
  | 'sm2.plaintext'
  | 'sm4.key'
  | 'sm4.sealed'
  | 'sm4.mac'
  | 'envelope.malformed'
  | 'envelope.not-recipient'
  | 'envelope.signature'
  | 'envelope.signer'
  | 'envelope.content'
  | 'signature.key'
  | 'signature.algorithm';

export abstract class CryptoError extends Error {
  readonly code: CryptoErrorCode;
  /** Short Chinese text for the user. */
  readonly title: string;

  constructor(code: CryptoErrorCode, title: string, detail?: string) {
    super(detail ? `${title}：${detail}` : title);
    this.code = code;
    this.title = title;
    this.name = new.target.name;
  }
}

/** The input is not well-formed (bad DER, PEM, key, ciphertext framing, wrong argument type…). */
export class CryptoInputError extends CryptoError {}

/**
 * The input is well-formed but does not authenticate: a MAC, an SM2 C3 hash or a signature over an
 * envelope did not match. Never accompanied by any plaintext.
 */
export class CryptoIntegrityError extends CryptoError {}

/** Checks an argument's runtime type, so JavaScript callers get a typed error instead of a TypeError. */
export function bytesOf(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return new TextEncoder().encode(value);
  throw new CryptoInputError('input.type', '输入数据类型错误', `${what} must be a Uint8Array or string`);
}

export function requireBytes(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new CryptoInputError('input.type', '输入数据类型错误', `${what} must be a Uint8Array`);
}
