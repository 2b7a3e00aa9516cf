import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { evaluatedLot } from '../evaluation/test-factory.ts';
import { relogin } from '../opening/test-factory.ts';
import { registerReceivedLot } from '../projects/test-factory.ts';
import {
  assertLotNotSuspended,
  listSuspensions,
  resumeLot,
  SUSPENSION_RECHECK_MS,
  suspendLot,
  suspensionInForce,
} from './index.ts';

let p: TestPlatform;
const ran: string[] = [];
beforeAll(async () => {
  p = await makeTestPlatform();
  p.jobs.register<{ lotId: string }>('test.suspension-probe', async ({ payload }) => {
    ran.push(payload.lotId);
  });
});
afterAll(async () => {
  await p?.close();
});

const CITATION = '《招标投标法实施条例》第六十二条：必要时，行政监督部门可以责令暂停招标投标活动';
const DAY = 86_400_000;

async function witnessActions(lotId: string): Promise<string[]> {
  const rows = await p.db
    .selectFrom('witness_events')
    .select('action')
    .where('entity_type', '=', 'lot')
    .where('entity_id', '=', lotId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('暂停 — a suspended procedure waits and is refused', () => {
  test("the lot's due jobs wait without using attempts, and run after the resumption", async () => {
    const { lot } = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const cause = `complaint:${lot.id}`;
    await p.db.transaction().execute(async (tx) => {
      await suspendLot(tx, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.id,
        cause,
        reason: '投诉处理期间',
        citation: CITATION,
        until: null,
      });
      await enqueueJob(tx, {
        type: 'test.suspension-probe',
        payload: { lotId: lot.id },
        runAt: p.clock.now(),
      });
    });
    await expect(assertLotNotSuspended(p.db, lot.id, p.clock.now())).rejects.toMatchObject({
      code: 'PROCEDURE_SUSPENDED',
      citation: CITATION,
    });

    const pass = await p.jobs.runDueJobs();
    expect(pass.deferred).toBeGreaterThanOrEqual(1);
    expect(ran).not.toContain(lot.id);
    const job = await p.db
      .selectFrom('jobs')
      .selectAll()
      .where('type', '=', 'test.suspension-probe')
      .where(({ ref, val, eb }) => eb(ref('payload'), '@>', val(JSON.stringify({ lotId: lot.id }))))
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('queued');
    expect(job.attempts).toBe(0);
    expect(job.run_at?.getTime()).toBe(p.clock.now().getTime() + SUSPENSION_RECHECK_MS);

    // Still suspended at the recheck: it waits again.
    p.clock.advance(SUSPENSION_RECHECK_MS);
    await p.jobs.runDueJobs();
    expect(ran).not.toContain(lot.id);

    // A second suspension of the same lot is refused; resuming by another cause is refused.
    await expect(
      p.db.transaction().execute((tx) =>
        suspendLot(tx, p.clock.now(), SYSTEM_ORIGIN, {
          lotId: lot.id,
          cause: 'complaint:other',
          reason: '另一投诉',
          citation: CITATION,
          until: null,
        }),
      ),
    ).rejects.toMatchObject({ code: 'ALREADY_SUSPENDED' });
    await expect(
      p.db
        .transaction()
        .execute((tx) =>
          resumeLot(tx, p.clock.now(), SYSTEM_ORIGIN, { lotId: lot.id, cause: 'complaint:other' }),
        ),
    ).rejects.toMatchObject({ code: 'NOT_SUSPENDED' });

    await p.db
      .transaction()
      .execute((tx) => resumeLot(tx, p.clock.now(), SYSTEM_ORIGIN, { lotId: lot.id, cause }));
    expect(await suspensionInForce(p.db, lot.id, p.clock.now())).toBeNull();
    p.clock.advance(SUSPENSION_RECHECK_MS);
    await p.jobs.runDueJobs();
    expect(ran).toContain(lot.id);
    expect(await witnessActions(lot.id)).toEqual(
      expect.arrayContaining(['procedure.suspended', 'procedure.resumed']),
    );
  });

  test('a suspension with an end (94号令: ≤30 日) lapses by itself; jobs wait until then', async () => {
    const { lot } = await registerReceivedLot(p, { procedureType: 'open-tender.gp' });
    const until = new Date(p.clock.now().getTime() + 5 * 60_000);
    await p.db.transaction().execute(async (tx) => {
      await suspendLot(tx, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.id,
        cause: `complaint:${lot.id}`,
        reason: '投诉处理期间',
        citation: '财政部令第94号 第二十八条',
        until,
      });
      await enqueueJob(tx, {
        type: 'test.suspension-probe',
        payload: { lotId: lot.id },
        runAt: p.clock.now(),
      });
    });
    await p.jobs.runDueJobs();
    expect(ran).not.toContain(lot.id);
    p.clock.set(until);
    await p.jobs.runDueJobs();
    expect(ran).toContain(lot.id);
    expect(await suspensionInForce(p.db, lot.id, p.clock.now())).toBeNull();
    // A new suspension closes the lapsed one first.
    await p.db.transaction().execute((tx) =>
      suspendLot(tx, p.clock.now(), SYSTEM_ORIGIN, {
        lotId: lot.id,
        cause: 'complaint:second',
        reason: '第二次投诉处理期间',
        citation: '财政部令第94号 第二十八条',
        until: new Date(p.clock.now().getTime() + DAY),
      }),
    );
    const all = await listSuspensions(p.db, lot.id);
    expect(all).toHaveLength(2);
    expect(all[0]?.endedAt?.getTime()).toBe(until.getTime());
  });

  test('an end in the past is refused', async () => {
    const { lot } = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    await expect(
      p.db.transaction().execute((tx) =>
        suspendLot(tx, p.clock.now(), SYSTEM_ORIGIN, {
          lotId: lot.id,
          cause: 'complaint:x',
          reason: '投诉处理期间',
          citation: CITATION,
          until: p.clock.now(),
        }),
      ),
    ).rejects.toMatchObject({ code: 'SUSPENSION_END_PASSED' });
  });

  test('a suspended lot cannot publish its candidates; after the resumption it can', {
    timeout: 240_000,
  }, async () => {
    const e = await evaluatedLot(p, {
      procedureType: 'open-tender.works',
      regionCode: '150824',
      specialtyCode: 'A020114',
    });
    await relogin(p, e.opened);
    const lotId = e.opened.lot.id;
    await p.db.transaction().execute((tx) =>
      suspendLot(tx, p.clock.now(), SYSTEM_ORIGIN, {
        lotId,
        cause: 'complaint:award',
        reason: '投诉处理期间',
        citation: CITATION,
        until: null,
      }),
    );
    const agency = e.opened.agency.session;
    let res = await agency.post(`/api/lots/${lotId}/award/publicity`, {
      objectionChannel: '招标人 张工 0471-6600000',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'PROCEDURE_SUSPENDED', citation: CITATION });
    await p.db
      .transaction()
      .execute((tx) => resumeLot(tx, p.clock.now(), SYSTEM_ORIGIN, { lotId, cause: 'complaint:award' }));
    res = await agency.post(`/api/lots/${lotId}/award/publicity`, {
      objectionChannel: '招标人 张工 0471-6600000',
    });
    expect(res.statusCode).toBe(200);
  });
});
