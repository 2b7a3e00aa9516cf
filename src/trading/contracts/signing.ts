import { fromBase64Url } from '../../platform/crypto/index.ts';
import { AppError, Forbidden, InvalidInput } from '../../platform/errors.ts';
import type { ContractsContext } from './context.ts';
import {
  listBoundCertificatesOfOrganization,
  parseCertificateDer,
  parseCertificates,
  verifyDetached,
} from './deps.ts';
import { CITATIONS } from './rules.ts';

export function decodeSignature(text: string): Uint8Array {
  const signature = fromBase64Url(text);
  if (!signature || signature.length < 8 || signature.length > 128) {
    throw new InvalidInput('SIGNATURE_MALFORMED', {
      title: '签名格式错误',
      detail: '签名应为 base64url 编码的 SM2 签名（DER）。',
    });
  }
  return signature;
}

/**
 * The SM2 signature is the organisation's: made by a signing certificate bound to it (certs bindings),
 * and that certificate is valid and trusted now (chain, validity, revocation). Returns its fingerprint.
 */
export async function verifyPartySignature(
  ctx: ContractsContext,
  organizationId: string,
  message: string,
  signatureText: string,
): Promise<string> {
  const signature = decodeSignature(signatureText);
  const bytes = new TextEncoder().encode(message);
  const bound = await listBoundCertificatesOfOrganization(ctx.db, organizationId);
  for (const row of bound) {
    const cert = parseCertificateDer(row.signCertificateDer);
    if (!verifyDetached(cert, bytes, signature)) continue;
    try {
      await ctx.deps.certs.trust.validate(cert, {
        purpose: 'signing',
        intermediates: row.chainPem ? parseCertificates(row.chainPem) : [],
      });
    } catch (error) {
      if (error instanceof AppError) {
        throw new Forbidden('CERTIFICATE_NOT_VALID', {
          title: '签名证书当前无效',
          detail: `签名证书已过期、被吊销或不受信任：${error.message.slice(0, 200)}`,
          citation: CITATIONS.signature,
        });
      }
      throw error;
    }
    return row.signFingerprint;
  }
  throw new Forbidden('SIGNATURE_INVALID', {
    title: '签名验证失败',
    detail:
      '签名不是由本单位已绑定的签名证书对本合同的签署文本作出的，或合同内容已变化。请重新下载签署文本后签名。',
    citation: CITATIONS.signature,
  });
}
