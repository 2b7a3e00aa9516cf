import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import { type Clock, SystemClock } from '../clock/index.ts';
import { enqueueJob } from './enqueue.ts';
import { type Job, PermanentJobError } from './job.ts';
import { type OnceResult, once } from './once.ts';
import * as store from './store.ts';
import type { JobTables } from './tables.ts';

/** Pino's Logger satisfies this; tests may pass a silent one. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobContext<P, DB> {
  payload: P;
  job: Job;
  db: Kysely<DB>;
  clock: Clock;
  /** Aborted when the runner stops; a long handler may end early and let the job be retried. */
  signal: AbortSignal;
  /** `once(db, key, effect)` bound to this runner's database: the effect commits at most once per key. */
  once<T>(key: string, effect: (tx: Transaction<DB>) => Promise<T>): Promise<OnceResult<T>>;
}

/**
 * A job handler. Jobs run AT LEAST ONCE: a handler can run again after it already did its work (a
 * worker died before recording success, a lease expired), so it must be idempotent — check the state
 * it is about to change, or wrap the effect in `ctx.once(key, …)`. Throw to retry with backoff; throw
 * `PermanentJobError` when retrying cannot help.
 */
export type JobHandler<P, DB> = (ctx: JobContext<P, DB>) => Promise<void>;

/** Anything with zod's `parse` (a zod schema): validates the payload before the handler sees it. */
export interface PayloadParser<P> {
  parse(value: unknown): P;
}

export interface PeriodicContext<DB> {
  db: Kysely<DB>;
  clock: Clock;
  /** Start of the time slot this run stands for. */
  slot: Date;
  signal: AbortSignal;
}

export interface JobRunnerOptions<DB extends JobTables> {
  db: Kysely<DB>;
  /** Platform time (may be scaled or a TestClock): decides when a job is due. */
  clock: Clock;
  /**
   * Time for leases, which measure whether a worker is still alive — real time by default, because a
   * scaled demo clock (GGZY_TIME_SCALE) would expire leases within milliseconds. Tests pass their TestClock.
   */
  leaseClock?: Clock;
  /** Unique per runner; recorded in locked_by. */
  workerId?: string;
  /** Milliseconds between polls when idle (GGZY_JOB_POLL_MS). Default 500. */
  pollMs?: number;
  /** Jobs claimed and run concurrently per round. Default 10. */
  batchSize?: number;
  /** How long a claimed job stays locked without a heartbeat before another runner may take it. Default 5 min. */
  leaseMs?: number;
  /** Retry delay after attempt k is baseMs·2^k, capped at maxMs. Defaults 1 s and 1 h (2 s, 4 s, 8 s …). */
  backoff?: { baseMs?: number; maxMs?: number };
  logger?: JobLogger;
  /**
   * Asked before a due job runs: a time means "not yet — wait until then" (a suspended procedure's jobs,
   * 暂停 under 条例第六十二条). The job goes back to the queue without using an attempt.
   */
  holdUntil?: (job: Job, now: Date) => Promise<Date | null>;
}

export interface PassReport {
  succeeded: number;
  /** Attempts that failed and were queued again with backoff. */
  retried: number;
  /** Jobs marked failed for good (last attempt, permanent error, or abandoned by a dead worker). */
  failed: number;
  /** Jobs this runner finished after its lease had already been taken over. */
  leaseLost: number;
  /** Jobs put back to wait (their procedure is suspended). */
  deferred: number;
}

interface Registration<DB> {
  handler: JobHandler<unknown, DB>;
  parser: PayloadParser<unknown> | null;
}

interface Periodic {
  name: string;
  type: string;
  intervalMs: number;
  lastSlot: number | null;
}

const PERIODIC_PREFIX = 'periodic:';
const MAX_JOBS_PER_PASS = 10_000;
const MAX_ERROR_LENGTH = 4000;

const consoleLogger: JobLogger = {
  info: (obj, msg) => console.info(msg, obj),
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj),
};

/**
 * Runs jobs from the `jobs` table. Any number of runners (in any number of processes) may poll the same
 * database: claiming uses `FOR UPDATE SKIP LOCKED`, so each job is handed to one runner at a time, and a
 * job whose runner died is taken over when its lease expires. Due-ness follows the injected clock, so a
 * job that fell due while the server was down runs on the first poll after it comes back.
 */
export class JobRunner<DB extends JobTables> {
  readonly workerId: string;
  private readonly db: Kysely<DB>;
  /** The same database seen through the job tables only. */
  private readonly jobsDb: Kysely<JobTables>;
  private readonly clock: Clock;
  private readonly leaseClock: Clock;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly logger: JobLogger;
  private readonly holdUntil: JobRunnerOptions<DB>['holdUntil'];
  private readonly handlers = new Map<string, Registration<DB>>();
  private readonly periodics = new Map<string, Periodic>();
  private abort = new AbortController();
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private stopping = false;

