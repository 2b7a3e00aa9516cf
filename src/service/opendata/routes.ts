import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { type OpendataDb, publicBaseOf } from './context.ts';
import { FeedCursors } from './cursor.ts';
import {
  feedReleasePackage,
  ocdsJsonLines,
  processRecordPackage,
  processReleasePackage,
  readFeed,
} from './feed.ts';
import {
  GGZY_EXTENSION_PATH,
  GGZY_EXTENSION_SCHEMA_PATH,
  ggzyExtensionMetadata,
  ggzyExtensionReleaseSchema,
} from './ocds/index.ts';
import {
  AttemptView,
  BulkQuery,
  FeedPage,
  FeedQuery,
  OcidParams,
  SubscriptionIdParams,
  SubscriptionInput,
  SubscriptionStatusInput,
  SubscriptionView,
} from './schemas.ts';
import {
  createSubscription,
  listSubscriptionAttempts,
  listSubscriptionViews,
  setSubscriptionStatus,
} from './webhooks.ts';

export interface OpendataRouteDeps {
  db: Kysely<OpendataDb>;
  clock: Clock;
  sealer: FieldSealer;
  ocidPrefix: string;
  publicUrl: string | null;
}

const TAGS = ['公开数据'];
const OPERATOR = { roles: ['operator'] } as const;
/** The envelope only; the content is checked against the official OCDS schemas in the tests. */
const OcdsPackage = z
  .looseObject({ uri: z.string(), version: z.literal('1.1'), publishedDate: z.string() })
  .describe('OCDS 1.1 数据包');
/** A package as the response schema types it (an interface has no index signature). */
const asPackage = (value: { uri: string; version: '1.1'; publishedDate: string }) =>
  value as unknown as z.infer<typeof OcdsPackage>;

export function registerOpendataRoutes(app: HttpServer, deps: OpendataRouteDeps): void {
  const cursors = new FeedCursors(deps.db);
  const ctx = (req: FastifyRequest) => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  app.get(
    '/api/open/feed',
    {
      schema: {
        tags: TAGS,
        summary: '公开数据变更流（按提交顺序、不重不漏；游标分页）',
        querystring: FeedQuery,
        response: { 200: FeedPage },
      },
      config: { policy: 'public' },
    },
    async (req) => readFeed(deps, cursors, req.query),
  );

  app.get(
    '/api/open/ocds/releases',
    {
      schema: {
        tags: TAGS,
        summary: 'OCDS release package：变更流的一页（游标在 Link 与 X-Ggzy-Next-Cursor 头中）',
        querystring: FeedQuery,
        response: { 200: OcdsPackage },
      },
      config: { policy: 'public' },
    },
    async (req, reply) => {
      const page = await feedReleasePackage(deps, cursors, req.query);
      reply.header('x-ggzy-next-cursor', page.next);
      reply.header('x-ggzy-has-more', String(page.hasMore));
      return asPackage(page.package);
    },
  );

  app.get(
    '/api/open/ocds/processes/:ocid/releases',
    {
      schema: {
        tags: TAGS,
        summary: '一个交易过程的全部 release（OCDS release package）',
        params: OcidParams,
        response: { 200: OcdsPackage },
      },
      config: { policy: 'public' },
    },
    async (req) => asPackage(await processReleasePackage(deps, req.params.ocid)),
  );

  app.get(
    '/api/open/ocds/records/:ocid',
    {
      schema: {
        tags: TAGS,
        summary: '一个交易过程的 record（含汇编版本 compiledRelease；OCDS record package）',
        params: OcidParams,
        response: { 200: OcdsPackage },
      },
      config: { policy: 'public' },
    },
    async (req) => asPackage(await processRecordPackage(deps, req.params.ocid)),
  );

  app.get(
    '/api/open/ocds/bulk.jsonl.gz',
    {
      schema: {
        tags: TAGS,
        summary: '批量下载：JSON Lines（gzip），每行一个汇编版本（或每行一个 release）',
        querystring: BulkQuery,
      },
      config: { policy: 'public' },
    },
    async (req, reply) => {
      const compiled = req.query.compiled === 'true';
      async function* lines() {
        for await (const { line } of ocdsJsonLines(deps.db, { compiled })) yield line;
      }
      const name = compiled ? 'ocds-compiled-releases.jsonl.gz' : 'ocds-releases.jsonl.gz';
      reply.header('content-type', 'application/gzip');
      reply.header('content-disposition', `attachment; filename="${name}"`);
      return reply.send(Readable.from(lines()).pipe(createGzip()));
    },
  );

  // The platform's private OCDS extension (docs/ocds.md): its metadata and its release-schema patch.
  app.get(
    GGZY_EXTENSION_PATH,
    {
      schema: { tags: TAGS, summary: 'OCDS 扩展 ggzy：扩展说明（extension.json）' },
      config: { policy: 'public' },
    },
    async () => ggzyExtensionMetadata(publicBaseOf(deps.publicUrl)),
  );
  app.get(
    GGZY_EXTENSION_SCHEMA_PATH,
    {
      schema: { tags: TAGS, summary: 'OCDS 扩展 ggzy：release schema 补丁（JSON merge patch）' },
      config: { policy: 'public' },
    },
    async () => ggzyExtensionReleaseSchema(),
  );

  // ---- 数据推送订阅 (webhooks), managed by the trading centre ----

  app.get(
    '/api/admin/open-data/subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: '数据推送订阅列表',
        response: { 200: z.object({ items: z.array(SubscriptionView) }) },
      },
      config: { policy: OPERATOR },
    },
    async (req) => ({ items: await listSubscriptionViews(ctx(req)) }),
  );

  app.post(
    '/api/admin/open-data/subscriptions',
    {
      schema: {
        tags: TAGS,
        summary: '新增数据推送订阅（SM2 签名推送，失败自动重试）',
        body: SubscriptionInput,
        response: { 201: SubscriptionView },
      },
      config: { policy: OPERATOR },
    },
    async (req, reply) => reply.code(201).send(await createSubscription(ctx(req), req.body)),
  );

  app.put(
    '/api/admin/open-data/subscriptions/:id/status',
    {
      schema: {
        tags: TAGS,
        summary: '停用或恢复数据推送订阅（恢复后从原位置继续，不丢记录）',
        params: SubscriptionIdParams,
        body: SubscriptionStatusInput,
        response: { 200: SubscriptionView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => setSubscriptionStatus(ctx(req), req.params.id, req.body.status),
  );

  app.get(
    '/api/admin/open-data/subscriptions/:id/attempts',
    {
      schema: {
        tags: TAGS,
        summary: '最近的推送记录',
        params: SubscriptionIdParams,
        response: { 200: z.object({ items: z.array(AttemptView) }) },
      },
      config: { policy: OPERATOR },
    },
    async (req) => ({ items: await listSubscriptionAttempts(ctx(req), req.params.id) }),
  );
}
