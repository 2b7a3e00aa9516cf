import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { sm2Verify, sm3Hex } from '../../platform/crypto/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import {
  type CheckpointSigner,
  canonicalJson,
  listCheckpointPublicKeys,
  loadCheckpointSigner,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import type { AnnouncementAttachment } from './tables.ts';

/**
 * §16 consistency: every published announcement carries the SM3 of a canonical form and the platform's
 * SM2 signature over it, so a copy on any other medium can be checked against the original. The platform
 * signs with its one signing key (the witness checkpoint key, `loadCheckpointSigner`); the signed text
 * starts with its own format tag, so an announcement signature can never pass for a checkpoint.
 */
export const ANNOUNCEMENT_FORMAT = 'ggzy-announcement v1';

export interface CanonicalAnnouncement {
  format: typeof ANNOUNCEMENT_FORMAT;
  id: string;
  kind: string;
  lotCode: string;
  title: string;
  body: string;
  publishedAt: string;
  timeline: {
    documentsFrom: string;
    documentsUntil: string;
    bidDeadline: string;
    openingAt: string;
  } | null;
  /** 投标保证金 in yuan with two decimals, or null. */
  depositYuan: string | null;
  attachments: { filename: string; sha256: string; sm3: string; size: number }[];
  linkedTo: string | null;
}

export function canonicalAnnouncement(input: {
  id: string;
  kind: string;
  lotCode: string;
  title: string;
  body: string;
  publishedAt: Date;
  timeline: { documentsFrom: Date; documentsUntil: Date; bidDeadline: Date; openingAt: Date } | null;
  depositYuan?: string | null;
  attachments: AnnouncementAttachment[];
  linkedTo: string | null;
}): CanonicalAnnouncement {
  return {
    format: ANNOUNCEMENT_FORMAT,
    id: input.id,
    kind: input.kind,
    lotCode: input.lotCode,
    title: input.title,
    body: input.body,
    publishedAt: input.publishedAt.toISOString(),
    timeline: input.timeline
      ? {
          documentsFrom: input.timeline.documentsFrom.toISOString(),
          documentsUntil: input.timeline.documentsUntil.toISOString(),
          bidDeadline: input.timeline.bidDeadline.toISOString(),
          openingAt: input.timeline.openingAt.toISOString(),
        }
      : null,
    depositYuan: input.depositYuan == null ? null : fenToYuan(yuanToFen(input.depositYuan)),
    attachments: input.attachments.map((a) => ({
      filename: a.filename,
      sha256: a.sha256,
      sm3: a.sm3,
      size: a.size,
    })),
    linkedTo: input.linkedTo,
  };
}

export interface SealedAnnouncement {
  canonicalJson: string;
  contentSm3: string;
  signature: string;
  keyId: string;
}

/**
 * The platform's signer. Load it before opening the transaction that publishes: it reads (and on first
 * use stores) the key on its own connection.
 */
export function loadAnnouncementSigner(db: Kysely<WitnessTables>, clock: Clock): Promise<CheckpointSigner> {
  return loadCheckpointSigner(db, clock);
}

/** Canonical JSON, its SM3 and the platform's signature over the JSON's UTF-8 bytes. */
export function sealAnnouncement(
  signer: CheckpointSigner,
  canonical: CanonicalAnnouncement,
): SealedAnnouncement {
  const json = canonicalJson(canonical);
  return {
    canonicalJson: json,
    contentSm3: sm3Hex(json),
    signature: Buffer.from(signer.sign(Buffer.from(json, 'utf8'))).toString('hex'),
    keyId: signer.keyId,
  };
}

/** Checks a stored signature with the platform's public key `keyId` (current or retired). */
export async function verifyAnnouncementSignature(
  db: Kysely<WitnessTables>,
  json: string,
  signatureHex: string,
  keyId: string,
): Promise<boolean> {
  const key = (await listCheckpointPublicKeys(db)).find((k) => k.keyId === keyId);
  if (!key) return false;
  try {
    return sm2Verify(key.publicKey, json, Buffer.from(signatureHex, 'hex'));
  } catch {
    // A malformed signature is simply not valid.
    return false;
  }
}

/**
 * The text of a pasted copy, normalised so line breaks, spaces and full-width/half-width forms a
 * re-typesetting introduces do not matter: NFKC, then every white space removed.
 */
export function normalizedTextSm3(text: string): string {
  return sm3Hex(text.normalize('NFKC').replace(/\s+/gu, ''));
}
