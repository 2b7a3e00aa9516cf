import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { canonicalJson, SYSTEM_ORIGIN, type WitnessOrigin } from '../../platform/witness/index.ts';
import {
  AUCTION_WITNESS_TYPE,
  type AuctionsDeps,
  announceState,
  DEADLINE_JOB,
  QUALIFICATION_DUE_JOB,
  type Tx,
  witness,
} from './context.ts';
import { DEAL_CONTRACT_WORKING_DAYS } from './deal.ts';
import {
  type EntitiesDb,
  findEntityOfOrganization,
  publishSystemAnnouncement,
  type SystemAnnouncementInput,
  scheduleContractDeadline,
  settleAuctionDeposits,
} from './deps.ts';
import { registrationContext } from './policy.ts';
import { buildRecord, openReserve, recordSm3 } from './record.ts';
import { CITATIONS, rulesFor, workingDaysAfter } from './rules.ts';
import * as store from './store.ts';
import type { AuctionNoticeKind, AuctionTerms, LotteryRecord, RankedBidder } from './tables.ts';
import {
  dealNoticeText,
  dealPublicityText,
  FAILURE_REASON_NAMES_ZH,
  failureText,
  preDealText,
} from './texts.ts';

/** After the bidding: the result, 预成交 / 成交, 不成交, the notices and the deposits' settlement. */

export const FINALIZE_JOB = 'auctions.finalize';
export const DEAL_NOTICE_FORMAT = 'ggzy-auction-deal-notice/v1';

export function namedOf(row: store.AuctionRow) {
  return {
    title: row.title,
    procedureType: row.procedure_type,
    lotCode: row.lot_code,
    projectName: row.project_name,
  };
}

export function organizationOf(deps: Pick<AuctionsDeps, 'sealer'>, reg: store.RegistrationRow): string {
  return deps.sealer.open(reg.organization_sealed, registrationContext(reg.id));
}

/** The portal's announcement kind of each public notice; the 预成交通知 and 成交通知书 are never public. */
const ANNOUNCEMENT_KIND_OF: Partial<Record<AuctionNoticeKind, SystemAnnouncementInput['kind']>> = {
  'transfer-notice': 'transfer-notice',
  extension: 'extension',
  'deal-publicity': 'deal-publicity',
  failure: 'no-deal',
  termination: 'termination',
};

/**
 * Publishes a notice of the auction. A public one is also published, in the same transaction, as the
 * platform-signed announcement of the lot (trading/tenders; 信息公开, §16): the portal's announcement list,
 * its search and the open-data feed show it, linked to the 出让（转让）公告. `by` null: a job published it
 * (the witness origin is then the system's).
 */
export async function publishNotice(
  tx: Tx,
  row: store.AuctionRow,
  kind: AuctionNoticeKind,
  text: { title: string; body: string },
  opts: { public: boolean; at: Date; by: string | null; origin?: WitnessOrigin },
): Promise<string> {
  const id = randomUUID();
  const announcementKind = opts.public ? ANNOUNCEMENT_KIND_OF[kind] : undefined;
  const announcement = announcementKind
    ? await publishSystemAnnouncement(tx, opts.at, opts.origin ?? SYSTEM_ORIGIN, opts.by, {
        lotId: row.lot_id,
        kind: announcementKind,
        title: text.title,
        body: text.body,
        linkedTo: kind === 'transfer-notice' ? null : await store.findTransferAnnouncementId(tx, row.id),
      })
    : null;
  await store.insertNotice(tx, {
    id,
    auction_id: row.id,
    kind,
    title: text.title,
    body: text.body,
    body_sm3: sm3Hex(text.body),
    public: opts.public,
    published_at: opts.at,
    published_by: opts.by,
    announcement_id: announcement?.id ?? null,
  });
  return id;
}

/** A phase or countdown deadline, for the job runner (the handler re-checks the row; dedupe per instant). */
export async function scheduleDeadline(tx: Tx, row: Pick<store.AuctionRow, 'id' | 'lot_id'>, at: Date) {
  await enqueueJob(tx, {
    type: DEADLINE_JOB,
    payload: { auctionId: row.id, lotId: row.lot_id },
    runAt: at,
    dedupeKey: `${DEADLINE_JOB}:${row.id}:${at.getTime()}`,
  });
}

