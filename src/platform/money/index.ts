import { z } from 'zod';

/**
 * Money (金额) in yuan. Stored as `numeric(18, 2)` and carried as a decimal string ("1234567.89") so no
 * amount ever passes through a binary float; compared and computed in fen (分) as bigint.
 */
export type YuanString = string;

const YUAN_PATTERN = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

/** A non-negative amount in yuan with at most two decimals, as an API field. */
export const YuanAmount = z
  .string()
  .regex(YUAN_PATTERN, '金额须为不超过两位小数的非负数，例如 1234567.89')
  .describe('金额（元），十进制字符串，最多两位小数');

/** Fen (分) of a yuan string; accepts what PostgreSQL returns for numeric(18,2) too ("12.50"). */
export function yuanToFen(yuan: YuanString): bigint {
  const text = yuan.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new RangeError(`not an amount: ${yuan}`);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  if (fraction.length > 2 && /[1-9]/.test(fraction.slice(2))) throw new RangeError(`more than fen: ${yuan}`);
  const fen = BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
  return negative ? -fen : fen;
}

/** "1234567.89" from fen. */
export function fenToYuan(fen: bigint): YuanString {
  const negative = fen < 0n;
  const abs = negative ? -fen : fen;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** The amount formatted for people: "1,234,567.89 元". */
export function formatYuanZh(yuan: YuanString): string {
  const [whole = '0', fraction = '00'] = fenToYuan(yuanToFen(yuan)).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction} 元`;
}
