import { enqueueJob } from '../../platform/jobs/index.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { type AuctionGenesis, genesisHash, RECORD_FORMAT } from './chain.ts';
import {
  AUCTION_WITNESS_TYPE,
  type AuctionsDeps,
  announceState,
  START_JOB,
  type Tx,
  witness,
} from './context.ts';
import { depositStatus } from './deps.ts';
import {
  closeBidding,
  failAuction,
  issueDeal,
  organizationOf,
  passToNextOrFail,
  scheduleDeadline,
} from './results.ts';
import { CITATIONS } from './rules.ts';
import * as store from './store.ts';
import type { AuctionTerms } from './tables.ts';

/**
 * The clock-driven steps of an auction (jobs.ts runs them; placeBid runs `advanceAuction` itself when it
 * finds a deadline passed). Every handler locks the auction row and acts only if the deadline truly passed:
 * a later bid moved the countdown → the job is enqueued again for the new deadline. State lives in the row,
 * deadlines in the job table, so a restarted (or a second) instance carries on where the first stopped.
 */

const ACTIVE = new Set(['registered', 'qualified']);
/** A transition the job runs this much after its deadline (server down) restarts the countdown from now. */
const LATE_TOLERANCE_MS = 60_000;

export async function scheduleStart(tx: Tx, row: Pick<store.AuctionRow, 'id' | 'lot_id'>, at: Date) {
  await enqueueJob(tx, {
    type: START_JOB,
    payload: { auctionId: row.id, lotId: row.lot_id },
    runAt: at,
    dedupeKey: `${START_JOB}:${row.id}:${at.getTime()}`,
  });
}

/**
 * 竞价开始 (at `biddingStartsAt`): counts the registered bidders whose deposit is in; fewer than the minimum
 * → 不成交 ('insufficient-bidders', 矿业权交易规则第十七条); otherwise the chain's genesis fixes the terms and
 * the 底价 commitment, and the listing (挂牌) or free bidding period opens.
 */
export async function startBidding(deps: AuctionsDeps, auctionId: string): Promise<void> {
  const now = deps.clock.now();
  const seen = await store.findAuction(deps.db, auctionId);
  if (seen?.status !== 'announced') return;
  if (now < seen.bidding_starts_at) {
    await deps.db.transaction().execute((tx) => scheduleStart(tx, seen, seen.bidding_starts_at));
    return;
  }
  const registrations = (await store.listRegistrations(deps.db, auctionId)).filter((r) =>
    ACTIVE.has(r.status),
  );
  let eligible = 0;
  for (const reg of registrations) {
    const status = await depositStatus(deps.db, deps.sealer, seen.lot_id, organizationOf(deps, reg));
    if (status.satisfied) eligible += 1;
  }
  await deps.db.transaction().execute(async (tx) => {
    const row = await store.lockAuction(tx, auctionId);
    if (row?.status !== 'announced' || now < row.bidding_starts_at) return;
    const terms = row.terms as AuctionTerms;
    const startedAt = row.bidding_starts_at;
    const genesis: AuctionGenesis = {
      format: RECORD_FORMAT,
      auctionId: row.id,
      lotId: row.lot_id,
      procedureType: row.procedure_type,
      startPriceYuan: row.start_price_yuan,
      stepYuan: row.step_yuan,
      priceCapYuan: terms.priceCapYuan,
      countdownMinutes: terms.countdownMinutes,
      reserveSm3: row.reserve_sm3,
      startedAt: startedAt.toISOString(),
    };
    const head = genesisHash(genesis);
    if (eligible < terms.minBidders) {
      await store.updateAuction(tx, row.id, {
        genesis_json: JSON.stringify(genesis),
        chain_head: head,
        started_at: startedAt,
        updated_at: now,
      });
      await failAuction(
        tx,
        { ...row, genesis_json: JSON.stringify(genesis), chain_head: head },
        now,
        SYSTEM_ORIGIN,
        'insufficient-bidders',
        `缴纳保证金的竞买人 ${eligible} 人，少于 ${terms.minBidders} 人。`,
      );
      return;
    }
    const phase = row.procedure_type === 'listing' ? 'listing' : 'free';
    const phaseEndsAt =
      phase === 'listing'
        ? new Date(terms.listingEndsAt ?? startedAt)
        : new Date(startedAt.getTime() + (terms.freeBiddingMinutes ?? 0) * 60_000);
    await store.updateAuction(tx, row.id, {
      status: 'bidding',
      phase,
      phase_ends_at: phaseEndsAt,
      floor_yuan: row.start_price_yuan,
      genesis_json: JSON.stringify(genesis),
      chain_head: head,
      started_at: startedAt,
      version: row.version + 1,
      updated_at: now,
    });
    await scheduleDeadline(tx, row, phaseEndsAt);
    await witness(tx, now, SYSTEM_ORIGIN, AUCTION_WITNESS_TYPE, row.id, 'auction.started', {
      phase,
      phaseEndsAt: phaseEndsAt.toISOString(),
      genesisHash: head,
      reserveSm3: row.reserve_sm3,
      eligibleBidders: eligible,
    });
    await announceState(tx, row.id);
  });
}

