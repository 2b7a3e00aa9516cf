import { randomUUID } from 'node:crypto';
import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { NotFound, RuleViolation } from '../../platform/errors.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { fenToYuan, formatYuanZh, yuanToFen } from '../../platform/money/index.ts';
import { canonicalJson, SYSTEM_ORIGIN, type WitnessOrigin } from '../../platform/witness/index.ts';
import { type ContractBasis, findContractBasis } from './basis.ts';
import {
  ALERT_WITNESS_TYPE,
  CONTRACT_WITNESS_TYPE,
  type ContractsContext,
  type ContractsDeps,
  PUBLICATION_DUE_JOB,
  type Tx,
  witness,
} from './context.ts';
import {
  AUCTION_CITATIONS,
  AWARD_CITATIONS,
  assertLotNotSuspended,
  findEntityOfOrganization,
  markAwardContracted,
  markDealContracted,
  publishSystemAnnouncement,
  scheduleDepositRefunds,
} from './deps.ts';
import { assertActsForLot, assertParty, contractNotFound, requireSignedIn } from './policy.ts';
import {
  assertPerformanceBond,
  assertPriceMatchesBid,
  CITATIONS,
  pdfSigningText,
  periodCitation,
  publicationDueAt,
  signingText,
  termsCitation,
} from './rules.ts';
import { verifyPartySignature } from './signing.ts';
import * as store from './store.ts';
import type { AlertKind, ContractParty, ContractTerms, SigningMethod } from './tables.ts';

export const CONTRACT_FORMAT = 'ggzy-contract/v1';

type Deps = Pick<ContractsDeps, 'db' | 'clock'>;

export interface DraftInput {
  title?: string | null | undefined;
  priceYuan: string;
  performanceBondYuan?: string | null | undefined;
  terms: {
    scope: string;
    period?: string | null | undefined;
    quality?: string | null | undefined;
    payment: string;
    other?: string | null | undefined;
  };
}

/**
 * The award (or the auction's deal) a contract can be made from: the 中标通知书 (成交通知书) is out and the
 * lot did not fail.
 */
export async function requireNotifiedAward(db: ContractsContext['db'], lotId: string) {
  const award = await findContractBasis(db, lotId);
  if (!award?.winner || !award.noticeIssuedAt || !award.noticeSm3 || !award.contractDueAt) {
    throw new RuleViolation('CONTRACT_NO_NOTICE', {
      title: '中标（成交）通知书尚未发出',
      detail: '合同依据中标通知书（竞价交易为成交通知书）订立：通知书发出后，方可草拟合同。',
      citation: CITATIONS.period,
    });
  }
  if (award.status !== 'notified' && award.status !== 'contracted') {
    throw new RuleViolation('CONTRACT_AWARD_CLOSED', {
      title: '本标段已流标、不成交或终止，不能订立合同',
      citation: award.law === 'rights' ? AUCTION_CITATIONS.terminate : AWARD_CITATIONS.failure,
    });
  }
  return award as ContractBasis & {
    winner: NonNullable<ContractBasis['winner']>;
    noticeIssuedAt: Date;
    noticeSm3: string;
    contractDueAt: Date;
  };
}

/** The bid's 工期 and 质量 as sealed in its 开标一览表, when it had them. */
export function bidTerms(fields: Record<string, string>): { period: string | null; quality: string | null } {
  const period = fields.duration ?? fields.durationDays ?? fields.period ?? fields.deliveryDays ?? null;
  return {
    period: period ? (/^\d+$/.test(period) ? `${period} 日历天` : period) : null,
    quality: fields.quality ?? null,
  };
}

/**
 * 草拟合同 from the award: the parties, the winning price (to the fen, 实施条例第五十七条), the bid's 工期
 * and 质量, and a 履约保证金 of at most 10% (条例第五十八条; 政府采购法实施条例第四十八条). Replaced freely
 * until the first signature; its SM3 is what both parties sign.
 */
