import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type ApiClient,
  makeTestPlatform,
  type TestPlatform,
  uniqueName,
} from '../../../test/support/platform.ts';
import type { AllTables } from '../../tables.ts';
import { enqueueJob, type JobLogger, JobRunner } from './index.ts';

/**
 * The operator's HTTP view of jobs, on the real platform. The shared database holds other files' jobs:
 * this file's jobs have a type of their own, and a runner here claims only that type.
 */
const silent: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

let p: TestPlatform;
let operator: ApiClient;
let responder: ApiClient;

beforeAll(async () => {
  p = await makeTestPlatform();
  operator = await p.as(await p.makeAccount(['operator']));
  responder = await p.as(await p.makeAccount(['responder']));
});

afterAll(async () => {
  await p.close();
});

describe('operator job view', () => {
  test('lists jobs with their error; a failed job is retried by the operator and witnessed', async () => {
    const runner = new JobRunner<AllTables>({
      db: p.db,
      clock: p.clock,
      leaseClock: p.clock,
      logger: silent,
    });
    const type = uniqueName('notify.sms');
    let fail = true;
    runner.register(type, async () => {
      if (fail) throw new Error('短信网关不可用');
    });
    const { id } = await enqueueJob(p.db, {
      type,
      payload: { to: '138' },
      maxAttempts: 1,
    });
    await runner.runDueJobs();

    const list = await operator.get(`/api/admin/jobs?status=failed&type=${encodeURIComponent(type)}`);
    expect(list.statusCode).toBe(200);
    // The counts cover the whole (shared) table; the list, filtered by this test's type, only its job.
    expect(list.json().counts.failed).toBeGreaterThanOrEqual(1);
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0]).toMatchObject({
      id,
      type,
      status: 'failed',
      statusName: '失败',
      lastError: 'Error: 短信网关不可用',
      payload: { to: '138' },
    });

    const retry = await operator.post(`/api/admin/jobs/${id}/retry`);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ id, status: 'queued', attempts: 0 });
    const events = await p.db
      .selectFrom('witness_events')
      .selectAll()
      .where('action', '=', 'job.retried')
      .where('entity_id', '=', String(id))
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_role: 'operator' });

    const twice = await operator.post(`/api/admin/jobs/${id}/retry`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'JOB_NOT_FAILED', title: '只能重试失败的任务' });

    fail = false;
    expect(await runner.runDueJobs()).toMatchObject({ succeeded: 1 });
  });

  test('unknown or malformed ids are 404', async () => {
    // Far past any id the shared database will reach.
    for (const id of ['999999999999999', 'abc']) {
      const res = await operator.post(`/api/admin/jobs/${id}/retry`);
      expect(res.statusCode, id).toBe(404);
      expect(res.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    }
  });

  test('other roles get 403, anonymous callers 401', async () => {
    const asResponder = await responder.get('/api/admin/jobs');
    expect(asResponder.statusCode).toBe(403);
    const anonymous = await p.anonymous.post('/api/admin/jobs/1/retry');
    expect(anonymous.statusCode).toBe(401);
  });
});
