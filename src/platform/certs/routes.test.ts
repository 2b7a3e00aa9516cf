import { randomInt } from 'node:crypto';
import { CRLReasons } from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CertTestApp,
  makeCertTestApp,
  type TestAccount,
} from '../../../test/interop/support/cert-app.ts';
import { type Issued, makeCa, makeCrl, makeLeaf, rsaKey } from '../../../test/interop/support/pki.ts';
import { sm2Sign } from '../crypto/index.ts';
import { creditCodeCheckCharacter } from './credit-code.ts';
import { toPem } from './pem.ts';
import { signData } from './signatures.ts';

/** The certs part over HTTP: trust store, bindings, certificate login and second factor (§32). */
let t: CertTestApp;
let operator: TestAccount;
let operatorCookie: string;
let root: Issued;
let intermediate: Issued;
const DAY = 86_400_000;

const pem = (i: Issued) => toPem('CERTIFICATE', i.certificate.der);

beforeAll(async () => {
  t = await makeCertTestApp();
  operator = await t.makeAccount({ roles: ['operator'] });
  operatorCookie = await t.cookieFor(operator);
  root = makeCa('互认根CA', t.clock.now());
  intermediate = makeCa('互认中级CA', t.clock.now(), root, { basicConstraints: { ca: true, pathLen: 0 } });
  const added = await t.post('/api/certs/trust/cas', { certificate: pem(root) }, operatorCookie);
  expect(added.statusCode).toBe(201);
});

afterAll(async () => {
  await t?.close();
});

/** A holder: an account (with a credit code unless told otherwise) and a dual pair bound to it. */
async function holder(opts: { creditCode?: string | null; bind?: boolean; issuer?: Issued } = {}) {
  const creditCode = opts.creditCode === undefined ? randomCreditCode() : opts.creditCode;
  const account = await t.makeAccount({ creditCode, displayName: '钱七' });
  const issuer = opts.issuer ?? intermediate;
  const sign = makeLeaf(issuer, t.clock.now(), { name: '钱七', ...(creditCode ? { creditCode } : {}) });
  const enc = makeLeaf(issuer, t.clock.now(), {
    name: '钱七',
    usage: 'enc',
    ...(creditCode ? { creditCode } : {}),
  });
  const cookie = await t.cookieFor(account);
  if (opts.bind ?? true) {
    const res = await t.post(
      '/api/certs/bindings',
      {
        signCertificate: pem(sign),
        encryptionCertificate: pem(enc),
        chain: issuer === root ? [] : [pem(intermediate)],
      },
      cookie,
    );
    expect(res.statusCode, res.body).toBe(201);
  }
  return { account, sign, enc, cookie };
}

/** A valid 统一社会信用代码 no other test uses (organisations' codes are unique). */
function randomCreditCode(): string {
  const first17 = `91150100MA${String(randomInt(1_000_000, 10_000_000))}`;
  return first17 + creditCodeCheckCharacter(first17)!;
}

async function challenge(username?: string) {
  const res = await t.post('/api/auth/cert/challenge', username ? { username } : {});
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { challengeId: string; challenge: string; issuedAt: string; expiresAt: string };
}

function answer(
  c: { challengeId: string; challenge: string },
  signer: Issued,
  extra: Record<string, unknown> = {},
) {
  return {
    challengeId: c.challengeId,
    certificate: pem(signer),
    signature: Buffer.from(signData(signer.key, Buffer.from(c.challenge, 'utf8')).signature).toString(
      'base64',
    ),
    chain: [pem(intermediate)],
    ...extra,
  };
}

function expectProblem(
  res: { statusCode: number; json(): unknown; headers: Record<string, unknown> },
  status: number,
  code: string,
  title: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/application\/problem\+json/);
  expect(res.json()).toMatchObject({ code, title });
  return res.json() as { detail: string };
}

