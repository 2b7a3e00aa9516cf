import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { AppError } from '../../platform/errors.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import type { Notifier } from '../../platform/notify/index.ts';
import { confirmRecord } from './confirmations.ts';
import type { OpeningContext, OpeningDb, OpeningServices } from './context.ts';
import { getOwnBidForDecryption, postContentKeys } from './decryption.ts';
import { getMyShare, postShare } from './fallback.ts';
import { listMyHalls, recordNotBidderCause, signIn, takeStep } from './hall.ts';
import { LiveHub } from './live.ts';
import { answerObjection, raiseObjection } from './objections.ts';
import { viewerOf } from './policy.ts';
import { createOpeningPorts } from './ports.ts';
import { getPublishedRecord } from './record.ts';
import {
  AnswerBody,
  BidParams,
  ConfirmBody,
  ContentKeysBody,
  LotIdParams,
  ObjectionBody,
  ObjectionParams,
  OkView,
  ReasonBody,
  ShareBody,
  StepBody,
  StepParams,
} from './schemas.ts';
import { buildSnapshot } from './snapshot.ts';
import type { HostStep } from './states.ts';

export interface OpeningRouteDeps extends Omit<OpeningServices, 'ports'> {
  db: Kysely<OpeningDb>;
  clock: Clock;
  notifier: Notifier;
  /** The bids/deposits functions; default: those modules' own (ports.ts). */
  ports?: OpeningServices['ports'];
}

const TAGS = ['不见面开标'];
/** Everyone who may be in a hall; the use cases decide for this lot. */
const HALL_PARTIES = { roles: ['responder', 'initiator', 'agency', 'operator', 'supervisor'] as const };
const HOSTS = { roles: ['initiator', 'agency', 'operator'] as const };
const RESPONDER = { roles: ['responder'] as const };

