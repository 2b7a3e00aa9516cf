import { createPrivateKey, createPublicKey, type KeyObject, sign as nodeSign } from 'node:crypto';
import {
  CryptoError,
  publicKeyFromSpki as cryptoPublicKeyFromSpki,
  verifySignature as cryptoVerifySignature,
  importSm2PrivateKeyPem,
  MIN_RSA_BITS,
  type SignatureAlgorithm,
  Sm2KeyError,
  type Sm2PrivateKey,
  sm2PublicKeyDer,
  sm2Sign,
  type VerificationKey,
} from '../crypto/index.ts';
import { childrenOf, DerFrameError, readNode } from './der.ts';
import { OID } from './oids.ts';
import { toPem } from './pem.ts';

/**
 * Keys and signatures for certificates, CRLs and challenge answers, over the crypto part's
 * `verifySignature` (SM2 with SM3 and the GM/T 0009 user ID, which Node's own SM2 does not apply; RSA and
 * ECDSA P-256 on Node's OpenSSL). What is added here: reading keys as certificates and OpenSSL write them,
 * and answering "not valid" — never an exception — for a signature that cannot be this key's.
 */
export type { SignatureAlgorithm } from '../crypto/index.ts';

/** A certificate's public key: its type for people and checks, and crypto's key for verifying. */
export interface PublicKeyInfo {
  kind: 'sm2' | 'rsa' | 'ec-p256';
  /** DER SubjectPublicKeyInfo (SM2 in the id-ecPublicKey + SM2 curve spelling). */
  spki: Uint8Array;
  bits: number;
  verification: VerificationKey;
}

export type PrivateKeyInfo =
  | { kind: 'sm2'; sm2: Sm2PrivateKey; publicKey: PublicKeyInfo }
  | { kind: 'rsa' | 'ec-p256'; key: KeyObject; publicKey: PublicKeyInfo };

export interface AlgorithmChoice {
  algorithm: SignatureAlgorithm;
  /** RSASSA-PSS salt length from the parameters (RFC 4055 §3.1). */
  saltLength?: number;
}

/** The key type, in words for people: "SM2 (256 位)", "RSA 2048 位", "ECDSA P-256". */
export function describeKey(key: PublicKeyInfo): string {
  switch (key.kind) {
    case 'sm2':
      return 'SM2（256 位）';
    case 'rsa':
      return `RSA（${key.bits} 位）`;
    case 'ec-p256':
      return 'ECDSA P-256';
  }
}

/** A key this part cannot use: wrong structure, unsupported type, off the curve. Message in Chinese. */
export class KeyFormatError extends Error {}

/** Decodes a DER OBJECT IDENTIFIER element (tag 06) into dotted form. */
export function decodeOid(der: Uint8Array): string {
  const node = readNode(der, 0);
  if (node.tag !== 0x06 || node.end !== der.length) throw new DerFrameError('not an OBJECT IDENTIFIER');
  const bytes = der.subarray(node.contentStart, node.end);
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/**
 * Reads a SubjectPublicKeyInfo. SM2 keys are id-ecPublicKey on the SM2 curve (GM/T 0006; some CAs put
 * the curve OID as the algorithm itself); RSA keys rsaEncryption of at least 2048 bits; ECDSA keys
 * id-ecPublicKey on P-256. An algorithm this platform does not use is "不支持…"; a broken key is not.
 */
export function publicKeyFromSpki(
  spki: Uint8Array,
  algorithmOid: string,
  parameters: Uint8Array | null,
): PublicKeyInfo {
  const curve = parameters && parameters.length > 0 && parameters[0] === 0x06 ? decodeOid(parameters) : null;
  const sm2 = algorithmOid === OID.sm2Curve || (algorithmOid === OID.ecPublicKey && curve === OID.sm2Curve);
  const p256 = algorithmOid === OID.ecPublicKey && curve === OID.prime256v1;
  if (!sm2 && !p256 && algorithmOid !== OID.rsaEncryption) {
    throw new KeyFormatError(
      `不支持的公钥算法 ${algorithmOid}${curve ? `（曲线 ${curve}）` : ''}；支持 SM2、RSA、ECDSA P-256`,
    );
  }
  if (algorithmOid === OID.rsaEncryption) {
    const bits = rsaBits(spki);
    if (bits < MIN_RSA_BITS) {
      throw new KeyFormatError(`不支持 ${bits} 位的 RSA 密钥；至少 ${MIN_RSA_BITS} 位（GM/T 0015-2012）`);
    }
  }
  // SM2 re-encoded with the standard algorithm identifier so both spellings read the same way.
  const der = sm2 ? canonicalSm2Spki(spki) : spki;
  let verification: VerificationKey;
  try {
    verification = cryptoPublicKeyFromSpki(der);
  } catch (error) {
    if (error instanceof CryptoError || error instanceof Sm2KeyError) {
      throw new KeyFormatError(`公钥无效：${error.message}`);
    }
    throw error;
  }
  switch (verification.kind) {
    case 'sm2':
      return { kind: 'sm2', spki: der, bits: 256, verification };
    case 'rsa':
      return { kind: 'rsa', spki: der, bits: verification.bits, verification };
    case 'ecdsa-p256':
      return { kind: 'ec-p256', spki: der, bits: 256, verification };
  }
}

function rsaBits(spki: Uint8Array): number {
  try {
    return (
      createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).asymmetricKeyDetails
        ?.modulusLength ?? 0
    );
  } catch (error) {
    throw new KeyFormatError(`RSA 公钥无法解析：${(error as Error).message}`);
  }
}