/** Each bidder's best bid (the earliest at its best amount), best first: the order for a fallback. */
function rankBidders(bids: store.BidRow[], pseudonyms: Map<string, string>, kind: 'priced' | 'sealed') {
  const best = new Map<string, RankedBidder>();
  for (const b of bids) {
    if ((kind === 'sealed') !== (b.kind === 'sealed')) continue;
    const seen = best.get(b.registration_id);
    if (!seen || yuanToFen(b.amount_yuan) > yuanToFen(seen.amountYuan)) {
      best.set(b.registration_id, {
        registrationId: b.registration_id,
        pseudonym: pseudonyms.get(b.registration_id) ?? '',
        amountYuan: b.amount_yuan,
        seq: b.seq,
      });
    }
  }
  return [...best.values()].sort((a, b) => {
    const d = yuanToFen(b.amountYuan) - yuanToFen(a.amountYuan);
    return d > 0n ? 1 : d < 0n ? -1 : a.seq - b.seq;
  });
}

/**
 * 优先权 摇号: holders of the same rank who all matched the final price are ranked by SM3(chain head ‖ ':' ‖
 * registration id) — seeded by the chain head, which nobody controls alone and everyone can recompute.
 */
export function drawLottery(
  seed: string,
  priceYuan: string,
  rank: number,
  entrants: { id: string; pseudonym: string }[],
): LotteryRecord {
  const drawn = entrants.map((e) => ({
    registrationId: e.id,
    pseudonym: e.pseudonym,
    draw: sm3Hex(`${seed}:${e.id}`),
  }));
  const order = [...drawn]
    .sort((a, b) => (a.draw < b.draw ? -1 : a.draw > b.draw ? 1 : 0))
    .map((e) => e.registrationId);
  return { seed, priceYuan, rank, entrants: drawn, order };
}

interface Decision {
  winner: string | null;
  priceYuan: string | null;
  sealedOfferYuan: string | null;
  ranking: RankedBidder[];
  lottery: LotteryRecord | null;
}

async function decide(tx: Tx, row: store.AuctionRow): Promise<Decision> {
  const [bids, registrations] = await Promise.all([
    store.listAllBids(tx, row.id),
    store.listRegistrations(tx, row.id),
  ]);
  const pseudonyms = new Map(registrations.map((r) => [r.id, r.pseudonym]));
  const priced = rankBidders(bids, pseudonyms, 'priced');
  const sealed = rankBidders(bids, pseudonyms, 'sealed');
  if (sealed.length > 0) {
    // 最高限价后的一次报价: the highest offer wins (the earliest on a tie) at the cap price.
    const [top, ...rest] = sealed;
    return {
      winner: top!.registrationId,
      priceYuan: row.current_price_yuan,
      sealedOfferYuan: top!.amountYuan,
      ranking: [...rest, ...priced.filter((p) => !sealed.some((s) => s.registrationId === p.registrationId))],
      lottery: null,
    };
  }
  if (!row.leader_registration_id || row.current_price_yuan === null) {
    return { winner: null, priceYuan: null, sealedOfferYuan: null, ranking: [], lottery: null };
  }
  const leader = registrations.find((r) => r.id === row.leader_registration_id);
  const price = yuanToFen(row.current_price_yuan);
  let lottery: LotteryRecord | null = null;
  let order = [row.leader_registration_id];
  if (leader?.preemptive_rank != null) {
    const matched = new Set(
      bids
        .filter((b) => b.kind === 'match' && yuanToFen(b.amount_yuan) === price)
        .map((b) => b.registration_id),
    );
    const entrants = registrations.filter(
      (r) => r.preemptive_rank === leader.preemptive_rank && (r.id === leader.id || matched.has(r.id)),
    );
    if (entrants.length > 1) {
      lottery = drawLottery(
        row.chain_head,
        row.current_price_yuan,
        leader.preemptive_rank,
        entrants.map((e) => ({ id: e.id, pseudonym: e.pseudonym })),
      );
      order = lottery.order;
    }
  }
  const winner = order[0]!;
  const ranking = [
    ...order
      .slice(1)
      .map((id) => priced.find((p) => p.registrationId === id)!)
      .filter(Boolean),
    ...priced.filter((p) => !order.includes(p.registrationId)),
  ];
  return { winner, priceYuan: row.current_price_yuan, sealedOfferYuan: null, ranking, lottery };
}

/**
 * The bidding is over (挂牌期满无人继续竞价, the countdown ran out, the sealed round ended): the winner is
 * the highest bid (earliest on a tie — impossible with seq), 底价 revealed and compared only now; 不成交 when
 * there is no bid or the best is below the 底价. With 资格后审 the winner becomes 预成交人 (2 工作日 to
 * review); otherwise the deal is issued after the award-stage credit check (FINALIZE_JOB).
 */
