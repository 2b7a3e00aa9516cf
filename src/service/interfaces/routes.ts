import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf, signedRouteHooks } from '../../platform/http/index.ts';
import { bodyDigest, listOwnRecords, listPushes, pushRecords } from './aggregation.ts';
import { authenticateSystem } from './auth.ts';
import {
  MAX_INTERFACE_BODY,
  PushBody,
  PushesQuery,
  PushResult,
  PushView,
  RecordsPage,
  RecordsQuery,
  RegisterSystemBody,
  RevokeSystemBody,
  SystemIdParams,
  SystemView,
} from './schemas.ts';
import type { SystemRow } from './store.ts';
import { type InterfacesContext, listSystems, type ReadDb, registerSystem, revokeSystem } from './systems.ts';

export interface InterfaceRouteDeps {
  db: ReadDb;
  clock: Clock;
  /** Real time for the signed-request window (never the scaled platform clock); default the system's. */
  realNow?: () => Date;
}

const TAGS = ['第三方系统接入（签名请求）'];
const ADMIN_TAGS = ['第三方系统接入管理'];
const OPERATOR = { roles: ['operator'] as const };
// No session: the route verifies the system's SM2 signature before its handler (docs/interface-spec.md).
const SIGNED = 'signed-request' as const;

export function registerInterfaceRoutes(app: HttpServer, deps: InterfaceRouteDeps): void {
  const realNow = deps.realNow ?? (() => new Date());
  const ctx = (req: FastifyRequest): InterfacesContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- signed system requests: the exact body bytes are kept to check the signature over them ----
  const {
    hooks: signed,
    callerOf: systemOf,
    rawBodyOf,
  } = signedRouteHooks<SystemRow>({
    maxBody: MAX_INTERFACE_BODY,
    tooLargeDetail: `第三方系统接口请求体不超过 ${MAX_INTERFACE_BODY / 1024 / 1024} MiB。`,
    authenticate: (request) => authenticateSystem(deps.db, request, realNow()),
  });
  const systemOrigin = (req: FastifyRequest) => ({
    ...originOf(req),
    role: 'third-party-system',
    organizationId: null,
    accountId: `system:${systemOf(req).platform_code}`,
  });

  app.post(
    '/api/interfaces/records',
    {
      schema: {
        tags: TAGS,
        summary: '统一交易数据汇总端口：按数据规范推送记录（每次最多 1000 条），逐条返回处理结果',
        body: PushBody,
        response: { 200: PushResult },
      },
      config: { policy: SIGNED },
      ...signed,
    },
    async (req) => {
      const system = systemOf(req);
      return pushRecords(
        { ...ctx(req), origin: systemOrigin(req) },
        system,
        req.body,
        bodyDigest(rawBodyOf(req)),
      );
    },
  );

  app.get(
    '/api/interfaces/records',
    {
      schema: {
        tags: TAGS,
        summary: '本系统已推送的记录（按接收顺序分页，after 为上一页最后一条的 seq）',
        querystring: RecordsQuery,
        response: { 200: RecordsPage },
      },
      config: { policy: SIGNED },
      ...signed,
    },
    async (req) => listOwnRecords(deps.db, systemOf(req), req.query),
  );

  // ---- operator: credentials and the recent pushes ----

  app.get(
    '/api/admin/interface-systems',
    {
      schema: {
        tags: ADMIN_TAGS,
        summary: '已登记接口凭证的第三方系统与盟市平台',
        response: { 200: z.object({ items: z.array(SystemView) }) },
      },
      config: { policy: OPERATOR },
    },
    async (req) => ({ items: await listSystems(ctx(req)) }),
  );

  app.post(
    '/api/admin/interface-systems',
    {
      schema: {
        tags: ADMIN_TAGS,
        summary: '登记第三方系统接口凭证（平台目录中的系统、SM2 证书、数据范围）',
        body: RegisterSystemBody,
        response: { 201: SystemView },
      },
      config: { policy: OPERATOR },
    },
    async (req, reply) => reply.status(201).send(await registerSystem(ctx(req), req.body)),
  );

  app.post(
    '/api/admin/interface-systems/:id/revoke',
    {
      schema: {
        tags: ADMIN_TAGS,
        summary: '吊销第三方系统接口凭证（须填写原因）',
        params: SystemIdParams,
        body: RevokeSystemBody,
        response: { 200: SystemView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => revokeSystem(ctx(req), req.params.id, req.body.reason),
  );

  app.get(
    '/api/admin/interface-pushes',
    {
      schema: {
        tags: ADMIN_TAGS,
        summary: '最近的数据推送及逐条处理结果',
        querystring: PushesQuery,
        response: { 200: z.object({ items: z.array(PushView) }) },
      },
      config: { policy: OPERATOR },
    },
    async (req) => ({ items: await listPushes(ctx(req), req.query) }),
  );
}
