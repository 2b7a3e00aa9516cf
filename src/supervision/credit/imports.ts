import { randomUUID } from 'node:crypto';
import {
  type CalendarDate,
  compareDates,
  isCalendarDate,
  shanghaiDateOf,
} from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { appendWitnessEvent, canonicalJson } from '../../platform/witness/index.ts';
import {
  checkCreditCode,
  checkIdNumber,
  normalizeCreditCode,
  normalizeIdNumber,
} from '../../service/entities/index.ts';
import { CsvSyntaxError, parseCsv } from './csv.ts';
import { assertOperator, type CreditContext, readerScope } from './policy.ts';
import { GP_CREDIT_CITATION } from './rules.ts';
import type { ImportInput } from './schemas.ts';
import * as store from './store.ts';
import type { ExternalListKind, RejectedRow } from './tables.ts';
import { type ImportViewT, listNameOf, toImportView } from './views.ts';

export const IMPORT_WITNESS_TYPE = 'credit-list-import';

/** Column names a list file may use (the 信用中国 and 中国政府采购网 exports use the Chinese ones). */
const COLUMN_ALIASES: Record<string, string[]> = {
  name: ['name', '名称', '主体名称', '当事人名称', '企业名称', '被执行人名称', '单位名称', '姓名'],
  creditCode: ['creditcode', 'credit_code', '统一社会信用代码', '信用代码', '社会信用代码'],
  idNumber: ['idnumber', 'id_number', '身份证号码', '身份证号', '证件号码'],
  recordNumber: ['recordnumber', 'record_number', '记录编号', '案号', '文号', '编号', '决定文书号'],
  restrictedFrom: [
    'restrictedfrom',
    'restricted_from',
    '列入日期',
    '起始日期',
    '开始日期',
    '处罚日期',
    '发布日期',
  ],
  restrictedUntil: [
    'restricteduntil',
    'restricted_until',
    '截止日期',
    '结束日期',
    '禁止期限截止日期',
    '移出日期',
  ],
  authority: ['authority', '认定机关', '执行法院', '处罚机关', '决定机关', '列入机关'],
  reason: ['reason', '事由', '失信情形', '违法事实', '案件性质', '不良行为具体情形'],
};

const FIELD_NAMES_ZH: Record<string, string> = {
  name: '名称',
  creditCode: '统一社会信用代码',
  idNumber: '身份证号码',
  recordNumber: '记录编号',
  restrictedFrom: '列入日期',
  restrictedUntil: '截止日期',
};

function columnOf(header: string): string | null {
  const h = header.trim().toLowerCase();
  for (const [field, aliases] of Object.entries(COLUMN_ALIASES)) {
    if (aliases.includes(h)) return field;
  }
  return null;
}

interface RawRow {
  line: number;
  values: Record<string, string>;
}

interface GoodRow {
  line: number;
  name: string;
  creditCode: string | null;
  idNumber: string | null;
  recordNumber: string;
  restrictedFrom: CalendarDate | null;
  restrictedUntil: CalendarDate | null;
  authority: string | null;
  reason: string | null;
}

function rowsOfCsv(content: string): RawRow[] {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(content);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new InvalidInput('CREDIT_IMPORT_CSV_INVALID', {
        title: '名单文件不是有效的 CSV',
        detail: error.message,
        extensions: { line: error.line },
      });
    }
    throw error;
  }
  const [header, ...body] = records;
  if (!header) throw new InvalidInput('CREDIT_IMPORT_EMPTY', { title: '名单文件是空的' });
  const columns = header.fields.map(columnOf);
  for (const needed of ['name', 'recordNumber']) {
    if (!columns.includes(needed)) {
      throw new InvalidInput('CREDIT_IMPORT_COLUMN_MISSING', {
        title: `名单文件缺少“${FIELD_NAMES_ZH[needed]}”列`,
        detail: `第 1 行（表头）须包含：名称、统一社会信用代码（或身份证号码）、记录编号；可选：列入日期、截止日期、认定机关、事由。`,
        extensions: { line: header.line },
      });
    }
  }
  if (!columns.includes('creditCode') && !columns.includes('idNumber')) {
    throw new InvalidInput('CREDIT_IMPORT_COLUMN_MISSING', {
      title: '名单文件缺少“统一社会信用代码”列',
      detail: '第 1 行（表头）须包含统一社会信用代码或身份证号码列。',
      extensions: { line: header.line },
    });
  }
  return body.map((record) => {
    const values: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (column) values[column] = (record.fields[i] ?? '').trim();
    });
    return { line: record.line, values };
  });
}

