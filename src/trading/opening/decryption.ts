import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type ContentAlgorithm,
  CryptoError,
  fromBase64Url,
  openDetachedContent,
  toBase64Url,
} from '../../platform/crypto/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { SYSTEM_ORIGIN, type WitnessOrigin } from '../../platform/witness/index.ts';
import {
  announce,
  CITATIONS,
  INLINE_VERIFY_BYTES,
  MAX_SUMMARY_BYTES,
  OPENING_WITNESS_TYPE,
  type OpeningContext,
  STORE_PART_JOB,
  type SystemContext,
  type Tx,
  witness,
} from './context.ts';
import { type BidSettings, SUMMARY_FORMAT } from './deps.ts';
import { closeDecryption, lockActiveHall } from './hall.ts';
import { requireSignedIn } from './policy.ts';
import * as store from './store.ts';

type SummaryField = BidSettings['summaryFields'][number];

function sealContext(bidId: string, no: number): string {
  return `opening-content-key:${bidId}:${no}`;
}

/** Streams a sealed part through the open stream; the MAC over the whole part decides. */
async function openPart(
  ctx: SystemContext,
  part: store.PartRow,
  contentKey: Uint8Array,
  sink: Writable,
): Promise<void> {
  const stream = openDetachedContent(
    {
      algorithm: part.algorithm as ContentAlgorithm,
      sealedDigest: part.sealed_sm3,
      sealedLength: Number(part.sealed_length),
    },
    contentKey,
  );
  await pipeline(await ctx.blobs.get(part.sealed_sha256), stream, sink);
}

/** The summary part's plaintext, size-capped (the sink refuses more than MAX_SUMMARY_BYTES). */
export async function readSummaryPart(
  ctx: SystemContext,
  part: store.PartRow,
  contentKey: Uint8Array,
): Promise<Buffer> {
  if (Number(part.sealed_length) > MAX_SUMMARY_BYTES + 128) {
    throw new InvalidInput('SUMMARY_TOO_LARGE', {
      title: '开标一览表过大',
      detail: `开标一览表部分不得超过 ${MAX_SUMMARY_BYTES} 字节。`,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  await openPart(
    ctx,
    part,
    contentKey,
    new Writable({
      write(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > MAX_SUMMARY_BYTES) done(new Error('summary over its size limit'));
        else {
          chunks.push(chunk);
          done();
        }
      },
    }),
  );
  return Buffer.concat(chunks);
}

async function verifyOnly(ctx: SystemContext, part: store.PartRow, contentKey: Uint8Array): Promise<void> {
  await openPart(ctx, part, contentKey, new Writable({ write: (_c, _e, done) => done() }));
}

/**
 * The opening summary (开标一览表) as the record shows it: the tender's fields, in its order, as the
 * bidder sealed them. The key has opened the part, so whatever it holds is read out — a missing or
 * malformed field is shown as such (its weight is the evaluation's business), never refused here.
 */
export function readSummaryFields(
  plaintext: Buffer,
  fields: SummaryField[],
): { fields: Record<string, string>; priceYuan: string | null; problems: string[] } {
  const problems: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    return { fields: {}, priceYuan: null, problems: ['开标一览表不是有效的 UTF-8 JSON'] };
  }
  const root = parsed as { format?: unknown; fields?: unknown };
  if (typeof parsed !== 'object' || parsed === null || root.format !== SUMMARY_FORMAT) {
    return { fields: {}, priceYuan: null, problems: [`开标一览表格式不是 ${SUMMARY_FORMAT}`] };
  }
  const given = (typeof root.fields === 'object' && root.fields !== null ? root.fields : {}) as Record<
    string,
    unknown
  >;
  const out: Record<string, string> = {};
  let priceYuan: string | null = null;
  for (const field of fields) {
    const raw = given[field.key];
    if (raw === undefined || raw === null || raw === '') {
      if (field.required) problems.push(`未填写“${field.label}”`);
      continue;
    }
    const text = String(raw).slice(0, 500);
    out[field.key] = text;
    if (field.type === 'money') {
      try {
        const yuan = fenToYuan(yuanToFen(text));
        out[field.key] = yuan;
        if (field.key === 'price' || priceYuan === null) priceYuan = yuan;
      } catch {
        problems.push(`“${field.label}”不是有效的金额：${text}`);
      }
    } else if (field.type === 'integer' && !/^-?\d{1,15}$/.test(text)) {
      problems.push(`“${field.label}”不是整数：${text}`);
    } else if (field.type === 'percent' && !/^\d{1,3}(\.\d{1,4})?$/.test(text)) {
      problems.push(`“${field.label}”不是有效的百分比：${text}`);
    }
  }
  return { fields: out, priceYuan, problems };
}

export interface ContentKeyInput {
  no: number;
  /** base64url of the 16- or 32-byte content key. */
  key: string;
}

function decodeKeys(keys: ContentKeyInput[]): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const { no, key } of keys) {
    const bytes = fromBase64Url(key);
    if (!bytes || (bytes.length !== 16 && bytes.length !== 32)) {
      throw new InvalidInput('CONTENT_KEY_MALFORMED', {
        title: '内容密钥格式错误',
        detail: `第 ${no} 部分的内容密钥应为 16 或 32 字节的 base64url。`,
      });
    }
    if (out.has(no))
      throw new InvalidInput('CONTENT_KEY_DUPLICATE', { title: `第 ${no} 部分的内容密钥重复` });
    out.set(no, bytes);
  }
  return out;
}

