import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../clock/index.ts';
import { NotFound } from '../errors.ts';
import { type HttpServer, originOf } from '../http/index.ts';
import type { WitnessTables } from '../witness/index.ts';
import type { Job } from './job.ts';
import { JOB_STATUS_NAMES_ZH, retryJob } from './operator.ts';
import { countJobsByStatus, listJobs } from './store.ts';
import { JOB_STATUSES, type JobTables } from './tables.ts';

export interface JobRouteDeps {
  db: Kysely<JobTables & WitnessTables>;
  clock: Clock;
}

const JobView = z.object({
  id: z.number(),
  type: z.string(),
  status: z.enum(JOB_STATUSES),
  statusName: z.string(),
  payload: z.unknown(),
  runAt: z.string().nullable(),
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  lockedBy: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  dedupeKey: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

const JobQuery = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  type: z.string().min(1).max(200).optional(),
  beforeId: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

// Lenient on purpose: the access policy is checked after validation, and a caller without the role must
// get 401/403, not a hint about the parameter's format. A malformed id is simply not found.
const JobIdParams = z.strictObject({ id: z.string().min(1).max(40) });

function toJobView(job: Job) {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    statusName: JOB_STATUS_NAMES_ZH[job.status],
    payload: job.payload,
    runAt: job.runAt?.toISOString() ?? null,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    lastError: job.lastError,
    lockedBy: job.lockedBy,
    lockedUntil: job.lockedUntil?.toISOString() ?? null,
    dedupeKey: job.dedupeKey,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}

/** The operator's view of background jobs: list them, retry a failed one. */
export function registerJobRoutes(app: HttpServer, deps: JobRouteDeps): void {
  app.get(
    '/api/admin/jobs',
    {
      schema: {
        tags: ['运维'],
        summary: '后台任务列表（按编号倒序）与各状态数量',
        querystring: JobQuery,
        response: {
          200: z.object({
            counts: z.object({
              queued: z.number(),
              running: z.number(),
              succeeded: z.number(),
              failed: z.number(),
            }),
            items: z.array(JobView),
          }),
        },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => {
      const [items, counts] = await Promise.all([
        listJobs(deps.db, {
          limit: req.query.limit,
          ...(req.query.status ? { status: req.query.status } : {}),
          ...(req.query.type ? { type: req.query.type } : {}),
          ...(req.query.beforeId !== undefined ? { beforeId: req.query.beforeId } : {}),
        }),
        countJobsByStatus(deps.db),
      ]);
      return { counts, items: items.map(toJobView) };
    },
  );

  app.post(
    '/api/admin/jobs/:id/retry',
    {
      schema: {
        tags: ['运维'],
        summary: '重新执行失败的后台任务',
        params: JobIdParams,
        response: { 200: JobView },
      },
      config: { policy: { roles: ['operator'] } },
    },
    async (req) => {
      const id = /^[1-9]\d{0,14}$/.test(req.params.id) ? Number(req.params.id) : null;
      if (id === null) {
        throw new NotFound('JOB_NOT_FOUND', {
          title: '任务不存在',
          detail: `编号为 ${req.params.id} 的后台任务不存在。`,
        });
      }
      return toJobView(await retryJob(deps.db, { id, at: deps.clock.now(), origin: originOf(req) }));
    },
  );
}