export async function draftContract(ctx: ContractsContext, lotId: string, input: DraftInput) {
  const actor = requireSignedIn(ctx.actor);
  const lot = await assertActsForLot(ctx, lotId);
  await assertLotNotSuspended(ctx.db, lotId, ctx.clock.now());
  const award = await requireNotifiedAward(ctx.db, lotId);
  const existing = await store.findContractOfLot(ctx.db, lotId);
  if (existing && existing.status !== 'draft') throw frozen();
  const priceYuan = fenToYuan(yuanToFen(input.priceYuan));
  assertPriceMatchesBid(priceYuan, award.winner.priceYuan, award.law);
  const bondYuan =
    input.performanceBondYuan === undefined || input.performanceBondYuan === null
      ? null
      : fenToYuan(yuanToFen(input.performanceBondYuan));
  assertPerformanceBond(bondYuan, priceYuan, award.law);
  const fromBid = bidTerms(award.winner.fields);
  const terms: ContractTerms = {
    scope: input.terms.scope.trim(),
    period: input.terms.period?.trim() || fromBid.period,
    quality: input.terms.quality?.trim() || fromBid.quality,
    payment: input.terms.payment.trim(),
    other: input.terms.other?.trim() || null,
  };
  const initiatorName =
    (await findEntityOfOrganization(ctx.db, lot.initiatorOrganizationId))?.name ??
    (actor.organizationId === lot.initiatorOrganizationId ? (actor.organizationName ?? '') : '');
  const id = existing?.id ?? randomUUID();
  const now = ctx.clock.now();
  const title = input.title?.trim() || `${lot.projectName}${lot.name}合同`;
  const document = {
    format: CONTRACT_FORMAT,
    id,
    title,
    lot: { id: lot.id, code: lot.code, name: lot.name },
    project: { id: lot.projectId, code: lot.projectCode, name: lot.projectName },
    procedureType: lot.procedureType,
    notice: { sm3: award.noticeSm3, issuedAt: award.noticeIssuedAt.toISOString() },
    parties: {
      initiator: { organizationId: lot.initiatorOrganizationId, name: initiatorName },
      supplier: {
        organizationId: award.winner.organizationId,
        name: award.winner.bidderName,
        creditCode: award.winner.creditCode,
      },
    },
    winningBidId: award.winner.bidId,
    priceYuan,
    performanceBondYuan: bondYuan,
    terms,
    draftedAt: now.toISOString(),
  };
  const json = canonicalJson(document);
  const sm3 = sm3Hex(new TextEncoder().encode(json));
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockContractOfLot(tx, lotId);
    if (current && current.status !== 'draft') throw frozen();
    const columns = {
      title,
      price_yuan: priceYuan,
      performance_bond_yuan: bondYuan,
      terms: JSON.stringify(terms),
      contract_json: json,
      contract_sm3: sm3,
      drafted_by: actor.accountId,
      updated_at: now,
    };
    if (current) {
      await store.updateContract(tx, current.id, columns);
    } else {
      await store.insertContract(tx, {
        id,
        lot_id: lotId,
        project_id: lot.projectId,
        law: award.law,
        lot_code: lot.code,
        lot_name: lot.name,
        project_name: lot.projectName,
        initiator_organization_id: lot.initiatorOrganizationId,
        initiator_name: initiatorName,
        agency_organization_id: lot.agencyOrganizationId,
        supplier_organization_id: award.winner.organizationId,
        supplier_name: award.winner.bidderName,
        supplier_credit_code: award.winner.creditCode,
        winning_bid_id: award.winner.bidId,
        notice_sm3: award.noticeSm3,
        notice_issued_at: award.noticeIssuedAt,
        due_at: award.contractDueAt,
        regulator: lot.regulator,
        status: 'draft',
        method: null,
        pdf_sha256: null,
        signed_at: null,
        late: false,
        late_reason: null,
        late_reason_by: null,
        refunds_scheduled_at: null,
        publication_due_at: null,
        publication_late_at: null,
        published_at: null,
        announcement_id: null,
        created_at: now,
        ...columns,
      });
    }
    await witness(
      tx,
      now,
      ctx.origin,
      CONTRACT_WITNESS_TYPE,
      id,
      current ? 'contract.redrafted' : 'contract.drafted',
      {
        lotId,
        contractSm3: sm3,
        priceYuan,
        performanceBondYuan: bondYuan,
        citation: termsCitation(award.law),
      },
    );
  });
  return id;
}

