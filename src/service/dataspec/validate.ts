import { isKnownProvincePrefix, isKnownRegion } from '../regions/index.ts';
import { CLASSIFY_CODE_PATTERN, codeTable } from './codes.ts';
import { DATASPEC_TABLES } from './fields.ts';
import type { DataspecField, DataspecTable, FieldProblem, FieldRule } from './types.ts';

/**
 * 交换字段: the platform identifiers and the version stamp that every exchanged record carries
 * (reference/standards.md §3.B; the rules are those of table 9001 TENDER_QUALIFICATION, the fullest
 * definition in the reference). They are accepted — and required — on every table.
 */
export const EXCHANGE_FIELDS: readonly DataspecField[] = [
  { name: 'PLATFORM_CODE', nameZh: '交易系统标识码', mandatory: true, length: 18 },
  { name: 'PUB_SERVICE_PLAT_CODE', nameZh: '交易服务系统标识码', mandatory: true, length: 18 },
  { name: 'DATA_TIMESTAMP', nameZh: '数据时间戳', mandatory: true, date: 'yyyyMMddHHmmss' },
  { name: 'TRADE_PLAT', nameZh: '交易平台或发布工具标识码', mandatory: true, length: 11 },
  { name: 'PUB_SERVICE_PLAT', nameZh: '公共服务平台标识码', mandatory: true, length: 11 },
];

interface CompiledTable {
  table: DataspecTable;
  fields: Map<string, DataspecField>;
}

const compiled = new Map<string, CompiledTable>();
for (const table of DATASPEC_TABLES) {
  const fields = new Map<string, DataspecField>();
  for (const f of EXCHANGE_FIELDS) fields.set(f.name, f);
  // A table that defines an exchange field itself: its own definition, made mandatory as exchanged.
  for (const f of table.fields) {
    const exchange = fields.get(f.name);
    fields.set(f.name, exchange ? { ...f, ...exchange, nameZh: f.nameZh } : f);
  }
  compiled.set(table.name, { table, fields });
}

export function dataspecTable(name: string): DataspecTable | undefined {
  return compiled.get(name)?.table;
}

/** Every field a record of the table may carry, the exchange fields included. */
export function dataspecFields(name: string): DataspecField[] {
  return [...(compiled.get(name)?.fields.values() ?? [])];
}

export interface ValidateOptions {
  /**
   * TenderProjectCodeMatch: the 招标项目编号 that exist (pushed before or in the same call). Without it the
   * reference is checked for format only.
   */
  tenderProjectCodes?: ReadonlySet<string>;
}

const DATE_PATTERNS = {
  yyyyMMdd: /^(\d{4})(\d{2})(\d{2})$/,
  yyyyMMddHHmmss: /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/,
} as const;

/** A real calendar date (and time of day): 20260230 and 20260101246000 are not. */
export function isRealDate(value: string, pattern: 'yyyyMMdd' | 'yyyyMMddHHmmss'): boolean {
  const m = DATE_PATTERNS[pattern].exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  if (pattern === 'yyyyMMddHHmmss') {
    const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
    if (hour > 23 || minute > 59 || second > 59) return false;
  }
  return true;
}

const numberPatterns = new Map<string, RegExp>();
function numberPattern(integer: number, decimal: number): RegExp {
  const id = `${integer}.${decimal}`;
  let pattern = numberPatterns.get(id);
  if (!pattern) {
    pattern = new RegExp(decimal > 0 ? `^\\d{1,${integer}}(\\.\\d{1,${decimal}})?$` : `^\\d{1,${integer}}$`);
    numberPatterns.set(id, pattern);
  }
  return pattern;
}

/**
 * AreaCodeMatch: six digits at `at` that name a 行政区划. Inner Mongolia's codes are checked against the
 * full table of its 盟市 and 旗县区; other provinces' codes by their province (the platform holds no other
 * province's county table).
 */
export function isAreaCode(value: string, at: number): boolean {
  const code = value.slice(at, at + 6);
  if (!/^\d{6}$/.test(code)) return false;
  if (code.startsWith('15')) return isKnownRegion(code);
  return isKnownProvincePrefix(code.slice(0, 2));
}

const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);
const charCount = (value: string) => {
  let n = 0;
  for (const _ of value) n++;
  return n;
};