describe('trust store 信任列表', () => {
  test('operators add roots and intermediates of RSA and SM2 alike; each addition is witnessed', async () => {
    const rsaRoot = makeCa('RSA 互认根CA', t.clock.now(), undefined, { key: rsaKey() });
    const res = await t.post(
      '/api/certs/trust/cas',
      { certificate: Buffer.from(rsaRoot.certificate.der).toString('base64') },
      operatorCookie,
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      keyType: 'rsa',
      isRoot: true,
      status: 'active',
      subject: 'C=CN, O=测试CA机构, CN=RSA 互认根CA',
    });
    const inter = await t.post('/api/certs/trust/cas', { certificate: pem(intermediate) }, operatorCookie);
    expect(inter.statusCode).toBe(201);
    expect(inter.json()).toMatchObject({ keyType: 'sm2', isRoot: false });
    expect(await t.witnessActions(rsaRoot.certificate.fingerprintSha256)).toEqual(['trust.ca.added']);
    const list = await t.get('/api/certs/trust/cas', operatorCookie);
    const fingerprints = (list.json() as { items: { fingerprint: string }[] }).items.map(
      (i) => i.fingerprint,
    );
    expect(fingerprints).toEqual(
      expect.arrayContaining([root.certificate.fingerprintSha256, rsaRoot.certificate.fingerprintSha256]),
    );
    const publicList = await t.get('/api/certs/trusted-cas');
    expect(publicList.statusCode).toBe(200);
  });

  test('only operators manage it; bad, non-CA, unanchored and duplicate certificates are refused in Chinese', async () => {
    const { cookie } = await holder({ bind: false });
    expectProblem(
      await t.post('/api/certs/trust/cas', { certificate: pem(root) }, cookie),
      403,
      'ROLE_FORBIDDEN',
      '无权执行此操作',
    );
    expectProblem(
      await t.post(
        '/api/certs/trust/cas',
        { certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' },
        operatorCookie,
      ),
      400,
      'CERT_MALFORMED',
      '证书格式错误',
    );
    const leaf = makeLeaf(intermediate, t.clock.now());
    expectProblem(
      await t.post('/api/certs/trust/cas', { certificate: pem(leaf) }, operatorCookie),
      400,
      'CERT_WRONG_KEY_USAGE',
      '证书用途不符',
    );
    const stranger = makeCa('陌生中级CA', t.clock.now(), makeCa('陌生根CA', t.clock.now()));
    expectProblem(
      await t.post('/api/certs/trust/cas', { certificate: pem(stranger) }, operatorCookie),
      400,
      'CERT_UNTRUSTED_ISSUER',
      '证书颁发者不受信任',
    );
    expectProblem(
      await t.post('/api/certs/trust/cas', { certificate: pem(root) }, operatorCookie),
      409,
      'CA_ALREADY_TRUSTED',
      'CA证书已在信任列表中',
    );
  });

  test('a disabled CA no longer anchors logins; adding it again enables it', async () => {
    const ownRoot = makeCa('可停用根CA', t.clock.now());
    expect(
      (await t.post('/api/certs/trust/cas', { certificate: pem(ownRoot) }, operatorCookie)).statusCode,
    ).toBe(201);
    const h = await holder({ issuer: ownRoot });
    const fp = ownRoot.certificate.fingerprintSha256;
    const disabled = await t.post(`/api/certs/trust/cas/${fp}/disable`, undefined, operatorCookie);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ status: 'disabled' });
    const c = await challenge(h.account.username);
    const detail = expectProblem(
      await t.post('/api/auth/cert/login', answer(c, h.sign, { chain: [] })),
      401,
      'CERT_UNTRUSTED_ISSUER',
      '证书颁发者不受信任',
    ).detail;
    expect(detail).toMatch(/已被交易中心停用/);
    expect(
      (await t.post('/api/certs/trust/cas', { certificate: pem(ownRoot) }, operatorCookie)).statusCode,
    ).toBe(201);
    const again = await challenge(h.account.username);
    expect((await t.post('/api/auth/cert/login', answer(again, h.sign, { chain: [] }))).statusCode).toBe(200);
    expect(await t.witnessActions(fp)).toEqual(['trust.ca.added', 'trust.ca.disabled', 'trust.ca.enabled']);
  });

  test('CRLs load only with a valid signature of a trusted CA; older ones are refused, the same one is idempotent', async () => {
    const ca = makeCa('CRL 测试根CA', t.clock.now());
    expect((await t.post('/api/certs/trust/cas', { certificate: pem(ca) }, operatorCookie)).statusCode).toBe(
      201,
    );
    const victim = makeLeaf(ca, t.clock.now());
    const crl = toPem(
      'X509 CRL',
      makeCrl(ca, t.clock.now(), [{ certificate: victim.certificate, reason: CRLReasons.superseded }], 2),
    );
    const loaded = await t.post('/api/certs/trust/crls', { crl }, operatorCookie);
    expect(loaded.statusCode, loaded.body).toBe(201);
    expect(loaded.json()).toMatchObject({
      crlNumber: '2',
      revokedCount: 1,
      issuerFingerprint: ca.certificate.fingerprintSha256,
    });
    expect(await t.witnessActions(ca.certificate.fingerprintSha256)).toContain('trust.crl.loaded');
    expect((await t.post('/api/certs/trust/crls', { crl }, operatorCookie)).json()).toMatchObject({
      alreadyLoaded: true,
    });
    const older = toPem('X509 CRL', makeCrl(ca, new Date(t.clock.now().getTime() - DAY), [], 1));
    expectProblem(
      await t.post('/api/certs/trust/crls', { crl: older }, operatorCookie),
      409,
      'CRL_OUTDATED',
      '证书吊销列表不是最新的',
    );
    const unknownCa = makeCa('未加入的CA', t.clock.now());
    expectProblem(
      await t.post(
        '/api/certs/trust/crls',
        { crl: toPem('X509 CRL', makeCrl(unknownCa, t.clock.now(), [])) },
        operatorCookie,
      ),
      400,
      'CERT_UNTRUSTED_ISSUER',
      '证书颁发者不受信任',
    );
    const forged = makeCrl(
      { certificate: ca.certificate, key: unknownCa.key },
      new Date(t.clock.now().getTime() + 1000),
      [],
      3,
    );
    expectProblem(
      await t.post('/api/certs/trust/crls', { crl: toPem('X509 CRL', forged) }, operatorCookie),
      400,
      'CERT_BAD_SIGNATURE',
      '签名验证失败',
    );
    expectProblem(
      await t.post('/api/certs/trust/crls', { crl: 'garbage' }, operatorCookie),
      400,
      'CRL_MALFORMED',
      '证书吊销列表（CRL）格式错误',
    );
  });
});

