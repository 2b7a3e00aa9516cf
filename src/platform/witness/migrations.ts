import type { SqlMigration } from '../db/index.ts';

export const witnessMigrations: SqlMigration[] = [
  {
    name: '0002_platform_witness',
    statements: [
      `create table witness_events (
        id bigserial primary key,
        leaf_index bigint unique,
        leaf_hash bytea,
        occurred_at timestamptz not null,
        actor_account_id text,
        actor_organization_id text,
        actor_role text,
        ip text,
        user_agent text,
        client_fingerprint text,
        request_id text,
        entity_type text not null,
        entity_id text not null,
        action text not null,
        payload text not null,
        created_at timestamptz not null default now()
      )`,
      'create index witness_events_entity_idx on witness_events (entity_type, entity_id)',
      'create index witness_events_unsequenced_idx on witness_events (id) where leaf_index is null',
      `create table witness_nodes (
        level smallint not null check (level >= 1),
        index bigint not null check (index >= 0),
        hash bytea not null,
        primary key (level, index)
      )`,
      `create table witness_tree_head (
        singleton boolean primary key default true check (singleton),
        tree_size bigint not null check (tree_size >= 0)
      )`,
      'insert into witness_tree_head (tree_size) values (0)',
      `create table platform_keys (
        id text primary key,
        purpose text not null,
        private_key_pem text not null,
        public_key_pem text not null,
        created_at timestamptz not null,
        retired_at timestamptz
      )`,
      'create unique index platform_keys_active_idx on platform_keys (purpose) where retired_at is null',
      `create table witness_checkpoints (
        id bigserial primary key,
        tree_size bigint not null unique check (tree_size > 0),
        root_hash bytea not null,
        issued_at timestamptz not null,
        key_id text not null references platform_keys (id),
        signature bytea not null
      )`,
    ],
  },
];
