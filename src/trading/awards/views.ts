import { Forbidden } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import { openAward } from './awards.ts';
import type { AwardsContext, ReadDb } from './context.ts';
import { getEvaluationOutcome, readOpeningOutcome } from './deps.ts';
import { assertActsForLot, assertResponder, noReport, requireSignedIn } from './policy.ts';
import { CITATIONS, contractDueAt, FAILURE_REASON_NAMES_ZH, SKIP_REASON_NAMES_ZH } from './rules.ts';
import * as store from './store.ts';
import type { AwardStatus } from './tables.ts';

export const AWARD_STATUS_NAMES_ZH: Record<AwardStatus, string> = {
  reported: '已收到评标报告',
  'evaluation-failed': '评标失败（待宣布流标）',
  publicity: '中标候选人公示中',
  confirmed: '已确定中标人',
  notified: '已发出中标通知书',
  contracted: '已签订合同',
  failed: '已流标',
  terminated: '已终止',
};

const iso = (d: Date | null) => d?.toISOString() ?? null;
const yuan = (v: string | null) => (v === null ? null : fenToYuan(yuanToFen(v)));

function winnerOf(row: store.AwardRow) {
  return row.winner_bid_id
    ? {
        bidId: row.winner_bid_id,
        organizationId: row.winner_organization_id ?? '',
        bidderName: row.winner_name ?? '',
        creditCode: row.winner_credit_code ?? '',
        priceYuan: yuan(row.winner_price_yuan) ?? '0.00',
        rank: row.winner_rank,
      }
    : null;
}

function deadlinesOf(row: store.AwardRow) {
  const works = row.law === 'works';
  return {
    /** 工程: publish the candidates by; 政府采购: decide by (else the first candidate is deemed the winner). */
    first: row.due_at
      ? {
          kind: works ? 'publication' : 'decision',
          nameZh: works
            ? '中标候选人公示发布期限（收到评标报告后3日内）'
            : '采购人确定中标人期限（收到评审报告后5个工作日内）',
          dueAt: row.due_at.toISOString(),
          late: row.late_flagged_at !== null,
          citation: works ? CITATIONS.publicity : CITATIONS.gpDecision,
        }
      : null,
    notice: row.notice_due_at
      ? {
          nameZh: '中标通知书与中标结果公告期限（确定中标人后2个工作日内）',
          dueAt: row.notice_due_at.toISOString(),
          late: row.notice_late_flagged_at !== null,
          citation: CITATIONS.gpNotice,
        }
      : null,
    contract: row.notice_issued_at
      ? {
          nameZh: '合同签订期限（中标通知书发出后30日内）',
          dueAt: contractDueAt(row.notice_issued_at).toISOString(),
          citation: CITATIONS.contractPeriod,
        }
      : null,
  };
}

function objectionView(o: store.ObjectionRow) {
  return {
    id: o.id,
    seq: o.seq,
    organizationId: o.organization_id,
    bidderName: o.bidder_name,
    text: o.text,
    raisedAt: o.raised_at.toISOString(),
    answerDueAt: o.answer_due_at.toISOString(),
    answer: o.answer,
    answeredAt: iso(o.answered_at),
    late: o.late_flagged_at !== null,
  };
}

function baseView(row: store.AwardRow) {
  return {
    lotId: row.lot_id,
    lotCode: row.lot_code,
    lotName: row.lot_name,
    projectName: row.project_name,
    procedureType: row.procedure_type,
    law: row.law,
    mandatoryTender: row.mandatory_tender,
    status: row.status,
    statusNameZh: AWARD_STATUS_NAMES_ZH[row.status],
    reportedAt: iso(row.reported_at),
    reportSm3: row.report_sm3,
    publicity: row.publicity_published_at
      ? {
          announcementId: row.publicity_announcement_id,
          publishedAt: row.publicity_published_at.toISOString(),
          endsAt: iso(row.publicity_ends_at),
          objectionChannel: row.objection_channel,
        }
      : null,
    winner: winnerOf(row),
    confirmedAt: iso(row.confirmed_at),
    deemed: row.deemed,
    skipReason: row.skip_reason_code
      ? {
          code: row.skip_reason_code,
          nameZh: SKIP_REASON_NAMES_ZH[row.skip_reason_code],
          text: row.skip_reason_text,
        }
      : null,
    notice: row.notice_issued_at
      ? {
          issuedAt: row.notice_issued_at.toISOString(),
          sm3: row.notice_sm3,
          resultAnnouncementId: row.result_announcement_id,
          resultPublicityEndsAt: iso(row.result_publicity_ends_at),
        }
      : null,
    failure: row.failure_reason
      ? {
          reason: row.failure_reason,
          nameZh: FAILURE_REASON_NAMES_ZH[row.failure_reason],
          text: row.failure_text,
          at: iso(row.failed_at),
          announcementId: row.termination_announcement_id,
        }
      : null,
    contractedAt: iso(row.contracted_at),
    deadlines: deadlinesOf(row),
  };
}

/** The initiator's / agency's view: the candidates, every objection, the deadlines. */
export async function getAwardForParty(ctx: AwardsContext, lotId: string) {
  await assertActsForLot(ctx, lotId);
  const row = await openAward(ctx, lotId);
  if (!row) throw noReport();
  const objections = await store.listObjections(ctx.db, lotId);
  return {
    ...baseView(row),
    candidates: row.candidates,
    objections: objections.map(objectionView),
    unansweredObjections: objections.filter((o) => !o.answered_at).length,
    skipReasons: Object.entries(SKIP_REASON_NAMES_ZH).map(([code, nameZh]) => ({ code, nameZh })),
  };
}

