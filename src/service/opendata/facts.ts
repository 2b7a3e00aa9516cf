import { shanghaiDateOf } from '../../platform/clock/index.ts';
import type { ProcessFacts } from './deps.ts';
import type { ProcessSnapshot } from './types.ts';

const NOTICE_KINDS = new Set([
  'tender',
  'procurement',
  'prequalification',
  'single-source-notice',
  'transfer-notice',
]);
const FAILED_REASONS = new Set(['evaluation-failed', 'all-candidates-declined']);

/** The statistics' facts of one of the platform's own processes (数据汇集和统计分析, §31). */
export function factsOfSnapshot(s: ProcessSnapshot): ProcessFacts {
  const notice = s.announcements.find((a) => NOTICE_KINDS.has(a.kind)) ?? s.announcements[0];
  // 拍卖、挂牌、网络竞价 publish their 成交公示 / 不成交公告 instead of a 结果公告.
  const result = s.announcements.find((a) => a.kind === 'result' || a.kind === 'deal-publicity');
  const terminated = s.announcements.some((a) => a.kind === 'termination');
  const winner = s.award?.winner ?? null;
  const dealt = s.announcements.some((a) => a.kind === 'deal-publicity');
  const failed =
    s.opening?.failed === true ||
    s.announcements.some((a) => a.kind === 'no-deal') ||
    (s.award?.failureReason ? FAILED_REASONS.has(s.award.failureReason) : false);
  const status: ProcessFacts['status'] =
    s.contract || winner || dealt
      ? 'complete'
      : failed
        ? 'unsuccessful'
        : terminated
          ? 'cancelled'
          : 'active';
  const announcedAt = notice?.publishedAt ?? null;
  return {
    source: 'platform',
    key: s.ocid,
    categoryCode: s.lot.categoryCode,
    regionCode: s.lot.regionCode,
    method: s.lot.procedureType,
    law: s.lot.law,
    month: shanghaiDateOf(announcedAt ?? s.lot.createdAt).slice(0, 7),
    budgetYuan: s.lot.estimateYuan,
    awardYuan: s.contract?.priceYuan ?? winner?.priceYuan ?? null,
    bidders: s.opening ? s.opening.bids.length : null,
    status,
    announcedAt,
    openedAt: s.opening?.publishedAt ?? null,
    awardedAt: winner || dealt ? (result?.publishedAt ?? s.award?.noticeIssuedAt ?? null) : null,
    contractedAt: s.contract?.signedAt ?? null,
    updatedAt: s.asOf,
  };
}
