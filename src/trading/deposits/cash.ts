import { randomInt, randomUUID } from 'node:crypto';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import type { WitnessOrigin } from '../../platform/witness/index.ts';
import {
  type BankAccountDetails,
  bidderRefOf,
  type DepositsContext,
  type SealedBidder,
  type Tx,
  WITNESS,
  witness,
} from './context.ts';
import { findEntityOfOrganization } from './deps.ts';
import { assertBeforeDeadline, assertDepositRequired, loadDepositLot } from './lots.ts';
import { assertResponder } from './policy.ts';
import { CITATIONS, REFUND_REASON_NAMES_ZH, RETURN_PERIOD_DAYS, refundDueAt } from './rules.ts';
import * as store from './store.ts';

/** Account numbers compare without spaces or dashes (banks print them grouped). */
export function normalizeAccountNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

function newVirtualAccount(): string {
  // 19 digits: a fixed '9' and 18 random digits (≈60 bits), unique by the table's constraint.
  let digits = '9';
  for (let i = 0; i < 18; i += 1) digits += String(randomInt(10));
  return digits;
}

/** The witness origin of a signed institution request: the institution, no person. */
export function institutionOrigin(origin: WitnessOrigin, institutionId: string): WitnessOrigin {
  return { ...origin, accountId: null, organizationId: null, role: `institution:${institutionId}` };
}

/**
 * 虚拟子账号: the responder asks for its own account number for a lot whose tender asks a deposit and
 * accepts cash, before the deadline. One per lot × bidder (asking again returns the same one).
 */
export async function requestVirtualAccount(
  ctx: DepositsContext,
  input: { lotId: string; institutionId?: string | undefined },
) {
  const { actor, organizationId } = await assertResponder(ctx.db, ctx.actor);
  const d = await loadDepositLot(ctx.db, input.lotId);
  assertDepositRequired(d);
  const forms = await ctx.acceptedForms(ctx.db, input.lotId);
  if (!forms.includes('cash')) {
    throw new RuleViolation('CASH_NOT_ACCEPTED', {
      title: '本标段（包）不接受现金保证金',
      detail: '招标文件规定投标保证金以电子保函形式提交。',
    });
  }
  const now = ctx.clock.now();
  assertBeforeDeadline(d, now, '申请保证金虚拟子账号');
  const bidderRef = bidderRefOf(ctx.sealer, input.lotId, organizationId);
  const existing = await store.findAccount(ctx.db, input.lotId, bidderRef);
  if (existing) return existing;

  const banks = (await store.listInstitutions(ctx.db)).filter(
    (i) => i.kind === 'bank' && i.status === 'active',
  );
  const bank = input.institutionId
    ? banks.find((b) => b.id === input.institutionId)
    : banks.length === 1
      ? banks[0]
      : undefined;
  if (!bank) {
    throw new InvalidInput(banks.length === 0 ? 'NO_DEPOSIT_BANK' : 'DEPOSIT_BANK_REQUIRED', {
      title: banks.length === 0 ? '平台尚未登记保证金开户银行' : '请选择保证金开户银行',
      detail:
        banks.length === 0
          ? '交易中心尚未登记可开立保证金虚拟子账号的银行，请联系交易中心。'
          : `可选银行：${banks.map((b) => b.name).join('、')}。`,
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const id = randomUUID();
      const sealed: SealedBidder = { organizationId, accountId: actor.accountId };
      const virtualAccount = newVirtualAccount();
      if (await store.findAccountByNumber(tx, virtualAccount)) continue;
      const row = await store.insertAccount(tx, {
        id,
        lot_id: input.lotId,
        bidder_ref: bidderRef,
        bidder_sealed: ctx.sealer.seal(JSON.stringify(sealed), `deposit-account:${id}`),
        institution_id: bank.id,
        virtual_account: virtualAccount,
        created_at: now,
      });
      if (!row) {
        // Two requests at once: the other one won; it is the same bidder's account.
        const other = await store.findAccount(tx, input.lotId, bidderRef);
        if (other) return other;
        continue;
      }
      await witness(tx, now, sealedOrigin(ctx.origin), WITNESS.account, id, 'deposit-account.opened', {
        bidderRef,
        institutionId: bank.id,
      });
      return row;
    }
    throw new Error('could not allocate a unique virtual account number');
  });
}

