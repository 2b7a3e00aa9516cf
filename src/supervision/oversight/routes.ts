import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import type { OversightContext, ReadDb } from './context.ts';
import { LiveFeed, readLiveEvents } from './live.ts';
import { findLots, listLotProgress } from './progress.ts';
import {
  FeedbackInput,
  IdParams,
  LivePageView,
  LiveQuerySchema,
  ProgressQuery,
  ProjectParams,
  ReportInput,
  SettingsInput,
  SettingsView,
  TimelineView,
  ViolationInput,
  ViolationListQuery,
  ViolationView,
} from './schemas.ts';
import { projectTimeline } from './timeline.ts';
import {
  acknowledgeReport,
  getSettings,
  getViolation,
  giveFeedback,
  listViolations,
  recordViolation,
  reportViolation,
  updateSettings,
} from './violations.ts';

export interface OversightRouteDeps {
  db: ReadDb;
  clock: Clock;
  /** Milliseconds between index catch-ups while a live request waits (default 500). */
  liveTickMs?: number;
}

const LIVE_TAGS = ['实时监督'];
const SITE_TAGS = ['现场管理'];
const SUPERVISOR = { roles: ['supervisor'] } as const;
const OPERATOR = { roles: ['operator'] } as const;
const STAFF = { roles: ['operator', 'supervisor'] } as const;

/** 实时监督 (§42) and 现场管理 (§24, §39). Returns the live feed (closed with the server). */
export function registerOversightRoutes(app: HttpServer, deps: OversightRouteDeps): { feed: LiveFeed } {
  const feed = new LiveFeed(deps.db, deps.clock, {
    ...(deps.liveTickMs ? { tickMs: deps.liveTickMs } : {}),
    logger: app.log,
  });
  app.addHook('onClose', async () => feed.close());
  const ctx = (req: FastifyRequest): OversightContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- 实时监督 ----

  app.get(
    '/api/supervision/live/events',
    {
      schema: {
        tags: LIVE_TAGS,
        summary:
          '本部门监管范围内项目的见证事件（长轮询：after 为上次返回的 cursor，无新事件时最多等待 wait 秒）',
        querystring: LiveQuerySchema,
        response: { 200: LivePageView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => {
      // The client going away ends the wait (its socket closes before an answer is written).
      const aborted = new AbortController();
      const onClose = () => {
        if (!req.raw.complete || req.raw.destroyed) aborted.abort();
      };
      req.raw.socket?.once('close', onClose);
      try {
        return await readLiveEvents({ ...deps, feed }, req.actor, req.query, aborted.signal);
      } finally {
        req.raw.socket?.off('close', onClose);
      }
    },
  );

  app.get(
    '/api/supervision/live/lots',
    {
      schema: {
        tags: LIVE_TAGS,
        summary: '开标大厅与评标进度：监管范围内各标段（包）的当前阶段（最近有动态的在前）',
        querystring: ProgressQuery,
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => listLotProgress(deps, req.actor, req.query),
  );

  app.get(
    '/api/supervision/lots',
    {
      schema: {
        tags: LIVE_TAGS,
        summary: '按标段编号、名称或项目名称查找标段（包）（行政监督部门仅限监管范围内）',
        querystring: z.strictObject({ q: z.string().trim().min(1, '请输入查找内容').max(100) }),
      },
      config: { policy: STAFF },
    },
    async (req) => findLots(deps, req.actor, req.query.q),
  );

  app.get(
    '/api/supervision/projects/:projectId/timeline',
    {
      schema: {
        tags: LIVE_TAGS,
        summary: '项目时间线：见证日志中该项目及其标段（包）的全部事件（按时间先后）',
        params: ProjectParams,
        response: { 200: TimelineView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => projectTimeline(deps, req.actor, req.params.projectId),
  );

  // ---- 现场管理 ----

  app.get(
    '/api/supervision/site-violations/settings',
    {
      schema: {
        tags: SITE_TAGS,
        summary: '现场管理设置（报告事项的反馈期限）',
        response: { 200: SettingsView },
      },
      config: { policy: STAFF },
    },
    async () => getSettings(deps.db),
  );

  app.put(
    '/api/supervision/site-violations/settings',
    {
      schema: {
        tags: SITE_TAGS,
        summary: '设置报告事项的反馈期限（工作日；已报告的事项不受影响）',
        body: SettingsInput,
        response: { 200: SettingsView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => updateSettings(ctx(req), req.body),
  );

  app.get(
    '/api/supervision/site-violations',
    {
      schema: {
        tags: SITE_TAGS,
        summary: '现场违规记录（交易中心见全部，行政监督部门见本部门监管范围）',
        querystring: ViolationListQuery,
        response: { 200: z.object({ total: z.number(), items: z.array(ViolationView) }) },
      },
      config: { policy: STAFF },
    },
    async (req) => listViolations(ctx(req), req.query),
  );

  app.post(
    '/api/supervision/site-violations',
    {
      schema: {
        tags: SITE_TAGS,
        summary: '记录违反现场管理制度的行为及制止、纠正措施（第二十四条）',
        body: ViolationInput,
        response: { 201: ViolationView },
      },
      config: { policy: OPERATOR },
    },
    async (req, reply) => reply.status(201).send(await recordViolation(ctx(req), req.body)),
  );

  app.get(
    '/api/supervision/site-violations/:id',
    {
      schema: {
        tags: SITE_TAGS,
        summary: '现场违规记录详情',
        params: IdParams,
        response: { 200: ViolationView },
      },
      config: { policy: STAFF },
    },
    async (req) => getViolation(ctx(req), req.params.id),
  );

  app.post(
    '/api/supervision/site-violations/:id/report',
    {
      schema: {
        tags: SITE_TAGS,
        summary: '向负责的行政监督部门报告涉嫌违法违规行为（第二十四条、第三十九条）',
        params: IdParams,
        body: ReportInput,
        response: { 200: ViolationView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => reportViolation(ctx(req), req.params.id, req.body),
  );

  app.post(
    '/api/supervision/site-violations/:id/acknowledge',
    {
      schema: {
        tags: SITE_TAGS,
        summary: '行政监督部门确认收到报告',
        params: IdParams,
        response: { 200: ViolationView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => acknowledgeReport(ctx(req), req.params.id),
  );

  app.post(
    '/api/supervision/site-violations/:id/feedback',
    {
      schema: {
        tags: SITE_TAGS,
        summary: '行政监督部门反馈处理结果（第三十九条）',
        params: IdParams,
        body: FeedbackInput,
        response: { 200: ViolationView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => giveFeedback(ctx(req), req.params.id, req.body),
  );

  return { feed };
}