export async function listAwardsOfMine(ctx: AwardsContext) {
  const actor = requireSignedIn(ctx.actor);
  if (!actor.organizationId) return [];
  return (await store.listAwardsOfOrganization(ctx.db, actor.organizationId)).map(baseView);
}

/**
 * A bidder's own result: the candidates while they are public (工程 publicity), its own objections, and —
 * once the notice is out — its own score and rank only (87号令第六十九条: 告知未中标人本人的评审得分与排序),
 * and the notice itself when it won.
 */
export async function getMyResult(ctx: AwardsContext, lotId: string) {
  const actor = assertResponder(ctx.actor);
  const opening = await readOpeningOutcome(ctx.db, lotId);
  const entry = opening?.entries.find((e) => e.organizationId === actor.organizationId);
  if (!entry) throw new Forbidden('NO_BID_IN_LOT', { title: '本单位不是该标段已开标的投标人' });
  const row = await openAward(ctx, lotId);
  if (!row) {
    return { lotId, status: null, statusNameZh: '评标中', bidId: entry.bidId, own: null, candidates: [] };
  }
  const objections = (await store.listObjections(ctx.db, lotId)).filter(
    (o) => o.organization_id === actor.organizationId,
  );
  const decided = row.notice_issued_at !== null;
  let own: {
    rank: number | null;
    score: string | null;
    rejected: boolean;
    rejectionReason: string | null;
  } | null = null;
  if (decided || row.status === 'failed' || row.status === 'terminated') {
    const outcome = await getEvaluationOutcome(ctx.db, lotId);
    const mine = outcome?.bidders.find((b) => b.organizationId === actor.organizationId);
    own = mine
      ? { rank: mine.rank, score: mine.score, rejected: mine.rejected, rejectionReason: mine.rejectionReason }
      : null;
  }
  const isWinner = row.winner_organization_id === actor.organizationId;
  const view = baseView(row);
  return {
    ...view,
    // Before the notice, a bidder does not learn who was chosen from this view (the announcement says it).
    winner: decided ? view.winner : null,
    bidId: entry.bidId,
    candidates: row.publicity_published_at ? row.candidates : [],
    own,
    awarded: decided ? isWinner : null,
    noticeAvailable: decided && isWinner,
    objections: objections.map(objectionView),
    mayObject:
      row.status === 'publicity' &&
      row.publicity_ends_at !== null &&
      ctx.clock.now() <= row.publicity_ends_at,
  };
}

/** The signed 中标通知书: to the winner, the initiator and its agency. */
export async function getNotice(ctx: AwardsContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const row = await store.findAward(ctx.db, lotId);
  if (!row?.notice_json) {
    throw new Forbidden('AWARD_NOTICE_NOT_AVAILABLE', {
      title: '中标通知书不存在或无权查看',
      detail: '中标通知书发出后，中标人、招标人及其代理机构可以查看。',
    });
  }
  if (actor.organizationId !== row.winner_organization_id) await assertActsForLot(ctx, lotId);
  const signer = await ctx.deps.signer();
  return {
    notice: JSON.parse(row.notice_json) as unknown,
    noticeJson: row.notice_json,
    noticeSm3: row.notice_sm3,
    signature: {
      algorithm: 'sm2-sm3' as const,
      keyId: row.notice_key_id,
      value: row.notice_signature,
      publicKeyPem: signer.keyId === row.notice_key_id ? signer.publicKeyPem : null,
    },
  };
}

/** What the contracts module reads of an award (contracts.md): the winner and the notice. */
export interface AwardSummary {
  lotId: string;
  status: AwardStatus;
  law: 'works' | 'gp';
  lotCode: string;
  lotName: string;
  projectName: string;
  procedureType: string;
  initiatorOrganizationId: string;
  agencyOrganizationId: string | null;
  regulator: string;
  winner: {
    organizationId: string;
    bidderName: string;
    creditCode: string;
    bidId: string;
    priceYuan: string;
    fields: Record<string, string>;
  } | null;
  noticeIssuedAt: Date | null;
  noticeSm3: string | null;
  contractDueAt: Date | null;
  /** 中标候选人 in rank order (the open-data feed publishes them once their announcement is out). */
  candidates: {
    rank: number;
    bidderName: string;
    creditCode: string;
    priceYuan: string;
    score: string | null;
  }[];
  publicityPublishedAt: Date | null;
  failureReason: string | null;
  failedAt: Date | null;
}

export async function getAward(db: ReadDb, lotId: string): Promise<AwardSummary | null> {
  const row = await store.findAward(db, lotId);
  if (!row) return null;
  const winner = winnerOf(row);
  const candidate = row.candidates.find((c) => c.bidId === row.winner_bid_id);
  return {
    lotId: row.lot_id,
    status: row.status,
    law: row.law,
    lotCode: row.lot_code,
    lotName: row.lot_name,
    projectName: row.project_name,
    procedureType: row.procedure_type,
    initiatorOrganizationId: row.initiator_organization_id,
    agencyOrganizationId: row.agency_organization_id,
    regulator: row.regulator,
    winner: winner
      ? {
          organizationId: winner.organizationId,
          bidderName: winner.bidderName,
          creditCode: winner.creditCode,
          bidId: winner.bidId,
          priceYuan: winner.priceYuan,
          fields: candidate?.fields ?? {},
        }
      : null,
    noticeIssuedAt: row.notice_issued_at,
    noticeSm3: row.notice_sm3,
    contractDueAt: row.notice_issued_at ? contractDueAt(row.notice_issued_at) : null,
    candidates: row.candidates.map((c) => ({
      rank: c.rank,
      bidderName: c.bidderName,
      creditCode: c.creditCode,
      priceYuan: c.priceYuan,
      score: c.score,
    })),
    publicityPublishedAt: row.publicity_published_at,
    failureReason: row.failure_reason,
    failedAt: row.failed_at,
  };
}