function rowsOfJson(items: unknown[]): RawRow[] {
  return items.map((item, i) => {
    const values: Record<string, string> = {};
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      for (const [key, value] of Object.entries(item)) {
        const column = columnOf(key);
        if (column && value !== null && value !== undefined) values[column] = String(value).trim();
      }
    }
    return { line: i + 1, values };
  });
}

function parseJsonContent(content: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new InvalidInput('CREDIT_IMPORT_JSON_INVALID', {
      title: '名单文件不是有效的 JSON',
      detail: error instanceof Error ? error.message : String(error),
    });
  }
  if (Array.isArray(parsed)) return parsed;
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { rows?: unknown }).rows)) {
    return (parsed as { rows: unknown[] }).rows;
  }
  throw new InvalidInput('CREDIT_IMPORT_JSON_INVALID', {
    title: 'JSON 名单须为数组，或含 rows 数组的对象',
  });
}

/** Validates each row; a bad row is reported by its line and left out, the good ones are kept. */
export function validateRows(raw: RawRow[], unit: '行' | '条'): { good: GoodRow[]; rejected: RejectedRow[] } {
  const good: GoodRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  for (const { line, values } of raw) {
    const problems: string[] = [];
    const name = values.name ?? '';
    if (!name) problems.push('缺少名称');
    if (name.length > 200) problems.push('名称超过 200 个字');
    const creditCode = values.creditCode ? normalizeCreditCode(values.creditCode) : null;
    const idNumber = values.idNumber ? normalizeIdNumber(values.idNumber) : null;
    if (!creditCode && !idNumber) problems.push('缺少统一社会信用代码（自然人为身份证号码）');
    if (creditCode) {
      const check = checkCreditCode(creditCode);
      if (!check.ok) problems.push(`统一社会信用代码 ${creditCode} 不正确：${check.message}`);
    }
    if (idNumber) {
      const check = checkIdNumber(idNumber);
      if (!check.ok) problems.push(`身份证号码不正确：${check.message}`);
    }
    const recordNumber = values.recordNumber ?? '';
    if (!recordNumber) problems.push('缺少记录编号（案号、文号）');
    const dateOf = (field: 'restrictedFrom' | 'restrictedUntil'): CalendarDate | null => {
      const v = values[field];
      if (!v) return null;
      const normalized = v
        .replace(/\//g, '-')
        .replace(/^(\d{4})-(\d)-/, '$1-0$2-')
        .replace(/-(\d)$/, '-0$1');
      if (!isCalendarDate(normalized)) {
        problems.push(`${FIELD_NAMES_ZH[field]}“${v}”不是有效日期（YYYY-MM-DD）`);
        return null;
      }
      return normalized;
    };
    const restrictedFrom = dateOf('restrictedFrom');
    const restrictedUntil = dateOf('restrictedUntil');
    if (restrictedFrom && restrictedUntil && compareDates(restrictedUntil, restrictedFrom) < 0) {
      problems.push('截止日期早于列入日期');
    }
    const key = `${creditCode ?? idNumber}|${recordNumber}`;
    if (problems.length === 0 && seen.has(key)) problems.push('与前面的行重复（同一主体、同一记录编号）');
    if (problems.length > 0) {
      rejected.push({ line, message: `第 ${line} ${unit}：${problems.join('；')}` });
      continue;
    }
    seen.add(key);
    good.push({
      line,
      name,
      creditCode,
      idNumber,
      recordNumber,
      restrictedFrom,
      restrictedUntil,
      authority: values.authority?.slice(0, 200) || null,
      reason: values.reason?.slice(0, 1000) || null,
    });
  }
  return { good, rejected };
}

/**
 * 外部名单导入: the trading centre imports a list (失信被执行人, 重大税收违法案件当事人, 政府采购严重违法失信
 * 行为记录名单) downloaded from its source, with the 查询时点 (as-of date). Bad rows are reported by line and
 * left out; the batch is recorded with its counts and the SM3 of what was uploaded, and witnessed. From its
 * as-of date it supersedes the earlier batch of the same source and kind, which stays on record.
 */
export async function importList(ctx: CreditContext, input: ImportInput): Promise<ImportViewT> {
  const actor = assertOperator(ctx.actor, '导入外部信用名单');
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const asOf = input.asOf as CalendarDate;
  if (compareDates(asOf, today) > 0) {
    throw new InvalidInput('CREDIT_IMPORT_AS_OF_FUTURE', {
      title: '查询时点不能晚于今天',
      detail: `填写的查询时点为 ${asOf}，今天是 ${today}。`,
      citation: GP_CREDIT_CITATION,
      extensions: { field: 'asOf' },
    });
  }
  let raw: RawRow[];
  let unit: '行' | '条';
  let digestOf: string;
  if (input.rows) {
    raw = rowsOfJson(input.rows);
    unit = '条';
    digestOf = canonicalJson(input.rows);
  } else {
    const content = input.content ?? '';
    digestOf = content;
    if (input.format === 'json') {
      raw = rowsOfJson(parseJsonContent(content));
      unit = '条';
    } else {
      raw = rowsOfCsv(content);
      unit = '行';
    }
  }
  if (raw.length === 0) throw new InvalidInput('CREDIT_IMPORT_EMPTY', { title: '名单中没有数据行' });
  const { good, rejected } = validateRows(raw, unit);
  const contentSm3 = sm3Hex(digestOf);
  const listKind = input.listKind as ExternalListKind;
  const base = {
    source: input.source,
    list_kind: listKind,
    as_of: asOf,
    format: input.rows ? ('json' as const) : input.format,
    content_sm3: contentSm3,
    total_rows: raw.length,
    accepted_rows: good.length,
    rejected_rows: rejected.length,
    note: input.note ?? null,
    imported_by: actor.accountId,
    imported_by_name: actor.displayName,
    imported_at: now,
  };
  if (input.dryRun) {
    return { ...toImportView({ ...base, id: '', rejected }), id: null, dryRun: true };
  }
  if (good.length === 0) {
    // An empty batch would supersede the list in force and clear it.
    throw new RuleViolation('CREDIT_IMPORT_NO_VALID_ROWS', {
      title: '名单中没有一行通过校验，未导入',
      detail: rejected
        .slice(0, 5)
        .map((r) => r.message)
        .join('\n'),
      extensions: { rejected },
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const id = randomUUID();
    const row = await store.insertImport(tx, { ...base, id, rejected: JSON.stringify(rejected) });
    await store.insertEntries(
      tx,
      good.map((g) => ({
        import_id: id,
        line: g.line,
        name: g.name,
        credit_code: g.creditCode,
        id_number: g.idNumber,
        record_number: g.recordNumber,
        restricted_from: g.restrictedFrom,
        restricted_until: g.restrictedUntil,
        authority: g.authority,
        reason: g.reason,
      })),
    );
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: IMPORT_WITNESS_TYPE,
      entityId: id,
      action: 'credit-list.imported',
      payload: {
        source: input.source,
        listKind,
        asOf,
        format: base.format,
        contentSm3,
        totalRows: raw.length,
        acceptedRows: good.length,
        rejectedRows: rejected.length,
        rejectedLines: rejected.map((r) => r.line),
      },
    });
    return toImportView(row);
  });
}

