import type { FastifyRequest } from 'fastify';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import { answerClarification, askClarification, listMyClarifications } from './clarifications.ts';
import {
  checkCommittee,
  declareNoConflict,
  formCommittee,
  leaveEvaluation,
  listRepresentativeCandidates,
  signIn,
  syncCommittee,
  voteChair,
} from './committee.ts';
import type { EvaluationContext, EvaluationDeps } from './context.ts';
import { setPlan } from './plan.ts';
import { generateReport, openReportPdf, signReport } from './report.ts';
import {
  AnswerBody,
  ClarificationBody,
  ClarificationIdParams,
  CommitteeBody,
  CorrectionBody,
  DeclarationBody,
  LotIdParams,
  PlanBody,
  PriceCorrectionBody,
  ReasonBody,
  RejectionBody,
  SheetBody,
  SignatureBody,
  StepParams,
  VoteBody,
} from './schemas.ts';
import {
  aggregateEvaluation,
  correctAfterAggregation,
  recordPriceCorrection,
  rejectBid,
  submitSheet,
  viewStepScores,
} from './scoring.ts';
import { getMemberView, getOrganiserView, listMyEvaluations, listOrganisedEvaluations } from './views.ts';

const TAGS = ['评标评审'];
const ORGANISERS = { roles: ['initiator', 'agency'] as const };
const ORGANISERS_AND_SUPERVISORS = { roles: ['initiator', 'agency', 'supervisor'] as const };
/** Committee members: drawn experts and the initiator's representatives (initiator accounts). */
const MEMBERS = { roles: ['expert', 'initiator'] as const };
const PARTIES = { roles: ['initiator', 'agency', 'expert', 'supervisor'] as const };
const RESPONDER = { roles: ['responder'] as const };

