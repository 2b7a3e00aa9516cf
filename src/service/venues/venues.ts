import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import { assertMayActForLot, type ProjectsTables } from '../../trading/projects/index.ts';
import { type CatalogsTables, findPlatform } from '../catalogs/index.ts';
import {
  BOOKING_STATUS_NAMES_ZH,
  type BookingInput,
  PURPOSE_NAMES_ZH,
  ROOM_KIND_NAMES_ZH,
  ROOM_STATUS_NAMES_ZH,
  type RoomInput,
  type RoomUpdateInput,
} from './schemas.ts';
import * as store from './store.ts';
import type { BookingPurpose, VenuesTables } from './tables.ts';

export type VenuesDb = VenuesTables & WitnessTables & CatalogsTables & ProjectsTables;
export type VenuesContext = UseCaseContext<VenuesDb>;

export const ROOM_WITNESS_TYPE = 'venue-room';
export const BOOKING_WITNESS_TYPE = 'venue-booking';

const CITATION_14 = '《内蒙古自治区公共资源交易管理办法》第十四条';
const CITATION_15 = '《内蒙古自治区公共资源交易管理办法》第十五条';
/** A booking longer than this is a mistake rather than a plan (an evaluation may take several days). */
const MAX_BOOKING_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_CALENDAR_RANGE_MS = 62 * 24 * 60 * 60 * 1000;

// ---- views ----

function toRoomView(row: store.RoomRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    kindName: ROOM_KIND_NAMES_ZH[row.kind],
    isolated: row.isolated,
    capacity: row.capacity,
    platformCode: row.platform_code,
    location: row.location,
    facilities: row.facilities,
    status: row.status,
    statusName: ROOM_STATUS_NAMES_ZH[row.status],
  };
}
export type RoomView = ReturnType<typeof toRoomView>;

function toBookingView(row: store.BookingWithRoom) {
  return {
    id: row.id,
    room: { id: row.room_id, code: row.room_code, name: row.room_name, kind: row.room_kind },
    lot: { id: row.lot_id, code: row.lot_code, name: row.lot_name },
    purpose: row.purpose,
    purposeName: PURPOSE_NAMES_ZH[row.purpose],
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    expectedAttendees: row.expected_attendees,
    note: row.note,
    status: row.status,
    statusName: BOOKING_STATUS_NAMES_ZH[row.status],
    bookedBy: { id: row.booked_by, name: row.booked_by_name },
    createdAt: row.created_at.toISOString(),
    cancelledAt: row.cancelled_at ? row.cancelled_at.toISOString() : null,
    cancelReason: row.cancel_reason,
  };
}
export type VenueBooking = ReturnType<typeof toBookingView>;

function withRoom(row: store.BookingRow, room: store.RoomRow): store.BookingWithRoom {
  return { ...row, room_code: room.code, room_name: room.name, room_kind: room.kind };
}

// ---- guards ----

function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

function assertOperator(actor: Actor | null): Actor {
  const signedIn = requireActor(actor);
  if (!signedIn.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '只有交易中心工作人员可以管理场地。',
    });
  }
  return signedIn;
}

const isOperator = (actor: Actor | null) => actor?.roles.includes('operator') ?? false;

function timeRange(startsAt: Date, endsAt: Date): string {
  return `${formatShanghaiTime(startsAt)} 至 ${formatShanghaiTime(endsAt)}`;
}

function assertPeriod(startsAt: Date, endsAt: Date): void {
  if (!(endsAt.getTime() > startsAt.getTime())) {
    throw new InvalidInput('VENUE_PERIOD_INVALID', {
      title: '结束时间须晚于开始时间',
      detail: `预约时段为 ${timeRange(startsAt, endsAt)}。`,
      extensions: { field: 'endsAt' },
    });
  }
  if (endsAt.getTime() - startsAt.getTime() > MAX_BOOKING_MS) {
    throw new InvalidInput('VENUE_PERIOD_TOO_LONG', {
      title: '单次预约不能超过 7 天',
      detail: `预约时段为 ${timeRange(startsAt, endsAt)}。`,
      extensions: { field: 'endsAt' },
    });
  }
}

