import { randomUUID } from 'node:crypto';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { type Actor, findOrganizationById, requireActor } from '../../platform/identity/index.ts';
import { appendWitnessEvent, listSequencedEvents, SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { END_ACTIONS, type RatingsContext, type RatingsDeps, WITNESS } from './context.ts';
import { findExpertOfAccount, findLot, getAward, readDrawnCommittee, readOpeningOutcome } from './deps.ts';
import {
  CITATIONS,
  centiToScore,
  type Dimension,
  PLATFORM_RATEE,
  RELATIONS,
  scoreCenti,
  windowEndsAt,
} from './rules.ts';
import * as store from './store.ts';
import type { EndKind, RateeKind, RaterKind, RatingRelation, Scores } from './tables.ts';

export const END_KIND_NAMES_ZH: Record<EndKind, string> = {
  notice: '已发出中标（成交）通知书',
  failed: '流标',
  terminated: '终止',
};

/**
 * The lot's rating window, opened once at its end: the 中标（成交）通知书 issued, or the lot failed or was
 * terminated (the award module's record). Who took part is captured then: the committee's experts (draws,
 * after the reveal), the initiator and the agency (projects), the bidders whose bids were opened (opening).
 * Null while the lot has not ended.
 */
export async function openRatingWindow(deps: RatingsDeps, lotId: string): Promise<store.WindowRow | null> {
  const existing = await store.findWindow(deps.db, lotId);
  if (existing) return existing;
  const award = await getAward(deps.db, lotId);
  if (!award) return null;
  let end: { kind: EndKind; at: Date } | null = null;
  if (award.noticeIssuedAt) end = { kind: 'notice', at: award.noticeIssuedAt };
  else if ((award.status === 'failed' || award.status === 'terminated') && award.failedAt) {
    end = { kind: award.status, at: award.failedAt };
  }
  const lot = await findLot(deps.db, lotId);
  if (!end || !lot) return null;
  const [committee, opening, initiator] = await Promise.all([
    readDrawnCommittee({ db: deps.db, sealer: deps.sealer }, lotId),
    readOpeningOutcome(deps.db, lotId),
    findOrganizationById(deps.db, lot.initiatorOrganizationId),
  ]);
  const agencyId = award.agencyOrganizationId ?? lot.agencyOrganizationId;
  const agency = agencyId ? await findOrganizationById(deps.db, agencyId) : undefined;
  const experts = (committee?.members ?? []).map((m) => ({
    expertId: m.expertId,
    accountId: m.accountId,
    code: m.expertCode,
    name: m.name,
  }));
  const bidders = (opening?.entries ?? []).map((e) => ({
    organizationId: e.organizationId,
    name: e.bidderName,
  }));
  const now = deps.clock.now();
  const closesAt = windowEndsAt(end.at);
  await deps.db.transaction().execute(async (tx) => {
    const opened = await store.insertWindowIfAbsent(tx, {
      lot_id: lotId,
      lot_code: lot.code,
      lot_name: lot.name,
      project_name: lot.projectName,
      region_code: lot.regionCode,
      catalog_item_code: lot.catalogItemCode,
      initiator_organization_id: lot.initiatorOrganizationId,
      initiator_name: initiator?.name ?? '招标人（采购人）',
      agency_organization_id: agencyId,
      agency_name: agency?.name ?? null,
      end_kind: end.kind,
      ended_at: end.at,
      window_ends_at: closesAt,
      experts: JSON.stringify(experts),
      expert_ids: experts.map((e) => e.expertId),
      bidders: JSON.stringify(bidders),
      bidder_organization_ids: bidders.map((b) => b.organizationId),
      opened_at: now,
    });
    if (opened) {
      await appendWitnessEvent(tx, now, SYSTEM_ORIGIN, {
        entityType: WITNESS.window,
        entityId: lotId,
        action: 'rating-window.opened',
        payload: {
          endKind: end.kind,
          endedAt: end.at.toISOString(),
          windowEndsAt: closesAt.toISOString(),
          experts: experts.length,
          bidders: bidders.length,
          citation: CITATIONS.window,
        },
      });
    }
  });
  return (await store.findWindow(deps.db, lotId)) ?? null;
}

/**
 * Follows the witness log for lots that ended and opens their windows (so "待评价" lists appear without
 * anyone asking first). Returns how many events it read.
 */
export async function followAwardEvents(deps: RatingsDeps): Promise<number> {
  const after = await store.readCursor(deps.db, 'award-ends');
  const events = await listSequencedEvents(deps.db, {
    ...(after >= 0 ? { after } : {}),
    limit: 500,
    actions: END_ACTIONS,
  });
  for (const e of events) await openRatingWindow(deps, e.entityId);
  const last = events.at(-1);
  if (last) await store.writeCursor(deps.db, 'award-ends', last.leafIndex);
  return events.length;
}

interface Option {
  relation: RatingRelation;
  raterKind: RaterKind;
  raterId: string;
  raterName: string;
  rateeKind: RateeKind;
  rateeId: string;
  rateeName: string;
}

/** What this actor may rate on the lot, from the participants the window captured. */
async function optionsOf(ctx: RatingsContext, actor: Actor, w: store.WindowRow): Promise<Option[]> {
  const out: Option[] = [];
  const experts = w.experts as { expertId: string; name: string }[];
  const bidders = w.bidders as { organizationId: string; name: string }[];
  if (actor.roles.includes('expert')) {
    const me = await findExpertOfAccount(ctx.db, actor.accountId, { includeInactive: true });
    const member = me ? experts.find((e) => e.expertId === me.expertId) : undefined;
    if (member) {
      const rater = { raterKind: 'expert' as const, raterId: member.expertId, raterName: member.name };
      out.push({
        relation: 'expert-initiator',
        ...rater,
        rateeKind: 'organization',
        rateeId: w.initiator_organization_id,
        rateeName: w.initiator_name,
      });
      if (w.agency_organization_id) {
        out.push({
          relation: 'expert-agency',
          ...rater,
          rateeKind: 'organization',
          rateeId: w.agency_organization_id,
          rateeName: w.agency_name ?? '代理机构',
        });
      }
    }
  }
  const org = actor.organizationId;
  if (org) {
    const rater = {
      raterKind: 'organization' as const,
      raterId: org,
      raterName: actor.organizationName ?? '',
    };
    const rateExperts = (relation: RatingRelation) => {
      for (const e of experts) {
        out.push({ relation, ...rater, rateeKind: 'expert', rateeId: e.expertId, rateeName: e.name });
      }
    };
    if (actor.roles.includes('initiator') && org === w.initiator_organization_id)
      rateExperts('initiator-expert');
    if (actor.roles.includes('agency') && org === w.agency_organization_id) rateExperts('agency-expert');
    const bidder = bidders.find((b) => b.organizationId === org);
    if (actor.roles.includes('responder') && bidder) {
      const asBidder = { ...rater, raterName: rater.raterName || bidder.name };
      if (w.agency_organization_id) {
        out.push({
          relation: 'bidder-agency',
          ...asBidder,
          rateeKind: 'organization',
          rateeId: w.agency_organization_id,
          rateeName: w.agency_name ?? '代理机构',
        });
      }
      out.push({
        relation: 'bidder-platform',
        ...asBidder,
        rateeKind: 'platform',
        rateeId: PLATFORM_RATEE.id,
        rateeName: PLATFORM_RATEE.name,
      });
    }
  }
  return out;
}

async function windowOf(ctx: RatingsContext, lotId: string): Promise<store.WindowRow> {
  const w = await openRatingWindow(ctx.deps, lotId);
  if (w) return w;
  if (!(await findLot(ctx.db, lotId))) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  throw new RuleViolation('RATING_NOT_OPEN', {
    title: '项目尚未结束，暂不能评价',
    detail: '发出中标（成交）通知书或流标、终止后，参与各方方可在5个工作日内互相评价。',
    citation: CITATIONS.window,
  });
}

function notParticipant() {
  return new Forbidden('RATING_NOT_PARTICIPANT', {
    title: '未参与该项目，不能评价',
    detail: '只有参与该标段（包）的招标人（采购人）、代理机构、评标委员会专家和已开标的投标人可以评价。',
    citation: CITATIONS.mutual,
  });
}

function dimensionsView(dimensions: Dimension[]) {
  return dimensions.map((d) => ({ code: d.code, name: d.name }));
}

function windowView(w: store.WindowRow, now: Date) {
  return {
    lotId: w.lot_id,
    lotCode: w.lot_code,
    lotName: w.lot_name,
    projectName: w.project_name,
    endKind: w.end_kind,
    endKindName: END_KIND_NAMES_ZH[w.end_kind],
    endedAt: w.ended_at.toISOString(),
    windowEndsAt: w.window_ends_at.toISOString(),
    open: now.getTime() <= w.window_ends_at.getTime(),
  };
}

function ratingView(r: store.RatingRow) {
  return {
    id: r.id,
    lotId: r.lot_id,
    relation: r.relation,
    relationName: RELATIONS[r.relation].nameZh,
    raterName: r.rater_name,
    rateeKind: r.ratee_kind,
    rateeId: r.ratee_id,
    rateeName: r.ratee_name,
    scores: r.scores,
    score: centiToScore(r.score_centi),
    comment: r.comment,
    createdAt: r.created_at.toISOString(),
  };
}

const sameRater = (o: Option, r: store.RatingRow) =>
  r.rater_kind === o.raterKind &&
  r.rater_id === o.raterId &&
  r.ratee_kind === o.rateeKind &&
  r.ratee_id === o.rateeId;

/** The actor's page for one lot: the window, and each party it may rate with its own rating if given. */
export async function getMyLotRatings(ctx: RatingsContext, lotId: string) {
  const actor = requireActor(ctx);
  const w = await windowOf(ctx, lotId);
  const options = await optionsOf(ctx, actor, w);
  if (options.length === 0) throw notParticipant();
  const mine = await store.listRatingsOfLotByRater(
    ctx.db,
    lotId,
    options.map((o) => ({ kind: o.raterKind, id: o.raterId })),
  );
  return {
    ...windowView(w, ctx.clock.now()),
    citation: CITATIONS.window,
    options: options.map((o) => {
      const done = mine.find((r) => sameRater(o, r));
      return {
        relation: o.relation,
        relationName: RELATIONS[o.relation].nameZh,
        rateeKind: o.rateeKind,
        rateeId: o.rateeId,
        rateeName: o.rateeName,
        dimensions: dimensionsView(RELATIONS[o.relation].dimensions),
        rating: done ? ratingView(done) : null,
      };
    }),
  };
}

export interface RatingInput {
  relation: RatingRelation;
  rateeId: string;
  scores: Scores;
  comment: string | null;
}

function checkScores(relation: RatingRelation, scores: Scores): Scores {
  const dims = RELATIONS[relation].dimensions;
  const keys = Object.keys(scores);
  const bad =
    keys.length !== dims.length ||
    dims.some((d) => {
      const v = scores[d.code];
      return v === undefined || !Number.isInteger(v) || v < 1 || v > 5;
    });
  if (bad) {
    throw new InvalidInput('RATING_SCORES_INVALID', {
      title: '评分不完整或超出范围',
      detail: `请对以下各项按 1–5 分评分：${dims.map((d) => d.name).join('、')}。`,
    });
  }
  return Object.fromEntries(dims.map((d) => [d.code, scores[d.code]!]));
}

/**
 * 评价: a participant rates another party of the lot, within 5 working days after the lot ended, once per
 * rater, ratee and lot. Refused: before the end, after the window, by a non-participant, twice.
 */
export async function submitRating(ctx: RatingsContext, lotId: string, input: RatingInput) {
  const actor = requireActor(ctx);
  const w = await windowOf(ctx, lotId);
  const options = await optionsOf(ctx, actor, w);
  const mayRelation = options.filter((o) => o.relation === input.relation);
  if (mayRelation.length === 0) throw notParticipant();
  const option = mayRelation.find((o) => o.rateeId === input.rateeId);
  if (!option) {
    throw new Forbidden('RATING_RATEE_NOT_IN_LOT', {
      title: '被评价方未参与该项目',
      detail: '只能评价本标段（包）评标委员会的专家、招标人（采购人）或其代理机构。',
      citation: RELATIONS[input.relation].citation,
    });
  }
  const now = ctx.clock.now();
  if (now.getTime() > w.window_ends_at.getTime()) {
    throw new RuleViolation('RATING_WINDOW_CLOSED', {
      title: '评价期限已过',
      detail: `项目于 ${formatShanghaiTime(w.ended_at)} ${END_KIND_NAMES_ZH[w.end_kind]}，评价应在 ${formatShanghaiTime(w.window_ends_at)} 前提交。`,
      citation: CITATIONS.window,
    });
  }
  const scores = checkScores(input.relation, input.scores);
  const centi = scoreCenti(scores, RELATIONS[input.relation].dimensions);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertRatingIfAbsent(tx, {
      id: randomUUID(),
      lot_id: lotId,
      relation: input.relation,
      rater_kind: option.raterKind,
      rater_id: option.raterId,
      rater_name: option.raterName,
      rater_account_id: actor.accountId,
      ratee_kind: option.rateeKind,
      ratee_id: option.rateeId,
      ratee_name: option.rateeName,
      scores: JSON.stringify(scores),
      score_centi: centi,
      comment: input.comment,
      region_code: w.region_code,
      catalog_item_code: w.catalog_item_code,
      created_at: now,
    });
    if (!row) {
      throw new RuleViolation('RATING_DUPLICATE', {
        title: '已经评价过',
        detail: `本单位（本人）已对“${option.rateeName}”在本项目中作出评价，每个项目只能评价一次。`,
        citation: CITATIONS.mutual,
      });
    }
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: WITNESS.rating,
      entityId: row.id,
      action: 'rating.submitted',
      payload: {
        lotId,
        relation: input.relation,
        raterKind: option.raterKind,
        raterId: option.raterId,
        rateeKind: option.rateeKind,
        rateeId: option.rateeId,
        scores,
        scoreCenti: centi,
        commentSm3: input.comment ? sm3Hex(input.comment) : null,
      },
    });
    return ratingView(row);
  });
}

