/**
 * How the platform's words map onto OCDS codelists (docs/ocds.md explains each choice).
 */
import type { OcdsTender, OcdsValue } from './types.ts';

/** The party identifier scheme: 统一社会信用代码 (GB 32100-2015). */
export const CREDIT_CODE_SCHEME = 'CN-USCC';

/** A party's OCDS id: the scheme and the 统一社会信用代码, so one organisation has one id everywhere. */
export function partyId(creditCode: string): string {
  return `${CREDIT_CODE_SCHEME}-${creditCode}`;
}

interface MethodMapping {
  method: OcdsTender['procurementMethod'];
  detailsZh: string;
}

/**
 * procedureType → tender.procurementMethod (closed codelist method.csv):
 * 公开招标 anyone may bid → open; 邀请招标 only invited, pre-selected suppliers → selective;
 * 竞争性谈判/竞争性磋商/询价 the buyer negotiates with or asks a few suppliers it selects (by
 * announcement, supplier pool draw or recommendation) → limited; 单一来源 one supplier without
 * competition → direct; 拍卖/挂牌/网络竞价 every registered bidder bids in the open → open.
 */
const METHODS: Record<string, MethodMapping> = {
  'open-tender.works': { method: 'open', detailsZh: '公开招标' },
  'open-tender.gp': { method: 'open', detailsZh: '公开招标' },
  'invited-tender.works': { method: 'selective', detailsZh: '邀请招标' },
  'invited-tender.gp': { method: 'selective', detailsZh: '邀请招标' },
  'competitive-negotiation': { method: 'limited', detailsZh: '竞争性谈判' },
  'competitive-consultation': { method: 'limited', detailsZh: '竞争性磋商' },
  inquiry: { method: 'limited', detailsZh: '询价' },
  'single-source': { method: 'direct', detailsZh: '单一来源采购' },
  // 拍卖、挂牌、网络竞价: anyone who registers and pays the deposit may bid in the open.
  listing: { method: 'open', detailsZh: '挂牌' },
  auction: { method: 'open', detailsZh: '拍卖' },
  'online-bidding': { method: 'open', detailsZh: '网络竞价' },
};

export function procurementMethodOf(procedureType: string): MethodMapping {
  const known = METHODS[procedureType];
  if (known) return known;
  if (procedureType.startsWith('open-')) return { method: 'open', detailsZh: '公开招标' };
  if (procedureType.startsWith('invited-')) return { method: 'selective', detailsZh: '邀请招标' };
  return { method: 'limited', detailsZh: procedureType };
}

/**
 * tender.mainProcurementCategory (closed codelist procurementCategory.csv) from the law and the 交易目录:
 * works law (招标投标法, category 01) → works, except 0107 机电产品国际招标 → goods; GP (category 02):
 * 0201 政府采购货物 → goods, 0202 政府采购工程 → works, 0203 政府采购服务 → services, 0204 医药集中采购 →
 * goods; 0304 地质勘查基金项目 → services. Anything else (land, rights, assets) has no OCDS category and
 * the field is left out.
 */
export function mainProcurementCategoryOf(lot: {
  law: 'works' | 'gp' | 'other';
  categoryCode: string;
  catalogItemCode: string;
}): OcdsTender['mainProcurementCategory'] {
  const item = lot.catalogItemCode.replace(/\D/g, '');
  if (item === '0107') return 'goods';
  if (item === '0201' || item === '0204') return 'goods';
  if (item === '0202') return 'works';
  if (item === '0203' || item === '0304') return 'services';
  if (lot.law === 'works' || lot.categoryCode === '01') return 'works';
  return undefined;
}

/** Announcement kinds by the stage they belong to. */
export const TENDER_NOTICE_KINDS: ReadonlySet<string> = new Set([
  'tender',
  'prequalification',
  'invitation',
  'procurement',
  'single-source-notice',
  'transfer-notice', // 出让（转让）公告 of 拍卖、挂牌、网络竞价
]);
/** 变更、更正公告, and the auction's 延期公告 (延牌 moves the dates of the 出让（转让）公告). */
export const AMENDMENT_KINDS: ReadonlySet<string> = new Set(['change', 'correction', 'extension']);
/** What ends the process without a contract: 终止公告, and the auction's 不成交公告 (流拍). */
export const ENDING_KINDS: ReadonlySet<string> = new Set(['termination', 'no-deal']);

/** OCDS documentType (open codelist documentType.csv) of an announcement kind. */
export function documentTypeOf(kind: string): string {
  if (TENDER_NOTICE_KINDS.has(kind)) return 'tenderNotice';
  if (AMENDMENT_KINDS.has(kind)) return 'clarifications';
  if (ENDING_KINDS.has(kind)) return 'cancellationDetails';
  if (kind === 'candidates') return 'evaluationReports';
  if (kind === 'result' || kind === 'deal-publicity') return 'awardNotice';
  if (kind === 'contract') return 'contractNotice';
  return 'tenderNotice';
}

const CHINA_STANDARD_TIME_MS = 8 * 3_600_000;

/**
 * ISO 8601 with the China Standard Time offset (+08:00, no daylight saving), the way the portal shows
 * times: 2026-03-02T09:00:00+08:00. Milliseconds only when there are any.
 */
export function isoDate(d: Date): string {
  const shifted = new Date(d.getTime() + CHINA_STANDARD_TIME_MS).toISOString();
  const ms = shifted.slice(19, 23);
  return `${shifted.slice(0, 19)}${ms === '.000' ? '' : ms}+08:00`;
}

/** 元 as a decimal string ('11200000.00') → an OCDS value in CNY. */
export function money(yuan: string): OcdsValue {
  const amount = Number(yuan);
  if (!Number.isFinite(amount)) throw new Error(`not an amount of yuan: ${yuan}`);
  return { amount, currency: 'CNY' };
}
