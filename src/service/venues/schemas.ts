import { z } from 'zod';

const text = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`);

const Instant = z.iso
  .datetime({ offset: true, message: '时间须为带时区的 ISO 8601 格式，例如 2026-03-10T09:00:00+08:00' })
  .describe('时间（ISO 8601，带时区）');

export const ROOM_KIND_NAMES_ZH = { opening: '开标室', evaluation: '评标室' } as const;
export const PURPOSE_NAMES_ZH = { opening: '开标', evaluation: '评标' } as const;
export const ROOM_STATUS_NAMES_ZH = { active: '启用', closed: '停用' } as const;
export const BOOKING_STATUS_NAMES_ZH = { booked: '已预约', cancelled: '已取消' } as const;

export const RoomInput = z.object({
  code: z.string().regex(/^[A-Z0-9-]{2,20}$/, '场地编号为 2–20 位大写字母、数字或连字符，例如 KB-01'),
  name: text(100, '场地名称'),
  kind: z.enum(['opening', 'evaluation']),
  /** Evaluation rooms are always isolated (§14); the flag matters for opening rooms only. */
  isolated: z.boolean().default(false),
  capacity: z.number().int().min(1, '容纳人数至少为 1').max(1000, '容纳人数不能超过 1000'),
  platformCode: z.string().regex(/^[PT][0-9]{10}$/, '平台标识码为 11 位'),
  location: text(200, '场地位置'),
  facilities: z.string().trim().max(500).nullable().default(null),
});
export type RoomInput = z.infer<typeof RoomInput>;

export const RoomUpdateInput = z.object({
  name: text(100, '场地名称'),
  isolated: z.boolean(),
  capacity: z.number().int().min(1, '容纳人数至少为 1').max(1000, '容纳人数不能超过 1000'),
  location: text(200, '场地位置'),
  facilities: z.string().trim().max(500).nullable(),
  status: z.enum(['active', 'closed']),
});
export type RoomUpdateInput = z.infer<typeof RoomUpdateInput>;

export const BookingInput = z.object({
  roomId: z.string().uuid('场地编号格式不正确'),
  purpose: z.enum(['opening', 'evaluation']),
  startsAt: Instant,
  endsAt: Instant,
  expectedAttendees: z.number().int().min(1).max(1000).nullable().default(null),
  note: z.string().trim().max(500).nullable().default(null),
});
export type BookingInput = z.infer<typeof BookingInput>;

export const CancelInput = z.object({ reason: text(500, '取消原因') });

export const RangeQuery = z.object({
  from: Instant,
  to: Instant,
  roomId: z.string().uuid().optional(),
  includeCancelled: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const BusyQuery = z.object({ from: Instant, to: Instant });

export const RoomIdParams = z.object({ roomId: z.string().uuid('场地编号格式不正确') });
export const LotIdParams = z.object({ lotId: z.string().min(1).max(100) });
export const BookingIdParams = z.object({ bookingId: z.string().uuid('预约编号格式不正确') });

export const RoomView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['opening', 'evaluation']),
  kindName: z.string(),
  isolated: z.boolean(),
  capacity: z.number(),
  platformCode: z.string(),
  location: z.string(),
  facilities: z.string().nullable(),
  status: z.enum(['active', 'closed']),
  statusName: z.string(),
});

export const BookingView = z.object({
  id: z.string(),
  room: z.object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    kind: z.enum(['opening', 'evaluation']),
  }),
  lot: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  purpose: z.enum(['opening', 'evaluation']),
  purposeName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  expectedAttendees: z.number().nullable(),
  note: z.string().nullable(),
  status: z.enum(['booked', 'cancelled']),
  statusName: z.string(),
  bookedBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

export const BusySlotView = z.object({ startsAt: z.string(), endsAt: z.string() });
