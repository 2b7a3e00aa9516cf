import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { RuleViolation } from '../../platform/errors.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { normalizeAccountNumber } from './cash.ts';
import type { BankAccountDetails, DepositsDb, SealedBidder } from './context.ts';
import * as store from './store.ts';
import type { TransferStatus } from './tables.ts';
import { lotTerms } from './terms.ts';

/**
 * 保证金缴纳证据 for the supervision system's risk monitoring (风险监测预警; 实施条例第四十条第（六）项
 * 不同投标人的投标保证金从同一单位或者个人的账户转出): the account each cash deposit of a lot was paid from,
 * per bidder. Who paid is secret until the opening (招标投标法第二十二条): refused before the opening time.
 */
export interface DepositPayerEvidence {
  organizationId: string;
  transferId: string;
  bankTransferId: string;
  amountYuan: string;
  /** accepted 已入账 · rejected-payer 非基本账户转入 · late 截止后到账: every transfer counts as evidence. */
  status: TransferStatus;
  /** The payer account, its number without spaces or dashes. */
  payer: BankAccountDetails;
  valueAt: Date;
  receivedAt: Date;
}

export async function readDepositEvidence(
  db: Kysely<DepositsDb>,
  sealer: FieldSealer,
  clock: Clock,
  lotId: string,
): Promise<DepositPayerEvidence[]> {
  const terms = await lotTerms(db, lotId);
  const now = clock.now();
  if (!terms || now.getTime() < terms.revealAt.getTime()) {
    throw new RuleViolation(
      'DEPOSITS_STILL_SEALED',
      terms?.law === 'rights'
        ? {
            title: '竞价尚未结束，保证金缴纳信息保密',
            detail: '竞价结束前不提供竞买人及其保证金缴纳信息。',
            citation: '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）',
          }
        : {
            title: '尚未开标，保证金缴纳信息保密',
            detail: '开标前不提供投标人及其保证金缴纳信息。',
            citation: '《中华人民共和国招标投标法》第二十二条',
          },
    );
  }
  const [accounts, transfers] = await Promise.all([
    store.listAccountsOfLot(db, lotId),
    store.listTransfers(db, lotId),
  ]);
  const bidderOf = new Map(
    accounts.map((a) => [
      a.id,
      JSON.parse(sealer.open(a.bidder_sealed, `deposit-account:${a.id}`)) as SealedBidder,
    ]),
  );
  const out: DepositPayerEvidence[] = [];
  for (const t of transfers) {
    const bidder = bidderOf.get(t.account_id);
    if (!bidder) continue;
    const payer = JSON.parse(sealer.open(t.payer_sealed, `deposit-transfer:${t.id}`)) as BankAccountDetails;
    out.push({
      organizationId: bidder.organizationId,
      transferId: t.id,
      bankTransferId: t.bank_transfer_id,
      amountYuan: t.amount_yuan,
      status: t.status,
      payer: { ...payer, accountNumber: normalizeAccountNumber(payer.accountNumber) },
      valueAt: t.value_at,
      receivedAt: t.received_at,
    });
  }
  return out;
}
