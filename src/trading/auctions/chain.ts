import { sm3Hex } from '../../platform/crypto/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { canonicalJson } from '../../platform/witness/index.ts';

/**
 * The auction's own hash chain (the "every bid … appended to the auction's own hash chain, published
 * at the end as the auction record anyone can verify"). The chain starts from a genesis that fixes the terms
 * and the 底价 commitment at the start of bidding; each bid's hash is SM3(prev_hash ‖ canonical JSON of the
 * public bid). `verifyAuctionRecord` recomputes everything from the published record alone.
 */
export const RECORD_FORMAT = 'ggzy-auction-record/v1';

export interface ChainBid {
  auctionId: string;
  seq: number;
  pseudonym: string;
  amountYuan: string;
  at: string;
  phase: string;
  kind: string;
}

export interface AuctionGenesis {
  format: typeof RECORD_FORMAT;
  auctionId: string;
  lotId: string;
  procedureType: string;
  startPriceYuan: string;
  stepYuan: string;
  priceCapYuan: string | null;
  countdownMinutes: number;
  reserveSm3: string | null;
  startedAt: string;
}

export function genesisHash(genesis: AuctionGenesis): string {
  return sm3Hex(canonicalJson(genesis));
}

export function bidHash(prevHash: string, bid: ChainBid): string {
  return sm3Hex(`${prevHash}${canonicalJson(bid)}`);
}

/** The public commitment to the 底价: SM3("<salt>:<amount with two decimals>"). */
export function reserveCommitment(salt: string, amountYuan: string): string {
  return sm3Hex(`${salt}:${fenToYuan(yuanToFen(amountYuan))}`);
}

export interface RecordBid extends Omit<ChainBid, 'auctionId'> {
  prevHash: string;
  hash: string;
}

/** The published auction record (GET /api/public/auctions/:id/record). */
export interface AuctionRecord {
  format: typeof RECORD_FORMAT;
  genesis: AuctionGenesis;
  genesisHash: string;
  bids: RecordBid[];
  head: string;
  stepChanges: { afterSeq: number; stepYuan: string; at: string }[];
  /** Revealed after the close: the 底价 and the salt of its commitment (null: no 底价 was set). */
  reserve: { amountYuan: string; salt: string } | null;
  result: {
    outcome: 'deal' | 'no-deal';
    reason: string | null;
    winnerPseudonym: string | null;
    priceYuan: string | null;
  } | null;
}

export interface RecordVerification {
  ok: boolean;
  problems: string[];
  head: string;
}

/**
 * Checks a published record by itself: the genesis hash, every bid's hash and link in seq order without a
 * gap, the head, the 底价 against its commitment, and that the stated winner and price follow from the bids.
 * Any change to a bid, its order, the 底价 or the result shows up as a problem (in Chinese).
 */
export function verifyAuctionRecord(record: AuctionRecord): RecordVerification {
  const problems: string[] = [];
  const g = genesisHash(record.genesis);
  if (g !== record.genesisHash) problems.push('起始记录（genesis）的哈希值与内容不符');
  let prev = g;
  let expectedSeq = 1;
  for (const bid of record.bids) {
    if (bid.seq !== expectedSeq)
      problems.push(`报价序号不连续：应为第 ${expectedSeq} 号，记录为第 ${bid.seq} 号`);
    expectedSeq = bid.seq + 1;
    if (bid.prevHash !== prev) problems.push(`第 ${bid.seq} 号报价的前序哈希与上一条记录不符`);
    const hash = bidHash(prev, {
      auctionId: record.genesis.auctionId,
      seq: bid.seq,
      pseudonym: bid.pseudonym,
      amountYuan: bid.amountYuan,
      at: bid.at,
      phase: bid.phase,
      kind: bid.kind,
    });
    if (hash !== bid.hash) problems.push(`第 ${bid.seq} 号报价的内容与其哈希值不符（记录被改动）`);
    prev = bid.hash;
  }
  if (prev !== record.head) problems.push('链尾哈希与最后一条报价不符（记录被截断或追加）');
  if (record.reserve) {
    if (record.genesis.reserveSm3 === null) {
      problems.push('竞价开始时未承诺底价，记录却公布了底价');
    } else if (
      reserveCommitment(record.reserve.salt, record.reserve.amountYuan) !== record.genesis.reserveSm3
    ) {
      problems.push('公布的底价与竞价开始前的承诺值（SM3）不符');
    }
  } else if (record.genesis.reserveSm3 !== null && record.result) {
    problems.push('竞价开始前承诺了底价，结束后未公布');
  }
  if (record.result?.outcome === 'deal') checkWinner(record, problems);
  return { ok: problems.length === 0, problems, head: prev };
}

function checkWinner(record: AuctionRecord, problems: string[]): void {
  const result = record.result;
  if (!result) return;
  const priced = record.bids.filter((b) => b.kind !== 'sealed');
  let best: RecordBid | null = null;
  for (const b of priced) {
    if (!best || yuanToFen(b.amountYuan) > yuanToFen(best.amountYuan)) best = b;
  }
  if (!best || result.priceYuan === null) {
    problems.push('记录为成交，但没有有效报价');
    return;
  }
  const bestFen = yuanToFen(best.amountYuan);
  if (yuanToFen(result.priceYuan) !== bestFen) {
    problems.push(`成交价 ${result.priceYuan} 元与最高报价 ${best.amountYuan} 元不符`);
  }
  if (record.reserve && bestFen < yuanToFen(record.reserve.amountYuan)) problems.push('成交价低于底价');
  const sealed = record.bids.filter((b) => b.kind === 'sealed');
  if (sealed.length > 0) {
    // 最高限价后的一次报价: the highest sealed offer wins, the earliest on a tie.
    let top: RecordBid | null = null;
    for (const b of sealed) if (!top || yuanToFen(b.amountYuan) > yuanToFen(top.amountYuan)) top = b;
    if (top && top.pseudonym !== result.winnerPseudonym) problems.push('竞得人不是一次报价的最高者');
    return;
  }
  const atBest = priced.filter((b) => yuanToFen(b.amountYuan) === bestFen);
  if (!atBest.some((b) => b.pseudonym === result.winnerPseudonym)) {
    problems.push('竞得人不在最高报价的报价人之中');
  }
}