export function registerEvaluationRoutes(app: HttpServer, deps: EvaluationDeps): void {
  const ctx = (req: FastifyRequest): EvaluationContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    deps,
  });

  // 评标组织 (招标人/代理机构)
  app.get(
    '/api/my/organised-evaluations',
    { schema: { tags: TAGS, summary: '本单位组织的评标' }, config: { policy: ORGANISERS } },
    async (req) => ({ items: await listOrganisedEvaluations(ctx(req)) }),
  );
  app.get(
    '/api/lots/:lotId/evaluation',
    {
      schema: {
        tags: TAGS,
        summary: '评标组织：评标办法、委员会、进度、澄清、结果、报告',
        params: LotIdParams,
      },
      config: { policy: ORGANISERS_AND_SUPERVISORS },
    },
    async (req) => getOrganiserView(ctx(req), req.params.lotId),
  );
  app.put(
    '/api/lots/:lotId/evaluation/plan',
    {
      schema: { tags: TAGS, summary: '设定评标办法（投标截止前）', params: LotIdParams, body: PlanBody },
      config: { policy: ORGANISERS },
    },
    async (req) => setPlan(ctx(req), req.params.lotId, req.body),
  );
  app.get(
    '/api/lots/:lotId/evaluation/representative-candidates',
    {
      schema: { tags: TAGS, summary: '可作为招标人代表的本单位账号', params: LotIdParams },
      config: { policy: ORGANISERS },
    },
    async (req) => ({ items: await listRepresentativeCandidates(ctx(req), req.params.lotId) }),
  );
  app.post(
    '/api/lots/:lotId/evaluation/committee/check',
    {
      schema: {
        tags: TAGS,
        summary: '检查评标委员会组成（不组建）',
        params: LotIdParams,
        body: CommitteeBody,
      },
      config: { policy: ORGANISERS },
    },
    async (req) => checkCommittee(ctx(req), req.params.lotId, req.body.representativeAccountIds),
  );
  app.post(
    '/api/lots/:lotId/evaluation/committee',
    {
      schema: {
        tags: TAGS,
        summary: '组建评标委员会（抽取的专家 + 招标人代表）',
        params: LotIdParams,
        body: CommitteeBody,
      },
      config: { policy: ORGANISERS },
    },
    async (req, reply) => {
      const formed = await formCommittee(ctx(req), req.params.lotId, req.body.representativeAccountIds);
      reply.code(201);
      return formed;
    },
  );
  app.post(
    '/api/lots/:lotId/evaluation/committee/sync',
    {
      schema: { tags: TAGS, summary: '按抽取结果更换成员（回避 → 补抽确认后加入）', params: LotIdParams },
      config: { policy: ORGANISERS },
    },
    async (req) => syncCommittee(ctx(req), req.params.lotId),
  );
  app.get(
    '/api/lots/:lotId/evaluation/report.pdf',
    {
      schema: { tags: TAGS, summary: '评标报告 PDF（各方与监督部门）', params: LotIdParams },
      config: { policy: PARTIES },
    },
    async (req, reply) => {
      const pdf = await openReportPdf(ctx(req), req.params.lotId);
      reply.header('content-type', 'application/pdf');
      reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(pdf.filename)}`);
      reply.header('x-content-sha256', pdf.sha256);
      if (pdf.sm3) reply.header('x-content-sm3', pdf.sm3);
      return reply.send(pdf.stream);
    },
  );

  // 评标委员会成员
  app.get(
    '/api/my/evaluations',
    { schema: { tags: TAGS, summary: '我的评标任务' }, config: { policy: MEMBERS } },
    async (req) => ({ items: await listMyEvaluations(ctx(req)) }),
  );
  app.get(
    '/api/lots/:lotId/evaluation/member',
    {
      schema: { tags: TAGS, summary: '评标任务（签到后显示投标人）', params: LotIdParams },
      config: { policy: MEMBERS },
    },
    async (req) => getMemberView(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/lots/:lotId/evaluation/sign-in',
    {
      schema: { tags: TAGS, summary: '评标签到（主场/副场）', params: LotIdParams },
      config: { policy: MEMBERS },
    },
    async (req) => signIn(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/lots/:lotId/evaluation/declaration',
    {
      schema: { tags: TAGS, summary: '签署回避声明', params: LotIdParams, body: DeclarationBody },
      config: { policy: MEMBERS },
    },
    async (req) => declareNoConflict(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/lots/:lotId/evaluation/chair-votes',
    {
      schema: { tags: TAGS, summary: '推选评标委员会组长', params: LotIdParams, body: VoteBody },
      config: { policy: MEMBERS },
    },
    async (req) => voteChair(ctx(req), req.params.lotId, req.body.memberId),
  );
  app.post(
    '/api/lots/:lotId/evaluation/leave',
    {
      schema: { tags: TAGS, summary: '记录离席', params: LotIdParams, body: ReasonBody },
      config: { policy: MEMBERS },
    },
    async (req) => leaveEvaluation(ctx(req), req.params.lotId, req.body.reason),
  );
  app.post(
    '/api/lots/:lotId/evaluation/steps/:step/sheet',
    {
      schema: {
        tags: TAGS,
        summary: '提交本步骤评分表（提交后不可修改）',
        params: StepParams,
        body: SheetBody,
      },
      config: { policy: MEMBERS },
    },
    async (req, reply) => {
      const submitted = await submitSheet(ctx(req), req.params.lotId, req.params.step, req.body.items);
      reply.code(201);
      return submitted;
    },
  );
  app.get(
    '/api/lots/:lotId/evaluation/steps/:step/scores',
    {
      schema: { tags: TAGS, summary: '本步骤评分（全体成员提交前只显示本人评分）', params: StepParams },
      config: { policy: PARTIES },
    },
    async (req) => viewStepScores(ctx(req), req.params.lotId, req.params.step),
  );
  app.post(
    '/api/lots/:lotId/evaluation/price-corrections',
    {
      schema: {
        tags: TAGS,
        summary: '算术修正（组长记录；投标人确认）',
        params: LotIdParams,
        body: PriceCorrectionBody,
      },
      config: { policy: MEMBERS },
    },
    async (req, reply) => {
      const { dueAt, ...rest } = req.body;
      const recorded = await recordPriceCorrection(ctx(req), req.params.lotId, {
        ...rest,
        dueAt: new Date(dueAt),
      });
      reply.code(201);
      return recorded;
    },
  );
  app.post(
    '/api/lots/:lotId/evaluation/rejections',
    {
      schema: {
        tags: TAGS,
        summary: '否决投标 / 投标无效（法定情形 + 理由）',
        params: LotIdParams,
        body: RejectionBody,
      },
      config: { policy: MEMBERS },
    },
    async (req, reply) => {
      const rejected = await rejectBid(ctx(req), req.params.lotId, req.body);
      reply.code(201);
      return rejected;
    },
  );
  app.post(
    '/api/lots/:lotId/evaluation/clarifications',
    {
      schema: { tags: TAGS, summary: '书面澄清（组长提出）', params: LotIdParams, body: ClarificationBody },
      config: { policy: MEMBERS },
    },
    async (req, reply) => {
      const { dueAt, ...rest } = req.body;
      const asked = await askClarification(ctx(req), req.params.lotId, { ...rest, dueAt: new Date(dueAt) });
      reply.code(201);
      return asked;
    },
  );
  app.post(
    '/api/lots/:lotId/evaluation/aggregate',
    {
      schema: { tags: TAGS, summary: '汇总评审结果（组长）', params: LotIdParams },
      config: { policy: MEMBERS },
    },
    async (req) => aggregateEvaluation(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/lots/:lotId/evaluation/corrections',
    {
      schema: {
        tags: TAGS,
        summary: '汇总后更正（限第六十四条情形）',
        params: LotIdParams,
        body: CorrectionBody,
      },
      config: { policy: MEMBERS },
    },
    async (req) => correctAfterAggregation(ctx(req), req.params.lotId, req.body),
  );
  app.post(
    '/api/lots/:lotId/evaluation/report',
    {
      schema: { tags: TAGS, summary: '生成评标报告（组长）', params: LotIdParams },
      config: { policy: MEMBERS },
    },
    async (req, reply) => {
      const generated = await generateReport(ctx(req), req.params.lotId);
      reply.code(201);
      return generated;
    },
  );
  app.post(
    '/api/lots/:lotId/evaluation/report/signatures',
    {
      schema: {
        tags: TAGS,
        summary: '签署评标报告（SM2；可注明不同意见，或书面说明拒签理由）',
        params: LotIdParams,
        body: SignatureBody,
      },
      config: { policy: MEMBERS },
    },
    async (req) => signReport(ctx(req), req.params.lotId, req.body),
  );

  // 投标人
  app.get(
    '/api/my/evaluation-clarifications',
    { schema: { tags: TAGS, summary: '评标委员会向本单位提出的澄清' }, config: { policy: RESPONDER } },
    async (req) => ({ items: await listMyClarifications(ctx(req)) }),
  );
  app.post(
    '/api/evaluation-clarifications/:clarificationId/answer',
    {
      schema: {
        tags: TAGS,
        summary: '书面答复澄清（不得改变投标文件的实质性内容）',
        params: ClarificationIdParams,
        body: AnswerBody,
      },
      config: { policy: RESPONDER },
    },
    async (req) => answerClarification(ctx(req), req.params.clarificationId, req.body.answer),
  );
}
