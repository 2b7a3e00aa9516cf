import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CRLReasons } from '@peculiar/asn1-x509';
import {
  buildCertificate,
  buildCrl,
  type CertificateTemplate,
  loadPrivateKey,
  type ParsedCertificate,
  type PrivateKeyInfo,
  parseCertificateDer,
} from '../../../src/platform/certs/index.ts';
import { exportSm2PrivateKeyPem, generateSm2KeyPair } from '../../../src/platform/crypto/index.ts';

/**
 * Test PKI: certificates made by this platform's builder (every defect a validator must catch) and by
 * the `openssl` command line (an implementation nobody here wrote, DESIGN §5).
 */

export const DISTID = 'distid:1234567812345678';
const DAY = 86_400_000;

export function sm2Key(): PrivateKeyInfo {
  return loadPrivateKey(exportSm2PrivateKeyPem(generateSm2KeyPair()));
}

export function rsaKey(bits = 2048): PrivateKeyInfo {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return loadPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
}

export function ecKey(): PrivateKeyInfo {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return loadPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
}

export interface Issued {
  certificate: ParsedCertificate;
  key: PrivateKeyInfo;
}

type Extra = Partial<Omit<CertificateTemplate, 'subject' | 'issuer' | 'publicKey' | 'selfSignKey'>>;

/** A CA: self-signed when `issuer` is absent. Valid from `at` − 1 day for 10 years unless told. */
export function makeCa(
  name: string,
  at: Date,
  issuer?: Issued,
  extra: Extra & { key?: PrivateKeyInfo } = {},
): Issued {
  const key = extra.key ?? sm2Key();
  const der = buildCertificate({
    subject: [
      ['C', 'CN'],
      ['O', '测试CA机构'],
      ['CN', name],
    ],
    publicKey: key.publicKey,
    ...(issuer ? { issuer: { certificate: issuer.certificate, key: issuer.key } } : { selfSignKey: key }),
    notBefore: new Date(at.getTime() - DAY),
    notAfter: new Date(at.getTime() + 3650 * DAY),
    basicConstraints: { ca: true },
    keyUsage: ['keyCertSign', 'cRLSign'],
    ...extra,
  });
  return { certificate: parseCertificateDer(der), key };
}

/** An end-entity certificate: a signing certificate unless `usage` says encryption. */
export function makeLeaf(
  issuer: Issued,
  at: Date,
  opts: Extra & {
    name?: string;
    creditCode?: string;
    organization?: string;
    usage?: 'sign' | 'enc';
    key?: PrivateKeyInfo;
  } = {},
): Issued {
  const key = opts.key ?? sm2Key();
  const { name, creditCode, organization, usage, key: _key, ...extra } = opts;
  const subject: [string, string][] = [['C', 'CN']];
  if (organization) subject.push(['O', organization]);
  if (creditCode) subject.push(['organizationIdentifier', creditCode]);
  subject.push(['CN', name ?? '测试持证人']);
  const der = buildCertificate({
    subject,
    issuer: { certificate: issuer.certificate, key: issuer.key },
    publicKey: key.publicKey,
    notBefore: new Date(at.getTime() - DAY),
    notAfter: new Date(at.getTime() + 365 * DAY),
    basicConstraints: { ca: false },
    keyUsage:
      usage === 'enc' ? ['keyEncipherment', 'dataEncipherment'] : ['digitalSignature', 'nonRepudiation'],
    ...extra,
  });
  return { certificate: parseCertificateDer(der), key };
}

export function makeCrl(
  issuer: Issued,
  at: Date,
  revoked: { certificate: ParsedCertificate; reason?: CRLReasons }[],
  crlNumber = 1,
): Uint8Array {
  return buildCrl({
    issuer: { certificate: issuer.certificate, key: issuer.key },
    thisUpdate: at,
    nextUpdate: new Date(at.getTime() + 7 * DAY),
    crlNumber,
    revoked: revoked.map((r) => ({
      serialNumber: r.certificate.serialNumber,
      revokedAt: at,
      ...(r.reason === undefined ? {} : { reason: r.reason }),
    })),
  });
}

// ------------------------------------------------------------------------------------------ openssl

