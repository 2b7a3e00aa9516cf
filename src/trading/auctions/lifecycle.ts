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
import { depositStatus, listSuspensions, setDepositTerms } from './deps.ts';
import {
  closeBidding,
  failAuction,
  issueDeal,
  namedOf,
  organizationOf,
  passToNextOrFail,
  publishNotice,
  scheduleDeadline,
} from './results.ts';
import { CITATIONS, workingDaysLater } from './rules.ts';
import * as store from './store.ts';
import type { AuctionTerms } from './tables.ts';
import { extensionText } from './texts.ts';

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
    if (eligible < terms.minBidders && (await extendAuction(tx, row, now, eligible))) return;
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
    const resumed = await creditSuspensions(tx, row, deadline, now);
    if (resumed === 'held') return;
    if (resumed.deadline > now) return;
    await transition(tx, deps, resumed.row, resumed.deadline, now);
  });
}

/**
 * 延牌 (企业国有产权交易操作规则: 未征集到意向受让方的，可延长信息披露，每次不少于5个工作日，延期次数以公告载明为限):
 * at the start, too few bidders with their deposit in and the notice allows another extension → the
 * 竞买申请截止, the 保证金缴纳截止 (deposits' terms, in this transaction), the start (and a listing's end) move
 * on by `extensionWorkingDays` working days, and a 延期公告 says so on the portal. False: no extension left
 * (the caller fails the auction).
 */
async function extendAuction(tx: Tx, row: store.AuctionRow, now: Date, eligible: number): Promise<boolean> {
  const terms = row.terms as AuctionTerms;
  if (terms.autoExtend !== true || row.extensions >= (terms.maxExtensions ?? 0)) return false;
  const n = terms.extensionWorkingDays;
  const later = (iso: string) => workingDaysLater(new Date(iso), n).toISOString();
  const moved: AuctionTerms = {
    ...terms,
    registrationUntil: later(terms.registrationUntil),
    depositDeadline: later(terms.depositDeadline),
    biddingStartsAt: later(terms.biddingStartsAt),
    listingEndsAt: terms.listingEndsAt ? later(terms.listingEndsAt) : null,
  };
  const depositDeadline = new Date(moved.depositDeadline);
  // A start job that runs more than a whole extension late cannot reopen a deadline already past.
  if (depositDeadline <= now || new Date(moved.registrationUntil) <= now) return false;
  const startsAt = new Date(moved.biddingStartsAt);
  const endEstimate = new Date(
    moved.listingEndsAt ?? startsAt.getTime() + (moved.freeBiddingMinutes ?? 0) * 60_000,
  );
  const extension = row.extensions + 1;
  await store.updateAuction(tx, row.id, {
    terms: JSON.stringify(moved),
    bidding_starts_at: startsAt,
    extensions: extension,
    version: row.version + 1,
    updated_at: now,
  });
  await setDepositTerms(tx, now, SYSTEM_ORIGIN, {
    lotId: row.lot_id,
    depositYuan: terms.depositYuan,
    deadline: depositDeadline,
    revealAt: endEstimate,
    validityUntil: new Date(endEstimate.getTime() + 120 * 86_400_000),
    setBy: 'system',
    extension: true,
  });
  await scheduleStart(tx, row, startsAt);
  // 延期公告: the public learns the new dates from the portal, as it learnt the old ones.
  const noticeId = await publishNotice(
    tx,
    row,
    'extension',
    extensionText(namedOf(row), {
      extension,
      maxExtensions: terms.maxExtensions,
      workingDays: n,
      eligibleBidders: eligible,
      minBidders: terms.minBidders,
      terms: moved,
      at: now,
    }),
    { public: true, at: now, by: null, origin: SYSTEM_ORIGIN },
  );
  await witness(tx, now, SYSTEM_ORIGIN, AUCTION_WITNESS_TYPE, row.id, 'auction.extended', {
    noticeId,
    extension,
    maxExtensions: terms.maxExtensions,
    workingDays: n,
    eligibleBidders: eligible,
    minBidders: terms.minBidders,
    registrationUntil: moved.registrationUntil,
    depositDeadline: moved.depositDeadline,
    biddingStartsAt: moved.biddingStartsAt,
    listingEndsAt: moved.listingEndsAt,
    citation: CITATIONS.extension,
  });
  await announceState(tx, row.id);
  return true;
}

