import type { SqlMigration } from '../../platform/db/index.ts';

export const proceduresMigrations: SqlMigration[] = [
  {
    name: '0700_procedure_suspensions',
    statements: [
      `create table procedure_suspensions (
        id text primary key,
        lot_id text not null,
        cause text not null check (length(cause) between 1 and 200),
        reason text not null check (length(reason) between 1 and 2000),
        citation text not null check (length(citation) between 1 and 500),
        started_at timestamptz not null,
        until timestamptz check (until is null or until > started_at),
        ended_at timestamptz check (ended_at is null or ended_at >= started_at),
        ordered_by text,
        ended_by text
      )`,
      // One suspension in force per lot at a time.
      'create unique index procedure_suspensions_open on procedure_suspensions (lot_id) where ended_at is null',
      'create index procedure_suspensions_lot on procedure_suspensions (lot_id, started_at)',
    ],
  },
];
