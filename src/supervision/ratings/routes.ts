import type { FastifyRequest } from 'fastify';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import type { RatingsContext, RatingsDeps } from './context.ts';
import { getPerformance, listPerformance } from './performance.ts';
import { getMyLotRatings, listMyPendingRatings, listMyRatings, submitRating } from './ratings.ts';
import {
  LotParams,
  PerformanceDetailParams,
  PerformanceParams,
  RatingInput,
  SelfAssessmentInput,
  ServiceRatingInput,
} from './schemas.ts';
import { myServiceRating, publicServiceRatings, rateService, recordSelfAssessment } from './service.ts';

const TAGS = ['评价'];
const RATERS = { roles: ['initiator', 'agency', 'expert', 'responder'] } as const;

/** 多方互评 (§40–41, §46 ¶3), 履职记录 for regulators, and the platform's service evaluation (§46 ¶2). */
export function registerRatingRoutes(app: HttpServer, deps: RatingsDeps): void {
  const ctx = (req: FastifyRequest): RatingsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    deps,
  });

  app.get(
    '/api/lots/:lotId/my-ratings',
    {
      schema: {
        tags: TAGS,
        summary: '本人（本单位）可在该标段评价的各方、评价期限和已作的评价',
        params: LotParams,
      },
      config: { policy: RATERS },
    },
    async (req) => getMyLotRatings(ctx(req), req.params.lotId),
  );

  app.post(
    '/api/lots/:lotId/ratings',
    {
      schema: {
        tags: TAGS,
        summary: '提交评价（项目结束后5个工作日内；每个项目对每一方评价一次）',
        params: LotParams,
        body: RatingInput,
      },
      config: { policy: RATERS },
    },
    async (req, reply) => reply.status(201).send(await submitRating(ctx(req), req.params.lotId, req.body)),
  );

  app.get(
    '/api/my/ratings/pending',
    { schema: { tags: TAGS, summary: '待评价的项目（评价期内）' }, config: { policy: RATERS } },
    async (req) => listMyPendingRatings(ctx(req)),
  );

  app.get(
    '/api/my/ratings',
    { schema: { tags: TAGS, summary: '本人（本单位）已作的评价' }, config: { policy: RATERS } },
    async (req) => listMyRatings(ctx(req)),
  );

  app.get(
    '/api/supervision/performance/:subject',
    {
      schema: {
        tags: TAGS,
        summary: '评标专家或代理机构的履职评价汇总（本部门监管范围内的项目）',
        params: PerformanceParams,
      },
      config: { policy: { roles: ['supervisor'] } },
    },
    async (req) => listPerformance(ctx(req), req.params.subject),
  );

  app.get(
    '/api/supervision/performance/:subject/:id',
    {
      schema: { tags: TAGS, summary: '某评标专家或代理机构的逐项评价记录', params: PerformanceDetailParams },
      config: { policy: { roles: ['supervisor'] } },
    },
    async (req) => getPerformance(ctx(req), req.params.subject, req.params.id),
  );

  app.post(
    '/api/service-evaluation/self-assessments',
    {
      schema: {
        tags: TAGS,
        summary: '平台服务质量自评价（交易中心，每季度一次，发布即公开）',
        body: SelfAssessmentInput,
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req, reply) => reply.status(201).send(await recordSelfAssessment(ctx(req), req.body)),
  );

  app.post(
    '/api/service-evaluation/ratings',
    {
      schema: {
        tags: TAGS,
        summary: '平台服务满意度评价（外部评价，每个账号每季度一次）',
        body: ServiceRatingInput,
      },
      config: { policy: 'authenticated' },
    },
    async (req, reply) => reply.status(201).send(await rateService(ctx(req), req.body)),
  );

  app.get(
    '/api/service-evaluation/mine',
    { schema: { tags: TAGS, summary: '本季度本人是否已评价平台服务' }, config: { policy: 'authenticated' } },
    async (req) => myServiceRating(ctx(req)),
  );

  app.get(
    '/api/public/service-ratings',
    {
      schema: { tags: TAGS, summary: '平台服务评价结果：自评价、外部评价与项目评价，按季度汇总' },
      config: { policy: 'public' },
    },
    async () => publicServiceRatings(deps.db),
  );
}
