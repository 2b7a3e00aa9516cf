import { randomBytes, randomUUID } from 'node:crypto';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { NotFound, RuleViolation } from '../../platform/errors.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import { AUCTION_WITNESS_TYPE, type AuctionContext, REGISTRATION_WITNESS_TYPE, witness } from './context.ts';
import { CREDIT_CITATION, depositStatus, findEntityOfOrganization } from './deps.ts';
import { clearRegistration } from './engine.ts';
import {
  assertBidder,
  auctionNotFound,
  bidderRefOf,
  notRegistered,
  organizationRefOf,
  registrationContext,
} from './policy.ts';
import { CITATIONS } from './rules.ts';
import * as store from './store.ts';
import type { AuctionTerms } from './tables.ts';

/** 竞买申请: a bidder registers (anonymously: a pseudonym), its deposit, and the 限时竞价 confirmation. */

const PSEUDONYM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newPseudonym(): string {
  const bytes = randomBytes(4);
  return `竞买号 ${[...bytes].map((b) => PSEUDONYM_ALPHABET[b % PSEUDONYM_ALPHABET.length]).join('')}`;
}

export interface RegistrationView {
  auctionId: string;
  pseudonym: string;
  status: string;
  preemptiveRank: number | null;
  registeredAt: string;
  cleared: boolean;
  timedConfirmedAt: string | null;
  timedExcluded: boolean;
  deposit: { requiredYuan: string | null; satisfied: boolean; paidYuan: string; deadline: string };
  /** Where the bidder opens its own (random) deposit sub-account: the deposits API for the lot. */
  depositAccountHint: string;
}

async function toView(
  ctx: AuctionContext,
  row: store.AuctionRow,
  reg: store.RegistrationRow,
  organizationId: string,
): Promise<RegistrationView> {
  const terms = row.terms as AuctionTerms;
  const deposit = await depositStatus(ctx.db, ctx.sealer, row.lot_id, organizationId);
  return {
    auctionId: row.id,
    pseudonym: reg.pseudonym,
    status: reg.status,
    preemptiveRank: reg.preemptive_rank,
    registeredAt: reg.registered_at.toISOString(),
    cleared: reg.cleared_at !== null,
    timedConfirmedAt: reg.timed_confirmed_at?.toISOString() ?? null,
    timedExcluded: reg.timed_excluded,
    deposit: {
      requiredYuan: deposit.requiredYuan,
      satisfied: deposit.satisfied,
      paidYuan: deposit.paidYuan,
      deadline: terms.depositDeadline,
    },
    depositAccountHint: `请在“我的保证金”中为本标的开立随机虚拟子账户（POST /api/lots/${row.lot_id}/my-deposit/account），于 ${formatShanghaiTime(new Date(terms.depositDeadline))} 前从本单位基本账户转入竞买保证金，或提交电子保函。`,
  };
}

/**
 * POST /api/auctions/:id/registrations: 竞买申请 between the announcement and `registrationUntil`. The credit
 * gate is asked (stage 'registration'); a claimed 优先受让权 must be one the terms name. Registering twice
 * returns the first registration.
 */