export async function registerOpeningRoutes(
  app: HttpServer,
  deps: OpeningRouteDeps,
): Promise<{ hub: LiveHub; services: OpeningServices }> {
  if (!app.hasDecorator('websocketServer')) {
    await app.register(websocket, { options: { maxPayload: 4096 } });
  }
  const services: OpeningServices = {
    sealer: deps.sealer,
    blobs: deps.blobs,
    certs: deps.certs,
    ports: deps.ports ?? createOpeningPorts(deps.sealer, deps.clock),
  };
  const ctx = (req: FastifyRequest): OpeningContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    ...services,
  });
  const hub = new LiveHub(deps.notifier, app.log);
  const ok = { ok: true as const };

  app.get(
    '/api/lots/:lotId/opening',
    {
      schema: { tags: TAGS, summary: '开标大厅当前画面（按查看者身份）', params: LotIdParams },
      config: { policy: HALL_PARTIES },
    },
    async (req) => {
      const c = ctx(req);
      return buildSnapshot(c, req.params.lotId, await viewerOf(c, req.params.lotId));
    },
  );

  app.get(
    '/api/lots/:lotId/opening/live',
    {
      websocket: true,
      schema: { tags: TAGS, summary: '开标大厅实时画面（WebSocket）', params: LotIdParams },
      config: { policy: HALL_PARTIES },
    },
    async (socket, req) => {
      const { lotId } = req.params as { lotId: string };
      const c = ctx(req);
      try {
        const viewer = await viewerOf(c, lotId);
        await hub.add({ lotId, viewer, socket, context: () => ({ ...c, origin: originOf(req) }) });
      } catch (error) {
        const problem =
          error instanceof AppError
            ? { code: error.code, title: error.title }
            : { code: 'LIVE_FAILED', title: '无法进入开标大厅' };
        if (!(error instanceof AppError)) req.log.error({ err: error }, 'opening live connect failed');
        socket.send(JSON.stringify({ type: 'error', ...problem }));
        socket.close(4003, problem.code);
      }
    },
  );

  app.get(
    '/api/opening/halls',
    {
      schema: { tags: TAGS, summary: '我可以进入的开标大厅（最近的开标）' },
      config: { policy: HALL_PARTIES },
    },
    async (req) => ({ items: await listMyHalls(ctx(req)) }),
  );

  app.post(
    '/api/lots/:lotId/opening/sign-in',
    { schema: { tags: TAGS, summary: '投标人签到', params: LotIdParams }, config: { policy: RESPONDER } },
    async (req) => signIn(ctx(req), req.params.lotId),
  );

  app.post(
    '/api/lots/:lotId/opening/steps/:step',
    {
      schema: {
        tags: TAGS,
        summary: '主持人执行下一步（仅限预设流程的下一步；暂停须填写原因）',
        params: StepParams,
        body: StepBody,
        response: { 200: OkView },
      },
      config: { policy: HOSTS },
    },
    async (req) => {
      await takeStep(ctx(req), req.params.lotId, req.params.step as HostStep, req.body?.reason ?? null);
      return ok;
    },
  );

  app.post(
    '/api/lots/:lotId/opening/bids/:bidId/not-bidder-cause',
    {
      schema: {
        tags: TAGS,
        summary: '主持人认定解密失败非投标人原因（须填写原因，电子招标投标办法第三十一条）',
        params: BidParams,
        body: ReasonBody,
        response: { 200: OkView },
      },
      config: { policy: HOSTS },
    },
    async (req) => {
      await recordNotBidderCause(ctx(req), req.params.lotId, req.params.bidId, req.body.reason);
      return ok;
    },
  );

  app.get(
    '/api/lots/:lotId/opening/my-bid',
    {
      schema: {
        tags: TAGS,
        summary: '本单位投标文件的各部分及数字信封接收方（供本地解出内容密钥）',
        params: LotIdParams,
      },
      config: { policy: RESPONDER },
    },
    async (req) => getOwnBidForDecryption(ctx(req), req.params.lotId),
  );

  app.post(
    '/api/lots/:lotId/opening/bids/:bidId/keys',
    {
      schema: {
        tags: TAGS,
        summary: '投标人提交本单位投标文件各部分的内容密钥（私钥不离开投标人电脑）',
        params: BidParams,
        body: ContentKeysBody,
      },
      config: { policy: RESPONDER },
    },
    async (req) => postContentKeys(ctx(req), req.params.lotId, req.params.bidId, req.body.keys),
  );

  app.get(
    '/api/lots/:lotId/opening/fallback/my-share',
    {
      schema: { tags: TAGS, summary: '开标密钥保管人取回本人保管的加密分片', params: LotIdParams },
      config: { policy: HALL_PARTIES },
    },
    async (req) => getMyShare(ctx(req), req.params.lotId),
  );

  app.post(
    '/api/lots/:lotId/opening/fallback/shares',
    {
      schema: {
        tags: TAGS,
        summary: '开标密钥保管人提交本地解密后的分片',
        params: LotIdParams,
        body: ShareBody,
      },
      config: { policy: HALL_PARTIES },
    },
    async (req) => postShare(ctx(req), req.params.lotId, req.body),
  );

  app.post(
    '/api/lots/:lotId/opening/objections',
    {
      schema: { tags: TAGS, summary: '投标人当场提出开标异议', params: LotIdParams, body: ObjectionBody },
      config: { policy: RESPONDER },
    },
    async (req, reply) =>
      reply.status(201).send(await raiseObjection(ctx(req), req.params.lotId, req.body.text)),
  );

  app.post(
    '/api/lots/:lotId/opening/objections/:objectionId/answer',
    {
      schema: {
        tags: TAGS,
        summary: '主持人当场答复开标异议',
        params: ObjectionParams,
        body: AnswerBody,
        response: { 200: OkView },
      },
      config: { policy: HOSTS },
    },
    async (req) => {
      await answerObjection(ctx(req), req.params.lotId, req.params.objectionId, req.body.answer);
      return ok;
    },
  );

  app.post(
    '/api/lots/:lotId/opening/confirmations',
    {
      schema: {
        tags: TAGS,
        summary:
          '确认开标记录：投标人以 SM2 签名（命令行或网页选择私钥）或登录会话确认；主持人公布后以 SM2 签名签署',
        params: LotIdParams,
        body: ConfirmBody,
      },
      config: { policy: { roles: ['responder', ...HOSTS.roles] } },
    },
    async (req) => confirmRecord(ctx(req), req.params.lotId, { signature: req.body?.signature }),
  );

  app.get(
    '/api/lots/:lotId/opening/record',
    {
      schema: {
        tags: TAGS,
        summary: '开标记录（公布后）：规范化 JSON、SM3、平台签名与确认情况',
        params: LotIdParams,
      },
      config: { policy: HALL_PARTIES },
    },
    async (req) => getPublishedRecord(deps.db, req.params.lotId),
  );

  app.get(
    '/api/public/lots/:lotId/opening-record',
    {
      schema: { tags: ['门户公告'], summary: '开标记录（公开，公布后可查）', params: LotIdParams },
      config: { policy: 'public' },
    },
    async (req, reply) => {
      const record = await getPublishedRecord(deps.db, req.params.lotId);
      reply.header('cache-control', 'public, max-age=60');
      return record;
    },
  );

  return { hub, services };
}
