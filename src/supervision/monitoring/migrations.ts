import type { SqlMigration } from '../../platform/db/index.ts';

export const monitoringMigrations: SqlMigration[] = [
  {
    name: '0730_monitoring',
    statements: [
      `create table monitoring_rule_versions (
        id bigserial primary key,
        code text not null check (length(code) between 1 and 50),
        version integer not null check (version >= 1),
        enabled boolean not null,
        level text not null check (level in ('high', 'medium', 'low')),
        thresholds jsonb not null,
        effective_from timestamptz not null,
        changed_by text,
        changed_by_name text,
        reason text not null check (length(reason) between 1 and 500),
        created_at timestamptz not null,
        unique (code, version)
      )`,
      `create table monitoring_alerts (
        id text primary key,
        rule_code text not null,
        rule_version_id bigint not null references monitoring_rule_versions (id),
        rule_version integer not null,
        level text not null check (level in ('high', 'medium', 'low')),
        title text not null,
        summary text not null,
        citation text not null,
        subject_type text not null check (subject_type in ('lot', 'organization', 'expert')),
        subject_id text not null,
        subject_label text not null,
        evidence_key text not null check (length(evidence_key) between 1 and 500),
        evidence jsonb not null,
        evidence_sm3 text not null,
        lot_id text,
        lot_code text,
        region_code text not null,
        catalog_item_code text not null,
        routed_to jsonb not null,
        source text not null check (source in ('incremental', 'rerun', 'cardinal')),
        status text not null check (status in ('new', 'acknowledged', 'investigating', 'concluded', 'fed-back')),
        finding text check (finding in ('founded', 'unfounded')),
        conclusion text,
        feedback text,
        raised_at timestamptz not null,
        updated_at timestamptz not null,
        unique (rule_code, subject_type, subject_id, evidence_key)
      )`,
      'create index monitoring_alerts_raised_idx on monitoring_alerts (raised_at desc, id)',
      'create index monitoring_alerts_lot_idx on monitoring_alerts (lot_id)',
      `create table monitoring_alert_steps (
        id bigserial primary key,
        alert_id text not null references monitoring_alerts (id),
        action text not null,
        from_status text,
        to_status text not null,
        account_id text,
        department text,
        text text,
        at timestamptz not null
      )`,
      'create index monitoring_alert_steps_alert_idx on monitoring_alert_steps (alert_id, id)',
      `create table monitoring_cursor (
        id integer primary key check (id = 1),
        last_leaf_index bigint not null,
        updated_at timestamptz not null
      )`,
      'insert into monitoring_cursor (id, last_leaf_index, updated_at) values (1, -1, now())',
      `create table monitoring_price_pairs (
        lot_id text not null,
        lot_code text not null,
        organization_a text not null,
        organization_b text not null,
        name_a text not null,
        name_b text not null,
        price_a numeric(18, 2) not null,
        price_b numeric(18, 2) not null,
        ratio numeric(12, 2) not null,
        recorded_at timestamptz not null,
        primary key (lot_id, organization_a, organization_b)
      )`,
      'create index monitoring_price_pairs_pair_idx on monitoring_price_pairs (organization_a, organization_b, ratio)',
      `create table monitoring_committees (
        lot_id text not null,
        expert_id text not null,
        expert_name text not null,
        reported_at timestamptz not null,
        primary key (lot_id, expert_id)
      )`,
      'create index monitoring_committees_expert_idx on monitoring_committees (expert_id, reported_at)',
      `create table monitoring_winners (
        lot_id text primary key,
        winner_organization_id text not null,
        winner_name text not null,
        initiator_organization_id text not null,
        procedure_type text not null,
        awarded_at timestamptz not null
      )`,
      'create index monitoring_winners_winner_idx on monitoring_winners (winner_organization_id, awarded_at)',
      `create table monitoring_lot_scans (
        lot_id text not null,
        stage text not null check (stage in ('opening', 'evaluation', 'award')),
        scanned_at timestamptz not null,
        duration_ms integer not null,
        alerts_raised integer not null,
        primary key (lot_id, stage)
      )`,
      `create table monitoring_runs (
        id text primary key,
        kind text not null check (kind in ('rules', 'cardinal')),
        status text not null check (status in ('queued', 'running', 'done', 'failed')),
        requested_by text,
        requested_at timestamptz not null,
        started_at timestamptz,
        finished_at timestamptz,
        processed integer not null default 0,
        alerts_raised integer not null default 0,
        error text
      )`,
    ],
  },
];
