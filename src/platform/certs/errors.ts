import { AppError } from '../errors.ts';

/**
 * Why a certificate, a chain or a signature was not accepted (§32 CA 互认). Every code is stable for
 * clients; titles and details are Chinese, fit to show the holder. The HTTP status depends on where the
 * check ran: 400 for an upload, 401 for a login, 403 for a second factor on a live session.
 */
export const CERT_ERROR_TITLES = {
  CERT_UNTRUSTED_ISSUER: '证书颁发者不受信任',
  CERT_EXPIRED: '证书已过期',
  CERT_NOT_YET_VALID: '证书尚未生效',
  CERT_REVOKED: '证书已被吊销',
  CERT_WRONG_KEY_USAGE: '证书用途不符',
  CERT_CHAIN_TOO_LONG: '证书链过长',
  CERT_CHAIN_LOOP: '证书链存在循环',
  CERT_MALFORMED: '证书格式错误',
  CERT_BAD_SIGNATURE: '签名验证失败',
  CERT_UNSUPPORTED_ALGORITHM: '不支持的证书算法',
  CRL_MALFORMED: '证书吊销列表（CRL）格式错误',
  CRL_OUTDATED: '证书吊销列表不是最新的',
} as const;

export type CertErrorCode = keyof typeof CERT_ERROR_TITLES;

export interface CertErrorSubject {
  subject: string;
  fingerprint?: string;
}

export class CertificateError extends AppError {
  declare readonly code: CertErrorCode;
  /** Which certificate of a chain failed, when it was not the one presented. */
  readonly certificate: CertErrorSubject | undefined;

  constructor(
    code: CertErrorCode,
    detail: string,
    opts: { status?: number; certificate?: CertErrorSubject; citation?: string; cause?: unknown } = {},
  ) {
    super(opts.status ?? 400, code, {
      title: CERT_ERROR_TITLES[code],
      detail,
      ...(opts.citation ? { citation: opts.citation } : {}),
      ...(opts.certificate ? { extensions: { certificate: opts.certificate } } : {}),
    });
    this.certificate = opts.certificate;
    if (opts.cause !== undefined) this.cause = opts.cause;
  }

  /** The same problem answered with another HTTP status (a login answers 401, not 400). */
  withStatus(status: number): CertificateError {
    return new CertificateError(this.code, this.detail ?? '', {
      status,
      ...(this.citation ? { citation: this.citation } : {}),
      ...(this.certificate ? { certificate: this.certificate } : {}),
      cause: this,
    });
  }
}

/** Challenge (质询) problems in certificate login. */
export const CHALLENGE_ERROR_TITLES = {
  CHALLENGE_UNKNOWN: '登录质询不存在',
  CHALLENGE_REPLAYED: '登录质询已被使用',
  CHALLENGE_EXPIRED: '登录质询已过期',
  CHALLENGE_WRONG_ACCOUNT: '登录质询不属于该账号',
} as const;

export type ChallengeErrorCode = keyof typeof CHALLENGE_ERROR_TITLES;

export class ChallengeError extends AppError {
  declare readonly code: ChallengeErrorCode;
  constructor(code: ChallengeErrorCode, detail: string, status = 401) {
    super(status, code, { title: CHALLENGE_ERROR_TITLES[code], detail });
  }
}
