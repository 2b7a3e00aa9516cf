import {
  type ContentAlgorithm,
  canonicalJson,
  type DetachedContent,
  ENVELOPE_TYPE,
  ENVELOPE_VERSION,
  type Envelope,
  type EnvelopeRecipient,
  fromBase64Url,
  importSm2PublicKeyPem,
  SM2_DEFAULT_USER_ID,
  type Sm2PrivateKey,
  type Sm2PublicKey,
  sm2Sign,
  sm2Verify,
  sm3Hex,
  toBase64Url,
} from '../../platform/crypto/index.ts';
import {
  hashLeaf,
  keyIdOf,
  leafBytes,
  verifyCheckpointSignature,
  verifyInclusion,
  type WitnessLeafRow,
} from '../../platform/witness/index.ts';

/**
 * The sealed bid's formats (docs/bids.md "Formats", byte for byte): the signed manifest the bidder's tool
 * writes, the opening summary's plaintext and the platform's signed receipt. Pure: no database, no
 * network — the command line, the server and the opening module share it.
 */

export const BID_FORMAT = 'ggzy-bid/v1';
export const SUMMARY_FORMAT = 'ggzy-bid-summary/v1';
export const RECEIPT_FORMAT = 'ggzy-bid-receipt/v1';
export const BID_TOOL_NAME = 'ggzy-bid';
/** The witness event of an accepted bid: entity ('bid', bidId). */
export const BID_WITNESS_TYPE = 'bid';
export const BID_SEALED_ACTION = 'bid.sealed';

/** 投标文件的组成部分: 开标一览表, 商务部分, 技术部分, 资格审查资料, 其他. */
export type PartKind = 'summary' | 'commercial' | 'technical' | 'qualification' | 'other';
export const PART_KINDS: readonly PartKind[] = [
  'summary',
  'commercial',
  'technical',
  'qualification',
  'other',
];
export const PART_KIND_NAMES_ZH: Record<PartKind, string> = {
  summary: '开标一览表',
  commercial: '商务部分',
  technical: '技术部分',
  qualification: '资格审查资料',
  other: '其他',
};

/** Recorded openly in the manifest for collusion checks (同一台电脑制作投标文件, 条例第四十条). */
export interface MachineFingerprint {
  macs: string[];
  cpu: string | null;
  diskSerial: string | null;
  hostname: string | null;
}

export interface BidManifestPart {
  no: number;
  kind: PartKind;
  name: string;
  filename: string;
  content: DetachedContent;
  recipients: EnvelopeRecipient[];
}

export interface BidManifest {
  format: typeof BID_FORMAT;
  lotId: string;
  lotCode: string;
  bidder: { organizationId: string; creditCode: string; name: string };
  /** 16 random bytes, base64url: the same manifest is accepted once. */
  nonce: string;
  /** ISO 8601, the tool's clock (informative only; the server's time decides). */
  createdAt: string;
  tool: { name: typeof BID_TOOL_NAME; version: string };
  machine: MachineFingerprint;
  /** base64 (standard, padded) DER of the bidder's SM2 signing certificate. */
  signerCertificate: string;
  parts: BidManifestPart[];
}

export interface ManifestSignature {
  algorithm: 'sm2-sm3';
  userId: string;
  /** base64url of the DER SM2 signature over UTF-8 canonicalJson(manifest). */
  value: string;
}

export interface SignedBidManifest {
  manifest: BidManifest;
  signature: ManifestSignature;
}

export interface BidReceipt {
  format: typeof RECEIPT_FORMAT;
  bidId: string;
  lotId: string;
  lotCode: string;
  bidder: { organizationId: string; creditCode: string; name: string };
  manifestSm3: string;
  parts: { no: number; sealedDigest: string; sealedLength: number }[];
  /** Server time with milliseconds, ISO 8601 UTC. */
  receivedAt: string;
  witnessEventId: number;
  platformKeyId: string;
}

/** The witness event's leaf columns (docs/witness.md "Leaf format"), as JSON. */
export type ReceiptWitnessEvent = Omit<WitnessLeafRow, 'leaf_index' | 'leaf_hash'>;

