/**
 * Shapes of the catalogs (src/service/catalogs/schemas.ts) and venues (src/service/venues/schemas.ts)
 * APIs, as the server answers them.
 */

export type TradingMode = 'tender' | 'procurement' | 'auction' | 'listing' | 'other';

export const TRADING_MODE_OPTIONS: { value: TradingMode; label: string }[] = [
  { value: 'tender', label: '招标' },
  { value: 'procurement', label: '政府采购' },
  { value: 'auction', label: '拍卖' },
  { value: 'listing', label: '挂牌' },
  { value: 'other', label: '其他方式' },
];

export interface TradingCatalogItem {
  code: string;
  name: string;
  categoryCode: string;
  categoryName: string;
  regulator: string;
  tradingModes: TradingMode[];
  tradingModeNames: string[];
  splitThresholdYuan: string | null;
  splitThresholdCitation: string | null;
  effectiveFrom: string;
  version: number;
}

export interface TradingCatalog {
  version: number;
  effectiveFrom: string;
  note: string;
  changeRequestId: string | null;
  asOf: string;
  categories: { code: string; name: string; items: TradingCatalogItem[] }[];
}

export interface CatalogVersion {
  version: number;
  effectiveFrom: string;
  note: string;
  changeRequestId: string | null;
  itemCount: number;
  createdAt: string;
  state: 'in-force' | 'scheduled' | 'superseded';
}

export const VERSION_STATE_NAMES: Record<CatalogVersion['state'], string> = {
  'in-force': '现行',
  scheduled: '待施行',
  superseded: '已废止',
};

export interface CatalogItemInput {
  code: string;
  name: string;
  regulator: string;
  tradingModes: TradingMode[];
  splitThresholdYuan: string | null;
  splitThresholdCitation: string | null;
}

export type CatalogChange =
  | { op: 'add'; item: CatalogItemInput }
  | { op: 'modify'; item: CatalogItemInput }
  | { op: 'retire'; code: string };

export const CHANGE_OP_NAMES: Record<CatalogChange['op'], string> = {
  add: '新增',
  modify: '修改',
  retire: '撤销',
};

export interface ChangeRequest {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  statusName: string;
  title: string;
  reason: string;
  effectiveFrom: string;
  changes: CatalogChange[];
  baseVersion: number;
  draftedBy: { id: string; name: string };
  draftedAt: string;
  reviewedBy: { id: string; name: string } | null;
  reviewedAt: string | null;
  rejectReason: string | null;
  resultingVersion: number | null;
}

export type PlatformKind = 'regional-centre' | 'city-centre' | 'third-party';

export interface PlatformEntry {
  code: string;
  name: string;
  kind: PlatformKind;
  kindName: string;
  region: { code: string; name: string };
  website: string | null;
  operatorName: string | null;
  certification: string | null;
  status: 'active' | 'suspended';
  statusName: string;
  statusReason: string | null;
  updatedAt: string;
}

export interface DisclosureItem {
  code: string;
  name: string;
  content: string;
  basis: string;
  timeLimit: string;
  publisher: string;
  channel: string;
  audience: string;
  manner: string;
  announcementKind: string | null;
  isPublic: boolean;
  updatedAt: string;
}

export const ANNOUNCEMENT_KIND_OPTIONS: { value: string; label: string }[] = [
  { value: 'tender', label: '招标公告' },
  { value: 'prequalification', label: '资格预审公告' },
  { value: 'invitation', label: '投标邀请书' },
  { value: 'change', label: '变更（澄清）公告' },
  { value: 'termination', label: '终止公告' },
  { value: 'procurement', label: '采购公告' },
  { value: 'correction', label: '更正公告' },
  { value: 'candidates', label: '中标候选人公示' },
  { value: 'result', label: '中标（成交）结果公告' },
  { value: 'contract', label: '合同公告' },
  { value: 'single-source-notice', label: '单一来源公示' },
];

export function announcementKindName(kind: string | null): string {
  if (!kind) return '—';
  return ANNOUNCEMENT_KIND_OPTIONS.find((o) => o.value === kind)?.label ?? kind;
}

// ---- venues ----

export interface VenueRoom {
  id: string;
  code: string;
  name: string;
  kind: 'opening' | 'evaluation';
  kindName: string;
  isolated: boolean;
  capacity: number;
  platformCode: string;
  location: string;
  facilities: string | null;
  status: 'active' | 'closed';
  statusName: string;
}

export interface VenueBooking {
  id: string;
  room: { id: string; code: string; name: string; kind: 'opening' | 'evaluation' };
  lot: { id: string; code: string; name: string };
  purpose: 'opening' | 'evaluation';
  purposeName: string;
  startsAt: string;
  endsAt: string;
  expectedAttendees: number | null;
  note: string | null;
  status: 'booked' | 'cancelled';
  statusName: string;
  bookedBy: { id: string; name: string };
  createdAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
}