/**
 * 解密: the bidder (its own bid, within the window) posts the content keys it unwrapped on its own
 * machine. The summary part is opened now (MAC over the whole part, then the fields), small parts are
 * verified now, and the record entry lands — live — in the same transaction that takes the keys; every
 * part's plaintext is then stored by a job, so the record never waits for gigabytes.
 */
export async function postContentKeys(
  ctx: OpeningContext,
  lotId: string,
  bidId: string,
  keys: ContentKeyInput[],
) {
  const actor = requireSignedIn(ctx.actor);
  const decryption = await store.findDecryption(ctx.db, bidId);
  if (!decryption || decryption.lot_id !== lotId)
    throw new NotFound('BID_NOT_FOUND', { title: '投标文件不存在' });
  if (decryption.organization_id !== actor.organizationId || !actor.roles.includes('responder')) {
    throw new Forbidden('NOT_OWN_BID', {
      title: '只能解密本单位的投标文件',
      detail: '解密密钥只能由投标人本人提交。',
      citation: CITATIONS.decryption,
    });
  }
  const hall = await store.findHall(ctx.db, lotId);
  assertDecryptable(hall, ctx.clock.now());
  const parts = await store.listParts(ctx.db, bidId);
  const open = parts.filter((p) => p.status === 'sealed' || p.status === 'key-rejected');
  if (decryption.status !== 'pending' && !(decryption.status === 'decrypted' && open.length > 0)) {
    throw new RuleViolation('ALREADY_DECRYPTED', { title: '该投标文件已解密', detail: '无需重复提交密钥。' });
  }
  const decoded = decodeKeys(keys);
  try {
    for (const no of decoded.keys()) {
      if (!open.some((p) => p.no === no)) {
        throw new InvalidInput('CONTENT_KEY_UNEXPECTED', {
          title: `第 ${no} 部分无需（或不存在）提交内容密钥`,
        });
      }
    }
    const missing = open.filter((p) => !decoded.has(p.no));
    if (missing.length) {
      throw new InvalidInput('CONTENT_KEY_MISSING', {
        title: '缺少内容密钥',
        detail: `请提交以下部分的内容密钥：${missing.map((p) => `第 ${p.no} 部分（${p.name}）`).join('、')}。`,
      });
    }
    const settings = await ctx.ports.bidSettings(ctx.db, lotId);
    let summary: ReturnType<typeof readSummaryFields> | null = null;
    for (const part of open) {
      const key = decoded.get(part.no)!;
      try {
        if (part.kind === 'summary')
          summary = readSummaryFields(await readSummaryPart(ctx, part, key), settings.summaryFields);
        else if (Number(part.sealed_length) <= INLINE_VERIFY_BYTES) await verifyOnly(ctx, part, key);
      } catch (error) {
        if (!(error instanceof CryptoError)) throw error;
        await recordRejectedKey(ctx, lotId, bidId, part, error);
        throw new InvalidInput('CONTENT_KEY_REJECTED', {
          title: '内容密钥不能打开该部分投标文件',
          detail: `第 ${part.no} 部分（${part.name}）：${error.title}。请确认使用本单位加密证书的私钥解出的密钥后在解密时间内重试。`,
          citation: CITATIONS.decryption,
          extensions: { part: part.no },
        });
      }
    }
    const now = ctx.clock.now();
    await ctx.db.transaction().execute(async (tx) => {
      const current = await lockActiveHall(tx, lotId);
      assertDecryptable(current, now);
      const locked = await store.lockDecryption(tx, bidId);
      if (!locked || (locked.status !== 'pending' && locked.status !== 'decrypted')) {
        throw new RuleViolation('ALREADY_DECRYPTED', { title: '该投标文件已解密' });
      }
      await landDecryption(ctx, tx, {
        hall: current,
        decryption: locked,
        parts: open,
        keys: decoded,
        summary,
        via: 'bidder',
        at: now,
        origin: ctx.origin,
      });
    });
    return { bidId, status: 'decrypted' as const };
  } finally {
    for (const key of decoded.values()) key.fill(0);
  }
}

