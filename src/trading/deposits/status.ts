import type { Kysely } from 'kysely';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { bidderRefOf, type DepositForm, type DepositsDb } from './context.ts';
import * as store from './store.ts';
import { lotTerms } from './terms.ts';

export interface DepositStatus {
  required: boolean;
  requiredYuan: string | null;
  satisfied: boolean;
  /** Cash from the bidder's 基本账户 that arrived before the deadline and has not been refunded. */
  paidYuan: string;
  /** The forms the bidder's deposit currently stands in: 'cash' and/or 'guarantee'. */
  forms: DepositForm[];
}

/**
 * Whether a bidder's deposit for a lot is satisfied: accepted cash (from its 基本账户, value time before
 * the deadline — 投标截止 or 保证金到账截止 — not refunded, returned or converted) adds up to the amount asked,
 * or one valid 电子保函 (verified at issuance: amount ≥ asked, validity covering the deadline and the bid
 * validity) covers it. A lot that asks no deposit is satisfied. Contract: src/trading/bids reads this at
 * intake, src/trading/auctions at a bidder's first bid.
 */
export async function depositStatus(
  db: Kysely<DepositsDb>,
  sealer: FieldSealer,
  lotId: string,
  organizationId: string,
): Promise<DepositStatus> {
  const terms = await lotTerms(db, lotId);
  const requiredFen = terms?.depositYuan ? yuanToFen(terms.depositYuan) : 0n;
  if (!terms || requiredFen === 0n) {
    return { required: false, requiredYuan: null, satisfied: true, paidYuan: '0.00', forms: [] };
  }
  const ref = bidderRefOf(sealer, lotId, organizationId);
  const [transfers, guarantees, refunds] = await Promise.all([
    store.listTransfers(db, lotId, ref),
    store.listGuarantees(db, lotId, ref),
    store.listRefunds(db, lotId, ref),
  ]);
  const settled = new Set(refunds.filter((r) => r.status !== 'cancelled').map((r) => r.source_id));
  const deadline = terms.deadline.getTime();
  let paidFen = 0n;
  for (const t of transfers) {
    if (t.status === 'accepted' && !settled.has(t.id) && t.value_at.getTime() < deadline) {
      paidFen += yuanToFen(t.amount_yuan);
    }
  }
  const covering = guarantees.filter(
    (g) =>
      g.status === 'valid' &&
      !settled.has(g.id) &&
      yuanToFen(g.amount_yuan) >= requiredFen &&
      g.valid_from.getTime() <= deadline &&
      g.valid_until.getTime() >= deadline,
  );
  const forms: DepositForm[] = [];
  if (paidFen > 0n) forms.push('cash');
  if (covering.length > 0) forms.push('guarantee');
  return {
    required: true,
    requiredYuan: fenToYuan(requiredFen),
    satisfied: paidFen >= requiredFen || covering.length > 0,
    paidYuan: fenToYuan(paidFen),
    forms,
  };
}
