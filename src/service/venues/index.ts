export { venuesMigrations } from './migrations.ts';
export { registerVenueRoutes, type VenueRouteDeps } from './routes.ts';
export { BOOKING_STATUS_NAMES_ZH, PURPOSE_NAMES_ZH, ROOM_KIND_NAMES_ZH } from './schemas.ts';
export type { BookingPurpose, BookingStatus, RoomKind, VenuesTables } from './tables.ts';
export {
  BOOKING_WITNESS_TYPE,
  bookVenue,
  cancelBooking,
  createRoom,
  moveLotBookings,
  ROOM_WITNESS_TYPE,
  type RoomView,
  shiftLotBookings,
  type VenueBooking,
  type VenuesContext,
  type VenuesDb,
} from './venues.ts';
