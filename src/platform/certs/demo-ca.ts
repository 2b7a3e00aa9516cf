import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock/index.ts';
import {
  exportSm2PrivateKeyPem,
  generateSm2KeyPair,
  importSm2PrivateKeyPem,
  type Sm2PrivateKey,
} from '../crypto/index.ts';
import { InvalidInput, NotFound } from '../errors.ts';
import { appendWitnessEvent, SYSTEM_ORIGIN, type WitnessOrigin } from '../witness/index.ts';
import { findHolderAccount } from './accounts.ts';
import { type BindingView, createBindings } from './bindings.ts';
import { buildCertificate } from './builder.ts';
import { toPem } from './pem.ts';
import { type PrivateKeyInfo, sm2PublicKeyInfo } from './signatures.ts';
import * as store from './store.ts';
import { type CertsDb, createTrustStore } from './trust-store.ts';
import { type ParsedCertificate, parseCertificateDer } from './x509.ts';

/**
 * 演示CA — the built-in demo CA: a self-signed SM2 root, generated and stored on first use and put in
 * the trust store, that issues SM2 dual certificates (signing: digitalSignature + nonRepudiation;
 * encryption: keyEncipherment + dataEncipherment) so certificate login can be tried without a real CA.
 * Its name says 演示CA（仅供演示和测试）; 交易中心 staff can disable it like any CA. Not for production.
 */
export const DEMO_CA_PURPOSE = 'demo-ca';
export const DEMO_CA_LABEL = '演示CA（仅供演示和测试）';
const DEMO_CA_SUBJECT = [
  ['C', 'CN'],
  ['O', 'ggzy 公共资源交易平台'],
  ['OU', DEMO_CA_LABEL],
  ['CN', `ggzy ${DEMO_CA_LABEL}`],
] as const;
const CA_YEARS = 20;
/** Backdated a little so a client whose clock runs slow still accepts a fresh certificate. */
const BACKDATE_MS = 10 * 60_000;

export interface DemoCaDeps {
  db: Kysely<CertsDb>;
  /** Platform time, for the witness log. */
  clock: Clock;
  /** Real time, for validity periods (see TrustStoreDeps). */
  securityClock: Clock;
}

export interface DemoCa {
  certificate: ParsedCertificate;
  certificatePem: string;
  key: PrivateKeyInfo;
}

function sm2Info(key: Sm2PrivateKey): PrivateKeyInfo {
  return { kind: 'sm2', sm2: key, publicKey: sm2PublicKeyInfo(key) };
}

/**
 * The demo CA, created on first use. Two instances starting together may both generate one: the
 * partial unique index lets the first insert win, and the loser uses the winner's.
 */
