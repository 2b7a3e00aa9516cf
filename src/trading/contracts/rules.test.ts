import { describe, expect, test } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { bidTerms } from './contracts.ts';
import {
  assertPerformanceBond,
  assertPriceMatchesBid,
  maxPerformanceBond,
  publicationDueAt,
  signingText,
} from './rules.ts';

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('contract rules', () => {
  test('the price must equal the winning bid to the fen (实施条例第五十七条)', () => {
    expect(codeOf(() => assertPriceMatchesBid('1000000', '1000000.00', 'works'))).toBeNull();
    expect(codeOf(() => assertPriceMatchesBid('1000000.01', '1000000.00', 'works'))).toBe(
      'CONTRACT_PRICE_MISMATCH',
    );
    expect(codeOf(() => assertPriceMatchesBid('999999.99', '1000000.00', 'gp'))).toBe(
      'CONTRACT_PRICE_MISMATCH',
    );
  });

  test('an auction contract is at the deal price and takes no performance bond', () => {
    expect(codeOf(() => assertPriceMatchesBid('5200000', '5200000.00', 'rights'))).toBeNull();
    try {
      assertPriceMatchesBid('5199999.99', '5200000.00', 'rights');
      expect.unreachable();
    } catch (error) {
      expect((error as AppError).code).toBe('CONTRACT_PRICE_MISMATCH');
      expect((error as AppError).title).toBe('合同价款与成交价不一致');
    }
    expect(codeOf(() => assertPerformanceBond(null, '5200000.00', 'rights'))).toBeNull();
    expect(codeOf(() => assertPerformanceBond('1.00', '5200000.00', 'rights'))).toBe(
      'CONTRACT_BOND_NOT_APPLICABLE',
    );
  });

  test('the performance bond is at most 10% of the price (条例第五十八条)', () => {
    expect(maxPerformanceBond('1234567.89')).toBe('123456.78');
    expect(codeOf(() => assertPerformanceBond('100000.00', '1000000.00', 'works'))).toBeNull();
    expect(codeOf(() => assertPerformanceBond(null, '1000000.00', 'works'))).toBeNull();
    expect(codeOf(() => assertPerformanceBond('100000.01', '1000000.00', 'works'))).toBe(
      'CONTRACT_BOND_OVER_LIMIT',
    );
    try {
      assertPerformanceBond('200000', '1000000', 'gp');
    } catch (error) {
      expect((error as AppError).citation).toContain('政府采购法实施条例》第四十八条');
    }
  });

  test('政府采购 contracts are published within 2 工作日 of signing', () => {
    // Friday 2026-03-06 → Tuesday 03-10.
    expect(publicationDueAt(new Date('2026-03-06T10:00:00+08:00'))).toEqual(
      new Date('2026-03-10T23:59:59.999+08:00'),
    );
  });

  test('the signing text binds the contract id and its SM3; the bid gives 工期 and 质量', () => {
    expect(signingText('c1', 'ab'.repeat(32))).toBe(`ggzy-contract-sign/v1\nc1\n${'ab'.repeat(32)}`);
    expect(bidTerms({ price: '1.00', duration: '365', quality: '合格' })).toEqual({
      period: '365 日历天',
      quality: '合格',
    });
    expect(bidTerms({})).toEqual({ period: null, quality: null });
  });
});