describe('dual-certificate bindings 双证书绑定', () => {
  test('bound at once when the certificate carries the organisation’s credit code, and witnessed', async () => {
    const h = await holder();
    const mine = await t.get('/api/certs/bindings/mine', h.cookie);
    const [binding] = (
      mine.json() as { items: { id: string; status: string; method: string; creditCode: string }[] }
    ).items;
    expect(binding).toMatchObject({
      status: 'bound',
      method: 'credit-code',
      creditCode: h.account.creditCode,
    });
    expect(await t.witnessActions(binding!.id)).toEqual(['cert.binding.created']);
  });

  test('pending without a matching code until an operator confirms; login waits for it', async () => {
    const h = await holder({ creditCode: null });
    const [binding] = (await t.get('/api/certs/bindings/mine', h.cookie)).json().items as {
      id: string;
      status: string;
    }[];
    expect(binding!.status).toBe('pending');
    const c = await challenge(h.account.username);
    expectProblem(
      await t.post('/api/auth/cert/login', answer(c, h.sign)),
      401,
      'CERT_BINDING_PENDING',
      '证书绑定待交易中心确认',
    );
    const pending = await t.get('/api/certs/bindings?status=pending', operatorCookie);
    expect((pending.json() as { items: { id: string }[] }).items.map((i) => i.id)).toContain(binding!.id);
    expectProblem(
      await t.post(`/api/certs/bindings/${binding!.id}/confirm`, undefined, h.cookie),
      403,
      'ROLE_FORBIDDEN',
      '无权执行此操作',
    );
    const confirmed = await t.post(`/api/certs/bindings/${binding!.id}/confirm`, undefined, operatorCookie);
    expect(confirmed.json()).toMatchObject({ status: 'bound', method: 'staff-confirmed' });
    expect(await t.witnessActions(binding!.id)).toEqual(['cert.binding.created', 'cert.binding.confirmed']);
    const again = await challenge(h.account.username);
    expect((await t.post('/api/auth/cert/login', answer(again, h.sign))).statusCode).toBe(200);
  });

  test('a swapped pair, a certificate already bound elsewhere, and someone else’s binding are refused', async () => {
    const h = await holder();
    const other = await holder({ bind: false });
    expectProblem(
      await t.post(
        '/api/certs/bindings',
        { signCertificate: pem(h.enc), encryptionCertificate: pem(h.sign), chain: [pem(intermediate)] },
        other.cookie,
      ),
      400,
      'CERT_WRONG_KEY_USAGE',
      '证书用途不符',
    );
    expectProblem(
      await t.post(
        '/api/certs/bindings',
        { signCertificate: pem(h.sign), encryptionCertificate: pem(h.enc), chain: [pem(intermediate)] },
        other.cookie,
      ),
      409,
      'CERT_ALREADY_BOUND',
      '该签名证书已绑定',
    );
    const [binding] = (await t.get('/api/certs/bindings/mine', h.cookie)).json().items as { id: string }[];
    expectProblem(
      await t.post(`/api/certs/bindings/${binding!.id}/revoke`, undefined, other.cookie),
      404,
      'BINDING_NOT_FOUND',
      '证书绑定不存在',
    );
    expect(
      (await t.post(`/api/certs/bindings/${binding!.id}/revoke`, undefined, h.cookie)).json(),
    ).toMatchObject({ status: 'revoked' });
    const c = await challenge();
    expectProblem(
      await t.post('/api/auth/cert/login', answer(c, h.sign)),
      401,
      'CERT_NOT_BOUND',
      '证书未绑定平台账号',
    );
  });
});

