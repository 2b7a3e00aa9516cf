import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { shanghaiDateOf } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { Forbidden, NotFound, RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { type FieldSealer, sealedOrigin } from '../../platform/sealing/index.ts';
import { SYSTEM_ORIGIN, type WitnessOrigin } from '../../platform/witness/index.ts';
import { institutionOrigin } from './cash.ts';
import {
  type BankAccountDetails,
  bidderRefOf,
  type DepositsContext,
  type DepositsDb,
  WITNESS,
  witness,
} from './context.ts';
import { assertMayActForLot, findEntityOfOrganization, findLot } from './deps.ts';
import {
  CITATIONS,
  CONVERSION_PERIOD,
  DEPOSIT_INTEREST_RATES,
  daysBetween,
  LATE_INTEREST_RATES,
  type Law,
  type RefundReason,
  rateOn,
  refundDueAt,
  refundPeriod,
  type SettlementReason,
  simpleInterest,
} from './rules.ts';
import * as store from './store.ts';
import { lawOfLot, lotTerms } from './terms.ts';

type Tx = Db<DepositsDb>;

/**
 * The field sealer this module seals payees with. `scheduleDepositRefunds` is called by other modules in
 * their own transaction with the contract's arguments only, so the composition root binds the platform's
 * sealer once (registerDepositRoutes does it).
 */
let boundSealer: FieldSealer | null = null;
export function bindDepositSealer(sealer: FieldSealer): void {
  boundSealer = sealer;
}
function sealer(): FieldSealer {
  if (!boundSealer) throw new Error('deposits: no field sealer bound (registerDepositRoutes binds it)');
  return boundSealer;
}

/** What a release instruction names instead of a bank account. */
interface GuaranteePayee {
  guaranteeNo: string;
}

export interface ScheduleRefundsInput {
  lotId: string;
  /** Default: every depositor of the lot. */
  organizationIds?: string[];
  reason: RefundReason;
  /** 不予退还 (e.g. 撤销 after the deadline, 条例第三十五条): proposed, the initiator confirms or declines. */
  forfeit?: boolean;
}

/**
 * 退还 instructions per the rules, in the caller's transaction: each accepted cash transfer not yet settled
 * is refunded to the account it came from (the bidder's 基本账户) by the legal date — 5 日 (工程) or 5个
 * 工作日 (政府采购) — with 银行同期存款利息 where the law gives it; each valid guarantee is released
 * (释放保函). With `forfeit`, the instructions are proposals (拟不予退还) waiting for the initiator.
 * The platform issues instructions only; it never moves or keeps money (办法第四十八条第（五）项).
 */
export async function scheduleDepositRefunds(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  input: ScheduleRefundsInput,
): Promise<void> {
  const fieldSealer = sealer();
  const db: Kysely<DepositsDb> = tx;
  const lot = await findLot(db, input.lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  const terms = await lotTerms(tx, input.lotId);
  // Without terms nobody could have paid (an account needs them): nothing to refund.
  if (!terms) return;
  const law = terms.law;
  const eventOrigin = originAt(terms.revealAt, at, origin);
  const refs = input.organizationIds
    ? new Set(input.organizationIds.map((o) => bidderRefOf(fieldSealer, input.lotId, o)))
    : null;
  const [transfers, guarantees] = await Promise.all([
    store.listTransfers(tx, input.lotId),
    store.listGuarantees(tx, input.lotId),
  ]);
  for (const t of transfers) {
    if (t.status !== 'accepted' || (refs && !refs.has(t.bidder_ref))) continue;
    if (await store.liveRefundOf(tx, 'transfer', t.id)) continue;
    const payer = JSON.parse(
      fieldSealer.open(t.payer_sealed, `deposit-transfer:${t.id}`),
    ) as BankAccountDetails;
    await insertCashRefund(tx, at, eventOrigin, fieldSealer, {
      law,
      transfer: t,
      payee: payer,
      reason: input.reason,
      forfeit: input.forfeit === true,
    });
  }
  for (const g of guarantees) {
    if (g.status !== 'valid' || (refs && !refs.has(g.bidder_ref))) continue;
    if (await store.liveRefundOf(tx, 'guarantee', g.id)) continue;
    await insertRelease(tx, at, eventOrigin, fieldSealer, {
      period: refundPeriod(law, input.reason),
      guarantee: g,
      reason: input.reason,
      forfeit: input.forfeit === true,
    });
  }
}

/** Before the deposits may be revealed the log must not name who paid (contracts "Secrecy"). */
function originAt(revealAt: Date, at: Date, origin: WitnessOrigin): WitnessOrigin {
  return at.getTime() < revealAt.getTime() ? sealedOrigin(origin) : origin;
}

/**
 * After an auction: the winner's deposit becomes part of the price (转为成交价款: cash paid over to the
 * 出让人's 基本账户 as a 'convert' instruction; a guarantee is released), everyone else's refunded
 * ('not-awarded'); with winnerOrganizationId null (不成交/流拍/终止) everyone's refunded with `reason`.
 * In the caller's transaction; safe to run twice (a deposit already settled is skipped).
 */
export async function settleAuctionDeposits(
  anyTx: Db<DepositsDb>,
  at: Date,
  origin: WitnessOrigin,
  input: {
    lotId: string;
    winnerOrganizationId: string | null;
    reason: 'not-awarded' | 'lot-failed' | 'terminated';
  },
): Promise<void> {
  const tx: Kysely<DepositsDb> = anyTx;
  const fieldSealer = sealer();
  const lot = await findLot(tx, input.lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  const terms = await lotTerms(tx, input.lotId);
  if (terms && input.winnerOrganizationId !== null) {
    const eventOrigin = originAt(terms.revealAt, at, origin);
    const ref = bidderRefOf(fieldSealer, input.lotId, input.winnerOrganizationId);
    const [transfers, guarantees] = await Promise.all([
      store.listTransfers(tx, input.lotId, ref),
      store.listGuarantees(tx, input.lotId, ref),
    ]);
    const cash: store.TransferRow[] = [];
    for (const t of transfers) {
      if (t.status === 'accepted' && !(await store.liveRefundOf(tx, 'transfer', t.id))) cash.push(t);
    }
    if (cash.length > 0) {
      const initiator = await findEntityOfOrganization(tx, lot.initiatorOrganizationId);
      if (!initiator) {
        throw new RuleViolation('INITIATOR_ACCOUNT_UNKNOWN', {
          title: '出让人（转让方）基本账户未登记',
          detail: '竞得人的竞买保证金须转入出让人（转让方）的基本账户，平台未找到其市场主体登记。',
        });
      }
      const payee: BankAccountDetails = {
        accountNumber: initiator.basicAccount.accountNumber,
        accountName: initiator.basicAccount.accountName,
        bankName: initiator.basicAccount.bankName,
      };
      for (const t of cash) {
        await insertInstruction(tx, at, eventOrigin, fieldSealer, {
          period: CONVERSION_PERIOD,
          dueAt: refundDueAt(at, CONVERSION_PERIOD),
          lotId: t.lot_id,
          bidderRef: t.bidder_ref,
          kind: 'convert',
          source: 'transfer',
          sourceId: t.id,
          institutionId: t.institution_id,
          reason: 'deal',
          forfeit: false,
          principalYuan: t.amount_yuan,
          interest: { yuan: '0.00', rate: null, basis: null },
          payee,
        });
      }
    }
    for (const g of guarantees) {
      if (g.status !== 'valid' || (await store.liveRefundOf(tx, 'guarantee', g.id))) continue;
      await insertRelease(tx, at, eventOrigin, fieldSealer, {
        period: CONVERSION_PERIOD,
        guarantee: g,
        reason: 'deal',
        forfeit: false,
      });
    }
  }
  // Everyone else (the winner's deposits now have their instruction and are skipped).
  await scheduleDepositRefunds(tx, at, origin, { lotId: input.lotId, reason: input.reason });
}

/**
 * One instruction (退还/释放/不予退还 proposal/转为成交价款) and its witness event: the row, its due date and citation, the
 * payee sealed under the field key. Cash refunds carry interest; guarantees are released, without interest.
 */
async function insertInstruction(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  fieldSealer: FieldSealer,
  input: {
    period: ReturnType<typeof refundPeriod>;
    dueAt: Date;
    lotId: string;
    bidderRef: string;
    kind: 'refund' | 'release' | 'convert';
    source: 'transfer' | 'guarantee';
    sourceId: string;
    institutionId: string;
    reason: RefundReason | SettlementReason;
    forfeit: boolean;
    principalYuan: string;
    interest: { yuan: string; rate: string | null; basis: string | null };
    payee: unknown;
  },
): Promise<string> {
  const id = randomUUID();
  const interest = input.forfeit ? { yuan: '0.00', rate: null, basis: null } : input.interest;
  const citation = input.forfeit ? CITATIONS.forfeit : input.period.citation;
  await store.insertRefund(tx, {
    id,
    lot_id: input.lotId,
    bidder_ref: input.bidderRef,
    kind: input.forfeit ? 'forfeit' : input.kind,
    source: input.source,
    source_id: input.sourceId,
    institution_id: input.institutionId,
    reason: input.reason,
    principal_yuan: input.principalYuan,
    interest_yuan: interest.yuan,
    interest_rate: interest.rate,
    interest_basis: interest.basis,
    payee_sealed: fieldSealer.seal(JSON.stringify(input.payee), `deposit-refund:${id}`),
    citation,
    due_at: input.dueAt,
    status: input.forfeit ? 'proposed-forfeit' : 'pending',
    created_at: at,
    late_flagged_at: null,
    late_interest_yuan: null,
    executed_at: null,
    bank_reference: null,
    decided_at: null,
  });
  await witness(
    tx,
    at,
    origin,
    WITNESS.refund,
    id,
    input.forfeit ? 'deposit-refund.forfeit-proposed' : 'deposit-refund.scheduled',
    {
      kind: input.forfeit ? 'forfeit' : input.kind,
      [input.source === 'transfer' ? 'transferId' : 'guaranteeId']: input.sourceId,
      principalYuan: input.principalYuan,
      interestYuan: interest.yuan,
      dueAt: input.dueAt.toISOString(),
      reason: input.reason,
      citation,
    },
  );
  return id;
}

async function insertCashRefund(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  fieldSealer: FieldSealer,
  input: {
    law: Law;
    transfer: store.TransferRow;
    payee: BankAccountDetails;
    reason: RefundReason;
    forfeit: boolean;
  },
) {
  const period = refundPeriod(input.law, input.reason);
  const dueAt = refundDueAt(at, period);
  const rate = period.depositInterest
    ? rateOn(DEPOSIT_INTEREST_RATES, shanghaiDateOf(input.transfer.value_at))
    : null;
  const interest = rate
    ? simpleInterest(
        input.transfer.amount_yuan,
        rate.annualPercent,
        daysBetween(input.transfer.value_at, dueAt),
      )
    : '0.00';
  return insertInstruction(tx, at, origin, fieldSealer, {
    period,
    dueAt,
    lotId: input.transfer.lot_id,
    bidderRef: input.transfer.bidder_ref,
    kind: 'refund',
    source: 'transfer',
    sourceId: input.transfer.id,
    institutionId: input.transfer.institution_id,
    reason: input.reason,
    forfeit: input.forfeit,
    principalYuan: input.transfer.amount_yuan,
    interest: { yuan: interest, rate: rate?.annualPercent ?? null, basis: rate?.source ?? null },
    payee: input.payee,
  });
}

async function insertRelease(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  fieldSealer: FieldSealer,
  input: {
    period: ReturnType<typeof refundPeriod>;
    guarantee: store.GuaranteeRow;
    reason: RefundReason | SettlementReason;
    forfeit: boolean;
  },
) {
  const period = input.period;
  const payee: GuaranteePayee = { guaranteeNo: input.guarantee.guarantee_no };
  await insertInstruction(tx, at, origin, fieldSealer, {
    period,
    dueAt: refundDueAt(at, period),
    lotId: input.guarantee.lot_id,
    bidderRef: input.guarantee.bidder_ref,
    kind: 'release',
    source: 'guarantee',
    sourceId: input.guarantee.id,
    institutionId: input.guarantee.institution_id,
    reason: input.reason,
    forfeit: input.forfeit,
    principalYuan: input.guarantee.amount_yuan,
    interest: { yuan: '0.00', rate: null, basis: null },
    payee,
  });
}

/**
 * The initiator (or its agency) decides a proposed forfeit: confirmed, cash is paid over to the initiator's
 * 基本账户 (the trading platform keeps nothing) and a guarantee is left to the beneficiary's claim, which
 * happens off the platform; declined, the deposit is refunded or released under the ordinary rule.
 */
export async function decideForfeit(ctx: DepositsContext, input: { refundId: string; forfeit: boolean }) {
  const now = ctx.clock.now();
  const found = await store.findRefund(ctx.db, input.refundId);
  if (!found) throw new NotFound('REFUND_NOT_FOUND', { title: '退还记录不存在' });
  const lot = await assertMayActForLot(ctx.db, ctx.actor, found.lot_id, now);
  const law = await lawOfLot(ctx.db, lot.id);
  // Read before the transaction: an embedded database has one connection, the transaction holds it.
  const initiator = await findEntityOfOrganization(ctx.db, lot.initiatorOrganizationId);
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.lockRefund(tx, input.refundId);
    if (row?.status !== 'proposed-forfeit') {
      throw new RuleViolation('REFUND_NOT_PROPOSED_FORFEIT', { title: '该记录不是待确认的不予退还' });
    }
    if (input.forfeit) {
      if (row.source === 'guarantee') {
        const done = await store.updateRefund(tx, row.id, {
          status: 'executed',
          decided_at: now,
          executed_at: now,
        });
        await witness(tx, now, ctx.origin, WITNESS.refund, row.id, 'deposit-refund.forfeit-confirmed', {
          source: 'guarantee',
        });
        return done;
      }
      if (!initiator) {
        throw new RuleViolation('INITIATOR_ACCOUNT_UNKNOWN', {
          title: law === 'rights' ? '出让人（转让方）基本账户未登记' : '招标人基本账户未登记',
        });
      }
      const payee: BankAccountDetails = {
        accountNumber: initiator.basicAccount.accountNumber,
        accountName: initiator.basicAccount.accountName,
        bankName: initiator.basicAccount.bankName,
      };
      const done = await store.updateRefund(tx, row.id, {
        status: 'pending',
        decided_at: now,
        due_at: refundDueAt(now, { days: 5, counting: law === 'works' ? 'calendar' : 'working' }),
        payee_sealed: ctx.sealer.seal(JSON.stringify(payee), `deposit-refund:${row.id}`),
      });
      await witness(tx, now, ctx.origin, WITNESS.refund, row.id, 'deposit-refund.forfeit-confirmed', {
        source: 'transfer',
        citation: row.citation,
      });
      return done;
    }
    const cancelled = await store.updateRefund(tx, row.id, { status: 'cancelled', decided_at: now });
    await witness(tx, now, ctx.origin, WITNESS.refund, row.id, 'deposit-refund.forfeit-declined', {});
    const reason = row.reason as RefundReason;
    if (row.source === 'transfer') {
      const transfers = await store.listTransfers(tx, row.lot_id, row.bidder_ref);
      const transfer = transfers.find((t) => t.id === row.source_id);
      if (transfer) {
        const payer = JSON.parse(
          ctx.sealer.open(transfer.payer_sealed, `deposit-transfer:${transfer.id}`),
        ) as BankAccountDetails;
        await insertCashRefund(tx, now, ctx.origin, ctx.sealer, {
          law,
          transfer,
          payee: payer,
          reason,
          forfeit: false,
        });
      }
    } else {
      const guarantee = (await store.listGuarantees(tx, row.lot_id, row.bidder_ref)).find(
        (g) => g.id === row.source_id,
      );
      if (guarantee)
        await insertRelease(tx, now, ctx.origin, ctx.sealer, {
          period: refundPeriod(law, reason),
          guarantee,
          reason,
          forfeit: false,
        });
    }
    return cancelled;
  });
}

export interface Instruction {
  id: string;
  kind: store.RefundRow['kind'];
  lotId: string;
  principalYuan: string;
  interestYuan: string;
  totalYuan: string;
  payee: BankAccountDetails | null;
  guaranteeNo: string | null;
  virtualAccount: string | null;
  reason: string;
  citation: string;
  dueAt: string;
}

function instructionOf(
  fieldSealer: FieldSealer,
  row: store.RefundRow,
  virtualAccount: string | null,
): Instruction {
  const opened = JSON.parse(fieldSealer.open(row.payee_sealed, `deposit-refund:${row.id}`)) as
    | BankAccountDetails
    | GuaranteePayee;
  const isGuarantee = row.source === 'guarantee';
  return {
    id: row.id,
    kind: row.kind,
    lotId: row.lot_id,
    principalYuan: fenToYuan(yuanToFen(row.principal_yuan)),
    interestYuan: fenToYuan(yuanToFen(row.interest_yuan)),
    totalYuan: isGuarantee ? '0.00' : fenToYuan(yuanToFen(row.principal_yuan) + yuanToFen(row.interest_yuan)),
    payee: isGuarantee ? null : (opened as BankAccountDetails),
    guaranteeNo: isGuarantee ? (opened as GuaranteePayee).guaranteeNo : null,
    virtualAccount,
    reason: row.reason,
    citation: row.citation,
    dueAt: row.due_at.toISOString(),
  };
}

/** The institution's pending instructions (its own only): the bank pays, the issuer releases. */
export async function listInstructions(ctx: DepositsContext, institution: store.InstitutionRow) {
  const rows = await store.listPendingRefundsOf(ctx.db, institution.id);
  const out: Instruction[] = [];
  for (const row of rows) {
    let virtualAccount: string | null = null;
    if (row.source === 'transfer') {
      const transfer = (await store.listTransfers(ctx.db, row.lot_id, row.bidder_ref)).find(
        (t) => t.id === row.source_id,
      );
      const account = transfer ? await store.findAccount(ctx.db, row.lot_id, row.bidder_ref) : undefined;
      virtualAccount = account?.virtual_account ?? null;
    }
    out.push(instructionOf(ctx.sealer, row, virtualAccount));
  }
  return out;
}

/**
 * The institution confirms it executed an instruction: the refund is complete (a release frees the
 * guarantee). Executed after the due date under 政府采购, 超期资金占用费 is computed and recorded as owed by
 * the purchaser (87号令第三十八条).
 */
export async function confirmInstruction(
  ctx: DepositsContext,
  institution: store.InstitutionRow,
  input: { instructionId: string; bankReference: string },
) {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.lockRefund(tx, input.instructionId);
    if (!row || row.institution_id !== institution.id) {
      throw new NotFound('INSTRUCTION_NOT_FOUND', { title: '指令不存在' });
    }
    if (row.status === 'executed') {
      if (row.bank_reference === input.bankReference) return row;
      throw new RuleViolation('INSTRUCTION_ALREADY_EXECUTED', { title: '该指令已确认执行' });
    }
    if (row.status !== 'pending') {
      throw new Forbidden('INSTRUCTION_NOT_PENDING', { title: '该指令尚未生效或已撤销' });
    }
    const lateInterest = await lateInterestOf(tx, row, now);
    const done = await store.updateRefund(tx, row.id, {
      status: 'executed',
      executed_at: now,
      bank_reference: input.bankReference,
      ...(lateInterest !== null ? { late_interest_yuan: lateInterest } : {}),
      ...(now.getTime() > row.due_at.getTime() && !row.late_flagged_at ? { late_flagged_at: now } : {}),
    });
    if (row.source === 'guarantee' && row.kind === 'release')
      await store.releaseGuarantee(tx, row.source_id, now);
    await witness(
      tx,
      now,
      institutionOrigin(ctx.origin, institution.id),
      WITNESS.refund,
      row.id,
      'deposit-refund.executed',
      {
        bankReference: input.bankReference,
        late: now.getTime() > row.due_at.getTime(),
        lateInterestYuan: lateInterest,
      },
    );
    return done;
  });
}

