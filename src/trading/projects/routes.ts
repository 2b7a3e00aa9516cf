import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import { authoriseAgency, revokeAuthorisation } from './authorisations.ts';
import {
  addLot,
  getProject,
  listAgencyProjects,
  listMyProjects,
  listProjectsForStaff,
  type ProjectsContext,
  type ProjectsDb,
  receiveProject,
  registerProject,
  resubmitProject,
  returnProject,
  updateProject,
} from './projects.ts';
import {
  AdminProjectQuery,
  AuthorisationBody,
  AuthorisationParams,
  LotInput,
  ProjectIdParams,
  ProjectListItem,
  ProjectRegistrationBody,
  ProjectUpdateBody,
  ProjectView,
  ReceiveBody,
  ReturnBody,
  RevokeBody,
  SplitFlagQuery,
  SplitFlagView,
} from './schemas.ts';
import { listSplitFlagsOf } from './split-flags.ts';

export interface ProjectRouteDeps {
  db: Kysely<ProjectsDb>;
  clock: Clock;
}

const TAGS = ['项目登记'];
const Page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
const ProjectList = z.object({ total: z.number(), items: z.array(ProjectListItem) });
const PARTY = { roles: ['initiator', 'agency'] } as const;

export function registerProjectRoutes(app: HttpServer, deps: ProjectRouteDeps): void {
  const ctx = (req: FastifyRequest): ProjectsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- the initiator and its agency ----

  app.post(
    '/api/projects',
    {
      schema: {
        tags: TAGS,
        summary: '项目登记（招标人/采购人；含标段（包），登记后待交易中心受理）',
        body: ProjectRegistrationBody,
        response: { 201: ProjectView },
      },
      config: { policy: { roles: ['initiator'] } },
    },
    async (req, reply) => reply.status(201).send(await registerProject(ctx(req), req.body)),
  );

  app.get(
    '/api/my/projects',
    {
      schema: {
        tags: TAGS,
        summary: '我的项目（本单位登记的项目）',
        querystring: Page,
        response: { 200: ProjectList },
      },
      config: { policy: { roles: ['initiator'] } },
    },
    async (req) => listMyProjects(ctx(req), req.query),
  );

  app.get(
    '/api/agency/projects',
    {
      schema: {
        tags: TAGS,
        summary: '代理项目（本机构现行有效委托的项目）',
        querystring: Page,
        response: { 200: ProjectList },
      },
      config: { policy: { roles: ['agency'] } },
    },
    async (req) => listAgencyProjects(ctx(req), req.query),
  );

  app.get(
    '/api/projects/:projectId',
    {
      schema: {
        tags: TAGS,
        summary: '项目详情（招标人、受托代理机构、交易中心、行政监督部门）',
        params: ProjectIdParams,
        response: { 200: ProjectView },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => getProject(ctx(req), req.params.projectId),
  );

  app.put(
    '/api/projects/:projectId',
    {
      schema: {
        tags: TAGS,
        summary: '修改登记信息（补正；受理前）',
        params: ProjectIdParams,
        body: ProjectUpdateBody,
        response: { 200: ProjectView },
      },
      config: { policy: PARTY },
    },
    async (req) => updateProject(ctx(req), req.params.projectId, req.body),
  );

  app.post(
    '/api/projects/:projectId/lots',
    {
      schema: {
        tags: TAGS,
        summary: '新增标段（包）（已受理的项目重新进入受理队列）',
        params: ProjectIdParams,
        body: LotInput,
        response: { 201: ProjectView },
      },
      config: { policy: PARTY },
    },
    async (req, reply) => reply.status(201).send(await addLot(ctx(req), req.params.projectId, req.body)),
  );

  app.post(
    '/api/projects/:projectId/resubmit',
    {
      schema: {
        tags: TAGS,
        summary: '补正后重新提交',
        params: ProjectIdParams,
        response: { 200: ProjectView },
      },
      config: { policy: PARTY },
    },
    async (req) => resubmitProject(ctx(req), req.params.projectId),
  );

  app.post(
    '/api/projects/:projectId/authorisations',
    {
      schema: {
        tags: TAGS,
        summary: '委托代理机构（招标人/采购人；附委托文件、范围和期限）',
        params: ProjectIdParams,
        body: AuthorisationBody,
        response: { 201: ProjectView },
      },
      config: { policy: { roles: ['initiator'] } },
    },
    async (req, reply) =>
      reply.status(201).send(await authoriseAgency(ctx(req), req.params.projectId, req.body)),
  );

  app.post(
    '/api/projects/:projectId/authorisations/:authorisationId/revoke',
    {
      schema: {
        tags: TAGS,
        summary: '撤销委托',
        params: AuthorisationParams,
        body: RevokeBody,
        response: { 200: ProjectView },
      },
      config: { policy: { roles: ['initiator'] } },
    },
    async (req) => revokeAuthorisation(ctx(req), req.params.projectId, req.params.authorisationId, req.body),
  );

  // ---- the trading centre ----

  app.get(
    '/api/admin/projects',
    {
      schema: {
        tags: TAGS,
        summary: '项目登记列表（受理队列：status=submitted）',
        querystring: AdminProjectQuery,
        response: { 200: ProjectList },
      },
      config: { policy: { roles: ['operator', 'supervisor'] } },
    },
    async (req) => listProjectsForStaff(ctx(req), req.query),
  );

  app.post(
    '/api/admin/projects/:projectId/receive',
    {
      schema: {
        tags: TAGS,
        summary: '受理项目登记（只核验材料齐全，确认交易目录分类和交易方式；不作审批，§48(1)）',
        params: ProjectIdParams,
        body: ReceiveBody,
        response: { 200: ProjectView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => receiveProject(ctx(req), req.params.projectId, req.body),
  );

  app.post(
    '/api/admin/projects/:projectId/return',
    {
      schema: {
        tags: TAGS,
        summary: '退回补正（列明需补正的内容）',
        params: ProjectIdParams,
        body: ReturnBody,
        response: { 200: ProjectView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => returnProject(ctx(req), req.params.projectId, req.body),
  );

  app.get(
    '/api/split-flags',
    {
      schema: {
        tags: TAGS,
        summary: '化整为零预警（§49(1)；交易中心与行政监督部门查看，由监管部门处理）',
        querystring: SplitFlagQuery,
        response: { 200: z.object({ total: z.number(), items: z.array(SplitFlagView) }) },
      },
      config: { policy: { roles: ['operator', 'supervisor'] } },
    },
    async (req) => listSplitFlagsOf(deps.db, req.query),
  );
}
