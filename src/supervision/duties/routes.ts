import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import {
  type DutiesContext,
  type DutiesDb,
  discardDraft,
  publishDraft,
  readAdminList,
  readPublicLists,
  readPublishedVersion,
  regulationItems,
  saveDraft,
} from './duties.ts';
import {
  AdminListView,
  DraftInput,
  KindParams,
  PublicListsView,
  VersionParams,
  VersionView,
} from './schemas.ts';

export interface DutyRouteDeps {
  db: Kysely<DutiesDb>;
  clock: Clock;
}

const TAGS = ['权责清单'];
const OPERATOR = { roles: ['operator'] } as const;

/** 监管权力和责任清单、服务事项清单 (§37): public on the portal, maintained by the trading centre. */
export function registerDutyRoutes(app: HttpServer, deps: DutyRouteDeps): void {
  const ctx = (req: FastifyRequest): DutiesContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  app.get(
    '/api/public/duty-lists',
    {
      schema: {
        tags: TAGS,
        summary: '监管权力和责任清单、服务事项清单（现行版本及历史版本目录）',
        response: { 200: PublicListsView },
      },
      config: { policy: 'public' },
    },
    async () => readPublicLists(deps.db),
  );

  app.get(
    '/api/public/duty-lists/:kind/versions/:version',
    {
      schema: {
        tags: TAGS,
        summary: '清单的某一已发布版本（含历史版本）',
        params: VersionParams,
        response: { 200: VersionView },
      },
      config: { policy: 'public' },
    },
    async (req) => readPublishedVersion(deps.db, req.params.kind, req.params.version),
  );

  app.get(
    '/api/admin/duty-lists/:kind',
    {
      schema: {
        tags: TAGS,
        summary: '清单维护：现行版本、草稿与历史版本',
        params: KindParams,
        response: { 200: AdminListView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => readAdminList(ctx(req), req.params.kind),
  );

  app.get(
    '/api/admin/duty-lists/:kind/regulation-items',
    {
      schema: {
        tags: TAGS,
        summary: '依据《内蒙古自治区公共资源交易管理办法》条文整理的事项（可作为草稿的起点）',
        params: KindParams,
        response: { 200: z.object({ note: z.string(), items: VersionView.shape.items }) },
      },
      config: { policy: OPERATOR },
    },
    async (req) => regulationItems(req.actor, req.params.kind),
  );

  app.put(
    '/api/admin/duty-lists/:kind/draft',
    {
      schema: {
        tags: TAGS,
        summary: '保存清单草稿（不影响现行版本）',
        params: KindParams,
        body: DraftInput,
        response: { 200: VersionView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => saveDraft(ctx(req), req.params.kind, req.body),
  );

  app.delete(
    '/api/admin/duty-lists/:kind/draft',
    {
      schema: { tags: TAGS, summary: '删除清单草稿', params: KindParams },
      config: { policy: OPERATOR },
    },
    async (req, reply) => {
      await discardDraft(ctx(req), req.params.kind);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/admin/duty-lists/:kind/draft/publish',
    {
      schema: {
        tags: TAGS,
        summary: '发布草稿为新版本（原现行版本转为历史版本，内容不变）',
        params: KindParams,
        response: { 200: VersionView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => publishDraft(ctx(req), req.params.kind),
  );
}
