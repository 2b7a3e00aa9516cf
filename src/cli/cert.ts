import { readFile, writeFile } from 'node:fs/promises';
import { allMigrations } from '../migrations.ts';
import {
  CertificateError,
  type CertsDb,
  certsMigrations,
  checkPurpose,
  colonHex,
  describeKey,
  extendedKeyUsageNames,
  findCrlIssuer,
  issueDemoCertificates,
  KEY_USAGE_NAMES_ZH,
  KeyFormatError,
  keyMatchesCertificate,
  loadPrivateKey,
  MemoryCrlChecker,
  MemoryTrustSource,
  type ParsedCertificate,
  type ParsedCrl,
  parseCertificates,
  parseCrl,
  REVOCATION_REASONS_ZH,
  signDetached,
  validateChain,
  verifyDetached,
} from '../platform/certs/index.ts';
import { SystemClock } from '../platform/clock/index.ts';
import { migrateToLatest, openDatabase, type SqlMigration } from '../platform/db/index.ts';
import { AppError } from '../platform/errors.ts';
import { SYSTEM_ORIGIN } from '../platform/witness/index.ts';
import { configOrExit, failAndExit } from './common.ts';

/**
 * Holders' certificate tools (§32): `ggzy cert inspect`, `ggzy sign`, `ggzy verify` need no database;
 * `ggzy ca issue` issues demo certificates from the platform's demo CA. Each returns the exit code:
 * 0 done / valid, 1 refused / invalid (the reason printed in Chinese), 2 a file could not be read.
 * Signatures are OpenSSL's own detached form, so the two tools check each other:
 *   openssl dgst -sm3 -sign KEY -sigopt distid:1234567812345678 -out SIG FILE     (SM2)
 *   openssl dgst -sm3 -verify PUB -sigopt distid:1234567812345678 -signature SIG FILE
 *   openssl dgst -sha256 -sign KEY -out SIG FILE                                  (RSA, ECDSA P-256)
 */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const consoleIo: CliIo = { out: (line) => console.log(line), err: (line) => console.error(line) };

const SIGNATURE_ALGORITHM_NAMES: Record<string, string> = {
  'sm2-sm3': 'SM2-with-SM3（SM3 杂凑，用户标识 1234567812345678）',
  'rsa-pkcs1-sha256': 'sha256WithRSAEncryption',
  'rsa-pss-sha256': 'RSASSA-PSS（SHA-256）',
  'ecdsa-p256-sha256': 'ecdsa-with-SHA256',
};

function beijing(date: Date): string {
  return date.toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' });
}

async function readInput(file: string, io: CliIo): Promise<Uint8Array | null> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    io.err(`无法读取文件 ${file}：${(error as Error).message}`);
    return null;
  }
}

/** Prints a refusal the holder can act on and returns exit code 1; anything unexpected propagates. */
function refuse(io: CliIo, error: unknown, prefix = ''): number {
  if (error instanceof AppError) {
    io.err(
      `${prefix}${error.title}${error.detail ? `：${error.detail}` : ''}${error.citation ? `（${error.citation}）` : ''}`,
    );
    return 1;
  }
  if (error instanceof KeyFormatError) {
    io.err(`${prefix}${error.message}`);
    return 1;
  }
  throw error;
}

function describeCertificate(cert: ParsedCertificate, now: Date) {
  const algorithm =
    'unsupported' in cert.signatureAlgorithm
      ? cert.signatureAlgorithm.unsupported
      : cert.signatureAlgorithm.algorithm;
  const status =
    now > cert.notAfter
      ? '已过期 (expired)'
      : now < cert.notBefore
        ? '尚未生效 (not yet valid)'
        : '在有效期内 (valid now)';
  const bc = cert.extensions.basicConstraints;
  return {
    subject: cert.subject.text,
    issuer: cert.issuer.text,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    validityStatus: status,
    keyType: describeKey(cert.publicKey),
    signatureAlgorithm: SIGNATURE_ALGORITHM_NAMES[algorithm] ?? algorithm,
    keyUsage: cert.extensions.keyUsage,
    extendedKeyUsage: extendedKeyUsageNames(cert),
    basicConstraints: bc
      ? `CA:${bc.ca ? 'TRUE' : 'FALSE'}${bc.pathLen === null ? '' : `, pathlen:${bc.pathLen}`}`
      : null,
    subjectKeyId: cert.extensions.subjectKeyId,
    authorityKeyId: cert.extensions.authorityKeyId,
    subjectAltNames: cert.extensions.subjectAltNames.map((n) => `${n.type}:${n.value}`),
    creditCode: cert.creditCode,
    fingerprintSha256: cert.fingerprintSha256,
    fingerprintSm3: cert.fingerprintSm3,
  };
}

