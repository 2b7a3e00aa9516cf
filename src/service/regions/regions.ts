import { INNER_MONGOLIA, PROVINCES } from './data.ts';

/**
 * 行政区划 — an administrative division by its GB/T 2260 six-digit code: 2 digits province, 2 digits
 * prefecture (盟市), 2 digits county (旗县区).
 */
export interface Region {
  code: string;
  name: string;
  /** province 省级 · prefecture 地级 (盟/市) · county 县级 (旗/县/区/县级市) */
  level: RegionLevel;
  parentCode: string | null;
}

export type RegionLevel = 'province' | 'prefecture' | 'county';

export const REGION_LEVEL_NAMES_ZH: Record<RegionLevel, string> = {
  province: '省级',
  prefecture: '地级',
  county: '县级',
};

/** 内蒙古自治区 — the region this platform serves. */
export const INNER_MONGOLIA_CODE = '150000';

const byCode = new Map<string, Region>();
const childrenByParent = new Map<string | null, Region[]>();

function add(region: Region): void {
  if (byCode.has(region.code)) throw new Error(`duplicate region code ${region.code}`);
  byCode.set(region.code, Object.freeze(region));
  const siblings = childrenByParent.get(region.parentCode) ?? [];
  siblings.push(region);
  childrenByParent.set(region.parentCode, siblings);
}

for (const [code, name] of PROVINCES) add({ code, name, level: 'province', parentCode: null });
for (const prefecture of INNER_MONGOLIA) {
  add({ code: prefecture.code, name: prefecture.name, level: 'prefecture', parentCode: INNER_MONGOLIA_CODE });
  for (const [code, name] of prefecture.counties) {
    add({ code, name, level: 'county', parentCode: prefecture.code });
  }
}

const SIX_DIGITS = /^\d{6}$/;

export function regionByCode(code: string): Region | undefined {
  return byCode.get(code);
}

export function isKnownRegion(code: string): boolean {
  return SIX_DIGITS.test(code) && byCode.has(code);
}

/**
 * The region and its ancestors, from the province down: 内蒙古自治区 > 锡林郭勒盟 > 正蓝旗.
 * Empty for an unknown code.
 */
export function regionPath(code: string): Region[] {
  const path: Region[] = [];
  let current = byCode.get(code);
  while (current) {
    path.unshift(current);
    current = current.parentCode ? byCode.get(current.parentCode) : undefined;
  }
  return path;
}

/** The path as people write it: 内蒙古自治区 锡林郭勒盟 正蓝旗. */
export function regionPathName(code: string, separator = ' '): string {
  return regionPath(code)
    .map((r) => r.name)
    .join(separator);
}

/** Direct children for a cascading select; `null` gives the provinces. In code order. */
export function childRegions(parentCode: string | null): Region[] {
  return [...(childrenByParent.get(parentCode) ?? [])].sort((a, b) => a.code.localeCompare(b.code));
}

export function hasChildRegions(code: string): boolean {
  return (childrenByParent.get(code)?.length ?? 0) > 0;
}

/** Province-level codes (the first two digits of any code say its province). */
export function isKnownProvincePrefix(twoDigits: string): boolean {
  return byCode.get(`${twoDigits}0000`)?.level === 'province';
}

export function allRegions(): Region[] {
  return [...byCode.values()];
}
