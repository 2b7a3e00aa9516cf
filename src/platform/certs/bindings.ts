import { randomUUID } from 'node:crypto';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../errors.ts';
import { requireActor } from '../identity/index.ts';
import { appendWitnessEvent } from '../witness/index.ts';
import { findHolderAccount } from './accounts.ts';
import { CertificateError } from './errors.ts';
import { toPem } from './pem.ts';
import * as store from './store.ts';
import type { CertsContext, TrustStore } from './trust-store.ts';
import { type ParsedCertificate, parseCertificate, parseCertificates } from './x509.ts';

/**
 * 双证书绑定 (§32): a holder's signing certificate (签名证书) and encryption certificate (加密证书) are
 * bound to the account and its organisation. Bound at once when the certificate carries the
 * organisation's 统一社会信用代码; otherwise pending until 交易中心 staff compare the holder's papers and
 * confirm — recording a fact about identity, not approving anything (§48(1)).
 */
export interface BindingView {
  id: string;
  accountId: string;
  organizationId: string | null;
  signFingerprint: string;
  encFingerprint: string;
  subject: string;
  creditCode: string | null;
  method: 'credit-code' | 'staff-confirmed' | null;
  status: 'pending' | 'bound' | 'revoked';
  requestedAt: Date;
  boundAt: Date | null;
}

type BindingRow = Awaited<ReturnType<typeof store.listBindings>>[number];

export function bindingView(row: BindingRow): BindingView {
  return {
    id: row.id,
    accountId: row.account_id,
    organizationId: row.organization_id,
    signFingerprint: row.sign_fingerprint,
    encFingerprint: row.enc_fingerprint,
    subject: row.subject,
    creditCode: row.credit_code,
    method: row.method,
    status: row.status,
    requestedAt: row.requested_at,
    boundAt: row.bound_at,
  };
}

/** The intermediates kept with a binding. */
export function storedChain(chainPem: string): ParsedCertificate[] {
  return chainPem ? parseCertificates(chainPem) : [];
}

