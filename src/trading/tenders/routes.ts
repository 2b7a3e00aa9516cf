import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { BlobStore } from '../../platform/blobs/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import { NotFound } from '../../platform/errors.ts';
import { type HttpServer, MicroCache, originOf } from '../../platform/http/index.ts';
import {
  checkAnnouncement,
  createAnnouncementDraft,
  getAnnouncementForParty,
  listAnnouncementsForParty,
  publishAnnouncement,
  updateAnnouncementDraft,
} from './announcements.ts';
import type { TendersContext, TendersDb } from './context.ts';
import type { PartyEligibility } from './deps.ts';
import {
  downloadTenderDocument,
  issueClarification,
  listClarifications,
  listDownloaders,
  listTenderDocuments,
  uploadTenderDocument,
} from './documents.ts';
import { listLotInvitations, listMyInvitations } from './invitations.ts';
import { listMyNotifications } from './notifications.ts';
import { answerObjection, fileObjection, listObjections } from './objections.ts';
import {
  getPublicAnnouncement,
  listPublicAnnouncements,
  openPublicAttachment,
  verifyAnnouncementCopy,
} from './portal.ts';
import {
  AnnouncementCheckView,
  AnnouncementDraftBody,
  AnnouncementParams,
  AnnouncementUpdateBody,
  AnnouncementView,
  AttachmentParams,
  ClarificationBody,
  ClarificationView,
  DocumentsView,
  DocumentUploadBody,
  DocumentVersionView,
  DownloadersView,
  InvitationView,
  LotIdParams,
  LotTimelineView,
  MyInvitationView,
  NotificationView,
  ObjectionAnswerBody,
  ObjectionBody,
  ObjectionParams,
  ObjectionView,
  PublicAnnouncementDetail,
  PublicAnnouncementList,
  PublicAnnouncementParams,
  PublicAnnouncementQuery,
  VerifyCopyBody,
  VerifyCopyResult,
} from './schemas.ts';
import { getLotTimeline } from './timeline.ts';
import {
  toAnnouncementView,
  toClarificationView,
  toDocumentVersionView,
  toInvitationView,
  toMyInvitationView,
  toNotificationView,
  toObjectionView,
  toTimelineView,
} from './views.ts';

export interface TenderRouteDeps {
  db: Kysely<TendersDb>;
  clock: Clock;
  blobs: BlobStore;
  /** The credit gate (§43): a barred party cannot obtain the documents (supervision/credit via main.ts). */
  eligibility: PartyEligibility;
  /** Milliseconds a public list page is reused by this instance (GGZY_PORTAL_CACHE_MS; 0: never). */
  portalCacheMs?: number;
}

const TAGS = ['公告与招标文件'];
const PORTAL_TAGS = ['门户公告'];
const PARTY = { roles: ['initiator', 'agency'] as const };
const RESPONDER = { roles: ['responder'] as const };
const LOT_PARTIES = { roles: ['initiator', 'agency', 'responder'] as const };
const SAFE_CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

function sendFile(
  reply: FastifyReply,
  file: { filename: string; contentType: string | null; stream: Readable; sm3?: string },
) {
  const type =
    file.contentType && SAFE_CONTENT_TYPE.test(file.contentType)
      ? file.contentType
      : 'application/octet-stream';
  reply
    .type(type)
    // Always a download, never rendered in the platform's origin.
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
    .header('cache-control', 'private, no-store');
  if (file.sm3) reply.header('x-content-sm3', file.sm3);
  return reply.send(file.stream);
}

