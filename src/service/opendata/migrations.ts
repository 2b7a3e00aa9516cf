import type { SqlMigration } from '../../platform/db/index.ts';

export const opendataMigrations: SqlMigration[] = [
  {
    name: '0600_opendata',
    statements: [
      `create table opendata_projection (
        id integer primary key check (id = 1),
        last_leaf_index bigint not null,
        cursor_key text,
        updated_at timestamptz not null
      )`,
      `insert into opendata_projection (id, last_leaf_index, cursor_key, updated_at) values (1, -1, null, now())`,
      `create table public_releases (
        seq bigint primary key,
        release_id text not null unique,
        ocid text not null,
        lot_id text not null,
        trigger_kind text not null,
        witness_event_id bigint not null unique,
        published_at timestamptz not null,
        release text not null
      )`,
      `create index public_releases_ocid_idx on public_releases (ocid, seq)`,
      `create table public_processes (
        lot_id text primary key,
        ocid text not null unique,
        snapshot text not null,
        updated_at timestamptz not null
      )`,
      `create table webhook_subscriptions (
        id text primary key,
        name text not null,
        url text not null,
        kinds jsonb not null,
        status text not null check (status in ('active', 'disabled')),
        delivered_seq bigint not null,
        failures integer not null default 0,
        next_attempt_at timestamptz not null,
        last_error text,
        last_attempt_at timestamptz,
        created_by text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create table webhook_attempts (
        id bigserial primary key,
        subscription_id text not null references webhook_subscriptions(id),
        first_seq bigint not null,
        last_seq bigint not null,
        attempted_at timestamptz not null,
        status_code integer,
        ok boolean not null,
        error text
      )`,
      `create index webhook_attempts_subscription_idx on webhook_attempts (subscription_id, id desc)`,
    ],
  },
];
