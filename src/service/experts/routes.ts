import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type { ExpertsContext, ExpertsDb } from './common.ts';
import {
  addExpertRecord,
  admitApplication,
  changeExpertStatus,
  getExpertForStaff,
  getMyApplication,
  getMyProfile,
  listApplications,
  listMyRecords,
  listPool,
  rejectApplication,
  replaceMyRelationships,
  replaceMyUnavailability,
  submitApplication,
  updateExpertQualifications,
  updateMyProfile,
} from './experts.ts';
import {
  AdmitBody,
  ApplicationBody,
  ApplicationIdParams,
  ApplicationQuery,
  ApplicationView,
  DecisionBody,
  ExpertDetailView,
  ExpertIdParams,
  ExpertView,
  PoolQuery,
  ProfilePatch,
  QualificationsBody,
  RecordBody,
  RecordView,
  RelationshipsBody,
  RelationshipView,
  StatusBody,
  UnavailabilityBody,
  UnavailabilityView,
} from './schemas.ts';
import { SPECIALTY_TABLE_SOURCE, type SpecialtyNode, specialtyTree } from './specialties.ts';

export interface ExpertRouteDeps {
  db: Kysely<ExpertsDb>;
  clock: Clock;
  sealer: FieldSealer;
  /** Applications per address per minute (default 20): the application is public and creates accounts. */
  applicationRateMax?: number;
}

const TAGS = ['专家库'];
const POOL_READERS = { roles: ['operator', 'supervisor'] } as const;
const SUPERVISOR = { roles: ['supervisor'] } as const;
const EXPERT = { roles: ['expert'] } as const;

const SpecialtyNodeView: z.ZodType<SpecialtyNode> = z.lazy(() =>
  z.object({ code: z.string(), name: z.string(), children: z.array(SpecialtyNodeView).optional() }),
);

