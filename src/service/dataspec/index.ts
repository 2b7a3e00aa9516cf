/**
 * 数据规范 (national/provincial data specification 4.0/4.1): the field tables, their validation, and the
 * records of the platform's own processes. See docs/interface-spec.md.
 */
export { CLASSIFY_CODE_PATTERN, CODE_TABLES, type CodeTable, codeTable } from './codes.ts';
export { DATASPEC_SOURCE, DATASPEC_TABLES } from './fields.ts';
export { dealCodesOf, recordKeyOf } from './keys.ts';
export { platformCodesOf } from './platform-codes.ts';
export { dataspecDate, dataspecRecordsOf, dataspecTime, unifiedDealCodeOf } from './records.ts';
export type {
  DataspecField,
  DataspecRecord,
  DataspecTable,
  FieldProblem,
  FieldRule,
  PlatformCodes,
  TableRecord,
} from './types.ts';
export {
  dataspecFields,
  dataspecTable,
  EXCHANGE_FIELDS,
  isAreaCode,
  isRealDate,
  type ValidateOptions,
  validateRecord,
} from './validate.ts';
