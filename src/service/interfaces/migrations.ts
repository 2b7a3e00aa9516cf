import type { SqlMigration } from '../../platform/db/index.ts';

export const interfacesMigrations: SqlMigration[] = [
  {
    name: '0620_interfaces',
    statements: [
      `create table third_party_systems (
        id text primary key,
        platform_code text not null,
        name text not null,
        kind text not null check (kind in ('third-party', 'city-centre')),
        certificate_pem text not null,
        public_key_pem text not null,
        certificate_sm3 text not null,
        certificate_subject text not null,
        certificate_not_after timestamptz not null,
        region_prefixes text not null,
        tables text not null,
        status text not null check (status in ('active', 'revoked')),
        revoke_reason text,
        registered_by text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        revoked_at timestamptz,
        check (status <> 'revoked' or revoke_reason is not null)
      )`,
      // One active credential per 平台目录 entry; revoked ones stay for the record.
      `create unique index third_party_systems_active_code on third_party_systems (platform_code)
        where status = 'active'`,
      `create table interface_nonces (
        system_id text not null,
        nonce text not null,
        expires_at timestamptz not null,
        primary key (system_id, nonce)
      )`,
      'create index interface_nonces_expiry on interface_nonces (expires_at)',
      `create table interface_records (
        seq bigserial primary key,
        system_id text not null,
        table_name text not null,
        record_key text not null,
        version text not null,
        deal_code text,
        tender_project_code text,
        region_code text,
        data text not null,
        push_id text not null,
        received_at timestamptz not null,
        unique (system_id, table_name, record_key, version)
      )`,
      'create index interface_records_deal on interface_records (system_id, deal_code)',
      'create index interface_records_tender_project on interface_records (system_id, tender_project_code)',
      `create table interface_pushes (
        id text primary key,
        system_id text not null,
        received_at timestamptz not null,
        total integer not null,
        accepted integer not null,
        duplicate integer not null,
        rejected integer not null,
        results text not null,
        witness_event_id bigint not null
      )`,
      'create index interface_pushes_recent on interface_pushes (received_at desc)',
    ],
  },
];
