/**
 * 投标工具（浏览器版）— the same flow as `ggzy bid pack` + `ggzy bid submit`, in the page: each part is
 * sealed with a fresh SM4 content key (the GZS4 format of docs/crypto.md), the key is wrapped to the bidder's
 * own SM2 encryption certificate (and to the tender's opening key when the tender allows the fallback), the
 * manifest is signed with the bidder's SM2 signing key, and only ciphertext leaves the browser. The private
 * keys are read from the files the person picks and stay in this page's memory.
 *
 * A part is sealed twice with the same key and IV: the first pass learns its SM3 and length for the signed
 * manifest, the second produces the identical bytes while they are uploaded in chunks — so a large file is
 * never held in memory, and an interrupted upload resumes from the server's offset (tus-style PATCH).
 */
import { ApiError, api } from './api.ts';
import { canonicalJson } from './gm/canonical.ts';
import {
  certificateFromPem,
  privateKeyFromPem,
  publicKeyFromPem,
  recipientKeyId,
  signText,
  wrapKey,
} from './gm/keys.ts';
import { SealWriter } from './gm/sealed.ts';
import { toBase64Url, toHex } from './gm/sm3.ts';

export type PartKind = 'summary' | 'commercial' | 'technical' | 'qualification' | 'other';

export const PART_KIND_NAMES_ZH: Record<PartKind, string> = {
  summary: '开标一览表',
  commercial: '商务部分',
  technical: '技术部分',
  qualification: '资格审查资料',
  other: '其他',
};

export interface SummaryField {
  key: string;
  label: string;
  type: string;
  required: boolean;
}

export interface BidSettingsView {
  lotId: string;
  summaryFields: SummaryField[];
  depositForms: string[];
  allowFallback: boolean;
  decryptWindowMinutes: number;
  maxPartBytes: number;
  openingKey: {
    keyId: string;
    publicKeyPem: string;
    threshold: number;
    custodians: { accountId: string; label: string }[];
  } | null;
  fixedAt: string | null;
}

export interface MyBidView {
  bidId: string;
  lotId: string;
  status: 'live' | 'superseded' | 'withdrawn';
  receivedAt: string;
  manifestSm3: string;
  parts: { no: number; kind: string; sealedDigest: string; sealedLength: number }[];
}

export interface SignedBidReceipt {
  receipt: {
    format: string;
    bidId: string;
    lotId: string;
    lotCode: string;
    bidder: { organizationId: string; creditCode: string; name: string };
    manifestSm3: string;
    parts: { no: number; sealedDigest: string; sealedLength: number }[];
    receivedAt: string;
    witnessEventId: number;
    platformKeyId: string;
  };
  signature: string;
  witness: unknown;
}

export interface BidFile {
  kind: Exclude<PartKind, 'summary'>;
  name: string;
  file: Blob & { name: string };
}

export interface KeyFiles {
  /** sign.key.pem, sign.cert.pem, enc.cert.pem: text of the files the person picked. */
  signKeyPem: string;
  signCertPem: string;
  encCertPem: string;
}

export interface Progress {
  phase: 'seal' | 'upload' | 'complete';
  done: number;
  total: number;
}

export interface PackInput {
  lot: { lotId: string; lotCode: string };
  bidder: { organizationId: string; creditCode: string; name: string };
  settings: BidSettingsView;
  summary: Record<string, string>;
  files: BidFile[];
  keys: KeyFiles;
  onProgress?: (progress: Progress) => void;
}

const READ_CHUNK = 4 * 1024 * 1024;
const TOOL_VERSION = 'web-1';

interface PreparedPart {
  no: number;
  kind: PartKind;
  name: string;
  filename: string;
  source: Blob;
  contentKey: Uint8Array;
  iv: Uint8Array;
  sealedDigest: string;
  sealedLength: number;
  recipients: { keyId: string; keyIdType: 'sm3-spki'; algorithm: 'sm2-encrypt'; encryptedKey: string }[];
}

/** The summary part's plaintext: UTF-8 canonical JSON, as docs/bids.md "Formats" says. */
export function summaryBytes(fields: Record<string, string>): Uint8Array {
  return new TextEncoder().encode(canonicalJson({ format: 'ggzy-bid-summary/v1', fields }));
}

