/**
 * Certificate login bench (证书登录, §32): `node --import tsx bench/cert-login.bench.ts`.
 *
 * End to end through app.inject on the embedded database (PGlite in a temporary directory, as
 * `npm start` runs): POST /api/auth/cert/challenge, the client signs the challenge with an SM2 demo
 * certificate's key, POST /api/auth/cert/login (signature, chain to the demo root, CRL lookup, binding,
 * session + witness events). Baseline in the same run: password login (argon2id) on the same server.
 * Target: certificate login p95 < 50 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPrivateKey, signDetached } from '../src/platform/certs/index.ts';
import { sm2Verify } from '../src/platform/crypto/index.ts';
import { makeCertTestApp, PASSWORD } from '../test/interop/support/cert-app.ts';

const LOGINS = 300;
const WARMUP = 20;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ggzy-bench-cert-'));
  const t = await makeCertTestApp({ embeddedDir: path.join(dir, 'pglite') });
  try {
    const account = await t.makeAccount({ creditCode: null, displayName: '赵刚（投标人一）' });
    const issued = await t.certs.demoCa.issue({ username: account.username });
    const key = loadPrivateKey(issued.sign.privateKeyPem);

    const passwordLogin = async () => {
      const res = await t.post('/api/auth/login', { username: account.username, password: PASSWORD });
      if (res.statusCode !== 200) throw new Error(`password login failed: ${res.body}`);
    };
    const certLogin = async () => {
      const started = performance.now();
      const challenge = await t.post('/api/auth/cert/challenge', { username: account.username });
      const serverChallenge = performance.now() - started;
      const c = challenge.json() as { challengeId: string; challenge: string };
      const signStarted = performance.now();
      const signature = Buffer.from(signDetached(key, Buffer.from(c.challenge, 'utf8')).signature).toString(
        'base64',
      );
      const client = performance.now() - signStarted;
      const loginStarted = performance.now();
      const res = await t.post('/api/auth/cert/login', {
        challengeId: c.challengeId,
        certificate: issued.sign.certificatePem,
        signature,
      });
      const serverLogin = performance.now() - loginStarted;
      if (res.statusCode !== 200) throw new Error(`certificate login failed: ${res.body}`);
      return {
        server: serverChallenge + serverLogin,
        login: serverLogin,
        total: performance.now() - started,
        client,
      };
    };

    for (let i = 0; i < WARMUP; i++) {
      await passwordLogin();
      await certLogin();
    }
    const password: number[] = [];
    const server: number[] = [];
    const loginOnly: number[] = [];
    const total: number[] = [];
    const client: number[] = [];
    // Interleaved, so both see the same database size and the same machine load.
    for (let i = 0; i < LOGINS; i++) {
      const started = performance.now();
      await passwordLogin();
      password.push(performance.now() - started);
      const r = await certLogin();
      server.push(r.server);
      loginOnly.push(r.login);
      total.push(r.total);
      client.push(r.client);
    }

    // What one SM2 verification costs here (crypto's sm2Verify): a login does one for the challenge; the
    // certificate's own signature is remembered after the first login.
    const message = Buffer.from('ggzy');
    const sig = signDetached(key, message).signature;
    const verifyStarted = performance.now();
    for (let i = 0; i < 50; i++) if (key.kind === 'sm2') sm2Verify(key.sm2.publicKey, message, sig);
    const verifyMs = (performance.now() - verifyStarted) / 50;

    console.log(`embedded PGlite, ${LOGINS} logins each, interleaved, after ${WARMUP} warm-up logins`);
    console.log(
      `certificate login (challenge + login, server side): p50 ${ms(percentile(server, 50))}, p95 ${ms(percentile(server, 95))}` +
        `  (target p95 < 50 ms: ${percentile(server, 95) < 50 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  of which POST /api/auth/cert/login alone: p50 ${ms(percentile(loginOnly, 50))}, p95 ${ms(percentile(loginOnly, 95))}`,
    );
    console.log(
      `  end to end with the client's SM2 signing: p50 ${ms(percentile(total, 50))}, p95 ${ms(percentile(total, 95))}` +
        ` (client signing p50 ${ms(percentile(client, 50))})`,
    );
    console.log(
      `baseline password login (argon2id): p50 ${ms(percentile(password, 50))}, p95 ${ms(percentile(password, 95))}`,
    );
    console.log(`  one SM2 verification (crypto's sm2Verify, GM/T 0009 ID): ${ms(verifyMs)}`);
  } finally {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
