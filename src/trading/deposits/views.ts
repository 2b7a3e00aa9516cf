import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { openBidder } from './cash.ts';
import { type BankAccountDetails, bidderRefOf, type DepositsContext } from './context.ts';
import {
  covers,
  findEntityByCreditCode,
  findEntityOfOrganization,
  findLot,
  requireSupervisorScope,
} from './deps.ts';
import { requireOperator } from './institutions.ts';
import { loadDepositLot } from './lots.ts';
import { assertMayListLotDeposits, assertResponder, scopesOf } from './policy.ts';
import { REFUND_REASON_NAMES_ZH } from './rules.ts';
import { depositStatus } from './status.ts';
import * as store from './store.ts';
import { lotTerms } from './terms.ts';

const TRANSFER_STATUS_NAMES_ZH = {
  accepted: '已入账',
  'rejected-payer': '非基本账户转入，退回',
  late: '截止后到账，退回',
};
const GUARANTEE_STATUS_NAMES_ZH = { valid: '有效', revoked: '已撤销', released: '已释放' };
const REFUND_KIND_NAMES_ZH = {
  refund: '退还',
  return: '退回',
  release: '释放保函',
  forfeit: '不予退还',
  convert: '转为成交价款',
};
const REFUND_STATUS_NAMES_ZH = {
  pending: '待执行',
  executed: '已执行',
  'proposed-forfeit': '拟不予退还（待招标人确认）',
  cancelled: '已撤销',
};

const yuan = (v: string) => fenToYuan(yuanToFen(v));

function transferView(ctx: Pick<DepositsContext, 'sealer'>, t: store.TransferRow) {
  const payer = JSON.parse(ctx.sealer.open(t.payer_sealed, `deposit-transfer:${t.id}`)) as BankAccountDetails;
  return {
    id: t.id,
    amountYuan: yuan(t.amount_yuan),
    payer,
    bankTransferId: t.bank_transfer_id,
    valueAt: t.value_at.toISOString(),
    receivedAt: t.received_at.toISOString(),
    status: t.status,
    statusNameZh: TRANSFER_STATUS_NAMES_ZH[t.status],
    rejectReason: t.reject_reason,
  };
}

function guaranteeView(g: store.GuaranteeRow, institutions: Map<string, store.InstitutionRow>) {
  return {
    id: g.id,
    guaranteeNo: g.guarantee_no,
    issuerName: institutions.get(g.institution_id)?.name ?? '',
    amountYuan: yuan(g.amount_yuan),
    validFrom: g.valid_from.toISOString(),
    validUntil: g.valid_until.toISOString(),
    status: g.status,
    statusNameZh: GUARANTEE_STATUS_NAMES_ZH[g.status],
    documentSm3: g.document_sm3,
    issuedAt: g.issued_at.toISOString(),
  };
}

function refundView(r: store.RefundRow) {
  return {
    id: r.id,
    kind: r.kind,
    kindNameZh: REFUND_KIND_NAMES_ZH[r.kind],
    source: r.source,
    sourceId: r.source_id,
    reason: r.reason,
    reasonNameZh: (REFUND_REASON_NAMES_ZH as Record<string, string>)[r.reason] ?? r.reason,
    principalYuan: yuan(r.principal_yuan),
    interestYuan: yuan(r.interest_yuan),
    interestRatePercent: r.interest_rate,
    interestBasis: r.interest_basis,
    citation: r.citation,
    dueAt: r.due_at.toISOString(),
    status: r.status,
    statusNameZh: REFUND_STATUS_NAMES_ZH[r.status],
    late: r.late_flagged_at !== null,
    lateInterestYuan: r.late_interest_yuan === null ? null : yuan(r.late_interest_yuan),
    executedAt: r.executed_at?.toISOString() ?? null,
    bankReference: r.bank_reference,
  };
}

async function institutionMap(ctx: DepositsContext) {
  return new Map((await store.listInstitutions(ctx.db)).map((i) => [i.id, i]));
}

/** The responder's own deposit for a lot: what is asked, its account, transfers, guarantees, refunds. */
export async function getMyDeposit(ctx: DepositsContext, lotId: string) {
  const { organizationId } = await assertResponder(ctx.db, ctx.actor);
  const d = await loadDepositLot(ctx.db, lotId);
  const ref = bidderRefOf(ctx.sealer, lotId, organizationId);
  const [account, transfers, guarantees, refunds, status, forms, institutions] = await Promise.all([
    store.findAccount(ctx.db, lotId, ref),
    store.listTransfers(ctx.db, lotId, ref),
    store.listGuarantees(ctx.db, lotId, ref),
    store.listRefunds(ctx.db, lotId, ref),
    depositStatus(ctx.db, ctx.sealer, lotId, organizationId),
    ctx.acceptedForms(ctx.db, lotId),
    institutionMap(ctx),
  ]);
  const bank = account ? institutions.get(account.institution_id) : undefined;
  return {
    lotId,
    lotCode: d.lot.code,
    lotName: d.lot.name,
    projectName: d.lot.projectName,
    bidDeadline: d.terms.deadline.toISOString(),
    requiredYuan: d.requiredYuan,
    acceptedForms: forms,
    account: account
      ? {
          virtualAccount: account.virtual_account,
          bankName: bank?.name ?? '',
          openedAt: account.created_at.toISOString(),
        }
      : null,
    transfers: transfers.map((t) => transferView(ctx, t)),
    guarantees: guarantees.map((g) => guaranteeView(g, institutions)),
    refunds: refunds.map(refundView),
    status,
    banks: [...institutions.values()]
      .filter((i) => i.kind === 'bank' && i.status === 'active')
      .map((i) => ({ id: i.id, name: i.name })),
  };
}

