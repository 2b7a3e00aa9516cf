import type { SqlMigration } from '../db/index.ts';

export const blobsMigrations: SqlMigration[] = [
  {
    name: '0004_platform_blobs',
    statements: [
      `create table blobs (
        sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
        sm3 text not null check (sm3 ~ '^[0-9a-f]{64}$'),
        size bigint not null check (size >= 0),
        content_type text,
        created_at timestamptz not null,
        created_by text
      )`,
    ],
  },
];
