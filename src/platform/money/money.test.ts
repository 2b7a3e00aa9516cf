import { describe, expect, test } from 'vitest';
import { fenToYuan, formatYuanZh, YuanAmount, yuanToFen } from './index.ts';

describe('money in yuan', () => {
  test('round-trips through fen without float error', () => {
    expect(yuanToFen('0.1')).toBe(10n);
    expect(yuanToFen('1234567.89')).toBe(123456789n);
    expect(yuanToFen('12.50')).toBe(1250n);
    expect(yuanToFen('12.500000')).toBe(1250n);
    expect(fenToYuan(yuanToFen('0.07') * 3n)).toBe('0.21');
    expect(fenToYuan(-5n)).toBe('-0.05');
  });

  test('refuses amounts finer than a fen and non-numbers', () => {
    expect(() => yuanToFen('1.005')).toThrow(RangeError);
    expect(() => yuanToFen('1e5')).toThrow(RangeError);
  });

  test('the API schema takes only non-negative amounts with at most two decimals', () => {
    expect(YuanAmount.safeParse('4000000').success).toBe(true);
    expect(YuanAmount.safeParse('4000000.5').success).toBe(true);
    expect(YuanAmount.safeParse('-1').success).toBe(false);
    expect(YuanAmount.safeParse('1.234').success).toBe(false);
    expect(YuanAmount.safeParse('01').success).toBe(false);
  });

  test('formats for people with thousands separators', () => {
    expect(formatYuanZh('4000000')).toBe('4,000,000.00 元');
  });
});