/** `ggzy cert inspect FILE [--json]`: what a certificate (or a bundle, or a CRL) says. */
export async function certInspect(
  file: string,
  opts: { json?: boolean } = {},
  io: CliIo = consoleIo,
): Promise<number> {
  const bytes = await readInput(file, io);
  if (!bytes) return 2;
  const text = Buffer.from(bytes).toString('utf8');
  if (text.includes('-----BEGIN X509 CRL-----')) return inspectCrl(parseCrlOrNull(bytes, io), opts, io);
  let certs: ParsedCertificate[];
  try {
    certs = parseCertificates(bytes);
  } catch (error) {
    // A DER file may be a CRL rather than a certificate; try that before giving up.
    const crl = bytes[0] === 0x30 ? parseCrlOrNull(bytes, null) : null;
    if (crl) return inspectCrl(crl, opts, io);
    return refuse(io, error);
  }
  const now = new Date();
  const described = certs.map((c) => describeCertificate(c, now));
  if (opts.json) {
    io.out(JSON.stringify(described.length === 1 ? described[0] : described, null, 2));
    return 0;
  }
  described.forEach((d, i) => {
    if (certs.length > 1) io.out(`证书 ${i + 1}/${certs.length}`);
    const usage =
      d.keyUsage?.map((u) => `${KEY_USAGE_NAMES_ZH[u]}(${u})`).join('、') ?? '未限定（无 keyUsage 扩展）';
    io.out(`  主题 Subject:          ${d.subject}`);
    io.out(`  颁发者 Issuer:         ${d.issuer}`);
    io.out(`  序列号 Serial:         ${colonHex(d.serialNumber)}`);
    io.out(
      `  有效期 Validity:       ${beijing(certs[i]!.notBefore)} 至 ${beijing(certs[i]!.notAfter)}（北京时间）— ${d.validityStatus}`,
    );
    io.out(`  密钥 Key:              ${d.keyType}`);
    io.out(`  签名算法 Signature:    ${d.signatureAlgorithm}`);
    io.out(`  密钥用途 Key usage:    ${usage}`);
    io.out(`  扩展用途 Ext. usage:   ${d.extendedKeyUsage?.join('、') ?? '无'}`);
    io.out(`  基本约束 Basic constr: ${d.basicConstraints ?? '无'}`);
    if (d.subjectKeyId) io.out(`  主题密钥标识 SKI:      ${colonHex(d.subjectKeyId)}`);
    if (d.authorityKeyId) io.out(`  颁发者密钥标识 AKI:    ${colonHex(d.authorityKeyId)}`);
    if (d.subjectAltNames.length) io.out(`  备用名称 SAN:          ${d.subjectAltNames.join(', ')}`);
    io.out(`  统一社会信用代码:      ${d.creditCode ?? '无'}`);
    io.out(`  SHA-256 指纹:          ${colonHex(d.fingerprintSha256)}`);
    io.out(`  SM3 指纹:              ${colonHex(d.fingerprintSm3)}`);
  });
  return 0;
}

function parseCrlOrNull(bytes: Uint8Array, io: CliIo | null): ParsedCrl | null {
  try {
    return parseCrl(bytes);
  } catch (error) {
    if (!(error instanceof CertificateError)) throw error;
    if (io) refuse(io, error);
    return null;
  }
}