/**
 * A lot's deposits, revealed (names, payer accounts) — only after the bid deadline, to the operator,
 * supervisors and the lot's initiator/agency. Collusion signals go to supervisors.
 */
export async function listLotDeposits(ctx: DepositsContext, lotId: string) {
  const d = await loadDepositLot(ctx.db, lotId);
  const now = ctx.clock.now();
  const { supervisor } = await assertMayListLotDeposits(
    ctx.db,
    ctx.actor,
    lotId,
    d.terms.revealAt,
    now,
    d.law,
  );
  const [accounts, transfers, guarantees, refunds, signals, institutions] = await Promise.all([
    store.listAccountsOfLot(ctx.db, lotId),
    store.listTransfers(ctx.db, lotId),
    store.listGuarantees(ctx.db, lotId),
    store.listRefunds(ctx.db, lotId),
    supervisor ? store.listSignals(ctx.db, lotId) : Promise.resolve([]),
    institutionMap(ctx),
  ]);
  // Who is behind each blind ref: the sealed account identity, or the guarantee's applicant.
  const orgOfRef = new Map<string, string>();
  for (const a of accounts) orgOfRef.set(a.bidder_ref, openBidder(ctx, a).organizationId);
  for (const g of guarantees) {
    if (orgOfRef.has(g.bidder_ref)) continue;
    const doc = JSON.parse(ctx.sealer.open(g.document_sealed, `deposit-guarantee:${g.id}`)) as {
      applicant: { creditCode: string };
    };
    const entity = await findEntityByCreditCode(ctx.db, doc.applicant.creditCode);
    if (entity) orgOfRef.set(g.bidder_ref, entity.organizationId);
  }
  const bidders = [];
  for (const [ref, organizationId] of orgOfRef) {
    const entity = await findEntityOfOrganization(ctx.db, organizationId);
    const account = accounts.find((a) => a.bidder_ref === ref);
    bidders.push({
      bidderRef: ref,
      organizationId,
      name: entity?.name ?? '',
      creditCode: entity?.creditCode ?? null,
      virtualAccount: account?.virtual_account ?? null,
      transfers: transfers.filter((t) => t.bidder_ref === ref).map((t) => transferView(ctx, t)),
      guarantees: guarantees.filter((g) => g.bidder_ref === ref).map((g) => guaranteeView(g, institutions)),
      refunds: refunds.filter((r) => r.bidder_ref === ref).map(refundView),
      status: await depositStatus(ctx.db, ctx.sealer, lotId, organizationId),
    });
  }
  const nameOfRef = new Map(bidders.map((b) => [b.bidderRef, b.name]));
  return {
    lotId,
    lotCode: d.lot.code,
    requiredYuan: d.requiredYuan,
    bidDeadline: d.terms.deadline.toISOString(),
    bidders,
    signals: signals.map((s) => {
      const refs =
        typeof s.bidder_refs === 'string' ? (JSON.parse(s.bidder_refs) as string[]) : s.bidder_refs;
      return {
        id: s.id,
        kind: s.kind,
        kindNameZh: '不同投标人的保证金从同一账户转出',
        citation: s.citation,
        bidders: refs.map((r) => nameOfRef.get(r) ?? r),
        createdAt: s.created_at.toISOString(),
      };
    }),
  };
}

/**
 * The refund monitor (operator, supervisors): every refund flagged late, across lots — for a supervisor,
 * those of the lots its scope (行业 × 地域) covers. A lot still before its deadline shows no bidder name.
 */
export async function listLateRefunds(ctx: DepositsContext) {
  const actor = ctx.actor;
  const scope = actor?.roles.includes('supervisor')
    ? await requireSupervisorScope(scopesOf(ctx.db), actor)
    : null;
  if (!scope) requireOperator(actor);
  const rows = await store.listLateRefunds(ctx.db);
  const now = ctx.clock.now();
  const out = [];
  for (const r of rows) {
    const [terms, lot] = await Promise.all([lotTerms(ctx.db, r.lot_id), findLot(ctx.db, r.lot_id)]);
    if (scope && !(lot && covers(scope, lot))) continue;
    const revealed = terms !== null && now.getTime() >= terms.revealAt.getTime();
    let bidderName: string | null = null;
    if (revealed) {
      const account = (await store.listAccountsOfLot(ctx.db, r.lot_id)).find(
        (a) => a.bidder_ref === r.bidder_ref,
      );
      if (account)
        bidderName =
          (await findEntityOfOrganization(ctx.db, openBidder(ctx, account).organizationId))?.name ?? null;
    }
    out.push({ ...refundView(r), lotId: r.lot_id, lotCode: lot?.code ?? '', bidderName });
  }
  return out;
}
