import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock/index.ts';
import { AppError } from '../errors.ts';
import { type Actor, requireActor } from '../identity/index.ts';
import { appendWitnessEvent } from '../witness/index.ts';
import { findHolderAccount } from './accounts.ts';
import { storedChain } from './bindings.ts';
import { checkPurpose, type ValidatedChain } from './chain.ts';
import { CHALLENGE_TTL_MS, challengeIdHash, challengeText } from './challenge.ts';
import { CertificateError, ChallengeError } from './errors.ts';
import { defaultAlgorithmFor, verifySignature } from './signatures.ts';
import * as store from './store.ts';
import type { CertsContext, CertsDb, TrustStore } from './trust-store.ts';
import { type ParsedCertificate, parseCertificates } from './x509.ts';

/**
 * 证书登录 (§32, DESIGN §4 "Security"): the holder signs a single-use challenge with the private key of
 * a bound signing certificate; the server checks the signature, the chain to a trusted root, revocation,
 * key usage and the binding, then opens a session exactly as a password login does. The same proof on a
 * live session marks it certificate-verified (second factor).
 */

/** Identity's session opener, injected: the certs part never writes identity's tables. */
export type OpenSession = (
  ctx: CertsContext,
  input: { accountId: string; kind: 'cookie' | 'bearer'; method: 'certificate' },
) => Promise<{ token: string; actor: Actor; expiresAt: Date }>;

export interface CertLoginDeps {
  trust: TrustStore;
  /** Challenge lifetimes and certificate validity: real time (see TrustStoreDeps). */
  securityClock: Clock;
  openSession: OpenSession;
  /** Names this platform inside the signed challenge (its public URL), so a signature fits nowhere else. */
  platform: string;
}

export interface ChallengeView {
  challengeId: string;
  /** The exact text to sign (UTF-8 bytes), see challenge.ts. */
  challenge: string;
  issuedAt: Date;
  expiresAt: Date;
}

export interface CertificateAnswer {
  challengeId: string;
  /** The signing certificate: PEM or base64 DER; a PEM may carry intermediates after it. */
  certificate: string;
  /** Base64 of the DER signature, as `openssl dgst -sign` writes it. */
  signature: string;
  /** Intermediate CA certificates, PEM or base64 DER. */
  chain?: string[];
}

const CLEANUP_EVERY = 256;
const KEEP_USED_MS = 24 * 3600_000;

