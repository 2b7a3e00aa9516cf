import { NotFound } from '../../platform/errors.ts';
import type { AuctionRecord } from './chain.ts';
import type { AuctionContext } from './context.ts';
import { findEntityOfOrganization } from './deps.ts';
import {
  assertMayOversee,
  auctionNotFound,
  bidderRefOf,
  isOrganiserOf,
  organizationRefOf,
  requireSignedIn,
} from './policy.ts';
import { amountsHidden, HIDDEN_AMOUNT } from './pricing.ts';
import { buildRecord } from './record.ts';
import { rulesFor } from './rules.ts';
import * as store from './store.ts';
import type { AuctionTerms, LotteryRecord, RankedBidder } from './tables.ts';
import { FAILURE_REASON_NAMES_ZH, PHASE_NAMES_ZH, PROCEDURE_NAMES_ZH, STATUS_NAMES_ZH } from './texts.ts';

/** What the API shows, by who asks (organisers, staff, the public, a bidder). */

const CLOSED = new Set(['closed', 'pre-deal', 'dealt', 'failed', 'terminated']);

function publicTerms(terms: AuctionTerms) {
  // The 底价 is never in the terms; the pre-emptive holders' credit codes are not published.
  const { preemptiveHolders, ...rest } = terms;
  return { ...rest, preemptiveHolders: preemptiveHolders.length };
}

