import type { SqlMigration } from '../../platform/db/index.ts';

const DATE_CHECK = (column: string) => `${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;

export const projectsMigrations: SqlMigration[] = [
  {
    name: '0200_trading_projects',
    statements: [
      // One row per region and day: `insert … on conflict do update … returning` hands out the next number
      // atomically, so concurrent registrations never share a code (codes.ts).
      `create table project_code_sequences (
        region_code text not null check (region_code ~ '^[0-9]{6}$'),
        day text not null check (day ~ '^[0-9]{6}$'),
        last_seq integer not null check (last_seq between 1 and 10000),
        primary key (region_code, day)
      )`,
      `create table projects (
        id text primary key,
        code text not null unique check (code ~ '^Z[0-9]{16}$'),
        tender_project_code text not null unique check (length(tender_project_code) = 20),
        name text not null,
        catalog_item_code text not null,
        trading_mode text check (trading_mode in ('tender', 'procurement', 'auction', 'listing', 'other')),
        mandatory_tender boolean not null,
        fund_source text not null,
        budget numeric(18, 2) not null check (budget >= 0),
        region_code text not null check (region_code ~ '^[0-9]{6}$'),
        address text,
        approval_documents jsonb not null,
        regulator text not null,
        investment_project_code text check (length(investment_project_code) = 24),
        initiator_organization_id text not null,
        initiator_name text not null,
        status text not null check (status in ('submitted', 'returned', 'received')),
        return_reasons jsonb,
        version integer not null,
        last_lot_seq integer not null default 0 check (last_lot_seq between 0 and 999),
        received_at timestamptz,
        received_by text,
        created_by text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        check (substr(tender_project_code, 1, 17) = code)
      )`,
      'create index projects_initiator_idx on projects (initiator_organization_id, created_at)',
      'create index projects_status_idx on projects (status, updated_at)',
      `create table lots (
        id text primary key,
        project_id text not null references projects(id),
        code text not null unique check (length(code) = 23),
        seq integer not null check (seq between 1 and 999),
        name text not null,
        procedure_type text not null,
        estimate numeric(18, 2) not null check (estimate >= 0),
        content text not null,
        rules_as_of text not null check (${DATE_CHECK('rules_as_of')}),
        status text not null check (status in ('registered', 'received')),
        received_at timestamptz,
        created_by text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        unique (project_id, seq)
      )`,
      'create index lots_rules_as_of_idx on lots (rules_as_of)',
      `create table agency_authorisations (
        id text primary key,
        project_id text not null references projects(id),
        agency_organization_id text not null,
        agency_name text not null,
        document_name text not null,
        document_number text,
        document_blob_id text,
        scope text not null,
        valid_from text not null check (${DATE_CHECK('valid_from')}),
        valid_until text check (${DATE_CHECK('valid_until')}),
        status text not null check (status in ('active', 'revoked', 'expired')),
        revoked_at timestamptz,
        revoked_by text,
        revoke_reason text,
        created_by text not null,
        created_at timestamptz not null,
        check (valid_until is null or valid_until >= valid_from)
      )`,
      // One agency at a time per project: to change agency, the initiator revokes the current one first.
      `create unique index agency_authorisations_one_active_idx on agency_authorisations (project_id)
        where status = 'active'`,
      `create index agency_authorisations_agency_idx on agency_authorisations (agency_organization_id, status)`,
      `create table split_flags (
        id bigserial primary key,
        lot_id text not null references lots(id),
        project_id text not null references projects(id),
        initiator_organization_id text not null,
        catalog_item_code text not null,
        threshold numeric(18, 2) not null,
        total numeric(18, 2) not null,
        evidence jsonb not null,
        citation text not null,
        window_from text not null check (${DATE_CHECK('window_from')}),
        created_at timestamptz not null
      )`,
      'create index split_flags_created_idx on split_flags (created_at)',
    ],
  },
];
