import { randomBytes, randomUUID } from 'node:crypto';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { Forbidden, InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, formatYuanZh, yuanToFen } from '../../platform/money/index.ts';
import { reserveCommitment } from './chain.ts';
import { AUCTION_WITNESS_TYPE, type AuctionContext, announceState, witness } from './context.ts';
import {
  assertInScope,
  assertLotNotSuspended,
  assertLotReceived,
  getProcedure,
  isAuctionProcedure,
  setDepositTerms,
} from './deps.ts';
import { scheduleStart } from './lifecycle.ts';
import { assertOrganiser, auctionNotFound, requireSignedIn, reserveContext } from './policy.ts';
import { failAuction, namedOf, publishNotice } from './results.ts';
import {
  type AuctionSetupInput,
  CITATIONS,
  checkSetup,
  daysBetween,
  leadTimeViolation,
  rulesFor,
} from './rules.ts';
import * as store from './store.ts';
import type { AuctionProcedureType, AuctionTerms } from './tables.ts';
import { terminationText, transferNoticeText } from './texts.ts';

/** The initiator's (or agency's) steps: set up, 底价, publish, terminate; the host's step change. */

const DAY = 86_400_000;

function stateConflict(title: string, detail: string, citation?: string): RuleViolation {
  return new RuleViolation('AUCTION_STATE', { title, detail, ...(citation ? { citation } : {}) });
}

/** PUT /api/lots/:lotId/auction: creates or replaces the draft (the lot must trade by 拍卖/挂牌/网络竞价). */
export async function setUpAuction(ctx: AuctionContext, lotId: string, input: AuctionSetupInput) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertOrganiser(ctx, lotId);
  if (!isAuctionProcedure(lot.procedureType)) {
    throw new RuleViolation('LOT_NOT_AUCTION', {
      title: '该标段不以拍卖、挂牌或网络竞价方式交易',
      detail: `交易方式为“${getProcedure(lot.procedureType).nameZh}”，请在招标（采购）流程中办理。`,
      citation: '《内蒙古自治区公共资源交易管理办法》第十条',
    });
  }
  assertLotReceived(lot);
  const type = lot.procedureType as AuctionProcedureType;
  const terms = checkSetup(input, { procedureType: type, catalogItemCode: lot.catalogItemCode });
  const now = ctx.clock.now();
  const existing = await store.findAuctionByLot(ctx.db, lotId);
  if (existing && existing.status !== 'draft') {
    throw stateConflict(
      '竞价公告已发布，交易条件不得变更',
      '公告发布后如需变更，请终止后重新发布。',
      CITATIONS.reserve,
    );
  }
  const id = existing?.id ?? randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const current = existing ? await store.lockAuction(tx, id) : undefined;
    if (existing && current?.status !== 'draft') throw stateConflict('竞价公告已发布', '请刷新页面。');
    const columns = {
      title: terms.title,
      terms: JSON.stringify(terms),
      step_yuan: terms.stepYuan,
      start_price_yuan: terms.startPriceYuan,
      bidding_starts_at: new Date(terms.biddingStartsAt),
      agency_organization_id: lot.agencyOrganizationId,
      updated_at: now,
    };
    if (current) {
      // A 底价 set on other terms is no longer meaningful against a new start price: it must be set again.
      const reserveStale = current.start_price_yuan !== terms.startPriceYuan;
      await store.updateAuction(tx, id, {
        ...columns,
        ...(reserveStale ? { reserve_sealed: null, reserve_sm3: null } : {}),
        version: current.version + 1,
      });
    } else {
      await store.insertAuction(tx, {
        id,
        lot_id: lot.id,
        project_id: lot.projectId,
        lot_code: lot.code,
        project_name: lot.projectName,
        procedure_type: type,
        catalog_item_code: lot.catalogItemCode,
        region_code: lot.regionCode,
        initiator_organization_id: lot.initiatorOrganizationId,
        status: 'draft',
        phase: null,
        reserve_sealed: null,
        reserve_sm3: null,
        current_price_yuan: null,
        leader_registration_id: null,
        floor_yuan: null,
        seq: 0,
        chain_head: '',
        genesis_json: null,
        countdown_ends_at: null,
        phase_ends_at: null,
        announced_at: null,
        started_at: null,
        closed_at: null,
        version: 1,
        created_at: now,
        ...columns,
      });
    }
    await witness(tx, now, ctx.origin, AUCTION_WITNESS_TYPE, id, 'auction.set-up', {
      lotId,
      accountId: actor.accountId,
      terms,
    });
  });
  return id;
}

async function loadForOrganiser(ctx: AuctionContext, auctionId: string) {
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row) throw auctionNotFound();
  const lot = await assertOrganiser(ctx, row.lot_id);
  return { row, lot };
}

