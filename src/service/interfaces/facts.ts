import { fenToYuan } from '../../platform/money/index.ts';
import type { ProcessFacts } from '../../supervision/statistics/index.ts';
import type { DataspecRecord } from '../dataspec/index.ts';

/** A stored record version, as the fold reads it. */
export interface DealRecord {
  table: string;
  key: string;
  version: string;
  record: DataspecRecord;
}

/** yyyyMMddHHmmss (Beijing time) → the instant. */
export function instantOf(value: string | undefined): Date | null {
  if (!value || !/^\d{8}(\d{6})?$/.test(value)) return null;
  const [y, mo, d, h = '00', mi = '00', s = '00'] = [
    value.slice(0, 4),
    value.slice(4, 6),
    value.slice(6, 8),
    value.slice(8, 10) || undefined,
    value.slice(10, 12) || undefined,
    value.slice(12, 14) || undefined,
  ];
  const instant = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** An amount of the data specification (up to 6 decimals, 元 or 万元) in yuan with two decimals. */
export function yuanOf(amount: string | undefined, unit: string | undefined): string | null {
  if (!amount || !/^\d{1,18}(\.\d{1,6})?$/.test(amount)) return null;
  const [whole = '0', fraction = ''] = amount.split('.');
  // In millionths of a yuan, then rounded half up to fen.
  let micro = BigInt(whole) * 1_000_000n + BigInt(`${fraction}000000`.slice(0, 6));
  if (unit === '1') micro *= 10_000n;
  return fenToYuan((micro + 5_000n) / 10_000n);
}

const PURCHASE_METHODS: Readonly<Record<string, string>> = {
  '1': 'open-tender.gp',
  '2': 'invited-tender.gp',
  '3': 'competitive-negotiation',
  '4': 'inquiry',
  '5': 'single-source',
  '6': 'competitive-consultation',
};

const CATEGORY_OF_CLASS: Readonly<Record<string, string>> = { A: '01', B: '02', C: '02', D: '06', E: '03' };

/**
 * The statistics' facts of one pushed deal (统一交易标识码) from the latest version of each of its records:
 * region, category, method, budget and award, bidders, the dates of announcement, opening, award and
 * contract, and the status. Null when no record says the deal's region.
 */
export function factsOfDeal(source: string, dealCode: string, versions: DealRecord[]): ProcessFacts | null {
  const latest = new Map<string, DealRecord>();
  for (const v of versions) {
    const id = `${v.table}\u0000${v.key}`;
    const seen = latest.get(id);
    if (!seen || seen.version < v.version) latest.set(id, v);
  }
  const records = [...latest.values()];
  const of = (table: string) => records.filter((r) => r.table === table).map((r) => r.record);
  const one = (table: string) => of(table)[0];
  const section = one('SECTION');
  const tenderProject = one('TENDER_PROJECT');
  const purchase = one('PURCHASE_PROJECT');
  const gp =
    purchase !== undefined ||
    records.some((r) => r.table.startsWith('PURCHASE_') || r.table === 'BID_DEAL_ANNOUNCE');
  const regionCode =
    section?.REGION_CODE ??
    purchase?.REGION_CODE ??
    tenderProject?.REGION_CODE ??
    one('WIN_RESULT_ANNO')?.REGION_CODE ??
    one('BID_DEAL_ANNOUNCE')?.REGION_CODE;
  if (!regionCode) return null;

  const classify = section?.TENDER_PROJECT_CLASSIFY_CODE?.[0];
  const law: ProcessFacts['law'] = gp
    ? 'gp'
    : classify === 'A' || tenderProject?.TENDER_PROJECT_TYPE?.startsWith('A')
      ? 'works'
      : 'other';
  const categoryCode = gp
    ? '02'
    : classify
      ? (CATEGORY_OF_CLASS[classify] ?? null)
      : law === 'works'
        ? '01'
        : null;
  const mode = section?.BID_TENDER_MODE ?? tenderProject?.TENDER_MODE;
  const method = gp
    ? (PURCHASE_METHODS[purchase?.PURCHASER_MODE ?? ''] ?? `purchase-mode:${purchase?.PURCHASER_MODE ?? '?'}`)
    : mode === '1'
      ? 'open-tender.works'
      : mode === '2'
        ? 'invited-tender.works'
        : `tender-mode:${mode ?? '?'}`;

  const notices = [
    ...of('TENDER_ANN_QUA_INQUERY_ANN')
      .filter((r) => r.NOTICE_NATURE !== '2')
      .map((r) => r.NOTICE_SEND_TIME),
    ...of('PURCHASE_QUALI_INQUERY_ANN').map((r) => r.BULLETIN_START_TIME),
  ]
    .filter((v): v is string => v !== undefined)
    .sort();
  const announcedAt = instantOf(notices[0]);
  const opening = one('BID_OPENING_RECORD') ?? one('PURCHASE_BIDDING_RECORD');
  const bidders = [...of('TENDER_LIST'), ...of('PURCHASE_TENDER_LIST')];
  const result = one('WIN_RESULT_ANNO');
  const deal = one('BID_DEAL_ANNOUNCE');
  const contract = one('CONTRACT_PERFORMANCE');
  const purchaseContract = one('PURCHASE_CONTRACT');
  const abnormity = one('TENDER_ABNORMITY_REPORT');

  const budgetYuan = section
    ? yuanOf(section.CONTRACT_RECKON_PRICE, section.PRICE_UNIT)
    : purchase
      ? yuanOf(purchase.PROGRAM_BUDGET, purchase.UNIT_BUDGET)
      : null;
  const awardYuan =
    (contract && yuanOf(contract.CONTRACT_PRICE, contract.PRICE_UNIT)) ??
    (purchaseContract && yuanOf(purchaseContract.CONTRACT_AMOUNT, purchaseContract.PRICE_UNIT)) ??
    (result && yuanOf(result.BID_AMOUNT, result.PRICE_UNIT)) ??
    (deal && yuanOf(deal.WIN_BID_PRICE, deal.PRICE_UNIT)) ??
    null;
  const awardedAt = instantOf(result?.NOTICE_SEND_TIME ?? deal?.WIN_BID_BULLETIN_START_TIME);
  const contractedAt = instantOf(contract?.CONTRACT_SIGN_TIME ?? purchaseContract?.SIGNING_TIME);
  const status: ProcessFacts['status'] =
    contract || purchaseContract || result || deal
      ? 'complete'
      : abnormity?.EXCEPITON_TYPE === '1'
        ? 'unsuccessful'
        : abnormity
          ? 'cancelled'
          : 'active';
  const created = instantOf(section?.CREATE_TIME ?? purchase?.CREATE_TIME ?? tenderProject?.CREATE_TIME);
  const newest = records
    .map((r) => r.version)
    .sort()
    .at(-1);
  const updatedAt = instantOf(newest) ?? new Date(0);
  const monthOf = announcedAt ?? created ?? updatedAt;
  return {
    source,
    key: dealCode,
    categoryCode,
    regionCode,
    method,
    law,
    month: new Date(monthOf.getTime() + 8 * 3_600_000).toISOString().slice(0, 7),
    budgetYuan,
    awardYuan,
    bidders: bidders.length > 0 ? bidders.length : opening ? 0 : null,
    status,
    announcedAt,
    openedAt: instantOf(opening?.BID_OPENING_TIME),
    awardedAt,
    contractedAt,
    updatedAt,
  };
}
