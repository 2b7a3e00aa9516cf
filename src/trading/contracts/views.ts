import { Forbidden, NotFound } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { findContractBasis } from './basis.ts';
import type { ContractsContext } from './context.ts';
import { bidTerms, requireNotifiedAward } from './contracts.ts';
import { REFUND_PERIODS, REFUND_REASON_NAMES_ZH } from './deps.ts';
import { assertActsForLot, partyOf, requireSignedIn } from './policy.ts';
import {
  CITATIONS,
  type ContractLaw,
  maxPerformanceBond,
  partyNamesZh,
  pdfSigningText,
  periodCitation,
  refundDueAt,
  signingText,
} from './rules.ts';
import * as store from './store.ts';
import type { ContractStatus } from './tables.ts';

export const CONTRACT_STATUS_NAMES_ZH: Record<ContractStatus, string> = {
  draft: '草拟中',
  signing: '签署中（一方已签）',
  signed: '已签订',
};
const ALERT_KIND_NAMES_ZH = {
  reminder: '签约提醒',
  overdue: '逾期未签订',
  'late-signed': '超期签订',
  'publication-late': '合同公告逾期',
};

const iso = (d: Date | null) => d?.toISOString() ?? null;
const yuan = (v: string | null) => (v === null ? null : fenToYuan(yuanToFen(v)));

function alertView(a: store.AlertRow) {
  return {
    id: a.id,
    lotId: a.lot_id,
    contractId: a.contract_id,
    kind: a.kind,
    kindNameZh: ALERT_KIND_NAMES_ZH[a.kind],
    daysBefore: a.days_before,
    audience: a.audience,
    regulator: a.regulator,
    projectName: a.project_name,
    lotName: a.lot_name,
    title: a.title,
    detail: a.detail,
    citation: a.citation,
    createdAt: a.created_at.toISOString(),
  };
}

/** The deposits when the contract is signed: refunded from now (工程, 政府采购); an auction settled them at the deal. */
function refundsView(c: store.ContractRow) {
  if (c.law === 'rights' || !c.refunds_scheduled_at) return null;
  const period = REFUND_PERIODS[c.law]['contract-signed'];
  return {
    scheduledAt: c.refunds_scheduled_at.toISOString(),
    reasonNameZh: REFUND_REASON_NAMES_ZH['contract-signed'],
    dueBy: refundDueAt(c.refunds_scheduled_at, period).toISOString(),
    periodZh: `${period.days}${period.counting === 'working' ? '个工作日' : '日'}${period.depositInterest ? '（含银行同期存款利息）' : ''}`,
    citation: period.citation,
  };
}

/** The largest 履约保证金 the draft may name; null where none is taken (an auction's contract). */
function bondLimit(law: ContractLaw, priceYuan: string): string | null {
  return law === 'rights' ? null : maxPerformanceBond(priceYuan);
}

function contractView(c: store.ContractRow, signatures: store.SignatureRow[], viewerParty: string | null) {
  const partyNames = partyNamesZh(c.law);
  return {
    id: c.id,
    lotId: c.lot_id,
    lotCode: c.lot_code,
    lotName: c.lot_name,
    projectName: c.project_name,
    law: c.law,
    title: c.title,
    status: c.status,
    statusNameZh: CONTRACT_STATUS_NAMES_ZH[c.status],
    parties: {
      initiator: { organizationId: c.initiator_organization_id, name: c.initiator_name },
      supplier: {
        organizationId: c.supplier_organization_id,
        name: c.supplier_name,
        creditCode: c.supplier_credit_code,
      },
    },
    viewerParty,
    priceYuan: yuan(c.price_yuan),
    performanceBondYuan: yuan(c.performance_bond_yuan),
    maxPerformanceBondYuan: bondLimit(c.law, c.price_yuan),
    partyNamesZh: partyNames,
    terms: c.terms,
    contractJson: c.contract_json,
    contractSm3: c.contract_sm3,
    /** The exact text each party signs online (SM2 with the default user ID). */
    signingText: signingText(c.id, c.contract_sm3),
    /** For an offline-signed PDF: replace <sha256> with the PDF's SHA-256 (hex). */
    pdfSigningTemplate: pdfSigningText(c.id, '<sha256>'),
    noticeIssuedAt: c.notice_issued_at.toISOString(),
    dueAt: c.due_at.toISOString(),
    dueCitation: periodCitation(c.law),
    signatures: signatures.map((s) => ({
      party: s.party,
      partyNameZh: partyNames[s.party],
      method: s.method,
      certificateFingerprint: s.certificate_fingerprint,
      signedAt: s.signed_at.toISOString(),
    })),
    method: c.method,
    pdfSha256: c.pdf_sha256,
    signedAt: iso(c.signed_at),
    late: c.late,
    lateReason: c.late_reason,
    refunds: refundsView(c),
    publication: {
      required: c.law === 'gp',
      /** 出让（转让）合同: the result was published as the 成交公示; no 合同公告. */
      available: c.law !== 'rights',
      dueAt: iso(c.publication_due_at),
      publishedAt: iso(c.published_at),
      announcementId: c.announcement_id,
      late: c.publication_late_at !== null,
      citation: c.law === 'gp' ? CITATIONS.publicationGp : null,
    },
  };
}

