import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { makeExpert } from '../../service/experts/test-factory.ts';
import { type BidFactoryPlatform, openLotForBidding, submitBid } from '../bids/test-factory.ts';
import { projectBody, registerReceivedLot } from '../projects/test-factory.ts';
import { createDrawsDeps, verifyDrawInDatabase, verifyDrawRecord } from './index.ts';
import { recheckBidders } from './recheck.ts';
import type { DrawRecord } from './record.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await makeTestPlatform();
});
afterAll(async () => {
  await p?.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Body = Record<string, unknown>;
interface DrawView {
  id: string;
  status: string;
  revealed: boolean;
  groups: { confirmed: number; pending: number; declined: number; noAnswer: number; conflict: number }[];
  exclusions: { source: string; reasonCode: string; name: string }[];
  rounds: {
    round: number;
    kind: string;
    reason: string | null;
    seedCommitment: string;
    funnel?: { g: number; steps: { rule: string; remaining: number }[] }[];
    bidders?: unknown[];
  }[];
  assignments: { id: string; code: string; name: string; status: string; round: number }[] | null;
  notifications?: { channel: string; status: string; lastError: string | null }[];
  shortfall: { rule: string; available: number } | null;
}

function drawBody(regionCode: string, specialtyCode: string, startsAt: Date, overrides: Body = {}): Body {
  return {
    evaluationStartsAt: startsAt.toISOString(),
    durationMinutes: 240,
    confirmWindowMinutes: 120,
    venues: [{ role: 'host', regionCode, name: '呼和浩特市公共资源交易中心评标室3', seats: 9 }],
    groups: [{ specialtyCode, count: 3, venueIndex: 0 }],
    exclusions: [{ name: '某某咨询有限公司', reasonCode: '9', reasonText: '与招标人存在诉讼纠纷' }],
    ...overrides,
  };
}

async function pool(n: number, regionCode: string, specialtyCode: string) {
  const made = [];
  for (let i = 0; i < n; i++) made.push(await makeExpert(p, { regionCode, specialtyCodes: [specialtyCode] }));
  return made;
}

async function supervisor() {
  return p.as(await p.makeAccount(['supervisor'], { displayName: '行业监督' }));
}

describe('the expert draw', () => {
  test('request → run → confirm / decline / no answer / 回避 → 补抽 → reveal, verifiable throughout', async () => {
    const t0 = p.clock.now();
    const region = '150103';
    const specialty = 'A020114';
    const { lot, agency, initiator } = await registerReceivedLot(p, {
      procedureType: 'open-tender.works',
      withAgency: true,
    });
    const experts = await pool(7, region, specialty);
    // Not eligible, by the pool's rules: employed by the regulator, suspended, unavailable on the day.
    const regulatorStaff = await makeExpert(p, {
      regionCode: region,
      specialtyCodes: [specialty],
      employerName: lot.regulator,
    });
    const suspended = await makeExpert(p, {
      regionCode: region,
      specialtyCodes: [specialty],
      status: 'suspended',
      statusReason: '考核不合格',
    });
    const startsAt = new Date(t0.getTime() + 3 * DAY);
    const day = new Date(startsAt.getTime() + 8 * HOUR).toISOString().slice(0, 10);
    const away = await makeExpert(p, {
      regionCode: region,
      specialtyCodes: [specialty],
      unavailability: [{ from: day, to: day, reason: '出差' }],
    });
    const blockedIds = new Set([regulatorStaff.expertId, suspended.expertId, away.expertId]);

    const requester = await p.as(agency!);
    const created = await requester.post(
      `/api/lots/${lot.id}/expert-draws`,
      drawBody(region, specialty, startsAt),
    );
    expect(created.statusCode, created.body).toBe(201);
    const draw = created.json() as DrawView;
    expect(draw.status).toBe('requested');
    // The platform avoids the initiator, the agency and the regulator itself; the bidders stay sealed.
    expect(draw.exclusions.map((e) => e.reasonCode).sort()).toEqual(['1', '2', '3', '4', '9']);
    expect(draw.exclusions.find((e) => e.reasonCode === '1')!.name).toContain('名单密封');

    const ran = await requester.post(`/api/expert-draws/${draw.id}/run`);
    expect(ran.statusCode, ran.body).toBe(200);
    const drawn = ran.json() as DrawView;
    expect(drawn.status).toBe('drawn');
    expect(drawn.groups[0]).toMatchObject({ pending: 3, confirmed: 0 });
    // No names before the evaluation starts: not for the requester, not for the initiator either.
    expect(drawn.assignments).toBeNull();
    expect(ran.body).not.toMatch(/ZJ\d/);
    const byInitiator = await (await p.as(initiator)).get(`/api/expert-draws/${draw.id}`);
    expect(byInitiator.statusCode).toBe(200);
    expect((byInitiator.json() as DrawView).assignments).toBeNull();
    // The trading centre's staff has no way in; the public record carries commitments only.
    const operator = await p.as(await p.makeAccount(['operator']));
    expect((await operator.get(`/api/expert-draws/${draw.id}`)).statusCode).toBe(403);
    expect((await operator.get(`/api/supervision/expert-draws/${draw.id}`)).statusCode).toBe(403);
    const sealedRecord = (await p.anonymous.get(`/api/expert-draws/${draw.id}/record`)).json() as DrawRecord;
    expect(sealedRecord.rounds[0]).toMatchObject({ seed: null, list: null, selected: null });
    expect(sealedRecord.rounds[0]!.checkpoint).not.toBeNull();

    // The supervisor sees everything: the names, the bidders line, the funnel.
    const jiandu = await supervisor();
    const full = (await jiandu.get(`/api/supervision/expert-draws/${draw.id}`)).json() as DrawView;
    expect(full.assignments).toHaveLength(3);
    const steps = full.rounds[0]!.funnel![0]!.steps;
    const remaining = Object.fromEntries(steps.map((s) => [s.rule, s.remaining]));
    expect(remaining.pool).toBe(10);
    expect(remaining.status).toBe(9);
    expect(remaining.unavailable).toBe(8);
    expect(remaining['regulator-staff']).toBe(7);
    expect(
      full.notifications!.filter((n) => n.channel === 'sms').every((n) => n.status === 'not-configured'),
    ).toBe(true);

    // Each drawn expert sees the notice (project, time, venue) and answers.
    const byCode = new Map(experts.map((e) => [e.code, e]));
    const drawnExperts = full.assignments!.map((a) => byCode.get(a.code)!);
    expect(drawnExperts.every((e) => e && !blockedIds.has(e.expertId))).toBe(true);
    const [first, second, third] = drawnExperts as [
      (typeof experts)[0],
      (typeof experts)[0],
      (typeof experts)[0],
    ];
    const s1 = await p.as(first.account);
    const mine = (await s1.get('/api/my/expert-assignments')).json() as {
      items: { id: string; projectName: string; venue: { name: string } }[];
    };
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]!.projectName).toBe(lot.projectName);
    expect(mine.items[0]!.venue.name).toContain('评标室3');
    const id1 = mine.items[0]!.id;
    const s2 = await p.as(second.account);
    const id2 = ((await s2.get('/api/my/expert-assignments')).json() as { items: { id: string }[] }).items[0]!
      .id;
    // Another expert cannot answer someone else's assignment.
    expect(
      (await s2.post(`/api/expert-assignments/${id1}/confirm`, { declareNoConflict: true })).statusCode,
    ).toBe(404);
    expect(
      (await s1.post(`/api/expert-assignments/${id1}/confirm`, { declareNoConflict: true })).json(),
    ).toMatchObject({ status: 'confirmed' });
    expect(
      (await s1.post(`/api/expert-assignments/${id1}/confirm`, { declareNoConflict: true })).json(),
    ).toMatchObject({ code: 'ASSIGNMENT_ALREADY_ANSWERED' });
    expect(
      (await s2.post(`/api/expert-assignments/${id2}/decline`, { reason: '身体不适' })).json(),
    ).toMatchObject({ status: 'declined' });

    // The decline is followed by an automatic 补抽 under the same rules.
    await p.jobs.runDueJobs();
    let view = (await jiandu.get(`/api/supervision/expert-draws/${draw.id}`)).json() as DrawView;
    expect(view.rounds).toHaveLength(2);
    expect(view.rounds[1]).toMatchObject({ kind: 'supplementary', reason: 'declined' });
    const round2 = view.assignments!.filter((a) => a.round === 2);
    expect(round2).toHaveLength(1);
    expect(drawnExperts.map((e) => e.code)).not.toContain(round2[0]!.code);
    expect(blockedIds.has(byCode.get(round2[0]!.code)!.expertId)).toBe(false);

    // The third never answers: at the window's end it is 未答复 and replaced; confirming then is refused.
    p.clock.set(new Date(t0.getTime() + 2 * HOUR + 60_000));
    await p.jobs.runDueJobs();
    await p.jobs.runDueJobs();
    const s3 = await p.as(third.account);
    const id3 = ((await s3.get('/api/my/expert-assignments')).json() as { items: { id: string }[] }).items[0]!
      .id;
    const late = await s3.post(`/api/expert-assignments/${id3}/confirm`, { declareNoConflict: true });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'ASSIGNMENT_WINDOW_CLOSED' });
    view = (await jiandu.get(`/api/supervision/expert-draws/${draw.id}`)).json() as DrawView;
    expect(view.rounds.map((r) => r.reason)).toEqual([null, 'declined', 'no-answer']);

    // A conflict declared after being drawn voids the assignment (实施条例第四十八条) and a 补抽 follows.
    const s1b = await p.as(first.account);
    const conflict = await s1b.post(`/api/expert-assignments/${id1}/conflict`, {
      reason: '配偶受聘于投标人',
    });
    expect(conflict.json()).toMatchObject({ status: 'conflict' });
    await p.jobs.runDueJobs();
    view = (await jiandu.get(`/api/supervision/expert-draws/${draw.id}`)).json() as DrawView;
    expect(view.rounds.map((r) => r.reason)).toEqual([null, 'declined', 'no-answer', 'conflict']);
    expect(view.groups[0]!.conflict).toBe(1);

    // The platform's own verification (sealed values opened with the field key) passes before the reveal.
    const deps = createDrawsDeps({ db: p.db, clock: p.clock, sealer: p.sealer });
    const before = await verifyDrawInDatabase(deps, draw.id);
    expect(before?.failure).toBeNull();
    expect(before?.rounds.map((r) => r.replayed)).toEqual([true, true, true, true]);

    // At the evaluation's start the seeds and lists become public; the requester sees the names.
    p.clock.set(startsAt);
    await p.jobs.runDueJobs();
    const record = (await p.anonymous.get(`/api/expert-draws/${draw.id}/record`)).json() as DrawRecord;
    expect(record.revealed).toBe(true);
    expect(record.rounds.every((r) => r.seed && r.list && r.selected)).toBe(true);
    const offline = verifyDrawRecord(JSON.parse(JSON.stringify(record)) as DrawRecord);
    expect(offline).toMatchObject({ ok: true, notReplayed: [] });
    const again = await p.as(agency!);
    const revealed = (await again.get(`/api/expert-draws/${draw.id}`)).json() as DrawView;
    expect(revealed.assignments!.map((a) => a.name).every((n) => n.length > 0)).toBe(true);

    // A tampered list, seed or selection fails the replay, naming the round and the check.
    const tamperedList = structuredClone(record);
    tamperedList.rounds[0]!.list!.pop();
    expect(verifyDrawRecord(tamperedList).failure).toMatchObject({ round: 1, check: 'list' });
    const swapped = structuredClone(record);
    const list = swapped.rounds[1]!.list!;
    list[0] = { g: 0, c: 'ZJ00000000' };
    expect(verifyDrawRecord(swapped).failure).toMatchObject({ round: 2, check: 'list' });
    const otherSelection = structuredClone(record);
    otherSelection.rounds[0]!.selected![0]!.codes.reverse();
    expect(verifyDrawRecord(otherSelection).failure).toMatchObject({ round: 1, check: 'replay' });
    const otherSeed = structuredClone(record);
    otherSeed.rounds[2]!.seed = '00'.repeat(32);
    expect(verifyDrawRecord(otherSeed).failure).toMatchObject({ round: 3, check: 'seed' });
    const otherCommitment = structuredClone(record);
    otherCommitment.rounds[0]!.seedCommitment = '11'.repeat(32);
    expect(verifyDrawRecord(otherCommitment).failure).toMatchObject({ round: 1, check: 'commit-event' });
  }, 120_000);

  test('a request naming experts is refused with 第四十六条; an exclusion without a reason is refused', async () => {
    const { lot, initiatorClient } = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const startsAt = new Date(p.clock.now().getTime() + 3 * DAY);
    for (const extra of [
      { expertIds: ['x'] },
      { expertCodes: ['ZJ15000001'] },
      { groups: [{ specialtyCode: 'A020114', count: 3, venueIndex: 0, designated: ['张三'] }] },
    ]) {
      const res = await initiatorClient.post(
        `/api/lots/${lot.id}/expert-draws`,
        drawBody('150104', 'A020114', startsAt, extra),
      );
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'DRAW_DESIGNATION_FORBIDDEN' });
      expect((res.json() as { citation: string }).citation).toContain('第四十六条');
    }
    for (const exclusion of [
      { name: '某公司', reasonCode: '9' },
      { name: '某公司', reasonCode: '9', reasonText: '  ' },
      { name: '某公司', reasonText: '利害关系' },
    ]) {
      const res = await initiatorClient.post(
        `/api/lots/${lot.id}/expert-draws`,
        drawBody('150104', 'A020114', startsAt, { exclusions: [exclusion] }),
      );
      expect(res.statusCode, res.body).toBe(400);
    }
    const twoHosts = await initiatorClient.post(
      `/api/lots/${lot.id}/expert-draws`,
      drawBody('150104', 'A020114', startsAt, {
        venues: [
          { role: 'host', regionCode: '150104', name: '评标室1', seats: 5 },
          { role: 'host', regionCode: '150105', name: '评标室2', seats: 5 },
        ],
      }),
    );
    expect(twoHosts.json()).toMatchObject({ code: 'DRAW_HOST_VENUE' });
    const fewSeats = await initiatorClient.post(
      `/api/lots/${lot.id}/expert-draws`,
      drawBody('150104', 'A020114', startsAt, {
        venues: [{ role: 'host', regionCode: '150104', name: '小会议室', seats: 2 }],
      }),
    );
    expect(fewSeats.json()).toMatchObject({ code: 'DRAW_SEATS_TOO_FEW' });
    expect((await initiatorClient.get(`/api/lots/${lot.id}/expert-draws`)).json()).toEqual({ items: [] });
  });

  test('too few eligible experts: 422 naming the group and the rule, nothing drawn, the attempt witnessed', async () => {
    const region = '150105';
    const specialty = 'A020113';
    const { lot, initiatorClient } = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    await pool(2, region, specialty);
    await makeExpert(p, {
      regionCode: region,
      specialtyCodes: [specialty],
      status: 'suspended',
      statusReason: '暂停',
    });
    const startsAt = new Date(p.clock.now().getTime() + 3 * DAY);
    const created = (
      await initiatorClient.post(`/api/lots/${lot.id}/expert-draws`, drawBody(region, specialty, startsAt))
    ).json() as DrawView;
    const res = await initiatorClient.post(`/api/expert-draws/${created.id}/run`);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'DRAW_NOT_ENOUGH_EXPERTS',
      rule: 'status',
      needed: 3,
      available: 2,
      groupIndex: 0,
    });
    expect((res.json() as { detail: string }).detail).toContain('不在库');
    const view = (await initiatorClient.get(`/api/expert-draws/${created.id}`)).json() as DrawView;
    expect(view).toMatchObject({ status: 'requested', rounds: [], assignments: null });
    expect(view.shortfall).toMatchObject({ rule: 'status', available: 2 });
    const events = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_id', '=', created.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['expert-draw.requested', 'expert-draw.insufficient']);
  });

  test('an expert already drawn for an overlapping evaluation is busy; a 补抽 that finds nobody marks 人数不足', async () => {
    const region = '150121';
    const specialty = 'A020115';
    const first = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const second = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const two = await pool(2, region, specialty);
    const startsAt = new Date(p.clock.now().getTime() + 3 * DAY);
    const body = drawBody(region, specialty, startsAt, {
      groups: [{ specialtyCode: specialty, count: 2, venueIndex: 0 }],
    });
    const a = (
      await first.initiatorClient.post(`/api/lots/${first.lot.id}/expert-draws`, body)
    ).json() as DrawView;
    expect((await first.initiatorClient.post(`/api/expert-draws/${a.id}/run`)).statusCode).toBe(200);
    const b = (
      await second.initiatorClient.post(`/api/lots/${second.lot.id}/expert-draws`, {
        ...body,
        evaluationStartsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
        groups: [{ specialtyCode: specialty, count: 1, venueIndex: 0 }],
      })
    ).json() as DrawView;
    const busy = await second.initiatorClient.post(`/api/expert-draws/${b.id}/run`);
    expect(busy.json()).toMatchObject({ code: 'DRAW_NOT_ENOUGH_EXPERTS', rule: 'busy', available: 0 });

    // One of the two declines; nobody is left to replace them: 人数不足, visible to requester and supervisor.
    const session = await p.as(two[0]!.account);
    const item = ((await session.get('/api/my/expert-assignments')).json() as { items: { id: string }[] })
      .items[0]!;
    expect(
      (await session.post(`/api/expert-assignments/${item.id}/decline`, { reason: '时间冲突' })).statusCode,
    ).toBe(200);
    await p.jobs.runDueJobs();
    const view = (await first.initiatorClient.get(`/api/expert-draws/${a.id}`)).json() as DrawView;
    expect(view.status).toBe('short');
    expect(view.shortfall).toMatchObject({ rule: 'already-drawn', available: 0 });
    const jiandu = await supervisor();
    const list = (await jiandu.get('/api/supervision/expert-draws')).json() as {
      items: { id: string; status: string }[];
    };
    expect(list.items.find((d) => d.id === a.id)?.status).toBe('short');
    // The requester may cancel before the evaluation starts; the experts are released.
    const cancelled = await first.initiatorClient.post(`/api/expert-draws/${a.id}/cancel`, {
      reason: '项目暂停',
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    const after = (await session.get('/api/my/expert-assignments')).json() as { items: { status: string }[] };
    expect(after.items[0]!.status).toBe('declined');
  });

  test("the lot's bidders are avoided automatically; only the supervisor sees who they were", async () => {
    const region = '150123';
    const specialty = 'A020101';
    const lot = await openLotForBidding(p as unknown as BidFactoryPlatform, { bidders: 2 });
    p.clock.set(lot.lot.timeline.documentsFrom);
    for (const bidder of lot.bidders) await submitBid(p as unknown as BidFactoryPlatform, lot, bidder);
    p.clock.set(lot.lot.timeline.openingAt);
    await p.jobs.runDueJobs();
    const [b1] = lot.bidders;
    const employee = await makeExpert(p, {
      regionCode: region,
      specialtyCodes: [specialty],
      employerName: b1!.name,
      employerCreditCode: b1!.creditCode,
    });
    const others = await pool(3, region, specialty);
    const requester = await p.as(lot.agency.account);
    const startsAt = new Date(p.clock.now().getTime() + 2 * DAY);
    const created = (
      await requester.post(`/api/lots/${lot.lot.id}/expert-draws`, drawBody(region, specialty, startsAt))
    ).json() as DrawView;
    const ran = await requester.post(`/api/expert-draws/${created.id}/run`);
    expect(ran.statusCode, ran.body).toBe(200);
    for (const b of lot.bidders) expect(ran.body).not.toContain(b.name);
    const jiandu = await supervisor();
    const full = (await jiandu.get(`/api/supervision/expert-draws/${created.id}`)).json() as DrawView;
    expect(full.assignments!.map((a) => a.code).sort()).toEqual(others.map((o) => o.code).sort());
    expect(full.assignments!.map((a) => a.code)).not.toContain(employee.code);
    expect((full.rounds[0]!.bidders as { name: string }[]).map((b) => b.name).sort()).toEqual(
      lot.bidders.map((b) => b.name).sort(),
    );
    const employer = full.rounds[0]!.funnel![0]!.steps.find((s) => s.rule === 'employer')!;
    expect(employer.remaining).toBe(3);
  }, 120_000);

  test('a bid arriving after the draw: at the bid deadline an expert employed by that bidder is withdrawn and replaced', async () => {
    // A county and specialty no other test of the worker's shared database uses: the pool is exactly ours.
    const region = '150521';
    const specialty = 'A020102';
    const lot = await openLotForBidding(p as unknown as BidFactoryPlatform, { bidders: 2 });
    const [late, other] = lot.bidders as [(typeof lot.bidders)[0], (typeof lot.bidders)[0]];
    p.clock.set(lot.lot.timeline.documentsFrom);
    await p.jobs.runDueJobs();
    await submitBid(p as unknown as BidFactoryPlatform, lot, other);
    // The pool holds exactly three: all of them are drawn, the bidder's employee among them.
    const employee = await makeExpert(p, {
      regionCode: region,
      specialtyCodes: [specialty],
      employerName: late.name,
      employerCreditCode: late.creditCode,
    });
    const colleagues = await pool(2, region, specialty);
    const requester = await p.as(lot.agency.account);
    const startsAt = new Date(lot.lot.timeline.openingAt.getTime() + DAY);
    const created = (
      await requester.post(`/api/lots/${lot.lot.id}/expert-draws`, drawBody(region, specialty, startsAt))
    ).json() as DrawView;
    expect((await requester.post(`/api/expert-draws/${created.id}/run`)).statusCode).toBe(200);
    for (const e of [employee, ...colleagues]) {
      const s = await p.as(e.account!);
      const id = ((await s.get('/api/my/expert-assignments')).json() as { items: { id: string }[] }).items[0]!
        .id;
      expect(
        (await s.post(`/api/expert-assignments/${id}/confirm`, { declareNoConflict: true })).statusCode,
      ).toBe(200);
    }
    // The employer bids after the draw; a fourth expert joins the pool, available for the 补抽.
    await submitBid(p as unknown as BidFactoryPlatform, lot, late);
    const spare = (await pool(1, region, specialty))[0]!;

    p.clock.set(lot.lot.timeline.bidDeadline);
    await p.jobs.runDueJobs();
    await p.jobs.runDueJobs();
    const jiandu = await supervisor();
    const view = (await jiandu.get(`/api/supervision/expert-draws/${created.id}`)).json() as DrawView;
    const byCode = new Map(view.assignments!.map((a) => [a.code, a]));
    expect(byCode.get(employee.code)!.status).toBe('conflict');
    for (const c of colleagues) expect(byCode.get(c.code)!.status).toBe('confirmed');
    expect(view.rounds.map((r) => r.reason)).toEqual([null, 'conflict']);
    expect(byCode.get(spare.code)).toMatchObject({ round: 2, status: 'notified' });
    // Witnessed by the platform without naming the expert; the requester's view shows no names yet.
    const events = await p.db
      .selectFrom('witness_events')
      .select(['payload', 'actor_account_id'])
      .where('action', '=', 'expert-assignment.conflict-detected')
      .where('entity_id', '=', byCode.get(employee.code)!.id)
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.actor_account_id).toBeNull();
    expect(events[0]!.payload).not.toContain(employee.code);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ voidedWork: true });
    // Sessions live in platform time: sign in again after the jump to the deadline.
    const mine = await (await p.as(lot.agency.account)).get(`/api/expert-draws/${created.id}`);
    expect(mine.statusCode).toBe(200);
    for (const e of [employee, spare]) expect(mine.body).not.toContain(e.code);
    // Running the check again changes nothing.
    expect(
      await recheckBidders(createDrawsDeps({ db: p.db, clock: p.clock, sealer: p.sealer }), created.id),
    ).toBe(0);
  }, 120_000);

  test('the region rules: at most N draws in 30 days, not the same initiator within M days (set by the supervisor)', async () => {
    const region = '150125';
    const specialty = 'A020103';
    const jiandu = await supervisor();
    const set = await jiandu.put('/api/draw-rules/150125', { frequencyMax: 1, sameInitiatorDays: 0 });
    expect(set.statusCode, set.body).toBe(200);
    await pool(1, region, specialty);
    const one = (days: number) =>
      drawBody(region, specialty, new Date(p.clock.now().getTime() + days * DAY), {
        groups: [{ specialtyCode: specialty, count: 1, venueIndex: 0 }],
      });
    const first = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    expect(
      (await first.initiatorClient.put('/api/draw-rules/150125', { frequencyMax: 9, sameInitiatorDays: 0 }))
        .statusCode,
    ).toBe(403);
    const a = (
      await first.initiatorClient.post(`/api/lots/${first.lot.id}/expert-draws`, one(3))
    ).json() as DrawView;
    expect((await first.initiatorClient.post(`/api/expert-draws/${a.id}/run`)).statusCode).toBe(200);

    // Another initiator a week later: the one expert has had its one draw in the 30 days.
    const other = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    const b = (
      await other.initiatorClient.post(`/api/lots/${other.lot.id}/expert-draws`, one(10))
    ).json() as DrawView;
    expect((await other.initiatorClient.post(`/api/expert-draws/${b.id}/run`)).json()).toMatchObject({
      code: 'DRAW_NOT_ENOUGH_EXPERTS',
      rule: 'frequency',
    });
    await other.initiatorClient.post(`/api/expert-draws/${b.id}/cancel`, { reason: '重新申请' });

    // Frequency relaxed; not the same initiator within 30 days: the first initiator's second lot is refused…
    await jiandu.put('/api/draw-rules/150125', { frequencyMax: 5, sameInitiatorDays: 30 });
    const project = await first.initiatorClient.post('/api/projects', projectBody());
    expect(project.statusCode, project.body).toBe(201);
    const registered = project.json() as {
      id: string;
      version: number;
      catalogItemCode: string;
      lots: { id: string }[];
    };
    const received = await first.operatorClient.post(`/api/admin/projects/${registered.id}/receive`, {
      reviewedVersion: registered.version,
      catalogItemCode: registered.catalogItemCode,
    });
    expect(received.statusCode, received.body).toBe(200);
    const lot2 = registered.lots[0]!.id;
    const c = (
      await first.initiatorClient.post(`/api/lots/${lot2}/expert-draws`, one(10))
    ).json() as DrawView;
    expect((await first.initiatorClient.post(`/api/expert-draws/${c.id}/run`)).json()).toMatchObject({
      code: 'DRAW_NOT_ENOUGH_EXPERTS',
      rule: 'same-initiator',
    });
    // …another initiator is not.
    const d = (
      await other.initiatorClient.post(`/api/lots/${other.lot.id}/expert-draws`, one(10))
    ).json() as DrawView;
    expect((await other.initiatorClient.post(`/api/expert-draws/${d.id}/run`)).statusCode).toBe(200);
    const rules = (await jiandu.get('/api/draw-rules')).json() as {
      items: { regionCode: string; frequencyMax: number }[];
    };
    expect(rules.items.find((r) => r.regionCode === '150125')?.frequencyMax).toBe(5);
  }, 120_000);

  test('a process that stops between the commitment and the draw: the round job finishes the same round', async () => {
    const region = '150202';
    const specialty = 'A020104';
    const { lot, initiatorClient } = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
    await pool(4, region, specialty);
    const startsAt = new Date(p.clock.now().getTime() + 3 * DAY);
    const created = (
      await initiatorClient.post(`/api/lots/${lot.id}/expert-draws`, drawBody(region, specialty, startsAt))
    ).json() as DrawView;
    // The draw's transaction fails (as if the process died) after the commitment was made and witnessed.
    await sql`create function ggzy_test_fail() returns trigger language plpgsql as $$
      begin raise exception 'simulated crash'; end $$`.execute(p.db);
    await sql`create trigger ggzy_test_fail before insert on expert_assignments
      for each statement execute function ggzy_test_fail()`.execute(p.db);
    try {
      expect((await initiatorClient.post(`/api/expert-draws/${created.id}/run`)).statusCode).toBe(500);
    } finally {
      await sql`drop trigger ggzy_test_fail on expert_assignments`.execute(p.db);
      await sql`drop function ggzy_test_fail()`.execute(p.db);
    }
    const jiandu = await supervisor();
    let view = (await jiandu.get(`/api/supervision/expert-draws/${created.id}`)).json() as DrawView;
    expect(view.rounds).toHaveLength(1);
    expect(view.assignments).toEqual([]);
    // The round job (due 5 s after the commitment) finishes that round from its sealed seed and list.
    p.clock.advance(10_000);
    await p.jobs.runDueJobs();
    view = (await jiandu.get(`/api/supervision/expert-draws/${created.id}`)).json() as DrawView;
    expect(view.status).toBe('drawn');
    expect(view.assignments).toHaveLength(3);
    const deps = createDrawsDeps({ db: p.db, clock: p.clock, sealer: p.sealer });
    expect((await verifyDrawInDatabase(deps, created.id))?.failure).toBeNull();
  }, 60_000);
});