function frozen(): RuleViolation {
  return new RuleViolation('CONTRACT_FROZEN', {
    title: '合同已有一方签署，内容不能再修改',
    detail: '签署开始后合同文本固定；双方签署的是同一文本的 SM3。',
  });
}

function alreadySigned(): RuleViolation {
  return new RuleViolation('CONTRACT_ALREADY_SIGNED', { title: '本方已经签署该合同' });
}

/**
 * 在线签署: a party's SM2 signature over the contract's signing text, by a certificate bound to its
 * organisation. The second signature concludes the contract (see `conclude`).
 */
export async function signContract(
  ctx: ContractsContext,
  contractId: string,
  input: { signature: string; lateReason?: string | null | undefined },
) {
  const actor = requireSignedIn(ctx.actor);
  const contract = await store.findContract(ctx.db, contractId);
  if (!contract) throw contractNotFound();
  const party = assertParty(actor, contract);
  await assertLotNotSuspended(ctx.db, contract.lot_id, ctx.clock.now());
  if (contract.status === 'signed') throw alreadySigned();
  const message = signingText(contract.id, contract.contract_sm3);
  const fingerprint = await verifyPartySignature(ctx, actor.organizationId ?? '', message, input.signature);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockContract(tx, contractId);
    if (!current || current.contract_sm3 !== contract.contract_sm3 || current.status === 'signed') {
      throw new RuleViolation('CONTRACT_CHANGED', {
        title: '合同内容已变化或已签订',
        detail: '请刷新页面，按最新的签署文本签名。',
      });
    }
    const inserted = await store.insertSignatureIfAbsent(tx, {
      contract_id: contractId,
      party,
      organization_id: actor.organizationId ?? '',
      account_id: actor.accountId,
      method: 'online',
      message_sm3: sm3Hex(new TextEncoder().encode(message)),
      signature: input.signature,
      certificate_fingerprint: fingerprint,
      signed_at: now,
    });
    if (!inserted) throw alreadySigned();
    const lateReason = input.lateReason?.trim() || current.late_reason;
    await witness(tx, now, ctx.origin, CONTRACT_WITNESS_TYPE, contractId, 'contract.party-signed', {
      party,
      contractSm3: current.contract_sm3,
      certificateFingerprint: fingerprint,
    });
    const signatures = await store.listSignatures(tx, contractId);
    if (signatures.length >= 2) {
      await conclude(tx, ctx.origin, current, now, {
        method: 'online',
        lateReason: lateReason ?? null,
        by: actor.accountId,
      });
    } else {
      await store.updateContract(tx, contractId, {
        status: 'signing',
        late_reason: lateReason ?? null,
        late_reason_by: input.lateReason?.trim() ? actor.accountId : current.late_reason_by,
        updated_at: now,
      });
    }
  });
  return store.findContract(ctx.db, contractId);
}

/**
 * 上传已签署的合同: a PDF signed offline (uploaded through /api/blobs first) with both parties' detached
 * SM2 signatures over its SHA-256, each verified against the party's bound certificate.
 */
