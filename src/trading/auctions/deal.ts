import type { Kysely } from 'kysely';
import { RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import type { WitnessOrigin } from '../../platform/witness/index.ts';
import { AUCTION_WITNESS_TYPE, type AuctionsDb, type Tx, witness } from './context.ts';
import { CITATIONS, workingDaysAfter } from './rules.ts';
import * as store from './store.ts';

/**
 * The port the contracts module reads (DESIGN §2): an auction's deal as the basis of the 出让（转让）合同 —
 * the winner named in the 成交通知书, the deal price, the notice's SM3 and the contract limit.
 */

/** 成交后签订合同: the platform's default limit, counted from the 成交通知书. */
export const DEAL_CONTRACT_WORKING_DAYS = 10;

export interface AuctionDeal {
  auctionId: string;
  lotId: string;
  title: string;
  projectName: string;
  /** 'dealt' while the contract is open; anything else (failed, terminated) closes it. */
  status: store.AuctionRow['status'];
  winner: { organizationId: string; name: string; creditCode: string; pseudonym: string | null };
  priceYuan: string;
  /** The bid that set the price: `<auctionId>#<seq>`, the auction record's sequence. */
  winningBidRef: string;
  noticeIssuedAt: Date;
  noticeSm3: string;
  contractDueAt: Date;
}

interface DealNoticeJson {
  winner: { organizationId: string; name: string; creditCode: string; pseudonym: string | null };
}

/** The lot's auction deal once the 成交通知书 is out; null before it (or when the lot has no auction). */
export async function getDealOfLot(db: Kysely<AuctionsDb>, lotId: string): Promise<AuctionDeal | null> {
  const row = await store.findAuctionByLot(db, lotId);
  if (!row) return null;
  const result = await store.findResult(db, row.id);
  if (
    result?.outcome !== 'deal' ||
    !result.notice_at ||
    !result.notice_json ||
    !result.notice_sm3 ||
    !result.price_yuan ||
    !result.winner_registration_id
  ) {
    return null;
  }
  const notice = JSON.parse(result.notice_json) as DealNoticeJson;
  const bids = await store.listBidsOfRegistration(db, row.id, result.winner_registration_id);
  const last = Math.max(0, ...bids.map((b) => b.seq));
  return {
    auctionId: row.id,
    lotId,
    title: row.title,
    projectName: row.project_name,
    status: row.status,
    winner: notice.winner,
    priceYuan: fenToYuan(yuanToFen(result.price_yuan)),
    winningBidRef: `${row.id}#${last}`,
    noticeIssuedAt: result.notice_at,
    noticeSm3: result.notice_sm3,
    contractDueAt: workingDaysAfter(result.notice_at, DEAL_CONTRACT_WORKING_DAYS),
  };
}

/** The contract was signed: the result says so and the auction's witness log records it. */
export async function markDealContracted(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  lotId: string,
  contractId: string,
): Promise<void> {
  const found = await store.findAuctionByLot(tx, lotId);
  const row = found ? await store.lockAuction(tx, found.id) : undefined;
  if (row?.status !== 'dealt') {
    throw new RuleViolation('AUCTION_NOT_DEALT', {
      title: '该项目未成交，不能签订出让（转让）合同',
      detail: '合同依据成交通知书订立；成交被撤销或交易已终止的，不能再签订合同。',
      citation: CITATIONS.result,
    });
  }
  await store.updateResult(tx, row.id, {
    contract_note: `出让（转让）合同已在线签订（合同编号 ${contractId}）。`,
    updated_at: at,
  });
  await witness(tx, at, origin, AUCTION_WITNESS_TYPE, row.id, 'auction.contracted', {
    lotId,
    contractId,
    citation: CITATIONS.result,
  });
}