/** SubjectPublicKeyInfo header for an SM2 key: id-ecPublicKey, the SM2 curve, a 65-byte point. */
const SM2_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');

/** The public point of an SM2 SPKI, re-wrapped in id-ecPublicKey + SM2 curve (GM/T 0015 spelling). */
function canonicalSm2Spki(spki: Uint8Array): Uint8Array {
  const outer = readNode(spki, 0);
  const [, bitString] = childrenOf(spki, outer);
  if (bitString?.tag !== 0x03) throw new KeyFormatError('SM2 公钥结构错误');
  const bits = spki.subarray(bitString.contentStart, bitString.end);
  if (bits[0] !== 0 || bits.length !== 66) throw new KeyFormatError('SM2 公钥应为 65 字节的非压缩点');
  return new Uint8Array(Buffer.concat([SM2_SPKI_PREFIX, bits.subarray(1)]));
}

/**
 * The signature algorithm named by an AlgorithmIdentifier, or the reason it is refused. SHA-1 is refused
 * outright (collisions are practical); others this platform does not use are reported as unsupported.
 */
export function signatureAlgorithmOf(
  oid: string,
  parameters: Uint8Array | null,
): AlgorithmChoice | { unsupported: string } {
  switch (oid) {
    case OID.sm2WithSm3:
      return { algorithm: 'sm2-sm3' };
    case OID.sha256WithRsa:
      return { algorithm: 'rsa-pkcs1-sha256' };
    case OID.ecdsaWithSha256:
      return { algorithm: 'ecdsa-p256-sha256' };
    case OID.rsassaPss:
      return pssParameters(parameters);
    case OID.sha1WithRsa:
    case OID.ecdsaWithSha1:
      return { unsupported: '使用 SHA-1 的签名已不安全，不予接受' };
    default:
      return { unsupported: `不支持的签名算法 ${oid}` };
  }
}

/** RFC 4055 §3.1 RSASSA-PSS-params; only SHA-256 with MGF1-SHA-256 is accepted. */
function pssParameters(parameters: Uint8Array | null): AlgorithmChoice | { unsupported: string } {
  if (!parameters) return { unsupported: 'RSASSA-PSS 缺少参数' };
  try {
    const outer = readNode(parameters, 0);
    let hash: string | null = null;
    let mgfHash: string | null = null;
    let saltLength = 20;
    for (const field of childrenOf(parameters, outer)) {
      const inner = readNode(parameters, field.contentStart);
      if (field.tag === 0xa0 || field.tag === 0xa1) {
        const [algorithm, params] = childrenOf(parameters, inner);
        if (!algorithm) continue;
        const algorithmOid = decodeOid(parameters.subarray(algorithm.start, algorithm.end));
        if (field.tag === 0xa0) hash = algorithmOid;
        else if (algorithmOid === OID.mgf1 && params) {
          const [mgfAlgorithm] = childrenOf(parameters, params);
          if (mgfAlgorithm) mgfHash = decodeOid(parameters.subarray(mgfAlgorithm.start, mgfAlgorithm.end));
        }
      } else if (field.tag === 0xa2) {
        saltLength = Number.parseInt(
          Buffer.from(parameters.subarray(inner.contentStart, inner.end)).toString('hex'),
          16,
        );
      }
    }
    if (hash !== OID.sha256 || mgfHash !== OID.sha256) {
      return { unsupported: 'RSASSA-PSS 仅支持 SHA-256 与 MGF1-SHA-256' };
    }
    return { algorithm: 'rsa-pss-sha256', saltLength };
  } catch (error) {
    if (error instanceof DerFrameError) return { unsupported: 'RSASSA-PSS 参数格式错误' };
    throw error;
  }
}

/** Which algorithm a key signs with by default here: SM2 keys SM2-with-SM3, RSA PKCS#1 v1.5, ECDSA. */
export function defaultAlgorithmFor(key: PublicKeyInfo): SignatureAlgorithm {
  return key.kind === 'sm2' ? 'sm2-sm3' : key.kind === 'rsa' ? 'rsa-pkcs1-sha256' : 'ecdsa-p256-sha256';
}

export interface VerifyInput {
  algorithm: SignatureAlgorithm;
  publicKey: PublicKeyInfo;
  data: Uint8Array;
  signature: Uint8Array;
  saltLength?: number;
  /** SM2 only: the signer's ID (GM/T 0009); the default ID '1234567812345678' when absent. */
  sm2UserId?: string;
}

/**
 * True when the signature is valid. A key of the wrong type for the algorithm, or a signature OpenSSL
 * cannot even decode, is simply not a valid signature: crypto reports both as exceptions, a verifier
 * answers false (the chain then explains why in Chinese).
 */
