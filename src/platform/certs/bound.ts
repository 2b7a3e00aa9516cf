import type { Db } from '../db/index.ts';
import type { CertsTables } from './tables.ts';

/**
 * 已绑定证书 for other modules (read only): the certificate pair a holder has bound (docs/certificates.md
 * "Dual-certificate bindings"). A sealed bid is signed with the bound signing certificate and its keys are
 * wrapped to the bound encryption certificate; the opening checks a bidder's signature against it.
 */
export interface BoundCertificates {
  bindingId: string;
  accountId: string;
  organizationId: string | null;
  status: 'pending' | 'bound' | 'revoked';
  signCertificateDer: Uint8Array;
  signFingerprint: string;
  encCertificateDer: Uint8Array;
  encFingerprint: string;
  /** Intermediate CA certificates kept with the binding (PEM), for chain validation. */
  chainPem: string;
}

type Row = {
  id: string;
  account_id: string;
  organization_id: string | null;
  status: 'pending' | 'bound' | 'revoked';
  sign_certificate_der: Uint8Array;
  sign_fingerprint: string;
  enc_certificate_der: Uint8Array;
  enc_fingerprint: string;
  chain_pem: string;
};

const COLUMNS = [
  'id',
  'account_id',
  'organization_id',
  'status',
  'sign_certificate_der',
  'sign_fingerprint',
  'enc_certificate_der',
  'enc_fingerprint',
  'chain_pem',
] as const;

function view(row: Row): BoundCertificates {
  return {
    bindingId: row.id,
    accountId: row.account_id,
    organizationId: row.organization_id,
    status: row.status,
    signCertificateDer: new Uint8Array(row.sign_certificate_der),
    signFingerprint: row.sign_fingerprint,
    encCertificateDer: new Uint8Array(row.enc_certificate_der),
    encFingerprint: row.enc_fingerprint,
    chainPem: row.chain_pem,
  };
}

/** The live (pending or bound, not revoked) binding of a signing certificate, by its SHA-256 fingerprint. */
export async function findBindingOfSigningCertificate(
  db: Db<CertsTables>,
  signFingerprint: string,
): Promise<BoundCertificates | undefined> {
  const row = await db
    .selectFrom('cert_bindings')
    .select(COLUMNS)
    .where('sign_fingerprint', '=', signFingerprint)
    .where('status', '<>', 'revoked')
    .executeTakeFirst();
  return row ? view(row) : undefined;
}

/** An account's newest bound pair. */
export async function findBoundCertificatesOfAccount(
  db: Db<CertsTables>,
  accountId: string,
): Promise<BoundCertificates | undefined> {
  const row = await db
    .selectFrom('cert_bindings')
    .select(COLUMNS)
    .where('account_id', '=', accountId)
    .where('status', '=', 'bound')
    .orderBy('bound_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? view(row) : undefined;
}

/** Every bound pair of an organisation's accounts. */
export async function listBoundCertificatesOfOrganization(
  db: Db<CertsTables>,
  organizationId: string,
): Promise<BoundCertificates[]> {
  const rows = await db
    .selectFrom('cert_bindings')
    .select(COLUMNS)
    .where('organization_id', '=', organizationId)
    .where('status', '=', 'bound')
    .execute();
  return rows.map(view);
}
