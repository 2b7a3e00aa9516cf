import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { TestClock } from '../clock/index.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../db/index.ts';
import { NotFound, RuleViolation } from '../errors.ts';
import { SYSTEM_ORIGIN, type WitnessTables, witnessMigrations } from '../witness/index.ts';
import {
  enqueueJob,
  getJob,
  type JobLogger,
  JobRunner,
  type JobRunnerOptions,
  type JobTables,
  jobsMigrations,
  listJobs,
  PermanentJobError,
  retryJob,
} from './index.ts';
import { claimDueJobs } from './store.ts';

type TestDb = JobTables & WitnessTables;

const silent: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

let handle: DatabaseHandle<TestDb>;
let db: Kysely<TestDb>;

beforeAll(async () => {
  handle = await openDatabase<TestDb>({ kind: 'pglite-memory' });
  db = handle.db;
  await migrateToLatest(db as Kysely<unknown>, [...witnessMigrations, ...jobsMigrations]);
});

afterAll(async () => {
  await handle.close();
});

let typeCounter = 0;
/** Each test uses its own job types, so runners never see another test's jobs. */
const uniqueType = (name: string) => `test.${name}.${++typeCounter}`;

function runner(clock: TestClock, extra: Partial<JobRunnerOptions<TestDb>> = {}) {
  return new JobRunner<TestDb>({ db, clock, leaseClock: clock, logger: silent, ...extra });
}