function assertRoomFits(room: store.RoomRow, purpose: BookingPurpose): void {
  if (room.status !== 'active') {
    throw new RuleViolation('VENUE_ROOM_CLOSED', {
      title: '该场地已停用',
      detail: `${room.name}（${room.code}）已停用，不能预约。`,
    });
  }
  if (room.kind !== purpose) {
    throw new RuleViolation('VENUE_ROOM_KIND_MISMATCH', {
      title: `${PURPOSE_NAMES_ZH[purpose]}须预约${ROOM_KIND_NAMES_ZH[purpose]}`,
      detail: `${room.name}是${ROOM_KIND_NAMES_ZH[room.kind]}。评标评审区域与其他区域隔离，开标与评标不混用场地。`,
      citation: CITATION_14,
    });
  }
}

/** Refuses, naming the time already taken, when an active booking of the room overlaps the period. */
async function assertRoomFree(
  tx: Db<VenuesTables>,
  room: store.RoomRow,
  startsAt: Date,
  endsAt: Date,
  exceptBookingId: string | null,
): Promise<void> {
  const clashes = await store.findOverlapping(tx, room.id, startsAt, endsAt, exceptBookingId);
  const first = clashes[0];
  if (first) {
    throw new RuleViolation('VENUE_DOUBLE_BOOKED', {
      title: '场地在该时段已被预约',
      detail: `${room.name}（${room.code}）在 ${timeRange(first.starts_at, first.ends_at)} 已有预约，与申请的 ${timeRange(startsAt, endsAt)} 冲突，请选择其他时段或场地。`,
      citation: CITATION_15,
      extensions: {
        conflicts: clashes.map((c) => ({
          startsAt: c.starts_at.toISOString(),
          endsAt: c.ends_at.toISOString(),
        })),
      },
    });
  }
}

// ---- rooms (staff) ----

export async function createRoom(ctx: VenuesContext, input: RoomInput) {
  assertOperator(ctx.actor);
  const platform = await findPlatform(ctx.db, input.platformCode);
  if (!platform) {
    throw new InvalidInput('PLATFORM_NOT_FOUND', {
      title: '平台目录中没有该平台',
      detail: `平台标识码 ${input.platformCode} 不在平台目录中。`,
      extensions: { field: 'platformCode' },
    });
  }
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertRoom(tx, {
      id: randomUUID(),
      code: input.code,
      name: input.name,
      kind: input.kind,
      isolated: input.kind === 'evaluation' ? true : input.isolated,
      capacity: input.capacity,
      platform_code: input.platformCode,
      location: input.location,
      facilities: input.facilities,
      status: 'active',
      created_at: at,
      updated_at: at,
    });
    if (!row) {
      throw new RuleViolation('VENUE_ROOM_CODE_TAKEN', {
        title: '场地编号已存在',
        detail: `已有编号为 ${input.code} 的场地。`,
        extensions: { field: 'code' },
      });
    }
    await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: ROOM_WITNESS_TYPE,
      entityId: row.id,
      action: 'venue-room.created',
      payload: { ...input, isolated: row.isolated },
    });
    return toRoomView(row);
  });
}

export async function updateRoom(ctx: VenuesContext, roomId: string, input: RoomUpdateInput) {
  assertOperator(ctx.actor);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const room = await store.lockRoom(tx, roomId);
    if (!room) throw new NotFound('VENUE_ROOM_NOT_FOUND', { title: '场地不存在' });
    const row = await store.updateRoom(tx, roomId, {
      name: input.name,
      isolated: room.kind === 'evaluation' ? true : input.isolated,
      capacity: input.capacity,
      location: input.location,
      facilities: input.facilities,
      status: input.status,
      updated_at: at,
    });
    if (!row) throw new NotFound('VENUE_ROOM_NOT_FOUND', { title: '场地不存在' });
    await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: ROOM_WITNESS_TYPE,
      entityId: roomId,
      action: 'venue-room.updated',
      payload: input,
    });
    return toRoomView(row);
  });
}

export async function listRooms(db: Kysely<VenuesDb>, opts: { activeOnly: boolean }) {
  return (await store.listRooms(db, opts)).map(toRoomView);
}

/** When a room is taken in [from, to) — times only, never whose lot (bookers plan; they need not know). */
export async function listBusySlots(ctx: VenuesContext, roomId: string, from: Date, to: Date) {
  requireActor(ctx.actor);
  assertRange(from, to);
  const room = await store.findRoom(ctx.db, roomId);
  if (!room) throw new NotFound('VENUE_ROOM_NOT_FOUND', { title: '场地不存在' });
  const rows = await store.listBookingsBetween(ctx.db, { from, to, roomId, includeCancelled: false });
  return rows.map((r) => ({ startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString() }));
}

