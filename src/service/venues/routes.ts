import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../platform/clock/index.ts';
import { type HttpServer, originOf } from '../../platform/http/index.ts';
import {
  BookingIdParams,
  BookingInput,
  BookingView,
  BusyQuery,
  BusySlotView,
  CancelInput,
  LotIdParams,
  RangeQuery,
  RoomIdParams,
  RoomInput,
  RoomUpdateInput,
  RoomView,
} from './schemas.ts';
import {
  bookVenue,
  cancelBooking,
  createRoom,
  listBusySlots,
  listCalendar,
  listLotBookings,
  listRooms,
  updateRoom,
  type VenuesContext,
  type VenuesDb,
} from './venues.ts';

export interface VenueRouteDeps {
  db: Kysely<VenuesDb>;
  clock: Clock;
}

const TAGS = ['场地预约'];
const OPERATOR = { roles: ['operator'] } as const;
const LOT_PARTIES = { roles: ['initiator', 'agency', 'operator'] } as const;

export function registerVenueRoutes(app: HttpServer, deps: VenueRouteDeps): void {
  const ctx = (req: FastifyRequest): VenuesContext => ({
    db: deps.db,
    clock: deps.clock,
    actor: req.actor,
    origin: originOf(req),
  });

  // ---- rooms and their busy times (anyone signed in who plans a session) ----

  app.get(
    '/api/venues/rooms',
    {
      schema: {
        tags: TAGS,
        summary: '可预约的场地（开标室、评标室）',
        response: { 200: z.object({ items: z.array(RoomView) }) },
      },
      config: { policy: LOT_PARTIES },
    },
    async () => ({ items: await listRooms(deps.db, { activeOnly: true }) }),
  );

  app.get(
    '/api/venues/rooms/:roomId/busy',
    {
      schema: {
        tags: TAGS,
        summary: '场地已被占用的时段（只含时间，不含项目信息）',
        params: RoomIdParams,
        querystring: BusyQuery,
        response: { 200: z.object({ items: z.array(BusySlotView) }) },
      },
      config: { policy: LOT_PARTIES },
    },
    async (req) => ({
      items: await listBusySlots(
        ctx(req),
        req.params.roomId,
        new Date(req.query.from),
        new Date(req.query.to),
      ),
    }),
  );

  // ---- bookings of a lot ----

  app.get(
    '/api/lots/:lotId/venue-bookings',
    {
      schema: {
        tags: TAGS,
        summary: '标段（包）的场地预约',
        params: LotIdParams,
        response: { 200: z.object({ items: z.array(BookingView) }) },
      },
      config: { policy: LOT_PARTIES },
    },
    async (req) => ({ items: await listLotBookings(ctx(req), req.params.lotId) }),
  );

  app.post(
    '/api/lots/:lotId/venue-bookings',
    {
      schema: {
        tags: TAGS,
        summary: '预约开标室或评标室（招标人或其委托的代理机构；同一场地时段不得重叠）',
        params: LotIdParams,
        body: BookingInput,
        response: { 201: BookingView },
      },
      config: { policy: { roles: ['initiator', 'agency'] } },
    },
    async (req, reply) => reply.status(201).send(await bookVenue(ctx(req), req.params.lotId, req.body)),
  );

  app.post(
    '/api/venue-bookings/:bookingId/cancel',
    {
      schema: {
        tags: TAGS,
        summary: '取消场地预约（须说明原因）',
        params: BookingIdParams,
        body: CancelInput,
        response: { 200: BookingView },
      },
      config: { policy: LOT_PARTIES },
    },
    async (req) => cancelBooking(ctx(req), req.params.bookingId, req.body.reason),
  );

  // ---- staff ----

  app.get(
    '/api/admin/venues/rooms',
    {
      schema: {
        tags: TAGS,
        summary: '全部场地（含停用）',
        response: { 200: z.object({ items: z.array(RoomView) }) },
      },
      config: { policy: OPERATOR },
    },
    async () => ({ items: await listRooms(deps.db, { activeOnly: false }) }),
  );

  app.post(
    '/api/admin/venues/rooms',
    {
      schema: { tags: TAGS, summary: '新增场地', body: RoomInput, response: { 201: RoomView } },
      config: { policy: OPERATOR },
    },
    async (req, reply) => reply.status(201).send(await createRoom(ctx(req), req.body)),
  );

  app.put(
    '/api/admin/venues/rooms/:roomId',
    {
      schema: {
        tags: TAGS,
        summary: '修改场地（评标室始终隔离）',
        params: RoomIdParams,
        body: RoomUpdateInput,
        response: { 200: RoomView },
      },
      config: { policy: OPERATOR },
    },
    async (req) => updateRoom(ctx(req), req.params.roomId, req.body),
  );

  app.get(
    '/api/admin/venues/bookings',
    {
      schema: {
        tags: TAGS,
        summary: '场地日历：时间范围内的全部预约（不超过 62 天）',
        querystring: RangeQuery,
        response: { 200: z.object({ items: z.array(BookingView) }) },
      },
      config: { policy: OPERATOR },
    },
    async (req) => ({
      items: await listCalendar(ctx(req), {
        from: new Date(req.query.from),
        to: new Date(req.query.to),
        roomId: req.query.roomId,
        includeCancelled: req.query.includeCancelled,
      }),
    }),
  );
}
