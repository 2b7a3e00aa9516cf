import { sm3Hex } from '../../platform/crypto/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { canonicalJson } from '../../platform/witness/index.ts';
import { type AuctionGenesis, type AuctionRecord, RECORD_FORMAT } from './chain.ts';
import type { ReadDb, Tx } from './context.ts';
import { reserveContext } from './policy.ts';
import * as store from './store.ts';

/** The 底价 and its salt, opened from the sealed column (only the close and the record use it). */
export function openReserve(
  sealer: FieldSealer,
  row: store.AuctionRow,
): { amountYuan: string; salt: string } | null {
  if (!row.reserve_sealed) return null;
  return JSON.parse(sealer.open(row.reserve_sealed, reserveContext(row.id))) as {
    amountYuan: string;
    salt: string;
  };
}

/**
 * The auction record (拍卖/挂牌 记录): the genesis, every bid with its chain hashes, the head, the host's
 * step changes, and — once the bidding has closed — the 底价 with its salt and the result. Before the close
 * it is not published (the routes refuse).
 */
export async function buildRecord(db: ReadDb | Tx, row: store.AuctionRow): Promise<AuctionRecord | null> {
  if (!row.genesis_json) return null;
  const genesis = JSON.parse(row.genesis_json) as AuctionGenesis;
  const [bids, steps, result] = await Promise.all([
    store.listPublicBids(db, row.id, null, 1_000_000),
    store.listStepChanges(db, row.id),
    store.findResult(db, row.id),
  ]);
  const allBids = await store.listAllBids(db, row.id);
  const hashes = new Map(allBids.map((b) => [b.seq, b]));
  let winnerPseudonym: string | null = null;
  if (result?.close_winner_registration_id) {
    winnerPseudonym =
      (await store.findRegistration(db, result.close_winner_registration_id))?.pseudonym ?? null;
  }
  return {
    format: RECORD_FORMAT,
    genesis,
    genesisHash: allBids[0]?.prev_hash ?? row.chain_head,
    bids: bids.map((b) => ({
      seq: b.seq,
      pseudonym: b.pseudonym,
      amountYuan: b.amount_yuan,
      at: b.at.toISOString(),
      phase: b.phase,
      kind: b.kind,
      prevHash: hashes.get(b.seq)?.prev_hash ?? '',
      hash: hashes.get(b.seq)?.hash ?? '',
    })),
    head: row.chain_head,
    stepChanges: steps.map((s) => ({ afterSeq: s.after_seq, stepYuan: s.step_yuan, at: s.at.toISOString() })),
    reserve:
      result?.reserve_yuan && result.reserve_salt
        ? { amountYuan: result.reserve_yuan, salt: result.reserve_salt }
        : null,
    result: result
      ? {
          outcome: result.close_winner_registration_id ? 'deal' : 'no-deal',
          reason: result.close_winner_registration_id ? null : result.reason,
          winnerPseudonym,
          priceYuan: result.close_winner_registration_id ? (row.current_price_yuan ?? null) : null,
        }
      : null,
  };
}

export function recordSm3(record: AuctionRecord): string {
  return sm3Hex(canonicalJson(record));
}
