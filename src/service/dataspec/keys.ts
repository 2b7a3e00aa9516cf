import { canonicalJson, sm3Hex } from '../../platform/crypto/index.ts';
import type { DataspecRecord } from './types.ts';
import { dataspecTable, EXCHANGE_FIELDS } from './validate.ts';

/**
 * Fields that tell apart several records of one table for one deal (统一交易标识码): the bidders of a
 * 投标人名单, the announcements of a process (their source URL), the candidates by rank, the experts.
 */
const ROW_FIELDS: Readonly<Record<string, readonly string[]>> = {
  TENDER_LIST: ['BIDDER_ORG_CODE'],
  PURCHASE_TENDER_LIST: ['BIDDER_ORG_CODE'],
  TENDER_CANDIDATE: ['WIN_CANDIDATE_ORDER'],
  BID_EVALUATION_EXPERT: ['ID_CARD'],
  TENDER_INVITATION: ['BIDDER_CODE'],
  TENDER_ANN_QUA_INQUERY_ANN: ['URL'],
  TENDER_FILE_CLARI_MODI: ['URL'],
  TENDER_CANDIDATE_ANNOUNCE: ['URL'],
  WIN_RESULT_ANNO: ['URL'],
  PURCHASE_QUALI_INQUERY_ANN: ['URL'],
  CORRECTION_ITEM: ['URL'],
  BID_DEAL_ANNOUNCE: ['URL'],
};

const DEAL_FIELDS = ['UNIFIED_DEAL_CODE', 'UNIFIED_DEAL_CODES'] as const;

/** The 统一交易标识码 a record names (one or several, separated by commas or semicolons). */
export function dealCodesOf(record: DataspecRecord): string[] {
  for (const name of DEAL_FIELDS) {
    const value = record[name];
    if (value) {
      return value
        .split(/[,;，；\s]+/)
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
    }
  }
  return [];
}

/**
 * A record's identity within its table, for idempotent storage: the 统一交易标识码, or — for a table without
 * one — its UniqueValue field (PROJECT_CODE, TENDER_PROJECT_CODE …), plus the fields that tell several
 * rows of one deal apart. A table with neither: the SM3 of the record without its exchange fields.
 * The version (DATA_TIMESTAMP) is not part of it.
 */
export function recordKeyOf(table: string, record: DataspecRecord): string {
  const spec = dataspecTable(table);
  const deal = DEAL_FIELDS.map((f) => record[f]).find((v) => v !== undefined && v !== '');
  const unique = spec?.fields.find((f) => f.unique && f.cannotModify)?.name;
  const base = deal ?? (unique ? record[unique] : undefined);
  if (base === undefined || base === '') {
    const content: Record<string, string> = { ...record };
    for (const f of EXCHANGE_FIELDS) delete content[f.name];
    return `sm3:${sm3Hex(canonicalJson(content))}`;
  }
  const rows = (ROW_FIELDS[table] ?? []).map((f) => record[f] ?? '');
  return [base, ...rows].join('|');
}