export function verifySignature(input: VerifyInput): boolean {
  try {
    return cryptoVerifySignature({
      algorithm: input.algorithm,
      publicKey: input.publicKey.verification,
      data: input.data,
      signature: input.signature,
      ...(input.sm2UserId === undefined ? {} : { sm2UserId: input.sm2UserId }),
      ...(input.saltLength === undefined ? {} : { pssSaltLength: input.saltLength }),
    });
  } catch (error) {
    if (error instanceof CryptoError && error.code === 'signature.algorithm') return false;
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_OSSL')) return false;
    throw error;
  }
}

/** Signs as OpenSSL's `dgst -sm3 -sign … -sigopt distid:1234567812345678` or `dgst -sha256 -sign` does. */
export function signData(
  key: PrivateKeyInfo,
  data: Uint8Array,
): { algorithm: SignatureAlgorithm; signature: Uint8Array } {
  if (key.kind === 'sm2') return { algorithm: 'sm2-sm3', signature: sm2Sign(key.sm2, data) };
  const algorithm = defaultAlgorithmFor(key.publicKey);
  const signature = nodeSign(
    'sha256',
    data,
    key.kind === 'ec-p256' ? { key: key.key, dsaEncoding: 'der' } : key.key,
  );
  return { algorithm, signature: new Uint8Array(signature) };
}

/**
 * Reads a private key in any form OpenSSL writes one: PKCS#8 or SEC1/PKCS#1, PEM or DER (an `SM2
 * PARAMETERS` block before the key, as `openssl ecparam -genkey` writes, is skipped). Encrypted keys are
 * refused with a hint. SM2 keys come back as crypto's Sm2PrivateKey so they sign with the GM/T 0009 ID.
 */
export function loadPrivateKey(input: Uint8Array | string): PrivateKeyInfo {
  const text =
    typeof input === 'string' ? input : input[0] === 0x30 ? null : Buffer.from(input).toString('utf8');
  if (text?.includes('ENCRYPTED PRIVATE KEY') || text?.includes('Proc-Type: 4,ENCRYPTED')) {
    throw new KeyFormatError('私钥已加密，请先用 `openssl pkey -in KEY -out PLAIN.pem` 解密后再使用');
  }
  const key = nodePrivateKey(input, text);
  const pkcs8 = new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }));
  const spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  if (key.asymmetricKeyType === 'rsa') {
    return { kind: 'rsa', key, publicKey: publicKeyFromSpki(spki, OID.rsaEncryption, null) };
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { kind: 'ec-p256', key, publicKey: publicKeyFromSpki(spki, OID.ecPublicKey, P256_CURVE_DER) };
  }
  // Node's OpenSSL loads SM2 keys but names no type for them; the curve OID in the PKCS#8 tells.
  if (key.asymmetricKeyType === undefined && containsSm2Curve(pkcs8)) {
    try {
      const sm2 = importSm2PrivateKeyPem(toPem('PRIVATE KEY', pkcs8));
      return { kind: 'sm2', sm2, publicKey: sm2PublicKeyInfo(sm2) };
    } catch (error) {
      if (error instanceof Sm2KeyError) throw new KeyFormatError(`SM2 私钥无效：${error.message}`);
      throw error;
    }
  }
  throw new KeyFormatError(
    `不支持的私钥类型 ${key.asymmetricKeyType ?? '未知'}${key.asymmetricKeyDetails?.namedCurve ? `（${key.asymmetricKeyDetails.namedCurve}）` : ''}；支持 SM2、RSA、ECDSA P-256`,
  );
}

function nodePrivateKey(input: Uint8Array | string, text: string | null): KeyObject {
  const attempts: (() => KeyObject)[] = text
    ? [() => createPrivateKey(text)]
    : (['pkcs8', 'sec1', 'pkcs1'] as const).map(
        (type) => () => createPrivateKey({ key: Buffer.from(input as Uint8Array), format: 'der', type }),
      );
  const problems: string[] = [];
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch (error) {
      // Each DER flavour is tried in turn; only when none fits is the key unreadable.
      problems.push((error as Error).message);
    }
  }
  throw new KeyFormatError(`私钥无法解析（应为 OpenSSL 输出的 PEM 或 DER）：${problems[0] ?? ''}`);
}

const SM2_CURVE_DER = Uint8Array.from([0x06, 0x08, 0x2a, 0x81, 0x1c, 0xcf, 0x55, 0x01, 0x82, 0x2d]);
const P256_CURVE_DER = Uint8Array.from([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]);

/** The public half of an SM2 private key, as a certificate would carry it. */
export function sm2PublicKeyInfo(key: Sm2PrivateKey): PublicKeyInfo {
  return publicKeyFromSpki(sm2PublicKeyDer(key.publicKey), OID.ecPublicKey, SM2_CURVE_DER);
}

function containsSm2Curve(der: Uint8Array): boolean {
  return Buffer.from(der).indexOf(Buffer.from(SM2_CURVE_DER)) >= 0;
}
