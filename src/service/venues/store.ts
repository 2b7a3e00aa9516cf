import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { BookingPurpose, VenueBookingsTable, VenueRoomsTable, VenuesTables } from './tables.ts';

type VenuesDb = Db<VenuesTables>;

export type RoomRow = Selectable<VenueRoomsTable>;
export type BookingRow = Selectable<VenueBookingsTable>;
export type BookingWithRoom = BookingRow & {
  room_code: string;
  room_name: string;
  room_kind: RoomRow['kind'];
};

// ---- rooms ----

export function insertRoom(db: VenuesDb, row: Insertable<VenueRoomsTable>) {
  return db
    .insertInto('venue_rooms')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateRoom(db: VenuesDb, id: string, changes: Updateable<VenueRoomsTable>) {
  return db.updateTable('venue_rooms').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

export function findRoom(db: VenuesDb, id: string) {
  return db.selectFrom('venue_rooms').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Locks the room for the rest of the transaction: every booking of one room — new, moved — is checked and
 * written one after another, so two overlapping requests cannot both find the room free.
 */
export function lockRoom(db: VenuesDb, id: string) {
  return db.selectFrom('venue_rooms').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function listRooms(db: VenuesDb, opts: { activeOnly: boolean }) {
  let query = db.selectFrom('venue_rooms').selectAll();
  if (opts.activeOnly) query = query.where('status', '=', 'active');
  return query.orderBy('kind').orderBy('code').execute();
}

// ---- bookings ----

function bookingsWithRoom(db: VenuesDb) {
  return db
    .selectFrom('venue_bookings as b')
    .innerJoin('venue_rooms as r', 'r.id', 'b.room_id')
    .selectAll('b')
    .select(['r.code as room_code', 'r.name as room_name', 'r.kind as room_kind']);
}

/** Active bookings of a room that overlap [startsAt, endsAt) — half-open: one may start when another ends. */
export function findOverlapping(
  db: VenuesDb,
  roomId: string,
  startsAt: Date,
  endsAt: Date,
  exceptBookingId: string | null,
) {
  let query = db
    .selectFrom('venue_bookings')
    .selectAll()
    .where('room_id', '=', roomId)
    .where('status', '=', 'booked')
    .where('starts_at', '<', endsAt)
    .where('ends_at', '>', startsAt);
  if (exceptBookingId) query = query.where('id', '!=', exceptBookingId);
  return query.orderBy('starts_at').execute();
}

export function insertBooking(db: VenuesDb, row: Insertable<VenueBookingsTable>) {
  return db.insertInto('venue_bookings').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateBooking(db: VenuesDb, id: string, changes: Updateable<VenueBookingsTable>) {
  return db.updateTable('venue_bookings').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

export function findBooking(db: VenuesDb, id: string): Promise<BookingWithRoom | undefined> {
  return bookingsWithRoom(db).where('b.id', '=', id).executeTakeFirst();
}

export function findActiveLotBooking(db: VenuesDb, lotId: string, purpose: BookingPurpose) {
  return db
    .selectFrom('venue_bookings')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('purpose', '=', purpose)
    .where('status', '=', 'booked')
    .executeTakeFirst();
}

export function listLotBookings(db: VenuesDb, lotId: string): Promise<BookingWithRoom[]> {
  return bookingsWithRoom(db).where('b.lot_id', '=', lotId).orderBy('b.starts_at').orderBy('b.id').execute();
}

export function listBookingsBetween(
  db: VenuesDb,
  q: { from: Date; to: Date; roomId?: string | undefined; includeCancelled: boolean },
): Promise<BookingWithRoom[]> {
  let query = bookingsWithRoom(db).where('b.starts_at', '<', q.to).where('b.ends_at', '>', q.from);
  if (q.roomId) query = query.where('b.room_id', '=', q.roomId);
  if (!q.includeCancelled) query = query.where('b.status', '=', 'booked');
  return query.orderBy('b.starts_at').orderBy('r.code').limit(2000).execute();
}
