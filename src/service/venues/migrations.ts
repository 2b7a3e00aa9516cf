import type { SqlMigration } from '../../platform/db/index.ts';

export const venuesMigrations: SqlMigration[] = [
  {
    name: '0111_service_venues',
    statements: [
      `create table venue_rooms (
        id text primary key,
        code text not null unique,
        name text not null,
        kind text not null check (kind in ('opening', 'evaluation')),
        isolated boolean not null,
        capacity integer not null check (capacity > 0),
        platform_code text not null,
        location text not null,
        facilities text,
        status text not null check (status in ('active', 'closed')),
        created_at timestamptz not null,
        updated_at timestamptz not null,
        check (kind <> 'evaluation' or isolated)
      )`,
      `create table venue_bookings (
        id text primary key,
        room_id text not null references venue_rooms(id),
        lot_id text not null,
        lot_code text not null,
        lot_name text not null,
        purpose text not null check (purpose in ('opening', 'evaluation')),
        starts_at timestamptz not null,
        ends_at timestamptz not null,
        expected_attendees integer check (expected_attendees > 0),
        note text,
        status text not null check (status in ('booked', 'cancelled')),
        booked_by text not null,
        booked_by_name text not null,
        organization_id text,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        cancelled_at timestamptz,
        cancelled_by text,
        cancel_reason text,
        check (ends_at > starts_at)
      )`,
      `create index venue_bookings_room_time_idx on venue_bookings (room_id, starts_at)
        where status = 'booked'`,
      'create index venue_bookings_time_idx on venue_bookings (starts_at)',
      `create unique index venue_bookings_lot_purpose_idx on venue_bookings (lot_id, purpose)
        where status = 'booked'`,
      // Where the server offers btree_gist (PostgreSQL with contrib), the database itself refuses overlaps
      // too; embedded PGlite has no btree_gist, and there the room-row lock alone keeps bookings apart.
      `do $$
      begin
        create extension if not exists btree_gist;
        alter table venue_bookings add constraint venue_bookings_no_overlap
          exclude using gist (room_id with =, tstzrange(starts_at, ends_at, '[)') with &&)
          where (status = 'booked');
      exception when others then
        raise notice 'btree_gist unavailable: room bookings rely on the room row lock';
      end
      $$`,
    ],
  },
];
