import type { Generated } from 'kysely';

/**
 * 受信任CA — a CA certificate the 交易中心 trusts (§32 CA 互认): roots anchor paths; intermediates
 * help build them. Disabled CAs stay for the record; paths through them fail.
 */
export interface CertTrustedCasTable {
  /** SHA-256 of the DER, lowercase hex. */
  fingerprint: string;
  fingerprint_sm3: string;
  subject: string;
  /** DistinguishedName.key of the subject: what an issued certificate's issuer name is looked up by. */
  subject_key: string;
  issuer: string;
  serial_number: string;
  key_type: 'sm2' | 'rsa' | 'ec-p256';
  is_root: boolean;
  not_before: Date;
  not_after: Date;
  certificate_der: Uint8Array;
  status: 'active' | 'disabled';
  /** Account that added it; null for the platform itself (the demo CA). */
  added_by: string | null;
  added_at: Date;
  disabled_by: string | null;
  disabled_at: Date | null;
}

/** 证书吊销列表 — a CRL as loaded, its signature checked against the issuing CA in the store. */
export interface CertCrlsTable {
  id: Generated<number>;
  issuer_key: string;
  issuer: string;
  issuer_fingerprint: string;
  /** Decimal CRL number; null when the CRL has none. */
  crl_number: string | null;
  this_update: Date;
  next_update: Date | null;
  fingerprint: string;
  crl_der: Uint8Array;
  revoked_count: number;
  loaded_by: string | null;
  loaded_at: Date;
}

export interface CertCrlEntriesTable {
  crl_id: number;
  serial_number: string;
  revoked_at: Date;
  reason: string | null;
}

/**
 * 证书绑定 — a holder's dual certificates (签名证书 + 加密证书) bound to an account and its organisation:
 * by the 统一社会信用代码 in the certificate ('credit-code') or after 交易中心 staff checked the papers
 * ('staff-confirmed'). Pending until one of the two.
 */
export interface CertBindingsTable {
  id: string;
  account_id: string;
  organization_id: string | null;
  sign_fingerprint: string;
  enc_fingerprint: string;
  sign_certificate_der: Uint8Array;
  enc_certificate_der: Uint8Array;
  /** Intermediate CA certificates sent with the pair (PEM), kept to check the chain again later. */
  chain_pem: string;
  subject: string;
  credit_code: string | null;
  method: 'credit-code' | 'staff-confirmed' | null;
  status: 'pending' | 'bound' | 'revoked';
  requested_at: Date;
  bound_at: Date | null;
  bound_by: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
  last_used_at: Date | null;
}

/** 登录质询 — single-use; only a SHA-256 of its id is kept, so a copy of the table answers nothing. */
export interface CertChallengesTable {
  id_hash: string;
  purpose: 'login' | 'second-factor';
  username: string | null;
  account_id: string | null;
  session_id: string | null;
  issued_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** A session whose holder also proved possession of a bound signing certificate (second factor). */
export interface CertSessionFactorsTable {
  session_id: string;
  account_id: string;
  binding_id: string;
  sign_fingerprint: string;
  verified_at: Date;
}

/**
 * The built-in demo CA's key (演示CA), generated on first use. In production a CA's key lives with the
 * CA, never here; the demo CA exists so `npm start` can show certificate login without one.
 */
export interface CertAuthorityKeysTable {
  id: string;
  purpose: string;
  private_key_pem: string;
  certificate_der: Uint8Array;
  created_at: Date;
  retired_at: Date | null;
}

export interface CertsTables {
  cert_trusted_cas: CertTrustedCasTable;
  cert_crls: CertCrlsTable;
  cert_crl_entries: CertCrlEntriesTable;
  cert_bindings: CertBindingsTable;
  cert_challenges: CertChallengesTable;
  cert_session_factors: CertSessionFactorsTable;
  cert_authority_keys: CertAuthorityKeysTable;
}