export function openBidder(ctx: Pick<DepositsContext, 'sealer'>, account: store.AccountRow): SealedBidder {
  return JSON.parse(ctx.sealer.open(account.bidder_sealed, `deposit-account:${account.id}`)) as SealedBidder;
}

export interface TransferNotice {
  virtualAccount: string;
  amountYuan: string;
  payerAccountNumber: string;
  payerAccountName: string;
  payerBankName: string;
  bankTransferId: string;
  valueTime: string;
}

/**
 * 到账通知 from the bank that holds the virtual account. It counts only if it came from the bidder's
 * 基本账户 (条例第二十六条; 办法第十八条) and its value time is before the bid deadline; otherwise it is
 * recorded as not counting and a return instruction goes back to the bank. The same bank transfer id
 * notified again changes nothing. The same payer account behind two bidders of a lot is a collusion
 * signal (条例第四十条第（六）项).
 */
export async function recordTransfer(
  ctx: DepositsContext,
  institution: store.InstitutionRow,
  notice: TransferNotice,
) {
  if (institution.kind !== 'bank') {
    throw new Forbidden('INSTITUTION_NOT_BANK', { title: '仅开户银行可发送到账通知' });
  }
  const valueAt = new Date(notice.valueTime);
  if (Number.isNaN(valueAt.getTime())) {
    throw new InvalidInput('VALUE_TIME_INVALID', {
      title: '到账时间格式错误',
      detail: '应为 ISO 8601 时间。',
    });
  }
  const now = ctx.clock.now();
  if (valueAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new InvalidInput('VALUE_TIME_IN_FUTURE', {
      title: '到账时间晚于平台当前时间',
      detail: '到账通知只能报告已经到账的款项。',
    });
  }
  const account = await store.findAccountByNumber(ctx.db, normalizeAccountNumber(notice.virtualAccount));
  if (!account) throw new NotFound('VIRTUAL_ACCOUNT_UNKNOWN', { title: '虚拟子账号不存在' });
  if (account.institution_id !== institution.id) {
    throw new Forbidden('VIRTUAL_ACCOUNT_OTHER_BANK', { title: '该虚拟子账号不属于本行' });
  }
  const amountFen = yuanToFen(notice.amountYuan);
  const earlier = await store.findTransferByBankId(ctx.db, institution.id, notice.bankTransferId);
  if (earlier) return sameTransferOrConflict(earlier, account.id, amountFen);

  const d = await loadDepositLot(ctx.db, account.lot_id);
  const bidder = openBidder(ctx, account);
  const entity = await findEntityOfOrganization(ctx.db, bidder.organizationId);
  const payer: BankAccountDetails = {
    accountNumber: normalizeAccountNumber(notice.payerAccountNumber),
    accountName: notice.payerAccountName.trim(),
    bankName: notice.payerBankName.trim(),
  };
  const fromBasicAccount =
    entity !== undefined &&
    normalizeAccountNumber(entity.basicAccount.accountNumber) === payer.accountNumber &&
    entity.basicAccount.accountName.trim() === payer.accountName;
  const beforeDeadline = valueAt.getTime() < d.terms.deadline.getTime();
  const status = !fromBasicAccount ? 'rejected-payer' : beforeDeadline ? 'accepted' : 'late';
  const payerRef = ctx.sealer.blindIndex('payer', account.lot_id, payer.accountNumber);
  const origin = institutionOrigin(ctx.origin, institution.id);

  return ctx.db.transaction().execute(async (tx) => {
    const id = randomUUID();
    const row = await store.insertTransfer(tx, {
      id,
      account_id: account.id,
      lot_id: account.lot_id,
      bidder_ref: account.bidder_ref,
      institution_id: institution.id,
      bank_transfer_id: notice.bankTransferId,
      amount_yuan: fenToYuan(amountFen),
      payer_sealed: ctx.sealer.seal(JSON.stringify(payer), `deposit-transfer:${id}`),
      payer_ref: payerRef,
      value_at: valueAt,
      received_at: now,
      status,
      reject_reason:
        status === 'rejected-payer'
          ? REFUND_REASON_NAMES_ZH['wrong-payer']
          : status === 'late'
            ? REFUND_REASON_NAMES_ZH['late-arrival']
            : null,
    });
    if (!row) {
      const raced = await store.findTransferByBankId(tx, institution.id, notice.bankTransferId);
      if (!raced) throw new Error('transfer vanished');
      return sameTransferOrConflict(raced, account.id, amountFen);
    }
    await witness(tx, now, origin, WITNESS.transfer, id, 'deposit-transfer.notified', {
      accountId: account.id,
      amountYuan: row.amount_yuan,
      status,
      bankTransferId: notice.bankTransferId,
      valueAt: valueAt.toISOString(),
    });
    let returnInstructionId: string | null = null;
    if (status !== 'accepted') {
      returnInstructionId = await issueReturn(ctx, tx, now, origin, row, payer);
    }
    await recordSamePayerSignal(ctx, tx, now, origin, row);
    return { transfer: row, returnInstructionId, replayed: false };
  });
}