function assertRange(from: Date, to: Date): void {
  if (!(to.getTime() > from.getTime()) || to.getTime() - from.getTime() > MAX_CALENDAR_RANGE_MS) {
    throw new InvalidInput('VENUE_RANGE_INVALID', {
      title: '查询时间范围无效',
      detail: '结束时间须晚于开始时间，且范围不超过 62 天。',
    });
  }
}

/** 场地日历 (staff): every booking of every room (or one room) in [from, to). */
export async function listCalendar(
  ctx: VenuesContext,
  q: { from: Date; to: Date; roomId?: string | undefined; includeCancelled: boolean },
) {
  assertOperator(ctx.actor);
  assertRange(q.from, q.to);
  return (await store.listBookingsBetween(ctx.db, q)).map(toBookingView);
}

// ---- bookings (the lot's initiator or authorised agency) ----

/** 场地预约 (§15): the lot's initiator or its authorised agency books a room of the matching kind. */
export async function bookVenue(ctx: VenuesContext, lotId: string, input: BookingInput) {
  const actor = requireActor(ctx.actor);
  const at = ctx.clock.now();
  const lot = await assertMayActForLot(ctx.db, actor, lotId, at);
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  assertPeriod(startsAt, endsAt);
  if (startsAt.getTime() <= at.getTime()) {
    throw new RuleViolation('VENUE_BOOKING_IN_PAST', {
      title: '不能预约已经开始的时段',
      detail: `预约开始时间 ${formatShanghaiTime(startsAt)} 早于当前时间 ${formatShanghaiTime(at)}。`,
      extensions: { field: 'startsAt' },
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const room = await store.lockRoom(tx, input.roomId);
    if (!room) throw new NotFound('VENUE_ROOM_NOT_FOUND', { title: '场地不存在' });
    assertRoomFits(room, input.purpose);
    if (input.expectedAttendees !== null && input.expectedAttendees > room.capacity) {
      throw new RuleViolation('VENUE_CAPACITY_EXCEEDED', {
        title: '预计人数超过场地容纳人数',
        detail: `${room.name}最多容纳 ${room.capacity} 人，预计到场 ${input.expectedAttendees} 人。`,
        extensions: { field: 'expectedAttendees' },
      });
    }
    const existing = await store.findActiveLotBooking(tx, lot.id, input.purpose);
    if (existing) {
      throw new RuleViolation('VENUE_LOT_ALREADY_BOOKED', {
        title: `该标段（包）已预约${ROOM_KIND_NAMES_ZH[input.purpose]}`,
        detail: `已预约 ${timeRange(existing.starts_at, existing.ends_at)}；如需更换，请先取消原预约。`,
      });
    }
    await assertRoomFree(tx, room, startsAt, endsAt, null);
    const row = await store.insertBooking(tx, {
      id: randomUUID(),
      room_id: room.id,
      lot_id: lot.id,
      lot_code: lot.code,
      lot_name: lot.name,
      purpose: input.purpose,
      starts_at: startsAt,
      ends_at: endsAt,
      expected_attendees: input.expectedAttendees,
      note: input.note,
      status: 'booked',
      booked_by: actor.accountId,
      booked_by_name: actor.displayName,
      organization_id: actor.organizationId,
      created_at: at,
      updated_at: at,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
    });
    await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: BOOKING_WITNESS_TYPE,
      entityId: row.id,
      action: 'venue-booking.booked',
      payload: { roomId: room.id, lotId: lot.id, purpose: input.purpose, startsAt, endsAt },
    });
    return toBookingView(withRoom(row, room));
  });
}

