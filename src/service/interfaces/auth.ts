import {
  checkSignedRequestFreshness,
  generateSm2KeyPair,
  importSm2PublicKeyPem,
  nonceExpiry,
  type RequestHeaders,
  readSignedRequestHeaders,
  requestSigningText,
  type Sm2PublicKey,
  verifyBase64UrlSignature,
} from '../../platform/crypto/index.ts';
import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import { SYSTEM_HEADER } from './schemas.ts';
import * as store from './store.ts';
import type { ReadDb } from './systems.ts';

export interface SignedSystemRequest {
  method: string;
  /** Path and query exactly as sent. */
  target: string;
  body: Uint8Array;
  headers: RequestHeaders;
}

const TITLE = '第三方系统请求签名验证未通过';
const refused = (code: string, detail: string) => new Unauthenticated(code, { title: TITLE, detail });

const FRESHNESS_DETAIL = {
  'timestamp-invalid': ['SYSTEM_TIMESTAMP_INVALID', '时间戳（X-Ggzy-Timestamp）须为毫秒整数。'],
  'timestamp-skew': [
    'SYSTEM_TIMESTAMP_SKEW',
    '请求时间戳与服务器时间相差超过5分钟（请求已过期或时钟不准），请校准时钟后用新的随机数重新签名。',
  ],
  'nonce-invalid': ['SYSTEM_NONCE_INVALID', '随机数（X-Ggzy-Nonce）须为16至128位 base64url 字符。'],
} as const;

// Verified against when the caller is unknown, so that an unknown and a known caller take the same time.
let decoyKey: Sm2PublicKey | null = null;
const decoy = () => {
  decoyKey ??= generateSm2KeyPair().publicKey;
  return decoyKey;
};

const keyCache = new Map<string, Sm2PublicKey>();
function keyOf(pem: string): Sm2PublicKey {
  let key = keyCache.get(pem);
  if (!key) {
    key = importSm2PublicKeyPem(pem);
    if (keyCache.size > 1000) keyCache.clear();
    keyCache.set(pem, key);
  }
  return key;
}

/**
 * A request from a registered system: its SM2 signature over method, target, SM3(body), timestamp and nonce
 * verifies with the registered certificate's key; the timestamp is within ±5 minutes of real time; the
 * nonce was never used (kept 10 minutes); the credential is not revoked and the certificate not expired.
 * The signature is checked before the credential's status is told, so only the key's holder learns it.
 */
export async function authenticateSystem(db: ReadDb, request: SignedSystemRequest, realNow: Date) {
  const parts = readSignedRequestHeaders(request.headers, SYSTEM_HEADER);
  if (!parts) {
    throw new Unauthenticated('AUTH_REQUIRED', {
      title: '缺少系统签名',
      detail:
        '第三方系统接口须携带 X-Ggzy-System、X-Ggzy-Timestamp、X-Ggzy-Nonce 与 X-Ggzy-Signature 请求头（见《接口规范》）。',
    });
  }
  const stale = checkSignedRequestFreshness(parts, realNow);
  if (stale) {
    const [code, detail] = FRESHNESS_DETAIL[stale];
    throw refused(code, detail);
  }
  const system = /^[PT]\d{10}$/.test(parts.callerId)
    ? await store.findSystemByCode(db, parts.callerId)
    : undefined;
  const text = requestSigningText({
    method: request.method,
    target: request.target,
    body: request.body,
    timestamp: parts.timestamp,
    nonce: parts.nonce,
  });
  const verified = verifyBase64UrlSignature(
    system ? keyOf(system.public_key_pem) : decoy(),
    text,
    parts.signature,
  );
  if (!system) throw refused('SYSTEM_UNKNOWN', `系统 ${parts.callerId.slice(0, 20)} 未在平台登记接口凭证。`);
  if (!verified) {
    throw refused('SYSTEM_SIGNATURE_INVALID', '签名与该系统登记的 SM2 证书不符，或请求内容被改动。');
  }
  if (system.status !== 'active') {
    throw new Forbidden('SYSTEM_REVOKED', {
      title: '系统接口凭证已吊销',
      detail: `${system.name}的接口凭证已被交易中心吊销${system.revoke_reason ? `（原因：${system.revoke_reason}）` : ''}，请联系交易中心。`,
    });
  }
  if (realNow > system.certificate_not_after) {
    throw new Forbidden('SYSTEM_CERTIFICATE_EXPIRED', {
      title: '系统证书已过期',
      detail: `${system.name}登记的证书已于 ${system.certificate_not_after.toISOString()} 到期，请更换证书后重新登记。`,
    });
  }
  // After the signature: an unsigned request cannot burn another system's nonces.
  const fresh = await store.claimNonce(db, system.id, parts.nonce, nonceExpiry(realNow), realNow);
  if (!fresh) throw refused('SYSTEM_NONCE_REUSED', '该请求随机数已使用过（疑似重放），请求被拒绝。');
  return system;
}
