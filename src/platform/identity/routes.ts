import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock/index.ts';
import { type HttpServer, originOf, SESSION_COOKIE } from '../http/index.ts';
import type { Actor } from './actor.ts';
import type { Identity, IdentityContext, IdentityDb } from './identity.ts';
import {
  AccountIdParams,
  AccountListItem,
  AccountView,
  ChangePasswordBody,
  CreateAccountBody,
  LoginBody,
  LoginResponse,
  PageQuery,
} from './schemas.ts';
import * as store from './store.ts';

export interface IdentityRouteDeps {
  identity: Identity;
  db: Kysely<IdentityDb>;
  clock: Clock;
  loginRateMax: number;
  /** Mark the cookie Secure when served over HTTPS. */
  secureCookies: boolean;
}

function toAccountView(actor: Actor) {
  return {
    id: actor.accountId,
    username: actor.username,
    displayName: actor.displayName,
    roles: actor.roles,
    organization: actor.organizationId ? { id: actor.organizationId, name: actor.organizationName } : null,
  };
}

export function registerIdentityRoutes(app: HttpServer, deps: IdentityRouteDeps) {
  const ctx = (req: FastifyRequest): IdentityContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['身份认证'],
        summary: '用户名密码登录',
        body: LoginBody,
        response: { 200: LoginResponse },
      },
      config: {
        policy: 'public',
        // Per address and username: guessing one account's password is slow, and one office behind a
        // shared address does not lock its colleagues out.
        rateLimit: {
          max: deps.loginRateMax,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (req: FastifyRequest) =>
            `${req.ip}|${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
    },
    async (req, reply) => {
      const { token, actor, expiresAt } = await deps.identity.login(ctx(req), {
        username: req.body.username,
        password: req.body.password,
        kind: req.body.tokenKind,
      });
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
        account: toAccountView(actor),
        expiresAt: expiresAt.toISOString(),
        ...(req.body.tokenKind === 'bearer' ? { token } : {}),
      };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: { tags: ['身份认证'], summary: '退出登录（注销当前会话）', response: { 204: z.null() } },
      config: { policy: 'authenticated' },
    },
    async (req, reply) => {
      await deps.identity.logout(ctx(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      schema: { tags: ['身份认证'], summary: '当前登录账号', response: { 200: AccountView } },
      config: { policy: 'authenticated' },
    },
    async (req) => toAccountView(req.actor!),
  );

  app.post(
    '/api/auth/password',
    {
      schema: {
        tags: ['身份认证'],
        summary: '修改密码（其他会话随之失效）',
        body: ChangePasswordBody,
        response: { 204: z.null() },
      },
      config: { policy: 'authenticated' },
    },
    async (req, reply) => {
      await deps.identity.changePassword(ctx(req), req.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/admin/accounts',
    {
      schema: {
        tags: ['账号管理'],
        summary: '账号列表',
        querystring: PageQuery,
        response: { 200: z.object({ total: z.number(), items: z.array(AccountListItem) }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => {
      const [rows, total] = await Promise.all([
        store.listAccounts(deps.db, req.query),
        store.countAccounts(deps.db),
      ]);
      return {
        total,
        items: rows.map((r) => ({
          id: r.id,
          username: r.username,
          displayName: r.display_name,
          roles: r.roles,
          status: r.status,
          organization: r.organization_id ? { id: r.organization_id, name: r.organization_name } : null,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/admin/accounts',
    {
      schema: {
        tags: ['账号管理'],
        summary: '创建账号',
        body: CreateAccountBody,
        response: { 201: z.object({ id: z.string(), username: z.string() }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req, reply) => {
      const account = await deps.identity.createAccount(ctx(req), req.body);
      return reply.status(201).send({ id: account.id, username: account.username });
    },
  );

  app.get(
    '/api/admin/organizations',
    {
      schema: {
        tags: ['账号管理'],
        summary: '组织列表（新建在前，供创建账号时选择所属单位）',
        querystring: PageQuery,
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), name: z.string(), creditCode: z.string().nullable() })),
          }),
        },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => ({
      items: (await store.listOrganizations(deps.db, req.query)).map((o) => ({
        id: o.id,
        name: o.name,
        creditCode: o.credit_code,
      })),
    }),
  );

  app.post(
    '/api/admin/accounts/:accountId/disable',
    {
      schema: {
        tags: ['账号管理'],
        summary: '停用账号（其全部会话立即失效）',
        params: AccountIdParams,
        response: { 200: z.object({ sessionsEnded: z.number() }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => {
      const { sessionsEnded } = await deps.identity.disableAccount(ctx(req), req.params.accountId);
      return { sessionsEnded };
    },
  );

  app.post(
    '/api/admin/accounts/:accountId/revoke-sessions',
    {
      schema: {
        tags: ['账号管理'],
        summary: '强制下线（注销该账号全部会话）',
        params: AccountIdParams,
        response: { 200: z.object({ sessionsEnded: z.number() }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => ({ sessionsEnded: await deps.identity.revokeSessions(ctx(req), req.params.accountId) }),
  );
}
