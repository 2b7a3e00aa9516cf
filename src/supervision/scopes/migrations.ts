import type { SqlMigration } from '../../platform/db/index.ts';

export const scopesMigrations: SqlMigration[] = [
  {
    name: '0701_supervisor_scopes',
    statements: [
      `create table supervisor_scopes (
        account_id text primary key,
        department text not null check (length(department) between 1 and 100),
        region_prefixes text[] not null check (cardinality(region_prefixes) between 1 and 50),
        catalog_prefixes text[] not null check (cardinality(catalog_prefixes) between 1 and 50),
        updated_at timestamptz not null,
        updated_by text
      )`,
    ],
  },
];
