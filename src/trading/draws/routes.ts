import type { FastifyRequest } from 'fastify';
import { NotFound } from '../../platform/errors.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import { answerAssignment, listMyAssignments } from './assignments.ts';
import type { DrawsContext, DrawsDeps } from './context.ts';
import { listDrawRuleSettings, setDrawRule } from './draw-rules.ts';
import { cancelDraw, requestDraw, runDraw } from './draws.ts';
import { buildDrawRecord } from './record.ts';
import {
  AssignmentIdParams,
  ConfirmBody,
  DrawIdParams,
  DrawRequestBody,
  DrawRuleBody,
  LotIdParams,
  ReasonBody,
  RegionParams,
} from './schemas.ts';
import {
  getDrawForRequester,
  getDrawForSupervisor,
  listDrawsForSupervisor,
  listDrawsOfLot,
  listMyDraws,
} from './views.ts';

const TAGS = ['专家抽取'];
const REQUESTERS = { roles: ['initiator', 'agency'] as const };
const EXPERT = { roles: ['expert'] as const };
const SUPERVISOR = { roles: ['supervisor'] as const };

export function registerDrawRoutes(app: HttpServer, deps: DrawsDeps): void {
  const ctx = (req: FastifyRequest): DrawsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    deps,
  });

  app.post(
    '/api/lots/:lotId/expert-draws',
    {
      schema: {
        tags: TAGS,
        summary: '申请随机抽取评标专家（不得指定专家；回避单位须写明原因）',
        params: LotIdParams,
        body: DrawRequestBody,
      },
      config: { policy: REQUESTERS },
    },
    async (req, reply) => {
      const created = await requestDraw(ctx(req), req.params.lotId, req.body);
      reply.code(201);
      return getDrawForRequester(ctx(req), created.id);
    },
  );
  app.get(
    '/api/lots/:lotId/expert-draws',
    {
      schema: { tags: TAGS, summary: '本标段的专家抽取', params: LotIdParams },
      config: { policy: REQUESTERS },
    },
    async (req) => ({ items: await listDrawsOfLot(ctx(req), req.params.lotId) }),
  );
  app.get(
    '/api/my/expert-draws',
    { schema: { tags: TAGS, summary: '本单位申请的专家抽取' }, config: { policy: REQUESTERS } },
    async (req) => ({ items: await listMyDraws(ctx(req)) }),
  );
  app.get(
    '/api/expert-draws/:drawId',
    {
      schema: { tags: TAGS, summary: '专家抽取进度（评标开始前不显示专家姓名）', params: DrawIdParams },
      config: { policy: REQUESTERS },
    },
    async (req) => getDrawForRequester(ctx(req), req.params.drawId),
  );
  app.post(
    '/api/expert-draws/:drawId/run',
    {
      schema: { tags: TAGS, summary: '执行随机抽取（承诺 → 检查点 → 抽取）', params: DrawIdParams },
      config: { policy: REQUESTERS },
    },
    async (req) => {
      await runDraw(ctx(req), req.params.drawId);
      return getDrawForRequester(ctx(req), req.params.drawId);
    },
  );
  app.post(
    '/api/expert-draws/:drawId/cancel',
    {
      schema: { tags: TAGS, summary: '取消专家抽取（评标开始前）', params: DrawIdParams, body: ReasonBody },
      config: { policy: REQUESTERS },
    },
    async (req) => {
      await cancelDraw(ctx(req), req.params.drawId, req.body.reason);
      return getDrawForRequester(ctx(req), req.params.drawId);
    },
  );
  app.get(
    '/api/expert-draws/:drawId/record',
    {
      schema: {
        tags: TAGS,
        summary: '公开抽取记录 ggzy-expert-draw-record/v1（承诺与检查点；评标开始后公开种子、名单与结果）',
        params: DrawIdParams,
      },
      config: { policy: 'public' },
    },
    async (req) => {
      const record = await buildDrawRecord(deps, req.params.drawId);
      if (!record) throw new NotFound('DRAW_NOT_FOUND', { title: '专家抽取记录不存在' });
      return record;
    },
  );

  // 专家
  app.get(
    '/api/my/expert-assignments',
    {
      schema: { tags: TAGS, summary: '我的抽取通知（项目、时间、地点；不含投标人）' },
      config: { policy: EXPERT },
    },
    async (req) => ({ items: await listMyAssignments(ctx(req)) }),
  );
  app.post(
    '/api/expert-assignments/:assignmentId/confirm',
    {
      schema: {
        tags: TAGS,
        summary: '确认参加评标（声明与本项目无利害关系）',
        params: AssignmentIdParams,
        body: ConfirmBody,
      },
      config: { policy: EXPERT },
    },
    async (req) => answerAssignment(ctx(req), req.params.assignmentId, 'confirm', null),
  );
  app.post(
    '/api/expert-assignments/:assignmentId/decline',
    {
      schema: {
        tags: TAGS,
        summary: '拒绝参加（平台自动补抽）',
        params: AssignmentIdParams,
        body: ReasonBody,
      },
      config: { policy: EXPERT },
    },
    async (req) => answerAssignment(ctx(req), req.params.assignmentId, 'decline', req.body.reason),
  );
  app.post(
    '/api/expert-assignments/:assignmentId/conflict',
    {
      schema: {
        tags: TAGS,
        summary: '申报回避（抽中后发现利害关系：该专家的评审无效，平台自动补抽）',
        params: AssignmentIdParams,
        body: ReasonBody,
      },
      config: { policy: EXPERT },
    },
    async (req) => answerAssignment(ctx(req), req.params.assignmentId, 'conflict', req.body.reason),
  );

  // 行政监督部门
  app.get(
    '/api/supervision/expert-draws',
    { schema: { tags: TAGS, summary: '全部专家抽取（监督）' }, config: { policy: SUPERVISOR } },
    async (req) => ({ items: await listDrawsForSupervisor(ctx(req)) }),
  );
  app.get(
    '/api/supervision/expert-draws/:drawId',
    {
      schema: {
        tags: TAGS,
        summary: '专家抽取完整记录（监督：姓名、回避单位含投标人、筛选过程、通知）',
        params: DrawIdParams,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => getDrawForSupervisor(ctx(req), req.params.drawId),
  );
  app.get(
    '/api/draw-rules',
    {
      schema: { tags: TAGS, summary: '各地区抽取规则（频次上限、同一招标人间隔）' },
      config: { policy: 'authenticated' },
    },
    async (req) => ({ items: await listDrawRuleSettings(ctx(req)) }),
  );
  app.put(
    '/api/draw-rules/:regionCode',
    {
      schema: {
        tags: TAGS,
        summary: '设定地区抽取规则（行政监督部门）',
        params: RegionParams,
        body: DrawRuleBody,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => ({ items: await setDrawRule(ctx(req), req.params.regionCode, req.body) }),
  );
}
