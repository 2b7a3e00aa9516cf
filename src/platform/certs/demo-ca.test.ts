import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CertTestApp, makeCertTestApp } from '../../../test/interop/support/cert-app.ts';
import { NotFound } from '../errors.ts';
import { DEMO_CA_LABEL } from './demo-ca.ts';
import { loadPrivateKey, signData } from './signatures.ts';
import { parseCertificate } from './x509.ts';

let t: CertTestApp;
beforeAll(async () => {
  t = await makeCertTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('demo CA 演示CA', () => {
  test('is created once, marked as a demo in its name, trusted, and witnessed', async () => {
    const first = await t.certs.demoCa.load();
    const second = await t.certs.demoCa.load();
    expect(second.certificate.fingerprintSha256).toBe(first.certificate.fingerprintSha256);
    expect(first.certificate.subject.text).toContain(DEMO_CA_LABEL);
    expect(first.certificate.subject.text).toBe(
      'C=CN, O=ggzy 公共资源交易平台, OU=演示CA（仅供演示和测试）, CN=ggzy 演示CA（仅供演示和测试）',
    );
    expect(first.certificate.publicKey.kind).toBe('sm2');
    expect(first.certificate.extensions.basicConstraints).toMatchObject({ ca: true, pathLen: 0 });
    const cas = await t.certs.trust.listCas();
    expect(cas.find((c) => c.fingerprint === first.certificate.fingerprintSha256)).toMatchObject({
      status: 'active',
      is_root: true,
      added_by: null,
    });
    expect(await t.witnessActions(first.certificate.fingerprintSha256)).toEqual(['trust.ca.added']);
  });

  test('issues SM2 dual certificates with the organisation, the person and the credit code; files under the data dir', async () => {
    const account = await t.makeAccount({
      creditCode: '91150100MA0N0R0B39',
      organizationName: '内蒙古北疆建设工程有限公司（演示）',
      displayName: '赵刚（投标人一）',
    });
    const issued = await t.certs.demoCa.issue({ username: account.username });
    expect(issued.subject).toBe(
      'C=CN, O=内蒙古北疆建设工程有限公司（演示）, organizationIdentifier=91150100MA0N0R0B39, CN=赵刚（投标人一）',
    );
    expect(issued.creditCode).toBe('91150100MA0N0R0B39');
    expect(issued.binding).toMatchObject({ status: 'bound', method: 'credit-code', accountId: account.id });
    expect(issued.directory).toBe(path.join(t.dataDir, 'certs', account.username));

    const sign = parseCertificate(await readFile(path.join(issued.directory!, 'sign.cert.pem')));
    const enc = parseCertificate(await readFile(path.join(issued.directory!, 'enc.cert.pem')));
    expect(sign.extensions.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(enc.extensions.keyUsage).toEqual(['keyEncipherment', 'dataEncipherment']);
    expect(sign.issuer.text).toContain(DEMO_CA_LABEL);
    for (const name of ['sign.key.pem', 'enc.key.pem']) {
      expect((await stat(path.join(issued.directory!, name))).mode & 0o777).toBe(0o600);
    }
    const key = loadPrivateKey(await readFile(path.join(issued.directory!, 'sign.key.pem')));
    expect(Buffer.from(key.publicKey.spki).equals(Buffer.from(sign.publicKey.spki))).toBe(true);
  });

  test('a demo certificate logs in (happy path), with no chain to send: the demo root is in the store', async () => {
    const account = await t.makeAccount({ creditCode: null, displayName: '孙伟' });
    const issued = await t.certs.demoCa.issue({ username: account.username });
    expect(issued.binding).toMatchObject({ status: 'bound', method: 'staff-confirmed' });
    const c = (await t.post('/api/auth/cert/challenge', { username: account.username })).json() as {
      challengeId: string;
      challenge: string;
    };
    const key = loadPrivateKey(issued.sign.privateKeyPem);
    const res = await t.post('/api/auth/cert/login', {
      challengeId: c.challengeId,
      certificate: issued.sign.certificatePem,
      signature: Buffer.from(signData(key, Buffer.from(c.challenge, 'utf8')).signature).toString('base64'),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ account: { id: account.id } });
  });

  test('an unknown account is a Chinese NotFound', async () => {
    await expect(t.certs.demoCa.issue({ username: 'nobody_here' })).rejects.toBeInstanceOf(NotFound);
    await expect(t.certs.demoCa.issue({ username: 'nobody_here' })).rejects.toMatchObject({
      title: '账号不存在',
    });
  });
});
