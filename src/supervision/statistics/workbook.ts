import ExcelJS from 'exceljs';
import { yuanToFen } from '../../platform/money/index.ts';
import type { Figures, SummaryView } from './schemas.ts';

type Kind = 'count' | 'yuan' | 'rate' | 'days' | 'average';

/** The columns of every figure table, in the order and with the names the portal shows. */
export const FIGURE_COLUMNS: readonly { key: keyof Figures; header: string; kind: Kind }[] = [
  { key: 'lots', header: '交易项目数', kind: 'count' },
  { key: 'completeLots', header: '已成交', kind: 'count' },
  { key: 'unsuccessfulLots', header: '流标', kind: 'count' },
  { key: 'cancelledLots', header: '终止', kind: 'count' },
  { key: 'activeLots', header: '进行中', kind: 'count' },
  { key: 'budgetYuan', header: '预算金额（元）', kind: 'yuan' },
  { key: 'awardYuan', header: '成交金额（元）', kind: 'yuan' },
  { key: 'averageBidders', header: '平均投标人数', kind: 'average' },
  { key: 'savedYuan', header: '节支金额（元）', kind: 'yuan' },
  { key: 'savingsRate', header: '节支率', kind: 'rate' },
  { key: 'failedRate', header: '流标率', kind: 'rate' },
  { key: 'announcementToOpeningDays', header: '公告至开标（天）', kind: 'days' },
  { key: 'openingToAwardDays', header: '开标至定标（天）', kind: 'days' },
  { key: 'awardToContractDays', header: '定标至签约（天）', kind: 'days' },
];

const NUMBER_FORMATS: Record<Kind, string> = {
  count: '0',
  yuan: '#,##0.00',
  rate: '0.00%',
  days: '0.00',
  average: '0.00',
};

/** Below 10^15 fen a yuan amount's double is exact to the fen; larger amounts go in as text, never rounded. */
const EXACT_FEN = 10n ** 15n;

function cellValue(kind: Kind, value: string | number | null): string | number | null {
  if (value === null) return null;
  if (kind !== 'yuan') return value;
  const fen = yuanToFen(String(value));
  return (fen < 0n ? -fen : fen) < EXACT_FEN ? Number(value) : String(value);
}

function figureCells(f: Figures): (string | number | null)[] {
  return FIGURE_COLUMNS.map((c) => cellValue(c.kind, f[c.key]));
}

function styleHeader(sheet: ExcelJS.Worksheet): void {
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

function addTable(
  workbook: ExcelJS.Workbook,
  name: string,
  keyHeaders: string[],
  rows: { keys: (string | null)[]; figures: Figures }[],
): void {
  const sheet = workbook.addWorksheet(name);
  sheet.columns = [
    ...keyHeaders.map((header) => ({ header, width: 18 })),
    ...FIGURE_COLUMNS.map((c) => ({ header: c.header, width: c.kind === 'yuan' ? 20 : 14 })),
  ];
  for (const row of rows) sheet.addRow([...row.keys, ...figureCells(row.figures)]);
  FIGURE_COLUMNS.forEach((c, i) => {
    sheet.getColumn(keyHeaders.length + i + 1).numFmt = NUMBER_FORMATS[c.kind];
  });
  styleHeader(sheet);
}

/** 交易数据统计 as an Excel workbook: 汇总 (the filters and the totals) and one sheet per breakdown. */
export async function summaryWorkbook(summary: SummaryView): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '内蒙古自治区公共资源交易平台';
  workbook.created = new Date(summary.generatedAt);

  const overview = workbook.addWorksheet('汇总');
  overview.columns = [
    { header: '指标', width: 24 },
    { header: '数值', width: 24 },
  ];
  const f = summary.filters;
  const conditions: [string, string][] = [
    ['统计时间', summary.generatedAt],
    ['起始月份', f.from ?? '不限'],
    ['截止月份', f.to ?? '不限'],
    ['地区', f.region ? `${f.regionName ?? ''}（${f.region}）` : '全部'],
    ['交易目录类别', f.category ? `${f.category} ${f.categoryName ?? ''}` : '全部'],
    ['数据来源', f.sourceName],
  ];
  for (const [label, value] of conditions) overview.addRow([label, value]);
  FIGURE_COLUMNS.forEach((c) => {
    const row = overview.addRow([c.header, cellValue(c.kind, summary.totals[c.key])]);
    row.getCell(2).numFmt = NUMBER_FORMATS[c.kind];
  });
  styleHeader(overview);

  addTable(
    workbook,
    '按月份',
    ['月份'],
    summary.byMonth.map((m) => ({ keys: [m.month], figures: m })),
  );
  addTable(
    workbook,
    '按交易目录',
    ['类别代码', '类别名称'],
    summary.byCategory.map((g) => ({ keys: [g.code, g.name], figures: g })),
  );
  addTable(
    workbook,
    '按盟市',
    ['行政区划代码', '盟市'],
    summary.byPrefecture.map((g) => ({ keys: [g.code, g.name], figures: g })),
  );
  addTable(
    workbook,
    '按旗县区',
    ['行政区划代码', '地区'],
    summary.byRegion.map((g) => ({ keys: [g.code, g.name], figures: g })),
  );
  addTable(
    workbook,
    '按交易方式',
    ['交易方式代码', '交易方式'],
    summary.byMethod.map((g) => ({ keys: [g.code, g.name], figures: g })),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** 交易数据统计_2026-01_2026-06.xlsx */
export function summaryFilename(summary: SummaryView): string {
  const f = summary.filters;
  const span = f.from || f.to ? `_${f.from ?? '起'}_${f.to ?? '今'}` : '';
  return `交易数据统计${span}.xlsx`;
}
