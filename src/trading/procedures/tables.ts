/**
 * 暂停 — a lot's procedure suspended by the regulator handling a complaint (《招标投标法实施条例》第六十二条;
 * 财政部令第94号 第二十八条). While a suspension is in force the lot's jobs wait and its steps are refused.
 */
export interface ProcedureSuspensionsTable {
  id: string;
  lot_id: string;
  /** What ordered it, e.g. 'complaint:<id>'. */
  cause: string;
  reason: string;
  /** The rule it rests on, cited in every refusal. */
  citation: string;
  started_at: Date;
  /** Ends by itself then (94号令: ≤30 日); null = until resumed. */
  until: Date | null;
  ended_at: Date | null;
  ordered_by: string | null;
  ended_by: string | null;
}

export interface ProceduresTables {
  procedure_suspensions: ProcedureSuspensionsTable;
}
