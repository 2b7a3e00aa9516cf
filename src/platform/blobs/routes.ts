import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock/index.ts';
import { InvalidInput } from '../errors.ts';
import { type HttpServer, originOf } from '../http/index.ts';
import type { BlobStore } from './blob-store.ts';
import { type BlobDb, type BlobRecord, openBlob, uploadBlob } from './blobs.ts';

export interface BlobRouteDeps {
  db: Kysely<BlobDb>;
  blobs: BlobStore;
  clock: Clock;
  /** Largest file in bytes (GGZY_UPLOAD_LIMIT). */
  uploadLimit: number;
}

const BlobView = z.object({
  sha256: z.string(),
  sm3: z.string(),
  size: z.number(),
  contentType: z.string().nullable(),
  createdAt: z.string(),
});

// Lenient on purpose: the access policy is checked after validation, and an anonymous caller must get
// 401, not a hint about the parameter's format. A malformed hash is simply not found.
const BlobParams = z.strictObject({ sha256: z.string().min(1).max(128) });

/** Content types we repeat back in a response header; anything else is served as octet-stream. */
const SAFE_CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

function toBlobView(blob: BlobRecord) {
  return {
    sha256: blob.sha256,
    sm3: blob.sm3,
    size: blob.size,
    contentType: blob.contentType,
    createdAt: blob.createdAt.toISOString(),
  };
}

/**
 * POST /api/blobs (multipart, one file) and GET /api/blobs/:sha256. Multipart parsing is registered
 * inside this plugin only, so every other route still accepts JSON alone.
 */
export async function registerBlobRoutes(app: HttpServer, deps: BlobRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(multipart, {
      // One byte over the limit reaches the store, which refuses it with its own 413 and removes the
      // partial file; busboy discards the rest instead of throwing its own error.
      limits: { fileSize: deps.uploadLimit + 1, files: 1, fields: 10, fieldSize: 4096, parts: 11 },
      throwFileSizeLimit: false,
    });
    const routes = scope.withTypeProvider<ZodTypeProvider>();

    routes.post(
      '/api/blobs',
      {
        schema: {
          tags: ['文件'],
          summary: '上传文件（multipart/form-data，单个文件；按内容摘要存储，相同内容只存一份）',
          response: { 200: BlobView, 201: BlobView },
        },
        config: { policy: 'authenticated' },
      },
      async (req, reply) => {
        if (!req.isMultipart()) {
          throw new InvalidInput('UPLOAD_NOT_MULTIPART', {
            title: '请以 multipart/form-data 方式上传文件',
            detail: '上传接口只接受包含一个文件的 multipart/form-data 请求。',
          });
        }
        const file = await req.file();
        if (!file) {
          throw new InvalidInput('UPLOAD_FILE_MISSING', {
            title: '未收到文件',
            detail: '请求中没有文件部分。',
          });
        }
        const contentType = SAFE_CONTENT_TYPE.test(file.mimetype) ? file.mimetype.toLowerCase() : undefined;
        const { blob, created } = await uploadBlob(deps, {
          source: file.file,
          maxBytes: deps.uploadLimit,
          ...(contentType ? { contentType } : {}),
          ...(file.filename ? { filename: file.filename.slice(0, 255) } : {}),
          origin: originOf(req),
        });
        return reply.status(created ? 201 : 200).send(toBlobView(blob));
      },
    );

    routes.get(
      '/api/blobs/:sha256',
      {
        schema: {
          tags: ['文件'],
          summary: '下载文件（按 SHA-256 摘要）',
          params: BlobParams,
        },
        config: { policy: 'authenticated' },
      },
      async (req, reply) => {
        const { blob, stream } = await openBlob(deps, req.params.sha256);
        const contentType =
          blob.contentType && SAFE_CONTENT_TYPE.test(blob.contentType)
            ? blob.contentType
            : 'application/octet-stream';
        return (
          reply
            .type(contentType)
            .header('content-length', String(blob.size))
            // Uploaded content is never rendered in the platform's origin: it is always a download.
            .header('content-disposition', `attachment; filename="${blob.sha256}"`)
            .header('etag', `"${blob.sha256}"`)
            .header('cache-control', 'private, max-age=31536000, immutable')
            .header('x-content-sha256', blob.sha256)
            .header('x-content-sm3', blob.sm3)
            .send(stream)
        );
      },
    );
  });
}