export function registerExpertRoutes(app: HttpServer, deps: ExpertRouteDeps): void {
  const ctx = (req: FastifyRequest): ExpertsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });
  const sealing = { sealer: deps.sealer };

  // ---- public ----

  app.get(
    '/api/experts/specialties',
    {
      schema: {
        tags: TAGS,
        summary: '评标专家专业分类代码表（工程 / 货物 / 服务，逐级细分）',
        response: { 200: z.object({ source: z.string(), items: z.array(SpecialtyNodeView) }) },
      },
      config: { policy: 'public' },
    },
    async () => ({ source: SPECIALTY_TABLE_SOURCE, items: specialtyTree() }),
  );

  app.post(
    '/api/experts/applications',
    {
      schema: {
        tags: TAGS,
        summary: '评标专家入库申请（面向社会公开征集；同时创建申请人账号，入库由行政监督部门决定）',
        body: ApplicationBody,
        response: {
          201: z.object({
            application: ApplicationView,
            account: z.object({ id: z.string(), username: z.string() }),
          }),
        },
      },
      config: {
        policy: 'public',
        rateLimit: { max: deps.applicationRateMax ?? 20, timeWindow: '1 minute', hook: 'preHandler' },
      },
    },
    async (req, reply) => reply.status(201).send(await submitApplication(ctx(req), sealing, req.body)),
  );

  // ---- the expert (and the applicant) ----

  app.get(
    '/api/experts/me/application',
    {
      schema: { tags: TAGS, summary: '我的入库申请及审核结果', response: { 200: ApplicationView } },
      config: { policy: EXPERT },
    },
    async (req) => getMyApplication(ctx(req)),
  );

  app.get(
    '/api/experts/me',
    {
      schema: {
        tags: TAGS,
        summary: '我的专家信息（身份证号、电话脱敏；入库后可用）',
        response: { 200: ExpertDetailView },
      },
      config: { policy: EXPERT },
    },
    async (req) => getMyProfile(ctx(req)),
  );

  app.patch(
    '/api/experts/me',
    {
      schema: {
        tags: TAGS,
        summary: '修改我的联系电话、工作单位、学历（专业、职称、状态由行政监督部门变更）',
        body: ProfilePatch,
        response: { 200: ExpertDetailView },
      },
      config: { policy: EXPERT },
    },
    async (req) => updateMyProfile(ctx(req), sealing, req.body),
  );

  app.put(
    '/api/experts/me/unavailability',
    {
      schema: {
        tags: TAGS,
        summary: '申报不能参加评标的日期（整体替换）',
        body: UnavailabilityBody,
        response: { 200: z.object({ items: z.array(UnavailabilityView) }) },
      },
      config: { policy: EXPERT },
    },
    async (req) => ({ items: await replaceMyUnavailability(ctx(req), req.body) }),
  );

  app.put(
    '/api/experts/me/relationships',
    {
      schema: {
        tags: TAGS,
        summary: '申报利害关系单位（配偶/近亲属受聘、持股、任职、三年内曾受聘；整体替换）',
        body: RelationshipsBody,
        response: { 200: z.object({ items: z.array(RelationshipView) }) },
      },
      config: { policy: EXPERT },
    },
    async (req) => ({ items: await replaceMyRelationships(ctx(req), req.body) }),
  );

  app.get(
    '/api/experts/me/records',
    {
      schema: {
        tags: TAGS,
        summary: '我的培训、考核、评标表现和信用记录',
        response: { 200: z.object({ items: z.array(RecordView) }) },
      },
      config: { policy: EXPERT },
    },
    async (req) => ({ items: await listMyRecords(ctx(req)) }),
  );

  // ---- staff and supervisors: the pool ----

  app.get(
    '/api/experts',
    {
      schema: {
        tags: TAGS,
        summary: '专家库查询（专业代码前缀、地区、状态、姓名；身份证号脱敏）',
        querystring: PoolQuery,
        response: {
          200: z.object({
            items: z.array(ExpertView),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
        },
      },
      config: { policy: POOL_READERS },
    },
    async (req) => listPool(ctx(req), req.query),
  );

  app.get(
    '/api/experts/applications',
    {
      schema: {
        tags: TAGS,
        summary: '入库申请列表',
        querystring: ApplicationQuery,
        response: { 200: z.object({ items: z.array(ApplicationView) }) },
      },
      config: { policy: POOL_READERS },
    },
    async (req) => ({ items: await listApplications(ctx(req), req.query) }),
  );

  app.get(
    '/api/experts/:expertId',
    {
      schema: {
        tags: TAGS,
        summary: '专家详情（身份证号始终脱敏）',
        params: ExpertIdParams,
        response: { 200: ExpertDetailView.extend({ records: z.array(RecordView) }) },
      },
      config: { policy: POOL_READERS },
    },
    async (req) => getExpertForStaff(ctx(req), req.params.expertId),
  );

  // ---- the regulator decides (§40) ----

  app.post(
    '/api/experts/applications/:applicationId/admit',
    {
      schema: {
        tags: TAGS,
        summary: '准予入库（行政监督部门）',
        params: ApplicationIdParams,
        body: AdmitBody,
        response: { 200: ApplicationView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => admitApplication(ctx(req), sealing, req.params.applicationId, req.body.reason),
  );

  app.post(
    '/api/experts/applications/:applicationId/reject',
    {
      schema: {
        tags: TAGS,
        summary: '不予入库（行政监督部门，须说明理由）',
        params: ApplicationIdParams,
        body: DecisionBody,
        response: { 200: ApplicationView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => rejectApplication(ctx(req), req.params.applicationId, req.body.reason),
  );

  app.post(
    '/api/experts/:expertId/status',
    {
      schema: {
        tags: TAGS,
        summary: '暂停、恢复或退出（行政监督部门，须说明理由；暂停可设截止日期）',
        params: ExpertIdParams,
        body: StatusBody,
        response: { 200: ExpertDetailView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => changeExpertStatus(ctx(req), req.params.expertId, req.body),
  );

  app.post(
    '/api/experts/:expertId/records',
    {
      schema: {
        tags: TAGS,
        summary: '登记培训、考核或信用记录（行政监督部门）',
        params: ExpertIdParams,
        body: RecordBody,
        response: { 201: RecordView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req, reply) =>
      reply.status(201).send(await addExpertRecord(ctx(req), req.params.expertId, req.body)),
  );

  app.put(
    '/api/experts/:expertId/qualifications',
    {
      schema: {
        tags: TAGS,
        summary: '变更评标专业、职称、从业年限、所在地区（行政监督部门）',
        params: ExpertIdParams,
        body: QualificationsBody,
        response: { 200: ExpertDetailView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => updateExpertQualifications(ctx(req), req.params.expertId, req.body),
  );
}
