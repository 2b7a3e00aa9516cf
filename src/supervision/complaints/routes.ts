import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import {
  answerChallenge,
  fileChallenge,
  listChallengesOfLot,
  listChallengesToAnswer,
  listMyChallenges,
} from './challenges.ts';
import type { ComplaintsContext, ComplaintsDb } from './context.ts';
import { fileComplaint, submitCorrection, withdrawComplaint } from './filing.ts';
import {
  acceptComplaint,
  decideComplaint,
  decideWithdrawal,
  listRelatedCandidates,
  pauseClock,
  refuseComplaint,
  requestCorrection,
  resumeClock,
  resumeProcedure,
  sendCopies,
  suspendProcedure,
} from './handling.ts';
import {
  complaintBasis,
  getComplaint,
  getPublicDecision,
  listMyComplaintLots,
  listMyComplaints,
  listPublicDecisions,
  listReceivedComplaints,
  listSupervisedComplaints,
} from './queries.ts';
import { submitExplanation } from './respondent.ts';
import {
  BasisView,
  ChallengeAnswerInput,
  ChallengeInput,
  ChallengeParams,
  ChallengeView,
  ComplaintParams,
  ComplaintSummaryView,
  ComplaintView,
  CopiesInput,
  CorrectionInput,
  CorrectionRequestInput,
  DecideInput,
  ExplanationInput,
  FileComplaintInput,
  ListQuery,
  LotParams,
  PauseInput,
  PublicDecisionView,
  PublicListQuery,
  RefuseInput,
  SuspendInput,
  WithdrawalDecisionInput,
  WithdrawInput,
} from './schemas.ts';

export interface ComplaintRouteDeps {
  db: Kysely<ComplaintsDb>;
  clock: Clock;
}

const TAGS = ['质疑投诉'];
const SUPERVISOR = { roles: ['supervisor'] } as const;
const RESPONDER = { roles: ['responder'] } as const;
const LOT_PARTY = { roles: ['initiator', 'agency'] } as const;

const Items = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item) });

/**
 * 质疑 (政府采购, 采购过程/结果), 投诉 and its handling, and the published decisions. Routes only translate
 * HTTP; who may act on which complaint (own, named respondent, in scope) is decided in the use cases.
 */
