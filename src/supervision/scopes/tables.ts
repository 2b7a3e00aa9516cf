/**
 * 监管范围 — what a supervisor account (行政监督管理部门) oversees: its department, the regions (GB/T 2260
 * prefixes) and the trading-catalog items (交易目录 code prefixes). A project is in scope when its region
 * and its catalog item both match (§5: 行业 × 地域).
 */
export interface SupervisorScopesTable {
  account_id: string;
  department: string;
  /** e.g. ['15'] the whole region, ['1501'] 呼和浩特市; never empty. */
  region_prefixes: string[];
  /** e.g. ['01'] 工程建设, ['0201', '0203']; never empty ('0' … '9' would cover all). */
  catalog_prefixes: string[];
  updated_at: Date;
  updated_by: string | null;
}

export interface ScopesTables {
  supervisor_scopes: SupervisorScopesTable;
}
