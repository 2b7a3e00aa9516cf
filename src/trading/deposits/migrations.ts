import type { SqlMigration } from '../../platform/db/index.ts';

export const depositsMigrations: SqlMigration[] = [
  {
    name: '0310_deposits',
    statements: [
      `create table deposit_institutions (
        id text primary key,
        name text not null,
        kind text not null check (kind in ('bank', 'insurer', 'guarantor')),
        credit_code text not null unique,
        public_key_pem text not null,
        certificate_pem text,
        status text not null check (status in ('active', 'suspended')),
        created_at timestamptz not null,
        updated_at timestamptz not null
      )`,
      `create table deposit_request_nonces (
        institution_id text not null references deposit_institutions(id),
        nonce text not null,
        expires_at timestamptz not null,
        primary key (institution_id, nonce)
      )`,
      `create index deposit_request_nonces_expiry on deposit_request_nonces (expires_at)`,
      `create table deposit_accounts (
        id text primary key,
        lot_id text not null,
        bidder_ref text not null,
        bidder_sealed text not null,
        institution_id text not null references deposit_institutions(id),
        virtual_account text not null unique,
        created_at timestamptz not null,
        unique (lot_id, bidder_ref)
      )`,
      `create table deposit_transfers (
        id text primary key,
        account_id text not null references deposit_accounts(id),
        lot_id text not null,
        bidder_ref text not null,
        institution_id text not null references deposit_institutions(id),
        bank_transfer_id text not null,
        amount_yuan numeric(18, 2) not null check (amount_yuan > 0),
        payer_sealed text not null,
        payer_ref text not null,
        value_at timestamptz not null,
        received_at timestamptz not null,
        status text not null check (status in ('accepted', 'rejected-payer', 'late')),
        reject_reason text,
        unique (institution_id, bank_transfer_id)
      )`,
      `create index deposit_transfers_lot on deposit_transfers (lot_id, bidder_ref)`,
      `create index deposit_transfers_payer on deposit_transfers (lot_id, payer_ref)`,
      `create table deposit_guarantees (
        id text primary key,
        institution_id text not null references deposit_institutions(id),
        guarantee_no text not null,
        lot_id text not null,
        bidder_ref text not null,
        document_sealed text not null,
        document_sm3 text not null,
        signature text not null,
        amount_yuan numeric(18, 2) not null check (amount_yuan > 0),
        valid_from timestamptz not null,
        valid_until timestamptz not null,
        status text not null check (status in ('valid', 'revoked', 'released')),
        issued_at timestamptz not null,
        revoked_at timestamptz,
        revoke_reason text,
        released_at timestamptz,
        unique (institution_id, guarantee_no),
        check (valid_from < valid_until)
      )`,
      `create index deposit_guarantees_lot on deposit_guarantees (lot_id, bidder_ref)`,
      `create table deposit_refunds (
        id text primary key,
        lot_id text not null,
        bidder_ref text not null,
        kind text not null check (kind in ('refund', 'return', 'release', 'forfeit')),
        source text not null check (source in ('transfer', 'guarantee')),
        source_id text not null,
        institution_id text not null references deposit_institutions(id),
        reason text not null,
        principal_yuan numeric(18, 2) not null check (principal_yuan >= 0),
        interest_yuan numeric(18, 2) not null check (interest_yuan >= 0),
        interest_rate text,
        interest_basis text,
        payee_sealed text not null,
        citation text not null,
        due_at timestamptz not null,
        status text not null check (status in ('pending', 'executed', 'proposed-forfeit', 'cancelled')),
        created_at timestamptz not null,
        late_flagged_at timestamptz,
        late_interest_yuan numeric(18, 2),
        executed_at timestamptz,
        bank_reference text,
        decided_at timestamptz
      )`,
      // One live instruction per source (a transfer or guarantee is refunded, returned or released once).
      `create unique index deposit_refunds_live_source on deposit_refunds (source, source_id) where status <> 'cancelled'`,
      `create index deposit_refunds_lot on deposit_refunds (lot_id, bidder_ref)`,
      `create index deposit_refunds_pending on deposit_refunds (institution_id, status)`,
      `create table deposit_signals (
        id text primary key,
        lot_id text not null,
        kind text not null check (kind in ('same-payer-account')),
        payer_ref text not null,
        bidder_refs jsonb not null,
        citation text not null,
        created_at timestamptz not null,
        unique (lot_id, kind, payer_ref)
      )`,
    ],
  },
  {
    // 竞买保证金 of lots that are not tendered (挂牌、拍卖、网络竞价), and the winner's deposit turned into part of
    // the price (转为成交价款) as an instruction of its own kind.
    name: '0800_deposit_terms',
    statements: [
      `create table deposit_terms (
        lot_id text primary key,
        deposit_yuan numeric(18, 2) not null check (deposit_yuan >= 0),
        deadline timestamptz not null,
        reveal_at timestamptz not null,
        validity_until timestamptz not null,
        set_at timestamptz not null,
        set_by text not null,
        check (reveal_at >= deadline),
        check (validity_until >= deadline)
      )`,
      `alter table deposit_refunds drop constraint deposit_refunds_kind_check`,
      `alter table deposit_refunds add constraint deposit_refunds_kind_check
        check (kind in ('refund', 'return', 'release', 'forfeit', 'convert'))`,
    ],
  },
];
