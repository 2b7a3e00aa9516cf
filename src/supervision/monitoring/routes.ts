import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import {
  acknowledgeAlert,
  alertDashboard,
  concludeAlert,
  feedBackAlert,
  getAlert,
  investigateAlert,
  listAlerts,
} from './alerts.ts';
import type { MonitoringContext, MonitoringDeps } from './context.ts';
import { changeRule, listRules, listRuleVersions } from './rule-versions.ts';
import { listRuns, requestRun } from './runs.ts';
import {
  AlertDetailView,
  AlertIdParams,
  AlertListView,
  AlertQuery,
  ConcludeInput,
  DashboardView,
  FeedbackInput,
  RuleChangeInput,
  RuleCodeParams,
  RuleVersionView,
  RuleView,
  RunInput,
  RunView,
  StepNoteInput,
} from './schemas.ts';

const TAGS = ['风险监测预警'];
/** Alerts are internal: the supervisors (their scope) and the trading centre, never the public. */
const READERS = { roles: ['supervisor', 'operator'] } as const;
const SUPERVISOR = { roles: ['supervisor'] } as const;

/** 风险监测预警 (办法第七条、第四十二条): alerts, their handling, the rules and reruns. */
export function registerMonitoringRoutes(app: HttpServer, deps: MonitoringDeps): void {
  const ctx = (req: FastifyRequest): MonitoringContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    deps,
  });

  app.get(
    '/api/monitoring/dashboard',
    {
      schema: {
        tags: TAGS,
        summary: '预警看板：按等级、处置状态、规则统计（行政监督部门只含本部门监管范围）',
        querystring: AlertQuery,
        response: { 200: DashboardView },
      },
      config: { policy: READERS },
    },
    async (req) => alertDashboard(ctx(req), req.query),
  );

  app.get(
    '/api/monitoring/alerts',
    {
      schema: {
        tags: TAGS,
        summary: '预警信息列表（可按状态、等级、规则、标段、关键字筛选）',
        querystring: AlertQuery,
        response: { 200: AlertListView },
      },
      config: { policy: READERS },
    },
    async (req) => listAlerts(ctx(req), req.query),
  );

  app.get(
    '/api/monitoring/alerts/:alertId',
    {
      schema: {
        tags: TAGS,
        summary: '预警详情：证据、规则版本、法律依据、处置记录',
        params: AlertIdParams,
        response: { 200: AlertDetailView },
      },
      config: { policy: READERS },
    },
    async (req) => getAlert(ctx(req), req.params.alertId),
  );

  const alertStep = (summary: string, body: z.ZodType) => ({
    schema: { tags: TAGS, summary, params: AlertIdParams, body, response: { 200: AlertDetailView } },
    config: { policy: SUPERVISOR },
  });
  app.post('/api/monitoring/alerts/:alertId/acknowledge', alertStep('签收预警', StepNoteInput), async (req) =>
    acknowledgeAlert(ctx(req), req.params.alertId, StepNoteInput.parse(req.body ?? {})),
  );
  app.post('/api/monitoring/alerts/:alertId/investigate', alertStep('开始核查', StepNoteInput), async (req) =>
    investigateAlert(ctx(req), req.params.alertId, StepNoteInput.parse(req.body ?? {})),
  );
  app.post(
    '/api/monitoring/alerts/:alertId/conclude',
    alertStep('办结：核查结论（属实/不属实）与办结意见', ConcludeInput),
    async (req) => concludeAlert(ctx(req), req.params.alertId, ConcludeInput.parse(req.body)),
  );
  app.post(
    '/api/monitoring/alerts/:alertId/feedback',
    alertStep('向交易中心反馈处理结果', FeedbackInput),
    async (req) => feedBackAlert(ctx(req), req.params.alertId, FeedbackInput.parse(req.body)),
  );

  app.get(
    '/api/monitoring/rules',
    {
      schema: {
        tags: TAGS,
        summary: '预警规则及现行版本（阈值、等级、启用状态、法律依据）',
        response: { 200: z.object({ items: z.array(RuleView) }) },
      },
      config: { policy: READERS },
    },
    async (req) => ({ items: await listRules(ctx(req)) }),
  );

  app.get(
    '/api/monitoring/rules/:code/versions',
    {
      schema: {
        tags: TAGS,
        summary: '预警规则的全部版本（调整历史）',
        params: RuleCodeParams,
        response: { 200: z.object({ items: z.array(RuleVersionView) }) },
      },
      config: { policy: READERS },
    },
    async (req) => ({ items: await listRuleVersions(ctx(req), req.params.code) }),
  );

  app.put(
    '/api/monitoring/rules/:code',
    {
      schema: {
        tags: TAGS,
        summary: '调整预警规则（新增版本，须填写理由；已产生的预警不受影响）',
        params: RuleCodeParams,
        body: RuleChangeInput,
        response: { 200: RuleView },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => changeRule(ctx(req), req.params.code, req.body),
  );

  app.get(
    '/api/monitoring/runs',
    {
      schema: {
        tags: TAGS,
        summary: '全量重算记录',
        response: { 200: z.object({ items: z.array(RunView) }) },
      },
      config: { policy: READERS },
    },
    async (req) => ({ items: await listRuns(ctx(req)) }),
  );

  app.post(
    '/api/monitoring/runs',
    {
      schema: {
        tags: TAGS,
        summary: '发起全量重算（全部规则覆盖全部标段，或 Cardinal 指标覆盖全平台 OCDS 数据）',
        body: RunInput,
        response: { 201: RunView },
      },
      config: { policy: READERS },
    },
    async (req, reply) => reply.code(201).send(await requestRun(ctx(req), req.body)),
  );
}
