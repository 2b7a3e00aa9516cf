import type { Kysely } from 'kysely';
import type { Clock } from '../clock/index.ts';
import { createBindings } from './bindings.ts';
import { createCertLogin, type OpenSession, sessionCertificateFactor } from './cert-login.ts';
import { type DemoCaDeps, type IssueDemoOptions, issueDemoCertificates, loadDemoCa } from './demo-ca.ts';
import { type CertsDb, createTrustStore } from './trust-store.ts';

export interface CertsDeps {
  db: Kysely<CertsDb>;
  /** Platform time (witness timestamps, records). */
  clock: Clock;
  /** Real time: certificate validity and challenge lifetimes (pass the session clock). */
  securityClock: Clock;
  /** identity.openSession — opens and witnesses a session like password login does. */
  openSession: OpenSession;
  /** The platform's public URL (or a fixed name), written into every login challenge. */
  platform: string;
  /** Data directory: demo certificates are written under `<dataDir>/certs/<username>/`. */
  dataDir?: string;
}

/** 证书与信任 (§32 CA 互认): trust store and CRLs, dual-certificate bindings, certificate login, demo CA. */
export function createCertsModule(deps: CertsDeps) {
  const trust = createTrustStore(deps);
  const bindings = createBindings({ trust });
  const login = createCertLogin({
    trust,
    securityClock: deps.securityClock,
    openSession: deps.openSession,
    platform: deps.platform,
  });
  const demoDeps: DemoCaDeps = { db: deps.db, clock: deps.clock, securityClock: deps.securityClock };
  return {
    trust,
    bindings,
    login,
    demoCa: {
      load: () => loadDemoCa(demoDeps),
      issue: (opts: Omit<IssueDemoOptions, 'dataDir'>) =>
        issueDemoCertificates(demoDeps, { ...opts, ...(deps.dataDir ? { dataDir: deps.dataDir } : {}) }),
    },
    sessionCertificateFactor: (sessionId: string) => sessionCertificateFactor(deps.db, sessionId),
  };
}

export type CertsModule = ReturnType<typeof createCertsModule>;
