import type { ColumnType, Generated } from 'kysely';

/** How an item is traded: 招标 · 政府采购方式 · 拍卖 · 挂牌 · 其他. */
export type TradingMode = 'tender' | 'procurement' | 'auction' | 'listing' | 'other';

/** pending 待审核 · approved 已批准（生成新版本）· rejected 已驳回. */
export type ChangeRequestStatus = 'pending' | 'approved' | 'rejected';

/** Platform catalog entry status: active 在册 · suspended 暂停. */
export type PlatformStatus = 'active' | 'suspended';

/** 交易目录类别 (§10's nine). Fixed by the 办法; not versioned. */
export interface TradingCatalogCategoriesTable {
  code: string;
  name: string;
  sort_order: number;
}

/**
 * 交易目录版本: a whole catalog, in force from `effective_from` (Asia/Shanghai calendar date) until the next
 * version's date. Version numbers rise with their dates, so "the version in force on D" is the highest
 * version whose date is on or before D.
 */
export interface TradingCatalogVersionsTable {
  version: number;
  effective_from: string;
  note: string;
  /** The reviewed change that produced it; null for the initial version. */
  change_request_id: string | null;
  created_at: ColumnType<Date, Date, never>;
}

/** 交易目录事项, one row per item per version (each version is a full copy: past versions never change). */
export interface TradingCatalogItemsTable {
  version: number;
  code: string;
  name: string;
  category_code: string;
  /** 行政监督部门. */
  regulator: string;
  trading_modes: TradingMode[];
  /** 化整为零 threshold in yuan (numeric(18,2) as text), and the rule that sets it. */
  split_threshold_yuan: string | null;
  split_threshold_citation: string | null;
}

/** 目录变更申请 (§9 动态管理): drafted by one operator, reviewed by another. */
export interface TradingCatalogChangeRequestsTable {
  id: string;
  status: ChangeRequestStatus;
  title: string;
  reason: string;
  effective_from: string;
  /** The list of changes (add / modify / retire), JSON. */
  changes: ColumnType<unknown, string, string>;
  /** The latest version when drafted (for the reviewer's comparison). */
  base_version: number;
  drafted_by: string;
  drafted_by_name: string;
  drafted_at: ColumnType<Date, Date, never>;
  reviewed_by: string | null;
  reviewed_by_name: string | null;
  reviewed_at: Date | null;
  reject_reason: string | null;
  resulting_version: number | null;
}

/** 平台目录 (§12). */
export interface PlatformCatalogTable {
  code: string;
  name: string;
  kind: 'regional-centre' | 'city-centre' | 'third-party';
  region_code: string;
  website: string | null;
  /** Operator of a third-party system and its certification (认证) reference. */
  operator_name: string | null;
  certification: string | null;
  status: PlatformStatus;
  status_reason: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** 信息公开目录 (§13). */
export interface DisclosureCatalogTable {
  id: Generated<number>;
  code: string;
  name: string;
  content: string;
  basis: string;
  time_limit: string;
  publisher: string;
  channel: string;
  audience: string;
  manner: string;
  /** The announcement kind this item publishes (src/trading/procedures AnnouncementKind), if any. */
  announcement_kind: string | null;
  is_public: boolean;
  updated_at: Date;
}

export interface CatalogsTables {
  trading_catalog_categories: TradingCatalogCategoriesTable;
  trading_catalog_versions: TradingCatalogVersionsTable;
  trading_catalog_items: TradingCatalogItemsTable;
  trading_catalog_change_requests: TradingCatalogChangeRequestsTable;
  platform_catalog: PlatformCatalogTable;
  disclosure_catalog: DisclosureCatalogTable;
}