export function registerComplaintRoutes(app: HttpServer, deps: ComplaintRouteDeps): void {
  const ctx = (req: FastifyRequest): ComplaintsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- 质疑 on the 采购过程 / 结果 (政府采购) ----

  app.post(
    '/api/lots/:lotId/challenges',
    {
      schema: {
        tags: TAGS,
        summary: '对采购过程或中标（成交）结果提出质疑（政府采购，知道或应当知道之日起7个工作日内）',
        params: LotParams,
        body: ChallengeInput,
        response: { 201: ChallengeView },
      },
      config: { policy: RESPONDER },
    },
    async (req, reply) => reply.status(201).send(await fileChallenge(ctx(req), req.params.lotId, req.body)),
  );

  app.get(
    '/api/lots/:lotId/challenges',
    {
      schema: {
        tags: TAGS,
        summary: '标段（包）的质疑（供应商只看本单位的）',
        params: LotParams,
        response: { 200: Items(ChallengeView) },
      },
      config: { policy: { roles: ['responder', 'initiator', 'agency'] } },
    },
    async (req) => ({ items: await listChallengesOfLot(ctx(req), req.params.lotId) }),
  );

  app.post(
    '/api/challenges/:challengeId/answer',
    {
      schema: {
        tags: TAGS,
        summary: '答复质疑（采购人或其代理机构，收到质疑之日起7个工作日内）',
        params: ChallengeParams,
        body: ChallengeAnswerInput,
        response: { 200: ChallengeView },
      },
      config: { policy: LOT_PARTY },
    },
    async (req) => answerChallenge(ctx(req), req.params.challengeId, req.body),
  );

  app.get(
    '/api/my/challenges',
    {
      schema: { tags: TAGS, summary: '本单位提出的质疑', response: { 200: Items(ChallengeView) } },
      config: { policy: RESPONDER },
    },
    async (req) => ({ items: await listMyChallenges(ctx(req)) }),
  );

  app.get(
    '/api/my/challenges-to-answer',
    {
      schema: {
        tags: TAGS,
        summary: '向本单位提出的质疑（待答复与已答复）',
        response: { 200: Items(ChallengeView) },
      },
      config: { policy: LOT_PARTY },
    },
    async (req) => ({ items: await listChallengesToAnswer(ctx(req)) }),
  );

  // ---- 投诉 (the complainant) ----

  app.get(
    '/api/complaints/basis',
    {
      schema: {
        tags: TAGS,
        summary: '投诉前查看：标段（包）适用的法律、处理部门、本单位已提出的异议（质疑）及其投诉期限',
        querystring: LotParams,
        response: { 200: BasisView },
      },
      config: { policy: RESPONDER },
    },
    async (req) => complaintBasis(ctx(req), req.query.lotId),
  );

  app.get(
    '/api/my/complaint-lots',
    {
      schema: {
        tags: TAGS,
        summary: '本单位提出过异议（质疑）的标段（包）',
        response: {
          200: Items(
            z.object({
              id: z.string(),
              code: z.string(),
              name: z.string(),
              projectName: z.string(),
              law: z.string(),
              lawName: z.string(),
            }),
          ),
        },
      },
      config: { policy: RESPONDER },
    },
    async (req) => ({ items: await listMyComplaintLots(ctx(req)) }),
  );

  app.post(
    '/api/complaints',
    {
      schema: {
        tags: TAGS,
        summary: '提出投诉（投标人、供应商或其他利害关系人；按项目确定处理部门）',
        body: FileComplaintInput,
        response: { 201: ComplaintView },
      },
      config: { policy: RESPONDER },
    },
    async (req, reply) => reply.status(201).send(await fileComplaint(ctx(req), req.body)),
  );

  app.get(
    '/api/my/complaints',
    {
      schema: { tags: TAGS, summary: '本单位提出的投诉', response: { 200: Items(ComplaintSummaryView) } },
      config: { policy: RESPONDER },
    },
    async (req) => ({ items: await listMyComplaints(ctx(req)) }),
  );

  app.get(
    '/api/my/complaints-received',
    {
      schema: {
        tags: TAGS,
        summary: '本单位作为被投诉人或有关当事人收到文书的投诉',
        response: { 200: Items(ComplaintSummaryView) },
      },
      config: { policy: { roles: ['initiator', 'agency', 'responder'] } },
    },
    async (req) => ({ items: await listReceivedComplaints(ctx(req)) }),
  );

  app.get(
    '/api/complaints/:complaintId',
    {
      schema: {
        tags: TAGS,
        summary: '投诉详情（投诉人、被投诉人及有关当事人、监管范围内的处理部门）',
        params: ComplaintParams,
        response: { 200: ComplaintView },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => getComplaint(ctx(req), req.params.complaintId),
  );

  app.post(
    '/api/complaints/:complaintId/withdraw',
    {
      schema: {
        tags: TAGS,
        summary: '书面撤回投诉（须说明理由）',
        params: ComplaintParams,
        body: WithdrawInput,
        response: { 200: ComplaintView },
      },
      config: { policy: RESPONDER },
    },
    async (req) => withdrawComplaint(ctx(req), req.params.complaintId, req.body.reason),
  );

  app.post(
    '/api/complaints/:complaintId/correction',
    {
      schema: {
        tags: TAGS,
        summary: '按补正通知补正投诉书（政府采购）',
        params: ComplaintParams,
        body: CorrectionInput,
        response: { 200: ComplaintView },
      },
      config: { policy: RESPONDER },
    },
    async (req) => submitCorrection(ctx(req), req.params.complaintId, req.body),
  );

  app.post(
    '/api/complaints/:complaintId/explanation',
    {
      schema: {
        tags: TAGS,
        summary: '被投诉人提交书面说明及证据材料',
        params: ComplaintParams,
        body: ExplanationInput,
        response: { 200: ComplaintView },
      },
      config: { policy: LOT_PARTY },
    },
    async (req) => submitExplanation(ctx(req), req.params.complaintId, req.body),
  );

  // ---- the handling department (scope-checked in every use case) ----

  app.get(
    '/api/supervision/complaints',
    {
      schema: {
        tags: TAGS,
        summary: '本部门监管范围内的投诉',
        querystring: ListQuery,
        response: { 200: Items(ComplaintSummaryView) },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => ({ items: await listSupervisedComplaints(ctx(req), req.query.status) }),
  );

  const supervisorAct = <B extends z.ZodTypeAny>(
    path: string,
    summary: string,
    body: B | null,
    run: (c: ComplaintsContext, complaintId: string, body: z.output<B>) => Promise<ComplaintView>,
  ) =>
    app.post(
      `/api/supervision/complaints/:complaintId/${path}`,
      {
        schema: {
          tags: TAGS,
          summary,
          params: ComplaintParams,
          ...(body ? { body } : {}),
          response: { 200: ComplaintView },
        },
        config: { policy: SUPERVISOR },
      },
      async (req) =>
        run(ctx(req), (req.params as { complaintId: string }).complaintId, req.body as z.output<B>),
    );

  supervisorAct('accept', '受理投诉', null, (c, id) => acceptComplaint(c, id));
  supervisorAct('refuse', '不予受理（书面告知理由，不予公告）', RefuseInput, (c, id, b) =>
    refuseComplaint(c, id, b),
  );
  supervisorAct(
    'request-correction',
    '一次性书面通知补正（政府采购，收到投诉书5个工作日内）',
    CorrectionRequestInput,
    (c, id, b) => requestCorrection(c, id, b),
  );
  supervisorAct('send-copies', '向被投诉人和有关供应商发送投诉书副本', CopiesInput, (c, id, b) =>
    sendCopies(c, id, b.relatedOrganizationIds),
  );
  supervisorAct('pause', '中止计时（检验、检测、鉴定、专家评审）', PauseInput, (c, id, b) =>
    pauseClock(c, id, b),
  );
  supervisorAct('resume', '恢复计时', null, (c, id) => resumeClock(c, id));
  supervisorAct('suspend', '暂停招标投标（采购）活动', SuspendInput, (c, id, b) =>
    suspendProcedure(c, id, b),
  );
  supervisorAct('resume-procedure', '恢复招标投标（采购）活动', null, (c, id) => resumeProcedure(c, id));
  supervisorAct('withdrawal-decision', '决定是否准予撤回投诉（工程）', WithdrawalDecisionInput, (c, id, b) =>
    decideWithdrawal(c, id, b),
  );
  supervisorAct('decide', '作出投诉处理决定（书面送达并公告）', DecideInput, (c, id, b) =>
    decideComplaint(c, id, b),
  );

  app.get(
    '/api/supervision/complaints/:complaintId/related-candidates',
    {
      schema: {
        tags: TAGS,
        summary: '可列为有关当事人的投标人（供应商）',
        params: ComplaintParams,
        response: { 200: Items(z.object({ organizationId: z.string(), name: z.string() })) },
      },
      config: { policy: SUPERVISOR },
    },
    async (req) => ({ items: await listRelatedCandidates(ctx(req), req.params.complaintId) }),
  );

  // ---- the portal ----

  app.get(
    '/api/public/complaint-decisions',
    {
      schema: {
        tags: TAGS,
        summary: '投诉处理决定公告（不予受理、终止的不公告）',
        querystring: PublicListQuery,
        response: {
          200: z.object({
            items: z.array(PublicDecisionView),
            total: z.number(),
            page: z.number(),
            pageSize: z.number(),
          }),
        },
      },
      config: { policy: 'public' },
    },
    async (req) => listPublicDecisions(deps.db, req.query),
  );

  app.get(
    '/api/public/complaint-decisions/:complaintId',
    {
      schema: {
        tags: TAGS,
        summary: '投诉处理决定',
        params: ComplaintParams,
        response: { 200: PublicDecisionView },
      },
      config: { policy: 'public' },
    },
    async (req) => getPublicDecision(deps.db, req.params.complaintId),
  );
}