export async function uploadSignedContract(
  ctx: ContractsContext,
  contractId: string,
  input: {
    pdfSha256: string;
    initiatorSignature: string;
    supplierSignature: string;
    lateReason?: string | null | undefined;
  },
) {
  const actor = requireSignedIn(ctx.actor);
  const contract = await store.findContract(ctx.db, contractId);
  if (!contract) throw contractNotFound();
  if (assertParty(actor, contract) !== 'initiator') {
    throw new RuleViolation('CONTRACT_UPLOAD_BY_INITIATOR', {
      title: '已签署合同由招标人（采购人）上传',
    });
  }
  if (contract.status !== 'draft') {
    throw new RuleViolation('CONTRACT_SIGNING_STARTED', {
      title: '已开始在线签署，不能再上传线下签署的合同',
    });
  }
  if (!(await ctx.deps.blobs.has(input.pdfSha256))) {
    throw new NotFound('BLOB_NOT_FOUND', {
      title: '合同文件不存在',
      detail: '请先上传已签署的合同 PDF，再提交其签名。',
    });
  }
  const message = pdfSigningText(contract.id, input.pdfSha256);
  const signed: { party: ContractParty; organizationId: string; signature: string; fingerprint: string }[] =
    [];
  for (const [party, organizationId, signature] of [
    ['initiator', contract.initiator_organization_id, input.initiatorSignature],
    ['supplier', contract.supplier_organization_id, input.supplierSignature],
  ] as const) {
    const fingerprint = await verifyPartySignature(ctx, organizationId, message, signature);
    signed.push({ party, organizationId, signature, fingerprint });
  }
  const now = ctx.clock.now();
  const messageSm3 = sm3Hex(new TextEncoder().encode(message));
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockContract(tx, contractId);
    if (current?.status !== 'draft') throw alreadySigned();
    for (const s of signed) {
      await store.insertSignatureIfAbsent(tx, {
        contract_id: contractId,
        party: s.party,
        organization_id: s.organizationId,
        account_id: actor.accountId,
        method: 'upload',
        message_sm3: messageSm3,
        signature: s.signature,
        certificate_fingerprint: s.fingerprint,
        signed_at: now,
      });
    }
    await store.updateContract(tx, contractId, { pdf_sha256: input.pdfSha256, updated_at: now });
    await conclude(tx, ctx.origin, current, now, {
      method: 'upload',
      lateReason: input.lateReason?.trim() || current.late_reason,
      by: actor.accountId,
    });
  });
  return store.findContract(ctx.db, contractId);
}

/**
 * The contract is concluded (签订): within 30 日 of the notice, or after it only with the reason recorded and
 * an alert to the regulator. Every deposit not yet refunded is refunded from now (工程 5 日, 条例第五十七条;
 * 政府采购 5 工作日, 87号令第三十八条), the award is closed, and 政府采购's publication limit starts.
 */
async function conclude(
  tx: Tx,
  origin: WitnessOrigin,
  contract: store.ContractRow,
  now: Date,
  how: { method: SigningMethod; lateReason: string | null; by: string },
) {
  const late = now > contract.due_at;
  const noticeName = contract.law === 'rights' ? '成交通知书' : '中标通知书';
  if (late && !how.lateReason) {
    throw new RuleViolation('CONTRACT_LATE_REASON_REQUIRED', {
      title: '已超过合同签订期限，须说明理由',
      detail: `${noticeName}于 ${formatShanghaiTime(contract.notice_issued_at)} 发出，合同应在 ${formatShanghaiTime(contract.due_at)} 前签订。超期签订须写明理由，平台将记录并报告行政监督部门。`,
      citation: periodCitation(contract.law),
    });
  }
  const pubDue = contract.law === 'gp' ? publicationDueAt(now) : null;
  await store.updateContract(tx, contract.id, {
    status: 'signed',
    method: how.method,
    signed_at: now,
    late,
    late_reason: how.lateReason,
    late_reason_by: late ? (contract.late_reason_by ?? how.by) : contract.late_reason_by,
    refunds_scheduled_at: now,
    publication_due_at: pubDue,
    updated_at: now,
  });
  if (contract.law === 'rights') {
    // The auction settled every deposit at the deal (the winner's into the price, the rest refunded).
    await markDealContracted(tx, now, origin, contract.lot_id, contract.id);
  } else {
    await scheduleDepositRefunds(tx, now, origin, { lotId: contract.lot_id, reason: 'contract-signed' });
    await markAwardContracted(tx, now, origin, contract.lot_id, contract.id);
  }
  await witness(tx, now, origin, CONTRACT_WITNESS_TYPE, contract.id, 'contract.signed', {
    lotId: contract.lot_id,
    method: how.method,
    contractSm3: contract.contract_sm3,
    priceYuan: contract.price_yuan,
    late,
    lateReasonSm3: how.lateReason ? sm3Hex(new TextEncoder().encode(how.lateReason)) : null,
    publicationDueAt: pubDue?.toISOString() ?? null,
    citation: periodCitation(contract.law),
  });
  if (late) {
    await raiseAlert(tx, origin, contract, now, {
      kind: 'late-signed',
      daysBefore: 0,
      audience: 'regulator',
      title: '合同超期签订',
      detail: `${noticeName}发出后未在期限内签订合同，于 ${formatShanghaiTime(now)} 签订（期限 ${formatShanghaiTime(contract.due_at)}）。理由：${how.lateReason ?? ''}`,
      citation: periodCitation(contract.law),
    });
  }
  if (pubDue) {
    await enqueueJob(tx, {
      type: PUBLICATION_DUE_JOB,
      payload: { contractId: contract.id },
      runAt: pubDue,
      dedupeKey: `${PUBLICATION_DUE_JOB}:${contract.id}`,
    });
  }
}

