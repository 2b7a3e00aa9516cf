import type { Db } from '../../platform/db/index.ts';
import * as store from './store.ts';
import type { HallState, OpeningTables } from './tables.ts';

/** One opened bid of the record, as the evaluation and the award read it. */
export interface OpeningOutcomeEntry {
  bidId: string;
  seq: number;
  organizationId: string;
  bidderName: string;
  creditCode: string;
  /** 投标报价 as decrypted (yuan); null when the summary had none. */
  priceYuan: string | null;
  /** The summary fields (开标一览表: 工期, 质量 …) as the bidder sealed them. */
  fields: Record<string, unknown>;
}

/** What the opening left for the later stages: the hall's state and the record's entries. */
export interface OpeningOutcome {
  lotId: string;
  /** The record is available when 'published' or 'closed'; 'failed' is 流标 at the opening. */
  state: HallState;
  recordSm3: string | null;
  publishedAt: Date | null;
  /** Entries not voided (撤销/撤回 bids are not in it), in the record's order. */
  entries: OpeningOutcomeEntry[];
}

/**
 * The opening's outcome for the evaluation (评标) and the award: the signed record's entries once it is
 * published; before that only the state (no entry leaves the hall before the record is published).
 */
export async function readOpeningOutcome(
  db: Db<OpeningTables>,
  lotId: string,
): Promise<OpeningOutcome | null> {
  const hall = await store.findHall(db, lotId);
  if (!hall) return null;
  const published = hall.state === 'published' || hall.state === 'closed';
  const entries = published ? await store.listEntries(db, lotId) : [];
  return {
    lotId,
    state: hall.state,
    recordSm3: published ? hall.record_sm3 : null,
    publishedAt: hall.published_at,
    entries: entries
      .filter((e) => !e.void_reason)
      .map((e) => ({
        bidId: e.bid_id,
        seq: e.seq,
        organizationId: e.organization_id,
        bidderName: e.bidder_name,
        creditCode: e.credit_code,
        priceYuan: e.price_yuan,
        fields: (e.fields ?? {}) as Record<string, unknown>,
      })),
  };
}