export async function loadDemoCa(deps: DemoCaDeps, origin: WitnessOrigin = SYSTEM_ORIGIN): Promise<DemoCa> {
  const existing = await store.activeAuthorityKey(deps.db, DEMO_CA_PURPOSE);
  if (existing) return demoCaOf(existing.private_key_pem, existing.certificate_der);

  const raw = generateSm2KeyPair();
  const key = sm2Info(raw);
  const now = deps.securityClock.now();
  const der = buildCertificate({
    subject: DEMO_CA_SUBJECT,
    publicKey: key.publicKey,
    selfSignKey: key,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(Date.UTC(now.getUTCFullYear() + CA_YEARS, now.getUTCMonth(), now.getUTCDate())),
    basicConstraints: { ca: true, pathLen: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const cert = parseCertificateDer(der);
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const won = await store.insertAuthorityKeyIfNone(tx, {
      id: cert.fingerprintSha256,
      purpose: DEMO_CA_PURPOSE,
      private_key_pem: exportSm2PrivateKeyPem(raw),
      certificate_der: der,
      created_at: at,
      retired_at: null,
    });
    if (!won) return;
    await store.insertTrustedCa(tx, {
      fingerprint: cert.fingerprintSha256,
      fingerprint_sm3: cert.fingerprintSm3,
      subject: cert.subject.text,
      subject_key: cert.subject.key,
      issuer: cert.issuer.text,
      serial_number: cert.serialNumber,
      key_type: 'sm2',
      is_root: true,
      not_before: cert.notBefore,
      not_after: cert.notAfter,
      certificate_der: der,
      status: 'active',
      added_by: null,
      added_at: at,
      disabled_by: null,
      disabled_at: null,
    });
    await appendWitnessEvent(tx, at, origin, {
      entityType: 'trusted-ca',
      entityId: cert.fingerprintSha256,
      action: 'trust.ca.added',
      payload: {
        subject: cert.subject.text,
        issuer: cert.issuer.text,
        serialNumber: cert.serialNumber,
        keyType: 'sm2',
        isRoot: true,
        fingerprintSm3: cert.fingerprintSm3,
        demo: true,
      },
    });
  });
  const stored = await store.activeAuthorityKey(deps.db, DEMO_CA_PURPOSE);
  if (!stored) throw new Error('demo CA key vanished right after it was stored');
  return demoCaOf(stored.private_key_pem, stored.certificate_der);
}

function demoCaOf(privateKeyPem: string, der: Uint8Array): DemoCa {
  const certificate = parseCertificateDer(new Uint8Array(der));
  return {
    certificate,
    certificatePem: toPem('CERTIFICATE', certificate.der),
    key: sm2Info(importSm2PrivateKeyPem(privateKeyPem)),
  };
}

export interface IssuedKeyPair {
  certificatePem: string;
  privateKeyPem: string;
  fingerprint: string;
  serialNumber: string;
}

export interface DemoCertificates {
  username: string;
  accountId: string;
  subject: string;
  creditCode: string | null;
  caCertificatePem: string;
  sign: IssuedKeyPair;
  encryption: IssuedKeyPair;
  /** Where the files were written (sign.key.pem, sign.cert.pem, enc.key.pem, enc.cert.pem, ca.cert.pem). */
  directory: string | null;
  binding: BindingView | null;
}

export interface IssueDemoOptions {
  username: string;
  /** Days of validity; two years when absent. */
  validDays?: number;
  /** Write the files under `<dataDir>/certs/<username>/`, or into `outDir` when given. */
  dataDir?: string;
  outDir?: string;
  /** Bind the pair to the account (default true). */
  bind?: boolean;
}

/**
 * Issues SM2 dual certificates from the demo CA for an account: subject C=CN, O=<organisation>,
 * organizationIdentifier=<统一社会信用代码 when the organisation has one>, CN=<display name>.
 * Binds them to the account — 'credit-code' when the code is in the certificate, else 'staff-confirmed'
 * on the platform's own authority (it issued them) — and witnesses the issue in the same transaction.
 */
export async function issueDemoCertificates(
  deps: DemoCaDeps,
  opts: IssueDemoOptions,
  origin: WitnessOrigin = SYSTEM_ORIGIN,
): Promise<DemoCertificates> {
  if (!/^[A-Za-z0-9_.-]{3,64}$/.test(opts.username)) {
    throw new InvalidInput('USERNAME_INVALID', { title: '用户名格式不正确' });
  }
  const account = await findHolderAccount(deps.db, { username: opts.username });
  if (!account)
    throw new NotFound('ACCOUNT_NOT_FOUND', {
      title: '账号不存在',
      detail: `没有用户名为 ${opts.username} 的账号。`,
    });
  const ca = await loadDemoCa(deps, origin);
  const now = deps.securityClock.now();
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const notAfter = new Date(now.getTime() + (opts.validDays ?? 730) * 86_400_000);
  const subject: [string, string][] = [['C', 'CN']];
  if (account.organizationName) subject.push(['O', account.organizationName]);
  if (account.creditCode) subject.push(['organizationIdentifier', account.creditCode]);
  subject.push(['CN', account.displayName]);

  const issue = (usage: 'sign' | 'enc') => {
    const raw = generateSm2KeyPair();
    const key = sm2Info(raw);
    const der = buildCertificate({
      subject,
      issuer: { certificate: ca.certificate, key: ca.key },
      publicKey: key.publicKey,
      notBefore,
      notAfter: notAfter < ca.certificate.notAfter ? notAfter : ca.certificate.notAfter,
      basicConstraints: { ca: false },
      keyUsage:
        usage === 'sign' ? ['digitalSignature', 'nonRepudiation'] : ['keyEncipherment', 'dataEncipherment'],
    });
    const certificate = parseCertificateDer(der);
    return {
      certificate,
      pair: {
        certificatePem: toPem('CERTIFICATE', der),
        privateKeyPem: exportSm2PrivateKeyPem(raw),
        fingerprint: certificate.fingerprintSha256,
        serialNumber: certificate.serialNumber,
      },
    };
  };
  const sign = issue('sign');
  const enc = issue('enc');

  let binding: BindingView | null = null;
  if (opts.bind ?? true) {
    const bindings = createBindings({ trust: createTrustStore(deps) });
    const codeMatches = Boolean(account.creditCode && sign.certificate.creditCode === account.creditCode);
    binding = await bindings.create(
      { db: deps.db, clock: deps.clock, actor: null, origin: { ...origin, role: origin.role ?? 'demo-ca' } },
      {
        accountId: account.id,
        organizationId: account.organizationId,
        sign: sign.certificate,
        enc: enc.certificate,
        method: codeMatches ? 'credit-code' : 'staff-confirmed',
      },
    );
  }

  const directory = opts.outDir ?? (opts.dataDir ? path.join(opts.dataDir, 'certs', opts.username) : null);
  if (directory) {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const files: [string, string, number][] = [
      ['sign.key.pem', sign.pair.privateKeyPem, 0o600],
      ['sign.cert.pem', sign.pair.certificatePem, 0o644],
      ['enc.key.pem', enc.pair.privateKeyPem, 0o600],
      ['enc.cert.pem', enc.pair.certificatePem, 0o644],
      ['ca.cert.pem', ca.certificatePem, 0o644],
    ];
    for (const [name, content, mode] of files) {
      const file = path.join(directory, name);
      await writeFile(file, content, { mode });
      // writeFile's mode applies only to new files; an existing key file must not stay readable.
      await chmod(file, mode);
    }
  }
  return {
    username: account.username,
    accountId: account.id,
    subject: sign.certificate.subject.text,
    creditCode: sign.certificate.creditCode,
    caCertificatePem: ca.certificatePem,
    sign: sign.pair,
    encryption: enc.pair,
    directory,
    binding,
  };
}