describe('certificate login 证书登录', () => {
  test('SM2: challenge, signature, session — the cookie works, and both the session and the login are witnessed', async () => {
    const h = await holder();
    const c = await challenge(h.account.username);
    expect(c.challenge.split('\n')).toEqual([
      'ggzy-cert-challenge/1',
      'platform: https://ggzy.test',
      'purpose: login',
      `nonce: ${c.challengeId}`,
      `issued-at: ${c.issuedAt}`,
      `account: ${h.account.username}`,
    ]);
    expect(new Date(c.expiresAt).getTime() - new Date(c.issuedAt).getTime()).toBe(120_000);
    const res = await t.post('/api/auth/cert/login', answer(c, h.sign));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      account: { username: h.account.username },
      certificate: { fingerprint: h.sign.certificate.fingerprintSha256 },
    });
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/i);
    const me = await t.get('/api/auth/me', cookie);
    expect(me.json()).toMatchObject({ username: h.account.username });
    expect(await t.witnessActions(h.account.id)).toContain('session.opened');
    const [binding] = (await t.get('/api/certs/bindings/mine', cookie)).json().items as { id: string }[];
    expect(await t.witnessActions(binding!.id)).toContain('cert.login');
  });

  test('a challenge without a username, and a bearer token for API clients', async () => {
    const h = await holder();
    const c = await challenge();
    expect(c.challenge).toMatch(/\naccount: \*$/);
    const res = await t.post('/api/auth/cert/login', { ...answer(c, h.sign), tokenKind: 'bearer' });
    expect(res.statusCode).toBe(200);
    const { token } = res.json() as { token: string };
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({ username: h.account.username });
  });

  test('RSA holders log in the same way (PKCS #1 v1.5 with SHA-256)', async () => {
    const rsaRoot = makeCa('RSA 登录根CA', t.clock.now(), undefined, { key: rsaKey() });
    expect(
      (await t.post('/api/certs/trust/cas', { certificate: pem(rsaRoot) }, operatorCookie)).statusCode,
    ).toBe(201);
    const account = await t.makeAccount({ creditCode: null });
    const sign = makeLeaf(rsaRoot, t.clock.now(), { key: rsaKey() });
    const enc = makeLeaf(rsaRoot, t.clock.now(), { usage: 'enc', key: rsaKey() });
    const cookie = await t.cookieFor(account);
    const bound = await t.post(
      '/api/certs/bindings',
      { signCertificate: pem(sign), encryptionCertificate: pem(enc) },
      cookie,
    );
    await t.post(
      `/api/certs/bindings/${(bound.json() as { id: string }).id}/confirm`,
      undefined,
      operatorCookie,
    );
    const c = await challenge(account.username);
    expect((await t.post('/api/auth/cert/login', answer(c, sign, { chain: [] }))).statusCode).toBe(200);
  });

  test('a replayed challenge: CHALLENGE_REPLAYED, even after a failed attempt', async () => {
    const h = await holder();
    const c = await challenge(h.account.username);
    expect((await t.post('/api/auth/cert/login', answer(c, h.sign))).statusCode).toBe(200);
    expectProblem(
      await t.post('/api/auth/cert/login', answer(c, h.sign)),
      401,
      'CHALLENGE_REPLAYED',
      '登录质询已被使用',
    );
    const failed = await challenge(h.account.username);
    await t.post('/api/auth/cert/login', answer(failed, h.sign, { signature: 'AAAA' }));
    expectProblem(
      await t.post('/api/auth/cert/login', answer(failed, h.sign)),
      401,
      'CHALLENGE_REPLAYED',
      '登录质询已被使用',
    );
    expectProblem(
      await t.post('/api/auth/cert/login', answer({ ...c, challengeId: 'x'.repeat(43) }, h.sign)),
      401,
      'CHALLENGE_UNKNOWN',
      '登录质询不存在',
    );
  });

  test('an expired challenge: CHALLENGE_EXPIRED after two minutes by the server clock', async () => {
    const h = await holder();
    const c = await challenge(h.account.username);
    t.clock.advance(120_001);
    const detail = expectProblem(
      await t.post('/api/auth/cert/login', answer(c, h.sign)),
      401,
      'CHALLENGE_EXPIRED',
      '登录质询已过期',
    ).detail;
    expect(detail).toMatch(/有效期为 2 分钟/);
  });

  test('a challenge requested for another user: CHALLENGE_WRONG_ACCOUNT', async () => {
    const a = await holder();
    const b = await holder();
    const c = await challenge(a.account.username);
    const detail = expectProblem(
      await t.post('/api/auth/cert/login', answer(c, b.sign)),
      401,
      'CHALLENGE_WRONG_ACCOUNT',
      '登录质询不属于该账号',
    ).detail;
    expect(detail).toMatch(a.account.username);
  });

  test('a signature over other bytes, or an SM2 signature with another user ID: CERT_BAD_SIGNATURE', async () => {
    const h = await holder();
    const c = await challenge(h.account.username);
    const otherBytes = Buffer.from(
      signData(h.sign.key, Buffer.from(`${c.challenge}\n`, 'utf8')).signature,
    ).toString('base64');
    const detail = expectProblem(
      await t.post('/api/auth/cert/login', answer(c, h.sign, { signature: otherBytes })),
      401,
      'CERT_BAD_SIGNATURE',
      '签名验证失败',
    ).detail;
    expect(detail).toMatch(/质询原文不符/);
    const c2 = await challenge(h.account.username);
    if (h.sign.key.kind !== 'sm2') throw new Error('SM2 expected');
    const otherId = Buffer.from(
      sm2Sign(h.sign.key.sm2, Buffer.from(c2.challenge, 'utf8'), { userId: 'ALICE123@YAHOO.COM' }),
    ).toString('base64');
    const res = await t.post('/api/auth/cert/login', answer(c2, h.sign, { signature: otherId }));
    expect(expectProblem(res, 401, 'CERT_BAD_SIGNATURE', '签名验证失败').detail).toMatch(/1234567812345678/);
  });

  test('an encryption certificate used to sign the challenge: CERT_WRONG_KEY_USAGE', async () => {
    const h = await holder();
    const c = await challenge(h.account.username);
    const detail = expectProblem(
      await t.post('/api/auth/cert/login', answer(c, h.enc)),
      401,
      'CERT_WRONG_KEY_USAGE',
      '证书用途不符',
    ).detail;
    expect(detail).toMatch(/加密证书/);
  });

  test('revoked by a loaded CRL: CERT_REVOKED', async () => {
    const h = await holder();
    const crl = makeCrl(intermediate, t.clock.now(), [
      { certificate: h.sign.certificate, reason: CRLReasons.keyCompromise },
    ]);
    expect(
      (await t.post('/api/certs/trust/crls', { crl: toPem('X509 CRL', crl) }, operatorCookie)).statusCode,
    ).toBe(201);
    const c = await challenge(h.account.username);
    const detail = expectProblem(
      await t.post('/api/auth/cert/login', answer(c, h.sign)),
      401,
      'CERT_REVOKED',
      '证书已被吊销',
    ).detail;
    expect(detail).toMatch(/密钥泄露/);
  });

  test('expired and not-yet-valid certificates, by the server clock', async () => {
    const h = await holder();
    const now = t.clock.now();
    t.clock.advance(400 * DAY);
    try {
      const c = await challenge(h.account.username);
      expectProblem(
        await t.post('/api/auth/cert/login', answer(c, h.sign)),
        401,
        'CERT_EXPIRED',
        '证书已过期',
      );
    } finally {
      t.clock.set(now);
    }
    t.clock.advance(-2 * DAY);
    try {
      const c = await challenge(h.account.username);
      expectProblem(
        await t.post('/api/auth/cert/login', answer(c, h.sign)),
        401,
        'CERT_NOT_YET_VALID',
        '证书尚未生效',
      );
    } finally {
      t.clock.set(now);
    }
  });

  test('an untrusted issuer and a malformed certificate', async () => {
    const stranger = makeLeaf(makeCa('陌生根CA', t.clock.now()), t.clock.now());
    const c = await challenge();
    expectProblem(
      await t.post('/api/auth/cert/login', answer(c, stranger, { chain: [] })),
      401,
      'CERT_UNTRUSTED_ISSUER',
      '证书颁发者不受信任',
    );
    const c2 = await challenge();
    expectProblem(
      await t.post('/api/auth/cert/login', answer(c2, stranger, { certificate: 'MIIB' })),
      401,
      'CERT_MALFORMED',
      '证书格式错误',
    );
  });
});