/** 待评价: lots whose window is open now, in which the actor took part and has something left to rate. */
export async function listMyPendingRatings(ctx: RatingsContext) {
  const actor = requireActor(ctx);
  const me = actor.roles.includes('expert')
    ? await findExpertOfAccount(ctx.db, actor.accountId, { includeInactive: true })
    : null;
  const now = ctx.clock.now();
  const windows = await store.listOpenWindowsOf(
    ctx.db,
    { expertId: me?.expertId ?? null, organizationId: actor.organizationId },
    now,
  );
  const items = [];
  for (const w of windows) {
    const options = await optionsOf(ctx, actor, w);
    if (options.length === 0) continue;
    const mine = await store.listRatingsOfLotByRater(
      ctx.db,
      w.lot_id,
      options.map((o) => ({ kind: o.raterKind, id: o.raterId })),
    );
    const pending = options.filter((o) => !mine.some((r) => sameRater(o, r))).length;
    items.push({ ...windowView(w, now), total: options.length, pending });
  }
  return { items };
}

/** The ratings the actor (its organisation, or itself as an expert) has given. */
export async function listMyRatings(ctx: RatingsContext) {
  const actor = requireActor(ctx);
  const raters: { kind: RaterKind; id: string }[] = [];
  if (actor.organizationId) raters.push({ kind: 'organization', id: actor.organizationId });
  if (actor.roles.includes('expert')) {
    const me = await findExpertOfAccount(ctx.db, actor.accountId, { includeInactive: true });
    if (me) raters.push({ kind: 'expert', id: me.expertId });
  }
  return { items: (await store.listRatingsByRater(ctx.db, raters)).map(ratingView) };
}

export { ratingView };
