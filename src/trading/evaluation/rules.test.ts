import { describe, expect, test } from 'vitest';
import { RuleViolation } from '../../platform/errors.ts';
import {
  abnormallyLow,
  aggregate,
  assertValidPlan,
  checkComposition,
  priceScoreCenti,
  scoreDeviations,
} from './rules.ts';
import type { EvaluationPlan } from './tables.ts';

const comprehensive = (priceWeight: number, detailedMax = 100 - priceWeight): EvaluationPlan => ({
  method: 'comprehensive',
  criteria: [
    {
      id: 'q1',
      step: 'qualification',
      name: '营业执照',
      kind: 'pass-fail',
      min: null,
      max: null,
      objective: false,
      ground: 'unqualified',
    },
    {
      id: 'd1',
      step: 'detailed',
      name: '技术方案',
      kind: 'scored',
      min: 0,
      max: detailedMax,
      objective: false,
      ground: null,
    },
  ],
  priceWeight,
  abnormalLowPercent: 80,
  candidateCount: 3,
});

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof RuleViolation ? error.code : 'other';
  }
}

describe('committee composition (招标投标法第三十七条; 87号令第四十七条)', () => {
  test('five with four experts passes; four, six, or too few experts fail with the rule', () => {
    expect(checkComposition({ law: 'works', experts: 4, representatives: 1, estimateFen: 0n })).toEqual([]);
    expect(
      checkComposition({ law: 'works', experts: 4, representatives: 0, estimateFen: 0n }).map((p) => p.code),
    ).toEqual(['TOO_FEW', 'EVEN']);
    expect(
      checkComposition({ law: 'works', experts: 3, representatives: 2, estimateFen: 0n }).map((p) => p.code),
    ).toEqual(['EXPERTS_UNDER_TWO_THIRDS']);
    expect(
      checkComposition({ law: 'works', experts: 5, representatives: 1, estimateFen: 0n })[0]?.citation,
    ).toContain('第三十七条');
  });
  test('GP with a budget of 1000万 or more needs seven', () => {
    const big = 1_000_000_000n;
    expect(
      checkComposition({ law: 'gp', experts: 5, representatives: 0, estimateFen: big }).map((p) => p.code),
    ).toEqual(['GP_LARGE_BUDGET']);
    expect(checkComposition({ law: 'gp', experts: 5, representatives: 0, estimateFen: big - 1n })).toEqual(
      [],
    );
    expect(checkComposition({ law: 'gp', experts: 6, representatives: 1, estimateFen: big })).toEqual([]);
  });
});

describe('the evaluation plan', () => {
  test('GP goods need a price weight of at least 30, services at least 10 (87号令第五十五条)', () => {
    const gpGoods = { law: 'gp' as const, catalogItemCode: '0201' };
    const gpServices = { law: 'gp' as const, catalogItemCode: '0203' };
    expect(code(() => assertValidPlan(comprehensive(29), gpGoods))).toBe('PLAN_INVALID');
    expect(code(() => assertValidPlan(comprehensive(30), gpGoods))).toBeNull();
    expect(code(() => assertValidPlan(comprehensive(10), gpServices))).toBeNull();
    expect(code(() => assertValidPlan(comprehensive(9), gpServices))).toBe('PLAN_INVALID');
  });
  test('weights must sum to 100; the method must belong to the law; a pass/fail item needs a listed ground', () => {
    const works = { law: 'works' as const, catalogItemCode: '0101' };
    expect(code(() => assertValidPlan(comprehensive(40, 50), works))).toBe('PLAN_INVALID');
    expect(code(() => assertValidPlan({ ...comprehensive(40), method: 'lowest-price' }, works))).toBe(
      'PLAN_INVALID',
    );
    const plan = comprehensive(40);
    plan.criteria[0] = { ...plan.criteria[0]!, ground: 'made-up' };
    expect(code(() => assertValidPlan(plan, works))).toBe('PLAN_INVALID');
  });
});

describe('prices', () => {
  test('低价优先法: base / price × weight, in hundredths, rounded half up', () => {
    expect(priceScoreCenti(100_000n, 100_000n, 3000)).toBe(3000);
    expect(priceScoreCenti(100_000n, 300_000n, 3000)).toBe(1000);
    expect(priceScoreCenti(200n, 300n, 1)).toBe(1); // 0.667 → 1
  });
  test('a price below 80% of the average of the others is flagged; with one price nothing is', () => {
    const flagged = abnormallyLow(
      [
        { bidId: 'a', priceFen: 100n },
        { bidId: 'b', priceFen: 100n },
        { bidId: 'c', priceFen: 79n },
      ],
      80,
    );
    expect([...flagged]).toEqual(['c']);
    expect(
      abnormallyLow(
        [
          { bidId: 'a', priceFen: 80n },
          { bidId: 'b', priceFen: 100n },
        ],
        80,
      ).size,
    ).toBe(0);
    expect(abnormallyLow([{ bidId: 'a', priceFen: 1n }], 80).size).toBe(0);
  });
});

