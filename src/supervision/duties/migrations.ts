import type { SqlMigration } from '../../platform/db/index.ts';

export const dutiesMigrations: SqlMigration[] = [
  {
    name: '0741_duties',
    statements: [
      `create table duty_list_versions (
        id text primary key,
        kind text not null check (kind in ('power', 'service')),
        version integer check (version >= 1),
        status text not null check (status in ('draft', 'published', 'superseded')),
        note text not null check (length(note) <= 2000),
        items jsonb not null,
        items_sm3 text not null,
        created_at timestamptz not null,
        created_by text,
        updated_at timestamptz not null,
        published_at timestamptz,
        published_by text,
        superseded_at timestamptz,
        check ((status = 'draft') = (version is null))
      )`,
      'create unique index duty_list_versions_number_idx on duty_list_versions (kind, version)',
      `create unique index duty_list_versions_draft_idx on duty_list_versions (kind) where status = 'draft'`,
      `create unique index duty_list_versions_current_idx on duty_list_versions (kind) where status = 'published'`,
    ],
  },
];