export function registerTenderRoutes(app: HttpServer, deps: TenderRouteDeps): void {
  // The portal's list pages, serialized; cleared when this instance publishes, so its author sees it at once.
  const portalPages = new MicroCache<string>(deps.portalCacheMs ?? 0);
  const ctx = (req: FastifyRequest): TendersContext => ({
    db: deps.db,
    clock: deps.clock,
    blobs: deps.blobs,
    eligibility: deps.eligibility,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- announcements (workspace) ----

  app.post(
    '/api/lots/:lotId/announcements',
    {
      schema: {
        tags: TAGS,
        summary: '起草公告（招标人或经授权的代理机构）',
        params: LotIdParams,
        body: AnnouncementDraftBody,
        response: { 201: AnnouncementView },
      },
      config: { policy: PARTY },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(toAnnouncementView(await createAnnouncementDraft(ctx(req), req.params.lotId, req.body))),
  );

  app.get(
    '/api/lots/:lotId/announcements',
    {
      schema: {
        tags: TAGS,
        summary: '本标段的公告（含草稿）',
        params: LotIdParams,
        response: { 200: z.object({ items: z.array(AnnouncementView) }) },
      },
      config: { policy: PARTY },
    },
    async (req) => ({
      items: (await listAnnouncementsForParty(ctx(req), req.params.lotId)).map(toAnnouncementView),
    }),
  );

  app.get(
    '/api/lots/:lotId/announcements/:announcementId',
    {
      schema: {
        tags: TAGS,
        summary: '公告详情',
        params: AnnouncementParams,
        response: { 200: AnnouncementView },
      },
      config: { policy: PARTY },
    },
    async (req) =>
      toAnnouncementView(
        await getAnnouncementForParty(ctx(req), req.params.lotId, req.params.announcementId),
      ),
  );

  app.put(
    '/api/lots/:lotId/announcements/:announcementId',
    {
      schema: {
        tags: TAGS,
        summary: '修改公告草稿（已发布的公告不可修改：409）',
        params: AnnouncementParams,
        body: AnnouncementUpdateBody,
        response: { 200: AnnouncementView },
      },
      config: { policy: PARTY },
    },
    async (req) =>
      toAnnouncementView(
        await updateAnnouncementDraft(ctx(req), req.params.lotId, req.params.announcementId, req.body),
      ),
  );

  app.post(
    '/api/lots/:lotId/announcements/:announcementId/check',
    {
      schema: {
        tags: TAGS,
        summary: '发布前校验（列出不符合的法定时限与要求及其依据）',
        params: AnnouncementParams,
        response: { 200: AnnouncementCheckView },
      },
      config: { policy: PARTY },
    },
    async (req) => checkAnnouncement(ctx(req), req.params.lotId, req.params.announcementId),
  );

  app.post(
    '/api/lots/:lotId/announcements/:announcementId/publish',
    {
      schema: {
        tags: TAGS,
        summary: '发布公告（校验后签名发布；招标/采购公告同时确定时间安排）',
        params: AnnouncementParams,
        response: { 200: AnnouncementView },
      },
      config: { policy: PARTY },
    },
    async (req) => {
      const published = await publishAnnouncement(ctx(req), req.params.lotId, req.params.announcementId);
      portalPages.clear();
      return toAnnouncementView(published);
    },
  );

  // ---- timeline ----

  app.get(
    '/api/lots/:lotId/timeline',
    {
      schema: {
        tags: TAGS,
        summary: '标段时间安排与进度（公开）',
        params: LotIdParams,
        response: { 200: LotTimelineView },
      },
      config: { policy: 'public' },
    },
    async (req) => {
      const timeline = await getLotTimeline(deps.db, req.params.lotId);
      if (!timeline) {
        throw new NotFound('TENDER_NOT_ANNOUNCED', {
          title: '尚未发布招标（采购）公告',
          detail: '该标段（包）尚无时间安排。',
        });
      }
      return toTimelineView(timeline);
    },
  );

  // ---- documents ----

  app.post(
    '/api/lots/:lotId/documents',
    {
      schema: {
        tags: TAGS,
        summary: '上传招标文件（公告发布前；发布后须通过澄清/修改）',
        params: LotIdParams,
        body: DocumentUploadBody,
        response: { 201: DocumentVersionView },
      },
      config: { policy: PARTY },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(toDocumentVersionView(await uploadTenderDocument(ctx(req), req.params.lotId, req.body))),
  );

  app.get(
    '/api/lots/:lotId/documents',
    {
      schema: { tags: TAGS, summary: '招标文件版本', params: LotIdParams, response: { 200: DocumentsView } },
      config: { policy: LOT_PARTIES },
    },
    async (req) => {
      const result = await listTenderDocuments(ctx(req), req.params.lotId);
      return { versions: result.versions.map(toDocumentVersionView), downloadedByMe: result.downloadedByMe };
    },
  );

  app.get(
    '/api/lots/:lotId/documents/file',
    {
      schema: {
        tags: TAGS,
        summary: '获取（下载）招标文件最新版本（已登记的投标人，限发售期内；下载留痕）',
        params: LotIdParams,
      },
      config: { policy: RESPONDER },
    },
    async (req, reply) => sendFile(reply, await downloadTenderDocument(ctx(req), req.params.lotId)),
  );

  app.get(
    '/api/lots/:lotId/downloaders',
    {
      schema: {
        tags: TAGS,
        summary: '获取招标文件的单位（开标后方可查看）',
        params: LotIdParams,
        response: { 200: DownloadersView },
      },
      config: { policy: PARTY },
    },
    async (req) => listDownloaders(ctx(req), req.params.lotId),
  );

  // ---- invitations (邀请招标) ----

  app.get(
    '/api/lots/:lotId/invitations',
    {
      schema: {
        tags: TAGS,
        summary: '受邀单位（邀请招标；招标人/代理机构可见，获取招标文件的单位开标前仍保密）',
        params: LotIdParams,
        response: { 200: z.object({ items: z.array(InvitationView) }) },
      },
      config: { policy: PARTY },
    },
    async (req) => ({
      items: (await listLotInvitations(ctx(req), req.params.lotId)).map(toInvitationView),
    }),
  );

  app.get(
    '/api/my/invitations',
    {
      schema: {
        tags: TAGS,
        summary: '本单位收到的投标邀请（邀请招标的标段不在门户公开，从此进入）',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(MyInvitationView) }) },
      },
      config: { policy: RESPONDER },
    },
    async (req) => ({
      items: (await listMyInvitations(ctx(req), req.query.limit)).map(toMyInvitationView),
    }),
  );

  // ---- clarifications ----

  app.post(
    '/api/lots/:lotId/clarifications',
    {
      schema: {
        tags: TAGS,
        summary: '澄清/修改招标文件（不足法定时限的自动顺延投标截止时间，发布变更公告并通知获取文件的单位）',
        params: LotIdParams,
        body: ClarificationBody,
        response: { 201: ClarificationView },
      },
      config: { policy: PARTY },
    },
    async (req, reply) => {
      const clarification = await issueClarification(ctx(req), req.params.lotId, req.body);
      portalPages.clear(); // a postponement publishes a 变更公告
      return reply.status(201).send(toClarificationView(clarification));
    },
  );

  app.get(
    '/api/lots/:lotId/clarifications',
    {
      schema: {
        tags: TAGS,
        summary: '澄清/修改记录',
        params: LotIdParams,
        response: { 200: z.object({ items: z.array(ClarificationView) }) },
      },
      config: { policy: LOT_PARTIES },
    },
    async (req) => ({
      items: (await listClarifications(ctx(req), req.params.lotId)).map(toClarificationView),
    }),
  );

  // ---- objections ----

  app.post(
    '/api/lots/:lotId/objections',
    {
      schema: {
        tags: TAGS,
        summary: '对招标文件提出异议（已获取招标文件的投标人，限异议期内；提出后招标投标活动暂停）',
        params: LotIdParams,
        body: ObjectionBody,
        response: { 201: ObjectionView },
      },
      config: { policy: RESPONDER },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(toObjectionView(await fileObjection(ctx(req), req.params.lotId, req.body), deps.clock.now())),
  );

  app.get(
    '/api/lots/:lotId/objections',
    {
      schema: {
        tags: TAGS,
        summary: '异议列表（招标人/代理机构见全部，投标人见本单位）',
        params: LotIdParams,
        response: { 200: z.object({ items: z.array(ObjectionView) }) },
      },
      config: { policy: LOT_PARTIES },
    },
    async (req) => {
      const now = deps.clock.now();
      return {
        items: (await listObjections(ctx(req), req.params.lotId)).map((row) => toObjectionView(row, now)),
      };
    },
  );

  app.post(
    '/api/lots/:lotId/objections/:objectionId/answer',
    {
      schema: {
        tags: TAGS,
        summary: '答复异议（3日内；需修改招标文件的随答复发出澄清/修改）',
        params: ObjectionParams,
        body: ObjectionAnswerBody,
        response: { 200: ObjectionView },
      },
      config: { policy: PARTY },
    },
    async (req) =>
      toObjectionView(
        await answerObjection(ctx(req), req.params.lotId, req.params.objectionId, req.body),
        deps.clock.now(),
      ),
  );

  app.get(
    '/api/my/tender-notifications',
    {
      schema: {
        tags: TAGS,
        summary: '本单位收到的招标通知（澄清/修改、异议答复、终止等）',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(NotificationView) }) },
      },
      config: { policy: 'authenticated' },
    },
    async (req) => ({
      items: (await listMyNotifications(ctx(req), req.query.limit)).map(toNotificationView),
    }),
  );

  // ---- public portal ----

  app.get(
    '/api/public/announcements',
    {
      schema: {
        tags: PORTAL_TAGS,
        summary: '公告列表（按类型、交易目录类别、地区、发布时间、关键词筛选；游标分页）',
        querystring: PublicAnnouncementQuery,
        response: { 200: PublicAnnouncementList },
      },
      config: { policy: 'public' },
    },
    async (req, reply) => {
      const key = JSON.stringify(Object.entries(req.query).sort(([a], [b]) => a.localeCompare(b)));
      const page = await portalPages.get(key, async () =>
        JSON.stringify(PublicAnnouncementList.parse(await listPublicAnnouncements(deps.db, req.query))),
      );
      const maxAge = Math.floor((deps.portalCacheMs ?? 0) / 1000);
      return (
        reply
          .header('cache-control', maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache')
          .type('application/json; charset=utf-8')
          // Already validated against PublicAnnouncementList and serialized (a string is sent as is).
          .send(page as unknown as z.infer<typeof PublicAnnouncementList>)
      );
    },
  );

  app.post(
    '/api/public/announcements/verify',
    {
      schema: {
        tags: PORTAL_TAGS,
        summary: '核验公告副本（粘贴文字、规范化 JSON 或 SM3 摘要）',
        body: VerifyCopyBody,
        response: { 200: VerifyCopyResult },
      },
      config: { policy: 'public' },
    },
    async (req) => verifyAnnouncementCopy(deps.db, req.body),
  );

  app.get(
    '/api/public/announcements/:announcementId',
    {
      schema: {
        tags: PORTAL_TAGS,
        summary: '公告详情（附件、SM3 摘要、平台签名、关联的变更公告）',
        params: PublicAnnouncementParams,
        response: { 200: PublicAnnouncementDetail },
      },
      config: { policy: 'public' },
    },
    async (req) => getPublicAnnouncement(deps.db, req.params.announcementId),
  );

  app.get(
    '/api/public/announcements/:announcementId/attachments/:index',
    {
      schema: { tags: PORTAL_TAGS, summary: '下载公告附件', params: AttachmentParams },
      config: { policy: 'public' },
    },
    async (req, reply) =>
      sendFile(reply, await openPublicAttachment(deps, req.params.announcementId, req.params.index)),
  );
}