/**
 * The deadline job (and placeBid when it finds the deadline passed): the listing / free / confirmation /
 * sealed period or the 限时竞价 countdown ended → the next phase or the close. Idempotent.
 */
export async function advanceAuction(deps: AuctionsDeps, auctionId: string): Promise<void> {
  await deps.db.transaction().execute(async (tx) => {
    const row = await store.lockAuction(tx, auctionId);
    if (row?.status !== 'bidding' || !row.phase) return;
    const now = deps.clock.now();
    const deadline = row.phase === 'timed' ? row.countdown_ends_at : row.phase_ends_at;
    if (!deadline) return;
    if (now < deadline) {
      // A later bid moved the countdown: come back at the new deadline.
      await scheduleDeadline(tx, row, deadline);
      return;
    }
    await transition(tx, deps, row, deadline, now);
  });
}

async function transition(tx: Tx, deps: AuctionsDeps, row: store.AuctionRow, at: Date, now: Date) {
  const terms = row.terms as AuctionTerms;
  switch (row.phase) {
    case 'listing':
    case 'free': {
      if (terms.bidMode === 'single') return closeBidding(tx, deps, row, at);
      if (terms.timedEntry === 'confirm') return openEntry(tx, row, at, now);
      const participants =
        terms.timedEntry === 'automatic'
          ? new Set(
              (await store.listRegistrations(tx, row.id))
                .filter((r) => ACTIVE.has(r.status))
                .map((r) => r.id),
            )
          : await store.registrationsWithBids(tx, row.id);
      // 挂牌 (39号令第二十条): 限时竞价 only when two or more still want to bid; 拍卖 always goes on.
      const needed = row.phase === 'listing' ? 2 : 1;
      if (participants.size >= needed) return enterTimed(tx, row, at, now, participants);
      return closeBidding(tx, deps, row, at);
    }
    case 'entry': {
      const confirmed = new Set(
        (await store.listRegistrations(tx, row.id))
          .filter((r) => ACTIVE.has(r.status) && r.timed_confirmed_at !== null)
          .map((r) => r.id),
      );
      if (confirmed.size >= 2) return enterTimed(tx, row, at, now, confirmed);
      return closeBidding(tx, deps, row, at);
    }
    case 'timed':
    case 'sealed':
      return closeBidding(tx, deps, row, at);
  }
}

/** 限时竞价确认: those who want to go on confirm within `confirmMinutes`. */
async function openEntry(tx: Tx, row: store.AuctionRow, at: Date, now: Date) {
  const terms = row.terms as AuctionTerms;
  const base = now.getTime() - at.getTime() > LATE_TOLERANCE_MS ? now : at;
  const endsAt = new Date(base.getTime() + terms.confirmMinutes * 60_000);
  await store.updateAuction(tx, row.id, {
    phase: 'entry',
    phase_ends_at: endsAt,
    version: row.version + 1,
    updated_at: now,
  });
  await scheduleDeadline(tx, row, endsAt);
  await witness(tx, now, SYSTEM_ORIGIN, AUCTION_WITNESS_TYPE, row.id, 'auction.entry-opened', {
    endsAt: endsAt.toISOString(),
    citation: CITATIONS.listingClose,
  });
  await announceState(tx, row.id);
}