export function createCertLogin(deps: CertLoginDeps) {
  let issued = 0;

  async function issue(
    ctx: CertsContext,
    fields: {
      purpose: 'login' | 'second-factor';
      username: string | null;
      accountId: string | null;
      sessionId: string | null;
    },
  ): Promise<ChallengeView> {
    const challengeId = randomBytes(32).toString('base64url');
    const issuedAt = deps.securityClock.now();
    const expiresAt = new Date(issuedAt.getTime() + CHALLENGE_TTL_MS);
    await store.insertChallenge(ctx.db, {
      id_hash: challengeIdHash(challengeId),
      purpose: fields.purpose,
      username: fields.username,
      account_id: fields.accountId,
      session_id: fields.sessionId,
      issued_at: issuedAt,
      expires_at: expiresAt,
      used_at: null,
    });
    // Challenges are credentials for two minutes, not records: they are not witnessed, and old ones go.
    if (++issued % CLEANUP_EVERY === 0) {
      await store.deleteChallengesBefore(ctx.db, new Date(issuedAt.getTime() - KEEP_USED_MS));
    }
    const challenge = challengeText({
      platform: deps.platform,
      purpose: fields.purpose,
      nonce: challengeId,
      issuedAt,
      account: fields.username,
    });
    return { challengeId, challenge, issuedAt, expiresAt };
  }

  /** 获取登录质询; `username` binds it to one account (recommended), otherwise any bound certificate may answer. */
  function issueLoginChallenge(ctx: CertsContext, input: { username?: string | undefined }) {
    return issue(ctx, {
      purpose: 'login',
      username: input.username ?? null,
      accountId: null,
      sessionId: null,
    });
  }

  /** A challenge for the second factor, bound to the caller's account and session. */
  function issueSecondFactorChallenge(ctx: CertsContext) {
    const actor = requireActor(ctx);
    return issue(ctx, {
      purpose: 'second-factor',
      username: actor.username,
      accountId: actor.accountId,
      sessionId: actor.sessionId,
    });
  }

  /**
   * Checks an answer: the challenge is used up first (every attempt burns it), then the signature over
   * its text, the certificate's usage and chain, and the binding.
   */
  async function checkAnswer(
    ctx: CertsContext,
    purpose: 'login' | 'second-factor',
    answer: CertificateAnswer,
    status: number,
  ) {
    const now = deps.securityClock.now();
    const idHash = challengeIdHash(answer.challengeId);
    const challenge = await store.consumeChallenge(ctx.db, idHash, purpose, now);
    if (!challenge) {
      const known = await store.findChallenge(ctx.db, idHash);
      if (known?.purpose === purpose) {
        throw new ChallengeError(
          'CHALLENGE_REPLAYED',
          '该质询已被使用过，每个质询只能使用一次；请重新获取质询。',
          status,
        );
      }
      throw new ChallengeError('CHALLENGE_UNKNOWN', '质询不存在或用途不符；请重新获取质询。', status);
    }
    if (challenge.expires_at.getTime() <= now.getTime()) {
      throw new ChallengeError(
        'CHALLENGE_EXPIRED',
        `质询有效期为 ${CHALLENGE_TTL_MS / 60_000} 分钟，已于 ${challenge.expires_at.toISOString()} 过期；请重新获取质询。`,
        status,
      );
    }
    try {
      const [leaf, ...bundled] = parseCertificates(answer.certificate);
      const intermediates = [...bundled, ...(answer.chain ?? []).flatMap((c) => parseCertificates(c))];
      checkPurpose(leaf!, 'authentication');
      const text = challengeText({
        platform: deps.platform,
        purpose,
        nonce: answer.challengeId,
        issuedAt: challenge.issued_at,
        account: challenge.username,
      });
      verifyChallengeSignature(leaf!, text, answer.signature);
      // The intermediates kept with the binding complete the chain when the client sends none.
      const binding = await store.findLiveBindingBySignCert(ctx.db, leaf!.fingerprintSha256);
      const chain = await deps.trust.validate(leaf!, {
        purpose: 'authentication',
        intermediates: [...intermediates, ...storedChain(binding?.chain_pem ?? '')],
      });
      if (!binding) {
        throw new AppError(status, 'CERT_NOT_BOUND', {
          title: '证书未绑定平台账号',
          detail: '请先用用户名和密码登录，在“我的证书”中上传签名证书和加密证书完成绑定。',
        });
      }
      if (binding.status === 'pending') {
        throw new AppError(status, 'CERT_BINDING_PENDING', {
          title: '证书绑定待交易中心确认',
          detail: '证书中的统一社会信用代码与单位登记信息不一致或缺失，需交易中心核对后确认绑定。',
        });
      }
      const account = await findHolderAccount(ctx.db, { accountId: binding.account_id });
      if (account?.status !== 'active') {
        throw new AppError(status, 'ACCOUNT_DISABLED', { title: '账号已停用', detail: '请联系交易中心。' });
      }
      if (challenge.username !== null && challenge.username !== account.username) {
        throw new ChallengeError(
          'CHALLENGE_WRONG_ACCOUNT',
          `该质询是为账号 ${challenge.username} 签发的，而证书绑定的是另一个账号。`,
          status,
        );
      }
      return { challenge, leaf: leaf!, chain, binding, account };
    } catch (error) {
      if (error instanceof CertificateError) throw error.withStatus(status);
      throw error;
    }
  }

  /** 证书登录: opens a session for the account the certificate is bound to. */
  async function login(ctx: CertsContext, answer: CertificateAnswer & { tokenKind: 'cookie' | 'bearer' }) {
    const { leaf, chain, binding, account } = await checkAnswer(ctx, 'login', answer, 401);
    const session = await deps.openSession(ctx, {
      accountId: account.id,
      kind: answer.tokenKind,
      method: 'certificate',
    });
    const at = ctx.clock.now();
    await ctx.db.transaction().execute(async (tx) => {
      await store.updateBinding(tx, binding.id, 'bound', { last_used_at: at });
      await appendWitnessEvent(
        tx,
        at,
        {
          ...ctx.origin,
          accountId: account.id,
          organizationId: account.organizationId,
          role: session.actor.roles[0] ?? null,
        },
        {
          entityType: 'cert-binding',
          entityId: binding.id,
          action: 'cert.login',
          payload: loginEvidence(session.actor.sessionId, leaf, chain),
        },
      );
    });
    return { ...session, bindingId: binding.id, certificate: leaf };
  }

  /** 证书二次验证: marks the caller's current session as verified by a bound signing certificate. */
  async function secondFactor(ctx: CertsContext, answer: CertificateAnswer) {
    const actor = requireActor(ctx);
    const { challenge, leaf, chain, binding } = await checkAnswer(ctx, 'second-factor', answer, 403);
    if (challenge.session_id !== actor.sessionId) {
      throw new ChallengeError(
        'CHALLENGE_WRONG_ACCOUNT',
        '该质询是为另一个登录会话签发的；请在当前会话中重新获取质询。',
        403,
      );
    }
    if (binding.account_id !== actor.accountId) {
      throw new ChallengeError(
        'CHALLENGE_WRONG_ACCOUNT',
        '该证书绑定的是另一个账号，不能为当前登录账号做二次验证。',
        403,
      );
    }
    const at = ctx.clock.now();
    await ctx.db.transaction().execute(async (tx) => {
      await store.upsertSessionFactor(tx, {
        session_id: actor.sessionId,
        account_id: actor.accountId,
        binding_id: binding.id,
        sign_fingerprint: leaf.fingerprintSha256,
        verified_at: at,
      });
      await store.updateBinding(tx, binding.id, 'bound', { last_used_at: at });
      await appendWitnessEvent(tx, at, ctx.origin, {
        entityType: 'cert-binding',
        entityId: binding.id,
        action: 'session.cert-verified',
        payload: loginEvidence(actor.sessionId, leaf, chain),
      });
    });
    return { verifiedAt: at, bindingId: binding.id, certificate: leaf };
  }

  return { issueLoginChallenge, issueSecondFactorChallenge, login, secondFactor };
}

