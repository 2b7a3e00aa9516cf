import type { SqlMigration } from '../db/index.ts';

export const identityMigrations: SqlMigration[] = [
  {
    name: '0001_platform_identity',
    statements: [
      `create table organizations (
        id text primary key,
        name text not null,
        credit_code text unique,
        created_at timestamptz not null default now()
      )`,
      `create table accounts (
        id text primary key,
        username text not null unique,
        display_name text not null,
        password_hash text,
        roles text[] not null default '{}',
        organization_id text references organizations(id),
        status text not null default 'active' check (status in ('active', 'disabled')),
        created_at timestamptz not null default now()
      )`,
      `create table sessions (
        id text primary key,
        account_id text not null references accounts(id),
        token_hash text not null unique,
        kind text not null check (kind in ('cookie', 'bearer')),
        created_at timestamptz not null,
        expires_at timestamptz not null,
        revoked_at timestamptz,
        ip text,
        user_agent text
      )`,
      'create index sessions_account_idx on sessions (account_id)',
      `create table grants (
        id bigserial primary key,
        subject_type text not null check (subject_type in ('account', 'organization')),
        subject_id text not null,
        relation text not null,
        object_type text not null,
        object_id text not null,
        granted_by text,
        created_at timestamptz not null,
        revoked_at timestamptz
      )`,
      'create index grants_lookup_idx on grants (object_type, object_id, relation)',
    ],
  },
];
