import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { HttpServer } from '../../platform/http/index.ts';
import { SummaryQuery, SummaryView } from './schemas.ts';
import { summarizeStatistics } from './statistics.ts';
import type { StatisticsTables } from './tables.ts';
import { summaryFilename, summaryWorkbook } from './workbook.ts';

export interface StatisticsRouteDeps {
  db: Kysely<StatisticsTables>;
  clock: Clock;
}

const TAGS = ['数据统计'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 数据汇集和统计分析 (§6, §31): public figures of the trading processes, as JSON and as Excel. */
export function registerStatisticsRoutes(app: HttpServer, deps: StatisticsRouteDeps): void {
  app.get(
    '/api/statistics/summary',
    {
      schema: {
        tags: TAGS,
        summary:
          '交易数据统计：总量与按月份、交易目录、盟市、旗县区、交易方式的分项（口径见 docs/statistics.md）',
        querystring: SummaryQuery,
        response: { 200: SummaryView },
      },
      config: { policy: 'public' },
    },
    async (req) => summarizeStatistics(deps, req.query),
  );

  app.get(
    '/api/statistics/summary.xlsx',
    {
      schema: {
        tags: TAGS,
        summary: '交易数据统计导出为 Excel（与 /api/statistics/summary 相同的筛选条件与数字）',
        querystring: SummaryQuery,
      },
      config: { policy: 'public' },
    },
    async (req, reply) => {
      const summary = await summarizeStatistics(deps, req.query);
      const body = await summaryWorkbook(summary);
      // RFC 6266 / RFC 5987: an ASCII name for old clients, the Chinese one for everyone else.
      reply.header(
        'content-disposition',
        `attachment; filename="statistics.xlsx"; filename*=UTF-8''${encodeURIComponent(summaryFilename(summary))}`,
      );
      reply.header('cache-control', 'no-store');
      return reply.type(XLSX).send(body);
    },
  );
}
