import type { SqlMigration } from '../db/index.ts';

/**
 * Certificates and trust (§32 CA 互认): trust store, CRLs, dual-certificate bindings, login challenges.
 * Named to sort after 0100_service_entities: the migrator refuses a new migration that sorts before one a
 * database has already applied, and databases with the entity registry exist.
 */
export const certsMigrations: SqlMigration[] = [
  {
    name: '0101_platform_certs',
    statements: [
      `create table cert_trusted_cas (
        fingerprint text primary key,
        fingerprint_sm3 text not null,
        subject text not null,
        subject_key text not null,
        issuer text not null,
        serial_number text not null,
        key_type text not null check (key_type in ('sm2', 'rsa', 'ec-p256')),
        is_root boolean not null,
        not_before timestamptz not null,
        not_after timestamptz not null,
        certificate_der bytea not null,
        status text not null check (status in ('active', 'disabled')),
        added_by text,
        added_at timestamptz not null,
        disabled_by text,
        disabled_at timestamptz
      )`,
      'create index cert_trusted_cas_subject_idx on cert_trusted_cas (subject_key)',
      `create table cert_crls (
        id bigserial primary key,
        issuer_key text not null,
        issuer text not null,
        issuer_fingerprint text not null references cert_trusted_cas(fingerprint),
        crl_number text,
        this_update timestamptz not null,
        next_update timestamptz,
        fingerprint text not null unique,
        crl_der bytea not null,
        revoked_count integer not null,
        loaded_by text,
        loaded_at timestamptz not null
      )`,
      'create index cert_crls_issuer_idx on cert_crls (issuer_key, this_update desc)',
      `create table cert_crl_entries (
        crl_id bigint not null references cert_crls(id),
        serial_number text not null,
        revoked_at timestamptz not null,
        reason text,
        primary key (crl_id, serial_number)
      )`,
      `create table cert_bindings (
        id text primary key,
        account_id text not null references accounts(id),
        organization_id text references organizations(id),
        sign_fingerprint text not null,
        enc_fingerprint text not null,
        sign_certificate_der bytea not null,
        enc_certificate_der bytea not null,
        chain_pem text not null default '',
        subject text not null,
        credit_code text,
        method text check (method in ('credit-code', 'staff-confirmed')),
        status text not null check (status in ('pending', 'bound', 'revoked')),
        requested_at timestamptz not null,
        bound_at timestamptz,
        bound_by text,
        revoked_at timestamptz,
        revoked_by text,
        last_used_at timestamptz
      )`,
      // One live binding per signing certificate: a certificate speaks for one account only.
      `create unique index cert_bindings_sign_live_idx on cert_bindings (sign_fingerprint)
        where status <> 'revoked'`,
      'create index cert_bindings_account_idx on cert_bindings (account_id)',
      'create index cert_bindings_status_idx on cert_bindings (status, requested_at)',
      `create table cert_challenges (
        id_hash text primary key,
        purpose text not null check (purpose in ('login', 'second-factor')),
        username text,
        account_id text,
        session_id text,
        issued_at timestamptz not null,
        expires_at timestamptz not null,
        used_at timestamptz
      )`,
      'create index cert_challenges_expiry_idx on cert_challenges (expires_at)',
      `create table cert_session_factors (
        session_id text primary key references sessions(id),
        account_id text not null,
        binding_id text not null references cert_bindings(id),
        sign_fingerprint text not null,
        verified_at timestamptz not null
      )`,
      `create table cert_authority_keys (
        id text primary key,
        purpose text not null,
        private_key_pem text not null,
        certificate_der bytea not null,
        created_at timestamptz not null,
        retired_at timestamptz
      )`,
      `create unique index cert_authority_keys_active_idx on cert_authority_keys (purpose)
        where retired_at is null`,
    ],
  },
];
