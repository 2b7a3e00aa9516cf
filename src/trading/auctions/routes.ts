import type { FastifyRequest } from 'fastify';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import type { AuctionContext, AuctionsDeps } from './context.ts';
import { placeBid, readRoom } from './engine.ts';
import { findPublicAuctionOfLot } from './portal.ts';
import { decideQualification } from './qualification.ts';
import { confirmTimed, getMyRegistration, register } from './registrations.ts';
import {
  AuctionIdParams,
  AuctionSetupBody,
  BidBody,
  LotIdParams,
  PublicListQuery,
  QualificationBody,
  RegistrationBody,
  ReserveBody,
  RoomQuery,
  StepBody,
  TerminateBody,
} from './schemas.ts';
import { changeStep, publishAuction, setReserve, setUpAuction, terminateAuction } from './setup.ts';
import * as store from './store.ts';
import {
  getAuctionOfLot,
  getHostView,
  getPublicAuction,
  getRecord,
  getResult,
  listMine,
  listPublicAuctions,
  organiserView,
} from './views.ts';

const TAGS = ['竞价交易'];
const ORGANISERS = { roles: ['initiator', 'agency'] as const };
const OVERSEERS = { roles: ['initiator', 'agency', 'operator', 'supervisor', 'auditor'] as const };
const HOSTS = { roles: ['initiator', 'agency', 'operator'] as const };
const RESPONDER = { roles: ['responder'] as const };

