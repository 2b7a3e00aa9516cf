import type { Kysely } from 'kysely';
import { RuleViolation } from '../../platform/errors.ts';
import type { EvaluationDb } from './context.ts';
import { CITATIONS } from './rules.ts';
import type { AggregationSnapshot } from './scoring.ts';
import * as store from './store.ts';
import type { MemberKind } from './tables.ts';

/**
 * 评审打分证据 for the supervision system's risk monitoring (专家评分偏离, 办法第四十条 评标专家履职记录评价):
 * each committee member's total for each bid of a finished evaluation, as the aggregation used them. The
 * committee's scoring stays secret until the report is complete (招标投标法第三十八条、第四十四条):
 * refused before.
 */
export interface EvaluationScoreEvidence {
  lotId: string;
  method: string;
  reportedAt: Date;
  /** Members whose scoring counted (在任), experts with their pool id. */
  members: { memberId: string; kind: MemberKind; expertId: string | null; name: string }[];
  /** Every opened bid with each member's total (points, two decimals). */
  bidders: {
    bidId: string;
    organizationId: string;
    bidderName: string;
    creditCode: string;
    rejected: boolean;
    rank: number | null;
    memberTotals: { memberId: string; score: string }[];
  }[];
  /** The bid ranked first (第一中标候选人), if any. */
  firstCandidateBidId: string | null;
}

export async function readEvaluationScores(
  db: Kysely<EvaluationDb>,
  lotId: string,
): Promise<EvaluationScoreEvidence> {
  const evaluation = await store.findEvaluation(db, lotId);
  const report = evaluation?.status === 'reported' ? await store.findReport(db, lotId) : undefined;
  const snapshot = evaluation?.aggregation as AggregationSnapshot | null | undefined;
  if (!evaluation || !report?.completed_at || !snapshot) {
    throw new RuleViolation('EVALUATION_NOT_FINISHED', {
      title: '评标尚未结束，评审打分保密',
      detail: '评标报告签署完成后方可查看各评标委员会成员的打分。',
      citation: CITATIONS.secrecy,
    });
  }
  const members = (await store.listMembers(db, lotId)).filter((m) => m.status === 'active');
  return {
    lotId,
    method: evaluation.method,
    reportedAt: report.completed_at,
    members: members.map((m) => ({ memberId: m.id, kind: m.kind, expertId: m.expert_id, name: m.name })),
    bidders: snapshot.bidders.map((b) => ({
      bidId: b.bidId,
      organizationId: b.organizationId,
      bidderName: b.bidderName,
      creditCode: b.creditCode,
      rejected: b.rejected,
      rank: b.rank,
      memberTotals: b.memberTotals.map((t) => ({ memberId: t.memberId, score: t.score })),
    })),
    firstCandidateBidId: snapshot.candidates[0] ?? null,
  };
}