function listValues(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} ${v}`)
    .join('、');
}

/**
 * Checks one record against its table of the data specification: every field known to the table, every
 * value a string, mandatory fields present, lengths (characters), real dates, numbers, enumerations and
 * code tables, 行政区划代码. Returns every problem, each naming the field's Chinese name and the rule.
 */
export function validateRecord(table: string, record: unknown, opts: ValidateOptions = {}): FieldProblem[] {
  const spec = compiled.get(table);
  if (!spec) {
    return [
      { field: '', rule: 'table', message: `未知的数据表「${shown(String(table))}」，不在数据规范中。` },
    ];
  }
  const label = `${spec.table.name}（${spec.table.nameZh}）`;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return [{ field: '', rule: 'type', message: `${label}的记录须为 JSON 对象（字段名 → 字符串值）。` }];
  }
  const values = record as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const add = (field: DataspecField, rule: FieldRule, message: string) =>
    problems.push({ field: field.name, rule, message: `${field.nameZh}（${field.name}）${message}` });

  for (const key of Object.keys(values)) {
    if (!spec.fields.has(key)) {
      problems.push({
        field: key,
        rule: 'unknown-field',
        message: `字段「${shown(key)}」不属于${label}，数据规范中没有该字段。`,
      });
    }
  }
  for (const field of spec.fields.values()) {
    const raw = values[field.name];
    if (raw === undefined || raw === null || raw === '') {
      if (field.mandatory) add(field, 'mandatory', '为必填项，不能为空。');
      continue;
    }
    if (typeof raw !== 'string') {
      add(field, 'type', `的值须为字符串，收到 ${typeof raw}。`);
      continue;
    }
    const value = raw;
    if (field.length !== undefined) {
      const n = charCount(value);
      if (n !== field.length) add(field, 'length', `长度应为 ${field.length} 个字符，实际为 ${n} 个。`);
    }
    if (field.max !== undefined) {
      const n = charCount(value);
      if (n > field.max) add(field, 'max', `长度不得超过 ${field.max} 个字符，实际为 ${n} 个。`);
    }
    if (field.date && !isRealDate(value, field.date)) {
      add(
        field,
        'date',
        `应为 ${field.date} 格式的真实日期${field.date === 'yyyyMMdd' ? '' : '时间'}，收到「${shown(value)}」。`,
      );
    }
    if (field.number && !numberPattern(field.number.integer, field.number.decimal).test(value)) {
      add(
        field,
        'number',
        field.number.decimal > 0
          ? `应为整数部分不超过 ${field.number.integer} 位、小数部分不超过 ${field.number.decimal} 位的数字，收到「${shown(value)}」。`
          : `应为不超过 ${field.number.integer} 位的整数，收到「${shown(value)}」。`,
      );
    }
    if (field.enumType) {
      const codes = codeTable(field.enumType);
      if (codes && !Object.hasOwn(codes.values, value)) {
        add(
          field,
          'enum',
          `的值「${shown(value)}」不在枚举 ${codes.id}（${codes.nameZh}）中，可用值：${listValues(codes.values)}。`,
        );
      }
    }
    if (field.domain) {
      if (field.domain === '5001') {
        if (!CLASSIFY_CODE_PATTERN.test(value)) {
          add(
            field,
            'code',
            `的值「${shown(value)}」不符合代码表 5001（标段分类代码）：应为 7 位，首位 A–E，其后两位专业类别 00–10，再接 4 位。`,
          );
        }
      } else {
        const codes = codeTable(field.domain);
        if (codes && !Object.hasOwn(codes.values, value)) {
          add(
            field,
            'code',
            `的值「${shown(value)}」不在代码表 ${codes.id}（${codes.nameZh}）中，可用值：${listValues(codes.values)}。`,
          );
        }
      }
    }
    if (field.areaCodeAt !== undefined && !isAreaCode(value, field.areaCodeAt)) {
      add(
        field,
        'area-code',
        field.areaCodeAt === 0
          ? `的值「${shown(value)}」不是有效的行政区划代码。`
          : `第 ${field.areaCodeAt + 1} 位起的 6 位「${shown(value.slice(field.areaCodeAt, field.areaCodeAt + 6))}」不是有效的行政区划代码。`,
      );
    }
    if (field.tenderProjectIn && opts.tenderProjectCodes && !opts.tenderProjectCodes.has(value)) {
      add(
        field,
        'tender-project',
        `「${shown(value)}」没有对应的 ${field.tenderProjectIn}（招标项目）记录，请先推送招标项目。`,
      );
    }
  }
  return problems;
}
