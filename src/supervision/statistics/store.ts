import { type Insertable, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { ProcessFactsTable, StatisticsTables } from './tables.ts';

type StatisticsDb = Db<StatisticsTables>;

/** Rows per INSERT: 17 parameters each stays far below PostgreSQL's 65,535 bind parameters. */
const UPSERT_CHUNK = 500;

/**
 * Inserts or replaces facts by (source, key). A stored row is replaced only by a row whose `updated_at` is
 * later or equal, so a late, older delivery never overwrites a newer state and a repeated delivery is a no-op
 * in effect. The caller has collapsed duplicate keys within `rows` (one statement may touch a row once).
 */
export async function upsertFacts(db: StatisticsDb, rows: Insertable<ProcessFactsTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    await db
      .insertInto('process_facts')
      .values(rows.slice(i, i + UPSERT_CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['source', 'key'])
          .doUpdateSet((eb) => ({
            category_code: eb.ref('excluded.category_code'),
            region_code: eb.ref('excluded.region_code'),
            method: eb.ref('excluded.method'),
            law: eb.ref('excluded.law'),
            month: eb.ref('excluded.month'),
            budget_yuan: eb.ref('excluded.budget_yuan'),
            award_yuan: eb.ref('excluded.award_yuan'),
            bidders: eb.ref('excluded.bidders'),
            status: eb.ref('excluded.status'),
            announced_at: eb.ref('excluded.announced_at'),
            opened_at: eb.ref('excluded.opened_at'),
            awarded_at: eb.ref('excluded.awarded_at'),
            contracted_at: eb.ref('excluded.contracted_at'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where('process_facts.updated_at', '<=', (eb) => eb.ref('excluded.updated_at')),
      )
      .execute();
  }
}

export interface FactFilter {
  from: string | undefined;
  to: string | undefined;
  regionPrefix: string | undefined;
  category: string | undefined;
  source: 'all' | 'platform' | 'push';
}

/** The figures every group gets, aggregated in SQL (money summed as numeric, never as a float). */
export interface FigureRow {
  lots: number;
  active_lots: number;
  complete_lots: number;
  unsuccessful_lots: number;
  cancelled_lots: number;
  budget_lots: number;
  budget_yuan: string;
  award_lots: number;
  award_yuan: string;
  lots_with_bids: number;
  bidders: number;
  savings_lots: number;
  savings_budget_yuan: string;
  savings_award_yuan: string;
  opening_lots: number;
  opening_days: string | null;
  award_days_lots: number;
  award_days: string | null;
  contract_lots: number;
  contract_days: string | null;
}

const money = (column: 'budget_yuan' | 'award_yuan', where?: RawBuilder<unknown>) =>
  where
    ? sql<string>`coalesce(sum(${sql.ref(column)}) filter (where ${where}), 0)::numeric(22, 2)::text`
    : sql<string>`coalesce(sum(${sql.ref(column)}), 0)::numeric(22, 2)::text`;

const count = (where: RawBuilder<unknown>) => sql<number>`(count(*) filter (where ${where}))::int`;

/** Average of (later − earlier) in days, over the facts that have both instants in order. */
const days = (earlier: string, later: string) =>
  sql<
    string | null
  >`round(avg(extract(epoch from (${sql.ref(later)} - ${sql.ref(earlier)})) / 86400) filter (where ${sql.ref(later)} >= ${sql.ref(earlier)}), 2)::text`;
const spanned = (earlier: string, later: string) => count(sql`${sql.ref(later)} >= ${sql.ref(earlier)}`);

const BOTH_AMOUNTS = sql`budget_yuan > 0 and award_yuan is not null`;

const FIGURES = [
  sql<number>`count(*)::int`.as('lots'),
  count(sql`status = 'active'`).as('active_lots'),
  count(sql`status = 'complete'`).as('complete_lots'),
  count(sql`status = 'unsuccessful'`).as('unsuccessful_lots'),
  count(sql`status = 'cancelled'`).as('cancelled_lots'),
  sql<number>`count(budget_yuan)::int`.as('budget_lots'),
  money('budget_yuan').as('budget_yuan'),
  sql<number>`count(award_yuan)::int`.as('award_lots'),
  money('award_yuan').as('award_yuan'),
  count(sql`bidders > 0`).as('lots_with_bids'),
  sql<number>`coalesce(sum(bidders) filter (where bidders > 0), 0)::int`.as('bidders'),
  count(BOTH_AMOUNTS).as('savings_lots'),
  money('budget_yuan', BOTH_AMOUNTS).as('savings_budget_yuan'),
  money('award_yuan', BOTH_AMOUNTS).as('savings_award_yuan'),
  spanned('announced_at', 'opened_at').as('opening_lots'),
  days('announced_at', 'opened_at').as('opening_days'),
  spanned('opened_at', 'awarded_at').as('award_days_lots'),
  days('opened_at', 'awarded_at').as('award_days'),
  spanned('awarded_at', 'contracted_at').as('contract_lots'),
  days('awarded_at', 'contracted_at').as('contract_days'),
] as const;

function filtered(db: StatisticsDb, f: FactFilter) {
  let query = db.selectFrom('process_facts');
  if (f.from) query = query.where('month', '>=', f.from);
  if (f.to) query = query.where('month', '<=', f.to);
  // A prefix of digits only (validated), so LIKE needs no escaping.
  if (f.regionPrefix) query = query.where('region_code', 'like', `${f.regionPrefix}%`);
  if (f.category) query = query.where('category_code', '=', f.category);
  if (f.source === 'platform') query = query.where('source', '=', 'platform');
  if (f.source === 'push') query = query.where('source', 'like', 'push:%');
  return query;
}

type FactsQuery = SelectQueryBuilder<StatisticsTables, 'process_facts', object>;

async function grouped(query: FactsQuery, key: RawBuilder<string | null>) {
  const rows = await query
    .select([key.as('group_key'), ...FIGURES])
    .groupBy(key)
    .execute();
  return rows as (FigureRow & { group_key: string | null })[];
}

export interface FactSummaryRows {
  totals: FigureRow;
  byCategory: (FigureRow & { group_key: string | null })[];
  byPrefecture: (FigureRow & { group_key: string | null })[];
  byRegion: (FigureRow & { group_key: string | null })[];
  byMethod: (FigureRow & { group_key: string | null })[];
  byMonth: (FigureRow & { group_key: string | null })[];
}

/** The totals and the five breakdowns of the facts matching the filter (one snapshot per statement). */
export async function summarizeFacts(db: StatisticsDb, f: FactFilter): Promise<FactSummaryRows> {
  const query = filtered(db, f);
  const totals = (await query.select([...FIGURES]).executeTakeFirstOrThrow()) as FigureRow;
  const [byCategory, byPrefecture, byRegion, byMethod, byMonth] = await Promise.all([
    grouped(query, sql<string | null>`category_code`),
    // 盟市: the first four digits of the code (province + prefecture) and '00'.
    grouped(query, sql<string>`substr(region_code, 1, 4) || '00'`),
    grouped(query, sql<string>`region_code`),
    grouped(query, sql<string>`method`),
    grouped(query, sql<string>`month`),
  ]);
  return { totals, byCategory, byPrefecture, byRegion, byMethod, byMonth };
}