function inspectCrl(crl: ParsedCrl | null, opts: { json?: boolean }, io: CliIo): number {
  if (!crl) return 1;
  const view = {
    issuer: crl.issuer.text,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate?.toISOString() ?? null,
    crlNumber: crl.crlNumber,
    revoked: crl.revoked.map((r) => ({
      serialNumber: r.serialNumber,
      revokedAt: r.revokedAt.toISOString(),
      reason: r.reason,
    })),
    fingerprintSha256: crl.fingerprintSha256,
  };
  if (opts.json) {
    io.out(JSON.stringify(view, null, 2));
    return 0;
  }
  io.out(`  证书吊销列表 CRL 颁发者: ${view.issuer}`);
  io.out(`  本次更新 This update:    ${beijing(crl.thisUpdate)}（北京时间）`);
  io.out(`  下次更新 Next update:    ${crl.nextUpdate ? `${beijing(crl.nextUpdate)}（北京时间）` : '无'}`);
  io.out(`  CRL 编号:                ${view.crlNumber ?? '无'}`);
  io.out(`  已吊销证书 Revoked:      ${view.revoked.length} 张`);
  for (const r of crl.revoked) {
    io.out(
      `    ${colonHex(r.serialNumber)}  ${beijing(r.revokedAt)}  ${r.reason ? (REVOCATION_REASONS_ZH[r.reason] ?? r.reason) : ''}`,
    );
  }
  io.out(`  SHA-256 指纹:            ${colonHex(view.fingerprintSha256)}`);
  return 0;
}

/** `ggzy sign --key K --cert C --out SIG FILE`: a detached DER signature, as `openssl dgst -sign` writes. */
export async function certSign(
  file: string,
  opts: { key: string; cert: string; out: string },
  io: CliIo = consoleIo,
): Promise<number> {
  const [keyBytes, certBytes, data] = [
    await readInput(opts.key, io),
    await readInput(opts.cert, io),
    await readInput(file, io),
  ];
  if (!keyBytes || !certBytes || !data) return 2;
  try {
    const key = loadPrivateKey(keyBytes);
    const [cert] = parseCertificates(certBytes);
    if (!keyMatchesCertificate(key, cert!)) {
      io.err('私钥与证书不匹配：请使用该证书对应的私钥。');
      return 1;
    }
    // An encryption certificate's key must not sign (GM/T 0014 dual certificates; RFC 5280 §4.2.1.3).
    checkPurpose(cert!, 'signing');
    const now = new Date();
    if (now > cert!.notAfter || now < cert!.notBefore) {
      io.err(
        `证书不在有效期内（${beijing(cert!.notBefore)} 至 ${beijing(cert!.notAfter)}，北京时间），签名将不被接受。`,
      );
      return 1;
    }
    const { algorithm, signature } = signDetached(key, data);
    await writeFile(opts.out, signature);
    io.out(
      `已签名 ${file} → ${opts.out}（${SIGNATURE_ALGORITHM_NAMES[algorithm]}，${signature.length} 字节 DER）`,
    );
    io.out(`签名证书：${cert!.subject.text}`);
    return 0;
  } catch (error) {
    return refuse(io, error, '无法签名：');
  }
}

/**
 * `ggzy verify --cert C --sig SIG FILE [--trust CA.pem ...] [--crl CRL ...]`: exit 0 when the signature
 * is valid (and, with --trust, the certificate chains to one of those CAs now, not revoked by the CRLs).
 */