export type ContractView = ReturnType<typeof contractView>;

/**
 * The lot's contract page: the award it comes from, the draft's defaults (the winning price, the bid's
 * 工期 and 质量, the 10% bond limit), the contract and its signatures, refunds and publication, and the
 * parties' alerts. For either party and the initiator's agency.
 */
export async function getContractOfLot(ctx: ContractsContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const award = await findContractBasis(ctx.db, lotId);
  if (!award?.winner) {
    throw new NotFound('CONTRACT_NO_AWARD', { title: '本标段尚未确定中标人（竞得人）' });
  }
  if (actor.organizationId !== award.winner.organizationId || !actor.roles.includes('responder')) {
    await assertActsForLot(ctx, lotId);
  }
  const notified = await requireNotifiedAward(ctx.db, lotId);
  const contract = await store.findContractOfLot(ctx.db, lotId);
  const [signatures, alerts] = await Promise.all([
    contract ? store.listSignatures(ctx.db, contract.id) : Promise.resolve([]),
    store.listAlertsOfLot(ctx.db, lotId),
  ]);
  const fromBid = bidTerms(notified.winner.fields);
  return {
    lotId,
    award: {
      status: notified.status,
      winner: {
        organizationId: notified.winner.organizationId,
        bidderName: notified.winner.bidderName,
        creditCode: notified.winner.creditCode,
        priceYuan: notified.winner.priceYuan,
      },
      noticeIssuedAt: notified.noticeIssuedAt.toISOString(),
      contractDueAt: notified.contractDueAt.toISOString(),
      /** Past the limit by platform time (a sandbox's clock may be ahead of the browser's). */
      overdue: ctx.clock.now().getTime() > notified.contractDueAt.getTime(),
      citation: periodCitation(notified.law),
      /** 'award' (中标通知书) or 'deal' (竞价交易的成交通知书). */
      source: notified.source,
      law: notified.law,
      noticeNameZh: notified.law === 'rights' ? '成交通知书' : '中标通知书',
      partyNamesZh: partyNamesZh(notified.law),
    },
    draftDefaults: {
      title: `${notified.projectName}${notified.lotName}合同`,
      priceYuan: notified.winner.priceYuan,
      maxPerformanceBondYuan: bondLimit(notified.law, notified.winner.priceYuan),
      period: fromBid.period,
      quality: fromBid.quality,
    },
    contract: contract ? contractView(contract, signatures, partyOf(actor, contract)) : null,
    alerts: alerts.map(alertView),
  };
}

export async function getContractById(ctx: ContractsContext, contractId: string) {
  const contract = await store.findContract(ctx.db, contractId);
  if (!contract) throw new NotFound('CONTRACT_NOT_FOUND', { title: '合同不存在' });
  return getContractOfLot(ctx, contract.lot_id);
}

export async function listMyContracts(ctx: ContractsContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  const rows = await store.listContractsOfOrganization(ctx.db, actor.organizationId);
  return rows.map((c) => ({
    id: c.id,
    lotId: c.lot_id,
    lotCode: c.lot_code,
    lotName: c.lot_name,
    projectName: c.project_name,
    title: c.title,
    status: c.status,
    statusNameZh: CONTRACT_STATUS_NAMES_ZH[c.status],
    priceYuan: yuan(c.price_yuan),
    supplierName: c.supplier_name,
    initiatorName: c.initiator_name,
    dueAt: c.due_at.toISOString(),
    signedAt: iso(c.signed_at),
    late: c.late,
    publishedAt: iso(c.published_at),
  }));
}

/** 行政监督部门: contracts signed late or not at all, and GP contracts not published on time. */
export async function listContractAlertsForSupervisor(ctx: ContractsContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.roles.includes('supervisor')) {
    throw new Forbidden('SUPERVISOR_REQUIRED', { title: '仅限行政监督部门' });
  }
  return (await store.listRegulatorAlerts(ctx.db, 500)).map(alertView);
}

/** A lot's signed contract as the open-data feed publishes it (公开数据, §28); null before both parties sign. */
export interface SignedContractSummary {
  id: string;
  title: string;
  priceYuan: string;
  signedAt: Date;
  supplierName: string;
  supplierCreditCode: string;
  publishedAt: Date | null;
}

export async function readSignedContract(
  db: ContractsContext['db'],
  lotId: string,
): Promise<SignedContractSummary | null> {
  const row = await store.findContractOfLot(db, lotId);
  if (row?.status !== 'signed' || !row.signed_at) return null;
  return {
    id: row.id,
    title: row.title,
    priceYuan: yuan(row.price_yuan) ?? '0.00',
    signedAt: row.signed_at,
    supplierName: row.supplier_name,
    supplierCreditCode: row.supplier_credit_code,
    publishedAt: row.published_at,
  };
}
