import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { InvalidInput } from '../../platform/errors.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import { checkReceipt, getMyBid, getReceipt, type MyBidView as MyBid, withdrawBid } from './bids.ts';
import type { BidsContext, BidsDeps } from './context.ts';
import { completeUpload, createUpload, getUpload, partOffset, receiveChunk } from './intake.ts';
import {
  BidParams,
  BidSettingsBody,
  BidSettingsView,
  LotIdParams,
  MyBidView,
  ReceiptCheckView,
  SignedReceiptSchema,
  UploadBody,
  UploadParams,
  UploadPartParams,
  UploadView,
  VerifyReceiptBody,
} from './schemas.ts';
import { type BidSettings, loadSettings, saveBidSettings } from './settings.ts';

const TAGS = ['投标文件'];
const RESPONDER = { roles: ['responder'] as const };
const PARTY = { roles: ['initiator', 'agency'] as const };

function toSettingsView(s: BidSettings) {
  return { ...s, fixedAt: s.fixedAt?.toISOString() ?? null };
}

function toMyBidView(b: MyBid) {
  return { ...b, receivedAt: b.receivedAt.toISOString() };
}

export async function registerBidRoutes(app: HttpServer, deps: BidsDeps): Promise<void> {
  const ctx = (req: FastifyRequest): BidsContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
    deps,
  });

  app.get(
    '/api/lots/:lotId/bid-settings',
    {
      schema: {
        tags: TAGS,
        summary: '投标设置（开标一览表字段、保证金形式、备用解密、大小限制）',
        params: LotIdParams,
        response: { 200: BidSettingsView },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => toSettingsView(await loadSettings(deps.db, req.params.lotId)),
  );

  app.put(
    '/api/lots/:lotId/bid-settings',
    {
      schema: {
        tags: TAGS,
        summary: '保存投标设置（招标人或代理机构，招标文件发售前）；启用备用解密时生成并分存开标备用密钥',
        params: LotIdParams,
        body: BidSettingsBody,
        response: { 200: BidSettingsView },
      },
      config: { policy: PARTY },
    },
    async (req) => toSettingsView(await saveBidSettings(ctx(req), req.params.lotId, req.body)),
  );

  app.post(
    '/api/lots/:lotId/bid-uploads',
    {
      schema: {
        tags: TAGS,
        summary: '开始递交投标文件：提交签名清单，平台校验后返回上传任务',
        params: LotIdParams,
        body: UploadBody,
        response: { 201: UploadView },
      },
      config: { policy: RESPONDER },
    },
    async (req, reply) =>
      reply.status(201).send(await createUpload(ctx(req), req.params.lotId, req.body.manifest)),
  );

  app.get(
    '/api/bid-uploads/:uploadId',
    {
      schema: {
        tags: TAGS,
        summary: '上传任务状态（各部分已收到的字节数）',
        params: UploadParams,
        response: { 200: UploadView },
      },
      config: { policy: RESPONDER },
    },
    async (req) => getUpload(ctx(req), req.params.uploadId),
  );

  // The chunk body is raw bytes, streamed to the staging file: parsed only inside this scope.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    const routes = scope.withTypeProvider<ZodTypeProvider>();

    routes.head(
      '/api/bid-uploads/:uploadId/parts/:no',
      {
        schema: { tags: TAGS, summary: '查询已上传偏移量（Upload-Offset）', params: UploadPartParams },
        config: { policy: RESPONDER },
      },
      async (req, reply) => {
        const at = await partOffset(ctx(req), req.params.uploadId, req.params.no);
        return reply
          .header('upload-offset', String(at.offset))
          .header('upload-length', String(at.length))
          .header('cache-control', 'no-store')
          .status(204)
          .send();
      },
    );

    routes.patch(
      '/api/bid-uploads/:uploadId/parts/:no',
      {
        schema: {
          tags: TAGS,
          summary: '上传数据块（application/octet-stream，≤ 8 MiB，请求头 Upload-Offset 为本块起始位置）',
          params: UploadPartParams,
          headers: z.object({ 'upload-offset': z.string().optional() }).passthrough(),
        },
        config: { policy: RESPONDER },
      },
      async (req, reply) => {
        const offsetHeader = req.headers['upload-offset'];
        const offset =
          typeof offsetHeader === 'string' && /^\d{1,16}$/.test(offsetHeader) ? Number(offsetHeader) : NaN;
        if (!Number.isSafeInteger(offset)) {
          throw new InvalidInput('UPLOAD_OFFSET_MISSING', {
            title: '缺少上传偏移量',
            detail: '请在请求头 Upload-Offset 中给出本数据块的起始字节位置（十进制整数）。',
          });
        }
        if (req.headers['content-type'] !== 'application/octet-stream' || !req.body) {
          throw new InvalidInput('UPLOAD_CONTENT_TYPE', {
            title: '数据块格式错误',
            detail: '数据块须以 Content-Type: application/octet-stream 原样发送。',
          });
        }
        const length = req.headers['content-length'];
        const result = await receiveChunk(ctx(req), {
          uploadId: req.params.uploadId,
          no: req.params.no,
          offset,
          contentLength: length === undefined ? null : Number(length),
          body: req.body as AsyncIterable<Uint8Array>,
        });
        return reply
          .header('upload-offset', String(result.offset))
          .header('upload-length', String(result.length))
          .status(204)
          .send();
      },
    );
  });

  app.post(
    '/api/bid-uploads/:uploadId/complete',
    {
      schema: {
        tags: TAGS,
        summary: '完成递交：逐部分校验并保存，返回平台签名的回执（重复请求返回同一回执）',
        params: UploadParams,
        response: { 200: SignedReceiptSchema },
      },
      config: { policy: RESPONDER },
    },
    async (req) => completeUpload(ctx(req), req.params.uploadId),
  );

  app.get(
    '/api/lots/:lotId/my-bid',
    {
      schema: {
        tags: TAGS,
        summary: '本单位在该标段（包）当前有效的投标文件',
        params: LotIdParams,
        response: { 200: MyBidView },
      },
      config: { policy: RESPONDER },
    },
    async (req) => toMyBidView(await getMyBid(ctx(req), req.params.lotId)),
  );

  app.get(
    '/api/bids/:bidId/receipt',
    {
      schema: {
        tags: TAGS,
        summary: '投标回执（含见证日志存在性证明）',
        params: BidParams,
        response: { 200: SignedReceiptSchema },
      },
      config: { policy: RESPONDER },
    },
    async (req) => getReceipt(ctx(req), req.params.bidId),
  );

  app.post(
    '/api/bids/:bidId/withdraw',
    {
      schema: {
        tags: TAGS,
        summary: '撤回投标文件（投标截止前；保证金按规定退还）',
        params: BidParams,
        response: { 200: MyBidView },
      },
      config: { policy: RESPONDER },
    },
    async (req) => toMyBidView(await withdrawBid(ctx(req), req.params.bidId)),
  );

  app.post(
    '/api/bid-receipts/verify',
    {
      schema: {
        tags: TAGS,
        summary: '核验投标回执：是否本平台签发，是否仍为有效投标文件（公开）',
        body: VerifyReceiptBody,
        response: { 200: ReceiptCheckView },
      },
      config: { policy: 'public' },
    },
    async (req) => checkReceipt(deps, req.body.receipt),
  );
}
