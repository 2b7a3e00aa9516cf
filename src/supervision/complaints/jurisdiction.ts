import { type LotSummary, regionByCode, regionPath } from './deps.ts';
import { CITATIONS } from './rules.ts';
import type { ComplaintLaw } from './tables.ts';

/**
 * 管辖 — which department handles a complaint on this lot. 工程: the 行政监督部门 the project is registered
 * with under the sector division of labour (11号令第四条). 政府采购: the 财政部门 at the purchaser's budget
 * level (94号令第六条), taken as the level of the project's region: 自治区财政厅, 盟市财政局, 旗县区财政局.
 */
export function handlingDepartment(
  lot: LotSummary,
  law: ComplaintLaw,
): { department: string; basis: string } {
  if (law === 'works') {
    return { department: lot.regulator, basis: `项目登记的行政监督部门（${CITATIONS.worksJurisdiction}）` };
  }
  return {
    department: financeDepartmentOf(lot.regionCode),
    basis: `采购人所属预算级次的本级财政部门（按项目所在行政区划确定；${CITATIONS.gpJurisdiction}）`,
  };
}

export function financeDepartmentOf(regionCode: string): string {
  const region = regionByCode(regionCode);
  if (!region) return `行政区划 ${regionCode} 的财政部门`;
  if (region.level === 'province') return `${region.name}财政厅`;
  if (region.level === 'prefecture') return `${region.name}财政局`;
  const prefecture = regionPath(regionCode).find((r) => r.level === 'prefecture');
  return `${prefecture?.name ?? ''}${region.name}财政局`;
}