export async function register(
  ctx: AuctionContext,
  auctionId: string,
  input: { preemptive?: boolean | undefined },
): Promise<RegistrationView> {
  const actor = assertBidder(ctx.actor);
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row || row.status === 'draft') throw auctionNotFound();
  const ref = bidderRefOf(ctx.sealer, auctionId, actor.organizationId);
  const existing = await store.findRegistrationByRef(ctx.db, auctionId, ref);
  if (existing) return toView(ctx, row, existing, actor.organizationId);
  const terms = row.terms as AuctionTerms;
  const now = ctx.clock.now();
  const until = new Date(terms.registrationUntil);
  if (!(row.status === 'announced' || row.status === 'bidding') || now > until) {
    throw new RuleViolation('REGISTRATION_CLOSED', {
      title: '不在竞买申请期内',
      detail: `竞买申请截止时间为 ${formatShanghaiTime(until)}。`,
    });
  }
  const barred = await ctx.eligibility.barredReasons({
    organizationId: actor.organizationId,
    lotId: row.lot_id,
    stage: 'registration',
    at: now,
  });
  if (barred.length > 0) {
    throw new RuleViolation('BIDDER_BARRED', {
      title: '本单位被限制参加公共资源交易活动，不能提交竞买申请',
      detail: barred.join('；'),
      citation: CREDIT_CITATION,
    });
  }
  let rank: number | null = null;
  if (input.preemptive) {
    const entity = await findEntityOfOrganization(ctx.db, actor.organizationId);
    const holder = terms.preemptiveHolders.find((h) => h.creditCode === entity?.creditCode);
    if (!holder) {
      throw new RuleViolation('PREEMPTIVE_NOT_HOLDER', {
        title: '本单位不在公告载明的优先受让权人之列',
        detail: '可不主张优先权参加竞价。',
        citation: CITATIONS.preemptive,
      });
    }
    rank = holder.rank;
  }
  const id = randomUUID();
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const pseudonym = newPseudonym();
    const inserted = await ctx.db.transaction().execute(async (tx) => {
      const ok = await store.insertRegistration(tx, {
        id,
        auction_id: auctionId,
        bidder_ref: ref,
        organization_ref: organizationRefOf(ctx.sealer, actor.organizationId),
        organization_sealed: ctx.sealer.seal(actor.organizationId, registrationContext(id)),
        pseudonym,
        preemptive_rank: rank,
        status: terms.qualification === 'pre' ? 'qualified' : 'registered',
        registered_at: now,
        cleared_at: null,
        timed_confirmed_at: null,
        timed_excluded: false,
      });
      if (!ok) return false;
      // The registrant stays unnamed in the log until the close (the pseudonym identifies the registration).
      await witness(
        tx,
        now,
        sealedOrigin(ctx.origin),
        REGISTRATION_WITNESS_TYPE,
        id,
        'auction-registration.registered',
        {
          auctionId,
          pseudonym,
          preemptiveRank: rank,
        },
      );
      return true;
    });
    if (inserted) break;
    // Either the pseudonym was taken (draw again) or the same bidder registered at the same moment.
    const raced = await store.findRegistrationByRef(ctx.db, auctionId, ref);
    if (raced) return toView(ctx, row, raced, actor.organizationId);
  }
  const reg = await store.findRegistration(ctx.db, id);
  if (!reg) throw new Error('registration not stored');
  return toView(ctx, row, reg, actor.organizationId);
}

export async function getMyRegistration(ctx: AuctionContext, auctionId: string): Promise<RegistrationView> {
  const actor = assertBidder(ctx.actor);
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row || row.status === 'draft') throw auctionNotFound();
  const reg = await store.findRegistrationByRef(
    ctx.db,
    auctionId,
    bidderRefOf(ctx.sealer, auctionId, actor.organizationId),
  );
  if (!reg) throw new NotFound('AUCTION_NOT_REGISTERED', { title: '本单位未提交竞买申请' });
  return toView(ctx, row, reg, actor.organizationId);
}

/** 限时竞价确认 (entry rule 'confirm'): within the confirmation window, after the deposit and credit checks. */
export async function confirmTimed(ctx: AuctionContext, auctionId: string) {
  const actor = assertBidder(ctx.actor);
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row || row.status === 'draft') throw auctionNotFound();
  const reg = await store.findRegistrationByRef(
    ctx.db,
    auctionId,
    bidderRefOf(ctx.sealer, auctionId, actor.organizationId),
  );
  if (!reg || (reg.status !== 'registered' && reg.status !== 'qualified')) throw notRegistered();
  const notOpen = () =>
    new RuleViolation('TIMED_CONFIRM_CLOSED', {
      title: '不在限时竞价确认时间内',
      citation: CITATIONS.listingClose,
    });
  if (row.phase !== 'entry') throw notOpen();
  await clearRegistration(ctx, row, reg, actor.organizationId);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAuction(tx, auctionId);
    if (current?.phase !== 'entry' || !current.phase_ends_at || now >= current.phase_ends_at) throw notOpen();
    const fresh = await store.findRegistration(tx, reg.id);
    if (fresh?.timed_confirmed_at) return { confirmedAt: fresh.timed_confirmed_at.toISOString() };
    await store.updateRegistration(tx, reg.id, { timed_confirmed_at: now });
    await witness(
      tx,
      now,
      sealedOrigin(ctx.origin),
      AUCTION_WITNESS_TYPE,
      auctionId,
      'auction.timed-confirmed',
      {
        pseudonym: reg.pseudonym,
      },
    );
    return { confirmedAt: now.toISOString() };
  });
}
