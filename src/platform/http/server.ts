import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyRequest, type RouteOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, Forbidden, Unauthenticated } from '../errors.ts';
import type { Actor, SessionLookup } from '../identity/actor.ts';
import type { Role } from '../identity/roles.ts';
import { describePolicy, type RoutePolicy } from './policy.ts';
import { problemOf, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** Why a presented session token was not accepted (shown instead of a generic 401). */
    sessionProblem: 'expired' | 'revoked' | 'unknown' | null;
    /** The role the actor acts in for this request (first role the route's policy accepts). */
    actingRole: Role | null;
  }
}

export const SESSION_COOKIE = 'ggzy_session';

export interface HttpServerOptions {
  version: string;
  logLevel: string;
  /** `false` silences request logs (tests); a stream receives them (tests that read the logs). */
  logger?: boolean | { stream: NodeJS.WritableStream };
  bodyLimit: number;
  authenticate(token: string): Promise<SessionLookup>;
  /** Database reachability for /api/health. */
  ping(): Promise<void>;
  serverTime(): Date;
  timeScale: number;
  /** Built web app to serve at `/`; null serves the API only. */
  webDir: string | null;
}

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: RoutePolicy | undefined;
}

// Plugin-made routes are public by nature: the API docs, and every GET outside /api/ (the files of the
// web app). Every other route must say who may call it.
function isPublicByNature(route: RouteOptions): boolean {
  if (/^\/api\/docs(\/|$)/.test(route.url)) return true;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return !route.url.startsWith('/api') && methods.every((m) => m === 'GET' || m === 'HEAD');
}

export async function createHttpServer(opts: HttpServerOptions) {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: opts.logLevel,
            ...(typeof opts.logger === 'object' ? { stream: opts.logger.stream } : {}),
            redact: {
              // Secrets never reach the logs: bodies are not logged at all, and these headers are masked.
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'res.headers["set-cookie"]',
                'req.headers["x-api-key"]',
              ],
              censor: '[redacted]',
            },
          },
    bodyLimit: opts.bodyLimit,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    trustProxy: false,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // JSON only (and multipart where a route registers it): a text/plain body is refused with 415.
  app.removeContentTypeParser(['text/plain']);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionProblem', null);
  app.decorateRequest('actingRole', null);

  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as { policy?: RoutePolicy };
    if (!config.policy) {
      if (isPublicByNature(route)) {
        route.config = { ...config, policy: 'public' } as RouteOptions['config'];
      } else {
        throw new Error(
          `route ${String(route.method)} ${route.url} declares no access policy (config.policy)`,
        );
      }
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({ method, url: route.url, policy: (route.config as { policy?: RoutePolicy }).policy });
    }
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'ggzy 公共资源交易平台 API', version: opts.version },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // Who is calling, and may they call this route at all: decided before the body is even parsed.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    const token = tokenOf(request);
    if (token) {
      const found = await opts.authenticate(token);
      if (found.ok) request.actor = found.actor;
      else request.sessionProblem = found.reason;
    }
    if (request.is404) return;
    request.actingRole = actingRoleFor(request, request.routeOptions.config.policy);
  });

  app.setErrorHandler((error, request, reply) => {
    const problem = problemOf(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else if (!(error instanceof AppError)) request.log.info({ err: error }, 'request rejected');
    return sendProblem(reply, problem);
  });

  const indexHtml = opts.webDir ? path.join(opts.webDir, 'index.html') : null;
  app.setNotFoundHandler({}, (request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url === '/api';
    if (!isApi && request.method === 'GET' && indexHtml && fs.existsSync(indexHtml)) {
      // The web app routes in the browser (history mode): any non-API path gets its page.
      return reply.type('text/html; charset=utf-8').send(fs.createReadStream(indexHtml));
    }
    return sendProblem(reply, {
      ...problemOf(
        new AppError(404, 'NOT_FOUND', {
          title: '请求的资源不存在',
          detail: `${request.method} ${request.url}`,
        }),
        request,
      ),
    });
  });

  if (opts.webDir && fs.existsSync(opts.webDir)) {
    await app.register(fastifyStatic, {
      root: opts.webDir,
      prefix: '/',
      wildcard: false,
      index: 'index.html',
    });
  }

  app.get('/api/openapi.json', { config: { policy: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get(
    '/api/health',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['平台'],
        summary: '健康检查：数据库可达、版本、服务器时间',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.literal('up'),
            version: z.string(),
            serverTime: z.string(),
            timeScale: z.number(),
          }),
        },
      },
    },
    async () => {
      await opts.ping();
      return {
        status: 'ok' as const,
        database: 'up' as const,
        version: opts.version,
        serverTime: opts.serverTime().toISOString(),
        timeScale: opts.timeScale,
      };
    },
  );

  return Object.assign(app, { registeredRoutes: routes });
}

export type HttpServer = Awaited<ReturnType<typeof createHttpServer>>;

function actingRoleFor(request: FastifyRequest, policy: RoutePolicy | undefined): Role | null {
  if (!policy) {
    throw new Forbidden('ROUTE_POLICY_MISSING', { title: '访问被拒绝', detail: '该接口未声明访问策略。' });
  }
  if (policy === 'public') return request.actor?.roles[0] ?? null;
  // The route itself verifies the institution's signature (a preHandler); no account acts here.
  if (policy === 'signed-request') return null;
  if (!request.actor) throw unauthenticated(request.sessionProblem);
  if (policy === 'authenticated') return request.actor.roles[0] ?? null;
  const role = request.actor.roles.find((r) => policy.roles.includes(r));
  if (!role) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '当前账号的角色不能访问该功能。',
    });
  }
  return role;
}

function tokenOf(request: FastifyRequest): string | null {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  return request.cookies[SESSION_COOKIE] ?? null;
}

function unauthenticated(reason: FastifyRequest['sessionProblem']): Unauthenticated {
  switch (reason) {
    case 'expired':
      return new Unauthenticated('SESSION_EXPIRED', { title: '登录已过期', detail: '请重新登录。' });
    case 'revoked':
      return new Unauthenticated('SESSION_REVOKED', {
        title: '登录已失效',
        detail: '该会话已被注销，请重新登录。',
      });
    default:
      return new Unauthenticated('AUTH_REQUIRED', { title: '请先登录', detail: '该功能需要登录后使用。' });
  }
}

export { describePolicy };