describe('aggregation', () => {
  const plan = comprehensive(30);
  const members = ['m1', 'm2', 'm3'];
  const bids = [
    { bidId: 'A', seq: 1, priceFen: 100_000n },
    { bidId: 'B', seq: 2, priceFen: 200_000n },
    { bidId: 'C', seq: 3, priceFen: 150_000n },
    { bidId: 'D', seq: 4, priceFen: 120_000n },
  ];
  const score = (memberId: string, bidId: string, points: number) => ({
    memberId,
    bidId,
    criterionId: 'd1',
    centi: points * 100,
  });
  test('averages every member (no dropping), ranks by score then price, and fails a bid a majority failed', () => {
    const result = aggregate({
      plan,
      law: 'gp',
      memberIds: members,
      bids,
      rejected: new Map(),
      passFail: [
        { memberId: 'm1', bidId: 'C', criterionId: 'q1', passed: false },
        { memberId: 'm2', bidId: 'C', criterionId: 'q1', passed: false },
        { memberId: 'm3', bidId: 'D', criterionId: 'q1', passed: false },
      ],
      scores: [
        score('m1', 'A', 10),
        score('m2', 'A', 10),
        score('m3', 'A', 70), // an outlier counts: no dropping of highest/lowest
        score('m1', 'B', 70),
        score('m2', 'B', 70),
        score('m3', 'B', 70),
        score('m1', 'D', 20),
        score('m2', 'D', 20),
        score('m3', 'D', 20),
      ],
      minimumQualified: 3,
    });
    const byId = new Map(result.bidders.map((b) => [b.bidId, b]));
    expect(byId.get('C')?.rejection).toEqual({ ground: 'unqualified', criterionId: 'q1' });
    expect(byId.get('D')?.rejection).toBeNull(); // one of three is not a majority
    // A: price 30, subjective (10+10+70)/3 = 30 → 60.00
    expect(byId.get('A')?.scoreCenti).toBe(6000);
    // B: price 100000/200000×30 = 15, subjective 70 → 85.00
    expect(byId.get('B')?.scoreCenti).toBe(8500);
    expect(result.ranking).toEqual(['B', 'A', 'D']);
    expect(result.candidates).toEqual(['B', 'A', 'D']);
    expect(result.failed).toBe(false);
  });
  test('equal scores rank the lower price first; too few qualified bids fail the evaluation', () => {
    const lowest: EvaluationPlan = {
      ...plan,
      method: 'lowest-price',
      priceWeight: null,
      criteria: [plan.criteria[0]!],
    };
    const tie = aggregate({
      plan: lowest,
      law: 'gp',
      memberIds: members,
      bids: [
        { bidId: 'X', seq: 1, priceFen: 500n },
        { bidId: 'Y', seq: 2, priceFen: 400n },
        { bidId: 'Z', seq: 3, priceFen: 600n },
      ],
      rejected: new Map(),
      passFail: [],
      scores: [],
      minimumQualified: 3,
    });
    expect(tie.ranking).toEqual(['Y', 'X', 'Z']);
    const failed = aggregate({
      plan: lowest,
      law: 'gp',
      memberIds: members,
      bids: bids.slice(0, 3),
      rejected: new Map([['A', 'unqualified']]),
      passFail: [],
      scores: [],
      minimumQualified: 3,
    });
    expect(failed.failed).toBe(true);
    expect(failed.candidates).toEqual([]);
    expect(failed.failedReason).toContain('不足 3 家');
  });
  test('a member 30% or more from the median of a bid is flagged', () => {
    const flags = scoreDeviations([
      {
        bidId: 'A',
        rejection: null,
        priceFen: 1n,
        priceScoreCenti: 0,
        scoreCenti: 0,
        rank: 1,
        memberTotals: [
          { memberId: 'm1', centi: 8000 },
          { memberId: 'm2', centi: 8200 },
          { memberId: 'm3', centi: 5000 },
        ],
      },
    ]);
    expect([...flags.keys()]).toEqual(['m3']);
  });
});
