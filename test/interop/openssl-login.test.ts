import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseCertificate } from '../../src/platform/certs/index.ts';
import { type CertTestApp, makeCertTestApp, type TestAccount } from './support/cert-app.ts';
import {
  DISTID,
  type OpensslChain,
  openssl,
  opensslChain,
  opensslCrl,
  opensslStatus,
} from './support/pki.ts';

/**
 * Certificate login end to end with keys and certificates OpenSSL made: the challenge text is signed by
 * `openssl dgst`, exactly as docs/certificates.md tells a holder to do by hand.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'ggzy-interop-login-'));
let t: CertTestApp;
let operatorCookie: string;
const CODE = '91150100MA0N0R0B39';

beforeAll(async () => {
  t = await makeCertTestApp();
  operatorCookie = await t.cookieFor(await t.makeAccount({ roles: ['operator'] }));
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** OpenSSL stamps its certificates with the real time; the test clock moves to just inside them. */
function clockInto(chain: OpensslChain): void {
  const latest = Math.max(
    ...[chain.root, chain.intermediate, chain.sign.cert, chain.enc.cert].map((f) =>
      parseCertificate(readFileSync(f)).notBefore.getTime(),
    ),
  );
  if (t.clock.now().getTime() < latest) t.clock.set(new Date(latest + 1000));
}

async function bindOpensslPair(chain: OpensslChain, account: TestAccount) {
  clockInto(chain);
  const added = await t.post(
    '/api/certs/trust/cas',
    { certificate: readFileSync(chain.root, 'utf8') },
    operatorCookie,
  );
  expect(added.statusCode, added.body).toBe(201);
  const res = await t.post(
    '/api/certs/bindings',
    {
      signCertificate: readFileSync(chain.sign.cert, 'utf8'),
      encryptionCertificate: readFileSync(chain.enc.cert, 'utf8'),
      chain: [readFileSync(chain.intermediate, 'utf8')],
    },
    await t.cookieFor(account),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string; method: string | null };
}

/** Gets a challenge, has `openssl dgst` sign its text, and logs in with the result. */
async function opensslLogin(
  username: string,
  key: string,
  certPem: string,
  kind: 'sm2' | 'rsa',
  chain: string[] = [],
) {
  const c = (await t.post('/api/auth/cert/challenge', { username })).json() as {
    challengeId: string;
    challenge: string;
  };
  const challengeFile = path.join(dir, `challenge-${c.challengeId.slice(0, 8)}.txt`);
  writeFileSync(challengeFile, c.challenge, 'utf8');
  const digest = kind === 'sm2' ? ['-sm3', '-sigopt', DISTID] : ['-sha256'];
  openssl(['dgst', ...digest, '-sign', key, '-out', `${challengeFile}.sig`, challengeFile], dir);
  return t.post('/api/auth/cert/login', {
    challengeId: c.challengeId,
    certificate: certPem,
    signature: readFileSync(`${challengeFile}.sig`).toString('base64'),
    chain,
  });
}

describe('certificate login with OpenSSL-made credentials', () => {
  test('SM2: an OpenSSL chain, bound by the credit code in its OU, logs in; its CRL then revokes it', async () => {
    const chain = opensslChain(path.join(dir, 'sm2'), 'sm2', { creditCode: CODE });
    const account = await t.makeAccount({ creditCode: CODE });
    expect(await bindOpensslPair(chain, account)).toMatchObject({ status: 'bound', method: 'credit-code' });
    const intermediate = readFileSync(chain.intermediate, 'utf8');
    const ok = await opensslLogin(
      account.username,
      chain.sign.key,
      readFileSync(chain.sign.cert, 'utf8'),
      'sm2',
      [intermediate],
    );
    expect(ok.statusCode, ok.body).toBe(200);

    // The intermediate joins the store so its CRL has a trusted signer.
    expect(
      (await t.post('/api/certs/trust/cas', { certificate: intermediate }, operatorCookie)).statusCode,
    ).toBe(201);
    const crl = opensslCrl(
      path.join(dir, 'sm2-crl'),
      { cert: chain.intermediate, key: path.join(chain.dir, 'int.key') },
      chain.sign.cert,
      'sm2',
    );
    const loaded = await t.post('/api/certs/trust/crls', { crl: readFileSync(crl, 'utf8') }, operatorCookie);
    expect(loaded.statusCode, loaded.body).toBe(201);
    const revoked = await opensslLogin(
      account.username,
      chain.sign.key,
      readFileSync(chain.sign.cert, 'utf8'),
      'sm2',
    );
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json()).toMatchObject({ code: 'CERT_REVOKED', title: '证书已被吊销' });
  });

  test('RSA: an OpenSSL chain logs in after staff confirm the binding', async () => {
    const chain = opensslChain(path.join(dir, 'rsa'), 'rsa');
    const account = await t.makeAccount({ creditCode: null });
    const binding = await bindOpensslPair(chain, account);
    expect(binding.status).toBe('pending');
    const confirmed = await t.post(`/api/certs/bindings/${binding.id}/confirm`, undefined, operatorCookie);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const res = await opensslLogin(
      account.username,
      chain.sign.key,
      readFileSync(chain.sign.cert, 'utf8'),
      'rsa',
      [readFileSync(chain.intermediate, 'utf8')],
    );
    expect(res.statusCode, res.body).toBe(200);
  });

  test('the demo CA’s certificates verify with `openssl verify`, and its key files sign with `openssl dgst`', async () => {
    const account = await t.makeAccount({ creditCode: null, displayName: '周杰（投标人三）' });
    const issued = await t.certs.demoCa.issue({ username: account.username });
    const files = (name: string) => path.join(issued.directory!, name);
    for (const cert of ['sign.cert.pem', 'enc.cert.pem']) {
      expect(
        opensslStatus(['verify', '-CAfile', files('ca.cert.pem'), '-vfyopt', DISTID, files(cert)], dir),
      ).toMatchObject({ status: 0 });
    }
    const res = await opensslLogin(
      account.username,
      files('sign.key.pem'),
      readFileSync(files('sign.cert.pem'), 'utf8'),
      'sm2',
    );
    expect(res.statusCode, res.body).toBe(200);
    // The encryption key, used to sign, is refused for its key usage.
    const wrong = await opensslLogin(
      account.username,
      files('enc.key.pem'),
      readFileSync(files('enc.cert.pem'), 'utf8'),
      'sm2',
    );
    expect(wrong.json()).toMatchObject({ code: 'CERT_WRONG_KEY_USAGE', title: '证书用途不符' });
  });
});
