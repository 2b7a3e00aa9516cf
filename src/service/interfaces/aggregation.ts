import { randomUUID } from 'node:crypto';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { appendWitnessEvent } from '../../platform/witness/index.ts';
import { type ProcessFacts, upsertProcessFacts } from '../../supervision/statistics/index.ts';
import {
  type DataspecRecord,
  dataspecTable,
  dealCodesOf,
  type FieldProblem,
  recordKeyOf,
  validateRecord,
} from '../dataspec/index.ts';
import { type DealRecord, factsOfDeal } from './facts.ts';
import type { PushBody, PushResult, RecordResult } from './schemas.ts';
import * as store from './store.ts';
import {
  type InterfacesContext,
  PUSH_WITNESS_TYPE,
  type ReadDb,
  requireOperator,
  scopeOf,
} from './systems.ts';

/** The statistics source of a system's pushed records (process_facts.source). */
export const pushSource = (platformCode: string) => `push:${platformCode}`;

interface Candidate {
  index: number;
  table: string;
  data: DataspecRecord;
  key: string;
  version: string;
  dealCode: string | null;
  tenderProjectCode: string | null;
  regionCode: string | null;
}

const scopeProblem = (message: string): FieldProblem => ({ field: '', rule: 'scope', message });

/**
 * 统一的交易数据汇总端口 (§31): a system's records in the data-specification format. Each record is
 * validated field by field, checked against the system's scope (tables, region prefixes), stored once per
 * key and version (UNIFIED_DEAL_CODE or the table's key + table + DATA_TIMESTAMP), and the deals it touches
 * are folded into the statistics — all in one transaction with one witness event for the call.
 */