export async function closeBidding(
  tx: Tx,
  deps: AuctionsDeps,
  row: store.AuctionRow,
  at: Date,
): Promise<void> {
  const now = deps.clock.now();
  const terms = row.terms as AuctionTerms;
  const reserve = openReserve(deps.sealer, row);
  const d = await decide(tx, row);
  const belowReserve =
    d.winner !== null &&
    reserve !== null &&
    d.priceYuan !== null &&
    yuanToFen(d.priceYuan) < yuanToFen(reserve.amountYuan);
  const reason = d.winner === null ? 'no-bids' : belowReserve ? 'below-reserve' : null;
  const deal = reason === null;
  const winnerReg = deal && d.winner ? await store.findRegistration(tx, d.winner) : undefined;
  await store.insertResult(tx, {
    auction_id: row.id,
    outcome: deal ? 'deal' : 'no-deal',
    reason,
    close_winner_registration_id: deal ? d.winner : null,
    winner_registration_id: deal ? d.winner : null,
    winner_organization_id: winnerReg ? organizationOf(deps, winnerReg) : null,
    price_yuan: deal ? d.priceYuan : null,
    sealed_offer_yuan: deal ? d.sealedOfferYuan : null,
    decided_at: at,
    reserve_yuan: reserve?.amountYuan ?? null,
    reserve_salt: reserve?.salt ?? null,
    ranking: JSON.stringify(d.ranking),
    lottery: JSON.stringify(d.lottery),
    pre_deal_at: null,
    qualification_due: null,
    qualification_overdue_at: null,
    qualified_at: null,
    qualification_reason: null,
    notice_at: null,
    notice_json: null,
    notice_sm3: null,
    record_sm3: null,
    contract_note: null,
    updated_at: now,
  });
  await store.updateAuction(tx, row.id, {
    status: 'closed',
    phase: null,
    countdown_ends_at: null,
    phase_ends_at: null,
    closed_at: at,
    version: row.version + 1,
    updated_at: now,
  });
  const closed: store.AuctionRow = { ...row, status: 'closed', phase: null, closed_at: at };
  const record = await buildRecord(tx, closed);
  const sm3 = record ? recordSm3(record) : null;
  await store.updateResult(tx, row.id, { record_sm3: sm3 });
  await witness(tx, now, SYSTEM_ORIGIN, AUCTION_WITNESS_TYPE, row.id, 'auction.closed', {
    closedAt: at.toISOString(),
    seq: row.seq,
    head: row.chain_head,
    recordSm3: sm3,
    outcome: deal ? 'deal' : 'no-deal',
    reason,
    winnerPseudonym: winnerReg?.pseudonym ?? null,
    priceYuan: deal ? d.priceYuan : null,
    reserveRevealed: reserve !== null,
    lottery: d.lottery ? { seed: d.lottery.seed, order: d.lottery.order } : null,
    citation: CITATIONS.listingClose,
  });
  if (!deal) {
    await failAuction(tx, closed, now, SYSTEM_ORIGIN, reason ?? 'no-bids', '');
    return;
  }
  if (terms.qualification === 'post' && winnerReg && d.priceYuan) {
    await enterPreDeal(tx, deps, closed, winnerReg, d.priceYuan, now, SYSTEM_ORIGIN);
  } else {
    await enqueueJob(tx, {
      type: FINALIZE_JOB,
      payload: { auctionId: row.id, lotId: row.lot_id },
      runAt: now,
      dedupeKey: `${FINALIZE_JOB}:${row.id}`,
    });
  }
  await announceState(tx, row.id);
}

