import type { SqlMigration } from '../../platform/db/index.ts';

const DATE_CHECK = (column: string) => `${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;

/** The tables only; the initial content is written by `seedCatalogs` at start-up (witnessed). */
export const catalogsMigrations: SqlMigration[] = [
  {
    name: '0110_service_catalogs',
    statements: [
      `create table trading_catalog_categories (
        code text primary key check (code ~ '^0[1-9]$'),
        name text not null,
        sort_order integer not null
      )`,
      `create table trading_catalog_versions (
        version integer primary key check (version > 0),
        effective_from text not null check (${DATE_CHECK('effective_from')}),
        note text not null,
        change_request_id text unique,
        created_at timestamptz not null
      )`,
      `create table trading_catalog_items (
        version integer not null references trading_catalog_versions(version),
        code text not null check (code ~ '^0[1-9][0-9]{2}$'),
        name text not null,
        category_code text not null references trading_catalog_categories(code),
        regulator text not null,
        trading_modes text[] not null,
        split_threshold_yuan numeric(18, 2) check (split_threshold_yuan >= 0),
        split_threshold_citation text,
        primary key (version, code),
        check (substr(code, 1, 2) = category_code),
        check ((split_threshold_yuan is null) = (split_threshold_citation is null))
      )`,
      'create index trading_catalog_items_code_idx on trading_catalog_items (code, version)',
      `create table trading_catalog_change_requests (
        id text primary key,
        status text not null check (status in ('pending', 'approved', 'rejected')),
        title text not null,
        reason text not null,
        effective_from text not null check (${DATE_CHECK('effective_from')}),
        changes jsonb not null,
        base_version integer not null,
        drafted_by text not null,
        drafted_by_name text not null,
        drafted_at timestamptz not null,
        reviewed_by text,
        reviewed_by_name text,
        reviewed_at timestamptz,
        reject_reason text,
        resulting_version integer,
        check (reviewed_by is null or reviewed_by <> drafted_by)
      )`,
      'create index trading_catalog_change_requests_status_idx on trading_catalog_change_requests (status, drafted_at)',
      `create table platform_catalog (
        code text primary key check (code ~ '^[PT][0-9]{10}$'),
        name text not null,
        kind text not null check (kind in ('regional-centre', 'city-centre', 'third-party')),
        region_code text not null check (region_code ~ '^[0-9]{6}$'),
        website text,
        operator_name text,
        certification text,
        status text not null check (status in ('active', 'suspended')),
        status_reason text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create table disclosure_catalog (
        id serial primary key,
        code text not null unique,
        name text not null,
        content text not null,
        basis text not null,
        time_limit text not null,
        publisher text not null,
        channel text not null,
        audience text not null,
        manner text not null,
        announcement_kind text,
        is_public boolean not null,
        updated_at timestamptz not null
      )`,
      // One item per announcement kind: the portal's list of kinds is unambiguous.
      `create unique index disclosure_catalog_kind_idx on disclosure_catalog (announcement_kind)
        where announcement_kind is not null`,
    ],
  },
];
