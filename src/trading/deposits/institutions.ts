import { randomUUID } from 'node:crypto';
import { parseCertificate } from '../../platform/certs/index.ts';
import {
  exportSm2PublicKeyPem,
  importSm2PublicKeyDer,
  importSm2PublicKeyPem,
  NONCE_PATTERN,
  REPLAY_WINDOW_MS,
  requestSigningText,
  type Sm2PublicKey,
  verifyBase64UrlSignature,
} from '../../platform/crypto/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { type DepositsContext, type ReadDb, WITNESS, witness } from './context.ts';
import { normalizeCreditCode } from './deps.ts';
import * as store from './store.ts';
import type { InstitutionKind, InstitutionStatus } from './tables.ts';

export const INSTITUTION_KIND_NAMES_ZH: Record<InstitutionKind, string> = {
  bank: '银行',
  insurer: '保险机构',
  guarantor: '担保机构',
};

export function requireOperator(actor: Actor | null): Actor {
  if (!actor?.roles.includes('operator')) {
    throw new Forbidden('OPERATOR_REQUIRED', { title: '仅限交易中心工作人员' });
  }
  return actor;
}

/** The SM2 public key in a certificate (PEM) or a bare public key (PEM); InvalidInput otherwise. */
export function publicKeyOf(input: { certificatePem?: string | null; publicKeyPem?: string | null }): {
  key: Sm2PublicKey;
  certificatePem: string | null;
} {
  const invalid = (why: string) =>
    new InvalidInput('INSTITUTION_KEY_INVALID', {
      title: '机构证书或公钥无效',
      detail: `须为 SM2 证书（PEM）或 SM2 公钥（PEM）：${why}`,
    });
  if (input.certificatePem) {
    let cert: ReturnType<typeof parseCertificate>;
    try {
      cert = parseCertificate(input.certificatePem);
    } catch {
      throw invalid('证书无法解析（应为 PEM 格式的 X.509 证书）。');
    }
    if (cert.publicKey.kind !== 'sm2') throw invalid('证书中的公钥不是 SM2 公钥。');
    try {
      return { key: importSm2PublicKeyDer(cert.publicKey.spki), certificatePem: input.certificatePem };
    } catch {
      throw invalid('证书中的 SM2 公钥无效。');
    }
  }
  if (input.publicKeyPem) {
    try {
      return { key: importSm2PublicKeyPem(input.publicKeyPem), certificatePem: null };
    } catch {
      throw invalid('公钥无法解析（应为 PEM 格式的 SM2 公钥）。');
    }
  }
  throw new InvalidInput('INSTITUTION_KEY_MISSING', {
    title: '缺少机构证书或公钥',
    detail: '请提供机构的 SM2 证书（certificatePem）或 SM2 公钥（publicKeyPem）。',
  });
}

export async function registerInstitution(
  ctx: DepositsContext,
  input: {
    name: string;
    kind: InstitutionKind;
    creditCode: string;
    certificatePem?: string | null;
    publicKeyPem?: string | null;
  },
) {
  requireOperator(ctx.actor);
  const creditCode = normalizeCreditCode(input.creditCode);
  const { key, certificatePem } = publicKeyOf(input);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    if (await store.findInstitutionByCreditCode(tx, creditCode)) {
      throw new RuleViolation('INSTITUTION_EXISTS', {
        title: '该机构已登记',
        detail: `统一社会信用代码 ${creditCode} 的机构已在平台登记。`,
      });
    }
    const row = await store.insertInstitution(tx, {
      id: randomUUID(),
      name: input.name,
      kind: input.kind,
      credit_code: creditCode,
      public_key_pem: exportSm2PublicKeyPem(key),
      certificate_pem: certificatePem,
      status: 'active',
      created_at: now,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, WITNESS.institution, row.id, 'deposit-institution.registered', {
      name: row.name,
      kind: row.kind,
      creditCode: row.credit_code,
      publicKeyPem: row.public_key_pem,
    });
    return row;
  });
}