function summary(row: store.AuctionRow) {
  const terms = row.terms as AuctionTerms;
  const hideCurrent = row.status === 'bidding' && terms.bidMode === 'single';
  return {
    id: row.id,
    lotId: row.lot_id,
    lotCode: row.lot_code,
    projectName: row.project_name,
    title: row.title,
    procedureType: row.procedure_type,
    procedureNameZh: PROCEDURE_NAMES_ZH[row.procedure_type],
    catalogItemCode: row.catalog_item_code,
    regionCode: row.region_code,
    status: row.status,
    statusNameZh: STATUS_NAMES_ZH[row.status] ?? row.status,
    phase: row.phase,
    phaseNameZh: row.phase ? (PHASE_NAMES_ZH[row.phase] ?? row.phase) : null,
    startPriceYuan: row.start_price_yuan,
    stepYuan: row.step_yuan,
    depositYuan: terms.depositYuan,
    currentPriceYuan: hideCurrent ? null : row.current_price_yuan,
    seq: row.seq,
    biddingStartsAt: row.bidding_starts_at.toISOString(),
    listingEndsAt: terms.listingEndsAt,
    registrationUntil: terms.registrationUntil,
    depositDeadline: terms.depositDeadline,
    countdownEndsAt: row.countdown_ends_at?.toISOString() ?? null,
    phaseEndsAt: row.phase_ends_at?.toISOString() ?? null,
    announcedAt: row.announced_at?.toISOString() ?? null,
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

export type AuctionSummary = ReturnType<typeof summary>;

function noticeView(n: store.NoticeRow) {
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    bodySm3: n.body_sm3,
    public: n.public,
    publishedAt: n.published_at.toISOString(),
  };
}

async function pseudonymOf(ctx: AuctionContext, registrationId: string | null): Promise<string | null> {
  if (!registrationId) return null;
  return (await store.findRegistration(ctx.db, registrationId))?.pseudonym ?? null;
}

async function publicResult(ctx: AuctionContext, row: store.AuctionRow) {
  if (!CLOSED.has(row.status)) return null;
  const result = await store.findResult(ctx.db, row.id);
  if (!result) return null;
  return {
    outcome: result.outcome,
    reason: result.reason,
    reasonZh: result.reason ? (FAILURE_REASON_NAMES_ZH[result.reason] ?? result.reason) : null,
    priceYuan: result.price_yuan,
    sealedOfferYuan: result.sealed_offer_yuan,
    winnerPseudonym: await pseudonymOf(ctx, result.winner_registration_id),
    decidedAt: result.decided_at.toISOString(),
    preDealAt: result.pre_deal_at?.toISOString() ?? null,
    qualificationDue: result.qualification_due?.toISOString() ?? null,
    qualificationOverdue: result.qualification_overdue_at !== null,
    noticeAt: result.notice_at?.toISOString() ?? null,
    recordSm3: result.record_sm3,
    lottery: result.lottery as LotteryRecord | null,
    contractNote: result.contract_note,
  };
}

/** GET /api/lots/:lotId/auction — the organisers' (and staff's) view, with every term and notice. */
export async function getAuctionOfLot(ctx: AuctionContext, lotId: string) {
  const row = await store.findAuctionByLot(ctx.db, lotId);
  if (!row) throw new NotFound('AUCTION_NOT_SET_UP', { title: '该标的尚未设置竞价交易' });
  return organiserView(ctx, row);
}

export async function organiserView(ctx: AuctionContext, row: store.AuctionRow) {
  await assertMayOversee(ctx, row);
  const terms = row.terms as AuctionTerms;
  const rules = rulesFor(row.procedure_type, row.catalog_item_code);
  const [registrations, notices, result] = await Promise.all([
    store.listRegistrations(ctx.db, row.id),
    store.listNotices(ctx.db, row.id, false),
    store.findResult(ctx.db, row.id),
  ]);
  let winner: { organizationId: string; name: string; creditCode: string } | null = null;
  if (result?.winner_organization_id) {
    const entity = await findEntityOfOrganization(ctx.db, result.winner_organization_id);
    winner = {
      organizationId: result.winner_organization_id,
      name: entity?.name ?? '',
      creditCode: entity?.creditCode ?? '',
    };
  }
  return {
    ...summary(row),
    terms,
    version: row.version,
    reserveSet: row.reserve_sm3 !== null,
    reserveSm3: row.reserve_sm3,
    // How many registered is the competition's secret until the bidding starts; afterwards the host sees it.
    registrations:
      row.status === 'draft' || row.status === 'announced'
        ? null
        : {
            count: registrations.length,
            cleared: registrations.filter((r) => r.cleared_at !== null).length,
          },
    rules: {
      category: rules.category,
      announcementLead: rules.announcementLead,
      listingPeriod: rules.listingPeriod,
      minBidders: rules.minBidders,
      countdownMinutes: rules.countdownMinutes,
      qualificationWorkingDays: rules.qualificationWorkingDays,
    },
    notices: notices.map(noticeView),
    result:
      CLOSED.has(row.status) && result
        ? {
            ...(await publicResult(ctx, row)),
            winner,
            reserveYuan: result.reserve_yuan,
            ranking: result.ranking as RankedBidder[],
            qualifiedAt: result.qualified_at?.toISOString() ?? null,
            qualificationReason: result.qualification_reason,
            noticeSm3: result.notice_sm3,
          }
        : null,
  };
}

/** GET /api/public/auctions — the public listing (竞价交易 page). */
export async function listPublicAuctions(
  ctx: AuctionContext,
  query: {
    status?: string | undefined;
    catalog?: string | undefined;
    q?: string | undefined;
    page?: number | undefined;
  },
) {
  const page = Math.max(1, query.page ?? 1);
  const pageSize = 20;
  const { rows, total } = await store.listPublicAuctions(ctx.db, { ...query, page, pageSize });
  return { items: rows.map(summary), total, page, pageSize, serverTime: ctx.clock.now().toISOString() };
}

/** GET /api/public/auctions/:id — terms (no 底价), the public notices, the schedule, the result. */
export async function getPublicAuction(ctx: AuctionContext, auctionId: string) {
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row || row.status === 'draft') throw auctionNotFound();
  const notices = await store.listNotices(ctx.db, row.id, true);
  return {
    ...summary(row),
    terms: publicTerms(row.terms as AuctionTerms),
    reserveSm3: row.reserve_sm3,
    notices: notices.map(noticeView),
    result: await publicResult(ctx, row),
    recordAvailable: CLOSED.has(row.status) && row.genesis_json !== null,
    serverTime: ctx.clock.now().toISOString(),
  };
}

/** GET /api/auctions/:id/result — the organisers' full result, a bidder's own outcome, or the public one. */
export async function getResult(ctx: AuctionContext, auctionId: string) {
  const actor = requireSignedIn(ctx.actor);
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row || row.status === 'draft') throw auctionNotFound();
  const staff = ['operator', 'supervisor', 'auditor'].some((r) => actor.roles.includes(r as 'operator'));
  if (staff || isOrganiserOf(actor, row)) return (await organiserView(ctx, row)).result;
  const base = await publicResult(ctx, row);
  let mine: { pseudonym: string; won: boolean; notices: ReturnType<typeof noticeView>[] } | null = null;
  if (actor.organizationId) {
    const reg = await store.findRegistrationByRef(
      ctx.db,
      row.id,
      bidderRefOf(ctx.sealer, row.id, actor.organizationId),
    );
    if (reg) {
      const result = await store.findResult(ctx.db, row.id);
      const won = result?.winner_registration_id === reg.id && CLOSED.has(row.status);
      const notices = won
        ? (await store.listNotices(ctx.db, row.id, false)).filter(
            (n) => n.kind === 'pre-deal' || n.kind === 'deal-notice',
          )
        : [];
      mine = { pseudonym: reg.pseudonym, won, notices: notices.map(noticeView) };
    }
  }
  return { ...base, mine };
}

