import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import type { JobTables } from '../../platform/jobs/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import {
  appendWitnessEvent,
  type CheckpointSigner,
  type WitnessOrigin,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import type { EntitiesDb, ProjectsDb, ScopesTables } from './deps.ts';
import type { InspectionsTables } from './tables.ts';

/** The tables the spot checks read: their own, and the kernel's and other modules' through their ports. */
export type InspectionsDb = InspectionsTables &
  WitnessTables &
  JobTables &
  IdentityTables &
  ScopesTables &
  ProjectsDb &
  EntitiesDb;
export type Tx = Transaction<InspectionsDb>;
export type ReadDb = Kysely<InspectionsDb>;

/** One per platform instance. */
export interface InspectionsDeps {
  db: ReadDb;
  clock: Clock;
  /** Seals a round's seed between its commitment and its draw. */
  sealer: FieldSealer;
  /** The witness log's checkpoint signer (loaded once). */
  signer(): Promise<CheckpointSigner>;
}

export type InspectionsContext = UseCaseContext<InspectionsDb> & { deps: InspectionsDeps };

/** Witness entity types. */
export const WITNESS = {
  list: 'spot-check-list',
  plan: 'spot-check-plan',
  batch: 'spot-check-batch',
  assignment: 'spot-check-assignment',
  member: 'spot-check-member',
} as const;

export function witness(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  entityType: string,
  entityId: string,
  action: string,
  payload: unknown,
) {
  return appendWitnessEvent(tx, at, origin, { entityType, entityId, action, payload });
}

export const COMPLETE_ROUND_JOB = 'spot-checks.complete-round';
export const PUBLICATION_DUE_JOB = 'spot-checks.publication-due';

/** Defaults of a batch. */
export const DEFAULTS = {
  inspectorsPerTarget: 2,
  /** 广西财政厅 2017 practice: agencies inspected in the last 3 years are excluded (🟡). */
  exclusionYears: 3,
  /** 结果公示 within 20 working days: NOT verified in any national text (reference T24 ⚠️). */
  publishWorkingDays: 20,
} as const;

/** Citations of the rules this module applies. */
export const CITATIONS = {
  doubleRandom:
    '《内蒙古自治区公共资源交易管理办法》第三十八条（采用“双随机、一公开”工作模式对交易项目进行抽查检查）',
  lists:
    '《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）“一单两库”',
  twoInspectors: '“双随机、一公开”实践：每个检查对象至少由2名执法检查人员实施检查',
  recusal: '执法检查人员与检查对象有利害关系的，应当回避（“双随机、一公开”抽查实践）',
  publication: '《内蒙古自治区公共资源交易管理办法》第三十八条；抽查结果及时向社会公开（“一公开”）',
} as const;
