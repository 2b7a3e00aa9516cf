import type { RatingsContext } from './context.ts';
import { requireSupervisorScope } from './deps.ts';
import { ratingView } from './ratings.ts';
import { CITATIONS, centiToScore, type Dimension, RELATIONS } from './rules.ts';
import * as store from './store.ts';
import type { RatingRelation } from './tables.ts';

/**
 * 履职记录 for the regulators (§40, §41): the ratings of experts and of agencies on lots in the
 * supervisor's scope (行业 × 地域), as aggregates per expert / agency and one by one.
 */
const SUBJECTS = {
  experts: {
    rateeKind: 'expert' as const,
    relations: ['initiator-expert', 'agency-expert'] as RatingRelation[],
    citation: CITATIONS.experts,
  },
  agencies: {
    rateeKind: 'organization' as const,
    relations: ['expert-agency', 'bidder-agency'] as RatingRelation[],
    citation: CITATIONS.agencies,
  },
};

export type PerformanceSubject = keyof typeof SUBJECTS;

export async function listPerformance(ctx: RatingsContext, subject: PerformanceSubject) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const s = SUBJECTS[subject];
  const rows = await store.aggregateRatees(ctx.db, { rateeKind: s.rateeKind, relations: s.relations, scope });
  return {
    citation: s.citation,
    items: rows.map((r) => ({
      id: r.ratee_id,
      name: r.ratee_name ?? '',
      ratings: Number(r.count),
      lots: Number(r.lots),
      average: centiToScore(r.avg_centi === null ? null : Math.round(Number(r.avg_centi))),
      lowest: centiToScore(r.min_centi === null ? null : Number(r.min_centi)),
      lastRatedAt: r.last_at ? new Date(r.last_at).toISOString() : null,
    })),
  };
}

function dimensionAverages(rows: { relation: RatingRelation; scores: Record<string, number> }[]) {
  const byRelation = new Map<RatingRelation, typeof rows>();
  for (const r of rows) byRelation.set(r.relation, [...(byRelation.get(r.relation) ?? []), r]);
  return [...byRelation.entries()].map(([relation, list]) => ({
    relation,
    relationName: RELATIONS[relation].nameZh,
    ratings: list.length,
    dimensions: RELATIONS[relation].dimensions.map((d: Dimension) => ({
      code: d.code,
      name: d.name,
      average: (list.reduce((sum, r) => sum + (r.scores[d.code] ?? 0), 0) / list.length).toFixed(2),
    })),
  }));
}

export async function getPerformance(ctx: RatingsContext, subject: PerformanceSubject, rateeId: string) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const s = SUBJECTS[subject];
  const rows = await store.listRatingsOfRatee(ctx.db, {
    rateeKind: s.rateeKind,
    rateeId,
    relations: s.relations,
    scope,
  });
  const total = rows.reduce((sum, r) => sum + r.score_centi, 0);
  return {
    id: rateeId,
    name: rows[0]?.ratee_name ?? null,
    citation: s.citation,
    ratings: rows.length,
    average: rows.length > 0 ? centiToScore(Math.round(total / rows.length)) : null,
    byRelation: dimensionAverages(rows.map((r) => ({ relation: r.relation, scores: r.scores }))),
    items: rows.map((r) => ({
      ...ratingView(r),
      lotCode: r.lot_code,
      lotName: r.lot_name,
      projectName: r.project_name,
      endedAt: r.ended_at.toISOString(),
    })),
  };
}
