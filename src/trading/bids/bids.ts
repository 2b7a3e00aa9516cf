import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { ContentAlgorithm, EnvelopeRecipient } from '../../platform/crypto/index.ts';
import { NotFound, RuleViolation } from '../../platform/errors.ts';
import { type FieldSealer, sealedOrigin } from '../../platform/sealing/index.ts';
import { appendWitnessEvent, listCheckpointPublicKeys, SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { type BidsContext, type BidsDb, type BidsDeps, CITATIONS, type ReadDb } from './context.ts';
import { getLotTimeline, scheduleDepositRefunds } from './deps.ts';
import {
  BID_WITNESS_TYPE,
  type BidManifest,
  type MachineFingerprint,
  manifestSm3,
  type PartKind,
  type SignedBidManifest,
  type SignedBidReceipt,
  verifyReceipt,
} from './format.ts';
import {
  assertIntakeOpen,
  type SealedBidder,
  scheduleDeadlineJob,
  staging,
  storedReceipt,
} from './intake.ts';
import { bidderRefOf, requireBidder } from './policy.ts';
import { defaultSettingsRow } from './settings.ts';
import { removeStaging } from './staging.ts';
import * as store from './store.ts';
import type { BidStatus } from './tables.ts';

export interface MyBidView {
  bidId: string;
  lotId: string;
  status: BidStatus;
  receivedAt: Date;
  manifestSm3: string;
  parts: { no: number; kind: string; sealedDigest: string; sealedLength: number }[];
}

/** The bid, if it is the actor's organisation's own; 404 otherwise (another bidder learns nothing). */
async function ownBid(ctx: BidsContext, bidId: string) {
  const bidder = await requireBidder(ctx);
  const bid = await store.findBid(ctx.db, bidId);
  if (!bid || bid.bidder_ref !== bidderRefOf(ctx, bid.lot_id, bidder.organizationId)) {
    throw new NotFound('BID_NOT_FOUND', { title: '投标文件不存在' });
  }
  return { bidder, bid };
}

async function toMyBidView(db: ReadDb, bid: store.BidRow): Promise<MyBidView> {
  const parts = await store.listBidParts(db, [bid.id]);
  return {
    bidId: bid.id,
    lotId: bid.lot_id,
    status: bid.status,
    receivedAt: bid.received_at,
    manifestSm3: bid.manifest_sm3,
    parts: parts.map((p) => ({
      no: p.no,
      kind: p.kind,
      sealedDigest: p.sealed_sm3,
      sealedLength: Number(p.sealed_length),
    })),
  };
}

/** GET my-bid: the organisation's own live bid for the lot. */
export async function getMyBid(ctx: BidsContext, lotId: string): Promise<MyBidView> {
  const bidder = await requireBidder(ctx);
  const bid = await store.findLiveBid(ctx.db, lotId, bidderRefOf(ctx, lotId, bidder.organizationId));
  if (!bid) throw new NotFound('BID_NOT_FOUND', { title: '本单位在该标段（包）没有有效的投标文件' });
  return toMyBidView(ctx.db, bid);
}

/** GET receipt: the own bid's signed receipt with its witness inclusion proof (made now if need be). */
export async function getReceipt(ctx: BidsContext, bidId: string): Promise<SignedBidReceipt> {
  const { bid } = await ownBid(ctx, bidId);
  return storedReceipt(ctx.deps, bid);
}

/**
 * 撤回 (招标投标法第二十九条; 电子招标投标办法第二十六条): before the deadline, under the intake lock; the
 * deposit's refund is scheduled in the same transaction (条例第三十五条: within 5 日).
 */
export async function withdrawBid(ctx: BidsContext, bidId: string): Promise<MyBidView> {
  const { bidder, bid } = await ownBid(ctx, bidId);
  if (bid.status !== 'live') throw notLive(bid.status);
  const withdrawn = await ctx.db.transaction().execute(async (tx) => {
    await store.lockIntake(tx, bid.lot_id);
    const now = ctx.clock.now();
    assertIntakeOpen(await getLotTimeline(tx, bid.lot_id), now);
    const origin = sealedOrigin(ctx.origin);
    const event = await appendWitnessEvent(tx, now, origin, {
      entityType: BID_WITNESS_TYPE,
      entityId: bid.id,
      action: 'bid.withdrawn',
      payload: { manifestSm3: bid.manifest_sm3 },
    });
    const row = await store.withdrawBid(tx, bid.id, now, event.id);
    if (!row) throw notLive('superseded');
    // 条例第三十五条: withdrawn before the deadline, the deposit is refunded within 5 日 (GP: 5 个工作日).
    await scheduleDepositRefunds(tx, now, origin, {
      lotId: bid.lot_id,
      organizationIds: [bidder.organizationId],
      reason: 'withdrawn',
    });
    return row;
  });
  return toMyBidView(ctx.db, withdrawn);
}

function notLive(status: string) {
  return new RuleViolation('BID_NOT_LIVE', {
    title: status === 'withdrawn' ? '该投标文件已撤回' : '该投标文件已被替换',
    detail: '只能撤回本单位当前有效的投标文件。',
    citation: CITATIONS.modifyWithdraw,
  });
}

export interface ReceiptCheck {
  genuine: boolean;
  problems: string[];
  notes: string[];
  /** live 有效 / superseded 已被替换 / withdrawn 已撤回 / unknown: not a bid of this platform. */
  status: BidStatus | 'unknown';
  live: boolean;
  detail: string;
}

/**
 * POST /api/bid-receipts/verify (public): the receipt is genuine (platform signature, witness proof) AND
 * still the bidder's live bid. Says nothing about anyone else: only the holder of a genuine receipt learns
 * the status of that one bid.
 */
export async function checkReceipt(deps: BidsDeps, signed: SignedBidReceipt): Promise<ReceiptCheck> {
  const keys = (await listCheckpointPublicKeys(deps.db)).map((k) => k.publicKey);
  const result = verifyReceipt(signed, keys);
  if (!result.ok) {
    return {
      genuine: false,
      problems: result.problems,
      notes: result.notes,
      status: 'unknown',
      live: false,
      detail: '回执不是本平台签发的，或已被改动。',
    };
  }
  const bid = await store.findBid(deps.db, signed.receipt.bidId);
  if (!bid || bid.manifest_sm3 !== signed.receipt.manifestSm3) {
    return {
      genuine: false,
      problems: ['平台没有与该回执相符的投标文件记录'],
      notes: result.notes,
      status: 'unknown',
      live: false,
      detail: '回执签名有效，但平台没有相应的投标文件记录。',
    };
  }
  const detail =
    bid.status === 'live'
      ? '回执真实，且为该投标人当前有效的投标文件。'
      : bid.status === 'superseded'
        ? '回执真实，但该投标文件已被投标人递交的新投标文件替换，已不是有效的投标文件。'
        : '回执真实，但该投标文件已被投标人撤回。';
  return {
    genuine: true,
    problems: [],
    notes: result.notes,
    status: bid.status,
    live: bid.status === 'live',
    detail,
  };
}

// ------------------------------------------------------------------------------- for the opening

export interface RevealedBid {
  bidId: string;
  lotId: string;
  organizationId: string;
  accountId: string;
  submittedAt: Date;
  manifestSm3: string;
  manifest: BidManifest;
  signCertificateDer: Uint8Array;
  encCertKeyId: string;
  parts: {
    no: number;
    kind: PartKind;
    name: string;
    sealedSha256: string;
    sealedSm3: string;
    sealedLength: number;
    algorithm: ContentAlgorithm;
    recipients: EnvelopeRecipient[];
  }[];
  machine: MachineFingerprint;
  ip: string | null;
}

/** After the bid deadline only: the lot's live bids with their bidders unsealed (for 开标). */
export async function revealBidsForOpening(
  db: Kysely<BidsDb>,
  sealer: FieldSealer,
  clock: Clock,
  lotId: string,
): Promise<RevealedBid[]> {
  const timeline = await getLotTimeline(db, lotId);
  const now = clock.now();
  if (!timeline || now.getTime() < timeline.bidDeadline.getTime()) {
    throw new RuleViolation('BIDS_STILL_SEALED', {
      title: '投标截止时间未到，投标文件保密',
      detail: timeline
        ? `投标截止时间为 ${timeline.bidDeadline.toISOString()}。`
        : '该标段（包）尚未发布招标公告。',
      citation: CITATIONS.secrecy,
    });
  }
  const bids = await store.listLiveBids(db, lotId);
  const parts = await store.listBidParts(
    db,
    bids.map((b) => b.id),
  );
  return bids.map((bid) => {
    const who = JSON.parse(sealer.open(bid.bidder_sealed, `bid:${bid.id}`)) as SealedBidder;
    const signed = JSON.parse(
      sealer.open(bid.manifest_sealed, `bid-manifest:${bid.id}`),
    ) as SignedBidManifest;
    if (manifestSm3(signed) !== bid.manifest_sm3)
      throw new Error(`bid ${bid.id}: sealed manifest does not match`);
    return {
      bidId: bid.id,
      lotId: bid.lot_id,
      organizationId: who.organizationId,
      accountId: who.accountId,
      submittedAt: bid.received_at,
      manifestSm3: bid.manifest_sm3,
      manifest: signed.manifest,
      signCertificateDer: new Uint8Array(Buffer.from(signed.manifest.signerCertificate, 'base64')),
      encCertKeyId: who.encCertKeyId,
      parts: parts
        .filter((p) => p.bid_id === bid.id)
        .map((p) => {
          const declared = signed.manifest.parts[p.no - 1]!;
          return {
            no: p.no,
            kind: declared.kind,
            name: declared.name,
            sealedSha256: p.sealed_sha256,
            sealedSm3: p.sealed_sm3,
            sealedLength: Number(p.sealed_length),
            algorithm: declared.content.algorithm,
            recipients: declared.recipients,
          };
        }),
      machine: signed.manifest.machine,
      ip: who.ip,
    };
  });
}

/**
 * The organisations of the lot's live bids, for the expert draw's automatic 回避 (回避原因 1 投标单位) only:
 * the drawing process reads them inside its own transaction and never shows them to the requester (the
 * bidders stay secret until the opening, 招标投标法第二十二条). Deduplicated by organisation.
 */
export async function listBidderOrganizationsForDraw(
  db: Kysely<BidsDb>,
  sealer: FieldSealer,
  lotId: string,
): Promise<{ organizationId: string; creditCode: string; name: string }[]> {
  const bids = await store.listLiveBids(db, lotId);
  const seen = new Map<string, { organizationId: string; creditCode: string; name: string }>();
  for (const bid of bids) {
    const who = JSON.parse(sealer.open(bid.bidder_sealed, `bid:${bid.id}`)) as SealedBidder;
    if (!seen.has(who.organizationId)) {
      seen.set(who.organizationId, {
        organizationId: who.organizationId,
        creditCode: who.creditCode,
        name: who.name,
      });
    }
  }
  return [...seen.values()];
}

// ------------------------------------------------------------------------------- the deadline job

/**
 * At the bid deadline (a job due at that instant, under the intake lock): uploads not completed count as
 * withdrawn (电子招标投标办法第二十六条) — marked expired, their staging files deleted. A deadline moved
 * later by a clarification reschedules the job instead.
 */
export async function expireUnfinishedUploads(
  db: Kysely<BidsDb>,
  clock: Clock,
  dataDir: string,
  lotId: string,
): Promise<number> {
  const expired = await db.transaction().execute(async (tx) => {
    await store.ensureSettingsRow(tx, defaultSettingsRow(lotId, clock.now()));
    await store.lockIntake(tx, lotId);
    const now = clock.now();
    const timeline = await getLotTimeline(tx, lotId);
    if (!timeline) return [];
    if (now.getTime() < timeline.bidDeadline.getTime()) {
      await scheduleDeadlineJob(tx, lotId, timeline.bidDeadline);
      return [];
    }
    const open = await store.listOpenUploads(tx, lotId);
    for (const upload of open) {
      await store.setUploadStatus(tx, upload.id, 'uploading', { status: 'expired', finished_at: now });
      await appendWitnessEvent(tx, now, SYSTEM_ORIGIN, {
        entityType: 'bid-upload',
        entityId: upload.id,
        action: 'bid.upload-expired',
        payload: {},
      });
    }
    return open.map((u) => u.id);
  });
  for (const id of expired) {
    await removeStaging(dataDir, id);
    staging.forget(id);
  }
  return expired.length;
}