export async function listImports(ctx: CreditContext, page: { limit: number; offset: number }) {
  await readerScope(ctx);
  const { items, total } = await store.listImports(ctx.db, page);
  return { total, items: items.map((r) => toImportView(r)) };
}

export async function getImport(ctx: CreditContext, id: string, page: { limit: number; offset: number }) {
  await readerScope(ctx);
  const row = await store.findImport(ctx.db, id);
  if (!row) throw new NotFound('CREDIT_IMPORT_NOT_FOUND', { title: '导入批次不存在' });
  const [superseding, entries] = await Promise.all([
    store.supersedingBatch(ctx.db, row),
    store.listEntriesOf(ctx.db, id, page),
  ]);
  return {
    batch: toImportView(row, superseding ?? null),
    entries: entries.map((e) => toEntryView(e)),
  };
}

function toEntryView(e: store.EntryRow, batch?: { source: string; list_kind: string; as_of: string }) {
  return {
    line: e.line,
    name: e.name,
    creditCode: e.credit_code,
    idNumber: e.id_number,
    recordNumber: e.record_number,
    restrictedFrom: e.restricted_from,
    restrictedUntil: e.restricted_until,
    authority: e.authority,
    reason: e.reason,
    ...(batch ? { source: batch.source, listName: listNameOf(batch.list_kind), asOf: batch.as_of } : {}),
  };
}

/** Staff look-up in every imported batch (history included). */
export async function searchListEntries(ctx: CreditContext, q: string) {
  await readerScope(ctx);
  const rows = await store.searchEntries(ctx.db, q, 100);
  return { items: rows.map((r) => toEntryView(r, r)) };
}
