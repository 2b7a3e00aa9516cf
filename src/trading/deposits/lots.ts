import { NotFound, RuleViolation } from '../../platform/errors.ts';
import { yuanToFen } from '../../platform/money/index.ts';
import type { ReadDb } from './context.ts';
import { findLot, getLotTimeline, getProcedure, type LotSummary, type LotTimeline } from './deps.ts';
import type { Law } from './rules.ts';

export interface DepositLot {
  lot: LotSummary;
  timeline: LotTimeline;
  law: Law;
  /** Null when the tender asks no deposit. */
  requiredYuan: string | null;
}

/** The lot with its published tender timeline; NotFound before its announcement is published. */
export async function loadDepositLot(db: ReadDb, lotId: string): Promise<DepositLot> {
  const [lot, timeline] = await Promise.all([findLot(db, lotId), getLotTimeline(db, lotId)]);
  if (!lot || !timeline) {
    throw new NotFound('LOT_NOT_ANNOUNCED', {
      title: '标段（包）不存在或尚未发布招标（采购）公告',
    });
  }
  const required = timeline.depositYuan !== null && yuanToFen(timeline.depositYuan) > 0n;
  return {
    lot,
    timeline,
    law: getProcedure(lot.procedureType).law,
    requiredYuan: required ? timeline.depositYuan : null,
  };
}

export function assertDepositRequired(d: DepositLot): string {
  if (d.requiredYuan === null) {
    throw new RuleViolation('DEPOSIT_NOT_REQUIRED', {
      title: '本标段（包）不收取投标保证金',
      detail: `标段（包）${d.lot.code} 的招标（采购）公告未要求缴纳投标保证金。`,
    });
  }
  return d.requiredYuan;
}

export function assertBeforeDeadline(d: DepositLot, now: Date, what: string): void {
  if (now.getTime() >= d.timeline.bidDeadline.getTime()) {
    throw new RuleViolation('DEPOSIT_AFTER_DEADLINE', {
      title: '已过投标截止时间',
      detail: `${what}须在投标截止时间前办理；投标截止时间已过。`,
      citation: '《电子招标投标办法》第二十六条',
    });
  }
}
