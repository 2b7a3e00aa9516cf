import type { SqlMigration } from '../../platform/db/index.ts';

export const oversightMigrations: SqlMigration[] = [
  {
    name: '0740_oversight',
    statements: [
      // 实时监督: the witness log indexed by project and lot (a read model; rebuildable from the log).
      `create table oversight_index_cursor (
        singleton boolean primary key default true check (singleton),
        indexed_through bigint not null check (indexed_through >= -1),
        updated_at timestamptz not null
      )`,
      `insert into oversight_index_cursor (indexed_through, updated_at) values (-1, now())`,
      `create table oversight_projects (
        project_id text primary key,
        project_code text not null,
        project_name text not null,
        region_code text not null,
        catalog_item_code text not null,
        regulator text not null,
        updated_at timestamptz not null
      )`,
      `create table oversight_lots (
        lot_id text primary key,
        project_id text not null,
        lot_code text not null,
        lot_name text not null,
        procedure_type text not null,
        last_leaf_index bigint not null,
        last_event_at timestamptz not null
      )`,
      'create index oversight_lots_project_idx on oversight_lots (project_id)',
      'create index oversight_lots_activity_idx on oversight_lots (last_leaf_index desc)',
      `create table oversight_events (
        leaf_index bigint primary key,
        event_id bigint not null,
        project_id text not null,
        lot_id text,
        occurred_at timestamptz not null,
        entity_type text not null,
        entity_id text not null,
        action text not null,
        actor_role text,
        actor_organization_id text,
        payload text not null,
        mapped_by text not null
      )`,
      'create index oversight_events_project_idx on oversight_events (project_id, leaf_index)',
      'create index oversight_events_lot_idx on oversight_events (lot_id, leaf_index)',
      `create table oversight_entity_links (
        entity_type text not null,
        entity_id text not null,
        project_id text not null,
        lot_id text,
        primary key (entity_type, entity_id)
      )`,
      'create index oversight_entity_links_id_idx on oversight_entity_links (entity_id)',

      // 现场管理 (§24, §39): violations of on-site rules, reports to the regulator and their feedback.
      `create table site_violations (
        id text primary key,
        lot_id text not null,
        project_id text not null,
        lot_code text not null,
        lot_name text not null,
        project_name text not null,
        region_code text not null,
        catalog_item_code text not null,
        venue text not null check (length(venue) between 1 and 100),
        occurred_at timestamptz not null,
        persons jsonb not null,
        description text not null check (length(description) between 1 and 2000),
        rule_breached text not null check (length(rule_breached) between 1 and 500),
        measure text not null check (length(measure) between 1 and 1000),
        corrected boolean not null,
        evidence jsonb not null,
        status text not null check (status in ('recorded', 'reported', 'acknowledged', 'answered')),
        recorded_by text not null,
        recorded_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      'create index site_violations_lot_idx on site_violations (lot_id)',
      'create index site_violations_recorded_idx on site_violations (recorded_at desc)',
      `create table violation_reports (
        id text primary key,
        violation_id text not null unique references site_violations (id),
        department text not null,
        suspicion text not null check (length(suspicion) between 1 and 2000),
        reported_by text not null,
        reported_at timestamptz not null,
        time_limit_working_days integer not null check (time_limit_working_days between 1 and 60),
        feedback_due_at timestamptz not null,
        acknowledged_by text,
        acknowledged_at timestamptz,
        feedback text,
        feedback_evidence jsonb not null default '[]',
        feedback_by text,
        feedback_at timestamptz,
        feedback_late boolean,
        overdue_flagged_at timestamptz
      )`,
      'create index violation_reports_department_idx on violation_reports (department)',
      `create table oversight_settings (
        singleton boolean primary key default true check (singleton),
        feedback_working_days integer not null check (feedback_working_days between 1 and 60),
        updated_at timestamptz not null,
        updated_by text
      )`,
      `insert into oversight_settings (feedback_working_days, updated_at) values (10, now())`,
    ],
  },
];