export interface ReceiptWitness {
  event: ReceiptWitnessEvent;
  leafIndex: number;
  treeSize: number;
  /** RFC 9162 inclusion path, lowercase hex, leaf side first. */
  inclusionPath: string[];
  checkpoint: { treeSize: number; rootHash: string; issuedAt: string; keyId: string; signature: string };
}

export interface SignedBidReceipt {
  receipt: BidReceipt;
  /** base64url DER SM2 signature by the platform checkpoint key over UTF-8 canonicalJson(receipt). */
  signature: string;
  witness: ReceiptWitness | null;
}

const encoder = new TextEncoder();

/** The bytes the bidder signs: UTF-8 of canonicalJson(manifest) (RFC 8785). */
export function manifestSigningBytes(manifest: BidManifest): Uint8Array {
  return encoder.encode(canonicalJson(manifest));
}

/** SM3 (hex) of canonicalJson(signed manifest): the bid's identity in receipts and witness events. */
export function manifestSm3(signed: SignedBidManifest): string {
  return sm3Hex(encoder.encode(canonicalJson(signed)));
}

export function signManifest(
  manifest: BidManifest,
  key: Sm2PrivateKey,
  userId = SM2_DEFAULT_USER_ID,
): SignedBidManifest {
  const value = sm2Sign(key, manifestSigningBytes(manifest), { userId });
  return { manifest, signature: { algorithm: 'sm2-sm3', userId, value: toBase64Url(value) } };
}

export function verifyManifestSignature(signed: SignedBidManifest, publicKey: Sm2PublicKey): boolean {
  const value = fromBase64Url(signed.signature.value);
  if (!value || signed.signature.algorithm !== 'sm2-sm3') return false;
  return sm2Verify(publicKey, manifestSigningBytes(signed.manifest), value, {
    userId: signed.signature.userId,
  });
}

/** The envelope of one part, as `openDetachedEnvelope` takes it (the manifest carries the signature). */
export function partEnvelope(part: Pick<BidManifestPart, 'content' | 'recipients'>): Envelope {
  return {
    type: ENVELOPE_TYPE,
    version: ENVELOPE_VERSION,
    content: part.content,
    recipients: part.recipients,
  };
}

/** The opening summary's plaintext: UTF-8 canonical JSON `{"fields":{…},"format":"ggzy-bid-summary/v1"}`. */
export function summaryPlaintext(fields: Record<string, string>): Uint8Array {
  return encoder.encode(canonicalJson({ format: SUMMARY_FORMAT, fields }));
}

/** Reads a decrypted summary part; null when it is not one. */
export function parseSummary(bytes: Uint8Array): Record<string, string> | null {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const { format, fields } = value as { format?: unknown; fields?: unknown };
    if (format !== SUMMARY_FORMAT || typeof fields !== 'object' || fields === null) return null;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) {
      if (typeof v !== 'string') return null;
      out[k] = v;
    }
    return out;
  } catch {
    return null;
  }
}

/** The sealed SM4 header ("GZS4", version 1, mode, 00 00) of docs/crypto.md, for the given algorithm. */
export const SEALED_HEADER_LENGTH = 8;
/** header + IV + tag: nothing sealed is shorter. */
export const SEALED_MIN_LENGTH = 56;

export function isSealedHeader(header: Uint8Array, algorithm: ContentAlgorithm): boolean {
  const mode = algorithm === 'sm4-cbc-hmac-sm3' ? 0x02 : 0x01;
  return (
    header.length >= SEALED_HEADER_LENGTH &&
    header[0] === 0x47 &&
    header[1] === 0x5a &&
    header[2] === 0x53 &&
    header[3] === 0x34 &&
    header[4] === 0x01 &&
    header[5] === mode &&
    header[6] === 0 &&
    header[7] === 0
  );
}

export function receiptSigningBytes(receipt: BidReceipt): Uint8Array {
  return encoder.encode(canonicalJson(receipt));
}

export interface ReceiptVerification {
  ok: boolean;
  /** Why it is not valid, in Chinese. */
  problems: string[];
  /** True when the witness inclusion proof was present and checked. */
  witnessChecked: boolean;
  /** Not failures: e.g. the proof is not attached yet. */
  notes: string[];
}

/**
 * Checks a receipt offline: the platform's signature over the receipt; and, when the witness proof is
 * attached, that the witness event names this bid and manifest, that its leaf is in the tree under the
 * checkpoint's root, and that the checkpoint is signed by a platform key.
 */