/**
 * 限时竞价 begins: the countdown of N minutes starts (from the end of the previous period — or from now if
 * the server was down past it); it starts at the highest bid + one step (anyone may bid it) or at the highest
 * bid (its bidder leads). Registrations not admitted by the entry rule are excluded.
 */
async function enterTimed(tx: Tx, row: store.AuctionRow, at: Date, now: Date, participants: Set<string>) {
  const terms = row.terms as AuctionTerms;
  const base = now.getTime() - at.getTime() > LATE_TOLERANCE_MS ? now : at;
  const countdownEndsAt = new Date(base.getTime() + terms.countdownMinutes * 60_000);
  const registrations = await store.listRegistrations(tx, row.id);
  for (const reg of registrations) {
    const excluded = !participants.has(reg.id);
    if (reg.timed_excluded !== excluded)
      await store.updateRegistration(tx, reg.id, { timed_excluded: excluded });
  }
  const current = row.current_price_yuan;
  const floor =
    current === null
      ? row.start_price_yuan
      : terms.timedStart === 'highest-plus-step'
        ? fenToYuan(yuanToFen(current) + yuanToFen(row.step_yuan))
        : null;
  await store.updateAuction(tx, row.id, {
    phase: 'timed',
    phase_ends_at: null,
    countdown_ends_at: countdownEndsAt,
    floor_yuan: floor,
    version: row.version + 1,
    updated_at: now,
  });
  await scheduleDeadline(tx, row, countdownEndsAt);
  await witness(tx, now, SYSTEM_ORIGIN, AUCTION_WITNESS_TYPE, row.id, 'auction.timed-started', {
    participants: participants.size,
    startYuan: floor ?? current,
    countdownEndsAt: countdownEndsAt.toISOString(),
    countdownMinutes: terms.countdownMinutes,
    citation: CITATIONS.timed,
  });
  await announceState(tx, row.id);
}

/** 资格预审 mode: after the close, the award-stage credit check, then the 成交通知书 and 成交公示. */
export async function finalizeDeal(deps: AuctionsDeps, auctionId: string): Promise<void> {
  const seen = await store.findAuction(deps.db, auctionId);
  if (seen?.status !== 'closed') return;
  const result = await store.findResult(deps.db, auctionId);
  if (!result?.winner_organization_id) return;
  const now = deps.clock.now();
  const barred = await deps.eligibility.barredReasons({
    organizationId: result.winner_organization_id,
    lotId: seen.lot_id,
    stage: 'award',
    at: now,
  });
  await deps.db.transaction().execute(async (tx) => {
    const row = await store.lockAuction(tx, auctionId);
    if (row?.status !== 'closed') return;
    if (barred.length > 0) {
      await store.updateAuction(tx, row.id, { status: 'pre-deal', updated_at: now });
      await passToNextOrFail(
        tx,
        deps,
        { ...row, status: 'pre-deal' },
        now,
        SYSTEM_ORIGIN,
        `竞得人被限制参加公共资源交易活动：${barred.join('；')}`,
      );
      return;
    }
    await issueDeal(tx, row, now, SYSTEM_ORIGIN, null);
  });
}

/** 资格审核 not done within 2 工作日 of the 预成交: flagged (and witnessed) once. */
export async function flagQualificationOverdue(deps: AuctionsDeps, auctionId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const row = await store.lockAuction(tx, auctionId);
    if (row?.status !== 'pre-deal') return;
    const result = await store.findResult(tx, auctionId);
    if (!result?.qualification_due || result.qualification_overdue_at || now <= result.qualification_due)
      return;
    await store.updateResult(tx, auctionId, { qualification_overdue_at: now, updated_at: now });
    await witness(tx, now, SYSTEM_ORIGIN, AUCTION_WITNESS_TYPE, auctionId, 'auction.qualification-overdue', {
      due: result.qualification_due.toISOString(),
      citation: CITATIONS.qualification,
    });
    await announceState(tx, auctionId);
  });
}