describe('enqueue inside the caller’s transaction', () => {
  test('a committed job runs once with its payload and is marked succeeded', async () => {
    const clock = new TestClock();
    const type = uniqueType('commit');
    const seen: unknown[] = [];
    const r = runner(clock).register(type, async ({ payload }) => {
      seen.push(payload);
    });
    const { id } = await db
      .transaction()
      .execute((tx) => enqueueJob(tx, { type, payload: [1, { a: '中' }] }));

    expect(await r.runDueJobs()).toMatchObject({ succeeded: 1 });
    expect(await r.runDueJobs()).toMatchObject({ succeeded: 0 });
    expect(seen).toEqual([[1, { a: '中' }]]);
    expect(await getJob(db, id)).toMatchObject({ status: 'succeeded', attempts: 1, finishedAt: clock.now() });
  });

  test('a job enqueued in a rolled-back transaction never runs', async () => {
    const clock = new TestClock();
    const type = uniqueType('rollback');
    const handler = vi.fn(async () => {});
    const r = runner(clock).register(type, handler);

    await expect(
      db.transaction().execute(async (tx) => {
        await enqueueJob(tx, { type });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');

    clock.advance(365 * 24 * 3600_000);
    await r.runDueJobs();
    expect(handler).not.toHaveBeenCalled();
    expect(await listJobs(db, { type })).toEqual([]);
  });

  test('a dedupe key enqueues one job however often it is asked', async () => {
    const type = uniqueType('dedupe');
    const first = await enqueueJob(db, { type, dedupeKey: `${type}:lot-1` });
    const second = await enqueueJob(db, { type, dedupeKey: `${type}:lot-1` });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(await listJobs(db, { type })).toHaveLength(1);
  });
});

describe('due time follows the clock', () => {
  test('a job due in the future does not run until the clock passes it', async () => {
    const clock = new TestClock('2026-03-02T01:00:00.000Z');
    const type = uniqueType('future');
    const handler = vi.fn(async () => {});
    const r = runner(clock).register(type, handler);
    await enqueueJob(db, { type, runAt: new Date('2026-03-05T16:00:00.000Z') });

    await r.runDueJobs();
    clock.set('2026-03-05T15:59:59.999Z');
    await r.runDueJobs();
    expect(handler).not.toHaveBeenCalled();

    clock.set('2026-03-05T16:00:00.000Z');
    await r.runDueJobs();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  test('a job that fell due while no server ran runs on the first pass after start', async () => {
    const clock = new TestClock('2026-03-02T01:00:00.000Z');
    const type = uniqueType('downtime');
    await enqueueJob(db, { type, runAt: new Date('2026-03-02T02:00:00.000Z') });
    clock.set('2026-03-09T09:00:00.000Z'); // a week later a fresh process starts
    const handler = vi.fn(async () => {});
    const r = runner(clock).register(type, handler);
    expect(await r.runDueJobs()).toMatchObject({ succeeded: 1 });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('failures', () => {
  test('a throwing handler is retried with exponential backoff, then marked failed with its error visible', async () => {
    const clock = new TestClock('2026-03-02T01:00:00.000Z');
    const type = uniqueType('throws');
    const handler = vi.fn(async () => {
      throw new Error('短信网关不可用');
    });
    const r = runner(clock).register(type, handler);
    const { id } = await enqueueJob(db, { type, maxAttempts: 3 });

    expect(await r.runDueJobs()).toMatchObject({ retried: 1 });
    expect(await getJob(db, id)).toMatchObject({
      status: 'queued',
      attempts: 1,
      runAt: new Date('2026-03-02T01:00:02.000Z'), // 2^1 s
      lastError: 'Error: 短信网关不可用',
    });

    clock.advance(1999);
    await r.runDueJobs();
    expect(handler).toHaveBeenCalledTimes(1);
    clock.advance(1);
    expect(await r.runDueJobs()).toMatchObject({ retried: 1 });
    expect(await getJob(db, id)).toMatchObject({ attempts: 2, runAt: new Date('2026-03-02T01:00:06.000Z') }); // + 2^2 s

    clock.set('2026-03-02T01:00:06.000Z');
    expect(await r.runDueJobs()).toMatchObject({ failed: 1 });
    expect(handler).toHaveBeenCalledTimes(3);

    clock.advance(24 * 3600_000);
    await r.runDueJobs();
    expect(handler).toHaveBeenCalledTimes(3);
    const [failed] = await listJobs(db, { status: 'failed', type });
    expect(failed).toMatchObject({
      id,
      attempts: 3,
      lastError: 'Error: 短信网关不可用',
      finishedAt: new Date('2026-03-02T01:00:06.000Z'),
    });
  });

  test('backoff is capped', async () => {
    const clock = new TestClock('2026-03-02T01:00:00.000Z');
    const type = uniqueType('capped');
    const r = runner(clock, { backoff: { baseMs: 1000, maxMs: 5000 } }).register(type, async () => {
      throw new Error('down');
    });
    const { id } = await enqueueJob(db, { type, maxAttempts: 10 });
    for (let i = 0; i < 4; i++) {
      await r.runDueJobs();
      clock.set((await getJob(db, id))!.runAt!);
    }
    const job = await getJob(db, id);
    expect(job!.attempts).toBe(4);
    expect(job!.runAt!.getTime() - new Date('2026-03-02T01:00:00.000Z').getTime()).toBe(
      2000 + 4000 + 5000 + 5000,
    );
  });

  test('a permanent error or an invalid payload fails the job at once', async () => {
    const clock = new TestClock();
    const permanentType = uniqueType('permanent');
    const typedType = uniqueType('typed');
    const handler = vi.fn(async () => {});
    const r = runner(clock)
      .register(permanentType, async () => {
        throw new PermanentJobError('标段不存在');
      })
      .register(typedType, handler, { payload: z.object({ lotId: z.string() }) });
    await enqueueJob(db, { type: permanentType });
    await enqueueJob(db, { type: typedType, payload: { lot: 1 } });
    expect(await r.runDueJobs()).toMatchObject({ failed: 2, retried: 0 });
    expect(handler).not.toHaveBeenCalled();
    expect((await listJobs(db, { type: typedType }))[0]!.lastError).toContain('invalid payload');
  });

  test('a job left running by a dead worker is taken over when its lease expires', async () => {
    const clock = new TestClock('2026-03-02T01:00:00.000Z');
    const type = uniqueType('dead-worker');
    const { id } = await enqueueJob(db, { type, maxAttempts: 2 });
    // A worker claims it and dies without a word.
    const [claimed] = await claimDueJobs(db, {
      types: [type],
      workerId: 'dead-worker',
      now: clock.now(),
      leaseNow: clock.now(),
      lockedUntil: new Date(clock.now().getTime() + 60_000),
      limit: 10,
    });
    expect(claimed).toMatchObject({ id, status: 'running', attempts: 1, lockedBy: 'dead-worker' });

    const handler = vi.fn(async () => {});
    const r = runner(clock, { leaseMs: 60_000 }).register(type, handler);
    clock.advance(59_999);
    await r.runDueJobs();
    expect(handler).not.toHaveBeenCalled();

    clock.advance(2);
    expect(await r.runDueJobs()).toMatchObject({ succeeded: 1 });
    expect(await getJob(db, id)).toMatchObject({ status: 'succeeded', attempts: 2, lockedBy: null });
  });

  test('a job abandoned on its last attempt is marked failed, not run again', async () => {
    const clock = new TestClock('2026-03-02T01:00:00.000Z');
    const type = uniqueType('abandoned');
    const { id } = await enqueueJob(db, { type, maxAttempts: 1 });
    await claimDueJobs(db, {
      types: [type],
      workerId: 'dead-worker',
      now: clock.now(),
      leaseNow: clock.now(),
      lockedUntil: new Date(clock.now().getTime() + 1000),
      limit: 1,
    });
    const handler = vi.fn(async () => {});
    const r = runner(clock).register(type, handler);
    clock.advance(1001);
    expect(await r.runDueJobs()).toMatchObject({ failed: 1 });
    expect(handler).not.toHaveBeenCalled();
    expect((await getJob(db, id))!.lastError).toContain('租约到期');
  });
});

describe('idempotency', () => {
  test('ctx.once commits an effect once even when the job runs twice', async () => {
    const clock = new TestClock();
    const type = uniqueType('once');
    let effects = 0;
    let runs = 0;
    const r = runner(clock, { backoff: { baseMs: 1, maxMs: 1 } }).register<{ bidId: string }>(
      type,
      async (ctx) => {
        runs += 1;
        await ctx.once(`refund:${ctx.payload.bidId}`, async () => {
          effects += 1;
        });
        // The first run dies after its effect committed; the retry must not repeat the effect.
        if (runs === 1) throw new Error('lost connection after the refund');
      },
    );
    await enqueueJob(db, { type, payload: { bidId: `b-${type}` } });
    await r.runDueJobs();
    clock.advance(10);
    await r.runDueJobs();
    expect(runs).toBe(2);
    expect(effects).toBe(1);
  });
});

describe('periodic sweeps', () => {
  test('two runners on one database fire each slot once', async () => {
    const clock = new TestClock('2026-03-02T01:00:30.000Z');
    const name = uniqueType('sweep');
    const slots: string[] = [];
    const sweep = async ({ slot }: { slot: Date }) => {
      slots.push(slot.toISOString());
    };
    const a = runner(clock).every(name, 60_000, sweep);
    const b = runner(clock).every(name, 60_000, sweep);

    await Promise.all([a.runDueJobs(), b.runDueJobs()]);
    await Promise.all([a.runDueJobs(), b.runDueJobs()]);
    expect(slots).toEqual(['2026-03-02T01:00:00.000Z']);

    clock.advance(60_000);
    await Promise.all([b.runDueJobs(), a.runDueJobs()]);
    expect(slots).toEqual(['2026-03-02T01:00:00.000Z', '2026-03-02T01:01:00.000Z']);
  });
});

describe('operator view', () => {
  test('a failed job can be retried once by the operator; the retry is witnessed', async () => {
    const clock = new TestClock();
    const type = uniqueType('retry');
    let fail = true;
    const r = runner(clock).register(type, async () => {
      if (fail) throw new Error('boom');
    });
    const { id } = await enqueueJob(db, { type, maxAttempts: 1 });
    await r.runDueJobs();
    expect((await getJob(db, id))!.status).toBe('failed');

    const origin = { ...SYSTEM_ORIGIN, accountId: 'op-1', role: 'operator' };
    const retried = await retryJob(db, { id, at: clock.now(), origin });
    expect(retried).toMatchObject({ status: 'queued', attempts: 0, lastError: 'Error: boom' });
    const witnessed = await db
      .selectFrom('witness_events')
      .selectAll()
      .where('entity_type', '=', 'job')
      .where('entity_id', '=', String(id))
      .execute();
    expect(witnessed).toHaveLength(1);
    expect(witnessed[0]).toMatchObject({ action: 'job.retried', actor_account_id: 'op-1' });

    await expect(retryJob(db, { id, at: clock.now(), origin })).rejects.toBeInstanceOf(RuleViolation);
    fail = false;
    expect(await r.runDueJobs()).toMatchObject({ succeeded: 1 });
    await expect(retryJob(db, { id: 987_654_321, at: clock.now(), origin })).rejects.toBeInstanceOf(NotFound);
  });
});

describe('start and stop', () => {
  test('a started runner polls; stop waits for the running handler', async () => {
    const clock = new TestClock();
    const type = uniqueType('polling');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = false;
    let finished = false;
    const r = runner(clock, { pollMs: 10 }).register(type, async () => {
      started = true;
      await gate;
      finished = true;
    });
    const { id } = await enqueueJob(db, { type });
    r.start();
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 5000, interval: 5 });

    let stopped = false;
    const stopping = r.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(true);
    expect((await getJob(db, id))!.status).toBe('succeeded');
  });
});
