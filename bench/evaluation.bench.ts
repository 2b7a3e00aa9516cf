/**
 * Evaluation bench (评标汇总与评标报告): `npm run bench evaluation`.
 *
 * A committee of 9 scoring 200 bids on 60 criteria (10 pass/fail items in 资格审查/初步评审, 50 scored items
 * in 详细评审, price weight 30): 9 × 200 × 60 = 108,000 marks.
 * Measured:
 *  - aggregation + ranking + report data: `aggregate` (majority pass/fail, price scores, members' totals,
 *    averages, ranking), `scoreDeviations` (§40 考核), and the report's data — canonical JSON of every score
 *    and result and its SM3 — target < 1 s;
 *  - the report PDF (`renderReportPdf`: pdf-lib + fontkit, Noto Sans SC subset embedded) — target < 5 s.
 * Baselines, in the same run: canonical JSON + SM3 of the raw marks alone (no aggregation), and pdf-lib
 * embedding the same font for a one-line page.
 *
 * BENCH_RUNS (5): the figure is the median of the runs, after one warm-up.
 */
import { performance } from 'node:perf_hooks';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { sm3Hex } from '../src/platform/crypto/index.ts';
import { canonicalJson } from '../src/platform/witness/index.ts';
import {
  type AggregationInput,
  aggregate,
  type EvaluationPlan,
  REPORT_FORMAT,
  type ReportContent,
  renderReportPdf,
  reportFontBytes,
  scoreDeviations,
} from '../src/trading/evaluation/index.ts';
import { fmt } from './support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MEMBERS = 9;
const BIDS = 200;
const PASS_FAIL = 10;
const SCORED = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

async function measure<T>(fn: () => Promise<T> | T): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await time(fn)).ms);
  return median(times);
}

// ------------------------------------------------------------------------------------------- data

let seed = 20260601;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const plan: EvaluationPlan = {
  method: 'comprehensive',
  criteria: [
    ...Array.from({ length: PASS_FAIL }, (_, i) => ({
      id: `pf${i}`,
      step: i < PASS_FAIL / 2 ? ('qualification' as const) : ('preliminary' as const),
      name: `合格制因素${i + 1}`,
      kind: 'pass-fail' as const,
      min: null,
      max: null,
      objective: false,
      ground: 'unqualified',
    })),
    ...Array.from({ length: SCORED }, (_, i) => ({
      id: `s${i}`,
      step: 'detailed' as const,
      name: `打分项${i + 1}`,
      kind: 'scored' as const,
      min: 0,
      max: 1.4,
      objective: i % 5 === 0,
      ground: null,
    })),
  ],
  priceWeight: 30,
  abnormalLowPercent: 80,
  candidateCount: 3,
};
const memberIds = Array.from({ length: MEMBERS }, (_, i) => `member-${i + 1}`);
const bids = Array.from({ length: BIDS }, (_, i) => ({
  bidId: `bid-${String(i + 1).padStart(4, '0')}`,
  seq: i + 1,
  priceFen: BigInt(Math.round(900_000_00 + random() * 200_000_00)),
}));
const passFail: AggregationInput['passFail'] = [];
const scores: AggregationInput['scores'] = [];
for (const memberId of memberIds) {
  for (const b of bids) {
    for (const c of plan.criteria) {
      if (c.kind === 'pass-fail')
        passFail.push({ memberId, bidId: b.bidId, criterionId: c.id, passed: random() > 0.002 });
      else scores.push({ memberId, bidId: b.bidId, criterionId: c.id, centi: Math.round(random() * 140) });
    }
  }
}
const input: AggregationInput = {
  plan,
  law: 'gp',
  memberIds,
  bids,
  rejected: new Map([[bids[7]!.bidId, 'unsigned']]),
  passFail,
  scores,
  minimumQualified: 3,
};

function rawMarks() {
  return memberIds.map((memberId) => ({
    memberId,
    items: [
      ...passFail
        .filter((m) => m.memberId === memberId)
        .map((m) => [m.bidId, m.criterionId, m.passed ? 'pass' : 'fail', null]),
      ...scores
        .filter((m) => m.memberId === memberId)
        .map((m) => [m.bidId, m.criterionId, (m.centi / 100).toFixed(2), null]),
    ],
  }));
}
const marks = rawMarks();

