import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiClient, makeTestPlatform, type TestPlatform } from '../../../test/support/platform.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { type ReceivedLot, registerReceivedLot } from '../../trading/projects/test-factory.ts';
import { moveLotBookings } from './index.ts';

/**
 * The real platform on the worker's shared database: every test books its own fresh rooms, so other
 * files' bookings never collide with these.
 */
let p: TestPlatform;
let operator: ApiClient;
let lotA: ReceivedLot<ApiClient>;
let lotB: ReceivedLot<ApiClient>;

beforeAll(async () => {
  p = await makeTestPlatform({ GGZY_LOGIN_RATE_MAX: '10000' });
  p.clock.set('2026-03-02T01:00:00.000Z');
  operator = await p.as(await p.makeAccount(['operator'], { displayName: '场地管理员' }));
  lotA = await registerReceivedLot(p, { procedureType: 'open-tender.works', withAgency: true });
  lotB = await registerReceivedLot(p, { procedureType: 'open-tender.works' });
}, 120_000);

afterAll(async () => {
  await p.close();
});

async function newRoom(kind: 'opening' | 'evaluation', extra: Record<string, unknown> = {}) {
  const res = await operator.post('/api/admin/venues/rooms', {
    code: `${kind === 'opening' ? 'KB' : 'PB'}-${randomBytes(4).toString('hex').toUpperCase()}`,
    name: kind === 'opening' ? '第一开标室' : '第一评标室',
    kind,
    capacity: 20,
    platformCode: 'P1500000001',
    location: '呼和浩特市新城区 交易中心三楼',
    ...extra,
  });
  if (res.statusCode !== 201) throw new Error(`room not created: ${res.body}`);
  return res.json() as { id: string; code: string; isolated: boolean; kind: string };
}

/** 2026-03-20 at hh:mm Beijing time. */
const at = (hhmm: string, day = 20) => `2026-03-${day}T${hhmm}:00+08:00`;

function book(client: ApiClient, lotId: string, body: Record<string, unknown>) {
  return client.post(`/api/lots/${lotId}/venue-bookings`, { purpose: 'opening', ...body });
}

