import type { SqlMigration } from '../../platform/db/index.ts';

export const ratingsMigrations: SqlMigration[] = [
  {
    name: '0760_ratings',
    statements: [
      `create table rating_windows (
        lot_id text primary key,
        lot_code text not null,
        lot_name text not null,
        project_name text not null,
        region_code text not null,
        catalog_item_code text not null,
        initiator_organization_id text not null,
        initiator_name text not null,
        agency_organization_id text,
        agency_name text,
        end_kind text not null check (end_kind in ('notice', 'failed', 'terminated')),
        ended_at timestamptz not null,
        window_ends_at timestamptz not null,
        experts jsonb not null,
        expert_ids text[] not null,
        bidders jsonb not null,
        bidder_organization_ids text[] not null,
        opened_at timestamptz not null
      )`,
      'create index rating_windows_open_idx on rating_windows (window_ends_at)',
      `create table ratings (
        id text primary key,
        lot_id text not null references rating_windows(lot_id),
        relation text not null check (relation in ('initiator-expert', 'agency-expert', 'expert-initiator',
          'expert-agency', 'bidder-agency', 'bidder-platform')),
        rater_kind text not null check (rater_kind in ('organization', 'expert')),
        rater_id text not null,
        rater_name text not null,
        rater_account_id text not null,
        ratee_kind text not null check (ratee_kind in ('organization', 'expert', 'platform')),
        ratee_id text not null,
        ratee_name text not null,
        scores jsonb not null,
        score_centi integer not null check (score_centi between 100 and 500),
        comment text,
        region_code text not null,
        catalog_item_code text not null,
        created_at timestamptz not null,
        unique (lot_id, rater_kind, rater_id, ratee_kind, ratee_id)
      )`,
      'create index ratings_ratee_idx on ratings (ratee_kind, ratee_id, created_at)',
      'create index ratings_rater_idx on ratings (rater_kind, rater_id, created_at)',
      `create table service_self_assessments (
        id text primary key,
        period text not null unique check (period ~ '^[0-9]{4}-Q[1-4]$'),
        scores jsonb not null,
        score_centi integer not null check (score_centi between 100 and 500),
        summary text not null,
        recorded_by text not null,
        recorded_by_name text not null,
        created_at timestamptz not null
      )`,
      `create table service_ratings (
        id text primary key,
        period text not null check (period ~ '^[0-9]{4}-Q[1-4]$'),
        account_id text not null,
        organization_id text,
        role text not null,
        scores jsonb not null,
        score_centi integer not null check (score_centi between 100 and 500),
        comment text,
        created_at timestamptz not null,
        unique (period, account_id)
      )`,
      `create table rating_feed_cursor (
        name text primary key,
        after_leaf bigint not null
      )`,
    ],
  },
];