/** 超期资金占用费 under 87号令第三十八条 (政府采购 cash refunds only), from the due date to `until`; null otherwise. */
async function lateInterestOf(
  db: Kysely<DepositsDb>,
  row: store.RefundRow,
  until: Date,
): Promise<string | null> {
  if (row.source !== 'transfer' || row.kind !== 'refund') return null;
  if (until.getTime() <= row.due_at.getTime()) return null;
  if ((await lawOfLot(db, row.lot_id)) !== 'gp') return null;
  const rate = rateOn(LATE_INTEREST_RATES, shanghaiDateOf(row.due_at));
  return simpleInterest(row.principal_yuan, rate.annualPercent, daysBetween(row.due_at, until));
}

/**
 * The hourly sweep: every pending instruction past its due date is flagged late (witnessed, shown to the
 * operator and supervisors) with the 占用费 accrued so far where 87号令 gives one. Safe to run twice.
 */
export async function flagLateRefunds(db: Kysely<DepositsDb>, clock: Clock): Promise<number> {
  const now = clock.now();
  const overdue = await store.listOverdueUnflagged(db, now);
  for (const candidate of overdue) {
    await db.transaction().execute(async (tx) => {
      const row = await store.lockRefund(tx, candidate.id);
      if (row?.status !== 'pending' || row.late_flagged_at) return;
      const lateInterest = await lateInterestOf(tx, row, now);
      await store.updateRefund(tx, row.id, { late_flagged_at: now, late_interest_yuan: lateInterest });
      await witness(tx, now, SYSTEM_ORIGIN, WITNESS.refund, row.id, 'deposit-refund.late', {
        dueAt: row.due_at.toISOString(),
        lateInterestYuan: lateInterest,
        citation: row.citation,
      });
    });
  }
  return overdue.length;
}

export const REFUND_LATE_JOB = 'deposits.refund-late';
