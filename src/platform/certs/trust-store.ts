import type { Kysely } from 'kysely';
import type { Clock } from '../clock/index.ts';
import type { UseCaseContext } from '../context.ts';
import { Forbidden, NotFound, RuleViolation } from '../errors.ts';
import type { IdentityTables } from '../identity/index.ts';
import { appendWitnessEvent, type WitnessTables } from '../witness/index.ts';
import {
  type CertificatePurpose,
  checkOwnFields,
  checkPurpose,
  type RevocationChecker,
  type RevocationStatus,
  type StoredCa,
  signedBy,
  type TrustSource,
  type ValidatedChain,
  validateChain,
} from './chain.ts';
import { parseCrl } from './crl.ts';
import { CertificateError } from './errors.ts';
import { findCrlIssuer } from './revocation.ts';
import * as store from './store.ts';
import type { CertsTables } from './tables.ts';
import { type ParsedCertificate, parseCertificate, parseCertificateDer } from './x509.ts';

export type CertsDb = CertsTables & IdentityTables & WitnessTables;
export type CertsContext = UseCaseContext<CertsDb>;

/** The trust store as a TrustSource: CA certificates parsed once and kept by fingerprint. */
export class DbTrustSource implements TrustSource {
  private readonly parsed = new Map<string, ParsedCertificate>();
  constructor(private readonly db: Kysely<CertsDb>) {}

  async casNamed(nameKey: string): Promise<StoredCa[]> {
    const rows = await store.trustedCasNamed(this.db, nameKey);
    return rows.map((row) => ({
      certificate: this.parse(row.fingerprint, row.certificate_der),
      status: row.status,
    }));
  }

  private parse(fingerprint: string, der: Uint8Array): ParsedCertificate {
    let cert = this.parsed.get(fingerprint);
    if (!cert) {
      cert = parseCertificateDer(new Uint8Array(der));
      this.parsed.set(fingerprint, cert);
    }
    return cert;
  }
}

/** Revocation by the newest CRL loaded for the certificate's issuer (see revocation.ts). */
export class DbCrlChecker implements RevocationChecker {
  constructor(private readonly db: Kysely<CertsDb>) {}

  async check(certificate: ParsedCertificate): Promise<RevocationStatus> {
    const row = await store.revocationFromLatestCrl(
      this.db,
      certificate.issuer.key,
      certificate.serialNumber,
    );
    if (!row) return { status: 'unknown', reason: '未加载该CA的证书吊销列表' };
    if (row.revoked_at)
      return { status: 'revoked', source: 'crl', revokedAt: row.revoked_at, reason: row.reason };
    return { status: 'good', source: 'crl', thisUpdate: row.this_update, nextUpdate: row.next_update };
  }
}

export interface TrustStoreDeps {
  db: Kysely<CertsDb>;
  /**
   * Certificate validity, like session lifetimes, is security time: real time even when
   * GGZY_TIME_SCALE speeds platform time up for a demo.
   */
  securityClock: Clock;
}