export async function pushRecords(
  ctx: InterfacesContext,
  system: store.SystemRow,
  body: PushBody,
  bodySm3: string,
): Promise<PushResult> {
  const at = ctx.clock.now();
  const pushId = randomUUID();
  const scope = scopeOf(system);
  const tables = new Set(scope.tables);
  const results: RecordResult[] = body.records.map((r, index) => ({
    index,
    table: r.table,
    status: 'rejected',
    key: null,
    version: null,
    problems: [],
  }));

  return ctx.db.transaction().execute(async (tx) => {
    // TenderProjectCodeMatch: the TENDER_PROJECT of this call or one pushed before.
    const batchTenderProjects = new Set<string>();
    const referenced = new Set<string>();
    for (const r of body.records) {
      const code = r.data.TENDER_PROJECT_CODE;
      if (typeof code !== 'string') continue;
      if (r.table === 'TENDER_PROJECT') batchTenderProjects.add(code);
      else referenced.add(code);
    }
    const missing = [...referenced].filter((c) => !batchTenderProjects.has(c));
    const stored = await store.knownTenderProjects(tx, system.id, missing);
    const tenderProjectCodes = new Set([...batchTenderProjects, ...stored]);

    const candidates: Candidate[] = [];
    body.records.forEach((r, index) => {
      const result = results[index]!;
      if (dataspecTable(r.table) && !tables.has(r.table)) {
        result.problems = [
          scopeProblem(`本系统未登记推送数据表 ${r.table} 的权限（已登记：${scope.tables.join('、')}）。`),
        ];
        return;
      }
      const problems = validateRecord(r.table, r.data, { tenderProjectCodes });
      if (problems.length > 0) {
        result.problems = problems;
        return;
      }
      const data = r.data as DataspecRecord;
      const version = data.DATA_TIMESTAMP ?? '';
      const key = recordKeyOf(r.table, data);
      result.key = key;
      result.version = version;
      candidates.push({
        index,
        table: r.table,
        data,
        key,
        version,
        dealCode: dealCodesOf(data)[0] ?? null,
        tenderProjectCode: data.TENDER_PROJECT_CODE ?? null,
        regionCode: data.REGION_CODE ?? null,
      });
    });

    // The region a record belongs to: its own REGION_CODE, else its deal's or tender project's.
    const dealRegions = new Map<string, string>();
    const tenderProjectRegions = new Map<string, string>();
    for (const c of candidates) {
      if (!c.regionCode) continue;
      if (c.dealCode) dealRegions.set(c.dealCode, c.regionCode);
      if (c.tenderProjectCode) tenderProjectRegions.set(c.tenderProjectCode, c.regionCode);
    }
    const unresolved = candidates.filter(
      (c) =>
        !c.regionCode &&
        !(c.dealCode && dealRegions.has(c.dealCode)) &&
        !(c.tenderProjectCode && tenderProjectRegions.has(c.tenderProjectCode)),
    );
    const known = await store.knownRegions(
      tx,
      system.id,
      [...new Set(unresolved.map((c) => c.dealCode).filter((d): d is string => d !== null))],
      [...new Set(unresolved.map((c) => c.tenderProjectCode).filter((d): d is string => d !== null))],
    );
    const accepted: Candidate[] = [];
    const seen = new Set<string>();
    for (const c of candidates) {
      c.regionCode ??=
        (c.dealCode && (dealRegions.get(c.dealCode) ?? known.deals.get(c.dealCode))) ||
        (c.tenderProjectCode &&
          (tenderProjectRegions.get(c.tenderProjectCode) ?? known.tenderProjects.get(c.tenderProjectCode))) ||
        null;
      const result = results[c.index]!;
      if (!c.regionCode) {
        result.problems = [
          scopeProblem(
            '无法确定该记录所属的行政区域：请先（或同批）推送含行政区域代码（REGION_CODE）的标段或招标项目记录。',
          ),
        ];
        continue;
      }
      if (!scope.regionPrefixes.some((p) => c.regionCode?.startsWith(p))) {
        result.problems = [
          scopeProblem(
            `记录所属行政区域 ${c.regionCode} 不在本系统登记的范围内（${scope.regionPrefixes.join('、')}），不能推送其他地区的数据。`,
          ),
        ];
        continue;
      }
      const id = `${c.table}\u0000${c.key}\u0000${c.version}`;
      if (seen.has(id)) {
        result.status = 'duplicate';
        continue;
      }
      seen.add(id);
      accepted.push(c);
    }

    const inserted = await store.insertRecords(
      tx,
      accepted.map((c) => ({
        system_id: system.id,
        table_name: c.table,
        record_key: c.key,
        version: c.version,
        deal_code: c.dealCode,
        tender_project_code: c.tenderProjectCode,
        region_code: c.regionCode,
        data: JSON.stringify(c.data),
        push_id: pushId,
        received_at: at,
      })),
    );
    const fresh = new Set(inserted.map((r) => `${r.table_name}\u0000${r.record_key}\u0000${r.version}`));
    const touchedDeals = new Set<string>();
    for (const c of accepted) {
      const isNew = fresh.has(`${c.table}\u0000${c.key}\u0000${c.version}`);
      results[c.index]!.status = isNew ? 'accepted' : 'duplicate';
      if (isNew && c.dealCode) touchedDeals.add(c.dealCode);
    }

    // 区域汇总: the deals this call changed, refolded from every stored version of their records.
    const rows = await store.recordsOfDeals(tx, system.id, [...touchedDeals]);
    const byDeal = new Map<string, DealRecord[]>();
    for (const row of rows) {
      if (!row.deal_code) continue;
      const list = byDeal.get(row.deal_code) ?? [];
      list.push({
        table: row.table_name,
        key: row.record_key,
        version: row.version,
        record: JSON.parse(row.data) as DataspecRecord,
      });
      byDeal.set(row.deal_code, list);
    }
    const facts: ProcessFacts[] = [];
    for (const [deal, list] of byDeal) {
      const f = factsOfDeal(pushSource(system.platform_code), deal, list);
      if (f) facts.push(f);
    }
    await upsertProcessFacts(tx, facts);

    const counts = {
      total: results.length,
      accepted: results.filter((r) => r.status === 'accepted').length,
      duplicate: results.filter((r) => r.status === 'duplicate').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
    };
    const event = await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: PUSH_WITNESS_TYPE,
      entityId: pushId,
      action: 'interface.records-pushed',
      payload: { system: system.platform_code, bodySm3, ...counts },
    });
    await store.insertPush(tx, {
      id: pushId,
      system_id: system.id,
      received_at: at,
      ...counts,
      results: JSON.stringify(results),
      witness_event_id: event.id,
    });
    return { pushId, receivedAt: at.toISOString(), ...counts, results };
  });
}

/** The caller's own pushed records, in the order they were stored (`after` = the last seq seen). */
export async function listOwnRecords(
  db: ReadDb,
  system: store.SystemRow,
  q: { table?: string | undefined; after?: string | undefined; limit: number },
) {
  const rows = await store.listRecords(db, {
    systemId: system.id,
    table: q.table,
    afterSeq: q.after ?? null,
    limit: q.limit,
  });
  return {
    items: rows.map((r) => ({
      seq: String(r.seq),
      table: r.table_name,
      key: r.record_key,
      version: r.version,
      dealCode: r.deal_code,
      regionCode: r.region_code,
      data: JSON.parse(r.data) as DataspecRecord,
      receivedAt: r.received_at.toISOString(),
    })),
    next: rows.length === q.limit ? String(rows[rows.length - 1]!.seq) : null,
  };
}

/** 最近推送 (operator): the latest calls with every record's result. */
export async function listPushes(
  ctx: InterfacesContext,
  q: { systemId?: string | undefined; limit: number },
) {
  requireOperator(ctx.actor);
  const rows = await store.listPushes(ctx.db, q);
  return rows.map((r) => ({
    pushId: r.id,
    receivedAt: r.received_at.toISOString(),
    total: r.total,
    accepted: r.accepted,
    duplicate: r.duplicate,
    rejected: r.rejected,
    results: JSON.parse(r.results) as RecordResult[],
    system: { id: r.system_id, platformCode: r.platform_code, name: r.name },
  }));
}

export const bodyDigest = (body: Uint8Array) => sm3Hex(body);