/** Checks the summary against the tender's fields before anything is sealed; Chinese messages. */
export function summaryProblems(fields: SummaryField[], values: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    if (!value) {
      if (field.required) problems.push(`请填写“${field.label}”`);
      continue;
    }
    if (field.type === 'money' && !/^\d{1,16}(\.\d{1,2})?$/.test(value))
      problems.push(`“${field.label}”应为金额（元），最多两位小数`);
    if (field.type === 'integer' && !/^\d{1,12}$/.test(value)) problems.push(`“${field.label}”应为整数`);
    if (field.type === 'percent' && !/^\d{1,3}(\.\d{1,4})?$/.test(value))
      problems.push(`“${field.label}”应为百分数（如 95.5）`);
  }
  return problems;
}

async function* chunksOf(source: Blob): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < source.size; offset += READ_CHUNK) {
    yield new Uint8Array(await source.slice(offset, offset + READ_CHUNK).arrayBuffer());
  }
}

function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

function base64Std(bytes: Uint8Array): string {
  const url = toBase64Url(bytes).replace(/-/g, '+').replace(/_/g, '/');
  return url + '='.repeat((4 - (url.length % 4)) % 4);
}

/** Reads the key files and checks they belong together; throws Error with a Chinese message. */
export function readKeys(keys: KeyFiles) {
  const signKey = privateKeyFromPem(keys.signKeyPem);
  const signCert = certificateFromPem(keys.signCertPem);
  if (signCert.publicKeyHex !== signKey.publicKeyHex)
    throw new Error('签名私钥与签名证书不匹配：请选择同一套证书中的 sign.key.pem 和 sign.cert.pem');
  const encCert = certificateFromPem(keys.encCertPem);
  if (encCert.publicKeyHex === signCert.publicKeyHex)
    throw new Error('加密证书与签名证书相同：请选择 enc.cert.pem（加密证书）');
  return { signKey, signCert, encCert };
}

/** Seals, signs and uploads a bid; resolves with the platform's signed receipt. */
export async function packAndSubmit(input: PackInput): Promise<SignedBidReceipt> {
  const { signKey, signCert, encCert } = readKeys(input.keys);
  const recipients = [{ publicKeyHex: encCert.publicKeyHex, keyId: recipientKeyId(encCert.spki) }];
  if (input.settings.allowFallback && input.settings.openingKey) {
    const opening = publicKeyFromPem(input.settings.openingKey.publicKeyPem);
    recipients.push({ publicKeyHex: opening.publicKeyHex, keyId: recipientKeyId(opening.spki) });
  }
  const sources: { kind: PartKind; name: string; filename: string; source: Blob }[] = [
    {
      kind: 'summary',
      name: PART_KIND_NAMES_ZH.summary,
      filename: 'summary.json',
      source: new Blob([summaryBytes(input.summary) as BlobPart]),
    },
    ...input.files.map((f) => ({
      kind: f.kind,
      name: f.name,
      filename: f.file.name,
      source: f.file as Blob,
    })),
  ];
  for (const s of sources) {
    if (s.source.size + 56 > input.settings.maxPartBytes)
      throw new Error(`“${s.name}”超过招标文件规定的单个部分大小上限`);
  }
  const total = sources.reduce((n, s) => n + s.source.size, 0);
  const prepared: PreparedPart[] = [];
  let sealedSoFar = 0;
  try {
    // Pass 1: learn each part's SM3 and length.
    for (const [index, s] of sources.entries()) {
      const contentKey = randomBytes(32);
      const iv = randomBytes(16);
      const writer = new SealWriter(contentKey, iv);
      for await (const chunk of chunksOf(s.source)) {
        writer.update(chunk);
        sealedSoFar += chunk.length;
        input.onProgress?.({ phase: 'seal', done: sealedSoFar, total });
      }
      writer.finish();
      prepared.push({
        no: index + 1,
        ...s,
        contentKey,
        iv,
        sealedDigest: toHex(writer.sealedDigest()),
        sealedLength: writer.length,
        recipients: recipients.map((r) => ({
          keyId: r.keyId,
          keyIdType: 'sm3-spki',
          algorithm: 'sm2-encrypt',
          encryptedKey: wrapKey(r.publicKeyHex, contentKey),
        })),
      });
    }
    const manifest = {
      format: 'ggzy-bid/v1',
      lotId: input.lot.lotId,
      lotCode: input.lot.lotCode,
      bidder: input.bidder,
      nonce: toBase64Url(randomBytes(16)),
      createdAt: new Date().toISOString(),
      tool: { name: 'ggzy-bid', version: TOOL_VERSION },
      // A browser cannot read MAC addresses or disk serials; the platform records the address it saw.
      machine: { macs: [], cpu: null, diskSerial: null, hostname: null },
      signerCertificate: base64Std(signCert.der),
      parts: prepared.map((p) => ({
        no: p.no,
        kind: p.kind,
        name: p.name,
        filename: p.filename,
        content: {
          algorithm: 'sm4-ctr-hmac-sm3',
          sealedDigest: p.sealedDigest,
          sealedLength: p.sealedLength,
        },
        recipients: p.recipients,
      })),
    };
    const signed = {
      manifest,
      signature: {
        algorithm: 'sm2-sm3',
        userId: '1234567812345678',
        value: signText(signKey, canonicalJson(manifest)),
      },
    };
    const upload = await api.post<{
      uploadId: string;
      parts: { no: number; offset: number; length: number }[];
    }>(`/api/lots/${encodeURIComponent(input.lot.lotId)}/bid-uploads`, { manifest: signed });
    // Pass 2: the same bytes again, sent from wherever the server stands.
    const sealedTotal = prepared.reduce((n, p) => n + p.sealedLength, 0);
    let sent = 0;
    for (const part of prepared) {
      const state = upload.parts.find((x) => x.no === part.no);
      await uploadPart(upload.uploadId, part, state?.offset ?? 0, (n) => {
        sent += n;
        input.onProgress?.({ phase: 'upload', done: sent, total: sealedTotal });
      });
    }
    input.onProgress?.({ phase: 'complete', done: sealedTotal, total: sealedTotal });
    return await api.post<SignedBidReceipt>(
      `/api/bid-uploads/${encodeURIComponent(upload.uploadId)}/complete`,
    );
  } finally {
    for (const p of prepared) p.contentKey.fill(0);
  }
}