function reportData(): { content: ReportContent; sm3: string } {
  const result = aggregate(input);
  const deviations = scoreDeviations(result.bidders);
  const text = (centi: number | null) => (centi === null ? null : (centi / 100).toFixed(2));
  const bidders = result.bidders.map((b) => ({
    bidId: b.bidId,
    seq: Number(b.bidId.slice(4)),
    organizationId: `org-${b.bidId}`,
    bidderName: `内蒙古测试建设工程有限公司${b.bidId.slice(4)}`,
    creditCode: '91150100MA0N000000',
    openedPriceYuan: b.priceFen === null ? null : (Number(b.priceFen) / 100).toFixed(2),
    priceYuan: b.priceFen === null ? null : (Number(b.priceFen) / 100).toFixed(2),
    abnormallyLow: false,
    rejected: b.rejection !== null,
    rejectionGround: b.rejection?.ground ?? null,
    rejectionGroundNameZh: b.rejection ? '不具备招标文件中规定的资格要求' : null,
    rejectionReason: b.rejection ? '多数成员认定不合格' : null,
    rejectionCriterionId: b.rejection?.criterionId ?? null,
    priceScore: text(b.priceScoreCenti),
    score: text(b.scoreCenti),
    rank: b.rank,
    memberTotals: b.memberTotals.map((t) => ({ memberId: t.memberId, score: (t.centi / 100).toFixed(2) })),
  }));
  const byId = new Map(bidders.map((b) => [b.bidId, b]));
  const content: ReportContent = {
    format: REPORT_FORMAT,
    lot: {
      id: 'lot-bench',
      code: 'E1501000000000001001',
      name: '货物采购',
      projectName: '评标汇总基准项目',
      projectCode: 'E1501000000000001',
      procedureType: 'open-tender.gp',
    },
    law: 'gp',
    method: 'comprehensive',
    methodNameZh: '综合评估法（综合评分法）',
    planSm3: sm3Hex(canonicalJson(plan)),
    openingRecordSm3: null,
    criteria: plan.criteria,
    priceWeight: plan.priceWeight,
    committee: memberIds.map((memberId, i) => ({
      memberId,
      seq: i + 1,
      name: `专家${i + 1}`,
      kind: 'expert',
      isChair: i === 0,
      venueRole: 'host',
      venueName: '第一评标室',
      signedInAt: '2026-06-01T01:00:00.000Z',
      late: deviations.has(memberId),
      declaredAt: '2026-06-01T01:05:00.000Z',
    })),
    replacedMembers: [],
    sheets: [],
    scores: marks as ReportContent['scores'],
    priceCorrections: [],
    rejections: [],
    adjustments: [],
    clarifications: [],
    bidders,
    candidates: result.candidates.map((bidId, i) => ({
      rank: i + 1,
      bidId,
      bidderName: byId.get(bidId)?.bidderName ?? '',
      creditCode: byId.get(bidId)?.creditCode ?? '',
      priceYuan: byId.get(bidId)?.priceYuan ?? '0.00',
      score: byId.get(bidId)?.score ?? null,
    })),
    outcome: result.failed ? 'failed' : 'candidates',
    failedReason: result.failedReason,
    generatedAt: '2026-06-01T08:00:00.000Z',
  };
  return { content, sm3: sm3Hex(canonicalJson(content)) };
}

async function onePagePdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(await reportFontBytes(), { subset: true });
  pdf.addPage().drawText('评标报告', { x: 50, y: 700, size: 18, font });
  return pdf.save();
}

// ------------------------------------------------------------------------------------------- runs

console.log(
  `evaluation: ${MEMBERS} members × ${BIDS} bids × ${PASS_FAIL + SCORED} criteria = ${fmt(MEMBERS * BIDS * (PASS_FAIL + SCORED))} marks; median of ${RUNS} runs`,
);
const baselineJson = await measure(() => sm3Hex(canonicalJson(marks)));
const aggregation = await measure(() => reportData());
console.log(
  `  aggregation + ranking + report data (canonical JSON + SM3): ${fmt(aggregation, 1)} ms (target < 1000 ms)`,
);
console.log(`    baseline, canonical JSON + SM3 of the raw marks only:       ${fmt(baselineJson, 1)} ms`);
const { content, sm3 } = reportData();
const signatures = memberIds.map((memberId, i) => ({
  memberId,
  kind: i === 1 ? ('dissent' as const) : ('signed' as const),
  text: i === 1 ? '对部分技术评分持保留意见。' : null,
  at: new Date('2026-06-01T09:00:00Z'),
  fingerprint: 'ab'.repeat(32),
}));
await reportFontBytes();
const baselinePdf = await measure(() => onePagePdf());
const pdfMs = await measure(() => renderReportPdf(content, sm3, signatures));
const pdfBytes = await renderReportPdf(content, sm3, signatures);
console.log(
  `  report PDF (${fmt(pdfBytes.length / 1024)} KB, ${BIDS} bidders × ${MEMBERS} members): ${fmt(pdfMs, 0)} ms (target < 5000 ms)`,
);
console.log(`    baseline, pdf-lib + the same font subset, one line on one page: ${fmt(baselinePdf, 0)} ms`);
