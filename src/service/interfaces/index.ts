/**
 * 第三方交易系统接入与统一交易数据汇总端口 (§29, §31): SM2 credentials of 平台目录 systems, signed requests,
 * the aggregation port and its folding into the statistics. See docs/interface-spec.md.
 */
export { listOwnRecords, listPushes, pushRecords, pushSource } from './aggregation.ts';
export { authenticateSystem, type SignedSystemRequest } from './auth.ts';
export { factsOfDeal, instantOf, yuanOf } from './facts.ts';
export { interfacesMigrations } from './migrations.ts';
export { type InterfaceRouteDeps, registerInterfaceRoutes } from './routes.ts';
export {
  MAX_RECORDS_PER_PUSH,
  type PushBody,
  type PushResult,
  RESULT_STATUS_NAMES_ZH,
  type RecordResult,
  SYSTEM_HEADER,
  type SystemView,
} from './schemas.ts';
export {
  type InterfacesContext,
  type InterfacesDb,
  PUSH_WITNESS_TYPE,
  registerSystem,
  revokeSystem,
  SYSTEM_WITNESS_TYPE,
} from './systems.ts';
export type { InterfacesTables } from './tables.ts';