/** The REST API of 拍卖、挂牌、网络竞价 (docs/auctions.md). The live room (WebSocket) is live-routes.ts. */
export function registerAuctionRoutes(app: HttpServer, deps: AuctionsDeps): void {
  const ctx = (req: FastifyRequest): AuctionContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    sealer: deps.sealer,
    eligibility: deps.eligibility,
  });
  const organiserViewOf = async (c: AuctionContext, id: string) => {
    const row = await store.findAuction(c.db, id);
    if (!row) throw new Error('auction vanished');
    return organiserView(c, row);
  };

  // 出让（转让）人 / 代理机构
  app.put(
    '/api/lots/:lotId/auction',
    {
      schema: {
        tags: TAGS,
        summary: '设置竞价交易条件（草稿，发布前可修改）',
        params: LotIdParams,
        body: AuctionSetupBody,
      },
      config: { policy: ORGANISERS },
    },
    async (req) => {
      const c = ctx(req);
      const id = await setUpAuction(c, req.params.lotId, req.body);
      return organiserViewOf(c, id);
    },
  );
  app.get(
    '/api/lots/:lotId/auction',
    {
      schema: {
        tags: TAGS,
        summary: '竞价项目（出让人、代理机构、交易中心、监督部门）',
        params: LotIdParams,
      },
      config: { policy: OVERSEERS },
    },
    async (req) => getAuctionOfLot(ctx(req), req.params.lotId),
  );
  app.post(
    '/api/auctions/:id/reserve',
    {
      schema: {
        tags: TAGS,
        summary: '设置底价（竞价开始前；保密，结束后公布）',
        params: AuctionIdParams,
        body: ReserveBody,
      },
      config: { policy: ORGANISERS },
    },
    async (req) => setReserve(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/auctions/:id/publish',
    {
      schema: { tags: TAGS, summary: '发布出让（转让）公告', params: AuctionIdParams },
      config: { policy: ORGANISERS },
    },
    async (req) => {
      const c = ctx(req);
      await publishAuction(c, req.params.id);
      return organiserViewOf(c, req.params.id);
    },
  );
  app.post(
    '/api/auctions/:id/terminate',
    {
      schema: {
        tags: TAGS,
        summary: '终止（出让人于竞价开始前；监督部门随时）',
        params: AuctionIdParams,
        body: TerminateBody,
      },
      config: { policy: { roles: ['initiator', 'agency', 'supervisor'] as const } },
    },
    async (req) => {
      const c = ctx(req);
      await terminateAuction(c, req.params.id, req.body);
      return getPublicAuction(c, req.params.id);
    },
  );
  app.post(
    '/api/auctions/:id/qualification',
    {
      schema: {
        tags: TAGS,
        summary: '竞得人资格审核（预成交后2个工作日内）',
        params: AuctionIdParams,
        body: QualificationBody,
      },
      config: { policy: ORGANISERS },
    },
    async (req) => {
      const c = ctx(req);
      await decideQualification(c, req.params.id, req.body);
      return getResult(c, req.params.id);
    },
  );

  // 主持人视图
  app.get(
    '/api/auctions/:id/host',
    {
      schema: { tags: TAGS, summary: '主持人视图（竞价结束前不显示竞买人身份）', params: AuctionIdParams },
      config: { policy: OVERSEERS },
    },
    async (req) => getHostView(ctx(req), req.params.id),
  );
  app.post(
    '/api/auctions/:id/step',
    {
      schema: { tags: TAGS, summary: '调整加价幅度（竞价期间）', params: AuctionIdParams, body: StepBody },
      config: { policy: HOSTS },
    },
    async (req) => changeStep(ctx(req), req.params.id, req.body),
  );

  // 竞买人
  app.post(
    '/api/auctions/:id/registrations',
    {
      schema: {
        tags: TAGS,
        summary: '提交竞买申请（得到竞买号）',
        params: AuctionIdParams,
        body: RegistrationBody,
      },
      config: { policy: RESPONDER },
    },
    async (req, reply) => {
      const view = await register(ctx(req), req.params.id, req.body ?? {});
      reply.code(201);
      return view;
    },
  );
  app.get(
    '/api/auctions/:id/my-registration',
    {
      schema: { tags: TAGS, summary: '本单位的竞买申请、竞买号与保证金状态', params: AuctionIdParams },
      config: { policy: RESPONDER },
    },
    async (req) => getMyRegistration(ctx(req), req.params.id),
  );
  app.post(
    '/api/auctions/:id/bids',
    {
      schema: {
        tags: TAGS,
        summary: '报价（服务器时间为准；倒计时结束时刻起不再接受）',
        params: AuctionIdParams,
        body: BidBody,
      },
      config: { policy: RESPONDER },
    },
    async (req) =>
      placeBid(ctx(req), {
        auctionId: req.params.id,
        amountYuan: req.body.amountYuan,
        ...(req.body.kind ? { kind: req.body.kind } : {}),
      }),
  );
  app.post(
    '/api/auctions/:id/timed-confirm',
    {
      schema: { tags: TAGS, summary: '确认参加限时竞价', params: AuctionIdParams },
      config: { policy: RESPONDER },
    },
    async (req) => confirmTimed(ctx(req), req.params.id),
  );
  app.get(
    '/api/auctions/mine',
    {
      schema: { tags: TAGS, summary: '我的竞买（竞买人）/ 本单位的竞价项目（出让人、代理机构）' },
      config: { policy: 'authenticated' },
    },
    async (req) => listMine(ctx(req)),
  );
  app.get(
    '/api/auctions/:id/result',
    {
      schema: { tags: TAGS, summary: '竞价结果（出让人看全部；竞买人看本单位）', params: AuctionIdParams },
      config: { policy: 'authenticated' },
    },
    async (req) => getResult(ctx(req), req.params.id),
  );

  // 公众
  app.get(
    '/api/auctions/:id/room',
    {
      schema: {
        tags: TAGS,
        summary: '竞价室（公开；登录的竞买人另见本单位竞买号与可报金额）',
        params: AuctionIdParams,
        querystring: RoomQuery,
      },
      config: { policy: 'public' },
    },
    async (req) => readRoom(ctx(req), req.params.id, { sinceSeq: req.query.since ?? null }),
  );
  app.get(
    '/api/public/auctions',
    {
      schema: { tags: TAGS, summary: '竞价交易项目列表（公开）', querystring: PublicListQuery },
      config: { policy: 'public' },
    },
    async (req) => listPublicAuctions(ctx(req), req.query),
  );
  app.get(
    '/api/public/auctions/:id',
    {
      schema: {
        tags: TAGS,
        summary: '竞价项目详情：公告、交易条件、时间安排、结果与成交公示（公开）',
        params: AuctionIdParams,
      },
      config: { policy: 'public' },
    },
    async (req) => getPublicAuction(ctx(req), req.params.id),
  );
  app.get(
    '/api/public/lots/:lotId/auction',
    {
      schema: {
        tags: TAGS,
        summary: '标段（包）对应的竞价项目（公开；公告详情页据此链接到竞价项目）',
        params: LotIdParams,
      },
      config: { policy: 'public' },
    },
    async (req) => findPublicAuctionOfLot(ctx(req), req.params.lotId),
  );
  app.get(
    '/api/public/auctions/:id/record',
    {
      schema: {
        tags: TAGS,
        summary: '竞价记录：全部报价、哈希链、底价及其承诺值（竞价结束后公开，可验证）',
        params: AuctionIdParams,
      },
      config: { policy: 'public' },
    },
    async (req) => getRecord(ctx(req), req.params.id),
  );
}
