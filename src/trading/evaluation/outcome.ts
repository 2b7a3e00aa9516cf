import type { Kysely } from 'kysely';
import type { EvaluationDb } from './context.ts';
import type { AggregationSnapshot } from './scoring.ts';
import * as store from './store.ts';
import type { MemberKind } from './tables.ts';

/** What the award (定标) reads of a finished evaluation (contracts.md). */
export interface EvaluationOutcome {
  lotId: string;
  /** failed = every bid rejected / too few qualified (流标). */
  status: 'reported' | 'failed';
  failedReason: string | null;
  reportId: string;
  reportSm3: string;
  reportPdfSha256: string | null;
  /** When the report was fully signed. */
  reportedAt: Date;
  method: string;
  /** ≤ 3, in rank order. */
  candidates: {
    rank: number;
    bidId: string;
    organizationId: string;
    bidderName: string;
    creditCode: string;
    priceYuan: string;
    score: string | null;
  }[];
  /** Every opened bid. */
  bidders: {
    organizationId: string;
    bidderName: string;
    bidId: string;
    rank: number | null;
    score: string | null;
    rejected: boolean;
    rejectionReason: string | null;
  }[];
  members: { name: string; kind: MemberKind; isChair: boolean }[];
}

/** The evaluation's outcome once its report is fully signed; null before. */
export async function getEvaluationOutcome(
  db: Kysely<EvaluationDb>,
  lotId: string,
): Promise<EvaluationOutcome | null> {
  const evaluation = await store.findEvaluation(db, lotId);
  if (evaluation?.status !== 'reported') return null;
  const report = await store.findReport(db, lotId);
  const snapshot = evaluation.aggregation as AggregationSnapshot | null;
  if (!report?.completed_at || !snapshot) return null;
  const members = (await store.listMembers(db, lotId)).filter((m) => m.status === 'active');
  const byBid = new Map(snapshot.bidders.map((b) => [b.bidId, b]));
  return {
    lotId,
    status: snapshot.failed ? 'failed' : 'reported',
    failedReason: snapshot.failedReason,
    reportId: report.id,
    reportSm3: report.sm3,
    reportPdfSha256: report.pdf_sha256,
    reportedAt: report.completed_at,
    method: evaluation.method,
    candidates: snapshot.candidates.flatMap((bidId, i) => {
      const b = byBid.get(bidId);
      return b
        ? [
            {
              rank: i + 1,
              bidId,
              organizationId: b.organizationId,
              bidderName: b.bidderName,
              creditCode: b.creditCode,
              priceYuan: b.priceYuan ?? '0.00',
              score: b.score,
            },
          ]
        : [];
    }),
    bidders: snapshot.bidders.map((b) => ({
      organizationId: b.organizationId,
      bidderName: b.bidderName,
      bidId: b.bidId,
      rank: b.rank,
      score: b.score,
      rejected: b.rejected,
      rejectionReason: b.rejected ? `${b.rejectionGroundNameZh ?? ''}：${b.rejectionReason ?? ''}` : null,
    })),
    members: members.map((m) => ({
      name: m.name,
      kind: m.kind,
      isChair: evaluation.chair_member_id === m.id,
    })),
  };
}
