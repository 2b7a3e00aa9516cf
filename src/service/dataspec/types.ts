/**
 * 数据规范 (the provincial data specification 4.0/4.1, reference/data-spec-v4-fields.txt): one table's
 * fields and each field's rules, as the generator reads them (scripts/gen-dataspec-fields.mjs).
 */
export interface DataspecField {
  /** Field name, e.g. BID_SECTION_CODE. */
  name: string;
  /** 中文名, e.g. 标段（包）编号. */
  nameZh: string;
  /** M: 必填. */
  mandatory?: boolean;
  /** len=N: exactly N characters. */
  length?: number;
  /** max=N: at most N characters. */
  max?: number;
  /** max=None: no length limit. */
  unlimited?: boolean;
  /** date=…: a real calendar date (and time) in this pattern. */
  date?: 'yyyyMMdd' | 'yyyyMMddHHmmss';
  /** dom=N: a value of code table (代码表) N. */
  domain?: string;
  /** EnumMatch: a value of this enumeration (PRICE_UNIT, TRUE_OR_FALSE …). */
  enumType?: string;
  /** NumberMatch: a decimal number with at most `integer` integer digits and `decimal` decimals. */
  number?: { integer: number; decimal: number };
  /** UniqueValue: the record's key within its table. */
  unique?: boolean;
  /** CannotModify: a later version may not change it. */
  cannotModify?: boolean;
  /** AreaCodeMatch: a 行政区划代码 (6 digits) starts at this character. */
  areaCodeAt?: number;
  /** TenderProjectCodeMatch: names a record of this table (TENDER_PROJECT). */
  tenderProjectIn?: string;
}

export interface DataspecTable {
  /** The table's number in the specification (500 PROJECT …). */
  id: number;
  name: string;
  nameZh: string;
  fields: readonly DataspecField[];
}

/** One rule a value broke. */
export type FieldRule =
  | 'table'
  | 'unknown-field'
  | 'type'
  | 'mandatory'
  | 'length'
  | 'max'
  | 'date'
  | 'number'
  | 'enum'
  | 'code'
  | 'area-code'
  | 'tender-project'
  /** The aggregation port: the record lies outside the pushing system's registered scope. */
  | 'scope';

/** A field that broke a rule, said in Chinese for the person who has to fix the record. */
export interface FieldProblem {
  /** The field's name, or '' for the record as a whole (unknown table). */
  field: string;
  rule: FieldRule;
  message: string;
}

/** The platform's own identifiers in the data specification (from config, GGZY_PLATFORM_CODE …). */
export interface PlatformCodes {
  /** 交易系统标识码 PLATFORM_CODE, 18 characters. */
  platformCode: string;
  /** 交易服务系统标识码 PUB_SERVICE_PLAT_CODE, 18 characters. */
  pubServicePlatCode: string;
  /** 交易平台或发布工具标识码 TRADE_PLAT, 11 characters. */
  tradePlat: string;
  /** 公共服务平台标识码 PUB_SERVICE_PLAT, 11 characters. */
  pubServicePlat: string;
  /** 交易系统编号 TRADE_SYSTEM_NO, 12 characters. */
  tradeSystemNo: string;
  /** 交易中心名称 TRAD_CENTER_NAME. */
  centreName: string;
}

/** A record in the data specification: field name → value, every value a string. */
export type DataspecRecord = Record<string, string>;

export interface TableRecord {
  table: string;
  record: DataspecRecord;
}