function assertDecryptable(hall: store.HallRow | undefined, now: Date): asserts hall is store.HallRow {
  if (hall?.state !== 'decrypting') {
    throw new RuleViolation('NOT_DECRYPTION_TIME', {
      title: '当前不在解密时间内',
      detail: '解密须在主持人开始解密后、解密截止时间前进行。',
      citation: CITATIONS.decryption,
    });
  }
  if (hall.paused) {
    throw new RuleViolation('OPENING_PAUSED', {
      title: '开标已暂停',
      detail: `暂停原因：${hall.pause_reason ?? ''}。恢复后解密时间相应顺延。`,
      citation: CITATIONS.emergency,
    });
  }
  if (hall.decrypt_until && now >= hall.decrypt_until) {
    throw new RuleViolation('DECRYPT_WINDOW_CLOSED', {
      title: '解密时间已截止',
      detail: `解密截止时间为 ${hall.decrypt_until.toISOString()}。`,
      citation: CITATIONS.failures,
    });
  }
}

async function recordRejectedKey(
  ctx: OpeningContext,
  lotId: string,
  bidId: string,
  part: store.PartRow,
  error: CryptoError,
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const d = await store.lockDecryption(tx, bidId);
    if (!d) return;
    await store.updateDecryption(tx, bidId, {
      attempts: d.attempts + 1,
      last_error: `第 ${part.no} 部分：${error.title}`,
    });
    await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.key-rejected', {
      bidId,
      part: part.no,
      code: error.code,
    });
    await store.updateHall(tx, lotId, {}, now);
    await announce(tx, lotId);
  });
}

/**
 * Takes verified keys for a bid (from the bidder or the opening key): the entry, the parts sealed for
 * the plaintext job, the witness event and the live notice — in the caller's transaction.
 */
export async function landDecryption(
  ctx: SystemContext,
  tx: Tx,
  input: {
    hall: store.HallRow;
    decryption: store.DecryptionRow;
    parts: store.PartRow[];
    keys: Map<number, Uint8Array>;
    summary: ReturnType<typeof readSummaryFields> | null;
    via: 'bidder' | 'opening-key';
    at: Date;
    origin: WitnessOrigin;
  },
): Promise<void> {
  const { hall, decryption: d, at } = input;
  for (const part of input.parts) {
    const key = input.keys.get(part.no);
    if (!key) continue;
    await store.updatePart(tx, d.bid_id, part.no, {
      status: 'verifying',
      error: null,
      content_key_sealed: ctx.sealer.seal(toBase64Url(key), sealContext(d.bid_id, part.no)),
      updated_at: at,
    });
    await enqueueJob(tx, {
      type: STORE_PART_JOB,
      payload: { bidId: d.bid_id, no: part.no },
      dedupeKey: `${STORE_PART_JOB}:${d.bid_id}:${part.no}:${at.getTime()}`,
    });
  }
  if (input.summary) {
    await store.insertEntry(tx, {
      bid_id: d.bid_id,
      lot_id: hall.lot_id,
      seq: d.seq,
      bidder_name: d.bidder_name,
      credit_code: d.credit_code,
      organization_id: d.organization_id,
      fields: JSON.stringify({
        ...input.summary.fields,
        ...(input.summary.problems.length ? { _problems: input.summary.problems.join('；') } : {}),
      }),
      price_yuan: input.summary.priceYuan,
      decrypted_via: input.via,
      recorded_at: at,
      void_reason: null,
    });
  }
  await store.updateDecryption(tx, d.bid_id, {
    status: input.via === 'bidder' ? 'decrypted' : 'fallback-decrypted',
    decrypted_at: d.decrypted_at ?? at,
    attempts: d.attempts + 1,
    last_error: null,
  });
  await store.updateHall(tx, hall.lot_id, {}, at);
  await witness(tx, at, input.origin, OPENING_WITNESS_TYPE, hall.lot_id, 'opening.decrypted', {
    bidId: d.bid_id,
    organizationId: d.organization_id,
    via: input.via,
    parts: input.parts.map((p) => p.no),
    fields: input.summary?.fields ?? null,
  });
  await announce(tx, hall.lot_id);
}

