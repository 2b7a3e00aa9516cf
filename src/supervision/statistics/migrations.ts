import type { SqlMigration } from '../../platform/db/index.ts';

export const statisticsMigrations: SqlMigration[] = [
  {
    name: '0610_statistics',
    statements: [
      `create table process_facts (
        source text not null check (source = 'platform' or source like 'push:_%'),
        key text not null check (length(key) between 1 and 200),
        category_code text check (category_code ~ '^0[1-9]$'),
        region_code text not null check (region_code ~ '^[0-9]{6}$'),
        method text not null check (length(method) between 1 and 100),
        law text not null check (law in ('works', 'gp', 'other')),
        month text not null check (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        budget_yuan numeric(18, 2) check (budget_yuan >= 0),
        award_yuan numeric(18, 2) check (award_yuan >= 0),
        bidders integer check (bidders >= 0),
        status text not null check (status in ('active', 'complete', 'unsuccessful', 'cancelled')),
        announced_at timestamptz,
        opened_at timestamptz,
        awarded_at timestamptz,
        contracted_at timestamptz,
        updated_at timestamptz not null,
        primary key (source, key)
      )`,
      // Every summary filters by a month range, most by a region prefix as well.
      'create index process_facts_month_region_idx on process_facts (month, region_code)',
      'create index process_facts_region_idx on process_facts (region_code text_pattern_ops)',
    ],
  },
];
