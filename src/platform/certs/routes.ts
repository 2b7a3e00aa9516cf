import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock/index.ts';
import { type HttpServer, originOf, SESSION_COOKIE } from '../http/index.ts';
import type { BindingView as BindingRecord } from './bindings.ts';
import type { CertsModule } from './certs.ts';
import { toPem } from './pem.ts';
import {
  BindingBody,
  BindingIdParams,
  BindingListQuery,
  BindingView,
  CertificateAnswerBody,
  CertLoginBody,
  CertLoginResponse,
  ChallengeBody,
  ChallengeResponse,
  CrlBody,
  CrlView,
  FingerprintParams,
  SecondFactorResponse,
  SecondFactorStatus,
  TrustedCaBody,
  TrustedCaView,
} from './schemas.ts';
import type { CertsContext, CertsDb } from './trust-store.ts';
import type { ParsedCertificate } from './x509.ts';

export interface CertRouteDeps {
  certs: CertsModule;
  db: Kysely<CertsDb>;
  clock: Clock;
  /** Mark the session cookie Secure when served over HTTPS (as identity's login does). */
  secureCookies: boolean;
  /** Challenges and certificate logins per client address per minute (SM2 verification costs CPU). */
  rateMax: number;
}

const MAX_CRL_BODY = 40 * 1024 * 1024;

function summary(cert: ParsedCertificate) {
  return {
    subject: cert.subject.text,
    issuer: cert.issuer.text,
    serialNumber: cert.serialNumber,
    fingerprint: cert.fingerprintSha256,
    notAfter: cert.notAfter.toISOString(),
  };
}

function bindingJson(b: BindingRecord) {
  return { ...b, requestedAt: b.requestedAt.toISOString(), boundAt: b.boundAt?.toISOString() ?? null };
}

type CaRow = Awaited<ReturnType<CertsModule['trust']['listCas']>>[number];

function caJson(row: CaRow) {
  return {
    fingerprint: row.fingerprint,
    fingerprintSm3: row.fingerprint_sm3,
    subject: row.subject,
    issuer: row.issuer,
    serialNumber: row.serial_number,
    keyType: row.key_type,
    isRoot: row.is_root,
    notBefore: row.not_before.toISOString(),
    notAfter: row.not_after.toISOString(),
    status: row.status,
    addedAt: row.added_at.toISOString(),
    disabledAt: row.disabled_at?.toISOString() ?? null,
    certificatePem: toPem('CERTIFICATE', new Uint8Array(row.certificate_der)),
  };
}

