import type { FastifyRequest } from 'fastify';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import {
  answerObjection,
  confirmWinner,
  declareFailure,
  issueNotice,
  publishCandidates,
  raiseObjection,
} from './awards.ts';
import type { AwardsContext, AwardsDeps } from './context.ts';
import {
  AnswerBody,
  ConfirmBody,
  FailureBody,
  LotIdParams,
  ObjectionBody,
  ObjectionIdParams,
  PublicityBody,
} from './schemas.ts';
import { getAwardForParty, getMyResult, getNotice, listAwardsOfMine } from './views.ts';

const TAGS = ['定标'];
const PARTIES = { roles: ['initiator', 'agency'] as const };
const INITIATOR = { roles: ['initiator'] as const };
const RESPONDER = { roles: ['responder'] as const };

export function registerAwardRoutes(app: HttpServer, deps: AwardsDeps): void {
  const ctx = (req: FastifyRequest): AwardsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    deps,
  });

  app.get(
    '/api/my/awards',
    { schema: { tags: TAGS, summary: '本单位的定标（招标人、代理机构）' }, config: { policy: PARTIES } },
    async (req) => ({ items: await listAwardsOfMine(ctx(req)) }),
  );
  app.get(
    '/api/lots/:lotId/award',
    {
      schema: { tags: TAGS, summary: '定标：候选人、公示、异议、中标人、通知书与期限', params: LotIdParams },
      config: { policy: PARTIES },
    },
    async (req) => getAwardForParty(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/lots/:lotId/award/publicity',
    {
      schema: {
        tags: TAGS,
        summary: '发布中标候选人公示（工程，收到评标报告后3日内，公示不少于3日）',
        params: LotIdParams,
        body: PublicityBody,
      },
      config: { policy: PARTIES },
    },
    async (req) => {
      await publishCandidates(ctx(req), req.params.lotId, req.body);
      return getAwardForParty(ctx(req), req.params.lotId);
    },
  );
  app.post(
    '/api/lots/:lotId/award/confirm',
    {
      schema: {
        tags: TAGS,
        summary: '确定中标人（招标人；非第一名须写明第五十五条情形）',
        params: LotIdParams,
        body: ConfirmBody,
      },
      config: { policy: INITIATOR },
    },
    async (req) => {
      await confirmWinner(ctx(req), req.params.lotId, req.body);
      return getAwardForParty(ctx(req), req.params.lotId);
    },
  );
  app.post(
    '/api/lots/:lotId/award/notice',
    {
      schema: { tags: TAGS, summary: '发出中标通知书并发布中标结果公告', params: LotIdParams },
      config: { policy: PARTIES },
    },
    async (req) => {
      await issueNotice(ctx(req), req.params.lotId);
      return getAwardForParty(ctx(req), req.params.lotId);
    },
  );
  app.get(
    '/api/lots/:lotId/award/notice',
    {
      schema: {
        tags: TAGS,
        summary: '中标通知书（平台 SM2 签名；中标人、招标人、代理机构可见）',
        params: LotIdParams,
      },
      config: { policy: 'authenticated' },
    },
    async (req) => getNotice(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/lots/:lotId/failure',
    {
      schema: {
        tags: TAGS,
        summary: '开标后流标或终止（发布公告、退还保证金、记录原因）',
        params: LotIdParams,
        body: FailureBody,
      },
      config: { policy: PARTIES },
    },
    async (req) => {
      await declareFailure(ctx(req), req.params.lotId, req.body);
      return getAwardForParty(ctx(req), req.params.lotId);
    },
  );
  app.post(
    '/api/award-objections/:objectionId/answer',
    {
      schema: {
        tags: TAGS,
        summary: '答复异议（收到异议之日起3日内）',
        params: ObjectionIdParams,
        body: AnswerBody,
      },
      config: { policy: PARTIES },
    },
    async (req) => answerObjection(ctx(req), req.params.objectionId, req.body.answer),
  );

  // 投标人
  app.get(
    '/api/lots/:lotId/my-award',
    {
      schema: {
        tags: TAGS,
        summary: '本单位的评标结果与中标通知（只含本单位的得分与排序）',
        params: LotIdParams,
      },
      config: { policy: RESPONDER },
    },
    async (req) => getMyResult(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/lots/:lotId/award/objections',
    {
      schema: {
        tags: TAGS,
        summary: '对评标结果提出异议（投标人，中标候选人公示期间）',
        params: LotIdParams,
        body: ObjectionBody,
      },
      config: { policy: RESPONDER },
    },
    async (req, reply) => {
      const created = await raiseObjection(ctx(req), req.params.lotId, req.body.text);
      reply.code(201);
      return created;
    },
  );
}