export function openssl(args: string[], cwd: string, input?: string): string {
  const run = spawnSync('openssl', args, {
    cwd,
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return run.stdout;
}

/** Like `openssl` but reports the exit status instead of throwing. */
export function opensslStatus(args: string[], cwd: string): { status: number; output: string } {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

export interface OpensslChain {
  dir: string;
  root: string;
  intermediate: string;
  sign: { cert: string; key: string };
  enc: { cert: string; key: string };
}

/**
 * Root → intermediate → signing and encryption leaves, all made by `openssl`. `kind` 'sm2' signs with
 * SM2-with-SM3 and `-sigopt distid:1234567812345678` everywhere (GM/T 0009); 'rsa' with SHA-256.
 */
export function opensslChain(
  dir: string,
  kind: 'sm2' | 'rsa',
  opts: { creditCode?: string; days?: number } = {},
): OpensslChain {
  fs.mkdirSync(dir, { recursive: true });
  const keyArgs =
    kind === 'sm2' ? ['-algorithm', 'SM2'] : ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
  const signArgs = kind === 'sm2' ? ['-sm3', '-sigopt', DISTID] : ['-sha256'];
  const verifyArgs = kind === 'sm2' ? ['-vfyopt', DISTID] : [];
  const genkey = (file: string) => openssl(['genpkey', ...keyArgs, '-out', file], dir);
  const ext = (file: string, lines: string[]) =>
    fs.writeFileSync(path.join(dir, file), `${lines.join('\n')}\n`);
  const days = String(opts.days ?? 365);

  genkey('root.key');
  openssl(
    [
      'req',
      '-x509',
      '-key',
      'root.key',
      ...signArgs,
      '-utf8',
      '-subj',
      `/C=CN/O=互认测试CA/CN=互认测试根CA ${kind.toUpperCase()}`,
      '-days',
      '3650',
      '-addext',
      'basicConstraints=critical,CA:true',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      'root.pem',
    ],
    dir,
  );
  genkey('int.key');
  openssl(
    [
      'req',
      '-new',
      '-key',
      'int.key',
      ...signArgs,
      '-utf8',
      '-subj',
      `/C=CN/O=互认测试CA/CN=互认测试中级CA ${kind.toUpperCase()}`,
      '-out',
      'int.csr',
    ],
    dir,
  );
  ext('int.ext', [
    'basicConstraints=critical,CA:true,pathlen:0',
    'keyUsage=critical,keyCertSign,cRLSign',
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid',
  ]);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'int.csr',
      '-CA',
      'root.pem',
      '-CAkey',
      'root.key',
      '-CAcreateserial',
      ...signArgs,
      ...verifyArgs,
      '-days',
      '1825',
      '-extfile',
      'int.ext',
      '-out',
      'int.pem',
    ],
    dir,
  );
  const subject = `/C=CN/O=内蒙古互认测试有限公司${opts.creditCode ? `/OU=${opts.creditCode}` : ''}/CN=钱七`;
  for (const [name, usage] of [
    ['sign', 'critical,digitalSignature,nonRepudiation'],
    ['enc', 'critical,keyEncipherment,dataEncipherment'],
  ] as const) {
    genkey(`${name}.key`);
    openssl(
      ['req', '-new', '-key', `${name}.key`, ...signArgs, '-utf8', '-subj', subject, '-out', `${name}.csr`],
      dir,
    );
    ext(`${name}.ext`, [
      'basicConstraints=CA:false',
      `keyUsage=${usage}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
    ]);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'int.pem',
        '-CAkey',
        'int.key',
        '-CAcreateserial',
        ...signArgs,
        ...verifyArgs,
        '-days',
        days,
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.pem`,
      ],
      dir,
    );
  }
  const at = (file: string) => path.join(dir, file);
  return {
    dir,
    root: at('root.pem'),
    intermediate: at('int.pem'),
    sign: { cert: at('sign.pem'), key: at('sign.key') },
    enc: { cert: at('enc.pem'), key: at('enc.key') },
  };
}

/** A CRL from `openssl ca -gencrl` revoking `certFile`, signed by the CA (SM2 with the default ID). */
export function opensslCrl(
  dir: string,
  ca: { cert: string; key: string },
  certFile: string,
  kind: 'sm2' | 'rsa',
): string {
  const caDir = path.join(dir, 'ca-db');
  fs.mkdirSync(caDir, { recursive: true });
  fs.writeFileSync(path.join(caDir, 'index.txt'), '');
  fs.writeFileSync(path.join(caDir, 'crlnumber'), '1000\n');
  fs.writeFileSync(
    path.join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = CA_default',
      '[ CA_default ]',
      `database = ${path.join(caDir, 'index.txt')}`,
      `crlnumber = ${path.join(caDir, 'crlnumber')}`,
      `default_md = ${kind === 'sm2' ? 'sm3' : 'sha256'}`,
      'default_crl_days = 30',
      'crl_extensions = crl_ext',
      '[ crl_ext ]',
      'authorityKeyIdentifier=keyid:always',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'ca',
      '-config',
      'ca.cnf',
      '-revoke',
      certFile,
      '-keyfile',
      ca.key,
      '-cert',
      ca.cert,
      '-crl_reason',
      'keyCompromise',
    ],
    dir,
  );
  const sigopt = kind === 'sm2' ? ['-sigopt', DISTID] : [];
  openssl(
    [
      'ca',
      '-config',
      'ca.cnf',
      '-gencrl',
      '-keyfile',
      ca.key,
      '-cert',
      ca.cert,
      ...sigopt,
      '-out',
      'crl.pem',
    ],
    dir,
  );
  return path.join(dir, 'crl.pem');
}
