import { NotFound, RuleViolation } from '../../platform/errors.ts';
import { yuanToFen } from '../../platform/money/index.ts';
import type { ReadDb } from './context.ts';
import { findLot, getProcedure, type LotSummary } from './deps.ts';
import type { Law } from './rules.ts';
import { type LotTerms, lotTerms, wordingOf } from './terms.ts';

export interface DepositLot {
  lot: LotSummary;
  terms: LotTerms;
  law: Law;
  /** Null when the lot asks no deposit. */
  requiredYuan: string | null;
}

/**
 * The lot with its deposit terms (its published tender timeline, or the terms an auction set); NotFound
 * before its announcement is published.
 */
export async function loadDepositLot(db: ReadDb, lotId: string): Promise<DepositLot> {
  const [lot, terms] = await Promise.all([findLot(db, lotId), lotTerms(db, lotId)]);
  if (!lot || !terms) {
    const rights = lot != null && getProcedure(lot.procedureType).law === 'rights';
    throw new NotFound('LOT_NOT_ANNOUNCED', {
      title: rights ? '交易标的尚未发布出让（转让）公告' : '标段（包）不存在或尚未发布招标（采购）公告',
    });
  }
  const required = terms.depositYuan !== null && yuanToFen(terms.depositYuan) > 0n;
  return { lot, terms, law: terms.law, requiredYuan: required ? terms.depositYuan : null };
}

export function assertDepositRequired(d: DepositLot): string {
  if (d.requiredYuan === null) {
    const w = wordingOf(d.law);
    throw new RuleViolation('DEPOSIT_NOT_REQUIRED', {
      title: d.law === 'rights' ? '本交易标的不收取竞买保证金' : '本标段（包）不收取投标保证金',
      detail: `${w.lot} ${d.lot.code} 的${w.notice}未要求缴纳${w.deposit}。`,
    });
  }
  return d.requiredYuan;
}

export function assertBeforeDeadline(d: DepositLot, now: Date, what: string): void {
  if (now.getTime() >= d.terms.deadline.getTime()) {
    const w = wordingOf(d.law);
    throw new RuleViolation('DEPOSIT_AFTER_DEADLINE', {
      title: `已过${w.deadline}`,
      detail: `${what}须在${w.deadline}前办理；${w.deadline}已过。`,
      citation: w.deadlineCitation,
    });
  }
}