describe('second factor 证书二次验证', () => {
  test('after a password login the session is marked certificate-verified, and witnessed', async () => {
    const h = await holder();
    const before = await t.get('/api/auth/cert/second-factor', h.cookie);
    expect(before.json()).toMatchObject({ verified: false });
    const c = (await t.post('/api/auth/cert/second-factor/challenge', undefined, h.cookie)).json() as {
      challengeId: string;
      challenge: string;
    };
    expect(c.challenge).toMatch(/purpose: second-factor/);
    const res = await t.post('/api/auth/cert/second-factor', answer(c, h.sign), h.cookie);
    expect(res.statusCode, res.body).toBe(200);
    const after = await t.get('/api/auth/cert/second-factor', h.cookie);
    expect(after.json()).toMatchObject({
      verified: true,
      signFingerprint: h.sign.certificate.fingerprintSha256,
    });
    const [binding] = (await t.get('/api/certs/bindings/mine', h.cookie)).json().items as { id: string }[];
    expect(await t.witnessActions(binding!.id)).toContain('session.cert-verified');
  });

  test('another account’s certificate, or another session’s challenge: CHALLENGE_WRONG_ACCOUNT', async () => {
    const a = await holder();
    const b = await holder();
    const c = (await t.post('/api/auth/cert/second-factor/challenge', undefined, a.cookie)).json() as {
      challengeId: string;
      challenge: string;
    };
    expectProblem(
      await t.post('/api/auth/cert/second-factor', answer(c, b.sign), a.cookie),
      403,
      'CHALLENGE_WRONG_ACCOUNT',
      '登录质询不属于该账号',
    );
    const other = (await t.post('/api/auth/cert/second-factor/challenge', undefined, a.cookie)).json() as {
      challengeId: string;
      challenge: string;
    };
    const secondSession = await t.cookieFor(a.account);
    expectProblem(
      await t.post('/api/auth/cert/second-factor', answer(other, a.sign), secondSession),
      403,
      'CHALLENGE_WRONG_ACCOUNT',
      '登录质询不属于该账号',
    );
    const login = await challenge();
    expectProblem(
      await t.post('/api/auth/cert/second-factor', answer(login, a.sign), a.cookie),
      403,
      'CHALLENGE_UNKNOWN',
      '登录质询不存在',
    );
  });

  test('the routes refuse anonymous callers', async () => {
    expect((await t.post('/api/auth/cert/second-factor/challenge', undefined)).statusCode).toBe(401);
    expect((await t.post('/api/certs/bindings', {})).statusCode).toBe(401);
    expect((await t.get('/api/certs/trust/cas')).statusCode).toBe(401);
  });
});