/** 信任列表管理 (§32 CA 互认): 交易中心 staff add CA certificates, disable them and load CRLs. */
export function createTrustStore(deps: TrustStoreDeps) {
  const trust = new DbTrustSource(deps.db);
  const revocation = new DbCrlChecker(deps.db);

  /** Validates a certificate against the store, at the server's time now. */
  function validate(
    certificate: ParsedCertificate,
    opts: { purpose: CertificatePurpose; intermediates?: ParsedCertificate[] },
  ): Promise<ValidatedChain> {
    return validateChain(certificate, {
      at: deps.securityClock.now(),
      trust,
      revocation,
      purpose: opts.purpose,
      ...(opts.intermediates ? { intermediates: opts.intermediates } : {}),
    });
  }

  /** 添加CA证书: a root (self-signed) or an intermediate that chains to an active root here. */
  async function addCa(ctx: CertsContext, input: { certificate: string | Uint8Array }) {
    requireOperatorOrSystem(ctx, '添加受信任CA');
    const cert = parseCertificate(input.certificate);
    checkPurpose(cert, 'ca');
    const isRoot = cert.selfIssued && signedBy(cert, cert) === true;
    if (cert.selfIssued && !isRoot) {
      throw new CertificateError('CERT_BAD_SIGNATURE', signedBy(cert, cert) as string, {
        certificate: { subject: cert.subject.text, fingerprint: cert.fingerprintSha256 },
      });
    }
    if (isRoot) {
      checkOwnFields(cert, deps.securityClock.now());
    } else {
      // An intermediate joins the store only if it already chains to an active root here.
      await validate(cert, { purpose: 'ca' });
    }
    const existing = await store.findTrustedCa(ctx.db, cert.fingerprintSha256);
    if (existing?.status === 'active') {
      throw new RuleViolation('CA_ALREADY_TRUSTED', {
        title: 'CA证书已在信任列表中',
        detail: `${existing.subject}（SHA-256 ${existing.fingerprint}）已是受信任的CA。`,
      });
    }
    const at = ctx.clock.now();
    return ctx.db.transaction().execute(async (tx) => {
      if (existing) {
        await store.setTrustedCaStatus(tx, cert.fingerprintSha256, {
          status: 'active',
          by: ctx.actor?.accountId ?? null,
          at,
        });
      } else {
        await store.insertTrustedCa(tx, {
          fingerprint: cert.fingerprintSha256,
          fingerprint_sm3: cert.fingerprintSm3,
          subject: cert.subject.text,
          subject_key: cert.subject.key,
          issuer: cert.issuer.text,
          serial_number: cert.serialNumber,
          key_type: cert.publicKey.kind,
          is_root: isRoot,
          not_before: cert.notBefore,
          not_after: cert.notAfter,
          certificate_der: cert.der,
          status: 'active',
          added_by: ctx.actor?.accountId ?? null,
          added_at: at,
          disabled_by: null,
          disabled_at: null,
        });
      }
      await appendWitnessEvent(tx, at, ctx.origin, {
        entityType: 'trusted-ca',
        entityId: cert.fingerprintSha256,
        action: existing ? 'trust.ca.enabled' : 'trust.ca.added',
        payload: {
          subject: cert.subject.text,
          issuer: cert.issuer.text,
          serialNumber: cert.serialNumber,
          keyType: cert.publicKey.kind,
          isRoot,
          fingerprintSm3: cert.fingerprintSm3,
        },
      });
      return { certificate: cert, isRoot, reenabled: Boolean(existing) };
    });
  }

  /** 停用CA: paths through it fail from now on; the row stays for the record. */
  async function disableCa(ctx: CertsContext, fingerprint: string) {
    requireOperatorOrSystem(ctx, '停用受信任CA');
    return ctx.db.transaction().execute(async (tx) => {
      const existing = await store.findTrustedCa(tx, fingerprint);
      if (!existing) throw new NotFound('CA_NOT_FOUND', { title: '信任列表中没有该CA证书' });
      if (existing.status === 'disabled') {
        throw new RuleViolation('CA_ALREADY_DISABLED', { title: '该CA证书已停用' });
      }
      const at = ctx.clock.now();
      const row = await store.setTrustedCaStatus(tx, fingerprint, {
        status: 'disabled',
        by: ctx.actor?.accountId ?? null,
        at,
      });
      await appendWitnessEvent(tx, at, ctx.origin, {
        entityType: 'trusted-ca',
        entityId: fingerprint,
        action: 'trust.ca.disabled',
        payload: { subject: existing.subject },
      });
      return row!;
    });
  }

  /**
   * 加载CRL: its signature must verify with a CA in the store (RFC 5280 §6.3.3); an older CRL than the
   * newest loaded for that CA is refused, the same CRL again is answered as already loaded.
   */
  async function loadCrl(ctx: CertsContext, input: { crl: string | Uint8Array }) {
    requireOperatorOrSystem(ctx, '加载证书吊销列表');
    const crl = parseCrl(input.crl);
    const issuer = findCrlIssuer(crl, await trust.casNamed(crl.issuer.key));
    const same = await store.findCrlByFingerprint(ctx.db, crl.fingerprintSha256);
    if (same) return { crl, issuer: issuer.certificate, alreadyLoaded: true, crlId: same.id };
    const latest = await store.latestCrlOf(ctx.db, crl.issuer.key);
    if (latest && latest.this_update.getTime() >= crl.thisUpdate.getTime()) {
      throw new CertificateError(
        'CRL_OUTDATED',
        `已加载的 CRL 签发于 ${latest.this_update.toISOString()}，比这份（${crl.thisUpdate.toISOString()}）更新。`,
        { status: 409 },
      );
    }
    const at = ctx.clock.now();
    return ctx.db.transaction().execute(async (tx) => {
      const { id } = await store.insertCrl(tx, {
        issuer_key: crl.issuer.key,
        issuer: crl.issuer.text,
        issuer_fingerprint: issuer.certificate.fingerprintSha256,
        crl_number: crl.crlNumber,
        this_update: crl.thisUpdate,
        next_update: crl.nextUpdate,
        fingerprint: crl.fingerprintSha256,
        crl_der: crl.der,
        revoked_count: crl.revoked.length,
        loaded_by: ctx.actor?.accountId ?? null,
        loaded_at: at,
      });
      // A CRL may list a serial twice (a CA's bug); the first entry stands.
      const seen = new Set<string>();
      await store.insertCrlEntries(
        tx,
        crl.revoked
          .filter((r) => !seen.has(r.serialNumber) && seen.add(r.serialNumber))
          .map((r) => ({
            crl_id: id,
            serial_number: r.serialNumber,
            revoked_at: r.revokedAt,
            reason: r.reason,
          })),
      );
      await appendWitnessEvent(tx, at, ctx.origin, {
        entityType: 'trusted-ca',
        entityId: issuer.certificate.fingerprintSha256,
        action: 'trust.crl.loaded',
        payload: {
          crlFingerprint: crl.fingerprintSha256,
          issuer: crl.issuer.text,
          crlNumber: crl.crlNumber,
          thisUpdate: crl.thisUpdate.toISOString(),
          nextUpdate: crl.nextUpdate?.toISOString() ?? null,
          revokedCount: crl.revoked.length,
        },
      });
      return { crl, issuer: issuer.certificate, alreadyLoaded: false, crlId: id };
    });
  }

  return {
    trust,
    revocation,
    validate,
    addCa,
    disableCa,
    loadCrl,
    listCas: (opts: { status?: 'active' | 'disabled' } = {}) => store.listTrustedCas(deps.db, opts),
    findCa: (fingerprint: string) => store.findTrustedCa(deps.db, fingerprint),
    listCrls: () => store.listCrls(deps.db),
  };
}

export type TrustStore = ReturnType<typeof createTrustStore>;

/** 交易中心 staff, or the platform itself (the demo CA, the command line) acting without an actor. */
export function requireOperatorOrSystem(
  ctx: { actor: { roles: readonly string[] } | null },
  what: string,
): void {
  if (ctx.actor && !ctx.actor.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: `无权${what}`,
      detail: '只有交易中心管理员可以管理受信任CA。',
    });
  }
}