  constructor(options: JobRunnerOptions<DB>) {
    this.db = options.db;
    this.jobsDb = options.db as unknown as Kysely<JobTables>;
    this.clock = options.clock;
    this.leaseClock = options.leaseClock ?? new SystemClock();
    this.workerId = options.workerId ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.pollMs = positiveInteger('pollMs', options.pollMs ?? 500);
    this.batchSize = positiveInteger('batchSize', options.batchSize ?? 10);
    this.leaseMs = positiveInteger('leaseMs', options.leaseMs ?? 5 * 60_000);
    this.backoffBaseMs = positiveInteger('backoff.baseMs', options.backoff?.baseMs ?? 1000);
    this.backoffMaxMs = positiveInteger('backoff.maxMs', options.backoff?.maxMs ?? 60 * 60_000);
    this.logger = options.logger ?? consoleLogger;
    this.holdUntil = options.holdUntil;
  }

  /** Registers the handler for a job type. A runner claims only the types it has handlers for. */
  register<P = unknown>(
    type: string,
    handler: JobHandler<P, DB>,
    options: { payload?: PayloadParser<P> } = {},
  ): this {
    if (this.handlers.has(type)) throw new Error(`job handler already registered: ${type}`);
    this.handlers.set(type, {
      handler: handler as JobHandler<unknown, DB>,
      parser: (options.payload as PayloadParser<unknown> | undefined) ?? null,
    });
    return this;
  }

  /**
   * Runs `fn` once per `intervalMs` slot of platform time (slots are aligned to the Unix epoch, so a
   * daily sweep's slot starts at 00:00 UTC = 08:00 Beijing). Each slot is a job with the dedupe key
   * `periodic:<name>:<slot start>`: however many runners poll, the slot is enqueued once and run once.
   * A slot missed while every server was down is not caught up; the next poll runs the current slot.
   * A failed run is not retried (the next slot is the retry) and stays visible as a failed job.
   */
  every(name: string, intervalMs: number, fn: (ctx: PeriodicContext<DB>) => Promise<void>): this {
    if (!/^[\w.-]{1,150}$/.test(name))
      throw new RangeError(`invalid periodic job name: ${JSON.stringify(name)}`);
    if (!Number.isInteger(intervalMs) || intervalMs < 1000)
      throw new RangeError(`interval must be ≥ 1000 ms: ${intervalMs}`);
    const type = `${PERIODIC_PREFIX}${name}`;
    this.register<{ slot: string }>(
      type,
      async (ctx) => {
        await fn({ db: ctx.db, clock: ctx.clock, slot: new Date(ctx.payload.slot), signal: ctx.signal });
      },
      { payload: { parse: parseSlotPayload } },
    );
    this.periodics.set(name, { name, type, intervalMs, lastSlot: null });
    return this;
  }

  /**
   * One pass: enqueues due periodic slots, fails jobs abandoned on their last attempt, then claims and
   * runs due jobs batch by batch until none is due. Tests call this after moving the clock.
   */
  async runDueJobs(): Promise<PassReport> {
    const report: PassReport = { succeeded: 0, retried: 0, failed: 0, leaseLost: 0, deferred: 0 };
    const types = [...this.handlers.keys()];
    if (types.length === 0) return report;
    await this.enqueuePeriodicSlots();
    report.failed += await store.failAbandonedJobs(this.jobsDb, {
      types,
      leaseNow: this.leaseClock.now(),
      now: this.clock.now(),
    });
    let handled = 0;
    while (!this.stopping && handled < MAX_JOBS_PER_PASS) {
      const leaseNow = this.leaseClock.now();
      const claimed = await store.claimDueJobs(this.jobsDb, {
        types,
        workerId: this.workerId,
        now: this.clock.now(),
        leaseNow,
        lockedUntil: new Date(leaseNow.getTime() + this.leaseMs),
        limit: this.batchSize,
      });
      if (claimed.length === 0) break;
      handled += claimed.length;
      const outcomes = await Promise.all(claimed.map((job) => this.runOne(job)));
      for (const outcome of outcomes) report[outcome] += 1;
    }
    return report;
  }

