import { type ExpressionBuilder, type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  RateeKind,
  RaterKind,
  RatingRelation,
  RatingsTable,
  RatingsTables,
  RatingWindowsTable,
  ServiceRatingsTable,
  ServiceSelfAssessmentsTable,
} from './tables.ts';

type RDb = Db<RatingsTables>;

export type WindowRow = Selectable<RatingWindowsTable>;
export type RatingRow = Selectable<RatingsTable>;

// ---- windows ----

export function findWindow(db: RDb, lotId: string) {
  return db.selectFrom('rating_windows').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

/** Inserts the window unless it exists; returns whether this call opened it. */
export async function insertWindowIfAbsent(db: RDb, row: Insertable<RatingWindowsTable>): Promise<boolean> {
  const inserted = await db
    .insertInto('rating_windows')
    .values(row)
    .onConflict((oc) => oc.column('lot_id').doNothing())
    .returning('lot_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Windows open at `now` in which this expert or organisation took part. */
export function listOpenWindowsOf(
  db: RDb,
  who: { expertId: string | null; organizationId: string | null },
  now: Date,
) {
  return db
    .selectFrom('rating_windows')
    .selectAll()
    .where('window_ends_at', '>=', now)
    .where('ended_at', '<=', now)
    .where((eb) => {
      const ors = [];
      if (who.expertId) ors.push(sql<boolean>`${who.expertId} = any(expert_ids)`);
      if (who.organizationId) {
        ors.push(eb('initiator_organization_id', '=', who.organizationId));
        ors.push(eb('agency_organization_id', '=', who.organizationId));
        ors.push(sql<boolean>`${who.organizationId} = any(bidder_organization_ids)`);
      }
      return ors.length > 0 ? eb.or(ors) : sql<boolean>`false`;
    })
    .orderBy('window_ends_at')
    .limit(200)
    .execute();
}

// ---- ratings ----

export function findRating(
  db: RDb,
  key: { lotId: string; raterKind: RaterKind; raterId: string; rateeKind: RateeKind; rateeId: string },
) {
  return db
    .selectFrom('ratings')
    .selectAll()
    .where('lot_id', '=', key.lotId)
    .where('rater_kind', '=', key.raterKind)
    .where('rater_id', '=', key.raterId)
    .where('ratee_kind', '=', key.rateeKind)
    .where('ratee_id', '=', key.rateeId)
    .executeTakeFirst();
}

/** Inserts the rating unless the same rater rated the same ratee on the lot already (then undefined). */
export function insertRatingIfAbsent(db: RDb, row: Insertable<RatingsTable>) {
  return db
    .insertInto('ratings')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['lot_id', 'rater_kind', 'rater_id', 'ratee_kind', 'ratee_id']).doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

export function listRatingsOfLotByRater(db: RDb, lotId: string, raters: { kind: RaterKind; id: string }[]) {
  if (raters.length === 0) return Promise.resolve([] as RatingRow[]);
  return db
    .selectFrom('ratings')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where((eb) =>
      eb.or(raters.map((r) => eb.and([eb('rater_kind', '=', r.kind), eb('rater_id', '=', r.id)]))),
    )
    .execute();
}

export function listRatingsByRater(db: RDb, raters: { kind: RaterKind; id: string }[]) {
  if (raters.length === 0) return Promise.resolve([] as RatingRow[]);
  return db
    .selectFrom('ratings')
    .selectAll()
    .where((eb) =>
      eb.or(raters.map((r) => eb.and([eb('rater_kind', '=', r.kind), eb('rater_id', '=', r.id)]))),
    )
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
}

export interface ScopeFilter {
  regionPrefixes: string[];
  catalogPrefixes: string[];
}

const likePrefix = (p: string) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function inScope(eb: ExpressionBuilder<RatingsTables, 'ratings'>, scope: ScopeFilter) {
  return eb.and([
    eb.or(scope.regionPrefixes.map((p) => eb('ratings.region_code', 'like', likePrefix(p)))),
    eb.or(scope.catalogPrefixes.map((p) => eb('ratings.catalog_item_code', 'like', likePrefix(p)))),
  ]);
}

/** 履职记录 aggregates of experts or agencies, over the ratings of lots in the scope. */
export function aggregateRatees(
  db: RDb,
  opts: { rateeKind: 'expert' | 'organization'; relations: RatingRelation[]; scope: ScopeFilter },
) {
  return db
    .selectFrom('ratings')
    .select((eb) => [
      'ratee_id',
      eb.fn.max('ratee_name').as('ratee_name'),
      eb.fn.countAll<string>().as('count'),
      eb.fn.count<string>('lot_id').distinct().as('lots'),
      eb.fn.avg<string>('score_centi').as('avg_centi'),
      eb.fn.min('score_centi').as('min_centi'),
      eb.fn.max('created_at').as('last_at'),
    ])
    .where('ratee_kind', '=', opts.rateeKind)
    .where('relation', 'in', opts.relations)
    .where((eb) => inScope(eb, opts.scope))
    .groupBy('ratee_id')
    .orderBy('avg_centi', 'asc')
    .orderBy('ratee_id')
    .limit(1000)
    .execute();
}

/** The individual ratings of one expert or agency, in the scope. */
export function listRatingsOfRatee(
  db: RDb,
  opts: {
    rateeKind: 'expert' | 'organization';
    rateeId: string;
    relations: RatingRelation[];
    scope: ScopeFilter;
  },
) {
  return db
    .selectFrom('ratings')
    .innerJoin('rating_windows as w', 'w.lot_id', 'ratings.lot_id')
    .selectAll('ratings')
    .select(['w.lot_code', 'w.lot_name', 'w.project_name', 'w.ended_at'])
    .where('ratings.ratee_kind', '=', opts.rateeKind)
    .where('ratings.ratee_id', '=', opts.rateeId)
    .where('ratings.relation', 'in', opts.relations)
    .where((eb) => inScope(eb, opts.scope))
    .orderBy('ratings.created_at', 'desc')
    .limit(500)
    .execute();
}

/** The bidders' per-project ratings of the platform, by quarter of the rating (Beijing time). */
export function listPlatformRatings(db: RDb) {
  return db
    .selectFrom('ratings')
    .select(['scores', 'score_centi', 'created_at'])
    .where('relation', '=', 'bidder-platform')
    .orderBy('created_at', 'desc')
    .limit(20_000)
    .execute();
}

// ---- platform service evaluation ----

export function insertSelfAssessmentIfAbsent(db: RDb, row: Insertable<ServiceSelfAssessmentsTable>) {
  return db
    .insertInto('service_self_assessments')
    .values(row)
    .onConflict((oc) => oc.column('period').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function listSelfAssessments(db: RDb) {
  return db.selectFrom('service_self_assessments').selectAll().orderBy('period', 'desc').limit(40).execute();
}

export function insertServiceRatingIfAbsent(db: RDb, row: Insertable<ServiceRatingsTable>) {
  return db
    .insertInto('service_ratings')
    .values(row)
    .onConflict((oc) => oc.columns(['period', 'account_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findServiceRating(db: RDb, period: string, accountId: string) {
  return db
    .selectFrom('service_ratings')
    .selectAll()
    .where('period', '=', period)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export function listServiceRatings(db: RDb, periods: string[]) {
  if (periods.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('service_ratings')
    .select(['period', 'scores', 'score_centi'])
    .where('period', 'in', periods)
    .execute();
}

export function listServiceRatingPeriods(db: RDb) {
  return db
    .selectFrom('service_ratings')
    .select('period')
    .distinct()
    .orderBy('period', 'desc')
    .limit(40)
    .execute();
}

// ---- the window opener's cursor over the witness log ----

export async function readCursor(db: RDb, name: string): Promise<number> {
  const row = await db
    .selectFrom('rating_feed_cursor')
    .select('after_leaf')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? Number(row.after_leaf) : -1;
}

export function writeCursor(db: RDb, name: string, afterLeaf: number) {
  return db
    .insertInto('rating_feed_cursor')
    .values({ name, after_leaf: afterLeaf })
    .onConflict((oc) => oc.column('name').doUpdateSet({ after_leaf: afterLeaf }))
    .execute();
}
