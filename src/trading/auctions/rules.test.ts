import { describe, expect, test } from 'vitest';
import { fenToYuan } from '../../platform/money/index.ts';
import { type AuctionSetupInput, categoryOf, checkSetup, nextValidFen, rulesFor } from './rules.ts';

const DAY = 86_400_000;
const now = new Date('2026-03-02T01:00:00.000Z');

function setup(overrides: Partial<AuctionSetupInput> = {}, startDays = 25): AuctionSetupInput {
  const start = new Date(now.getTime() + startDays * DAY);
  return {
    title: '测试地块',
    startPriceYuan: '1000000.00',
    stepYuan: '10000.00',
    depositYuan: '200000.00',
    announcementAt: now,
    registrationUntil: new Date(start.getTime() - 3_600_000),
    depositDeadline: new Date(start.getTime() - 3_600_000),
    biddingStartsAt: start,
    listingEndsAt: new Date(start.getTime() + 10 * DAY),
    freeBiddingMinutes: 60,
    ...overrides,
  };
}

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return null;
};

describe('rules as data', () => {
  test('categories and their defaults follow the catalog', () => {
    expect(categoryOf('0301')).toBe('land');
    expect(categoryOf('0302')).toBe('mining');
    expect(categoryOf('0601')).toBe('state-property');
    expect(categoryOf('0602')).toBe('rural-property');
    expect(categoryOf('0701')).toBe('environment');
    expect(rulesFor('listing', '0301').announcementLead).toMatchObject({ days: 20, counting: 'calendar' });
    expect(rulesFor('online-bidding', '0601').announcementLead).toMatchObject({
      days: 20,
      counting: 'working',
    });
    expect(rulesFor('auction', '0302').minBidders).toMatchObject({ default: 3, min: 3 });
    expect(rulesFor('listing', '0302').minBidders.min).toBe(1);
    expect(rulesFor('listing', '0301').defaultTimedEntry).toBe('listed-bid');
    expect(rulesFor('auction', '0301').countdownMinutes).toMatchObject({ default: 5, min: 1, max: 30 });
  });

  test('defaults are filled in and every bound is checked with its rule', () => {
    const terms = checkSetup(setup(), { procedureType: 'listing', catalogItemCode: '0301' });
    expect(terms).toMatchObject({
      countdownMinutes: 5,
      timedEntry: 'listed-bid',
      qualification: 'post',
      bidMode: 'multiple',
      minBidders: 1,
    });
    const listing = { procedureType: 'listing' as const, catalogItemCode: '0301' };
    expect(code(() => checkSetup(setup({}, 19), listing))).toBe('AUCTION_ANNOUNCEMENT_TOO_LATE');
    expect(code(() => checkSetup(setup({ countdownMinutes: 0 }), listing))).toBe(
      'AUCTION_TERM_OUT_OF_BOUNDS',
    );
    expect(code(() => checkSetup(setup({ confirmMinutes: 31 }), listing))).toBe('AUCTION_TERM_OUT_OF_BOUNDS');
    expect(code(() => checkSetup(setup({ bidMode: 'single' }), listing))).toBe(
      'AUCTION_SINGLE_BID_NOT_ALLOWED',
    );
    expect(code(() => checkSetup(setup({ priceCapYuan: '1005000.00' }), listing))).toBe(
      'AUCTION_PRICE_CAP_INVALID',
    );
    expect(
      code(() =>
        checkSetup(setup({ preemptiveHolders: [{ creditCode: '91150100MA0000000X', rank: 1 }] }), listing),
      ),
    ).toBe('AUCTION_PREEMPTIVE_NOT_ALLOWED');
    // 10 working days: a listing of 10 calendar days spanning two weekends is too short.
    expect(code(() => checkSetup(setup({ listingDaysCounting: 'working' }), listing))).toBe(
      'AUCTION_LISTING_TOO_SHORT',
    );
  });

  test('网络竞价 of state property: 20 working days, the valuation floor and the 90% relisting floor', () => {
    const property = { procedureType: 'online-bidding' as const, catalogItemCode: '0601' };
    expect(code(() => checkSetup(setup({}, 25), property))).toBe('AUCTION_ANNOUNCEMENT_TOO_LATE');
    const ok = setup({ valuationYuan: '1000000.00' }, 40);
    expect(checkSetup(ok, property).qualification).toBe('pre');
    expect(code(() => checkSetup(setup({ valuationYuan: '1100000.00' }, 40), property))).toBe(
      'AUCTION_START_BELOW_VALUATION',
    );
    expect(checkSetup(setup({ valuationYuan: '1100000.00', relisting: true }, 40), property).relisting).toBe(
      true,
    );
    expect(
      code(() => checkSetup(setup({ valuationYuan: '1200000.00', relisting: true }, 40), property)),
    ).toBe('AUCTION_START_BELOW_VALUATION');
    expect(
      checkSetup(
        setup(
          { valuationYuan: '1200000.00', relisting: true, reapprovalDocument: '国资产权〔2026〕8号' },
          40,
        ),
        property,
      ).reapprovalDocument,
    ).toBe('国资产权〔2026〕8号');
  });

  test('the next valid amounts: start + k × step, current + k × step, up to the cap', () => {
    const base = { startFen: 100_000_000n, stepFen: 1_000_000n, capFen: null };
    expect(nextValidFen({ ...base, currentFen: null, floorFen: null }).map(fenToYuan)).toEqual([
      '1000000.00',
      '1010000.00',
      '1020000.00',
    ]);
    expect(nextValidFen({ ...base, currentFen: 105_000_000n, floorFen: null }).map(fenToYuan)).toEqual([
      '1060000.00',
      '1070000.00',
      '1080000.00',
    ]);
    expect(
      nextValidFen({ ...base, currentFen: 105_000_000n, floorFen: 106_000_000n }).map(fenToYuan)[0],
    ).toBe('1060000.00');
    expect(
      nextValidFen({ ...base, capFen: 107_000_000n, currentFen: 105_000_000n, floorFen: null }).map(
        fenToYuan,
      ),
    ).toEqual(['1060000.00', '1070000.00']);
  });
});
