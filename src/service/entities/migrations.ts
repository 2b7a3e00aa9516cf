import type { SqlMigration } from '../../platform/db/index.ts';

const DATE_CHECK = (column: string) => `${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;

export const entitiesMigrations: SqlMigration[] = [
  {
    name: '0100_service_entities',
    statements: [
      `create table market_entities (
        id text primary key,
        organization_id text not null unique references organizations(id),
        kind text not null check (kind in ('legal_person', 'other_organization', 'natural_person')),
        name text not null,
        credit_code text unique,
        registration_authority_code text,
        institution_category_code text,
        roles text[] not null,
        representative_name text,
        representative_id_type text,
        representative_id_number text,
        representative_phone text,
        person_id_type text,
        person_id_number text,
        person_id_valid_until text check (${DATE_CHECK('person_id_valid_until')}),
        bank_name text not null,
        bank_branch_code text,
        bank_account_number text not null,
        bank_account_name text not null,
        region_code text not null check (region_code ~ '^[0-9]{6}$'),
        address text not null,
        zip_code text,
        contact_name text not null,
        contact_phone text not null,
        contact_email text,
        licence_valid_from text check (${DATE_CHECK('licence_valid_from')}),
        licence_valid_until text check (${DATE_CHECK('licence_valid_until')}),
        registered_capital numeric(20, 6),
        registered_capital_currency text,
        status text not null check (status in ('submitted', 'returned', 'active')),
        return_reason text,
        accepted_version integer,
        accepted_at timestamptz,
        accepted_by text,
        version integer not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        check (kind = 'natural_person' or (credit_code is not null and representative_name is not null)),
        check (kind <> 'natural_person' or (person_id_type is not null and person_id_number is not null))
      )`,
      // One registration per natural person and document.
      `create unique index market_entities_person_idx on market_entities (person_id_type, person_id_number)
        where kind = 'natural_person'`,
      'create index market_entities_status_idx on market_entities (status, updated_at)',
      `create table entity_qualifications (
        id text primary key,
        entity_id text not null references market_entities(id),
        category text not null,
        name text not null,
        level text,
        certificate_number text not null,
        issuing_authority text not null,
        valid_from text check (${DATE_CHECK('valid_from')}),
        valid_until text check (${DATE_CHECK('valid_until')}),
        expired_flagged_at timestamptz,
        created_at timestamptz not null
      )`,
      'create index entity_qualifications_entity_idx on entity_qualifications (entity_id)',
      // The expiry sweep looks only at certificates not yet flagged.
      `create index entity_qualifications_unflagged_idx on entity_qualifications (valid_until)
        where expired_flagged_at is null and valid_until is not null`,
      `create table entity_versions (
        id bigserial primary key,
        entity_id text not null references market_entities(id),
        version integer not null,
        action text not null,
        snapshot jsonb not null,
        snapshot_sm3 text not null,
        changed_by text,
        changed_at timestamptz not null,
        unique (entity_id, version)
      )`,
    ],
  },
];
