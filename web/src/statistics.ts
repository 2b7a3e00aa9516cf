/**
 * 交易数据统计 — the shapes of GET /api/statistics/summary (src/supervision/statistics/schemas.ts) and the
 * way the pages show them. Amounts arrive as decimal strings and are shown as they are, never through a float;
 * charts alone turn them into numbers (万元) for drawing.
 */
import { api } from './api.ts';

export interface Figures {
  lots: number;
  activeLots: number;
  completeLots: number;
  unsuccessfulLots: number;
  cancelledLots: number;
  budgetLots: number;
  budgetYuan: string;
  awardLots: number;
  awardYuan: string;
  lotsWithBids: number;
  bidders: number;
  averageBidders: number | null;
  savingsLots: number;
  savingsBudgetYuan: string;
  savingsAwardYuan: string;
  savedYuan: string;
  savingsRate: number | null;
  failedRate: number | null;
  announcementToOpeningLots: number;
  announcementToOpeningDays: number | null;
  openingToAwardLots: number;
  openingToAwardDays: number | null;
  awardToContractLots: number;
  awardToContractDays: number | null;
}

export interface GroupFigures extends Figures {
  code: string | null;
  name: string;
}

export interface MonthFigures extends Figures {
  month: string;
}

export type StatisticsSource = 'all' | 'platform' | 'push';

export interface StatisticsSummary {
  filters: {
    from: string | null;
    to: string | null;
    region: string | null;
    regionName: string | null;
    category: string | null;
    categoryName: string | null;
    source: StatisticsSource;
    sourceName: string;
  };
  generatedAt: string;
  totals: Figures;
  byMonth: MonthFigures[];
  byCategory: GroupFigures[];
  byPrefecture: GroupFigures[];
  byRegion: GroupFigures[];
  byMethod: GroupFigures[];
}

export interface StatisticsQuery {
  from?: string;
  to?: string;
  /** Region code prefix: 15 (全区), 1501 (呼和浩特市) … */
  region?: string;
  category?: string;
  source?: StatisticsSource;
}

export const SOURCE_OPTIONS: { value: StatisticsSource; label: string }[] = [
  { value: 'all', label: '全部来源' },
  { value: 'platform', label: '本平台' },
  { value: 'push', label: '盟市平台及第三方系统推送' },
];

function queryOf(q: StatisticsQuery): Record<string, string | undefined> {
  return {
    from: q.from || undefined,
    to: q.to || undefined,
    region: q.region || undefined,
    category: q.category || undefined,
    source: q.source && q.source !== 'all' ? q.source : undefined,
  };
}

export function fetchStatistics(q: StatisticsQuery, signal?: AbortSignal): Promise<StatisticsSummary> {
  return api.get<StatisticsSummary>('/api/statistics/summary', { query: queryOf(q), signal });
}

/** The Excel workbook of the same figures (a plain link: the browser downloads it with its Chinese name). */
export function statisticsXlsxUrl(q: StatisticsQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(queryOf(q))) if (value) params.set(key, value);
  const qs = params.toString();
  return `/api/statistics/summary.xlsx${qs ? `?${qs}` : ''}`;
}

/** 1,300,000.25 (yuan, from the decimal string as it is). */
export function formatAmount(yuan: string): string {
  const negative = yuan.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? yuan.slice(1) : yuan).split('.');
  return `${negative ? '-' : ''}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0').slice(0, 2)}`;
}

/** 万元 for a chart's bar (drawing only). */
export function tenThousandYuan(yuan: string): number {
  return Math.round(Number(yuan) / 100) / 100;
}

/** 13.33% from 0.1333; '—' when there was nothing to divide by. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(2)}%`;
}

export function formatNumber(value: number | null, digits = 2): string {
  return value === null ? '—' : value.toFixed(digits);
}

export type ColumnKind = 'count' | 'yuan' | 'rate' | 'days' | 'average';

/** The columns of every figure table, as the Excel export names them (src/supervision/statistics/workbook.ts). */
export const FIGURE_COLUMNS: readonly { key: keyof Figures; label: string; kind: ColumnKind }[] = [
  { key: 'lots', label: '交易项目数', kind: 'count' },
  { key: 'completeLots', label: '已成交', kind: 'count' },
  { key: 'unsuccessfulLots', label: '流标', kind: 'count' },
  { key: 'cancelledLots', label: '终止', kind: 'count' },
  { key: 'activeLots', label: '进行中', kind: 'count' },
  { key: 'budgetYuan', label: '预算金额（元）', kind: 'yuan' },
  { key: 'awardYuan', label: '成交金额（元）', kind: 'yuan' },
  { key: 'averageBidders', label: '平均投标人数', kind: 'average' },
  { key: 'savedYuan', label: '节支金额（元）', kind: 'yuan' },
  { key: 'savingsRate', label: '节支率', kind: 'rate' },
  { key: 'failedRate', label: '流标率', kind: 'rate' },
  { key: 'announcementToOpeningDays', label: '公告至开标（天）', kind: 'days' },
  { key: 'openingToAwardDays', label: '开标至定标（天）', kind: 'days' },
  { key: 'awardToContractDays', label: '定标至签约（天）', kind: 'days' },
];

export function formatFigure(figures: Figures, column: (typeof FIGURE_COLUMNS)[number]): string {
  const value = figures[column.key];
  switch (column.kind) {
    case 'count':
      return String(value);
    case 'yuan':
      return formatAmount(String(value));
    case 'rate':
      return formatRate(value as number | null);
    default:
      return formatNumber(value as number | null);
  }
}

/** YYYY-MM of the current month in Beijing time, and of `months` months before it. */
export function monthsBack(months: number, now = new Date()): { from: string; to: string } {
  const beijing = new Date(now.getTime() + 8 * 3600_000);
  const year = beijing.getUTCFullYear();
  const month = beijing.getUTCMonth();
  const start = new Date(Date.UTC(year, month - months, 1));
  const fmt = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  return { from: fmt(start), to: fmt(new Date(Date.UTC(year, month, 1))) };
}
