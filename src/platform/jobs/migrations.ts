import type { SqlMigration } from '../db/index.ts';

export const jobsMigrations: SqlMigration[] = [
  {
    name: '0003_platform_jobs',
    statements: [
      `create table jobs (
        id bigserial primary key,
        type text not null,
        payload jsonb not null default '{}',
        run_at timestamptz,
        status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
        attempts integer not null default 0 check (attempts >= 0),
        max_attempts integer not null check (max_attempts >= 1),
        last_error text,
        locked_by text,
        locked_until timestamptz,
        dedupe_key text unique,
        created_at timestamptz not null default now(),
        finished_at timestamptz
      )`,
      // The claim query scans due queued jobs and running jobs whose lease expired; both stay small.
      `create index jobs_queued_idx on jobs (id) where status = 'queued'`,
      `create index jobs_running_idx on jobs (locked_until) where status = 'running'`,
      'create index jobs_type_status_idx on jobs (type, status)',
      `create table job_once_keys (
        key text primary key,
        created_at timestamptz not null default now()
      )`,
    ],
  },
];
