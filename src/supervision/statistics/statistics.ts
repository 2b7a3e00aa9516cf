import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { InvalidInput } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { TRADING_CATEGORIES } from '../../service/catalogs/index.ts';
import { regionByCode, regionPath } from '../../service/regions/index.ts';
import { getProcedure, isProcedureType } from '../../trading/procedures/index.ts';
import {
  type Figures,
  type GroupFigures,
  SOURCE_NAMES_ZH,
  type SummaryQuery,
  type SummaryView,
} from './schemas.ts';
import * as store from './store.ts';
import type { FactLaw, FactStatus, StatisticsTables } from './tables.ts';

/**
 * 交易过程事实 — what the statistics know of one trading process (one lot, 标段/包). The opendata projector
 * writes the platform's own (source 'platform', key = ocid); the aggregation port writes pushed ones
 * (source 'push:<system code>', key = UNIFIED_DEAL_CODE). Amounts are yuan as decimal strings.
 */
export interface ProcessFacts {
  source: string;
  key: string;
  /** 交易目录 category '01'…'09', or null when unknown. */
  categoryCode: string | null;
  /** Six-digit GB/T 2260 code. */
  regionCode: string;
  /** 交易方式: procedure type ('open-tender.works', …) or the pushed tender mode. */
  method: string;
  law: FactLaw;
  /** YYYY-MM of the first announcement (Beijing time). */
  month: string;
  budgetYuan: string | null;
  awardYuan: string | null;
  bidders: number | null;
  status: FactStatus;
  announcedAt: Date | null;
  openedAt: Date | null;
  awardedAt: Date | null;
  contractedAt: Date | null;
  /** The moment of the state these facts describe: a row is only ever replaced by a later or equal one. */
  updatedAt: Date;
}

const normalYuan = (yuan: string | null): string | null =>
  yuan === null ? null : fenToYuan(yuanToFen(yuan));

/**
 * Folds facts into the statistics, idempotently: the same facts twice count once, and facts older than the
 * stored ones (by `updatedAt`) change nothing. Runs in the caller's transaction, beside its witness event.
 */
export async function upsertProcessFacts(tx: Db<StatisticsTables>, facts: ProcessFacts[]): Promise<void> {
  // One statement may touch a row once: of several facts for one process in a batch, the latest wins.
  const latest = new Map<string, ProcessFacts>();
  for (const fact of facts) {
    const id = `${fact.source}\u0000${fact.key}`;
    const seen = latest.get(id);
    if (!seen || seen.updatedAt.getTime() <= fact.updatedAt.getTime()) latest.set(id, fact);
  }
  if (latest.size === 0) return;
  await store.upsertFacts(
    tx,
    [...latest.values()].map((f) => ({
      source: f.source,
      key: f.key,
      category_code: f.categoryCode,
      region_code: f.regionCode,
      method: f.method,
      law: f.law,
      month: f.month,
      budget_yuan: normalYuan(f.budgetYuan),
      award_yuan: normalYuan(f.awardYuan),
      bidders: f.bidders,
      status: f.status,
      announced_at: f.announcedAt,
      opened_at: f.openedAt,
      awarded_at: f.awardedAt,
      contracted_at: f.contractedAt,
      updated_at: f.updatedAt,
    })),
  );
}

export interface StatisticsContext {
  db: Kysely<StatisticsTables>;
  clock: Clock;
}

/** num ÷ den rounded half away from zero to `places` decimals, computed exactly on integers. */
export function ratio(num: bigint, den: bigint, places: number): number | null {
  if (den === 0n) return null;
  const scale = 10n ** BigInt(places);
  const negative = num < 0n !== den < 0n;
  const q = ((num < 0n ? -num : num) * scale * 2n) / (den < 0n ? -den : den);
  const rounded = (q + 1n) / 2n;
  return Number(negative ? -rounded : rounded) / Number(scale);
}

const days = (text: string | null): number | null => (text === null ? null : Number(text));

function toFigures(row: store.FigureRow): Figures {
  const savingsBudget = yuanToFen(row.savings_budget_yuan);
  const savingsAward = yuanToFen(row.savings_award_yuan);
  return {
    lots: row.lots,
    activeLots: row.active_lots,
    completeLots: row.complete_lots,
    unsuccessfulLots: row.unsuccessful_lots,
    cancelledLots: row.cancelled_lots,
    budgetLots: row.budget_lots,
    budgetYuan: fenToYuan(yuanToFen(row.budget_yuan)),
    awardLots: row.award_lots,
    awardYuan: fenToYuan(yuanToFen(row.award_yuan)),
    lotsWithBids: row.lots_with_bids,
    bidders: row.bidders,
    averageBidders: ratio(BigInt(row.bidders), BigInt(row.lots_with_bids), 2),
    savingsLots: row.savings_lots,
    savingsBudgetYuan: fenToYuan(savingsBudget),
    savingsAwardYuan: fenToYuan(savingsAward),
    savedYuan: fenToYuan(savingsBudget - savingsAward),
    savingsRate: ratio(savingsBudget - savingsAward, savingsBudget, 4),
    failedRate: ratio(BigInt(row.unsuccessful_lots), BigInt(row.complete_lots + row.unsuccessful_lots), 4),
    announcementToOpeningLots: row.opening_lots,
    announcementToOpeningDays: days(row.opening_days),
    openingToAwardLots: row.award_days_lots,
    openingToAwardDays: days(row.award_days),
    awardToContractLots: row.contract_lots,
    awardToContractDays: days(row.contract_days),
  };
}

