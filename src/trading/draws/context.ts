import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import {
  appendWitnessEvent,
  type CheckpointSigner,
  type WitnessOrigin,
} from '../../platform/witness/index.ts';
import type { BidsDb, ExpertsDb } from './deps.ts';
import type { DrawsTables } from './tables.ts';

/** The tables the draw reads: its own, the experts pool (through its functions), lots, bids, kernel. */
export type DrawsDb = DrawsTables & ExpertsDb & BidsDb;
export type Tx = Transaction<DrawsDb>;
export type ReadDb = Kysely<DrawsDb>;

/** Everything the draw's use cases share (one per platform instance). */
export interface DrawsDeps {
  db: ReadDb;
  clock: Clock;
  sealer: FieldSealer;
  /** GGZY_SMS_GATEWAY_URL: notices are POSTed there as JSON; null → marked 未配置短信网关. */
  smsGatewayUrl: string | null;
  /** The checkpoint signer, loaded once (witness module's key). */
  signer(): Promise<CheckpointSigner>;
}

export type DrawsContext = UseCaseContext<DrawsDb> & { deps: DrawsDeps };

/** Witness entity types. Events about an assignment never name the expert before the reveal. */
export const WITNESS = {
  draw: 'expert-draw',
  assignment: 'expert-assignment',
  notification: 'expert-notification',
  rule: 'draw-rule',
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

export const ROUND_JOB = 'expert-draws.complete-round';
export const WINDOW_END_JOB = 'expert-draws.window-end';
export const REVEAL_JOB = 'expert-draws.reveal';
export const SMS_JOB = 'expert-draws.send-sms';
export const SUPPLEMENTARY_JOB = 'expert-draws.supplementary';
export const RECHECK_JOB = 'expert-draws.recheck-bidders';

/** Citations of the rules this module enforces. */
export const CITATIONS = {
  random: '《中华人民共和国招标投标法实施条例》第四十六条第一款',
  designation: '《中华人民共和国招标投标法实施条例》第四十六条第一款',
  replacement: '《中华人民共和国招标投标法实施条例》第四十六条第二款',
  conflict: '《中华人民共和国招标投标法实施条例》第四十六条第三款、第四十八条第三款',
  secrecy: '《中华人民共和国招标投标法》第三十七条第五款',
  remote: '《内蒙古自治区公共资源交易管理办法》第十九条',
  avoidCodes: '《全国公共资源交易平台数据规范》回避原因代码（9547）',
} as const;
