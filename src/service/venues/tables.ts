import type { ColumnType } from 'kysely';

/** 开标室 · 评标室 (§14: 评标评审区域 is isolated from every other area). */
export type RoomKind = 'opening' | 'evaluation';

/** What a booking is for; it must match the room's kind. */
export type BookingPurpose = 'opening' | 'evaluation';

export type RoomStatus = 'active' | 'closed';
export type BookingStatus = 'booked' | 'cancelled';

/** 场地 of a trading platform (平台目录 code). */
export interface VenueRoomsTable {
  id: string;
  code: string;
  name: string;
  kind: RoomKind;
  /** 隔离 (§14): true for every evaluation room; an opening room may be isolated too. */
  isolated: boolean;
  capacity: number;
  platform_code: string;
  location: string;
  facilities: string | null;
  status: RoomStatus;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/**
 * 场地预约 (§15): one room for one lot over [starts_at, ends_at). Two active bookings of a room never
 * overlap (checked with the room row locked; on a server with btree_gist an exclusion constraint as well).
 * A lot holds at most one active booking per purpose, so "the lot's opening room" is well defined and
 * follows the opening when a deadline moves (`moveLotBookings`).
 */
export interface VenueBookingsTable {
  id: string;
  room_id: string;
  lot_id: string;
  /** The lot's code and name when booked (for the calendar; the lot itself is projects'). */
  lot_code: string;
  lot_name: string;
  purpose: BookingPurpose;
  starts_at: Date;
  ends_at: Date;
  expected_attendees: number | null;
  note: string | null;
  status: BookingStatus;
  booked_by: string;
  booked_by_name: string;
  organization_id: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
  cancelled_at: Date | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface VenuesTables {
  venue_rooms: VenueRoomsTable;
  venue_bookings: VenueBookingsTable;
}
