export {
  addDisclosureItem,
  addPlatform,
  approveCatalogChange,
  CATALOG_CHANGE_WITNESS_TYPE,
  type CatalogsContext,
  type CatalogsDb,
  type ChangeRequestView,
  DISCLOSURE_CATALOG_WITNESS_TYPE,
  type DisclosureView,
  disclosedAnnouncementKinds,
  draftCatalogChange,
  findPlatform,
  findTradingCatalogItem,
  getTradingCatalog,
  listDisclosureItems,
  listPlatforms,
  PLATFORM_CATALOG_WITNESS_TYPE,
  type PlatformView,
  rejectCatalogChange,
  seedCatalogs,
  TRADING_CATALOG_WITNESS_TYPE,
  type TradingCatalogItem,
} from './catalogs.ts';
export {
  INITIAL_CATALOG_EFFECTIVE_FROM,
  INITIAL_PLATFORMS,
  INITIAL_TRADING_ITEMS,
  TRADING_CATEGORIES,
} from './data.ts';
export { catalogsMigrations } from './migrations.ts';
export { type CatalogRouteDeps, registerCatalogRoutes } from './routes.ts';
export { ANNOUNCEMENT_KINDS, TRADING_MODE_NAMES_ZH } from './schemas.ts';
export type { CatalogsTables, TradingMode } from './tables.ts';
