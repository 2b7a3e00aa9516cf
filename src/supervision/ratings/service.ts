import { randomUUID } from 'node:crypto';
import { Forbidden, InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { requireActor } from '../../platform/identity/index.ts';
import { appendWitnessEvent } from '../../platform/witness/index.ts';
import { type RatingsContext, type ReadDb, WITNESS } from './context.ts';
import { CITATIONS, centiToScore, PLATFORM_DIMENSIONS, quarterOf, scoreCenti } from './rules.ts';
import * as store from './store.ts';
import type { Scores } from './tables.ts';

/**
 * 平台服务质量综合评价 (§46 ¶2): the trading centre's self-assessment per quarter, users' external ratings
 * (满意度调查, one per account and quarter), and — with the bidders' per-project ratings of the platform —
 * the aggregate results published on the portal.
 */
function checkPlatformScores(scores: Scores): Scores {
  const keys = Object.keys(scores);
  const bad =
    keys.length !== PLATFORM_DIMENSIONS.length ||
    PLATFORM_DIMENSIONS.some((d) => {
      const v = scores[d.code];
      return v === undefined || !Number.isInteger(v) || v < 1 || v > 5;
    });
  if (bad) {
    throw new InvalidInput('RATING_SCORES_INVALID', {
      title: '评分不完整或超出范围',
      detail: `请对以下各项按 1–5 分评分：${PLATFORM_DIMENSIONS.map((d) => d.name).join('、')}。`,
    });
  }
  return Object.fromEntries(PLATFORM_DIMENSIONS.map((d) => [d.code, scores[d.code]!]));
}

export async function recordSelfAssessment(
  ctx: RatingsContext,
  input: { period: string; scores: Scores; summary: string },
) {
  const actor = requireActor(ctx);
  if (!actor.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', { title: '只有交易中心可以填报平台自评价' });
  }
  const now = ctx.clock.now();
  if (input.period > quarterOf(now)) {
    throw new InvalidInput('SERVICE_PERIOD_IN_FUTURE', {
      title: '评价周期尚未开始',
      detail: `当前评价周期为 ${quarterOf(now)}。`,
    });
  }
  const scores = checkPlatformScores(input.scores);
  const centi = scoreCenti(scores, PLATFORM_DIMENSIONS);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertSelfAssessmentIfAbsent(tx, {
      id: randomUUID(),
      period: input.period,
      scores: JSON.stringify(scores),
      score_centi: centi,
      summary: input.summary,
      recorded_by: actor.accountId,
      recorded_by_name: actor.displayName,
      created_at: now,
    });
    if (!row) {
      throw new RuleViolation('SERVICE_SELF_ASSESSMENT_EXISTS', {
        title: '该周期已填报自评价',
        detail: `${input.period} 的平台自评价已经发布，不能重复填报。`,
        citation: CITATIONS.service,
      });
    }
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: WITNESS.selfAssessment,
      entityId: row.id,
      action: 'service-self-assessment.published',
      payload: { period: row.period, scores, scoreCenti: centi, citation: CITATIONS.service },
    });
    return { id: row.id, period: row.period, scores, score: centiToScore(centi), summary: row.summary };
  });
}

/** 外部评价: a signed-in user (not the trading centre's own staff) rates the platform once a quarter. */
export async function rateService(ctx: RatingsContext, input: { scores: Scores; comment: string | null }) {
  const actor = requireActor(ctx);
  if (actor.roles.includes('operator')) {
    throw new Forbidden('SERVICE_RATING_BY_OPERATOR', {
      title: '交易中心工作人员请填报自评价',
      detail: '外部评价由平台用户作出；交易中心的评价属于自评价。',
      citation: CITATIONS.service,
    });
  }
  const scores = checkPlatformScores(input.scores);
  const centi = scoreCenti(scores, PLATFORM_DIMENSIONS);
  const now = ctx.clock.now();
  const period = quarterOf(now);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertServiceRatingIfAbsent(tx, {
      id: randomUUID(),
      period,
      account_id: actor.accountId,
      organization_id: actor.organizationId,
      role: actor.roles[0] ?? '',
      scores: JSON.stringify(scores),
      score_centi: centi,
      comment: input.comment,
      created_at: now,
    });
    if (!row) {
      throw new RuleViolation('SERVICE_RATING_DUPLICATE', {
        title: '本季度已评价',
        detail: `每个账号每季度评价一次，${period} 已评价。`,
      });
    }
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: WITNESS.serviceRating,
      entityId: row.id,
      action: 'service-rating.submitted',
      payload: { period, scores, scoreCenti: centi },
    });
    return { id: row.id, period, scores, score: centiToScore(centi) };
  });
}

export async function myServiceRating(ctx: RatingsContext) {
  const actor = requireActor(ctx);
  const period = quarterOf(ctx.clock.now());
  const row = await store.findServiceRating(ctx.db, period, actor.accountId);
  return {
    period,
    dimensions: PLATFORM_DIMENSIONS,
    rating: row
      ? { scores: row.scores, score: centiToScore(row.score_centi), createdAt: row.created_at.toISOString() }
      : null,
  };
}

function aggregate(rows: { scores: Scores; score_centi: number }[]) {
  if (rows.length === 0) return { count: 0, average: null, dimensions: [] };
  return {
    count: rows.length,
    average: centiToScore(Math.round(rows.reduce((s, r) => s + r.score_centi, 0) / rows.length)),
    dimensions: PLATFORM_DIMENSIONS.map((d) => ({
      code: d.code,
      name: d.name,
      average: (rows.reduce((s, r) => s + (r.scores[d.code] ?? 0), 0) / rows.length).toFixed(2),
    })),
  };
}

/** The published results, quarter by quarter (newest first, eight at most). */
export async function publicServiceRatings(db: ReadDb) {
  const [selves, externalPeriods, platformRatings] = await Promise.all([
    store.listSelfAssessments(db),
    store.listServiceRatingPeriods(db),
    store.listPlatformRatings(db),
  ]);
  const byProjectPeriod = new Map<string, { scores: Scores; score_centi: number }[]>();
  for (const r of platformRatings) {
    const q = quarterOf(r.created_at);
    byProjectPeriod.set(q, [...(byProjectPeriod.get(q) ?? []), r]);
  }
  const periods = [
    ...new Set([
      ...selves.map((s) => s.period),
      ...externalPeriods.map((p) => p.period),
      ...byProjectPeriod.keys(),
    ]),
  ]
    .sort()
    .reverse()
    .slice(0, 8);
  const external = await store.listServiceRatings(db, periods);
  return {
    citation: CITATIONS.service,
    dimensions: PLATFORM_DIMENSIONS,
    periods: periods.map((period) => {
      const self = selves.find((s) => s.period === period);
      return {
        period,
        self: self
          ? {
              scores: self.scores,
              score: centiToScore(self.score_centi),
              summary: self.summary,
              publishedAt: self.created_at.toISOString(),
            }
          : null,
        external: aggregate(external.filter((e) => e.period === period)),
        projects: aggregate(byProjectPeriod.get(period) ?? []),
      };
    }),
  };
}