/** 预成交 (资格后审): the winner is told; the initiator reviews within 2 工作日 (overdue flagged by a job). */
export async function enterPreDeal(
  tx: Tx,
  deps: AuctionsDeps,
  row: store.AuctionRow,
  winner: store.RegistrationRow,
  priceYuan: string,
  now: Date,
  origin: WitnessOrigin,
): Promise<void> {
  const rules = rulesFor(row.procedure_type, row.catalog_item_code);
  const due = workingDaysAfter(now, rules.qualificationWorkingDays);
  await store.updateResult(tx, row.id, {
    pre_deal_at: now,
    qualification_due: due,
    qualification_overdue_at: null,
    winner_registration_id: winner.id,
    winner_organization_id: organizationOf(deps, winner),
    price_yuan: priceYuan,
    updated_at: now,
  });
  await store.updateAuction(tx, row.id, { status: 'pre-deal', updated_at: now });
  await publishNotice(
    tx,
    row,
    'pre-deal',
    preDealText(namedOf(row), { pseudonym: winner.pseudonym, priceYuan, due, at: now }),
    {
      public: false,
      at: now,
      by: null,
    },
  );
  await witness(tx, now, origin, AUCTION_WITNESS_TYPE, row.id, 'auction.pre-deal', {
    registrationId: winner.id,
    pseudonym: winner.pseudonym,
    priceYuan,
    qualificationDue: due.toISOString(),
    citation: CITATIONS.qualification,
  });
  await enqueueJob(tx, {
    type: QUALIFICATION_DUE_JOB,
    payload: { auctionId: row.id, lotId: row.lot_id },
    runAt: new Date(due.getTime() + 1),
    dedupeKey: `${QUALIFICATION_DUE_JOB}:${row.id}:${winner.id}`,
  });
  await announceState(tx, row.id);
}

/**
 * 成交: the 成交通知书 (canonical JSON, SM3) to the winner, the 成交公示 (public, 5 工作日), the winner's deposit
 * turned into part of the price and everyone else's refunded (deposits module), witnessed. The contract
 * follows in trading/contracts (deal.ts is its port); the result names its limit.
 */
export async function issueDeal(
  tx: Tx,
  row: store.AuctionRow,
  now: Date,
  origin: WitnessOrigin,
  by: string | null,
): Promise<void> {
  const result = await store.findResult(tx, row.id);
  if (!result?.winner_registration_id || !result.winner_organization_id || !result.price_yuan) {
    throw new Error(`auction ${row.id}: no winner to issue a deal to`);
  }
  const winner = await store.findRegistration(tx, result.winner_registration_id);
  // Read in this transaction (the entities module takes a Kysely; a transaction is one).
  const entity = await findEntityOfOrganization(
    tx as unknown as Kysely<EntitiesDb>,
    result.winner_organization_id,
  );
  const winnerName = entity?.name ?? '';
  const creditCode = entity?.creditCode ?? '';
  const rules = rulesFor(row.procedure_type, row.catalog_item_code);
  const named = namedOf(row);
  const notice = {
    format: DEAL_NOTICE_FORMAT,
    auctionId: row.id,
    lotId: row.lot_id,
    lotCode: row.lot_code,
    title: row.title,
    procedureType: row.procedure_type,
    winner: {
      organizationId: result.winner_organization_id,
      name: winnerName,
      creditCode,
      pseudonym: winner?.pseudonym ?? null,
    },
    priceYuan: fenToYuan(yuanToFen(result.price_yuan)),
    sealedOfferYuan: result.sealed_offer_yuan,
    decidedAt: result.decided_at.toISOString(),
    recordSm3: result.record_sm3,
    issuedAt: now.toISOString(),
    text: dealNoticeText(named, { winnerName, priceYuan: result.price_yuan, at: now }),
  };
  const json = canonicalJson(notice);
  const sm3 = sm3Hex(json);
  const endsAt = workingDaysAfter(now, rules.publicityWorkingDays);
  const contractDueAt = workingDaysAfter(now, DEAL_CONTRACT_WORKING_DAYS);
  await publishNotice(
    tx,
    row,
    'deal-notice',
    { title: `${row.title}成交通知书`, body: notice.text },
    { public: false, at: now, by },
  );
  await publishNotice(
    tx,
    row,
    'deal-publicity',
    dealPublicityText(named, {
      winnerName,
      winnerCreditCode: creditCode,
      priceYuan: result.price_yuan,
      sealedOfferYuan: result.sealed_offer_yuan,
      at: now,
      endsAt,
    }),
    { public: true, at: now, by, origin },
  );
  await store.updateResult(tx, row.id, {
    notice_at: now,
    notice_json: json,
    notice_sm3: sm3,
    contract_note: `请出让（转让）人在平台草拟出让（转让）合同，与竞得人在线签署；签约期限 ${formatShanghaiTime(contractDueAt)}（${CITATIONS.contract}）。`,
    updated_at: now,
  });
  await store.updateAuction(tx, row.id, { status: 'dealt', updated_at: now });
  // The contract's reminders and overdue alert, as for an award's notice (trading/contracts handles them).
  await scheduleContractDeadline(tx, now, row.lot_id, contractDueAt);
  await settleAuctionDeposits(tx, now, origin, {
    lotId: row.lot_id,
    winnerOrganizationId: result.winner_organization_id,
    reason: 'not-awarded',
  });
  await witness(tx, now, origin, AUCTION_WITNESS_TYPE, row.id, 'auction.dealt', {
    noticeSm3: sm3,
    winnerOrganizationId: result.winner_organization_id,
    priceYuan: result.price_yuan,
    publicityEndsAt: endsAt.toISOString(),
    citation: CITATIONS.result,
  });
  await announceState(tx, row.id);
}

