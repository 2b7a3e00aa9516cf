import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import type { JobTables } from '../../platform/jobs/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type { WitnessTables } from '../../platform/witness/index.ts';
import type {
  AwardsDb,
  BidsDb,
  DepositsDb,
  EvaluationDb,
  OpendataTables,
  OpeningDb,
  ProceduresTables,
  ScopesTables,
} from './deps.ts';
import type { MonitoringTables } from './tables.ts';

/** The tables the monitoring reads: its own, and the trading records through their modules' ports. */
export type MonitoringDb = MonitoringTables &
  ScopesTables &
  WitnessTables &
  JobTables &
  IdentityTables &
  BidsDb &
  DepositsDb &
  EvaluationDb &
  AwardsDb &
  OpeningDb &
  OpendataTables &
  ProceduresTables;

export type Tx = Transaction<MonitoringDb>;
export type ReadDb = Kysely<MonitoringDb>;

export interface MonitoringLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Everything the monitoring's use cases and jobs share (one per platform instance). */
export interface MonitoringDeps {
  db: ReadDb;
  clock: Clock;
  /** Opens the sealed bidder fields of the trading records (after the opening). */
  sealer: FieldSealer;
  logger?: MonitoringLogger;
}

export type MonitoringContext = UseCaseContext<MonitoringDb> & { deps: MonitoringDeps };

/** Witness entity types. */
export const WITNESS = {
  alert: 'monitoring-alert',
  rule: 'monitoring-rule',
  run: 'monitoring-run',
} as const;

export const RERUN_JOB = 'monitoring.rerun';
export const FOLLOW_JOB = 'monitoring.follow';

/** Where the monitoring and its handling rest. */
export const CITATIONS = {
  monitoring: '《内蒙古自治区公共资源交易管理办法》第七条、第四十二条',
  handling:
    '《内蒙古自治区公共资源交易管理办法》第三十九条（行政监督管理部门应及时查办报告事项并反馈处理结果）',
} as const;