/** When the running period began: the last restart of the countdown, the start of the phase. */
function periodStartOf(row: store.AuctionRow, terms: AuctionTerms): Date {
  const minutes = (m: number, end: Date | null) => new Date((end?.getTime() ?? 0) - m * 60_000);
  switch (row.phase) {
    case 'timed':
      return minutes(terms.countdownMinutes, row.countdown_ends_at);
    case 'entry':
      return minutes(terms.confirmMinutes, row.phase_ends_at);
    case 'sealed':
      return minutes(terms.sealedMinutes, row.phase_ends_at);
    default:
      return row.started_at ?? row.bidding_starts_at;
  }
}

/**
 * 恢复 after a supervisor's suspension (trading/procedures): while suspended no bid is taken and this job is
 * held; when it runs after the resumption (or placeBid finds the deadline passed) each suspension that cut
 * into the running period gives the bidders their time back — the new end is the resumption + the time that
 * remained when it began, or a full countdown of N minutes if that is longer (from now when the job notices
 * the resumption late). Each suspension counts once (`credited_suspensions`). 'held': one is still in force.
 */
async function creditSuspensions(
  tx: Tx,
  row: store.AuctionRow,
  deadline: Date,
  now: Date,
): Promise<'held' | { row: store.AuctionRow; deadline: Date }> {
  const credited = new Set(row.credited_suspensions);
  const pending = (await listSuspensions(tx, row.lot_id)).filter(
    (s) => !credited.has(s.id) && s.startedAt < deadline,
  );
  if (pending.length === 0) return { row, deadline };
  const terms = row.terms as AuctionTerms;
  const periodStart = periodStartOf(row, terms);
  let end = deadline;
  const given: { suspensionId: string; suspendedAt: string; resumedAt: string; remainingMs: number }[] = [];
  for (const s of pending) {
    const resumedAt = s.endedAt ?? (s.until && s.until <= now ? s.until : null);
    if (!resumedAt) {
      // Suspended again between the runner's check and now: the runner holds the job until the resumption.
      await scheduleDeadline(tx, row, now);
      return 'held';
    }
    credited.add(s.id);
    if (resumedAt <= periodStart) continue; // over before this period began (a bid after it restarted the countdown)
    const remainingMs = end.getTime() - Math.max(s.startedAt.getTime(), periodStart.getTime());
    const base = now.getTime() - resumedAt.getTime() > LATE_TOLERANCE_MS ? now : resumedAt;
    const newEnd = new Date(base.getTime() + Math.max(remainingMs, terms.countdownMinutes * 60_000));
    if (newEnd > end) end = newEnd;
    given.push({
      suspensionId: s.id,
      suspendedAt: s.startedAt.toISOString(),
      resumedAt: resumedAt.toISOString(),
      remainingMs,
    });
  }
  const timed = row.phase === 'timed';
  const after: store.AuctionRow = {
    ...row,
    credited_suspensions: [...credited],
    ...(timed ? { countdown_ends_at: end } : { phase_ends_at: end }),
    version: row.version + 1,
  };
  await store.updateAuction(tx, row.id, {
    credited_suspensions: JSON.stringify(after.credited_suspensions),
    ...(timed ? { countdown_ends_at: end } : { phase_ends_at: end }),
    version: after.version,
    updated_at: now,
  });
  if (end > deadline) {
    await witness(tx, now, SYSTEM_ORIGIN, AUCTION_WITNESS_TYPE, row.id, 'auction.resumed', {
      phase: row.phase,
      suspensions: given,
      previousEndsAt: deadline.toISOString(),
      endsAt: end.toISOString(),
      countdownMinutes: terms.countdownMinutes,
    });
    await announceState(tx, row.id);
    if (end > now) await scheduleDeadline(tx, row, end);
  }
  return { row: after, deadline: end };
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