/** 不成交 / 流拍: the result recorded, the 不成交公告 published, every deposit refunded. */
export async function failAuction(
  tx: Tx,
  row: store.AuctionRow,
  now: Date,
  origin: WitnessOrigin,
  reason: string,
  detail: string,
): Promise<void> {
  const existing = await store.findResult(tx, row.id);
  const patch = {
    outcome: 'no-deal' as const,
    reason,
    winner_registration_id: null,
    winner_organization_id: null,
    price_yuan: null,
    updated_at: now,
  };
  if (existing) {
    await store.updateResult(tx, row.id, patch);
  } else {
    await store.insertResult(tx, {
      auction_id: row.id,
      ...patch,
      close_winner_registration_id: null,
      sealed_offer_yuan: null,
      decided_at: now,
      reserve_yuan: null,
      reserve_salt: null,
      ranking: JSON.stringify([]),
      lottery: JSON.stringify(null),
      pre_deal_at: null,
      qualification_due: null,
      qualification_overdue_at: null,
      qualified_at: null,
      qualification_reason: null,
      notice_at: null,
      notice_json: null,
      notice_sm3: null,
      record_sm3: null,
      contract_note: null,
    });
  }
  await store.updateAuction(tx, row.id, {
    status: reason === 'terminated' ? 'terminated' : 'failed',
    phase: null,
    countdown_ends_at: null,
    phase_ends_at: null,
    closed_at: row.closed_at ?? now,
    updated_at: now,
  });
  if (reason !== 'terminated') {
    await publishNotice(tx, row, 'failure', failureText(namedOf(row), { reason, detail, at: now }), {
      public: true,
      at: now,
      by: origin.accountId,
      origin,
    });
    await witness(tx, now, origin, AUCTION_WITNESS_TYPE, row.id, 'auction.failed', {
      reason,
      reasonZh: FAILURE_REASON_NAMES_ZH[reason] ?? reason,
      detail,
      citation: reason === 'insufficient-bidders' ? CITATIONS.miningMinimum : CITATIONS.listingClose,
    });
  }
  // A draft never asked for deposits.
  if (row.status !== 'draft') {
    await settleAuctionDeposits(tx, now, origin, {
      lotId: row.lot_id,
      winnerOrganizationId: null,
      reason: reason === 'terminated' ? 'terminated' : 'lot-failed',
    });
  }
  await announceState(tx, row.id);
}

/**
 * 资格审核未通过 (or the winner barred at the award): the next best bidder with a bid not below the 底价
 * becomes 预成交人 when the terms say so; otherwise 不成交.
 */
export async function passToNextOrFail(
  tx: Tx,
  deps: AuctionsDeps,
  row: store.AuctionRow,
  now: Date,
  origin: WitnessOrigin,
  why: string,
): Promise<void> {
  const terms = row.terms as AuctionTerms;
  const result = await store.findResult(tx, row.id);
  await witness(tx, now, origin, AUCTION_WITNESS_TYPE, row.id, 'auction.qualification-failed', {
    registrationId: result?.winner_registration_id ?? null,
    reasonSm3: sm3Hex(why),
    citation: CITATIONS.qualification,
  });
  if (terms.qualificationFallback === 'next-best' && result) {
    const ranking = result.ranking as RankedBidder[];
    const tried = new Set([result.winner_registration_id]);
    const reserve = result.reserve_yuan ? yuanToFen(result.reserve_yuan) : null;
    const next = ranking.find(
      (r) => !tried.has(r.registrationId) && (reserve === null || yuanToFen(r.amountYuan) >= reserve),
    );
    if (next) {
      const reg = await store.findRegistration(tx, next.registrationId);
      if (reg) {
        await store.updateResult(tx, row.id, {
          ranking: JSON.stringify(ranking.filter((r) => r.registrationId !== next.registrationId)),
          qualification_reason: why,
        });
        await enterPreDeal(tx, deps, row, reg, next.amountYuan, now, origin);
        return;
      }
    }
  }
  await store.updateResult(tx, row.id, { qualification_reason: why });
  await failAuction(tx, row, now, origin, 'qualification-failed', why);
}