export function registerCertRoutes(app: HttpServer, deps: CertRouteDeps) {
  const ctx = (req: FastifyRequest): CertsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });
  const perAddress = {
    max: deps.rateMax,
    timeWindow: '1 minute',
    hook: 'preHandler' as const,
    keyGenerator: (req: FastifyRequest) => `cert|${req.ip}`,
  };

  // ------------------------------------------------------------------------------ certificate login

  app.post(
    '/api/auth/cert/challenge',
    {
      schema: {
        tags: ['身份认证'],
        summary: '获取证书登录质询（单次有效，2 分钟内签名提交）',
        body: ChallengeBody,
        response: { 200: ChallengeResponse },
      },
      config: { policy: 'public', rateLimit: perAddress },
    },
    async (req) => {
      const c = await deps.certs.login.issueLoginChallenge(ctx(req), { username: req.body.username });
      return { ...c, issuedAt: c.issuedAt.toISOString(), expiresAt: c.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/auth/cert/login',
    {
      schema: {
        tags: ['身份认证'],
        summary: '证书登录：提交签名证书和对质询的签名',
        body: CertLoginBody,
        response: { 200: CertLoginResponse },
      },
      config: { policy: 'public', rateLimit: perAddress },
    },
    async (req, reply) => {
      const { token, actor, expiresAt, certificate } = await deps.certs.login.login(ctx(req), req.body);
      if (req.body.tokenKind === 'cookie') {
        reply.setCookie(SESSION_COOKIE, token, {
          path: '/',
          httpOnly: true,
          sameSite: 'strict',
          secure: deps.secureCookies,
          expires: expiresAt,
        });
      }
      return {
        account: {
          id: actor.accountId,
          username: actor.username,
          displayName: actor.displayName,
          roles: actor.roles,
          organization: actor.organizationId
            ? { id: actor.organizationId, name: actor.organizationName }
            : null,
        },
        expiresAt: expiresAt.toISOString(),
        ...(req.body.tokenKind === 'bearer' ? { token } : {}),
        certificate: summary(certificate),
      };
    },
  );

  app.post(
    '/api/auth/cert/second-factor/challenge',
    {
      schema: {
        tags: ['身份认证'],
        summary: '获取证书二次验证质询（绑定当前会话）',
        response: { 200: ChallengeResponse },
      },
      config: { policy: 'authenticated', rateLimit: perAddress },
    },
    async (req) => {
      const c = await deps.certs.login.issueSecondFactorChallenge(ctx(req));
      return { ...c, issuedAt: c.issuedAt.toISOString(), expiresAt: c.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/auth/cert/second-factor',
    {
      schema: {
        tags: ['身份认证'],
        summary: '证书二次验证：当前会话标记为已通过证书验证',
        body: CertificateAnswerBody,
        response: { 200: SecondFactorResponse },
      },
      config: { policy: 'authenticated', rateLimit: perAddress },
    },
    async (req) => {
      const result = await deps.certs.login.secondFactor(ctx(req), req.body);
      return {
        verifiedAt: result.verifiedAt.toISOString(),
        bindingId: result.bindingId,
        certificate: summary(result.certificate),
      };
    },
  );

  app.get(
    '/api/auth/cert/second-factor',
    {
      schema: {
        tags: ['身份认证'],
        summary: '当前会话是否已通过证书验证',
        response: { 200: SecondFactorStatus },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => {
      const factor = await deps.certs.sessionCertificateFactor(req.actor!.sessionId);
      return {
        verified: factor !== null,
        verifiedAt: factor?.verifiedAt.toISOString() ?? null,
        signFingerprint: factor?.signFingerprint ?? null,
      };
    },
  );

  // ---------------------------------------------------------------------------------------- bindings

  app.post(
    '/api/certs/bindings',
    {
      schema: {
        tags: ['数字证书'],
        summary: '上传双证书（签名证书 + 加密证书）并绑定到当前账号',
        body: BindingBody,
        response: { 201: BindingView },
      },
      config: { policy: 'authenticated' },
    },
    async (req, reply) =>
      reply.status(201).send(bindingJson(await deps.certs.bindings.submit(ctx(req), req.body))),
  );

  app.get(
    '/api/certs/bindings/mine',
    {
      schema: {
        tags: ['数字证书'],
        summary: '我的证书绑定',
        response: { 200: z.object({ items: z.array(BindingView) }) },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => ({ items: (await deps.certs.bindings.listMine(ctx(req))).map(bindingJson) }),
  );

  app.get(
    '/api/certs/bindings',
    {
      schema: {
        tags: ['数字证书'],
        summary: '证书绑定列表（交易中心；可按状态筛选待确认的）',
        querystring: BindingListQuery,
        response: { 200: z.object({ items: z.array(BindingView) }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => ({ items: (await deps.certs.bindings.list(ctx(req), req.query)).map(bindingJson) }),
  );

  app.post(
    '/api/certs/bindings/:bindingId/confirm',
    {
      schema: {
        tags: ['数字证书'],
        summary: '确认证书绑定（交易中心核对持证人材料后）',
        params: BindingIdParams,
        response: { 200: BindingView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => bindingJson(await deps.certs.bindings.confirm(ctx(req), req.params.bindingId)),
  );

  app.post(
    '/api/certs/bindings/:bindingId/revoke',
    {
      schema: {
        tags: ['数字证书'],
        summary: '解除证书绑定（本人或交易中心）',
        params: BindingIdParams,
        response: { 200: BindingView },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => bindingJson(await deps.certs.bindings.revoke(ctx(req), req.params.bindingId)),
  );

  // ------------------------------------------------------------------------------------- trust store

  app.get(
    '/api/certs/trusted-cas',
    {
      schema: {
        tags: ['数字证书'],
        summary: '平台信任的CA证书（公开，供投标工具验证证书链）',
        response: { 200: z.object({ items: z.array(TrustedCaView) }) },
      },
      config: { policy: 'public' },
    },
    async () => ({ items: (await deps.certs.trust.listCas({ status: 'active' })).map(caJson) }),
  );

  app.get(
    '/api/certs/trust/cas',
    {
      schema: {
        tags: ['数字证书'],
        summary: '信任列表（含已停用的CA）',
        response: { 200: z.object({ items: z.array(TrustedCaView) }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async () => ({ items: (await deps.certs.trust.listCas()).map(caJson) }),
  );

  app.post(
    '/api/certs/trust/cas',
    {
      schema: {
        tags: ['数字证书'],
        summary: '添加受信任CA证书（根证书或中级CA证书）',
        body: TrustedCaBody,
        response: { 201: TrustedCaView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req, reply) => {
      const { certificate } = await deps.certs.trust.addCa(ctx(req), req.body);
      const row = (await deps.certs.trust.listCas()).find(
        (r) => r.fingerprint === certificate.fingerprintSha256,
      );
      return reply.status(201).send(caJson(row!));
    },
  );

  app.post(
    '/api/certs/trust/cas/:fingerprint/disable',
    {
      schema: {
        tags: ['数字证书'],
        summary: '停用受信任CA（经它的证书链立即失效）',
        params: FingerprintParams,
        response: { 200: TrustedCaView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => caJson(await deps.certs.trust.disableCa(ctx(req), req.params.fingerprint)),
  );

  app.get(
    '/api/certs/trust/crls',
    {
      schema: {
        tags: ['数字证书'],
        summary: '已加载的证书吊销列表',
        response: { 200: z.object({ items: z.array(CrlView) }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async () => ({
      items: (await deps.certs.trust.listCrls()).map((r) => ({
        id: r.id,
        issuer: r.issuer,
        issuerFingerprint: r.issuer_fingerprint,
        crlNumber: r.crl_number,
        thisUpdate: r.this_update.toISOString(),
        nextUpdate: r.next_update?.toISOString() ?? null,
        fingerprint: r.fingerprint,
        revokedCount: r.revoked_count,
      })),
    }),
  );

  app.post(
    '/api/certs/trust/crls',
    {
      bodyLimit: MAX_CRL_BODY,
      schema: {
        tags: ['数字证书'],
        summary: '加载证书吊销列表（CRL，PEM 或 Base64 DER；验证颁发CA的签名）',
        body: CrlBody,
        response: { 200: CrlView, 201: CrlView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req, reply) => {
      const { crl, issuer, alreadyLoaded, crlId } = await deps.certs.trust.loadCrl(ctx(req), req.body);
      return reply.status(alreadyLoaded ? 200 : 201).send({
        id: crlId,
        issuer: crl.issuer.text,
        issuerFingerprint: issuer.fingerprintSha256,
        crlNumber: crl.crlNumber,
        thisUpdate: crl.thisUpdate.toISOString(),
        nextUpdate: crl.nextUpdate?.toISOString() ?? null,
        fingerprint: crl.fingerprintSha256,
        revokedCount: crl.revoked.length,
        alreadyLoaded,
      });
    },
  );
}
