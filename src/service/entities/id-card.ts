import { isCalendarDate } from '../../platform/clock/index.ts';
import { isKnownProvincePrefix } from '../regions/index.ts';

/**
 * 公民身份号码 (居民身份证号), GB 11643-1999: 6-digit address code (GB/T 2260), 8-digit birth date
 * YYYYMMDD, 3-digit sequence, and a check character by ISO 7064 MOD 11-2 (weights 2^(17-i) mod 11,
 * value 10 written X). The 15-digit numbers of first-generation cards stopped being valid in 2013 and
 * are refused.
 */
export type IdNumberCheck =
  | { ok: true; idNumber: string; birthDate: string }
  | { ok: false; part: 'length' | 'charset' | 'region' | 'birth-date' | 'check-character'; message: string };

const ID_WEIGHTS = Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11);
const ID_CHECK_CHARS = '10X98765432';

/** The 18th character for 17 digits (ISO 7064 MOD 11-2). */
export function idNumberCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('ID number body must be 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

export function normalizeIdNumber(input: string): string {
  return input.trim().toUpperCase();
}

/** Checks a 居民身份证号; `today` (YYYY-MM-DD) refuses birth dates in the future. */
export function checkIdNumber(idNumber: string, today?: string): IdNumberCheck {
  if (idNumber.length !== 18) {
    return { ok: false, part: 'length', message: `居民身份证号应为18位，当前为${idNumber.length}位。` };
  }
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    return { ok: false, part: 'charset', message: '居民身份证号前17位应为数字，第18位为数字或 X。' };
  }
  if (!isKnownProvincePrefix(idNumber.slice(0, 2))) {
    return { ok: false, part: 'region', message: `居民身份证号前6位地址码“${idNumber.slice(0, 6)}”无效。` };
  }
  const birth = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isCalendarDate(birth) || birth < '1900-01-01' || (today !== undefined && birth > today)) {
    return {
      ok: false,
      part: 'birth-date',
      message: `居民身份证号第7–14位出生日期“${idNumber.slice(6, 14)}”无效。`,
    };
  }
  if (idNumberCheckCharacter(idNumber.slice(0, 17)) !== idNumber[17]) {
    return {
      ok: false,
      part: 'check-character',
      message: `居民身份证号第18位校验码“${idNumber[17]}”不正确，请核对后重新输入。`,
    };
  }
  return { ok: true, idNumber, birthDate: birth };
}

/**
 * Shows an identity document number without the part that identifies the person: the first 4 and the
 * last 4 characters stay (《个人信息保护法》第五十一条: 去标识化). Short numbers keep only their last 2.
 */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length >= 12)
    return `${idNumber.slice(0, 4)}${'*'.repeat(idNumber.length - 8)}${idNumber.slice(-4)}`;
  if (idNumber.length <= 2) return '*'.repeat(idNumber.length);
  return `${'*'.repeat(idNumber.length - 2)}${idNumber.slice(-2)}`;
}
