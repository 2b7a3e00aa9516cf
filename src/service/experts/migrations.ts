import type { SqlMigration } from '../../platform/db/index.ts';

const DATE_CHECK = (column: string) => `${column} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;
const KIND_CHECK = `('enterprise', 'government', 'public-institution', 'university', 'other')`;
const TITLE_CHECK = `('senior', 'vice-senior', 'intermediate', 'other')`;

/**
 * Codes (专家编号, 专业代码, 行政区划代码) are ASCII and compared byte-wise (collate "C"): a plain b-tree
 * then serves the prefix ranges of the draw (`code >= 'A08' and code < 'A08~'`), on PGlite and on a
 * server whatever its default collation, and with generic plans too.
 */
export const expertsMigrations: SqlMigration[] = [
  {
    name: '0400_experts',
    statements: [
      'create sequence expert_code_seq',
      `create table experts (
        id text primary key,
        code text collate "C" not null unique,
        account_id text unique references accounts(id),
        application_id text,
        name text not null,
        gender text not null check (gender in ('male', 'female')),
        id_number_sealed text not null,
        id_number_index text not null unique,
        id_number_masked text not null,
        phone_sealed text not null,
        phone_masked text not null,
        employer_name text not null,
        employer_credit_code text,
        employer_organization_id text,
        employer_kind text not null check (employer_kind in ${KIND_CHECK}),
        region_code text collate "C" not null check (region_code ~ '^[0-9]{6}$'),
        title text not null,
        title_level text not null check (title_level in ${TITLE_CHECK}),
        education text,
        years_in_field integer not null check (years_in_field >= 0 and years_in_field <= 80),
        status text not null check (status in ('active', 'suspended', 'retired')),
        status_reason text,
        suspended_until text check (${DATE_CHECK('suspended_until')}),
        admitted_at timestamptz not null,
        version integer not null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      'create index experts_region_idx on experts (region_code, code)',
      `create table expert_specialties (
        expert_id text not null references experts(id),
        code text collate "C" not null,
        is_main boolean not null,
        -- What the draw's rules read of the expert, repeated here (copied from experts by the store
        -- whenever the expert or its specialties are written) so that the draw reads one index range and
        -- fetches no expert row: region, code, status and employer.
        region_code text collate "C" not null,
        expert_code text collate "C" not null,
        status text not null,
        suspended_until text,
        employer_credit_code text,
        employer_organization_id text,
        employer_name text not null,
        primary key (expert_id, code)
      )`,
      // The draw's entry point: every expert under a specialty prefix and in a region, from the index alone.
      `create index expert_specialties_code_idx on expert_specialties (code, region_code)
        include (expert_id, expert_code, status, suspended_until, employer_credit_code, employer_organization_id,
                 employer_name)`,
      `create table expert_unavailability (
        id text primary key,
        expert_id text not null references experts(id),
        from_date text not null check (${DATE_CHECK('from_date')}),
        to_date text not null check (${DATE_CHECK('to_date')}),
        reason text,
        created_at timestamptz not null,
        check (to_date >= from_date)
      )`,
      'create index expert_unavailability_expert_idx on expert_unavailability (expert_id, to_date) include (from_date)',
      `create table expert_relationships (
        id text primary key,
        expert_id text not null references experts(id),
        kind text not null check (kind in
          ('spouse-employer', 'relative-employer', 'shareholding', 'director', 'former-employer', 'other')),
        organization_name text not null,
        credit_code text,
        organization_id text,
        ended_on text check (${DATE_CHECK('ended_on')}),
        note text,
        position integer not null default 0,
        created_at timestamptz not null
      )`,
      'create index expert_relationships_expert_idx on expert_relationships (expert_id)',
      // The draw looks relationships up from the avoided organisations, not from each expert.
      `create index expert_relationships_credit_code_idx on expert_relationships (credit_code)
        where credit_code is not null`,
      `create index expert_relationships_organization_idx on expert_relationships (organization_id)
        where organization_id is not null`,
      `create table expert_applications (
        id text primary key,
        account_id text not null unique references accounts(id),
        name text not null,
        gender text not null check (gender in ('male', 'female')),
        id_number_sealed text not null,
        id_number_index text not null,
        id_number_masked text not null,
        phone_sealed text not null,
        phone_masked text not null,
        employer_name text not null,
        employer_credit_code text,
        employer_kind text not null check (employer_kind in ${KIND_CHECK}),
        region_code text not null check (region_code ~ '^[0-9]{6}$'),
        title text not null,
        title_level text not null check (title_level in ${TITLE_CHECK}),
        education text,
        years_in_field integer not null,
        specialty_codes text[] not null,
        statement text,
        status text not null check (status in ('submitted', 'admitted', 'rejected')),
        decision_reason text,
        decided_by text,
        decided_by_name text,
        decided_at timestamptz,
        expert_id text,
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      // One pending application per person (the pool's own unique index covers admitted ones).
      `create unique index expert_applications_pending_person_idx on expert_applications (id_number_index)
        where status = 'submitted'`,
      'create index expert_applications_status_idx on expert_applications (status, created_at)',
      `create table expert_records (
        id text primary key,
        expert_id text not null references experts(id),
        kind text not null check (kind in ('training', 'assessment', 'performance', 'credit')),
        title text not null,
        detail text,
        result text,
        basis text,
        occurred_on text not null check (${DATE_CHECK('occurred_on')}),
        valid_until text check (${DATE_CHECK('valid_until')}),
        lot_id text,
        recorded_by text,
        recorded_by_name text,
        created_at timestamptz not null
      )`,
      'create index expert_records_expert_idx on expert_records (expert_id, occurred_on)',
    ],
  },
];
