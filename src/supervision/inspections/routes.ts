import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFound } from '../../platform/errors.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import { findAccountById } from '../../platform/identity/index.ts';
import type { InspectionsContext, InspectionsDeps } from './context.ts';
import { listSupervisorScopes, requireSupervisorScope } from './deps.ts';
import { drawBatch, recuse } from './draw.ts';
import { getList, listTargetCandidates, saveInspectorList, saveItemList, saveTargetList } from './lists.ts';
import { addBatch, assertSameDepartment, batchNotFound, createPlan, getBatch, listPlans } from './plans.ts';
import { buildSpotCheckRecord, type SpotCheckRecord } from './record.ts';
import {
  getPublishedSpotCheck,
  listMyInspections,
  listPublicItemLists,
  listPublishedSpotChecks,
  publishBatch,
  recordResult,
} from './results.ts';
import {
  BatchInput,
  CandidatesQuery,
  IdParams,
  InspectorsListInput,
  ItemsListInput,
  ListKindParams,
  PageQuery,
  PlanInput,
  RecusalInput,
  ResultInput,
  TargetsListInput,
  VerifyRecordInput,
} from './schemas.ts';
import * as store from './store.ts';
import { verifySpotCheckInDatabase, verifySpotCheckRecord } from './verify.ts';

const TAGS = ['双随机抽查'];
const SUPERVISOR = { roles: ['supervisor'] } as const;