export function createBindings(deps: { trust: TrustStore }) {
  /** Checks a pair: both chain to a trusted root, the right usages, one issuer, one credit code. */
  async function checkPair(
    sign: ParsedCertificate,
    enc: ParsedCertificate,
    intermediates: ParsedCertificate[],
  ) {
    await deps.trust.validate(sign, { purpose: 'signing', intermediates });
    await deps.trust.validate(enc, { purpose: 'encryption', intermediates });
    if (sign.fingerprintSha256 === enc.fingerprintSha256) {
      throw new CertificateError(
        'CERT_WRONG_KEY_USAGE',
        '签名证书与加密证书是同一张证书；双证书体系要求两张不同的证书。',
      );
    }
    if (sign.issuer.key !== enc.issuer.key) {
      throw new InvalidInput('CERT_PAIR_MISMATCH', {
        title: '签名证书与加密证书不配套',
        detail: `两张证书的颁发者不同：${sign.issuer.text}；${enc.issuer.text}。`,
      });
    }
    if (sign.creditCode && enc.creditCode && sign.creditCode !== enc.creditCode) {
      throw new InvalidInput('CERT_PAIR_MISMATCH', {
        title: '签名证书与加密证书不配套',
        detail: `两张证书中的统一社会信用代码不同：${sign.creditCode}；${enc.creditCode}。`,
      });
    }
  }

  /** 上传双证书: the signed-in holder submits the pair (PEM or base64 DER) and any intermediates. */
  async function submit(
    ctx: CertsContext,
    input: { signCertificate: string; encryptionCertificate: string; chain?: string[] },
  ): Promise<BindingView> {
    const actor = requireActor(ctx);
    const sign = parseCertificate(input.signCertificate);
    const enc = parseCertificate(input.encryptionCertificate);
    const intermediates = (input.chain ?? []).flatMap((c) => parseCertificates(c));
    await checkPair(sign, enc, intermediates);
    const account = await findHolderAccount(ctx.db, { accountId: actor.accountId });
    if (!account) throw new NotFound('ACCOUNT_NOT_FOUND', { title: '账号不存在' });
    const codeMatches = Boolean(
      sign.creditCode && account.creditCode && sign.creditCode === account.creditCode,
    );
    return create(ctx, {
      accountId: account.id,
      organizationId: account.organizationId,
      sign,
      enc,
      intermediates,
      method: codeMatches ? 'credit-code' : null,
    });
  }

  /** Records a binding (pending, or bound by `method`) with its witness event. */
  async function create(
    ctx: CertsContext,
    input: {
      accountId: string;
      organizationId: string | null;
      sign: ParsedCertificate;
      enc: ParsedCertificate;
      intermediates?: ParsedCertificate[];
      method: 'credit-code' | 'staff-confirmed' | null;
    },
  ): Promise<BindingView> {
    const existing = await store.findLiveBindingBySignCert(ctx.db, input.sign.fingerprintSha256);
    if (existing) {
      throw new RuleViolation('CERT_ALREADY_BOUND', {
        title: '该签名证书已绑定',
        detail:
          existing.account_id === input.accountId
            ? `该证书已绑定到当前账号（${existing.status === 'pending' ? '待交易中心确认' : '已生效'}）。`
            : '该证书已绑定到另一个账号；如有疑问请联系交易中心。',
      });
    }
    const at = ctx.clock.now();
    return ctx.db.transaction().execute(async (tx) => {
      const row = await store.insertBinding(tx, {
        id: randomUUID(),
        account_id: input.accountId,
        organization_id: input.organizationId,
        sign_fingerprint: input.sign.fingerprintSha256,
        enc_fingerprint: input.enc.fingerprintSha256,
        sign_certificate_der: input.sign.der,
        enc_certificate_der: input.enc.der,
        chain_pem: (input.intermediates ?? []).map((c) => toPem('CERTIFICATE', c.der)).join(''),
        subject: input.sign.subject.text,
        credit_code: input.sign.creditCode,
        method: input.method,
        status: input.method ? 'bound' : 'pending',
        requested_at: at,
        bound_at: input.method ? at : null,
        bound_by: input.method === 'staff-confirmed' ? (ctx.actor?.accountId ?? null) : null,
        revoked_at: null,
        revoked_by: null,
        last_used_at: null,
      });
      await appendWitnessEvent(tx, at, ctx.origin, {
        entityType: 'cert-binding',
        entityId: row.id,
        action: 'cert.binding.created',
        payload: {
          accountId: row.account_id,
          organizationId: row.organization_id,
          signFingerprint: row.sign_fingerprint,
          encFingerprint: row.enc_fingerprint,
          subject: row.subject,
          creditCode: row.credit_code,
          status: row.status,
          method: row.method,
        },
      });
      return bindingView(row);
    });
  }

  /** 确认绑定 by 交易中心 staff, after checking the holder's papers; the chain is checked again now. */
  async function confirm(ctx: CertsContext, bindingId: string): Promise<BindingView> {
    const actor = requireActor(ctx);
    if (!actor.roles.includes('operator'))
      throw new Forbidden('ROLE_FORBIDDEN', { title: '无权确认证书绑定' });
    const binding = await store.findBinding(ctx.db, bindingId);
    if (!binding) throw new NotFound('BINDING_NOT_FOUND', { title: '证书绑定不存在' });
    if (binding.status !== 'pending') {
      throw new RuleViolation('BINDING_NOT_PENDING', {
        title: '该证书绑定无需确认',
        detail: binding.status === 'bound' ? '绑定已生效。' : '绑定已解除。',
      });
    }
    await deps.trust.validate(parseCertificate(new Uint8Array(binding.sign_certificate_der)), {
      purpose: 'signing',
      intermediates: storedChain(binding.chain_pem),
    });
    const at = ctx.clock.now();
    return ctx.db.transaction().execute(async (tx) => {
      const row = await store.updateBinding(tx, bindingId, 'pending', {
        status: 'bound',
        method: 'staff-confirmed',
        bound_at: at,
        bound_by: actor.accountId,
      });
      if (!row) throw new RuleViolation('BINDING_NOT_PENDING', { title: '该证书绑定无需确认' });
      await appendWitnessEvent(tx, at, ctx.origin, {
        entityType: 'cert-binding',
        entityId: row.id,
        action: 'cert.binding.confirmed',
        payload: { accountId: row.account_id, signFingerprint: row.sign_fingerprint },
      });
      return bindingView(row);
    });
  }

  /** 解除绑定: by the holder (a lost key) or by staff. */
  async function revoke(ctx: CertsContext, bindingId: string): Promise<BindingView> {
    const actor = requireActor(ctx);
    const binding = await store.findBinding(ctx.db, bindingId);
    const isOperator = actor.roles.includes('operator');
    // Someone else's binding is "not found" to a holder: nothing to learn about other accounts here.
    if (!binding || (!isOperator && binding.account_id !== actor.accountId)) {
      throw new NotFound('BINDING_NOT_FOUND', { title: '证书绑定不存在' });
    }
    const at = ctx.clock.now();
    return ctx.db.transaction().execute(async (tx) => {
      const row = await store.updateBinding(tx, bindingId, ['pending', 'bound'], {
        status: 'revoked',
        revoked_at: at,
        revoked_by: actor.accountId,
      });
      if (!row) throw new RuleViolation('BINDING_ALREADY_REVOKED', { title: '该证书绑定已解除' });
      await appendWitnessEvent(tx, at, ctx.origin, {
        entityType: 'cert-binding',
        entityId: row.id,
        action: 'cert.binding.revoked',
        payload: { accountId: row.account_id, signFingerprint: row.sign_fingerprint },
      });
      return bindingView(row);
    });
  }

  async function listMine(ctx: CertsContext): Promise<BindingView[]> {
    const actor = requireActor(ctx);
    return (await store.listBindings(ctx.db, { accountId: actor.accountId })).map(bindingView);
  }

  async function list(
    ctx: CertsContext,
    filter: { status?: 'pending' | 'bound' | 'revoked' },
  ): Promise<BindingView[]> {
    const actor = requireActor(ctx);
    if (!actor.roles.includes('operator'))
      throw new Forbidden('ROLE_FORBIDDEN', { title: '无权查看证书绑定' });
    return (await store.listBindings(ctx.db, filter)).map(bindingView);
  }

  return { submit, create, confirm, revoke, listMine, list };
}

export type Bindings = ReturnType<typeof createBindings>;
