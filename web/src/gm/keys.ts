import { sm2 } from 'sm-crypto-v2';
import { fromBase64, fromHex, sm3, toBase64Url, toHex } from './sm3.ts';

/**
 * The bidder's own keys in the browser: PEM files the person picks (the same files `ggzy ca issue` and a
 * real CA's tools write), held only in the page's memory, never sent to the server. SM2 encryption (key
 * wrapping) writes the DER SM2Cipher that the server's crypto module and OpenSSL read; signatures are
 * DER with the GM/T 0009 default user ID.
 */
export const SM2_USER_ID = '1234567812345678';

interface Tlv {
  tag: number;
  start: number; // of the content
  end: number;
  headerStart: number;
}

function readTlv(der: Uint8Array, at: number): Tlv {
  const tag = der[at];
  let length = der[at + 1];
  if (tag === undefined || length === undefined) throw new Error('DER 数据不完整');
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count < 1 || count > 4) throw new Error('DER 长度格式错误');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] as number);
    start += count;
  }
  const end = start + length;
  if (end > der.length) throw new Error('DER 数据不完整');
  return { tag, start, end, headerStart: at };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readTlv(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The DER bodies of the PEM blocks labelled `label` (e.g. 'CERTIFICATE', 'PRIVATE KEY'). */
export function pemBodies(text: string, label: string): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...text.matchAll(re)].map((m) => fromBase64((m[1] as string).trim()));
}

export interface BrowserSm2Key {
  scalarHex: string;
  publicKeyHex: string; // 04 ‖ x ‖ y
}

/** An SM2 private key from PKCS#8 ('PRIVATE KEY') or SEC 1 ('EC PRIVATE KEY') PEM. */
export function privateKeyFromPem(text: string): BrowserSm2Key {
  let ec: Uint8Array | undefined;
  const [pkcs8] = pemBodies(text, 'PRIVATE KEY');
  if (pkcs8) {
    const top = children(pkcs8, readTlv(pkcs8, 0));
    const octets = top[2];
    if (octets?.tag !== 0x04) throw new Error('不是 PKCS#8 私钥');
    ec = pkcs8.subarray(octets.start, octets.end);
  } else {
    ec = pemBodies(text, 'EC PRIVATE KEY')[0];
  }
  if (!ec) throw new Error('文件中没有私钥（应为 PEM 格式的 SM2 私钥，如 sign.key.pem / enc.key.pem）');
  const fields = children(ec, readTlv(ec, 0));
  const scalar = fields[1];
  if (scalar?.tag !== 0x04) throw new Error('SM2 私钥格式错误');
  const scalarHex = toHex(ec.subarray(scalar.start, scalar.end)).padStart(64, '0');
  return { scalarHex, publicKeyHex: sm2.getPublicKeyFromPrivateKey(scalarHex) };
}

export interface BrowserCertificate {
  der: Uint8Array;
  /** DER SubjectPublicKeyInfo, whose SM3 is the envelope recipient ID. */
  spki: Uint8Array;
  publicKeyHex: string;
}

/** The first certificate of a PEM file, with its public key (tbsCertificate's subjectPublicKeyInfo). */
export function certificateFromPem(text: string): BrowserCertificate {
  const [der] = pemBodies(text, 'CERTIFICATE');
  if (!der) throw new Error('文件中没有证书（应为 PEM 格式，如 sign.cert.pem / enc.cert.pem）');
  const cert = readTlv(der, 0);
  const [tbs] = children(der, cert);
  if (!tbs) throw new Error('证书格式错误');
  const fields = children(der, tbs);
  // version [0] is optional; then serial, signature, issuer, validity, subject, subjectPublicKeyInfo
  const index = fields[0]?.tag === 0xa0 ? 6 : 5;
  const spkiTlv = fields[index];
  if (!spkiTlv) throw new Error('证书格式错误');
  return { der, ...spkiOf(der.subarray(spkiTlv.headerStart, spkiTlv.end)) };
}

/** A public key from 'PUBLIC KEY' PEM (the opening key is published so). */
export function publicKeyFromPem(text: string): { spki: Uint8Array; publicKeyHex: string } {
  const [der] = pemBodies(text, 'PUBLIC KEY');
  if (!der) throw new Error('不是 PEM 格式的公钥');
  return spkiOf(der);
}

function spkiOf(spki: Uint8Array): { spki: Uint8Array; publicKeyHex: string } {
  const [, bits] = children(spki, readTlv(spki, 0));
  if (bits?.tag !== 0x03) throw new Error('公钥格式错误');
  const point = spki.subarray(bits.start + 1, bits.end); // skip the unused-bits byte
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('不是未压缩的 SM2 公钥');
  return { spki, publicKeyHex: toHex(point) };
}

const SM2_SPKI_PREFIX = '3059301306072a8648ce3d020106082a811ccf5501822d034200';

/** The DER SubjectPublicKeyInfo of an SM2 public key (id-ecPublicKey, the SM2 curve), as OpenSSL writes it. */
export function sm2Spki(publicKeyHex: string): Uint8Array {
  return fromHex(SM2_SPKI_PREFIX + publicKeyHex);
}

/** Envelope recipient ID: lowercase hex SM3 of the DER SubjectPublicKeyInfo. */
export function recipientKeyId(spki: Uint8Array): string {
  return toHex(sm3(spki));
}

/** SM2-encrypts a content key to a public key; base64url of the DER SM2Cipher (C1 ‖ C3 ‖ C2). */
export function wrapKey(publicKeyHex: string, contentKey: Uint8Array): string {
  const der = sm2.doEncrypt(contentKey, publicKeyHex, 1, { asn1: true });
  return toBase64Url(fromHex(der));
}

/** Decrypts a wrapped content key with the bidder's encryption private key. */
export function unwrapKey(key: BrowserSm2Key, encryptedKey: string): Uint8Array {
  const der = toHex(fromBase64(encryptedKey));
  const out = sm2.doDecrypt(der, key.scalarHex, 1, { output: 'array', asn1: true });
  if (!out || out.length === 0) throw new Error('内容密钥解密失败：所选私钥不是该投标文件的加密证书私钥');
  return out;
}

/** SM2-SM3 signature (DER, base64url) over the UTF-8 message with the GM/T 0009 default user ID. */
export function signText(key: BrowserSm2Key, message: string): string {
  const der = sm2.doSignature(new TextEncoder().encode(message), key.scalarHex, {
    der: true,
    hash: true,
    publicKey: key.publicKeyHex,
    userId: SM2_USER_ID,
  });
  return toBase64Url(fromHex(der));
}
