import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { type CliIo, certInspect, certSign, certVerify } from '../../src/cli/cert.ts';
import { DISTID, openssl, opensslChain, opensslCrl, opensslStatus } from './support/pki.ts';

/**
 * The holders' tools against OpenSSL (DESIGN §5): signatures OpenSSL makes verify with `ggzy verify`,
 * and OpenSSL verifies the ones `ggzy sign` makes. The commands are tested as exported functions; once
 * src/cli/index.ts registers them, the same runs through `node bin/ggzy.js` below.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'ggzy-interop-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

const sm2 = opensslChain(path.join(dir, 'sm2'), 'sm2', { creditCode: '91150100MA0N0R0B39' });
const rsa = opensslChain(path.join(dir, 'rsa'), 'rsa');
const file = path.join(dir, '投标文件.txt');
writeFileSync(file, '投标报价：壹佰万元整\nbid price: 1,000,000 CNY\n');
const at = (name: string) => path.join(dir, name);

describe('ggzy sign / ggzy verify ↔ openssl dgst', () => {
  test('SM2: OpenSSL’s signature verifies with ggzy verify; ours with openssl dgst -sigopt distid', async () => {
    openssl(
      ['dgst', '-sm3', '-sign', sm2.sign.key, '-sigopt', DISTID, '-out', at('openssl-sm2.sig'), file],
      dir,
    );
    const io = capture();
    expect(await certVerify(file, { cert: sm2.sign.cert, sig: at('openssl-sm2.sig') }, io)).toBe(0);
    expect(io.lines[0]).toMatch(/^签名有效/);

    const mine = capture();
    expect(
      await certSign(file, { key: sm2.sign.key, cert: sm2.sign.cert, out: at('ggzy-sm2.sig') }, mine),
    ).toBe(0);
    openssl(['x509', '-in', sm2.sign.cert, '-noout', '-pubkey', '-out', at('sm2-pub.pem')], dir);
    expect(
      openssl(
        [
          'dgst',
          '-sm3',
          '-verify',
          at('sm2-pub.pem'),
          '-sigopt',
          DISTID,
          '-signature',
          at('ggzy-sm2.sig'),
          file,
        ],
        dir,
      ),
    ).toMatch(/Verified OK/);
    // …and not with the empty ID: the signature really carries the GM/T 0009 default ID.
    expect(
      opensslStatus(
        ['dgst', '-sm3', '-verify', at('sm2-pub.pem'), '-signature', at('ggzy-sm2.sig'), file],
        dir,
      ).status,
    ).not.toBe(0);
  });

  test('RSA (and ECDSA P-256): openssl dgst -sha256 both ways', async () => {
    openssl(['dgst', '-sha256', '-sign', rsa.sign.key, '-out', at('openssl-rsa.sig'), file], dir);
    expect(await certVerify(file, { cert: rsa.sign.cert, sig: at('openssl-rsa.sig') }, capture())).toBe(0);
    expect(
      await certSign(file, { key: rsa.sign.key, cert: rsa.sign.cert, out: at('ggzy-rsa.sig') }, capture()),
    ).toBe(0);
    openssl(['x509', '-in', rsa.sign.cert, '-noout', '-pubkey', '-out', at('rsa-pub.pem')], dir);
    expect(
      openssl(['dgst', '-sha256', '-verify', at('rsa-pub.pem'), '-signature', at('ggzy-rsa.sig'), file], dir),
    ).toMatch(/Verified OK/);

    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', at('ec.key')], dir);
    openssl(
      [
        'req',
        '-x509',
        '-key',
        at('ec.key'),
        '-sha256',
        '-subj',
        '/CN=ECDSA 签名人',
        '-utf8',
        '-days',
        '30',
        '-addext',
        'keyUsage=digitalSignature',
        '-out',
        at('ec.pem'),
      ],
      dir,
    );
    openssl(['dgst', '-sha256', '-sign', at('ec.key'), '-out', at('openssl-ec.sig'), file], dir);
    expect(await certVerify(file, { cert: at('ec.pem'), sig: at('openssl-ec.sig') }, capture())).toBe(0);
    expect(
      await certSign(file, { key: at('ec.key'), cert: at('ec.pem'), out: at('ggzy-ec.sig') }, capture()),
    ).toBe(0);
    openssl(['x509', '-in', at('ec.pem'), '-noout', '-pubkey', '-out', at('ec-pub.pem')], dir);
    expect(
      openssl(['dgst', '-sha256', '-verify', at('ec-pub.pem'), '-signature', at('ggzy-ec.sig'), file], dir),
    ).toMatch(/Verified OK/);
  });

  test('keys in every form OpenSSL writes: PKCS#8 DER, and `ecparam -genkey` with its SM2 PARAMETERS block', async () => {
    openssl(['pkey', '-in', sm2.sign.key, '-outform', 'DER', '-out', at('sign.key.der')], dir);
    expect(
      await certSign(file, { key: at('sign.key.der'), cert: sm2.sign.cert, out: at('der.sig') }, capture()),
    ).toBe(0);
    openssl(['ecparam', '-name', 'SM2', '-genkey', '-out', at('ecparam-sm2.key')], dir);
    expect(readFileSync(at('ecparam-sm2.key'), 'utf8')).toMatch(/BEGIN SM2 PARAMETERS/);
    openssl(
      [
        'req',
        '-x509',
        '-key',
        at('ecparam-sm2.key'),
        '-sm3',
        '-sigopt',
        DISTID,
        '-subj',
        '/CN=ecparam',
        '-days',
        '30',
        '-out',
        at('ecparam.pem'),
      ],
      dir,
    );
    expect(
      await certSign(
        file,
        { key: at('ecparam-sm2.key'), cert: at('ecparam.pem'), out: at('ecparam.sig') },
        capture(),
      ),
    ).toBe(0);
    openssl(['x509', '-in', at('ecparam.pem'), '-outform', 'DER', '-out', at('ecparam.der')], dir);
    expect(await certVerify(file, { cert: at('ecparam.der'), sig: at('ecparam.sig') }, capture())).toBe(0);
  });

  test('a changed file, another signer, an encryption key or a wrong key: exit 1 with the reason in Chinese', async () => {
    writeFileSync(at('changed.txt'), '投标报价：贰佰万元整\n');
    const changed = capture();
    expect(
      await certVerify(at('changed.txt'), { cert: sm2.sign.cert, sig: at('openssl-sm2.sig') }, changed),
    ).toBe(1);
    expect(changed.errors[0]).toMatch(/签名无效：文件内容与签名不符.*1234567812345678/);
    expect(await certVerify(file, { cert: rsa.sign.cert, sig: at('openssl-sm2.sig') }, capture())).toBe(1);

    const enc = capture();
    expect(await certSign(file, { key: sm2.enc.key, cert: sm2.enc.cert, out: at('enc.sig') }, enc)).toBe(1);
    expect(enc.errors[0]).toMatch(/证书用途不符.*请使用签名证书而非加密证书/);
    const mismatch = capture();
    expect(await certSign(file, { key: sm2.enc.key, cert: sm2.sign.cert, out: at('x.sig') }, mismatch)).toBe(
      1,
    );
    expect(mismatch.errors[0]).toMatch(/私钥与证书不匹配/);
    const missing = capture();
    expect(
      await certVerify(at('no-such-file'), { cert: sm2.sign.cert, sig: at('openssl-sm2.sig') }, missing),
    ).toBe(2);
    expect(missing.errors[0]).toMatch(/无法读取文件/);
  });

  test('with --trust the chain is validated; an unknown CA or a --crl revocation is exit 1', async () => {
    const chainFile = at('sign-with-chain.pem');
    writeFileSync(chainFile, readFileSync(sm2.sign.cert, 'utf8') + readFileSync(sm2.intermediate, 'utf8'));
    const ok = capture();
    expect(
      await certVerify(file, { cert: chainFile, sig: at('openssl-sm2.sig'), trust: [sm2.root] }, ok),
    ).toBe(0);
    expect(ok.lines.join('\n')).toMatch(/证书链有效.*钱七 → .*中级CA SM2 → .*根CA SM2/);
    const untrusted = capture();
    expect(
      await certVerify(file, { cert: chainFile, sig: at('openssl-sm2.sig'), trust: [rsa.root] }, untrusted),
    ).toBe(1);
    expect(untrusted.errors[0]).toMatch(/^验证失败：证书颁发者不受信任：/);
    const crl = opensslCrl(
      at('crl'),
      { cert: sm2.intermediate, key: path.join(sm2.dir, 'int.key') },
      sm2.sign.cert,
      'sm2',
    );
    const revoked = capture();
    expect(
      await certVerify(
        file,
        { cert: chainFile, sig: at('openssl-sm2.sig'), trust: [sm2.root], crl: [crl] },
        revoked,
      ),
    ).toBe(1);
    expect(revoked.errors[0]).toMatch(/证书已被吊销.*密钥泄露/);
  });
});

describe('ggzy cert inspect', () => {
  test('prints subject, issuer, validity, key, usages, both fingerprints and the credit code', async () => {
    const io = capture();
    expect(await certInspect(sm2.sign.cert, {}, io)).toBe(0);
    const text = io.lines.join('\n');
    expect(text).toContain(
      '主题 Subject:          C=CN, O=内蒙古互认测试有限公司, OU=91150100MA0N0R0B39, CN=钱七',
    );
    expect(text).toContain('SM2（256 位）');
    expect(text).toContain('数字签名(digitalSignature)、不可否认(nonRepudiation)');
    expect(text).toContain('统一社会信用代码:      91150100MA0N0R0B39');
    const sha256 = openssl(['x509', '-in', sm2.sign.cert, '-noout', '-fingerprint', '-sha256'], dir)
      .split('=')[1]!
      .trim();
    const sm3 = openssl(['x509', '-in', sm2.sign.cert, '-noout', '-fingerprint', '-sm3'], dir)
      .split('=')[1]!
      .trim();
    expect(text).toContain(`SHA-256 指纹:          ${sha256}`);
    expect(text).toContain(`SM3 指纹:              ${sm3}`);
    const json = capture();
    expect(await certInspect(rsa.sign.cert, { json: true }, json)).toBe(0);
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ keyType: 'RSA（2048 位）', creditCode: null });
  });

  test('reads a CRL too, and refuses garbage in Chinese', async () => {
    const crl = capture();
    expect(await certInspect(at('crl/crl.pem'), {}, crl)).toBe(0);
    expect(crl.lines.join('\n')).toMatch(/已吊销证书 Revoked: {6}1 张/);
    writeFileSync(at('garbage.pem'), 'not a certificate');
    const bad = capture();
    expect(await certInspect(at('garbage.pem'), {}, bad)).toBe(1);
    expect(bad.errors[0]).toMatch(/^证书格式错误/);
  });
});

// Through the real command once src/cli/index.ts registers these commands (it runs `node bin/ggzy.js`).
const registered = readFileSync(path.join(import.meta.dirname, '../../src/cli/index.ts'), 'utf8').includes(
  './cert.ts',
);
describe.runIf(registered)('node bin/ggzy.js', () => {
  const ggzy = (args: string[]) =>
    spawnSync(process.execPath, [path.join(import.meta.dirname, '../../bin/ggzy.js'), ...args], {
      encoding: 'utf8',
    });

  test('sign, verify and inspect as commands, with exit codes', () => {
    const signed = ggzy([
      'sign',
      '--key',
      sm2.sign.key,
      '--cert',
      sm2.sign.cert,
      '--out',
      at('cli.sig'),
      file,
    ]);
    expect(signed.status, signed.stderr).toBe(0);
    openssl(
      ['dgst', '-sm3', '-verify', at('sm2-pub.pem'), '-sigopt', DISTID, '-signature', at('cli.sig'), file],
      dir,
    );
    expect(ggzy(['verify', '--cert', sm2.sign.cert, '--sig', at('openssl-sm2.sig'), file]).status).toBe(0);
    const bad = ggzy(['verify', '--cert', sm2.sign.cert, '--sig', at('openssl-sm2.sig'), at('changed.txt')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/签名无效/);
    expect(ggzy(['cert', 'inspect', sm2.sign.cert]).stdout).toMatch(/统一社会信用代码/);
  });
});