/** GET /api/auctions/:id/host — the host's view: the state and counts, no identities before the close. */
export async function getHostView(ctx: AuctionContext, auctionId: string) {
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row) throw auctionNotFound();
  await assertMayOversee(ctx, row);
  const [registrations, bids, steps] = await Promise.all([
    store.listRegistrations(ctx.db, row.id),
    store.listPublicBids(ctx.db, row.id, null, 20),
    store.listStepChanges(ctx.db, row.id),
  ]);
  const started = row.status !== 'draft' && row.status !== 'announced';
  const deadline = row.phase === 'timed' ? row.countdown_ends_at : row.phase_ends_at;
  return {
    ...summary(row),
    serverTime: ctx.clock.now().toISOString(),
    countdownMinutes: (row.terms as AuctionTerms).countdownMinutes,
    leaderPseudonym:
      started && row.phase !== 'sealed' ? await pseudonymOf(ctx, row.leader_registration_id) : null,
    registrations: started
      ? {
          count: registrations.length,
          cleared: registrations.filter((r) => r.cleared_at !== null).length,
          timedConfirmed: registrations.filter((r) => r.timed_confirmed_at !== null).length,
          timedExcluded: registrations.filter((r) => r.timed_excluded).length,
        }
      : null,
    nextDeadline:
      deadline?.toISOString() ?? (row.status === 'announced' ? row.bidding_starts_at.toISOString() : null),
    recentBids: bids.map((b) => ({
      seq: b.seq,
      pseudonym: b.pseudonym,
      amountYuan: amountsHidden(row, b.kind) ? HIDDEN_AMOUNT : b.amount_yuan,
      at: b.at.toISOString(),
      phase: b.phase,
      kind: b.kind,
    })),
    stepChanges: steps.map((s) => ({ afterSeq: s.after_seq, stepYuan: s.step_yuan, at: s.at.toISOString() })),
  };
}

/** GET /api/auctions/mine — a bidder's registrations, or the auctions of the organiser's lots. */
export async function listMine(ctx: AuctionContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return { registrations: [], organised: [] };
  const registrations = actor.roles.includes('responder')
    ? (
        await store.listRegistrationsOfOrganization(
          ctx.db,
          organizationRefOf(ctx.sealer, actor.organizationId),
        )
      ).map((r) => ({
        auctionId: r.id,
        lotId: r.lot_id,
        title: r.title,
        procedureType: r.procedure_type,
        status: r.status,
        statusNameZh: STATUS_NAMES_ZH[r.status] ?? r.status,
        phase: r.phase,
        pseudonym: r.pseudonym,
        registrationStatus: r.registration_status,
        registeredAt: r.registered_at.toISOString(),
        biddingStartsAt: r.bidding_starts_at.toISOString(),
        countdownEndsAt: r.countdown_ends_at?.toISOString() ?? null,
        phaseEndsAt: r.phase_ends_at?.toISOString() ?? null,
        currentPriceYuan: r.current_price_yuan,
      }))
    : [];
  const organised =
    actor.roles.includes('initiator') || actor.roles.includes('agency')
      ? (await store.listAuctionsOfOrganization(ctx.db, actor.organizationId)).map(summary)
      : [];
  return { registrations, organised };
}

/** GET /api/public/auctions/:id/record — published once the bidding has closed. */
export async function getRecord(ctx: AuctionContext, auctionId: string): Promise<AuctionRecord> {
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row || row.status === 'draft') throw auctionNotFound();
  const record = CLOSED.has(row.status) ? await buildRecord(ctx.db, row) : null;
  if (!record) {
    throw new NotFound('AUCTION_RECORD_NOT_PUBLISHED', {
      title: '竞价记录尚未公布',
      detail: '竞价结束后公布全部报价记录、哈希链和底价。',
    });
  }
  return record;
}
