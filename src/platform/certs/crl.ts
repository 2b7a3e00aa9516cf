import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, CertificateList, CRLReason, CRLReasons } from '@peculiar/asn1-x509';
import { readNode, signedFrame, unsignedHex } from './der.ts';
import { CertificateError } from './errors.ts';
import { type DistinguishedName, readName } from './names.ts';
import { OID } from './oids.ts';
import { derObjectsOf } from './pem.ts';
import { type AlgorithmChoice, signatureAlgorithmOf } from './signatures.ts';

/** One entry of a CRL: this serial was revoked at that time, for that reason (RFC 5280 §5.3.1). */
export interface RevokedEntry {
  serialNumber: string;
  revokedAt: Date;
  /** RFC 5280 CRLReason name, e.g. 'keyCompromise'; null when the CA gave none. */
  reason: string | null;
}

/** 证书吊销列表 — a CRL as read (RFC 5280 §5). */
export interface ParsedCrl {
  der: Uint8Array;
  tbs: Uint8Array;
  signature: Uint8Array;
  signatureAlgorithm: AlgorithmChoice | { unsupported: string };
  issuer: DistinguishedName;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** The CRL number as a decimal string (it may exceed 2^53), null when absent. */
  crlNumber: string | null;
  authorityKeyId: string | null;
  revoked: RevokedEntry[];
  fingerprintSha256: string;
}

const CRL_LABELS = ['X509 CRL', 'CRL'];

export function parseCrl(input: string | Uint8Array): ParsedCrl {
  const [der, extra] = derObjectsOf(input, CRL_LABELS);
  if (!der || extra) {
    throw new CertificateError(
      'CRL_MALFORMED',
      '应为一份 PEM（BEGIN X509 CRL）、Base64 或 DER 格式的证书吊销列表。',
    );
  }
  let frame: { tbs: Uint8Array; signature: Uint8Array };
  let list: CertificateList;
  try {
    frame = signedFrame(der);
    list = AsnConvert.parse(der, CertificateList);
  } catch (error) {
    throw new CertificateError('CRL_MALFORMED', `不是有效的 DER 编码 CRL（${(error as Error).message}）。`, {
      cause: error,
    });
  }
  try {
    return readCrl(der, frame, list);
  } catch (error) {
    if (error instanceof CertificateError) throw error;
    throw new CertificateError('CRL_MALFORMED', `CRL 扩展格式错误（${(error as Error).message}）。`, {
      cause: error,
    });
  }
}

function readCrl(
  der: Uint8Array,
  frame: { tbs: Uint8Array; signature: Uint8Array },
  list: CertificateList,
): ParsedCrl {
  const tbs = list.tbsCertList;
  let crlNumber: string | null = null;
  let authorityKeyId: string | null = null;
  for (const extension of tbs.crlExtensions ?? []) {
    const value = new Uint8Array(extension.extnValue.buffer);
    if (extension.extnID === OID.crlNumber) crlNumber = BigInt(`0x${integerHex(value)}`).toString();
    else if (extension.extnID === OID.authorityKeyIdentifier) {
      const aki = AsnConvert.parse(value, AuthorityKeyIdentifier);
      authorityKeyId = aki.keyIdentifier ? Buffer.from(aki.keyIdentifier.buffer).toString('hex') : null;
    } else if (extension.critical) {
      // Delta CRLs and issuing distribution points scope a CRL to part of what a CA issued; this store
      // holds complete CRLs only, so it refuses what it would misread (RFC 5280 §5.2).
      throw new CertificateError(
        'CRL_MALFORMED',
        extension.extnID === OID.deltaCrlIndicator
          ? '不支持增量 CRL（delta CRL），请上传完整的 CRL。'
          : extension.extnID === OID.issuingDistributionPoint
            ? '不支持分段 CRL（issuingDistributionPoint），请上传完整的 CRL。'
            : `CRL 含有无法识别的关键扩展 ${extension.extnID}。`,
      );
    }
  }
  const revoked = (tbs.revokedCertificates ?? []).map((entry) => {
    let reason: string | null = null;
    for (const extension of entry.crlEntryExtensions ?? []) {
      if (extension.extnID === OID.crlReason) {
        reason = CRLReasons[AsnConvert.parse(extension.extnValue.buffer, CRLReason).reason] ?? null;
      } else if (extension.critical && extension.extnID !== OID.invalidityDate) {
        throw new CertificateError('CRL_MALFORMED', `CRL 条目含有无法识别的关键扩展 ${extension.extnID}。`);
      }
    }
    return {
      serialNumber: unsignedHex(new Uint8Array(entry.userCertificate)),
      revokedAt: entry.revocationDate.getTime(),
      reason,
    };
  });
  return {
    der,
    tbs: frame.tbs,
    signature: frame.signature,
    signatureAlgorithm: signatureAlgorithmOf(
      list.signatureAlgorithm.algorithm,
      list.signatureAlgorithm.parameters ? new Uint8Array(list.signatureAlgorithm.parameters) : null,
    ),
    issuer: readName(tbs.issuer),
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate ? tbs.nextUpdate.getTime() : null,
    crlNumber,
    authorityKeyId,
    revoked,
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
  };
}

function integerHex(der: Uint8Array): string {
  const node = readNode(der, 0);
  if (node.tag !== 0x02) throw new CertificateError('CRL_MALFORMED', 'CRL 编号格式错误。');
  return unsignedHex(der.subarray(node.contentStart, node.end));
}