function sameTransferOrConflict(earlier: store.TransferRow, accountId: string, amountFen: bigint) {
  if (earlier.account_id !== accountId || yuanToFen(earlier.amount_yuan) !== amountFen) {
    throw new RuleViolation('BANK_TRANSFER_ID_REUSED', {
      title: '银行流水号已用于另一笔到账',
      detail: `流水号 ${earlier.bank_transfer_id} 已通知过，但账号或金额不同。`,
    });
  }
  return { transfer: earlier, returnInstructionId: null, replayed: true };
}

/** A transfer that does not count goes back to where it came from, at once (next working day at the latest). */
async function issueReturn(
  ctx: DepositsContext,
  tx: Tx,
  now: Date,
  origin: WitnessOrigin,
  transfer: store.TransferRow,
  payer: BankAccountDetails,
): Promise<string> {
  const id = randomUUID();
  await store.insertRefund(tx, {
    id,
    lot_id: transfer.lot_id,
    bidder_ref: transfer.bidder_ref,
    kind: 'return',
    source: 'transfer',
    source_id: transfer.id,
    institution_id: transfer.institution_id,
    reason: transfer.status === 'late' ? 'late-arrival' : 'wrong-payer',
    principal_yuan: transfer.amount_yuan,
    interest_yuan: '0.00',
    interest_rate: null,
    interest_basis: null,
    payee_sealed: ctx.sealer.seal(JSON.stringify(payer), `deposit-refund:${id}`),
    citation: transfer.status === 'late' ? CITATIONS.deadline : CITATIONS.basicAccount,
    due_at: refundDueAt(now, { days: RETURN_PERIOD_DAYS, counting: 'working' }),
    status: 'pending',
    created_at: now,
    late_flagged_at: null,
    late_interest_yuan: null,
    executed_at: null,
    bank_reference: null,
    decided_at: null,
  });
  await witness(tx, now, origin, WITNESS.refund, id, 'deposit-refund.scheduled', {
    kind: 'return',
    transferId: transfer.id,
    principalYuan: transfer.amount_yuan,
    reason: transfer.status,
  });
  return id;
}

async function recordSamePayerSignal(
  _ctx: DepositsContext,
  tx: Tx,
  now: Date,
  origin: WitnessOrigin,
  transfer: store.TransferRow,
) {
  const refs = (await store.bidderRefsOfPayer(tx, transfer.lot_id, transfer.payer_ref)).map(
    (r) => r.bidder_ref,
  );
  if (refs.length < 2) return;
  const signal = await store.upsertSignal(tx, {
    id: randomUUID(),
    lot_id: transfer.lot_id,
    kind: 'same-payer-account',
    payer_ref: transfer.payer_ref,
    bidder_refs: JSON.stringify([...refs].sort()),
    citation: CITATIONS.samePayer,
    created_at: now,
  });
  // The event names the signal, not the lot: before the deadline nobody may learn how many bid.
  await witness(tx, now, origin, WITNESS.signal, signal.id, 'deposit-signal.same-payer', {
    transferId: transfer.id,
    citation: CITATIONS.samePayer,
  });
}