export function verifyReceipt(
  signed: SignedBidReceipt,
  platformPublicKeys: (Sm2PublicKey | string)[],
): ReceiptVerification {
  const problems: string[] = [];
  const notes: string[] = [];
  const keys = new Map<string, Sm2PublicKey>();
  for (const key of platformPublicKeys) {
    const k = typeof key === 'string' ? importSm2PublicKeyPem(key) : key;
    keys.set(keyIdOf(k), k);
  }
  const receipt = signed?.receipt;
  if (!receipt || receipt.format !== RECEIPT_FORMAT) {
    return { ok: false, problems: ['不是投标回执（格式标识不符）'], witnessChecked: false, notes };
  }
  const key = keys.get(receipt.platformKeyId);
  const signature = typeof signed.signature === 'string' ? fromBase64Url(signed.signature) : null;
  if (!key) {
    problems.push(
      `签发回执的平台密钥 ${String(receipt.platformKeyId).slice(0, 16)}… 不在受信任的平台公钥之中`,
    );
  } else if (!signature || !sm2Verify(key, receiptSigningBytes(receipt), signature)) {
    problems.push('平台签名验证失败：回执内容或签名已被改动');
  }
  let witnessChecked = false;
  const w = signed.witness;
  if (!w) {
    notes.push('回执未附见证日志存在性证明（可稍后通过 GET /api/bids/:bidId/receipt 取得）');
  } else {
    witnessChecked = true;
    problems.push(...checkWitness(receipt, w, keys));
  }
  return { ok: problems.length === 0, problems, witnessChecked, notes };
}

function checkWitness(receipt: BidReceipt, w: ReceiptWitness, keys: Map<string, Sm2PublicKey>): string[] {
  const problems: string[] = [];
  const e = w.event;
  if (e.id !== receipt.witnessEventId) problems.push('见证事件编号与回执不符');
  if (e.entity_type !== BID_WITNESS_TYPE || e.entity_id !== receipt.bidId || e.action !== BID_SEALED_ACTION) {
    problems.push('见证事件不是本投标文件的递交记录');
  }
  let payload: { manifestSm3?: unknown } = {};
  try {
    payload = JSON.parse(e.payload) as { manifestSm3?: unknown };
  } catch {
    problems.push('见证事件内容不是 JSON');
  }
  if (payload.manifestSm3 !== receipt.manifestSm3) problems.push('见证事件记录的投标文件摘要与回执不符');
  let leafHash: Uint8Array;
  try {
    leafHash = hashLeaf(leafBytes({ ...e, leaf_index: w.leafIndex }, w.leafIndex));
  } catch {
    return [...problems, '见证事件字段无效，无法计算叶子哈希'];
  }
  const root = hexBytes(w.checkpoint.rootHash);
  const path = w.inclusionPath.map(hexBytes);
  if (
    !root ||
    path.some((p) => p === null) ||
    w.checkpoint.treeSize !== w.treeSize ||
    !verifyInclusion({
      leafIndex: w.leafIndex,
      treeSize: w.treeSize,
      leafHash,
      inclusionPath: path as Uint8Array[],
      rootHash: root,
    })
  ) {
    problems.push('存在性证明验证失败：见证事件不在所给检查点的默克尔树中');
  }
  const cpKey = keys.get(w.checkpoint.keyId);
  const cpSig = fromBase64Url(w.checkpoint.signature);
  const issuedAt = new Date(w.checkpoint.issuedAt);
  if (!cpKey) {
    problems.push('检查点签名密钥不在受信任的平台公钥之中');
  } else if (
    !root ||
    !cpSig ||
    Number.isNaN(issuedAt.getTime()) ||
    !verifyCheckpointSignature(
      {
        treeSize: w.checkpoint.treeSize,
        rootHash: root,
        issuedAt,
        keyId: w.checkpoint.keyId,
        signature: cpSig,
      },
      cpKey,
    )
  ) {
    problems.push('检查点签名验证失败');
  }
  return problems;
}

function hexBytes(hex: unknown): Uint8Array | null {
  if (typeof hex !== 'string' || !/^(?:[0-9a-f]{2})+$/.test(hex)) return null;
  return Buffer.from(hex, 'hex');
}
