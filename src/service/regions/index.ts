export { INNER_MONGOLIA, PROVINCES } from './data.ts';
export {
  allRegions,
  childRegions,
  hasChildRegions,
  INNER_MONGOLIA_CODE,
  isKnownProvincePrefix,
  isKnownRegion,
  REGION_LEVEL_NAMES_ZH,
  type Region,
  type RegionLevel,
  regionByCode,
  regionPath,
  regionPathName,
} from './regions.ts';
export { registerRegionRoutes } from './routes.ts';