/** 双随机、一公开 (§38): the lists, plans and batches, the verifiable draw, results and their publication. */
export function registerInspectionRoutes(app: HttpServer, deps: InspectionsDeps): void {
  const ctx = (req: FastifyRequest): InspectionsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    deps,
  });

  // ---- 一单两库 ----

  app.get(
    '/api/supervision/inspection-lists/:kind',
    {
      schema: {
        tags: TAGS,
        summary: '本部门的抽查事项清单、检查对象名录库或执法检查人员名录库（现行版本或指定版本，及全部版本）',
        params: ListKindParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => getList(ctx(req), req.params.kind, req.query.version),
  );

  app.post(
    '/api/supervision/inspection-lists/items',
    {
      schema: { tags: TAGS, summary: '发布抽查事项清单新版本（整份清单）', body: ItemsListInput },
      config: { policy: SUPERVISOR },
    },
    async (req, reply) => reply.status(201).send(await saveItemList(ctx(req), req.body)),
  );

  app.post(
    '/api/supervision/inspection-lists/targets',
    {
      schema: {
        tags: TAGS,
        summary:
          '发布检查对象名录库新版本（交易项目按标段、市场主体按统一社会信用代码导入，须在本部门监管范围内）',
        body: TargetsListInput,
      },
      config: { policy: SUPERVISOR },
    },
    async (req, reply) => reply.status(201).send(await saveTargetList(ctx(req), req.body)),
  );

  app.post(
    '/api/supervision/inspection-lists/inspectors',
    {
      schema: {
        tags: TAGS,
        summary: '发布执法检查人员名录库新版本（本部门行政监督账号）',
        body: InspectorsListInput,
      },
      config: { policy: SUPERVISOR },
    },
    async (req, reply) => reply.status(201).send(await saveInspectorList(ctx(req), req.body)),
  );

  app.get(
    '/api/supervision/inspection-targets/candidates',
    {
      schema: {
        tags: TAGS,
        summary:
          '可加入检查对象名录库的交易项目（监管范围内已受理项目的标段）或市场主体（按名称或信用代码查找）',
        querystring: CandidatesQuery,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => listTargetCandidates(ctx(req), req.query),
  );

  app.get(
    '/api/supervision/inspection-inspectors/candidates',
    {
      schema: { tags: TAGS, summary: '本部门可列入执法检查人员名录库的行政监督账号' },
      config: { policy: SUPERVISOR },
    },
    async (req) => {
      const scope = await requireSupervisorScope(deps.db, req.actor);
      const scopes = (await listSupervisorScopes(deps.db)).filter((s) => s.department === scope.department);
      const items = [];
      for (const s of scopes) {
        const account = await findAccountById(deps.db, s.accountId);
        if (account?.status === 'active' && account.roles.includes('supervisor')) {
          items.push({ accountId: account.id, name: account.displayName, username: account.username });
        }
      }
      return { department: scope.department, items };
    },
  );

  // ---- plans and batches ----

  app.get(
    '/api/supervision/inspection-plans',
    { schema: { tags: TAGS, summary: '本部门的年度抽查计划及批次' }, config: { policy: SUPERVISOR } },
    async (req) => listPlans(ctx(req)),
  );

  app.post(
    '/api/supervision/inspection-plans',
    { schema: { tags: TAGS, summary: '制定年度抽查计划', body: PlanInput }, config: { policy: SUPERVISOR } },
    async (req, reply) => reply.status(201).send(await createPlan(ctx(req), req.body)),
  );

  app.post(
    '/api/supervision/inspection-plans/:id/batches',
    {
      schema: {
        tags: TAGS,
        summary: '新增抽查批次（抽查事项、每个对象的检查人员数、排除期、结果公示期限）',
        params: IdParams,
        body: BatchInput,
      },
      config: { policy: SUPERVISOR },
    },
    async (req, reply) => reply.status(201).send(await addBatch(ctx(req), req.params.id, req.body)),
  );

  app.get(
    '/api/supervision/spot-check-batches/:id',
    {
      schema: {
        tags: TAGS,
        summary: '抽查批次详情：分组比例、排除对象、抽取轮次、检查对象、检查组和结果',
        params: IdParams,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => getBatch(ctx(req), req.params.id),
  );

  app.post(
    '/api/supervision/spot-check-batches/:id/draw',
    {
      schema: {
        tags: TAGS,
        summary: '双随机抽取：先见证种子承诺，再以首个包含承诺的签名检查点为公开随机值抽取检查对象和检查人员',
        params: IdParams,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => {
      await drawBatch(ctx(req), req.params.id);
      return getBatch(ctx(req), req.params.id);
    },
  );

  app.post(
    '/api/supervision/spot-check-batches/:id/publish',
    {
      schema: { tags: TAGS, summary: '公示抽查结果（全部检查对象须已记录结果）', params: IdParams },
      config: { policy: SUPERVISOR },
    },
    async (req) => publishBatch(ctx(req), req.params.id),
  );

  const departmentRecord = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const scope = await requireSupervisorScope(deps.db, req.actor);
    const batch = await store.findBatch(deps.db, req.params.id);
    if (!batch) throw batchNotFound();
    assertSameDepartment(scope, batch.department);
  };

  app.get(
    '/api/supervision/spot-check-batches/:id/record',
    {
      schema: {
        tags: TAGS,
        summary: '抽取记录（ggzy-spot-check-draw-record/v1），公示前仅本部门可见',
        params: IdParams,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => {
      await departmentRecord(req);
      return buildSpotCheckRecord(deps, req.params.id);
    },
  );

  app.get(
    '/api/supervision/spot-check-batches/:id/verify',
    {
      schema: { tags: TAGS, summary: '平台复核抽取（含首个检查点与检查任务的数据库核对）', params: IdParams },
      config: { policy: SUPERVISOR },
    },
    async (req) => {
      await departmentRecord(req);
      return verifySpotCheckInDatabase(deps.db, req.params.id);
    },
  );

  // ---- the inspector ----

  app.get(
    '/api/my/spot-checks',
    { schema: { tags: TAGS, summary: '本人被抽中的检查任务' }, config: { policy: SUPERVISOR } },
    async (req) => listMyInspections(ctx(req)),
  );

  app.post(
    '/api/supervision/spot-check-members/:id/recuse',
    {
      schema: {
        tags: TAGS,
        summary: '检查人员申请回避（与检查对象有利害关系），平台仅对该检查对象补抽',
        params: IdParams,
        body: RecusalInput,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => recuse(ctx(req), req.params.id, req.body.reason),
  );

  app.post(
    '/api/supervision/spot-check-assignments/:id/result',
    {
      schema: {
        tags: TAGS,
        summary: '记录检查结果（检查组成员；公示前可更正）',
        params: IdParams,
        body: ResultInput,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => recordResult(ctx(req), req.params.id, req.body),
  );

  // ---- 一公开 (portal) ----

  app.get(
    '/api/public/spot-checks',
    {
      schema: { tags: TAGS, summary: '已公示的双随机抽查结果', querystring: PageQuery },
      config: { policy: 'public' },
    },
    async (req) => listPublishedSpotChecks(deps, req.query),
  );

  app.get(
    '/api/public/spot-check-items',
    { schema: { tags: TAGS, summary: '各部门现行抽查事项清单' }, config: { policy: 'public' } },
    async () => listPublicItemLists(deps.db),
  );

  app.get(
    '/api/public/spot-checks/:id',
    {
      schema: { tags: TAGS, summary: '抽查结果：抽查事项、检查对象、检查人员和检查结果', params: IdParams },
      config: { policy: 'public' },
    },
    async (req) => getPublishedSpotCheck(deps, req.params.id),
  );

  const published = async (id: string) => {
    const batch = await store.findBatch(deps.db, id);
    if (!batch || batch.published_at === null) {
      throw new NotFound('SPOT_CHECK_BATCH_NOT_FOUND', { title: '抽查结果不存在或尚未公示' });
    }
  };

  app.get(
    '/api/public/spot-checks/:id/record',
    {
      schema: {
        tags: TAGS,
        summary: '公开抽取记录：种子承诺、检查点、种子、名录和抽取结果，任何人可据此复核',
        params: IdParams,
      },
      config: { policy: 'public' },
    },
    async (req) => {
      await published(req.params.id);
      return buildSpotCheckRecord(deps, req.params.id);
    },
  );

  app.get(
    '/api/public/spot-checks/:id/verify',
    {
      schema: { tags: TAGS, summary: '复核已公示批次的抽取（由公开种子和名录重算）', params: IdParams },
      config: { policy: 'public' },
    },
    async (req) => {
      await published(req.params.id);
      return verifySpotCheckInDatabase(deps.db, req.params.id);
    },
  );

  app.post(
    '/api/public/spot-check-records/verify',
    {
      schema: {
        tags: TAGS,
        summary: '复核任一抽取记录（提交下载的记录 JSON；可指定信任的平台公钥）',
        body: VerifyRecordInput,
      },
      config: { policy: 'public' },
    },
    async (req) =>
      verifySpotCheckRecord(req.body.record as SpotCheckRecord, {
        ...(req.body.trustedKeysPem ? { trustedKeysPem: req.body.trustedKeysPem } : {}),
      }),
  );
}