function reserveLocked(row: store.AuctionRow): RuleViolation {
  return new RuleViolation('RESERVE_LOCKED', {
    title: '竞价开始后底价不得变更',
    detail: `竞价已于 ${formatShanghaiTime(row.bidding_starts_at)} 开始；底价在竞价开始前确定，结束前保密且不得变更。`,
    citation: CITATIONS.reserve,
  });
}

/**
 * 底价: set (or changed) before the bidding starts only. Stored sealed with the field key; the public sees a
 * commitment (SM3 of salt and amount) that the chain's genesis fixes at the start and the record opens at the end.
 */
export async function setReserve(ctx: AuctionContext, auctionId: string, input: { reserveYuan: string }) {
  const { row } = await loadForOrganiser(ctx, auctionId);
  const now = ctx.clock.now();
  const open = (r: store.AuctionRow) =>
    (r.status === 'draft' || r.status === 'announced') && now.getTime() < r.bidding_starts_at.getTime();
  if (!open(row)) throw reserveLocked(row);
  const reserve = yuanToFen(input.reserveYuan);
  const terms = row.terms as AuctionTerms;
  if (reserve < yuanToFen(row.start_price_yuan)) {
    throw new RuleViolation('RESERVE_BELOW_START', {
      title: '底价不得低于起始价',
      detail: `起始价为 ${formatYuanZh(row.start_price_yuan)}。`,
      citation: CITATIONS.reserve,
    });
  }
  if (terms.priceCapYuan && reserve > yuanToFen(terms.priceCapYuan)) {
    throw new RuleViolation('RESERVE_ABOVE_CAP', {
      title: '底价不得高于最高限价',
      detail: `最高限价为 ${formatYuanZh(terms.priceCapYuan)}。`,
      citation: CITATIONS.priceCap,
    });
  }
  const amountYuan = fenToYuan(reserve);
  const salt = randomBytes(16).toString('hex');
  const sealed = ctx.sealer.seal(JSON.stringify({ amountYuan, salt }), reserveContext(row.id));
  const commitment = reserveCommitment(salt, amountYuan);
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAuction(tx, auctionId);
    if (!current || !open(current)) throw reserveLocked(row);
    await store.updateAuction(tx, auctionId, {
      reserve_sealed: sealed,
      reserve_sm3: commitment,
      version: current.version + 1,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, AUCTION_WITNESS_TYPE, auctionId, 'auction.reserve-set', {
      reserveSm3: commitment,
      citation: CITATIONS.reserve,
    });
  });
  return { reserveSm3: commitment };
}

/**
 * 公告发布: draft → announced. The lead time is checked against now (≥20 日 land/mining, ≥20 工作日 state
 * property …); the deposit terms go to the deposits module in the same transaction; the bidding start is
 * scheduled.
 */
export async function publishAuction(ctx: AuctionContext, auctionId: string) {
  const actor = requireSignedIn(ctx.actor);
  const { row, lot } = await loadForOrganiser(ctx, auctionId);
  await assertLotNotSuspended(ctx.db, lot.id, ctx.clock.now());
  if (row.status !== 'draft') throw stateConflict('竞价公告已经发布', `当前状态：${row.status}。`);
  const terms = row.terms as AuctionTerms;
  const now = ctx.clock.now();
  const rules = rulesFor(row.procedure_type, row.catalog_item_code);
  const lead = daysBetween(now, row.bidding_starts_at, rules.announcementLead.counting);
  if (lead < rules.announcementLead.days) throw leadTimeViolation(rules, lead);
  const registrationUntil = new Date(terms.registrationUntil);
  if (registrationUntil <= now) {
    throw stateConflict(
      '竞买申请截止时间已过',
      `竞买申请截止时间为 ${formatShanghaiTime(registrationUntil)}。`,
    );
  }
  const endEstimate = new Date(
    terms.listingEndsAt ?? row.bidding_starts_at.getTime() + (terms.freeBiddingMinutes ?? 0) * 60_000,
  );
  const text = transferNoticeText(namedOf(row), terms, now);
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAuction(tx, auctionId);
    if (current?.status !== 'draft') throw stateConflict('竞价公告已经发布', '请刷新页面。');
    await store.updateAuction(tx, auctionId, {
      status: 'announced',
      announced_at: now,
      version: current.version + 1,
      updated_at: now,
    });
    await setDepositTerms(tx, now, ctx.origin, {
      lotId: row.lot_id,
      depositYuan: terms.depositYuan,
      deadline: new Date(terms.depositDeadline),
      revealAt: endEstimate,
      validityUntil: new Date(endEstimate.getTime() + 120 * DAY),
      setBy: actor.accountId,
    });
    const noticeId = await publishNotice(tx, current, 'transfer-notice', text, {
      public: true,
      at: now,
      by: actor.accountId,
      origin: ctx.origin,
    });
    await scheduleStart(tx, current, current.bidding_starts_at);
    await witness(tx, now, ctx.origin, AUCTION_WITNESS_TYPE, auctionId, 'auction.published', {
      noticeId,
      biddingStartsAt: current.bidding_starts_at.toISOString(),
      leadDays: lead,
      citation: rules.announcementLead.citation,
    });
    await announceState(tx, auctionId);
  });
}