export async function certVerify(
  file: string,
  opts: { cert: string; sig: string; trust?: string[]; crl?: string[] },
  io: CliIo = consoleIo,
): Promise<number> {
  const [certBytes, sigBytes, data] = [
    await readInput(opts.cert, io),
    await readInput(opts.sig, io),
    await readInput(file, io),
  ];
  if (!certBytes || !sigBytes || !data) return 2;
  try {
    const [leaf, ...intermediates] = parseCertificates(certBytes);
    checkPurpose(leaf!, 'signing');
    if (!verifyDetached(leaf!, data, signatureBytes(sigBytes))) {
      io.err(
        `签名无效：文件内容与签名不符，或签名不是由该证书的私钥所作${leaf!.publicKey.kind === 'sm2' ? '（SM2 签名须使用默认用户标识 1234567812345678）' : ''}。`,
      );
      return 1;
    }
    io.out(`签名有效 (signature valid)：${file}`);
    io.out(`签名者 Signer：${leaf!.subject.text}（SHA-256 ${colonHex(leaf!.fingerprintSha256)}）`);
    if (!opts.trust?.length) {
      io.out('未验证证书链（未指定 --trust）(certificate chain not checked)');
      return 0;
    }
    const trusted: ParsedCertificate[] = [];
    for (const trustFile of opts.trust) {
      const bytes = await readInput(trustFile, io);
      if (!bytes) return 2;
      trusted.push(...parseCertificates(bytes));
    }
    const cas = trusted.map((certificate) => ({ certificate, status: 'active' as const }));
    const crls: ParsedCrl[] = [];
    for (const crlFile of opts.crl ?? []) {
      const bytes = await readInput(crlFile, io);
      if (!bytes) return 2;
      const crl = parseCrl(bytes);
      // A CRL may come from an intermediate sent with the certificate; a CRL can only revoke, so one
      // checked against a certificate that then fails the chain changes nothing.
      findCrlIssuer(crl, [
        ...cas,
        ...intermediates.map((certificate) => ({ certificate, status: 'active' as const })),
      ]);
      crls.push(crl);
    }
    const chain = await validateChain(leaf!, {
      at: new Date(),
      trust: new MemoryTrustSource(cas),
      intermediates,
      revocation: new MemoryCrlChecker(crls),
      purpose: 'signing',
    });
    io.out(`证书链有效 (chain valid)：${chain.path.map((c) => c.subject.text).join(' → ')}`);
    if (crls.length === 0) io.out('未检查吊销状态（未指定 --crl）(revocation not checked)');
    return 0;
  } catch (error) {
    return refuse(io, error, '验证失败：');
  }
}

/** DER as written by openssl; a base64 text of it is accepted too (copied from a web page or an API). */
function signatureBytes(bytes: Uint8Array): Uint8Array {
  if (bytes[0] === 0x30) return bytes;
  const text = Buffer.from(bytes).toString('utf8').replace(/\s+/g, '');
  return /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? new Uint8Array(Buffer.from(text, 'base64')) : bytes;
}

/**
 * `ggzy ca issue --username U [--out DIR]`: SM2 dual certificates from the demo CA (演示CA，仅供演示和
 * 测试) for an existing account, bound to it; keys and certificates written to DIR or
 * `<data dir>/certs/<username>/`.
 */
export async function caIssue(
  opts: { username: string; out?: string },
  io: CliIo = consoleIo,
): Promise<number> {
  const config = configOrExit();
  let handle: Awaited<ReturnType<typeof openDatabase<CertsDb>>> | undefined;
  try {
    handle = await openDatabase<CertsDb>(config.database, { poolSize: 2 });
    // Deduplicated by name: the certs migrations may or may not be in the platform's list yet.
    const migrations = new Map<string, SqlMigration>(
      [...allMigrations, ...certsMigrations].map((m) => [m.name, m]),
    );
    await migrateToLatest(
      handle.db,
      [...migrations.values()].sort((a, b) => a.name.localeCompare(b.name)),
    );
    const issued = await issueDemoCertificates(
      { db: handle.db, clock: new SystemClock(config.GGZY_TIME_SCALE), securityClock: new SystemClock(1) },
      { username: opts.username, dataDir: config.dataDir, ...(opts.out ? { outDir: opts.out } : {}) },
      { ...SYSTEM_ORIGIN, role: 'cli' },
    );
    io.out(`已为 ${issued.username} 签发演示双证书（演示CA，仅供演示和测试）`);
    io.out(`  主题 Subject:   ${issued.subject}`);
    io.out(`  签名证书 SHA-256: ${colonHex(issued.sign.fingerprint)}`);
    io.out(`  加密证书 SHA-256: ${colonHex(issued.encryption.fingerprint)}`);
    io.out(
      `  绑定 Binding:   ${issued.binding ? `${issued.binding.status}（${issued.binding.method}）` : '未绑定'}`,
    );
    io.out(
      `  文件 Files:     ${issued.directory}/{sign.key.pem,sign.cert.pem,enc.key.pem,enc.cert.pem,ca.cert.pem}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError) return refuse(io, error, '无法签发：');
    return failAndExit(config, error);
  } finally {
    await handle?.close();
  }
}
