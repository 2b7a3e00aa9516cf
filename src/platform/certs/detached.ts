import { Buffer } from 'node:buffer';
import {
  defaultAlgorithmFor,
  type PrivateKeyInfo,
  type SignatureAlgorithm,
  signData,
  verifySignature,
} from './signatures.ts';
import type { ParsedCertificate } from './x509.ts';

/**
 * Detached signatures over a file's bytes, in OpenSSL's own form: for SM2 the DER SEQUENCE { r, s } of
 * `openssl dgst -sm3 -sign KEY -sigopt distid:1234567812345678` (SM3 over Z ‖ M, GM/T 0009 default ID);
 * for RSA the PKCS #1 v1.5 block of `openssl dgst -sha256 -sign`; for ECDSA P-256 its DER signature.
 */
export function signDetached(
  key: PrivateKeyInfo,
  data: Uint8Array,
): { algorithm: SignatureAlgorithm; signature: Uint8Array } {
  return signData(key, data);
}

export function verifyDetached(cert: ParsedCertificate, data: Uint8Array, signature: Uint8Array): boolean {
  return verifySignature({
    algorithm: defaultAlgorithmFor(cert.publicKey),
    publicKey: cert.publicKey,
    data,
    signature,
  });
}

/** The private key belongs to the certificate: their public keys are the same. */
export function keyMatchesCertificate(key: PrivateKeyInfo, cert: ParsedCertificate): boolean {
  return Buffer.from(key.publicKey.spki).equals(Buffer.from(cert.publicKey.spki));
}