/**
 * The plaintext job: streams the sealed part through the submitted key into the blob store (a temporary
 * file renamed only once the tag and SM3 check out), then forgets the key. A key that does not open the
 * part marks it 'key-rejected': the bidder may post it again within the window.
 */
export async function storePart(ctx: SystemContext, bidId: string, no: number): Promise<void> {
  const part = await store.findPart(ctx.db, bidId, no);
  if (part?.status !== 'verifying' || !part.content_key_sealed) return;
  const key = fromBase64Url(ctx.sealer.open(part.content_key_sealed, sealContext(bidId, no)));
  if (!key) throw new Error('sealed content key is not base64url');
  let stored: { sha256: string; sm3: string; size: number } | null = null;
  let failure: CryptoError | null = null;
  try {
    const stream = openDetachedContent(
      {
        algorithm: part.algorithm as ContentAlgorithm,
        sealedDigest: part.sealed_sm3,
        sealedLength: Number(part.sealed_length),
      },
      key,
    );
    const source = await ctx.blobs.get(part.sealed_sha256);
    source.on('error', (error) => stream.destroy(error));
    stored = await ctx.blobs.put(source.pipe(stream), {
      maxBytes: Number.MAX_SAFE_INTEGER,
      filename: part.name,
    });
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    failure = error;
  } finally {
    key.fill(0);
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const locked = await store.lockPart(tx, bidId, no);
    if (locked?.status !== 'verifying' || locked.content_key_sealed !== part.content_key_sealed) return;
    if (stored) {
      await store.updatePart(tx, bidId, no, {
        status: 'opened',
        content_key_sealed: null,
        plaintext_sha256: stored.sha256,
        plaintext_sm3: stored.sm3,
        plaintext_size: stored.size,
        updated_at: now,
      });
      await witness(tx, now, SYSTEM_ORIGIN, OPENING_WITNESS_TYPE, part.lot_id, 'opening.part-stored', {
        bidId,
        part: no,
        plaintextSm3: stored.sm3,
        size: stored.size,
      });
    } else {
      await store.updatePart(tx, bidId, no, {
        status: 'key-rejected',
        content_key_sealed: null,
        error: failure?.title ?? '内容密钥不能打开该部分',
        updated_at: now,
      });
      await store.updateDecryption(tx, bidId, { last_error: `第 ${no} 部分：${failure?.title ?? ''}` });
      await witness(tx, now, SYSTEM_ORIGIN, OPENING_WITNESS_TYPE, part.lot_id, 'opening.key-rejected', {
        bidId,
        part: no,
        code: failure?.code ?? null,
      });
    }
    await store.updateHall(tx, part.lot_id, {}, now);
    await announce(tx, part.lot_id);
  });
  // The window ended while this part was being verified: the last one to finish closes the decryption.
  const hall = await store.findHall(ctx.db, part.lot_id);
  if (hall?.state === 'decrypting' && !hall.paused && hall.decrypt_until && now >= hall.decrypt_until) {
    await closeDecryption(ctx, part.lot_id, { actor: null, origin: SYSTEM_ORIGIN });
  }
}

/** The bidder's own bid as the CLI needs it to unwrap its keys: parts with their recipients. */
export async function getOwnBidForDecryption(ctx: OpeningContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) throw new Forbidden('NOT_OWN_BID', { title: '只能查看本单位的投标文件' });
  const d = await store.findDecryptionOfOrganization(ctx.db, lotId, actor.organizationId);
  if (!d) {
    throw new NotFound('BID_NOT_REVEALED', {
      title: '未找到本单位已开标的投标文件',
      detail: '投标文件在主持人开标后方可解密。',
    });
  }
  const parts = await store.listParts(ctx.db, d.bid_id);
  return {
    bidId: d.bid_id,
    lotId,
    status: d.status,
    manifestSm3: d.manifest_sm3,
    parts: parts.map((p) => ({
      no: p.no,
      kind: p.kind,
      name: p.name,
      status: p.status,
      algorithm: p.algorithm,
      sealedDigest: p.sealed_sm3,
      sealedLength: Number(p.sealed_length),
      recipients: p.recipients as {
        keyId: string;
        keyIdType: 'sm3-spki';
        algorithm: 'sm2-encrypt';
        encryptedKey: string;
      }[],
    })),
  };
}
