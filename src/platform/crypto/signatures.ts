import crypto, { KeyObject } from 'node:crypto';
import { encode, encodeObjectIdentifier, equalBytes, readChildren, readOnly, TAG } from './der.ts';
import { CryptoError, CryptoInputError, requireBytes } from './errors.ts';
import { importSm2PublicKeyDer, SM2_DEFAULT_USER_ID, type Sm2PublicKey, sm2Verify } from './sm2.ts';

/**
 * One verification entry point for the signature algorithms CAs in China issue with (chain validation
 * in src/platform/certs): SM2-with-SM3 (GM/T 0003.2, GM/T 0009 user ID), RSA PKCS#1 v1.5 and RSASSA-PSS
 * with SHA-256 (RFC 8017), ECDSA P-256 with SHA-256 (FIPS 186-4, DER signatures as in RFC 5480).
 * SM2 runs on our own code; RSA and ECDSA on Node's OpenSSL, so those two are Node-only.
 */

export type SignatureAlgorithm = 'sm2-sm3' | 'rsa-pkcs1-sha256' | 'rsa-pss-sha256' | 'ecdsa-p256-sha256';

export const SIGNATURE_ALGORITHMS: readonly SignatureAlgorithm[] = [
  'sm2-sm3',
  'rsa-pkcs1-sha256',
  'rsa-pss-sha256',
  'ecdsa-p256-sha256',
];

/** A public key read from a SubjectPublicKeyInfo, tagged with what it can verify. */
export type VerificationKey =
  | { readonly kind: 'sm2'; readonly key: Sm2PublicKey; readonly spki: Uint8Array }
  | {
      readonly kind: 'rsa';
      readonly key: KeyObject;
      readonly spki: Uint8Array;
      readonly bits: number;
      /** An id-RSASSA-PSS key (RFC 4055 §1.2): PSS only, never PKCS#1 v1.5. */
      readonly pssOnly: boolean;
    }
  | { readonly kind: 'ecdsa-p256'; readonly key: KeyObject; readonly spki: Uint8Array };

/** Below this, RSA is refused (GM/T 0015-2012 and the CA/Browser Forum both require 2048 bits). */
export const MIN_RSA_BITS = 2048;

const oid = (dotted: string) => encodeObjectIdentifier(dotted);
const OID = {
  ecPublicKey: oid('1.2.840.10045.2.1'),
  sm2Curve: oid('1.2.156.10197.1.301'),
  p256: oid('1.2.840.10045.3.1.7'),
  rsaEncryption: oid('1.2.840.113549.1.1.1'),
  rsassaPss: oid('1.2.840.113549.1.1.10'),
};

function keyError(detail: string): CryptoInputError {
  return new CryptoInputError('signature.key', '公钥格式错误或算法不受支持', detail);
}

/** Reads a DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): SM2, P-256 or RSA (≥ 2048 bits). */
export function publicKeyFromSpki(der: Uint8Array): VerificationKey {
  const spki = requireBytes(der, 'der');
  let algorithm: Uint8Array;
  let parameters: Uint8Array | undefined;
  try {
    const [algorithmElement] = readChildren(readOnly(spki, TAG.sequence).content);
    if (!algorithmElement || algorithmElement.tag !== TAG.sequence) throw keyError('no AlgorithmIdentifier');
    const [id, params] = readChildren(algorithmElement.content);
    if (!id || id.tag !== TAG.objectIdentifier) throw keyError('no algorithm OID');
    algorithm = encode(TAG.objectIdentifier, id.content);
    parameters = params ? encode(params.tag, params.content) : undefined;
  } catch (error) {
    if (error instanceof CryptoError) throw error.code === 'signature.key' ? error : keyError(error.message);
    throw error;
  }
  if (equalBytes(algorithm, OID.ecPublicKey)) {
    if (parameters && equalBytes(parameters, OID.sm2Curve)) {
      return { kind: 'sm2', key: importSm2PublicKeyDer(spki), spki };
    }
    if (parameters && equalBytes(parameters, OID.p256)) {
      return { kind: 'ecdsa-p256', key: nodeKey(spki), spki };
    }
    throw keyError('elliptic curve other than SM2 and P-256');
  }
  if (equalBytes(algorithm, OID.rsaEncryption) || equalBytes(algorithm, OID.rsassaPss)) {
    const key = nodeKey(spki);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw keyError(`RSA key of ${bits} bits; at least ${MIN_RSA_BITS} required`);
    const hash = key.asymmetricKeyDetails?.hashAlgorithm;
    if (hash !== undefined && hash !== 'sha256') throw keyError(`RSASSA-PSS key restricted to ${hash}`);
    return { kind: 'rsa', key, spki, bits, pssOnly: equalBytes(algorithm, OID.rsassaPss) };
  }
  throw keyError('unsupported public key algorithm');
}

