import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import {
  acceptEntity,
  addMyQualification,
  type EntitiesContext,
  type EntitiesDb,
  getEntityForStaff,
  getMyEntity,
  listEntitiesForStaff,
  listEntityVersionsForStaff,
  listMyVersions,
  registerEntity,
  removeMyQualification,
  resubmitMyEntity,
  returnEntity,
  searchPublicEntities,
  updateMyEntity,
} from './entities.ts';
import {
  createOrganizationAccount,
  disableOrganizationAccount,
  listOrganizationAccounts,
} from './organization-accounts.ts';
import {
  AcceptBody,
  AccountIdParams,
  AdminEntityQuery,
  CreateOrganizationAccountBody,
  EntityIdParams,
  EntityListItem,
  EntityUpdateInput,
  EntityView,
  MyEntityView,
  OrganizationAccountView,
  PublicEntityQuery,
  PublicEntityView,
  QualificationIdParams,
  QualificationInput,
  RegistrationBody,
  ReturnBody,
  VersionView,
} from './schemas.ts';

export interface EntityRouteDeps {
  db: Kysely<EntitiesDb>;
  clock: Clock;
  /** Registrations per address per minute (default 20): registration is public and creates accounts. */
  registrationRateMax?: number;
}

const TAGS = ['市场主体'];

export function registerEntityRoutes(app: HttpServer, deps: EntityRouteDeps): void {
  const ctx = (req: FastifyRequest): EntitiesContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- public ----

  app.post(
    '/api/public/entity-registrations',
    {
      schema: {
        tags: TAGS,
        summary: '市场主体注册登记（同时创建机构管理员账号；提交后待交易中心受理）',
        body: RegistrationBody,
        response: {
          201: z.object({ entity: EntityView, account: z.object({ id: z.string(), username: z.string() }) }),
        },
      },
      config: {
        policy: 'public',
        rateLimit: { max: deps.registrationRateMax ?? 20, timeWindow: '1 minute', hook: 'preHandler' },
      },
    },
    async (req, reply) => reply.status(201).send(await registerEntity(ctx(req), req.body)),
  );

  app.get(
    '/api/public/entities',
    {
      schema: {
        tags: TAGS,
        summary: '市场主体公开查询（名称关键字或统一社会信用代码；只含公开信息）',
        querystring: PublicEntityQuery,
        response: { 200: z.object({ items: z.array(PublicEntityView) }) },
      },
      config: { policy: 'public' },
    },
    async (req) => ({ items: await searchPublicEntities(deps, req.query) }),
  );

  // ---- the entity itself ----

  app.get(
    '/api/my/entity',
    {
      schema: {
        tags: TAGS,
        summary: '本单位市场主体信息（证件号码脱敏；isOrganizationAdmin：当前账号是否为机构管理员）',
        response: { 200: MyEntityView },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => getMyEntity(ctx(req)),
  );

  app.put(
    '/api/my/entity',
    {
      schema: {
        tags: TAGS,
        summary: '修改本单位市场主体信息（机构管理员；每次修改留存版本；证件号码不修改可省略）',
        body: EntityUpdateInput,
        response: { 200: MyEntityView },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => updateMyEntity(ctx(req), req.body),
  );

  app.post(
    '/api/my/entity/submit',
    {
      schema: { tags: TAGS, summary: '补正后重新提交登记（机构管理员）', response: { 200: MyEntityView } },
      config: { policy: 'authenticated' },
    },
    async (req) => resubmitMyEntity(ctx(req)),
  );

  app.post(
    '/api/my/entity/qualifications',
    {
      schema: {
        tags: TAGS,
        summary: '新增资质（机构管理员）',
        body: QualificationInput,
        response: { 201: MyEntityView },
      },
      config: { policy: 'authenticated' },
    },
    async (req, reply) => reply.status(201).send(await addMyQualification(ctx(req), req.body)),
  );

  app.delete(
    '/api/my/entity/qualifications/:qualificationId',
    {
      schema: {
        tags: TAGS,
        summary: '删除资质（机构管理员；历史版本仍保留）',
        params: QualificationIdParams,
        response: { 200: MyEntityView },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => removeMyQualification(ctx(req), req.params.qualificationId),
  );

  app.get(
    '/api/my/entity/versions',
    {
      schema: {
        tags: TAGS,
        summary: '本单位主体信息的历史版本',
        response: { 200: z.object({ items: z.array(VersionView) }) },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => ({ items: await listMyVersions(ctx(req)) }),
  );

  app.get(
    '/api/my/accounts',
    {
      schema: {
        tags: TAGS,
        summary: '本单位账号列表（机构管理员）',
        response: { 200: z.object({ items: z.array(OrganizationAccountView) }) },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => ({ items: await listOrganizationAccounts(ctx(req)) }),
  );

  app.post(
    '/api/my/accounts',
    {
      schema: {
        tags: TAGS,
        summary: '创建本单位账号（机构管理员；仅限本单位已登记的招标人/代理机构/投标人角色）',
        body: CreateOrganizationAccountBody,
        response: { 201: z.object({ id: z.string(), username: z.string() }) },
      },
      config: { policy: 'authenticated' },
    },
    async (req, reply) => reply.status(201).send(await createOrganizationAccount(ctx(req), req.body)),
  );

  app.post(
    '/api/my/accounts/:accountId/disable',
    {
      schema: {
        tags: TAGS,
        summary: '停用本单位账号（机构管理员；其全部会话立即失效）',
        params: AccountIdParams,
        response: { 200: z.object({ sessionsEnded: z.number() }) },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => disableOrganizationAccount(ctx(req), req.params.accountId),
  );

  // ---- the trading centre ----

  app.get(
    '/api/admin/entities',
    {
      schema: {
        tags: TAGS,
        summary: '市场主体登记列表（受理队列：status=submitted）',
        querystring: AdminEntityQuery,
        response: { 200: z.object({ total: z.number(), items: z.array(EntityListItem) }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => listEntitiesForStaff(ctx(req), req.query),
  );

  app.get(
    '/api/admin/entities/:entityId',
    {
      schema: {
        tags: TAGS,
        summary: '市场主体登记详情',
        params: EntityIdParams,
        response: { 200: EntityView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => getEntityForStaff(ctx(req), req.params.entityId),
  );

  app.get(
    '/api/admin/entities/:entityId/versions',
    {
      schema: {
        tags: TAGS,
        summary: '市场主体信息的历史版本',
        params: EntityIdParams,
        response: { 200: z.object({ items: z.array(VersionView) }) },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => ({ items: await listEntityVersionsForStaff(ctx(req), req.params.entityId) }),
  );

  app.post(
    '/api/admin/entities/:entityId/accept',
    {
      schema: {
        tags: TAGS,
        summary: '受理市场主体登记（只核验材料齐全、真实，不作审批，§48(1)）',
        params: EntityIdParams,
        body: AcceptBody,
        response: { 200: EntityView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => acceptEntity(ctx(req), req.params.entityId, req.body),
  );

  app.post(
    '/api/admin/entities/:entityId/return',
    {
      schema: {
        tags: TAGS,
        summary: '退回补正（说明原因）',
        params: EntityIdParams,
        body: ReturnBody,
        response: { 200: EntityView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => returnEntity(ctx(req), req.params.entityId, req.body),
  );
}
