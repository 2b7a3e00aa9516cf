import { buildCertificate, loadPrivateKey, toPem } from '../../platform/certs/index.ts';
import {
  exportSm2PrivateKeyPem,
  generateSm2KeyPair,
  type Sm2PrivateKey,
  signRequestHeaders,
} from '../../platform/crypto/index.ts';
import { SYSTEM_HEADER } from './schemas.ts';

/** A system's SM2 key and a self-signed certificate for it (tests and benches). */
export function makeSystemCredentials(name = '测试第三方交易系统'): {
  key: Sm2PrivateKey;
  certificatePem: string;
} {
  const key = generateSm2KeyPair();
  const info = loadPrivateKey(exportSm2PrivateKeyPem(key));
  const der = buildCertificate({
    subject: [
      ['C', 'CN'],
      ['O', name],
      ['CN', name],
    ],
    publicKey: info.publicKey,
    selfSignKey: info,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2045-01-01T00:00:00Z'),
    keyUsage: ['digitalSignature'],
  });
  return { key, certificatePem: toPem('CERTIFICATE', der) };
}

/** The headers of a request signed as the system (docs/interface-spec.md §2). */
export function systemHeaders(
  key: Sm2PrivateKey,
  platformCode: string,
  input: { method: string; target: string; body: string; timestamp?: number; nonce?: string },
): Record<string, string> {
  return {
    ...signRequestHeaders(key, { ...input, callerHeader: SYSTEM_HEADER, callerId: platformCode }),
    ...(input.body ? { 'content-type': 'application/json' } : {}),
  };
}