async function countBookings(roomId: string, lotId?: string) {
  let query = p.db
    .selectFrom('venue_bookings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('room_id', '=', roomId)
    .where('status', '=', 'booked');
  if (lotId) query = query.where('lot_id', '=', lotId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

describe('rooms (staff)', () => {
  test('an evaluation room is always isolated (§14); opening rooms are listed for bookers', async () => {
    const evaluation = await newRoom('evaluation', { isolated: false });
    expect(evaluation.isolated).toBe(true);
    const opening = await newRoom('opening');
    const listed = await lotA.initiatorClient.get('/api/venues/rooms');
    expect((listed.json() as { items: { id: string }[] }).items.map((r) => r.id)).toEqual(
      expect.arrayContaining([evaluation.id, opening.id]),
    );
    const events = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_id', '=', evaluation.id)
      .execute();
    expect(events.map((e) => e.action)).toEqual(['venue-room.created']);
  });

  test('only staff manage rooms (403 for an initiator); an unknown platform is refused', async () => {
    const res = await lotA.initiatorClient.post('/api/admin/venues/rooms', {
      code: 'KB-X1',
      name: '越权开标室',
      kind: 'opening',
      capacity: 10,
      platformCode: 'P1500000001',
      location: '某处',
    });
    expect(res.statusCode).toBe(403);
    const unknown = await operator.post('/api/admin/venues/rooms', {
      code: `KB-${randomBytes(3).toString('hex').toUpperCase()}`,
      name: '开标室',
      kind: 'opening',
      capacity: 10,
      platformCode: 'P1599990001',
      location: '某处',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'PLATFORM_NOT_FOUND' });
  });
});

describe('bookings', () => {
  test('a double booking is refused with the conflicting time, and nothing is stored', async () => {
    const room = await newRoom('opening');
    const first = await book(lotA.initiatorClient, lotA.lot.id, {
      roomId: room.id,
      startsAt: at('09:00'),
      endsAt: at('11:00'),
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      status: 'booked',
      lot: { code: lotA.lot.code },
      purposeName: '开标',
    });

    const clash = await book(lotB.initiatorClient, lotB.lot.id, {
      roomId: room.id,
      startsAt: at('10:30'),
      endsAt: at('12:00'),
    });
    expect(clash.statusCode).toBe(409);
    const problem = clash.json() as { code: string; detail: string };
    expect(problem.code).toBe('VENUE_DOUBLE_BOOKED');
    expect(problem.detail).toContain('2026年3月20日 09:00（北京时间） 至 2026年3月20日 11:00（北京时间）');
    expect(await countBookings(room.id, lotB.lot.id)).toBe(0);

    // Half-open periods: the next session may start the minute the previous one ends.
    const adjacent = await book(lotB.initiatorClient, lotB.lot.id, {
      roomId: room.id,
      startsAt: at('11:00'),
      endsAt: at('12:00'),
    });
    expect(adjacent.statusCode).toBe(201);

    // Staff see both on the calendar; bookers see busy times only.
    const calendar = await operator.get(
      `/api/admin/venues/bookings?from=${encodeURIComponent(at('00:00'))}&to=${encodeURIComponent(at('23:59'))}&roomId=${room.id}`,
    );
    expect((calendar.json() as { items: { lot: { id: string } }[] }).items.map((b) => b.lot.id)).toEqual([
      lotA.lot.id,
      lotB.lot.id,
    ]);
    const busy = await lotB.initiatorClient.get(
      `/api/venues/rooms/${room.id}/busy?from=${encodeURIComponent(at('00:00'))}&to=${encodeURIComponent(at('23:59'))}`,
    );
    expect(busy.json()).toEqual({
      items: [
        { startsAt: '2026-03-20T01:00:00.000Z', endsAt: '2026-03-20T03:00:00.000Z' },
        { startsAt: '2026-03-20T03:00:00.000Z', endsAt: '2026-03-20T04:00:00.000Z' },
      ],
    });

    // Cancelled, the slot is free again.
    const cancelled = await lotA.initiatorClient.post(
      `/api/venue-bookings/${(first.json() as { id: string }).id}/cancel`,
      { reason: '开标时间调整' },
    );
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: '开标时间调整' });
    const rebooked = await book(lotA.initiatorClient, lotA.lot.id, {
      roomId: room.id,
      startsAt: at('09:30'),
      endsAt: at('10:30'),
    });
    expect(rebooked.statusCode).toBe(201);
    await lotA.initiatorClient.post(`/api/venue-bookings/${(rebooked.json() as { id: string }).id}/cancel`, {
      reason: '测试结束',
    });
    await lotB.initiatorClient.post(`/api/venue-bookings/${(adjacent.json() as { id: string }).id}/cancel`, {
      reason: '测试结束',
    });
  });

  test('two overlapping bookings sent at once: exactly one wins', async () => {
    const room = await newRoom('opening');
    const results = await Promise.all([
      book(lotA.initiatorClient, lotA.lot.id, {
        roomId: room.id,
        startsAt: at('14:00', 21),
        endsAt: at('16:00', 21),
      }),
      book(lotB.initiatorClient, lotB.lot.id, {
        roomId: room.id,
        startsAt: at('15:00', 21),
        endsAt: at('17:00', 21),
      }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(await countBookings(room.id)).toBe(1);
    for (const r of results) {
      if (r.statusCode === 201) {
        const lot = (r.json() as { lot: { id: string } }).lot.id === lotA.lot.id ? lotA : lotB;
        await lot.initiatorClient.post(`/api/venue-bookings/${(r.json() as { id: string }).id}/cancel`, {
          reason: '测试结束',
        });
      }
    }
  });

  test('only the lot’s initiator or its authorised agency may book; rooms must fit the purpose', async () => {
    const opening = await newRoom('opening');
    const evaluation = await newRoom('evaluation');
    const stranger = await book(lotB.initiatorClient, lotA.lot.id, {
      roomId: opening.id,
      startsAt: at('09:00', 22),
      endsAt: at('10:00', 22),
    });
    expect(stranger.statusCode).toBe(403);
    expect(await countBookings(opening.id)).toBe(0);

    const wrongKind = await book(lotA.agencyClient!, lotA.lot.id, {
      roomId: evaluation.id,
      startsAt: at('09:00', 22),
      endsAt: at('10:00', 22),
    });
    expect(wrongKind.statusCode).toBe(409);
    expect(wrongKind.json()).toMatchObject({ code: 'VENUE_ROOM_KIND_MISMATCH' });

    const tooMany = await book(lotA.agencyClient!, lotA.lot.id, {
      roomId: opening.id,
      startsAt: at('09:00', 22),
      endsAt: at('10:00', 22),
      expectedAttendees: 50,
    });
    expect(tooMany.json()).toMatchObject({ code: 'VENUE_CAPACITY_EXCEEDED' });

    const backwards = await book(lotA.agencyClient!, lotA.lot.id, {
      roomId: opening.id,
      startsAt: at('10:00', 22),
      endsAt: at('09:00', 22),
    });
    expect(backwards.statusCode).toBe(400);
    const past = await book(lotA.agencyClient!, lotA.lot.id, {
      roomId: opening.id,
      startsAt: '2026-03-01T09:00:00+08:00',
      endsAt: '2026-03-01T10:00:00+08:00',
    });
    expect(past.json()).toMatchObject({ code: 'VENUE_BOOKING_IN_PAST' });

    const byAgency = await book(lotA.agencyClient!, lotA.lot.id, {
      roomId: evaluation.id,
      purpose: 'evaluation',
      startsAt: at('10:00', 22),
      endsAt: at('17:00', 22),
    });
    expect(byAgency.statusCode).toBe(201);
    const lotBookings = await lotA.initiatorClient.get(`/api/lots/${lotA.lot.id}/venue-bookings`);
    expect((lotBookings.json() as { items: { id: string }[] }).items.map((b) => b.id)).toContain(
      (byAgency.json() as { id: string }).id,
    );
    expect((await lotB.initiatorClient.get(`/api/lots/${lotA.lot.id}/venue-bookings`)).statusCode).toBe(403);
    // Staff may cancel (e.g. a room out of service), with the reason recorded and witnessed.
    const cancelled = await operator.post(
      `/api/venue-bookings/${(byAgency.json() as { id: string }).id}/cancel`,
      {
        reason: '评标室设备检修',
      },
    );
    expect(cancelled.statusCode).toBe(200);
    const events = await p.db
      .selectFrom('witness_events')
      .select('action')
      .where('entity_id', '=', (byAgency.json() as { id: string }).id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['venue-booking.booked', 'venue-booking.cancelled']);
  });
});

describe('moveLotBookings (a deadline moves)', () => {
  test('the opening booking follows to a free time; a taken time rolls the caller back', async () => {
    const room = await newRoom('opening');
    const mine = await book(lotA.initiatorClient, lotA.lot.id, {
      roomId: room.id,
      startsAt: at('09:00', 25),
      endsAt: at('11:00', 25),
    });
    expect(mine.statusCode).toBe(201);
    const other = await book(lotB.initiatorClient, lotB.lot.id, {
      roomId: room.id,
      startsAt: at('09:00', 27),
      endsAt: at('11:00', 27),
    });
    expect(other.statusCode).toBe(201);

    const moved = await p.db.transaction().execute((tx) =>
      moveLotBookings(tx, {
        lotId: lotA.lot.id,
        purpose: 'opening',
        startsAt: new Date(at('09:00', 26)),
        endsAt: new Date(at('11:00', 26)),
        at: p.clock.now(),
        origin: SYSTEM_ORIGIN,
      }),
    );
    expect(moved).toMatchObject({ startsAt: '2026-03-26T01:00:00.000Z', room: { id: room.id } });

    // Onto lot B's time: refused, and the caller's own writes in that transaction roll back with it.
    const attempt = p.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('witness_events')
        .values({
          leaf_index: null,
          leaf_hash: null,
          occurred_at: p.clock.now(),
          actor_account_id: null,
          actor_organization_id: null,
          actor_role: 'system',
          ip: null,
          user_agent: null,
          client_fingerprint: null,
          request_id: null,
          entity_type: 'test',
          entity_id: lotA.lot.id,
          action: 'test.caller-write',
          payload: '{}',
        })
        .execute();
      return moveLotBookings(tx, {
        lotId: lotA.lot.id,
        purpose: 'opening',
        startsAt: new Date(at('10:00', 27)),
        endsAt: new Date(at('12:00', 27)),
        at: p.clock.now(),
        origin: SYSTEM_ORIGIN,
      });
    });
    await expect(attempt).rejects.toMatchObject({ code: 'VENUE_DOUBLE_BOOKED' });
    const callerWrites = await p.db
      .selectFrom('witness_events')
      .select('id')
      .where('action', '=', 'test.caller-write')
      .where('entity_id', '=', lotA.lot.id)
      .execute();
    expect(callerWrites).toHaveLength(0);
    const still = await p.db
      .selectFrom('venue_bookings')
      .select('starts_at')
      .where('lot_id', '=', lotA.lot.id)
      .where('room_id', '=', room.id)
      .where('status', '=', 'booked')
      .executeTakeFirstOrThrow();
    expect(still.starts_at.toISOString()).toBe('2026-03-26T01:00:00.000Z');

    // A lot without a booking for that purpose: nothing to move.
    const none = await p.db.transaction().execute((tx) =>
      moveLotBookings(tx, {
        lotId: lotB.lot.id,
        purpose: 'evaluation',
        startsAt: new Date(at('09:00', 28)),
        endsAt: new Date(at('11:00', 28)),
        at: p.clock.now(),
        origin: SYSTEM_ORIGIN,
      }),
    );
    expect(none).toBeNull();
  });
});