export async function setInstitutionStatus(ctx: DepositsContext, id: string, status: InstitutionStatus) {
  requireOperator(ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const before = await store.findInstitution(tx, id);
    if (!before) throw new NotFound('INSTITUTION_NOT_FOUND', { title: '机构不存在' });
    if (before.status === status) return before;
    const row = await store.setInstitutionStatus(tx, id, status, now);
    await witness(tx, now, ctx.origin, WITNESS.institution, id, `deposit-institution.${status}`, {
      from: before.status,
      to: status,
    });
    return row ?? before;
  });
}

export function listInstitutions(db: ReadDb) {
  return store.listInstitutions(db);
}

export interface SignedRequest {
  method: string;
  target: string;
  body: Uint8Array;
  headers: Record<string, string | string[] | undefined>;
}

function header(headers: SignedRequest['headers'], name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function refused(code: string, detail: string): Unauthenticated {
  return new Unauthenticated(code, { title: '机构请求签名验证未通过', detail });
}

/**
 * A request from a registered institution: its signature over method, target, SM3(body), timestamp and
 * nonce verifies with the institution's registered key; the institution is active; the timestamp is within
 * ±5 minutes of real time (`realNow`, never the scaled platform clock); the nonce was not used before.
 */
export async function authenticateInstitution(db: ReadDb, request: SignedRequest, realNow: Date) {
  const institutionId = header(request.headers, 'x-ggzy-institution');
  const timestamp = header(request.headers, 'x-ggzy-timestamp');
  const nonce = header(request.headers, 'x-ggzy-nonce');
  const signature = header(request.headers, 'x-ggzy-signature');
  if (!institutionId || !timestamp || !nonce || !signature) {
    // The same code as any unauthenticated call: this route's "login" is the signature.
    throw new Unauthenticated('AUTH_REQUIRED', {
      title: '缺少机构签名',
      detail:
        '机构接口须携带 X-Ggzy-Institution、X-Ggzy-Timestamp、X-Ggzy-Nonce 与 X-Ggzy-Signature 请求头。',
    });
  }
  if (!/^\d{1,16}$/.test(timestamp)) throw refused('INSTITUTION_TIMESTAMP_INVALID', '时间戳须为毫秒整数。');
  if (Math.abs(Number(timestamp) - realNow.getTime()) > REPLAY_WINDOW_MS) {
    throw refused('INSTITUTION_TIMESTAMP_SKEW', '请求时间戳与服务器时间相差超过5分钟，请校准时钟后重试。');
  }
  if (!NONCE_PATTERN.test(nonce))
    throw refused('INSTITUTION_NONCE_INVALID', '随机数须为16至128位 base64url 字符。');
  const institution = /^[0-9a-f-]{36}$/.test(institutionId)
    ? await store.findInstitution(db, institutionId)
    : undefined;
  if (!institution) throw refused('INSTITUTION_UNKNOWN', '该机构未在平台登记。');
  if (institution.status !== 'active') {
    throw new Forbidden('INSTITUTION_SUSPENDED', {
      title: '机构已暂停',
      detail: `${institution.name}已被交易中心暂停，暂不能通过平台接口办理业务。`,
    });
  }
  const text = requestSigningText({
    method: request.method,
    target: request.target,
    body: request.body,
    timestamp,
    nonce,
  });
  const key = importSm2PublicKeyPem(institution.public_key_pem);
  if (!verifyBase64UrlSignature(key, text, signature)) {
    throw refused('INSTITUTION_SIGNATURE_INVALID', '签名与机构登记的 SM2 公钥不符，或请求内容被改动。');
  }
  // After the signature: an unsigned request cannot burn another institution's nonces.
  const fresh = await store.claimNonce(
    db,
    institution.id,
    nonce,
    new Date(realNow.getTime() + 2 * REPLAY_WINDOW_MS),
    realNow,
  );
  if (!fresh) throw refused('INSTITUTION_NONCE_REUSED', '该请求随机数已使用过（疑似重放），请求被拒绝。');
  return institution;
}
