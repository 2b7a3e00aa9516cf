import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { CalendarDate, Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import {
  addDisclosureItem,
  addPlatform,
  approveCatalogChange,
  type CatalogsContext,
  type CatalogsDb,
  disclosedAnnouncementKinds,
  draftCatalogChange,
  getCatalogChange,
  getTradingCatalog,
  getTradingCatalogItem,
  listCatalogChanges,
  listDisclosureItems,
  listPlatforms,
  listTradingCatalogVersions,
  rejectCatalogChange,
  setPlatformStatus,
  updateDisclosureItem,
  updatePlatform,
} from './catalogs.ts';
import {
  AsOfQuery,
  CatalogVersionView,
  ChangeRequestInput,
  ChangeRequestQuery,
  ChangeRequestView,
  DisclosureCodeParams,
  DisclosureCreateInput,
  DisclosureInput,
  DisclosureView,
  IdParams,
  ItemCodeParams,
  PlatformCodeParams,
  PlatformInput,
  PlatformUpdateInput,
  PlatformView,
  RejectInput,
  SuspendInput,
  TradingCatalogItemView,
  TradingCatalogView,
} from './schemas.ts';

export interface CatalogRouteDeps {
  db: Kysely<CatalogsDb>;
  clock: Clock;
}

const TAGS = ['目录管理'];
const OPERATOR = { roles: ['operator'] } as const;

export function registerCatalogRoutes(app: HttpServer, deps: CatalogRouteDeps): void {
  const ctx = (req: FastifyRequest): CatalogsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });
  const asOf = (value: string | undefined) => value as CalendarDate | undefined;

  // ---- public ----

  app.get(
    '/api/public/catalogs/trading',
    {
      schema: {
        tags: TAGS,
        summary: '交易目录（asOf：查询该日施行的版本，默认今天）',
        querystring: AsOfQuery,
        response: { 200: TradingCatalogView },
      },
      config: { policy: 'public' },
    },
    async (req) => getTradingCatalog(deps, asOf(req.query.asOf)),
  );

  app.get(
    '/api/public/catalogs/trading/versions',
    {
      schema: {
        tags: TAGS,
        summary: '交易目录的全部版本（现行、待施行、已废止）',
        response: { 200: z.object({ items: z.array(CatalogVersionView) }) },
      },
      config: { policy: 'public' },
    },
    async () => ({ items: await listTradingCatalogVersions(deps) }),
  );

  app.get(
    '/api/public/catalogs/trading/items/:code',
    {
      schema: {
        tags: TAGS,
        summary: '交易目录事项（asOf：该日施行的版本）',
        params: ItemCodeParams,
        querystring: AsOfQuery,
        response: { 200: TradingCatalogItemView },
      },
      config: { policy: 'public' },
    },
    async (req) => getTradingCatalogItem(deps, req.params.code, asOf(req.query.asOf)),
  );

  app.get(
    '/api/public/catalogs/platforms',
    {
      schema: {
        tags: TAGS,
        summary: '平台目录（自治区、盟市公共资源交易平台及第三方交易系统）',
        response: { 200: z.object({ items: z.array(PlatformView) }) },
      },
      config: { policy: 'public' },
    },
    async () => ({ items: await listPlatforms(deps.db) }),
  );

  app.get(
    '/api/public/catalogs/disclosure',
    {
      schema: {
        tags: TAGS,
        summary: '信息公开目录（向社会公开的事项）',
        response: {
          200: z.object({ items: z.array(DisclosureView), announcementKinds: z.array(z.string()) }),
        },
      },
      config: { policy: 'public' },
    },
    async () => ({
      items: await listDisclosureItems(deps.db, { publicOnly: true }),
      announcementKinds: await disclosedAnnouncementKinds(deps.db),
    }),
  );

  // ---- staff: trading catalog changes ----

  app.get(
    '/api/admin/catalogs/trading/change-requests',
    {
      schema: {
        tags: TAGS,
        summary: '交易目录变更申请列表',
        querystring: ChangeRequestQuery,
        response: { 200: z.object({ items: z.array(ChangeRequestView) }) },
      },
      config: { policy: OPERATOR },
    },
    async (req) => ({ items: await listCatalogChanges(ctx(req), req.query.status) }),
  );

  app.get(
    '/api/admin/catalogs/trading/change-requests/:id',
    {
      schema: {
        tags: TAGS,
        summary: '交易目录变更申请详情',
        params: IdParams,
        response: { 200: ChangeRequestView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => getCatalogChange(ctx(req), req.params.id),
  );

  app.post(
    '/api/admin/catalogs/trading/change-requests',
    {
      schema: {
        tags: TAGS,
        summary: '起草交易目录变更（新增、修改、撤销事项；须另一名工作人员审核后生效）',
        body: ChangeRequestInput,
        response: { 201: ChangeRequestView },
      },
      config: { policy: OPERATOR },
    },
    async (req, reply) => reply.status(201).send(await draftCatalogChange(ctx(req), req.body)),
  );

  app.post(
    '/api/admin/catalogs/trading/change-requests/:id/approve',
    {
      schema: {
        tags: TAGS,
        summary: '审核通过目录变更（生成自施行日期起施行的新版本；起草人本人不能审核）',
        params: IdParams,
        response: { 200: ChangeRequestView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => approveCatalogChange(ctx(req), req.params.id),
  );

  app.post(
    '/api/admin/catalogs/trading/change-requests/:id/reject',
    {
      schema: {
        tags: TAGS,
        summary: '驳回目录变更（须说明理由；起草人本人不能审核）',
        params: IdParams,
        body: RejectInput,
        response: { 200: ChangeRequestView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => rejectCatalogChange(ctx(req), req.params.id, req.body.reason),
  );

  // ---- staff: platform catalog ----

  app.post(
    '/api/admin/catalogs/platforms',
    {
      schema: {
        tags: TAGS,
        summary: '平台目录：新增平台',
        body: PlatformInput,
        response: { 201: PlatformView },
      },
      config: { policy: OPERATOR },
    },
    async (req, reply) => reply.status(201).send(await addPlatform(ctx(req), req.body)),
  );

  app.put(
    '/api/admin/catalogs/platforms/:code',
    {
      schema: {
        tags: TAGS,
        summary: '平台目录：修改平台信息',
        params: PlatformCodeParams,
        body: PlatformUpdateInput,
        response: { 200: PlatformView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => updatePlatform(ctx(req), req.params.code, req.body),
  );

  app.post(
    '/api/admin/catalogs/platforms/:code/suspend',
    {
      schema: {
        tags: TAGS,
        summary: '平台目录：暂停平台',
        params: PlatformCodeParams,
        body: SuspendInput,
        response: { 200: PlatformView },
      },
      config: { policy: OPERATOR },
    },
    async (req) =>
      setPlatformStatus(ctx(req), req.params.code, { status: 'suspended', reason: req.body.reason }),
  );

  app.post(
    '/api/admin/catalogs/platforms/:code/resume',
    {
      schema: {
        tags: TAGS,
        summary: '平台目录：恢复平台',
        params: PlatformCodeParams,
        response: { 200: PlatformView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => setPlatformStatus(ctx(req), req.params.code, { status: 'active', reason: null }),
  );

  // ---- staff: disclosure catalog ----

  app.get(
    '/api/admin/catalogs/disclosure',
    {
      schema: {
        tags: TAGS,
        summary: '信息公开目录（含不公开的事项）',
        response: { 200: z.object({ items: z.array(DisclosureView) }) },
      },
      config: { policy: OPERATOR },
    },
    async () => ({ items: await listDisclosureItems(deps.db, { publicOnly: false }) }),
  );

  app.post(
    '/api/admin/catalogs/disclosure',
    {
      schema: {
        tags: TAGS,
        summary: '信息公开目录：新增公开事项',
        body: DisclosureCreateInput,
        response: { 201: DisclosureView },
      },
      config: { policy: OPERATOR },
    },
    async (req, reply) => reply.status(201).send(await addDisclosureItem(ctx(req), req.body)),
  );

  app.put(
    '/api/admin/catalogs/disclosure/:code',
    {
      schema: {
        tags: TAGS,
        summary: '信息公开目录：修改公开事项',
        params: DisclosureCodeParams,
        body: DisclosureInput,
        response: { 200: DisclosureView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => updateDisclosureItem(ctx(req), req.params.code, req.body),
  );
}