/**
 * 终止: the initiator (or agency) before the bidding starts; a supervisor in scope at any time before the
 * deal. Deposits are refunded; a 终止公告 is published.
 */
export async function terminateAuction(ctx: AuctionContext, auctionId: string, input: { reason: string }) {
  const actor = requireSignedIn(ctx.actor);
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row) throw auctionNotFound();
  const now = ctx.clock.now();
  const supervisor = actor.roles.includes('supervisor');
  if (supervisor) {
    await assertInScope(ctx.db, actor, {
      regionCode: row.region_code,
      catalogItemCode: row.catalog_item_code,
      label: row.title,
    });
  } else {
    await assertOrganiser(ctx, row.lot_id);
  }
  const reason = input.reason.trim();
  if (reason.length < 4) {
    throw new InvalidInput('AUCTION_TERMINATION_REASON', { title: '请写明终止原因（不少于4个字）' });
  }
  const allowed = (r: store.AuctionRow) =>
    supervisor
      ? ['draft', 'announced', 'bidding', 'closed', 'pre-deal'].includes(r.status)
      : r.status === 'draft' || (r.status === 'announced' && now < r.bidding_starts_at);
  if (!allowed(row)) {
    if (!supervisor && (row.status === 'announced' || row.status === 'bidding')) {
      throw new Forbidden('AUCTION_TERMINATE_SUPERVISOR_ONLY', {
        title: '竞价开始后只能由行政监督部门终止',
        detail: '竞价开始后出让（转让）人不能自行终止；如遇法定情形，请报告行政监督部门。',
        citation: CITATIONS.terminate,
      });
    }
    throw stateConflict('当前不能终止', `当前状态：${row.status}。`, CITATIONS.terminate);
  }
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAuction(tx, auctionId);
    if (!current || !allowed(current)) throw stateConflict('当前不能终止', '请刷新页面。');
    await publishNotice(
      tx,
      current,
      'termination',
      terminationText(namedOf(current), {
        reason,
        at: now,
        by: supervisor ? '行政监督部门' : '出让（转让）人',
      }),
      { public: current.status !== 'draft', at: now, by: actor.accountId, origin: ctx.origin },
    );
    await witness(tx, now, ctx.origin, AUCTION_WITNESS_TYPE, auctionId, 'auction.terminated', {
      from: current.status,
      by: supervisor ? 'supervisor' : 'organiser',
      reasonText: reason,
      citation: CITATIONS.terminate,
    });
    await failAuction(tx, current, now, ctx.origin, 'terminated', reason);
  });
}

/** 主持人 adjusts the increment during the bidding (39号令: 挂牌期间可根据竞买人竞价情况调整增价幅度); witnessed. */
export async function changeStep(ctx: AuctionContext, auctionId: string, input: { stepYuan: string }) {
  const actor = requireSignedIn(ctx.actor);
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row) throw auctionNotFound();
  if (!actor.roles.includes('operator')) await assertOrganiser(ctx, row.lot_id);
  const step = yuanToFen(input.stepYuan);
  if (step <= 0n) throw new InvalidInput('AUCTION_STEP_INVALID', { title: '加价幅度须大于零' });
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAuction(tx, auctionId);
    if (current?.status !== 'bidding') throw stateConflict('仅在竞价期间可以调整加价幅度', '请刷新页面。');
    const stepYuan = fenToYuan(step);
    await store.updateAuction(tx, auctionId, {
      step_yuan: stepYuan,
      version: current.version + 1,
      updated_at: now,
    });
    await store.insertStepChange(tx, {
      auction_id: auctionId,
      after_seq: current.seq,
      step_yuan: stepYuan,
      at: now,
      by_account_id: actor.accountId,
    });
    await witness(tx, now, ctx.origin, AUCTION_WITNESS_TYPE, auctionId, 'auction.step-changed', {
      from: current.step_yuan,
      to: stepYuan,
      afterSeq: current.seq,
      citation: CITATIONS.listingPeriod,
    });
    await announceState(tx, auctionId);
  });
  return { stepYuan: fenToYuan(step) };
}