export type CertLogin = ReturnType<typeof createCertLogin>;

function loginEvidence(sessionId: string, leaf: ParsedCertificate, chain: ValidatedChain) {
  return {
    sessionId,
    signFingerprint: leaf.fingerprintSha256,
    subject: leaf.subject.text,
    serialNumber: leaf.serialNumber,
    issuer: leaf.issuer.text,
    rootFingerprint: chain.path[chain.path.length - 1]!.fingerprintSha256,
    revocation: chain.revocation.map((r) => r.status),
  };
}

/** The signature over the challenge text, by the certificate's key (SM2: SM3 with the default ID). */
function verifyChallengeSignature(leaf: ParsedCertificate, text: string, signatureBase64: string): void {
  const compact = signatureBase64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    throw new CertificateError('CERT_BAD_SIGNATURE', '签名应为 DER 签名值的 Base64 编码。');
  }
  const signature = new Uint8Array(
    Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64'),
  );
  const algorithm = defaultAlgorithmFor(leaf.publicKey);
  const ok = verifySignature({
    algorithm,
    publicKey: leaf.publicKey,
    data: Buffer.from(text, 'utf8'),
    signature,
  });
  if (!ok) {
    throw new CertificateError(
      'CERT_BAD_SIGNATURE',
      algorithm === 'sm2-sm3'
        ? '签名验证失败：签名内容与质询原文不符，或 SM2 签名未使用默认用户标识 1234567812345678。'
        : '签名验证失败：签名内容与质询原文不符，或签名私钥与证书不对应。',
      algorithm === 'sm2-sm3' ? { citation: 'GM/T 0009-2012 §10' } : {},
    );
  }
}

/** The certificate factor of a session, if it was verified by a binding still in force. */
export async function sessionCertificateFactor(db: Kysely<CertsDb>, sessionId: string) {
  const factor = await store.findSessionFactor(db, sessionId);
  if (!factor) return null;
  const binding = await store.findBinding(db, factor.binding_id);
  if (binding?.status !== 'bound') return null;
  return {
    verifiedAt: factor.verified_at,
    bindingId: factor.binding_id,
    signFingerprint: factor.sign_fingerprint,
  };
}
