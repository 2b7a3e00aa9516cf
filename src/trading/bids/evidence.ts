import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { type BidsDb, CITATIONS } from './context.ts';
import { getLotTimeline } from './deps.ts';
import type { MachineFingerprint, PartKind, SignedBidManifest } from './format.ts';
import type { SealedBidder } from './intake.ts';
import * as store from './store.ts';

/**
 * 投标文件证据 for the supervision system's risk monitoring (风险监测预警, 办法第四十二条; 实施条例第四十条):
 * who submitted each live bid of a lot, from which network address and machine, and the digests of what
 * was submitted. Sealed until the opening (招标投标法第二十二条、第三十四条): refused before the opening time.
 */
export interface BidEvidence {
  bidId: string;
  organizationId: string;
  bidderName: string;
  creditCode: string;
  /** Addresses the bid came from: where its upload was started and where it was completed (distinct). */
  ips: string[];
  userAgents: string[];
  /** 投标文件制作机器信息 as the bidder's tool recorded it in the signed manifest (MAC, CPU, disk serial). */
  machine: MachineFingerprint;
  /** The tool's own clock and version when the manifest was made (document metadata, informative). */
  manifestCreatedAt: string;
  toolVersion: string;
  manifestSm3: string;
  /** SHA-256 fingerprint of the signing certificate (one certificate behind two bidders is a strong sign). */
  signerCertificateSha256: string | null;
  /** Sealed parts: each sealed with a fresh key, so equal digests mean the very same sealed file. */
  parts: {
    no: number;
    kind: PartKind;
    name: string;
    filename: string;
    sealedSha256: string;
    sealedSm3: string;
    sealedLength: number;
  }[];
  receivedAt: Date;
}

/** The live bids of a lot with their evidence, once the opening time has come. */
export async function readBidEvidence(
  db: Kysely<BidsDb>,
  sealer: FieldSealer,
  clock: Clock,
  lotId: string,
): Promise<BidEvidence[]> {
  const timeline = await getLotTimeline(db, lotId);
  const now = clock.now();
  const opensAt = timeline
    ? Math.max(timeline.openingAt.getTime(), timeline.bidDeadline.getTime())
    : Number.POSITIVE_INFINITY;
  if (now.getTime() < opensAt) {
    throw new RuleViolation('BIDS_STILL_SEALED', {
      title: '尚未开标，投标文件保密',
      detail: timeline
        ? `开标时间为 ${timeline.openingAt.toISOString()}，开标前不提供投标人及其投标文件信息。`
        : '该标段（包）尚未发布招标公告。',
      citation: CITATIONS.secrecy,
    });
  }
  const bids = await store.listLiveBids(db, lotId);
  const [parts, uploads] = await Promise.all([
    store.listBidParts(
      db,
      bids.map((b) => b.id),
    ),
    store.listUploadsByIds(
      db,
      bids.map((b) => b.upload_id),
    ),
  ]);
  const uploadById = new Map(uploads.map((u) => [u.id, u]));
  return bids.map((bid) => {
    const who = JSON.parse(sealer.open(bid.bidder_sealed, `bid:${bid.id}`)) as SealedBidder;
    const signed = JSON.parse(
      sealer.open(bid.manifest_sealed, `bid-manifest:${bid.id}`),
    ) as SignedBidManifest;
    const upload = uploadById.get(bid.upload_id);
    const started = upload
      ? (JSON.parse(sealer.open(upload.bidder_sealed, `bid-upload:${upload.id}`)) as SealedBidder)
      : null;
    const distinct = (values: (string | null | undefined)[]) => [
      ...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0)),
    ];
    const manifest = signed.manifest;
    return {
      bidId: bid.id,
      organizationId: who.organizationId,
      bidderName: who.name,
      creditCode: who.creditCode,
      ips: distinct([started?.ip, who.ip]),
      userAgents: distinct([started?.userAgent, who.userAgent]),
      machine: {
        macs: Array.isArray(manifest.machine?.macs) ? manifest.machine.macs : [],
        cpu: manifest.machine?.cpu ?? null,
        diskSerial: manifest.machine?.diskSerial ?? null,
        hostname: manifest.machine?.hostname ?? null,
      },
      manifestCreatedAt: manifest.createdAt,
      toolVersion: manifest.tool?.version ?? '',
      manifestSm3: bid.manifest_sm3,
      signerCertificateSha256: who.signCertFingerprint ?? null,
      parts: parts
        .filter((p) => p.bid_id === bid.id)
        .map((p) => {
          const declared = manifest.parts[p.no - 1];
          return {
            no: p.no,
            kind: (declared?.kind ?? p.kind) as PartKind,
            name: declared?.name ?? p.kind,
            filename: declared?.filename ?? '',
            sealedSha256: p.sealed_sha256,
            sealedSm3: p.sealed_sm3,
            sealedLength: Number(p.sealed_length),
          };
        }),
      receivedAt: bid.received_at,
    };
  });
}