  /** Polls every `pollMs` until `stop()`. Errors of a pass (database down) are logged and the loop goes on. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.abort = new AbortController();
    this.loop = this.pollLoop();
  }

  /** Stops polling and waits for the handlers that are running to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.wake?.();
    await this.loop;
    this.loop = null;
    // Ready for another start() or a manual pass.
    this.stopping = false;
    this.abort = new AbortController();
  }

  private async pollLoop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.runDueJobs();
      } catch (error) {
        this.logger.error({ err: error, workerId: this.workerId }, '后台任务轮询失败，稍后重试');
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  private async enqueuePeriodicSlots(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const periodic of this.periodics.values()) {
      const slot = Math.floor(now / periodic.intervalMs);
      if (periodic.lastSlot === slot) continue;
      const slotStart = new Date(slot * periodic.intervalMs);
      const { created } = await enqueueJob(this.jobsDb, {
        type: periodic.type,
        payload: { slot: slotStart.toISOString() },
        runAt: slotStart,
        maxAttempts: 1,
        dedupeKey: `${periodic.type}:${slotStart.toISOString()}`,
      });
      periodic.lastSlot = slot;
      if (created) {
        // Old slots are kept a while so that a runner whose clock lags a little cannot re-insert a
        // slot that was already run; beyond that they are only clutter.
        const keepMs = Math.max(10 * periodic.intervalMs, 24 * 60 * 60_000);
        await store.pruneSucceeded(this.jobsDb, {
          type: periodic.type,
          before: new Date(slotStart.getTime() - keepMs),
        });
      }
    }
  }

  private async runOne(job: Job): Promise<keyof PassReport> {
    if (this.holdUntil) {
      const until = await this.holdUntil(job, this.clock.now());
      if (until) {
        const held = await store.deferJob(this.jobsDb, { id: job.id, workerId: this.workerId, runAt: until });
        return held ? 'deferred' : this.leaseLost(job);
      }
    }
    const registration = this.handlers.get(job.type);
    const heartbeat = setInterval(
      () => {
        const lockedUntil = new Date(this.leaseClock.now().getTime() + this.leaseMs);
        store.extendLease(this.jobsDb, { id: job.id, workerId: this.workerId, lockedUntil }).then(
          (held) => {
            if (!held) this.logger.warn({ jobId: job.id, type: job.type }, '后台任务租约已被其他进程接管');
          },
          (error: unknown) => this.logger.warn({ err: error, jobId: job.id }, '后台任务租约续期失败'),
        );
      },
      Math.max(Math.floor(this.leaseMs / 3), 1),
    );
    heartbeat.unref();

    let failure: unknown = null;
    try {
      if (!registration) throw new PermanentJobError(`no handler for job type ${job.type}`);
      const payload = registration.parser ? parsePayload(registration.parser, job.payload) : job.payload;
      await registration.handler({
        payload,
        job,
        db: this.db,
        clock: this.clock,
        signal: this.abort.signal,
        once: (key, effect) => once(this.db, key, effect),
      });
    } catch (error) {
      failure = error;
    } finally {
      clearInterval(heartbeat);
    }

    try {
      const now = this.clock.now();
      if (failure === null) {
        const held = await store.markSucceeded(this.jobsDb, { id: job.id, workerId: this.workerId, now });
        return held ? 'succeeded' : this.leaseLost(job);
      }
      const permanent = failure instanceof PermanentJobError;
      const retryAt =
        permanent || job.attempts >= job.maxAttempts
          ? null
          : new Date(now.getTime() + this.backoffMs(job.attempts));
      const held = await store.markAttemptFailed(this.jobsDb, {
        id: job.id,
        workerId: this.workerId,
        now,
        error: describeError(failure),
        retryAt,
      });
      if (!held) return this.leaseLost(job);
      this.logger.warn(
        { err: failure, jobId: job.id, type: job.type, attempt: job.attempts, retryAt },
        retryAt ? '后台任务执行失败，将重试' : '后台任务执行失败，已停止重试',
      );
      return retryAt ? 'retried' : 'failed';
    } catch (error) {
      // The outcome could not be recorded (database gone): the lease expires and the job runs again.
      this.logger.error(
        { err: error, jobId: job.id, type: job.type },
        '无法记录后台任务结果，租约到期后将重新执行',
      );
      return 'leaseLost';
    }
  }

  private leaseLost(job: Job): 'leaseLost' {
    this.logger.warn({ jobId: job.id, type: job.type }, '后台任务结束时租约已失效，结果由接管的进程记录');
    return 'leaseLost';
  }

  /** Delay after the `attempt`-th failed attempt: base·2^attempt, capped. */
  private backoffMs(attempt: number): number {
    return Math.min(this.backoffBaseMs * 2 ** attempt, this.backoffMaxMs);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer: ${value}`);
  return value;
}

function parsePayload<P>(parser: PayloadParser<P>, payload: unknown): P {
  try {
    return parser.parse(payload);
  } catch (error) {
    throw new PermanentJobError(`invalid payload: ${describeError(error)}`, { cause: error });
  }
}

function parseSlotPayload(value: unknown): { slot: string } {
  const slot = (value as { slot?: unknown } | null)?.slot;
  if (typeof slot !== 'string' || Number.isNaN(Date.parse(slot)))
    throw new Error('periodic payload needs slot');
  return { slot };
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}
