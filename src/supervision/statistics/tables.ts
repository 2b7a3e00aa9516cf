import type { ColumnType } from 'kysely';

/** 交易状态 of a process as statistics count it. */
export type FactStatus = 'active' | 'complete' | 'unsuccessful' | 'cancelled';

/** The body of law a process runs under: 工程建设 (works), 政府采购 (gp) or any other trading. */
export type FactLaw = 'works' | 'gp' | 'other';

/**
 * 交易数据汇集 (§31): one row per trading process (one lot, 标段/包), from this platform's own public records
 * (`source = 'platform'`, `key` = the OCDS ocid) or pushed by a 盟市 platform or third-party trading system
 * (`source = 'push:<system code>'`, `key` = 统一交易标识码 UNIFIED_DEAL_CODE). A read model: written only
 * through `upsertProcessFacts`, never edited, and the row with the latest `updated_at` wins.
 */
export interface ProcessFactsTable {
  source: string;
  key: string;
  /** 交易目录 category '01'…'09'; null when the pushed record did not say. */
  category_code: string | null;
  /** GB/T 2260 six-digit code of the region the process belongs to. */
  region_code: string;
  /** 交易方式: the procedure type ('open-tender.works', …) or the pushed record's tender mode. */
  method: string;
  law: FactLaw;
  /** 'YYYY-MM' of the (first) announcement, Beijing time. */
  month: string;
  /** numeric(18,2): 预算金额/最高限价/估算价 and 中标（成交）金额 in yuan, as decimal strings. */
  budget_yuan: ColumnType<string | null, string | null, string | null>;
  award_yuan: ColumnType<string | null, string | null, string | null>;
  /** 投标人数: bids opened (递交并开启的投标文件); null before the opening is public. */
  bidders: number | null;
  status: FactStatus;
  announced_at: Date | null;
  opened_at: Date | null;
  awarded_at: Date | null;
  contracted_at: Date | null;
  updated_at: Date;
}

export interface StatisticsTables {
  process_facts: ProcessFactsTable;
}
