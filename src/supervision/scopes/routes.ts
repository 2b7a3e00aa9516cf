import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import { ScopeInput, ScopeView } from './schemas.ts';
import {
  listSupervisorScopes,
  myScope,
  type ScopesContext,
  type ScopesDb,
  setSupervisorScope,
} from './scopes.ts';

export interface ScopeRouteDeps {
  db: Kysely<ScopesDb>;
  clock: Clock;
}

const TAGS = ['监管范围'];

/** 监管范围: the trading centre configures which 行业 × 地域 each supervisor account oversees. */
export function registerScopeRoutes(app: HttpServer, deps: ScopeRouteDeps): void {
  const ctx = (req: FastifyRequest): ScopesContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  app.get(
    '/api/supervision/scope',
    {
      schema: {
        tags: TAGS,
        summary: '本账号的监管范围（所属监督部门、行业、地域）',
        response: { 200: ScopeView },
      },
      config: { policy: { roles: ['supervisor'] } },
    },
    async (req) => myScope(deps.db, req.actor),
  );

  app.get(
    '/api/supervision/scopes',
    {
      schema: {
        tags: TAGS,
        summary: '全部行政监督账号的监管范围',
        response: { 200: z.object({ items: z.array(ScopeView) }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async () => ({ items: await listSupervisorScopes(deps.db) }),
  );

  app.put(
    '/api/supervision/scopes/:accountId',
    {
      schema: {
        tags: TAGS,
        summary: '配置行政监督账号的监管范围（交易中心）',
        params: z.object({ accountId: z.string().min(1) }),
        body: ScopeInput,
        response: { 200: ScopeView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => setSupervisorScope(ctx(req), req.params.accountId, req.body),
  );
}
