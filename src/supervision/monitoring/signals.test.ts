import { describe, expect, test } from 'vitest';
import { findRule, RULES, validateThresholds } from './rules.ts';
import {
  arithmeticProgression,
  coefficientOfVariation,
  groupsOf,
  machineGroups,
  normalizeMac,
  type PricedBid,
  pricePairs,
  priceRatio,
  relativeDistance,
  scoreDeviations,
  sharedValues,
} from './signals.ts';

const bid = (organizationId: string, yuan: number): PricedBid => ({
  organizationId,
  bidderName: `投标人${organizationId}`,
  priceFen: BigInt(Math.round(yuan * 100)),
});

describe('identity collisions (实施条例第四十条)', () => {
  test('bidders linked through any shared value form one group; a value held by one bidder links nobody', () => {
    const shared = sharedValues([
      { organizationId: 'a', values: ['1.1.1.1'] },
      { organizationId: 'b', values: ['1.1.1.1', '2.2.2.2'] },
      { organizationId: 'c', values: ['2.2.2.2'] },
      { organizationId: 'd', values: ['3.3.3.3'] },
      { organizationId: 'a', values: ['1.1.1.1'] },
    ]);
    expect(shared.map((s) => s.value)).toEqual(['1.1.1.1', '2.2.2.2']);
    const groups = groupsOf(shared);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.organizationIds).toEqual(['a', 'b', 'c']);
  });

  test('MACs compare in one spelling; the all-zero address never counts; a CPU model alone only corroborates', () => {
    expect(normalizeMac('aa-bb-cc-dd-ee-01')).toBe('AA:BB:CC:DD:EE:01');
    expect(normalizeMac('00:00:00:00:00:00')).toBeNull();
    const machines = [
      {
        organizationId: 'a',
        macs: ['aa:bb:cc:dd:ee:01'],
        cpu: 'Intel i7',
        diskSerial: null,
        hostname: 'pc1',
      },
      {
        organizationId: 'b',
        macs: ['AA-BB-CC-DD-EE-01'],
        cpu: 'Intel i7',
        diskSerial: 'S1',
        hostname: 'pc2',
      },
      {
        organizationId: 'c',
        macs: ['00:00:00:00:00:00'],
        cpu: 'Intel i7',
        diskSerial: 'S9',
        hostname: 'pc3',
      },
    ];
    const groups = machineGroups(machines, ['mac', 'disk']);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.organizationIds).toEqual(['a', 'b']);
    expect(groups[0]!.shared).toEqual([
      { kind: 'mac', value: 'AA:BB:CC:DD:EE:01', organizationIds: ['a', 'b'] },
    ]);
    expect(groups[0]!.corroborating.map((c) => c.kind)).toEqual(['cpu']);
    // Counting the CPU model on its own links all three.
    expect(machineGroups(machines, ['cpu'])[0]!.organizationIds).toEqual(['a', 'b', 'c']);
  });
});

describe('bid-price screens', () => {
  test('CV is the sample standard deviation over the mean; RD the gap to the losing bids over their dispersion', () => {
    const bids = [bid('a', 100), bid('b', 110), bid('c', 120)];
    const cv = coefficientOfVariation(bids, 3)!;
    expect(cv.sd).toBeCloseTo(10, 10);
    expect(cv.cv).toBeCloseTo(10 / 110, 10);
    expect(coefficientOfVariation(bids.slice(0, 2), 3)).toBeNull();
    const rd = relativeDistance([bid('a', 90), bid('b', 110), bid('c', 120)], 3)!;
    expect(rd.rd).toBeCloseTo(20 / Math.sqrt(50), 10);
    // Equal losing bids have no dispersion to measure against.
    expect(relativeDistance([bid('a', 90), bid('b', 110), bid('c', 110)], 3)).toBeNull();
  });

  test('an arithmetic progression of prices is found within the tolerance, not otherwise', () => {
    const ap = arithmeticProgression([bid('a', 1_020_000), bid('b', 1_000_000), bid('c', 1_010_000)], 3, 0n);
    expect(ap?.steps).toEqual([1_000_000n, 1_000_000n]);
    expect(arithmeticProgression([bid('a', 100), bid('b', 110), bid('c', 121)], 3, 0n)).toBeNull();
    expect(arithmeticProgression([bid('a', 100), bid('b', 110), bid('c', 121)], 3, 100n)).not.toBeNull();
    expect(arithmeticProgression([bid('a', 100), bid('b', 100), bid('c', 100)], 3, 0n)).toBeNull();
  });

  test('R023 ratios are exact to two decimals, ordered by organisation, equal prices left out', () => {
    expect(priceRatio(100_000_000n, 110_000_000n)).toBe('0.91');
    expect(priceRatio(1005n, 1000n)).toBe('1.01'); // 1.005 rounds half up
    expect(priceRatio(3n, 1n)).toBe('3.00');
    const pairs = pricePairs([bid('z', 200), bid('a', 100), bid('m', 100)]);
    expect(pairs.map((p) => [p.a.organizationId, p.b.organizationId, p.ratio])).toEqual([
      ['a', 'z', '0.50'],
      ['m', 'z', '0.50'],
    ]);
  });
});

describe('expert scoring', () => {
  test('a member more than the percentage away from the committee mean is found, per bid', () => {
    const found = scoreDeviations(
      {
        bidders: [
          {
            bidId: 'b1',
            bidderName: '甲',
            memberTotals: [
              { memberId: 'm1', score: '80.00' },
              { memberId: 'm2', score: '82.00' },
              { memberId: 'm3', score: '40.00' },
            ],
          },
        ],
      },
      30,
      3,
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ memberId: 'm3', bidId: 'b1', score: 40 });
    expect(found[0]!.deviationPercent).toBeGreaterThan(30);
  });
});

describe('thresholds are validated against each rule', () => {
  test('every default is valid', () => {
    for (const rule of RULES)
      expect(validateThresholds(rule, rule.defaultThresholds)).toEqual(rule.defaultThresholds);
  });

  test('a negative CV, a ratio repeated fewer than twice, a deviation over 100 % and an unknown field are refused', () => {
    const refused = (code: string, value: unknown) => {
      try {
        validateThresholds(findRule(code)!, value);
      } catch (error) {
        return error as { code: string; status: number; detail: string };
      }
      throw new Error(`accepted ${JSON.stringify(value)} for ${code}`);
    };
    expect(refused('price-cv', { maxCv: -0.05, minBids: 3 })).toMatchObject({
      code: 'RULE_THRESHOLD_INVALID',
      status: 400,
    });
    expect(refused('fixed-ratio', { minRepeats: 1 }).detail).toContain('重复次数不得小于 2');
    expect(refused('score-deviation', { maxDeviationPercent: 120, minMembers: 3 }).detail).toContain('100%');
    expect(refused('price-rd', { minRd: 1, minBids: 3, extra: 1 }).detail).toContain('extra');
    expect(refused('R024', { threshold: -1 }).code).toBe('RULE_THRESHOLD_INVALID');
  });
});