const CATEGORY_NAMES = new Map(TRADING_CATEGORIES.map((c) => [c.code, c.name]));

/** A tender mode pushed in the national data specification's code table (招标方式). */
const PUSHED_METHOD_NAMES: Record<string, string> = {
  '1': '公开招标',
  '2': '邀请招标',
  '3': '竞争性谈判',
  '4': '单一来源采购',
  '5': '询价',
  '6': '竞争性磋商',
};

export function methodName(method: string): string {
  if (isProcedureType(method)) return getProcedure(method).nameZh;
  return PUSHED_METHOD_NAMES[method] ?? method;
}

/** 呼和浩特市 新城区: the region's names below the province, or the code when it is not in the table. */
export function regionName(code: string): string {
  const path = regionPath(code);
  const below = path.filter((r) => r.level !== 'province');
  return (below.length > 0 ? below : path).map((r) => r.name).join(' ') || `地区 ${code}`;
}

function prefixName(prefix: string): string | null {
  const code = prefix.length === 2 ? `${prefix}0000` : prefix.length === 4 ? `${prefix}00` : prefix;
  return regionByCode(code) ? regionName(code) : null;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [lastYear, lastMonth] = to.split('-').map(Number) as [number, number];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** At most 50 years of months in one answer. */
const MAX_MONTHS = 600;

function rangeError(detail: string): InvalidInput {
  return new InvalidInput('STATISTICS_BAD_RANGE', { title: '统计月份范围不正确', detail });
}

/** 交易数据统计 (§31): totals and breakdowns of the facts that match the query. */
export async function summarizeStatistics(ctx: StatisticsContext, query: SummaryQuery): Promise<SummaryView> {
  const { from, to, region, category, source } = query;
  if (from && to && from > to) throw rangeError(`起始月份 ${from} 晚于截止月份 ${to}。`);
  if (from && to && monthsBetween(from, to).length > MAX_MONTHS) {
    throw rangeError(`一次最多统计 ${MAX_MONTHS} 个月。`);
  }
  const rows = await store.summarizeFacts(ctx.db, {
    from,
    to,
    regionPrefix: region,
    category,
    source,
  });

  const group = (items: typeof rows.byCategory, name: (code: string | null) => string): GroupFigures[] =>
    items.map((row) => ({ code: row.group_key, name: name(row.group_key), ...toFigures(row) }));

  const byCode = (a: GroupFigures, b: GroupFigures) => (a.code ?? '99').localeCompare(b.code ?? '99');

  // Months without any process still appear (as zeros), so a chart's axis has no silent gaps.
  const monthRows = new Map(rows.byMonth.map((row) => [row.group_key ?? '', row]));
  const seen = [...monthRows.keys()].sort();
  const first = from ?? seen[0];
  const last = to ?? seen.at(-1);
  const months = first && last && first <= last ? monthsBetween(first, last).slice(0, MAX_MONTHS) : seen;
  const zero = toFigures(emptyRow());

  return {
    filters: {
      from: from ?? null,
      to: to ?? null,
      region: region ?? null,
      regionName: region ? prefixName(region) : null,
      category: category ?? null,
      categoryName: category ? (CATEGORY_NAMES.get(category) ?? null) : null,
      source,
      sourceName: SOURCE_NAMES_ZH[source],
    },
    generatedAt: ctx.clock.now().toISOString(),
    totals: toFigures(rows.totals),
    byMonth: months.map((month) => {
      const row = monthRows.get(month);
      return { month, ...(row ? toFigures(row) : zero) };
    }),
    byCategory: group(rows.byCategory, (code) => (code ? (CATEGORY_NAMES.get(code) ?? code) : '未分类')).sort(
      byCode,
    ),
    byPrefecture: group(rows.byPrefecture, (code) => (code ? regionName(code) : '—')).sort(byCode),
    byRegion: group(rows.byRegion, (code) => (code ? regionName(code) : '—')).sort(byCode),
    byMethod: group(rows.byMethod, (code) => (code ? methodName(code) : '—')).sort(
      (a, b) => b.lots - a.lots || byCode(a, b),
    ),
  };
}

function emptyRow(): store.FigureRow {
  return {
    lots: 0,
    active_lots: 0,
    complete_lots: 0,
    unsuccessful_lots: 0,
    cancelled_lots: 0,
    budget_lots: 0,
    budget_yuan: '0',
    award_lots: 0,
    award_yuan: '0',
    lots_with_bids: 0,
    bidders: 0,
    savings_lots: 0,
    savings_budget_yuan: '0',
    savings_award_yuan: '0',
    opening_lots: 0,
    opening_days: null,
    award_days_lots: 0,
    award_days: null,
    contract_lots: 0,
    contract_days: null,
  };
}