function nodeKey(spki: Uint8Array): KeyObject {
  try {
    return crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  } catch (error) {
    // OpenSSL's decoder refused it: report as malformed input, with its reason.
    throw keyError(String(error));
  }
}

export interface VerifySignatureInput {
  algorithm: SignatureAlgorithm;
  /** DER SubjectPublicKeyInfo, a Node KeyObject, or the result of `publicKeyFromSpki`. */
  publicKey: Uint8Array | KeyObject | VerificationKey;
  data: Uint8Array;
  /** DER for SM2 and ECDSA (as in X.509), the raw RSA signature for RSA. */
  signature: Uint8Array;
  /** SM2 only: the signer's distinguishing ID; GM/T 0009's default '1234567812345678' when absent. */
  sm2UserId?: string | Uint8Array;
  /**
   * RSA-PSS only: the salt length the signature must use. Default 32 (= the SHA-256 output, RFC 8017
   * §9.1 and the usual X.509 RSASSA-PSS-params); 'auto' accepts any length.
   */
  pssSaltLength?: number | 'auto';
}

/**
 * True when `signature` is a valid `algorithm` signature of `data` under `publicKey`; false for a
 * wrong or malformed signature. Throws `CryptoInputError` for a malformed key ('signature.key') or a key
 * that cannot make `algorithm` signatures ('signature.algorithm') — for chain validation those are
 * certificate errors, not just "invalid".
 */
export function verifySignature(input: VerifySignatureInput): boolean {
  const data = requireBytes(input.data, 'data');
  const signature = requireBytes(input.signature, 'signature');
  const key = verificationKeyOf(input.publicKey);
  const mismatch = () =>
    new CryptoInputError(
      'signature.algorithm',
      '签名算法与公钥类型不匹配',
      `${input.algorithm} cannot be verified with a ${key.kind} key`,
    );
  switch (input.algorithm) {
    case 'sm2-sm3':
      if (key.kind !== 'sm2') throw mismatch();
      return sm2Verify(key.key, data, signature, { userId: input.sm2UserId ?? SM2_DEFAULT_USER_ID });
    case 'rsa-pkcs1-sha256':
      if (key.kind !== 'rsa' || key.pssOnly) throw mismatch();
      return crypto.verify(
        'sha256',
        data,
        { key: key.key, padding: crypto.constants.RSA_PKCS1_PADDING },
        signature,
      );
    case 'rsa-pss-sha256': {
      if (key.kind !== 'rsa') throw mismatch();
      const salt = input.pssSaltLength ?? 32;
      if (salt !== 'auto' && (!Number.isSafeInteger(salt) || salt < 0)) {
        throw new CryptoInputError('input.type', 'RSA-PSS 盐长度无效', String(salt));
      }
      return crypto.verify(
        'sha256',
        data,
        {
          key: key.key,
          padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
          saltLength: salt === 'auto' ? crypto.constants.RSA_PSS_SALTLEN_AUTO : salt,
        },
        signature,
      );
    }
    case 'ecdsa-p256-sha256':
      if (key.kind !== 'ecdsa-p256') throw mismatch();
      return crypto.verify('sha256', data, { key: key.key, dsaEncoding: 'der' }, signature);
    default:
      throw new CryptoInputError('signature.algorithm', '不支持的签名算法', String(input.algorithm));
  }
}

function verificationKeyOf(publicKey: VerifySignatureInput['publicKey']): VerificationKey {
  if (publicKey instanceof Uint8Array) return publicKeyFromSpki(publicKey);
  if (publicKey instanceof KeyObject) {
    if (publicKey.type !== 'public') throw keyError('a public KeyObject is required');
    return publicKeyFromSpki(publicKey.export({ format: 'der', type: 'spki' }));
  }
  if (publicKey && typeof publicKey === 'object' && 'kind' in publicKey) return publicKey;
  throw new CryptoInputError(
    'input.type',
    '输入数据类型错误',
    'publicKey must be SPKI DER, a KeyObject or a VerificationKey',
  );
}
