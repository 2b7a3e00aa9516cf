export { statisticsMigrations } from './migrations.ts';
export { registerStatisticsRoutes, type StatisticsRouteDeps } from './routes.ts';
export type { Figures, GroupFigures, MonthFigures, SummaryQuery, SummaryView } from './schemas.ts';
export {
  methodName,
  type ProcessFacts,
  type StatisticsContext,
  summarizeStatistics,
  upsertProcessFacts,
} from './statistics.ts';
export type { FactLaw, FactStatus, StatisticsTables } from './tables.ts';
export { summaryWorkbook } from './workbook.ts';
