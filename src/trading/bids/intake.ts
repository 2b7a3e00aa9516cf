import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  CertificateError,
  findBindingOfSigningCertificate,
  type ParsedCertificate,
  parseCertificateDer,
  parseCertificates,
} from '../../platform/certs/index.ts';
import { envelopeKeyId, importSm2PublicKeyDer } from '../../platform/crypto/index.ts';
import { AppError, Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import { appendWitnessEvent } from '../../platform/witness/index.ts';
import {
  type BidsContext,
  type BidsDeps,
  CITATIONS,
  DEADLINE_JOB,
  MAX_CHUNK_BYTES,
  type ReadDb,
  type Tx,
} from './context.ts';
import {
  assertLotNotSuspended,
  CREDIT_CITATION,
  depositStatus,
  findLot,
  getLotTimeline,
  hasObtainedDocuments,
  type LotSummary,
  type LotTimeline,
} from './deps.ts';
import {
  BID_SEALED_ACTION,
  BID_WITNESS_TYPE,
  type BidReceipt,
  isSealedHeader,
  manifestSm3,
  RECEIPT_FORMAT,
  SEALED_HEADER_LENGTH,
  SEALED_MIN_LENGTH,
  type SignedBidManifest,
  type SignedBidReceipt,
  verifyManifestSignature,
} from './format.ts';
import { hashPool } from './hash-pool.ts';
import { type Bidder, bidderRefOf, requireBidder } from './policy.ts';
import { defaultSettingsRow, loadSettings } from './settings.ts';
import {
  ChunkLimitExceeded,
  readHead,
  removeStaging,
  StagingState,
  stagingFile,
  writeChunk,
} from './staging.ts';
import * as store from './store.ts';

/**
 * 投标文件递交 (电子招标投标办法第二十五–二十七条): a bidder announces its signed manifest, uploads each
 * sealed part in chunks (resumable, tus-like), then completes; completion decides "before the deadline"
 * under the lot's intake lock and answers with the signed receipt.
 */

/** Per-process staging state (hashes of parts in flight, one writer per part). */
export const staging = new StagingState();

function partKey(uploadId: string, no: number): string {
  return `${uploadId}/${no}`;
}

/** The identity sealed with each upload and bid (opened only for the opening, after the deadline). */
export interface SealedBidder {
  organizationId: string;
  accountId: string;
  creditCode: string;
  name: string;
  ip: string | null;
  userAgent: string | null;
  signCertFingerprint: string;
  encCertKeyId: string;
}

// ------------------------------------------------------------------------------------ shared checks

export function bidAfterDeadline(timeline: LotTimeline, now: Date): RuleViolation {
  return new RuleViolation('BID_AFTER_DEADLINE', {
    title: '已过投标截止时间',
    detail: `投标截止时间为 ${formatCn(timeline.bidDeadline)}，服务器时间为 ${formatCn(now)}，投标文件不予接收。`,
    citation: CITATIONS.deadline,
    extensions: { bidDeadline: timeline.bidDeadline.toISOString(), serverTime: now.toISOString() },
  });
}

/** The lot accepts bids now: announced, not terminated or suspended, before the deadline. */
export function assertIntakeOpen(timeline: LotTimeline | null, now: Date): LotTimeline {
  if (!timeline) {
    throw new RuleViolation('BIDS_NOT_OPEN', {
      title: '该标段（包）尚未发布招标公告',
      detail: '招标（采购）公告发布后方可递交投标文件。',
      citation: CITATIONS.intake,
    });
  }
  if (timeline.status === 'terminated') {
    throw new RuleViolation('LOT_TERMINATED', {
      title: '招标已终止',
      detail: '该标段（包）的招标已终止，不再接收投标文件。',
      citation: CITATIONS.intake,
    });
  }
  if (timeline.suspended) {
    throw new RuleViolation('TENDER_SUSPENDED', {
      title: '招标投标活动已暂停',
      detail: '对招标文件的异议尚未答复，招标投标活动暂停，暂不接收投标文件。',
      citation: CITATIONS.suspended,
    });
  }
  if (now.getTime() >= timeline.bidDeadline.getTime()) throw bidAfterDeadline(timeline, now);
  return timeline;
}

function formatCn(date: Date): string {
  return `${date.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}.${String(
    date.getUTCMilliseconds(),
  ).padStart(3, '0')}（北京时间）`;
}

async function lotOf(db: ReadDb, lotId: string): Promise<LotSummary> {
  const lot = await findLot(db, lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  return lot;
}

/**
 * The signing certificate of a manifest: bound to the bidder's organisation (certs binding 'bound'),
 * valid now (chain, expiry, CRL), and its signature over the manifest valid. Returns the binding.
 */
async function checkSigner(deps: BidsDeps, bidder: Bidder, signed: SignedBidManifest) {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificateDer(Buffer.from(signed.manifest.signerCertificate, 'base64'));
  } catch {
    throw new InvalidInput('BID_SIGNER_CERT_MALFORMED', {
      title: '投标文件签名证书格式错误',
      detail: 'signerCertificate 应为签名证书 DER 的 base64 编码。',
    });
  }
  const binding = await findBindingOfSigningCertificate(deps.db, cert.fingerprintSha256);
  if (binding?.status !== 'bound' || binding.organizationId !== bidder.organizationId) {
    throw new Forbidden('BID_CERT_NOT_BOUND', {
      title: '签名证书未绑定到本单位',
      detail:
        binding?.status === 'pending'
          ? '该签名证书的绑定尚待交易中心确认。'
          : '投标文件须使用已绑定到本单位的数字证书签名（请先在“证书管理”中绑定双证书）。',
      citation: CITATIONS.certificate,
    });
  }
  try {
    await deps.trust.validate(cert, {
      purpose: 'signing',
      intermediates: binding.chainPem ? parseCertificates(binding.chainPem) : [],
    });
  } catch (error) {
    if (error instanceof CertificateError) {
      throw new RuleViolation(`BID_${error.code}`, {
        title: `签名证书无效：${error.title}`,
        detail: error.detail ?? '',
        citation: CITATIONS.certificate,
      });
    }
    throw error;
  }
  if (cert.publicKey.kind !== 'sm2') {
    throw new InvalidInput('BID_SIGNATURE_ALGORITHM', {
      title: '投标文件须以 SM2 证书签名',
      detail: `签名证书的密钥类型为 ${cert.publicKey.kind}。`,
    });
  }
  const publicKey = importSm2PublicKeyDer(cert.publicKey.spki);
  if (!verifyManifestSignature(signed, publicKey)) {
    throw new InvalidInput('BID_SIGNATURE_INVALID', {
      title: '投标文件签名验证失败',
      detail: '清单（manifest）的 SM2 签名与所附签名证书不符，或清单内容已被改动。',
      citation: CITATIONS.certificate,
    });
  }
  const encKeyId = envelopeKeyId(
    importSm2PublicKeyDer(parseCertificateDer(new Uint8Array(binding.encCertificateDer)).publicKey.spki),
  );
  return { cert, binding, encKeyId };
}

function checkManifestShape(signed: SignedBidManifest, lot: LotSummary, bidder: Bidder, lotId: string) {
  const m = signed.manifest;
  const mismatch = (detail: string) =>
    new InvalidInput('BID_MANIFEST_MISMATCH', { title: '投标文件清单与本次投标不符', detail });
  if (m.lotId !== lotId || m.lotCode !== lot.code) {
    throw mismatch(`清单所列标段为 ${m.lotCode}（${m.lotId}），本次投标的标段为 ${lot.code}。`);
  }
  if (
    m.bidder.organizationId !== bidder.organizationId ||
    m.bidder.creditCode !== bidder.creditCode ||
    m.bidder.name !== bidder.name
  ) {
    throw mismatch('清单所列投标人与当前登录单位（名称、统一社会信用代码）不一致。');
  }
  const numbers = m.parts.map((p) => p.no);
  if (numbers.some((no, i) => no !== i + 1)) throw mismatch('组成部分应从 1 起连续编号。');
  if (m.parts[0]?.kind !== 'summary' || m.parts.filter((p) => p.kind === 'summary').length !== 1) {
    throw mismatch('第 1 部分应为开标一览表（summary），且只能有一份。');
  }
}

// --------------------------------------------------------------------------------- create upload

export interface UploadView {
  uploadId: string;
  status: string;
  parts: { no: number; offset: number; length: number }[];
}

export async function createUpload(
  ctx: BidsContext,
  lotId: string,
  signed: SignedBidManifest,
): Promise<UploadView> {
  const { deps } = ctx;
  const bidder = await requireBidder(ctx);
  const lot = await lotOf(ctx.db, lotId);
  assertIntakeOpen(await getLotTimeline(ctx.db, lotId), ctx.clock.now());
  await assertLotNotSuspended(ctx.db, lotId, ctx.clock.now());
  if (!(await hasObtainedDocuments(ctx.db, lotId, bidder.organizationId))) {
    throw new RuleViolation('BID_DOCUMENTS_NOT_OBTAINED', {
      title: '未获取招标文件',
      detail: '本单位未在平台获取该标段（包）的招标文件，不能递交投标文件。',
      citation: CITATIONS.documents,
    });
  }
  checkManifestShape(signed, lot, bidder, lotId);
  const settings = await loadSettings(ctx.db, lotId);
  const tooLarge = signed.manifest.parts.find((p) => p.content.sealedLength > settings.maxPartBytes);
  if (tooLarge) {
    throw new AppError(413, 'BID_PART_TOO_LARGE', {
      title: '投标文件组成部分超过大小限制',
      detail: `第 ${tooLarge.no} 部分“${tooLarge.name}”为 ${tooLarge.content.sealedLength} 字节，招标文件规定每部分不超过 ${settings.maxPartBytes} 字节。`,
      extensions: { maxPartBytes: settings.maxPartBytes },
    });
  }
  const tooSmall = signed.manifest.parts.find((p) => p.content.sealedLength < SEALED_MIN_LENGTH);
  if (tooSmall) {
    throw new InvalidInput('BID_PART_NOT_SEALED', {
      title: '投标文件未加密',
      detail: `第 ${tooSmall.no} 部分的长度不足一个 SM4 密封数据的最小长度，不是加密的投标文件。`,
      citation: CITATIONS.encrypted,
    });
  }
  const { cert, encKeyId } = await checkSigner(deps, bidder, signed);
  for (const part of signed.manifest.parts) {
    const ids = new Set(part.recipients.map((r) => r.keyId));
    if (!ids.has(encKeyId)) {
      throw new RuleViolation('BID_RECIPIENT_MISSING', {
        title: '投标文件未按本单位加密证书加密',
        detail: `第 ${part.no} 部分的内容密钥没有加密给本单位已绑定的加密证书，开标时将无法解密。`,
        citation: CITATIONS.encrypted,
      });
    }
    if (settings.openingKey && !ids.has(settings.openingKey.keyId)) {
      throw new RuleViolation('BID_OPENING_KEY_MISSING', {
        title: '投标文件未按招标文件要求加密给开标备用密钥',
        detail: `招标文件允许备用解密，第 ${part.no} 部分的内容密钥须同时加密给开标备用密钥（${settings.openingKey.keyId.slice(0, 16)}…）。`,
        citation: CITATIONS.fallback,
      });
    }
  }
  const barred = await deps.eligibility.barredReasons({
    organizationId: bidder.organizationId,
    lotId,
    stage: 'bid',
    at: ctx.clock.now(),
  });
  if (barred.length > 0) {
    throw new Forbidden('BIDDER_BARRED', {
      title: '本单位被限制参加投标',
      detail: barred.join('；'),
      citation: CREDIT_CITATION,
    });
  }
  await assertDepositSatisfied(ctx, lotId, bidder.organizationId);

  const sm3 = manifestSm3(signed);
  const bidderRef = bidderRefOf(ctx, lotId, bidder.organizationId);
  const existing = await store.findUploadByNonce(ctx.db, signed.manifest.nonce);
  if (existing) {
    // The same request again (a retried POST): the same upload, with its offsets.
    if (
      existing.manifest_sm3 === sm3 &&
      existing.bidder_ref === bidderRef &&
      existing.status === 'uploading'
    ) {
      return uploadView(ctx.db, existing.id, existing.status);
    }
    throw nonceReused();
  }

  const id = randomUUID();
  const now = ctx.clock.now();
  const sealed: SealedBidder = {
    organizationId: bidder.organizationId,
    accountId: bidder.actor.accountId,
    creditCode: bidder.creditCode,
    name: bidder.name,
    ip: ctx.origin.ip,
    userAgent: ctx.origin.userAgent,
    signCertFingerprint: cert.fingerprintSha256,
    encCertKeyId: encKeyId,
  };
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await store.ensureSettingsRow(tx, defaultSettingsRow(lotId, now));
      await store.insertUpload(
        tx,
        {
          id,
          lot_id: lotId,
          bidder_ref: bidderRef,
          bidder_sealed: deps.sealer.seal(JSON.stringify(sealed), `bid-upload:${id}`),
          manifest_sealed: deps.sealer.seal(JSON.stringify(signed), `bid-upload-manifest:${id}`),
          manifest_sm3: sm3,
          nonce: signed.manifest.nonce,
          status: 'uploading',
          bid_id: null,
          created_at: now,
          finished_at: null,
        },
        signed.manifest.parts.map((p) => ({
          upload_id: id,
          no: p.no,
          sealed_length: p.content.sealedLength,
          sealed_sm3: p.content.sealedDigest,
          algorithm: p.content.algorithm,
          received: 0,
        })),
      );
      await scheduleDeadlineJob(tx, lotId, (await getLotTimeline(tx, lotId))!.bidDeadline);
      await appendWitnessEvent(tx, now, sealedOrigin(ctx.origin), {
        entityType: 'bid-upload',
        entityId: id,
        action: 'bid.upload-started',
        payload: { manifestSm3: sm3 },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nonceReused();
    throw error;
  }
  return uploadView(ctx.db, id, 'uploading');
}

export function scheduleDeadlineJob(tx: Tx, lotId: string, deadline: Date) {
  return enqueueJob(tx, {
    type: DEADLINE_JOB,
    payload: { lotId },
    runAt: deadline,
    dedupeKey: `${DEADLINE_JOB}:${lotId}:${deadline.toISOString()}`,
  });
}

async function assertDepositSatisfied(ctx: BidsContext, lotId: string, organizationId: string) {
  const status = await depositStatus(ctx.db, ctx.deps.sealer, lotId, organizationId);
  if (status.required && !status.satisfied) {
    throw new RuleViolation('BID_DEPOSIT_NOT_PAID', {
      title: '投标保证金未缴纳',
      detail: `招标文件要求投标保证金 ${status.requiredYuan ?? ''} 元，本单位已到账 ${status.paidYuan} 元。`,
      citation: CITATIONS.deposit,
    });
  }
}

function nonceReused() {
  return new RuleViolation('BID_NONCE_REUSED', {
    title: '该投标文件清单已使用过',
    detail: '每份签名清单只能递交一次；如需替换投标文件，请重新制作（ggzy bid pack）。',
    citation: CITATIONS.modifyWithdraw,
  });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === '23505';
}

async function uploadView(db: ReadDb, uploadId: string, status: string): Promise<UploadView> {
  const parts = await store.listUploadParts(db, uploadId);
  return {
    uploadId,
    status,
    parts: parts.map((p) => ({ no: p.no, offset: Number(p.received), length: Number(p.sealed_length) })),
  };
}

/** The upload, if it is the actor's own; otherwise 404 (nobody learns of another bidder's upload). */
async function ownUpload(ctx: BidsContext, uploadId: string) {
  const bidder = await requireBidder(ctx);
  return { bidder, upload: await uploadOfOrganization(ctx, uploadId, bidder.organizationId) };
}

async function uploadOfOrganization(ctx: BidsContext, uploadId: string, organizationId: string) {
  const upload = await store.findUpload(ctx.db, uploadId);
  if (!upload || upload.bidder_ref !== bidderRefOf(ctx, upload.lot_id, organizationId)) {
    throw new NotFound('BID_UPLOAD_NOT_FOUND', { title: '投标文件上传任务不存在' });
  }
  return upload;
}

export async function getUpload(ctx: BidsContext, uploadId: string): Promise<UploadView> {
  const { upload } = await ownUpload(ctx, uploadId);
  return uploadView(ctx.db, upload.id, upload.status);
}

// ------------------------------------------------------------------------------------ chunks (PATCH)

function offsetMismatch(current: number) {
  return new RuleViolation('UPLOAD_OFFSET_MISMATCH', {
    title: '上传偏移量不符',
    detail: `服务器已收到 ${current} 字节；请从该位置继续上传（重复或乱序的数据块不予接收）。`,
    extensions: { offset: current },
  });
}

function uploadClosed(status: string) {
  return new RuleViolation('BID_UPLOAD_CLOSED', {
    title: status === 'expired' ? '上传未在投标截止前完成，视为撤回' : '该上传任务已完成',
    detail:
      status === 'expired'
        ? '投标截止时未完成上传的投标文件视为撤回。'
        : '该投标文件已递交完成，无需继续上传。',
    citation: CITATIONS.intake,
  });
}

/**
 * For chunks and HEAD: the upload must be the actor's organisation's (the registration and everything
 * else were checked when the upload began and are checked again at completion), one query per chunk less.
 */
async function uploadPart(ctx: BidsContext, uploadId: string, no: number) {
  const actor = ctx.actor;
  if (!actor?.organizationId || !actor.roles.includes('responder')) {
    throw new NotFound('BID_UPLOAD_NOT_FOUND', { title: '投标文件上传任务不存在' });
  }
  const upload = await uploadOfOrganization(ctx, uploadId, actor.organizationId);
  const part = await store.findUploadPart(ctx.db, uploadId, no);
  if (!part) throw new NotFound('BID_UPLOAD_PART_NOT_FOUND', { title: '投标文件组成部分不存在' });
  return { upload, part };
}

export async function partOffset(ctx: BidsContext, uploadId: string, no: number) {
  const { upload, part } = await uploadPart(ctx, uploadId, no);
  return { offset: Number(part.received), length: Number(part.sealed_length), status: upload.status };
}

/**
 * PATCH: appends one chunk at `offset` (tus semantics: a chunk at any other offset — duplicated or out of
 * order — is refused with the current offset). The bytes are fsync'd before the new offset is recorded.
 */
export async function receiveChunk(
  ctx: BidsContext,
  input: {
    uploadId: string;
    no: number;
    offset: number;
    contentLength: number | null;
    body: AsyncIterable<Uint8Array | string>;
  },
): Promise<{ offset: number; length: number }> {
  const { upload, part } = await uploadPart(ctx, input.uploadId, input.no);
  if (upload.status !== 'uploading') throw uploadClosed(upload.status);
  assertIntakeOpen(await getLotTimeline(ctx.db, upload.lot_id), ctx.clock.now());
  const length = Number(part.sealed_length);
  const received = Number(part.received);
  if (input.offset !== received) throw offsetMismatch(received);
  const room = Math.min(MAX_CHUNK_BYTES, length - received);
  if (input.contentLength !== null && input.contentLength > room) throw chunkTooLarge(room, length);
  if (!staging.tryLock(input.uploadId, input.no)) throw offsetMismatch(received);
  try {
    const file = stagingFile(ctx.deps.dataDir, input.uploadId, input.no);
    let written: number;
    try {
      written = await writeChunk(file, received, input.body, room, (head) => {
        if (!isSealedHeader(head, part.algorithm as 'sm4-ctr-hmac-sm3')) throw notSealed(input.no);
      });
    } catch (error) {
      if (error instanceof ChunkLimitExceeded) throw chunkTooLarge(room, length);
      throw error;
    }
    const next = received + written;
    if (written > 0 && !(await store.advanceUploadPart(ctx.db, input.uploadId, input.no, received, next))) {
      const now = await store.findUploadPart(ctx.db, input.uploadId, input.no);
      throw offsetMismatch(Number(now?.received ?? 0));
    }
    // Hashed on a worker thread, in order, from the page cache (hash-pool.ts). The chunk is acknowledged
    // once hashed too, so the hashing keeps pace with the upload and completion finds the digests ready.
    // A failed or out-of-step update only drops the state: completion then hashes the whole file.
    if (written > 0) {
      await hashPool.update(partKey(input.uploadId, input.no), file, received, written).catch(() => false);
    }
    return { offset: next, length };
  } finally {
    staging.unlock(input.uploadId, input.no);
  }
}

function chunkTooLarge(room: number, length: number) {
  return new AppError(413, 'UPLOAD_CHUNK_TOO_LARGE', {
    title: '数据块过大',
    detail: `每个数据块不超过 ${MAX_CHUNK_BYTES} 字节，且不得超出清单声明的长度 ${length} 字节；本块最多可接收 ${room} 字节。`,
    extensions: { maxChunk: room },
  });
}

function notSealed(no: number) {
  return new InvalidInput('BID_PART_NOT_SEALED', {
    title: '投标文件未加密',
    detail: `第 ${no} 部分不是 SM4 密封格式（GZS4）的密文，平台拒收未加密的投标文件。请使用投标文件制作工具加密后再递交。`,
    citation: CITATIONS.encrypted,
  });
}

// ------------------------------------------------------------------------------------------ complete

/** A fault-injection point for the crash test (docs/bids.md "Testing"): never set in production. */
export const FAULT_ENV = 'GGZY_FAULT_BID_COMPLETE';

export async function completeUpload(ctx: BidsContext, uploadId: string): Promise<SignedBidReceipt> {
  const { deps } = ctx;
  const { bidder, upload } = await ownUpload(ctx, uploadId);
  if (upload.status === 'completed') return receiptOfUpload(ctx, upload.id);
  if (upload.status !== 'uploading') throw uploadClosed(upload.status);
  const timeline = await getLotTimeline(ctx.db, upload.lot_id);
  assertIntakeOpen(timeline, ctx.clock.now());
  await assertLotNotSuspended(ctx.db, upload.lot_id, ctx.clock.now());
  const signed = JSON.parse(
    deps.sealer.open(upload.manifest_sealed, `bid-upload-manifest:${upload.id}`),
  ) as SignedBidManifest;
  const sealedBidder = JSON.parse(
    deps.sealer.open(upload.bidder_sealed, `bid-upload:${upload.id}`),
  ) as SealedBidder;
  // The certificate may have been revoked while a large bid was uploading: checked again now.
  await checkSigner(deps, bidder, signed);
  await assertDepositSatisfied(ctx, upload.lot_id, bidder.organizationId);

  if (!staging.tryLock(uploadId, 0)) throw completing();
  try {
    const parts = await store.listUploadParts(ctx.db, uploadId);
    const verified: { no: number; sha256: string; sm3: string; length: number; algorithm: string }[] = [];
    for (const part of parts) {
      const length = Number(part.sealed_length);
      if (Number(part.received) !== length) {
        throw new RuleViolation('BID_UPLOAD_INCOMPLETE', {
          title: '投标文件尚未上传完整',
          detail: `第 ${part.no} 部分已收到 ${part.received} 字节，清单声明 ${length} 字节。`,
          extensions: { no: part.no, offset: Number(part.received), length },
        });
      }
      const file = stagingFile(deps.dataDir, uploadId, part.no);
      if (part.verified_sha256 && !(await exists(file)) && (await deps.blobs.has(part.verified_sha256))) {
        // Verified and moved to the blob store by an earlier attempt that did not commit.
        verified.push({
          no: part.no,
          sha256: part.verified_sha256,
          sm3: part.sealed_sm3,
          length,
          algorithm: part.algorithm,
        });
        continue;
      }
      const digests =
        (await hashPool.take(partKey(uploadId, part.no), length)) ?? (await hashPool.hashFile(file));
      if ((await stat(file)).size !== length) {
        await resetPart(ctx, uploadId, part.no, length);
        throw new RuleViolation('BID_PART_LENGTH_MISMATCH', {
          title: '投标文件长度与清单不符',
          detail: `第 ${part.no} 部分的长度与清单不符，已清除该部分，请重新上传。`,
        });
      }
      if (digests.sm3 !== part.sealed_sm3) {
        await resetPart(ctx, uploadId, part.no, length);
        throw new RuleViolation('BID_PART_DIGEST_MISMATCH', {
          title: '投标文件与清单的摘要不符',
          detail: `第 ${part.no} 部分的 SM3 摘要为 ${digests.sm3}，清单声明为 ${part.sealed_sm3}；该部分已清除，请重新上传。`,
          citation: CITATIONS.encrypted,
        });
      }
      if (!isSealedHeader(await readHead(file, SEALED_HEADER_LENGTH), part.algorithm as 'sm4-ctr-hmac-sm3')) {
        await resetPart(ctx, uploadId, part.no, length);
        throw notSealed(part.no);
      }
      verified.push({
        no: part.no,
        sha256: digests.sha256,
        sm3: digests.sm3,
        length,
        algorithm: part.algorithm,
      });
    }

    // Into the content-addressed store (no `blobs` row: it would name the uploader), then one transaction.
    for (const part of verified) {
      const file = stagingFile(deps.dataDir, uploadId, part.no);
      if (!(await exists(file))) continue; // adopted by an earlier attempt
      await store.markUploadPartVerified(ctx.db, uploadId, part.no, part.sha256);
      await adopt(deps, file, part);
    }
    const fault = process.env[FAULT_ENV];
    if (fault === 'after-adopt') throw new Error(`fault injected (${FAULT_ENV}=after-adopt)`);
    if (fault === 'exit-after-adopt') process.exit(86);

    const signer = await deps.receipts.signer();
    const bidId = randomUUID();
    let outcome: { kind: 'receipt'; receipt: SignedBidReceipt } | { kind: 'replay' };
    try {
      outcome = await ctx.db.transaction().execute(async (tx) => {
        await store.lockIntake(tx, upload.lot_id);
        const now = ctx.clock.now(); // read after the lock: the deadline job holds the same lock
        const locked = await store.lockUpload(tx, uploadId);
        if (locked?.status === 'completed') return { kind: 'replay' as const };
        if (locked?.status !== 'uploading') throw uploadClosed(locked?.status ?? 'expired');
        assertIntakeOpen(await getLotTimeline(tx, upload.lot_id), now);

        const earlier = await store.lockLiveBid(tx, upload.lot_id, upload.bidder_ref);
        const origin = sealedOrigin(ctx.origin);
        if (earlier) await store.supersedeBid(tx, earlier.id, bidId);
        const event = await appendWitnessEvent(tx, now, origin, {
          entityType: BID_WITNESS_TYPE,
          entityId: bidId,
          action: BID_SEALED_ACTION,
          payload: {
            manifestSm3: upload.manifest_sm3,
            parts: verified.map((p) => ({ no: p.no, sealedDigest: p.sm3, sealedLength: p.length })),
            replaces: earlier ? earlier.id : null,
          },
        });
        if (earlier) {
          await appendWitnessEvent(tx, now, origin, {
            entityType: BID_WITNESS_TYPE,
            entityId: earlier.id,
            action: 'bid.superseded',
            payload: { supersededBy: bidId },
          });
        }
        const receipt: BidReceipt = {
          format: RECEIPT_FORMAT,
          bidId,
          lotId: upload.lot_id,
          lotCode: signed.manifest.lotCode, // checked against the lot when the upload began
          bidder: {
            organizationId: sealedBidder.organizationId,
            creditCode: sealedBidder.creditCode,
            name: sealedBidder.name,
          },
          manifestSm3: upload.manifest_sm3,
          parts: verified.map((p) => ({ no: p.no, sealedDigest: p.sm3, sealedLength: p.length })),
          receivedAt: now.toISOString(),
          witnessEventId: event.id,
          platformKeyId: signer.keyId,
        };
        const signedReceipt = await deps.receipts.sign(receipt);
        const sealedRecord: SealedBidder = {
          ...sealedBidder,
          accountId: bidder.actor.accountId,
          ip: ctx.origin.ip,
          userAgent: ctx.origin.userAgent,
        };
        await store.insertBid(
          tx,
          {
            id: bidId,
            lot_id: upload.lot_id,
            bidder_ref: upload.bidder_ref,
            bidder_sealed: deps.sealer.seal(JSON.stringify(sealedRecord), `bid:${bidId}`),
            upload_id: uploadId,
            manifest_sealed: deps.sealer.seal(JSON.stringify(signed), `bid-manifest:${bidId}`),
            manifest_sm3: upload.manifest_sm3,
            nonce: upload.nonce,
            status: 'live',
            received_at: now,
            witness_event_id: event.id,
            receipt_sealed: deps.sealer.seal(
              JSON.stringify({ receipt: signedReceipt.receipt, signature: signedReceipt.signature }),
              `bid-receipt:${bidId}`,
            ),
            superseded_by: null,
            withdrawn_at: null,
            withdrawal_event_id: null,
          },
          verified.map((p) => ({
            bid_id: bidId,
            no: p.no,
            kind: signed.manifest.parts[p.no - 1]!.kind,
            algorithm: p.algorithm,
            sealed_sha256: p.sha256,
            sealed_sm3: p.sm3,
            sealed_length: p.length,
          })),
        );
        await store.setUploadStatus(tx, uploadId, 'uploading', {
          status: 'completed',
          bid_id: bidId,
          finished_at: now,
        });
        return { kind: 'receipt' as const, receipt: signedReceipt };
      });
    } catch (error) {
      // Refused (e.g. one millisecond after the deadline): drop what we adopted unless a bid holds it.
      await dropAdopted(
        ctx,
        verified.map((p) => p.sha256),
      );
      throw error;
    }
    await removeStaging(deps.dataDir, uploadId);
    staging.forget(uploadId);
    if (outcome.kind === 'replay') return receiptOfUpload(ctx, uploadId);
    const witness = await deps.receipts.proof(outcome.receipt.receipt.witnessEventId);
    return { ...outcome.receipt, witness };
  } finally {
    staging.unlock(uploadId, 0);
  }
}

function completing() {
  return new RuleViolation('BID_UPLOAD_COMPLETING', {
    title: '正在完成递交',
    detail: '该投标文件正在校验和保存，请稍后重试；重试将得到同一份回执。',
  });
}

async function adopt(deps: BidsDeps, file: string, part: { sha256: string; sm3: string; length: number }) {
  const expected = { sha256: part.sha256, sm3: part.sm3, size: part.length };
  if (deps.blobs.adoptFile) {
    await deps.blobs.adoptFile(file, expected);
    return;
  }
  const stored = await deps.blobs.put(createReadStream(file), { maxBytes: part.length });
  if (stored.sha256 !== part.sha256) throw new Error('staging file changed while it was stored');
}

async function dropAdopted(ctx: BidsContext, sha256s: string[]) {
  for (const sha256 of sha256s) {
    if (!(await store.isSealedBlobReferenced(ctx.db, sha256))) await ctx.deps.blobs.delete?.(sha256);
  }
}

async function resetPart(ctx: BidsContext, uploadId: string, no: number, length: number) {
  await store.resetUploadPart(ctx.db, uploadId, no, length);
  staging.forget(uploadId);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The stored receipt of a completed upload (a replayed completion answers the same receipt). */
async function receiptOfUpload(ctx: BidsContext, uploadId: string): Promise<SignedBidReceipt> {
  const bid = await store.findBidByUpload(ctx.db, uploadId);
  if (!bid) throw new NotFound('BID_NOT_FOUND', { title: '投标文件不存在' });
  return storedReceipt(ctx.deps, bid);
}

export async function storedReceipt(
  deps: BidsDeps,
  bid: store.BidRow,
  timeoutMs?: number,
): Promise<SignedBidReceipt> {
  const saved = JSON.parse(deps.sealer.open(bid.receipt_sealed, `bid-receipt:${bid.id}`)) as Omit<
    SignedBidReceipt,
    'witness'
  >;
  const witness = await deps.receipts.proof(Number(bid.witness_event_id), timeoutMs);
  return { receipt: saved.receipt, signature: saved.signature, witness };
}