async function raiseAlert(
  tx: Tx,
  origin: WitnessOrigin,
  where: { lot_id: string; id?: string | null; regulator: string; project_name: string; lot_name: string },
  now: Date,
  alert: {
    kind: AlertKind;
    daysBefore: number;
    audience: 'parties' | 'regulator';
    title: string;
    detail: string;
    citation: string;
  },
) {
  const id = randomUUID();
  const created = await store.insertAlertIfAbsent(tx, {
    id,
    lot_id: where.lot_id,
    contract_id: where.id ?? null,
    kind: alert.kind,
    days_before: alert.daysBefore,
    audience: alert.audience,
    regulator: where.regulator,
    project_name: where.project_name,
    lot_name: where.lot_name,
    title: alert.title,
    detail: alert.detail,
    citation: alert.citation,
    created_at: now,
  });
  if (!created) return;
  await witness(tx, now, origin, ALERT_WITNESS_TYPE, id, 'contract-alert.raised', {
    lotId: where.lot_id,
    kind: alert.kind,
    audience: alert.audience,
    daysBefore: alert.daysBefore,
    citation: alert.citation,
  });
}

/**
 * The contract limit's jobs (enqueued with the notice: the award's 30 日, an auction deal's 10 工作日): a
 * reminder to both parties N days before, and at the limit an alert to the regulator when no contract was
 * signed.
 */
export async function remindContractDeadline(
  deps: Deps,
  input: { lotId: string; kind: 'reminder' | 'overdue'; daysBefore: number },
): Promise<void> {
  const award = await findContractBasis(deps.db, input.lotId);
  if (award?.status !== 'notified' || !award.contractDueAt || !award.winner) return;
  const rights = award.law === 'rights';
  const winnerName = rights ? '竞得人' : '中标人';
  const citation = periodCitation(award.law);
  const now = deps.clock.now();
  const dueAt = award.contractDueAt;
  if (input.kind === 'overdue' && now <= dueAt) return;
  await deps.db.transaction().execute(async (tx) => {
    const contract = await store.lockContractOfLot(tx, input.lotId);
    if (contract?.status === 'signed') return;
    const where = {
      lot_id: input.lotId,
      id: contract?.id ?? null,
      regulator: award.regulator,
      project_name: award.projectName,
      lot_name: award.lotName,
    };
    if (input.kind === 'reminder') {
      await raiseAlert(tx, SYSTEM_ORIGIN, where, now, {
        kind: 'reminder',
        daysBefore: input.daysBefore,
        audience: 'parties',
        title: `合同签订提醒：距签订期限还有${input.daysBefore}日`,
        detail: `${award.projectName}${award.lotName}：${winnerName} ${award.winner?.bidderName ?? ''}，合同应在 ${formatShanghaiTime(dueAt)} 前签订。`,
        citation,
      });
    } else {
      await raiseAlert(tx, SYSTEM_ORIGIN, where, now, {
        kind: 'overdue',
        daysBefore: 0,
        audience: 'regulator',
        title: rights ? '成交通知书发出后未在期限内签订出让（转让）合同' : '中标通知书发出30日内未签订合同',
        detail: `${award.projectName}${award.lotName}：合同签订期限 ${formatShanghaiTime(dueAt)} 已过，尚未签订合同。`,
        citation,
      });
    }
  });
}

