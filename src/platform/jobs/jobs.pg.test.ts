import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestClock } from '../clock/index.ts';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '../db/index.ts';
import { enqueueJob, type JobLogger, JobRunner, type JobTables, jobsMigrations, listJobs } from './index.ts';

/**
 * Concurrency on a real PostgreSQL server (PGlite is one backend and cannot show it). Runs when
 * DATABASE_URL is set, in a schema of its own that is dropped afterwards.
 */
interface ExecutionsTable {
  job_id: number;
  worker: string;
}
type TestDb = JobTables & { job_executions: ExecutionsTable };

const databaseUrl = process.env.DATABASE_URL;
const silent: JobLogger = { info: () => {}, warn: () => {}, error: () => {} };

describe.runIf(databaseUrl)('two runners on one PostgreSQL', () => {
  const schema = `jobs_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let admin: pg.Client;
  let first: DatabaseHandle<TestDb>;
  let second: DatabaseHandle<TestDb>;

  const urlInSchema = () => {
    const url = new URL(databaseUrl!);
    url.searchParams.set('options', `-c search_path=${schema}`);
    return url.toString();
  };

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    // Separate pools, as two app instances would have.
    first = await openDatabase<TestDb>({ kind: 'postgres', url: urlInSchema() }, { poolSize: 6 });
    second = await openDatabase<TestDb>({ kind: 'postgres', url: urlInSchema() }, { poolSize: 6 });
    await migrateToLatest(first.db as Kysely<unknown>, jobsMigrations);
    await sql`create table job_executions (job_id bigint not null, worker text not null)`.execute(first.db);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await admin?.query(`drop schema if exists ${schema} cascade`);
    await admin?.end();
  });

  test('500 jobs run concurrently by two runners: each exactly once', async () => {
    const clock = new TestClock();
    const type = 'test.concurrent';
    await first.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 500; i++) await enqueueJob(tx, { type, payload: { i } });
    });

    const runnerOn = (db: Kysely<TestDb>, workerId: string) =>
      new JobRunner<TestDb>({
        db,
        clock,
        leaseClock: clock,
        workerId,
        batchSize: 5,
        logger: silent,
      }).register(type, async ({ job, db: jobDb }) => {
        await jobDb.insertInto('job_executions').values({ job_id: job.id, worker: workerId }).execute();
        // Yield so that the two runners' claims interleave.
        await new Promise((resolve) => setImmediate(resolve));
      });
    const a = runnerOn(first.db, 'runner-a');
    const b = runnerOn(second.db, 'runner-b');
    const [reportA, reportB] = await Promise.all([a.runDueJobs(), b.runDueJobs()]);

    expect(reportA.succeeded + reportB.succeeded).toBe(500);
    const counts = await sql<{ total: number; distinct_jobs: number; workers: number }>`
      select count(*)::int as total, count(distinct job_id)::int as distinct_jobs, count(distinct worker)::int as workers
      from job_executions`.execute(first.db);
    expect(counts.rows[0]).toEqual({ total: 500, distinct_jobs: 500, workers: 2 });
    const notDone = (await listJobs(first.db, { type, limit: 500 })).filter((j) => j.status !== 'succeeded');
    expect(notDone).toEqual([]);
  });

  test('a periodic sweep registered on both runners fires once per slot', async () => {
    const clock = new TestClock('2026-03-02T01:00:30.000Z');
    let fired = 0;
    const sweep = async () => {
      fired += 1;
    };
    const a = new JobRunner<TestDb>({ db: first.db, clock, leaseClock: clock, logger: silent }).every(
      'sweep',
      60_000,
      sweep,
    );
    const b = new JobRunner<TestDb>({ db: second.db, clock, leaseClock: clock, logger: silent }).every(
      'sweep',
      60_000,
      sweep,
    );
    for (let i = 0; i < 5; i++) await Promise.all([a.runDueJobs(), b.runDueJobs()]);
    expect(fired).toBe(1);
    clock.advance(60_000);
    for (let i = 0; i < 5; i++) await Promise.all([a.runDueJobs(), b.runDueJobs()]);
    expect(fired).toBe(2);
  });
});
