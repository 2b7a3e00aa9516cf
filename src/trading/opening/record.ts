import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { sm3Hex, toBase64Url } from '../../platform/crypto/index.ts';
import { NotFound } from '../../platform/errors.ts';
import {
  type CheckpointSigner,
  canonicalJson,
  loadCheckpointSigner,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import { CITATIONS, type ReadDb, type Tx } from './context.ts';
import * as store from './store.ts';

export const RECORD_FORMAT = 'ggzy-opening-record/v1';
/** What a bidder signs to confirm the record: domain, lot and the record's SM3, one per line. */
export const CONFIRM_FORMAT = 'ggzy-opening-confirm/v1';

export function confirmationMessage(lotId: string, recordSm3: string): Uint8Array {
  return new TextEncoder().encode(`${CONFIRM_FORMAT}\n${lotId}\n${recordSm3}`);
}

/**
 * 开标记录 (电子招标投标办法第三十条; 87号令第四十二条): the entries as decrypted (bidder, price and the
 * summary fields), the bids not opened and why (第三十一条), the objections and their answers (条例第四十四条),
 * every step of the hall, and the outcome. Serialised as RFC 8785 canonical JSON; its SM3 is what the
 * platform and the bidders sign.
 */
export async function buildRecord(tx: Tx | ReadDb, hall: store.HallRow, publishedAt: Date) {
  const [decryptions, entries, objections, steps] = await Promise.all([
    store.listDecryptions(tx, hall.lot_id),
    store.listEntries(tx, hall.lot_id),
    store.listObjections(tx, hall.lot_id),
    store.listSteps(tx, hall.lot_id),
  ]);
  const entryOf = new Map(entries.map((e) => [e.bid_id, e]));
  return {
    format: RECORD_FORMAT,
    lot: { id: hall.lot_id, code: hall.lot_code, name: hall.lot_name, procedureType: hall.procedure_type },
    openingAt: hall.opening_at.toISOString(),
    revealedAt: hall.revealed_at?.toISOString() ?? null,
    publishedAt: publishedAt.toISOString(),
    outcome: hall.state === 'failed' ? 'failed' : 'opened',
    bidCount: hall.bid_count,
    minimum: { count: hall.minimum_bids, citation: hall.minimum_citation },
    failedReason: hall.failed_reason,
    entries: decryptions
      .map((d) => ({ d, e: entryOf.get(d.bid_id) }))
      .filter(({ e }) => e && !e.void_reason)
      .map(({ d, e }) => ({
        seq: d.seq,
        bidId: d.bid_id,
        bidder: { name: d.bidder_name, creditCode: d.credit_code, organizationId: d.organization_id },
        manifestSm3: d.manifest_sm3,
        fields: e?.fields ?? {},
        priceYuan: e?.price_yuan ?? null,
        decryptedVia: e?.decrypted_via ?? 'bidder',
        recordedAt: e?.recorded_at.toISOString() ?? null,
      })),
    notOpened: decryptions
      .filter((d) => d.status === 'revoked' || d.status === 'withdrawn')
      .map((d) => ({
        seq: d.seq,
        bidId: d.bid_id,
        bidder: { name: d.bidder_name, creditCode: d.credit_code, organizationId: d.organization_id },
        treatedAs: d.status === 'revoked' ? '撤销' : '撤回',
        reason: d.settled_reason,
        citation: CITATIONS.failures,
      })),
    objections: objections.map((o) => ({
      seq: o.seq,
      bidder: o.bidder_name,
      text: o.text,
      raisedAt: o.raised_at.toISOString(),
      answer: o.answer,
      answeredAt: o.answered_at?.toISOString() ?? null,
    })),
    steps: steps.map((s) => ({
      step: s.step,
      from: s.from_state,
      to: s.to_state,
      at: s.at.toISOString(),
      reason: s.reason,
    })),
    citations: CITATIONS,
  };
}

export type OpeningRecord = Awaited<ReturnType<typeof buildRecord>>;

/**
 * The platform's signer. Load it before opening the transaction that publishes: it reads (and on first
 * use stores) the key on its own connection (PGlite has only one).
 */
export function loadRecordSigner(db: Kysely<WitnessTables>, clock: Clock): Promise<CheckpointSigner> {
  return loadCheckpointSigner(db, clock);
}

export function signRecord(signer: CheckpointSigner, record: OpeningRecord) {
  const json = canonicalJson(record);
  const bytes = new TextEncoder().encode(json);
  return { json, sm3: sm3Hex(bytes), signature: toBase64Url(signer.sign(bytes)), keyId: signer.keyId };
}

/** The published record with its hash and the platform's signature (public after publication). */
export async function getPublishedRecord(db: ReadDb, lotId: string) {
  const hall = await store.findHall(db, lotId);
  if (!hall?.record_json || !hall.record_sm3 || !hall.record_signature || !hall.record_key_id) {
    throw new NotFound('OPENING_RECORD_NOT_PUBLISHED', {
      title: '开标记录尚未公布',
      detail: '开标记录在开标结束、主持人公布后方可查阅。',
    });
  }
  const confirmations = await store.listConfirmations(db, lotId);
  return {
    record: JSON.parse(hall.record_json) as OpeningRecord,
    recordJson: hall.record_json,
    recordSm3: hall.record_sm3,
    signature: { algorithm: 'sm2-sm3' as const, keyId: hall.record_key_id, value: hall.record_signature },
    confirmations: confirmations.map((c) => ({
      party: c.party,
      organizationId: c.organization_id,
      method: c.method,
      recordSm3: c.record_sm3,
      signature: c.signature,
      certificateFingerprint: c.certificate_fingerprint,
      confirmedAt: c.confirmed_at.toISOString(),
    })),
    state: hall.state,
  };
}