/** 合同公告: published by the initiator (政府采购 within 2 工作日 of signing, 政府采购法实施条例第五十条). */
export async function publishContract(ctx: ContractsContext, contractId: string) {
  const actor = requireSignedIn(ctx.actor);
  const contract = await store.findContract(ctx.db, contractId);
  if (!contract) throw contractNotFound();
  await assertActsForLot(ctx, contract.lot_id);
  if (contract.status !== 'signed' || !contract.signed_at) {
    throw new RuleViolation('CONTRACT_NOT_SIGNED', { title: '合同签订后方可公告' });
  }
  if (contract.published_at) throw new RuleViolation('CONTRACT_ALREADY_PUBLISHED', { title: '合同已经公告' });
  if (contract.law === 'rights') {
    throw new RuleViolation('CONTRACT_PUBLICATION_NOT_APPLICABLE', {
      title: '出让（转让）合同不另行发布合同公告',
      detail: '竞价交易的结果已在成交公示中公开（竞得人、成交价）；合同公告适用于招标投标和政府采购项目。',
      citation: AUCTION_CITATIONS.result,
    });
  }
  const now = ctx.clock.now();
  const terms = contract.terms;
  const body = [
    `${contract.project_name}（标段编号 ${contract.lot_code}，${contract.lot_name}）合同已签订，现予公告：`,
    '',
    `合同名称：${contract.title}`,
    `甲方（招标人/采购人）：${contract.initiator_name}`,
    `乙方（中标人/供应商）：${contract.supplier_name}（统一社会信用代码 ${contract.supplier_credit_code}）`,
    `合同金额：${formatYuanZh(contract.price_yuan)}`,
    `合同标的：${terms.scope}`,
    ...(terms.period ? [`履行期限：${terms.period}`] : []),
    ...(terms.quality ? [`质量标准：${terms.quality}`] : []),
    `签订时间：${formatShanghaiTime(contract.signed_at)}`,
    `合同文本 SM3：${contract.contract_sm3}`,
  ].join('\n');
  const late = contract.publication_due_at !== null && now > contract.publication_due_at;
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockContract(tx, contractId);
    if (current?.published_at)
      throw new RuleViolation('CONTRACT_ALREADY_PUBLISHED', { title: '合同已经公告' });
    const published = await publishSystemAnnouncement(tx, now, ctx.origin, actor.accountId, {
      lotId: contract.lot_id,
      kind: 'contract',
      title: `${contract.project_name}${contract.lot_name}合同公告`,
      body,
    });
    await store.updateContract(tx, contractId, {
      published_at: now,
      announcement_id: published.id,
      publication_late_at: late
        ? (current?.publication_late_at ?? now)
        : (current?.publication_late_at ?? null),
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, CONTRACT_WITNESS_TYPE, contractId, 'contract.published', {
      announcementId: published.id,
      late,
      citation: contract.law === 'gp' ? CITATIONS.publicationGp : CITATIONS.terms,
    });
  });
  return store.findContract(ctx.db, contractId);
}

/** 政府采购: a contract not published within 2 工作日 of signing is flagged and reported to the regulator. */
export async function flagPublicationLate(deps: Deps, contractId: string): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const contract = await store.lockContract(tx, contractId);
    if (!contract?.publication_due_at || contract.published_at || contract.publication_late_at) return;
    if (now <= contract.publication_due_at) return;
    await store.updateContract(tx, contractId, { publication_late_at: now, updated_at: now });
    await witness(tx, now, SYSTEM_ORIGIN, CONTRACT_WITNESS_TYPE, contractId, 'contract.publication-late', {
      dueAt: contract.publication_due_at.toISOString(),
      citation: CITATIONS.publicationGp,
    });
    await raiseAlert(tx, SYSTEM_ORIGIN, contract, now, {
      kind: 'publication-late',
      daysBefore: 0,
      audience: 'regulator',
      title: '政府采购合同未按期公告',
      detail: `合同于 ${formatShanghaiTime(contract.signed_at ?? now)} 签订，应在 ${formatShanghaiTime(contract.publication_due_at)} 前公告。`,
      citation: CITATIONS.publicationGp,
    });
  });
}