/** Cancels a booking: the lot's party, or 交易中心 staff (with the reason recorded either way). */
export async function cancelBooking(ctx: VenuesContext, bookingId: string, reason: string) {
  const actor = requireActor(ctx.actor);
  const at = ctx.clock.now();
  const booking = await store.findBooking(ctx.db, bookingId);
  if (!booking) throw new NotFound('VENUE_BOOKING_NOT_FOUND', { title: '预约不存在' });
  if (!isOperator(actor)) await assertMayActForLot(ctx.db, actor, booking.lot_id, at);
  return ctx.db.transaction().execute(async (tx) => {
    const room = await store.lockRoom(tx, booking.room_id);
    if (!room) throw new NotFound('VENUE_ROOM_NOT_FOUND', { title: '场地不存在' });
    const current = await store.findBooking(tx, bookingId);
    if (current?.status !== 'booked') {
      throw new RuleViolation('VENUE_BOOKING_NOT_ACTIVE', { title: '该预约已取消' });
    }
    const row = await store.updateBooking(tx, bookingId, {
      status: 'cancelled',
      cancelled_at: at,
      cancelled_by: actor.accountId,
      cancel_reason: reason,
      updated_at: at,
    });
    if (!row) throw new NotFound('VENUE_BOOKING_NOT_FOUND', { title: '预约不存在' });
    await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: BOOKING_WITNESS_TYPE,
      entityId: bookingId,
      action: 'venue-booking.cancelled',
      payload: { reason },
    });
    return toBookingView(withRoom(row, room));
  });
}

export async function listLotBookings(ctx: VenuesContext, lotId: string) {
  const actor = requireActor(ctx.actor);
  if (!isOperator(actor)) await assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
  return (await store.listLotBookings(ctx.db, lotId)).map(toBookingView);
}

/**
 * Moves the lot's active booking for `purpose` to [startsAt, endsAt) — called inside the caller's
 * transaction when a deadline moves (a clarification postpones the opening). No booking: nothing to move
 * (null). Room taken at the new time: RuleViolation `VENUE_DOUBLE_BOOKED`, and the caller's transaction
 * rolls back with everything it did.
 *
 * `tx` is any transaction whose database includes VenuesTables and WitnessTables.
 */
export async function moveLotBookings(
  tx: Db<VenuesTables & WitnessTables>,
  move: {
    lotId: string;
    purpose: BookingPurpose;
    startsAt: Date;
    endsAt: Date;
    at: Date;
    origin: WitnessOrigin;
  },
): Promise<VenueBooking | null> {
  assertPeriod(move.startsAt, move.endsAt);
  const booking = await store.findActiveLotBooking(tx, move.lotId, move.purpose);
  if (!booking) return null;
  const room = await store.lockRoom(tx, booking.room_id);
  if (!room) throw new Error(`room ${booking.room_id} of booking ${booking.id} vanished`);
  if (
    booking.starts_at.getTime() === move.startsAt.getTime() &&
    booking.ends_at.getTime() === move.endsAt.getTime()
  ) {
    return toBookingView(withRoom(booking, room));
  }
  await assertRoomFree(tx, room, move.startsAt, move.endsAt, booking.id);
  const row = await store.updateBooking(tx, booking.id, {
    starts_at: move.startsAt,
    ends_at: move.endsAt,
    updated_at: move.at,
  });
  if (!row) throw new Error(`booking ${booking.id} vanished while moving`);
  await appendWitnessEvent(tx, move.at, move.origin, {
    entityType: BOOKING_WITNESS_TYPE,
    entityId: booking.id,
    action: 'venue-booking.moved',
    payload: {
      lotId: move.lotId,
      purpose: move.purpose,
      from: { startsAt: booking.starts_at, endsAt: booking.ends_at },
      to: { startsAt: move.startsAt, endsAt: move.endsAt },
    },
  });
  return toBookingView(withRoom(row, room));
}

/**
 * Shifts every active booking of the lot (opening and evaluation rooms) by `byMs`, keeping each one's
 * length — called inside the caller's transaction when a clarification postpones the deadline and so the
 * opening. A room taken at the shifted time: RuleViolation `VENUE_DOUBLE_BOOKED`, and the caller's
 * transaction rolls back with everything it did. Returns the moved bookings.
 */
export async function shiftLotBookings(
  tx: Db<VenuesTables & WitnessTables>,
  shift: { lotId: string; byMs: number; at: Date; origin: WitnessOrigin },
): Promise<VenueBooking[]> {
  const moved: VenueBooking[] = [];
  if (shift.byMs === 0) return moved;
  for (const purpose of ['opening', 'evaluation'] as const) {
    const booking = await store.findActiveLotBooking(tx, shift.lotId, purpose);
    if (!booking) continue;
    const view = await moveLotBookings(tx, {
      lotId: shift.lotId,
      purpose,
      startsAt: new Date(booking.starts_at.getTime() + shift.byMs),
      endsAt: new Date(booking.ends_at.getTime() + shift.byMs),
      at: shift.at,
      origin: shift.origin,
    });
    if (view) moved.push(view);
  }
  return moved;
}