async function uploadPart(
  uploadId: string,
  part: PreparedPart,
  startOffset: number,
  onSent: (bytes: number) => void,
): Promise<void> {
  const url = `/api/bid-uploads/${encodeURIComponent(uploadId)}/parts/${part.no}`;
  let serverOffset = startOffset;
  let position = 0; // sealed bytes produced so far in this pass
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const writer = new SealWriter(part.contentKey, part.iv);

  const flush = async () => {
    if (pendingBytes === 0) return;
    const body = new Uint8Array(pendingBytes);
    let at = 0;
    for (const piece of pending) {
      body.set(piece, at);
      at += piece.length;
    }
    const chunkStart = position - pendingBytes;
    pending = [];
    pendingBytes = 0;
    for (let attempt = 0; ; attempt++) {
      const skip = Math.max(0, serverOffset - chunkStart);
      if (skip >= body.length) return; // the server has it already (a resumed upload)
      const response = await fetch(url, {
        method: 'PATCH',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/octet-stream', 'upload-offset': String(chunkStart + skip) },
        body: body.subarray(skip) as BodyInit,
      }).catch(() => null);
      if (response?.status === 204) {
        serverOffset = Number(response.headers.get('upload-offset') ?? chunkStart + body.length);
        onSent(body.length - skip);
        return;
      }
      if (response && response.status !== 409 && response.status < 500) {
        const problem = await response.json().catch(() => null);
        throw new ApiError(
          problem ?? { status: response.status, code: `HTTP_${response.status}`, title: '上传失败' },
        );
      }
      if (attempt >= 5) throw new Error('网络连接不稳定，上传多次失败；请稍后再试，已上传的部分会从断点继续');
      // A lost or refused chunk: ask where the server stands, wait a little, go on from there.
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
      const head = await fetch(url, { method: 'HEAD', credentials: 'same-origin' }).catch(() => null);
      if (head?.ok) serverOffset = Number(head.headers.get('upload-offset') ?? serverOffset);
    }
  };
  const push = async (bytes: Uint8Array) => {
    pending.push(bytes);
    pendingBytes += bytes.length;
    position += bytes.length;
    if (pendingBytes >= READ_CHUNK) await flush();
  };
  for await (const chunk of chunksOf(part.source)) await push(writer.update(chunk));
  await push(writer.finish());
  await flush();
  if (toHex(writer.sealedDigest()) !== part.sealedDigest)
    throw new Error(`“${part.name}”的文件在递交过程中被修改，请重新递交`);
}

/** The receipt as a file the bidder keeps (and checks with `ggzy bid verify-receipt`). */
export function receiptBlob(receipt: SignedBidReceipt): Blob {
  return new Blob([`${JSON.stringify(receipt, null, 2)}\n`], { type: 'application/json' });
}
