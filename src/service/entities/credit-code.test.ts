import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { allRegions } from '../regions/index.ts';
import {
  CREDIT_CODE_CHARSET,
  checkCreditCode,
  composeCreditCode,
  creditCodeCheckCharacter,
  organizationCodeCheckCharacter,
  REGISTRATION_AUTHORITIES,
} from './credit-code.ts';

/** Valid codes built from their parts: both check characters computed, never copied from anywhere. */
const validCreditCode = fc
  .record({
    authority: fc.constantFrom(...Object.keys(REGISTRATION_AUTHORITIES)),
    categoryPick: fc.nat(),
    regionCode: fc.constantFrom(...allRegions().map((r) => r.code)),
    organizationBody: fc.string({
      unit: fc.constantFrom(...CREDIT_CODE_CHARSET),
      minLength: 8,
      maxLength: 8,
    }),
  })
  .map(({ authority, categoryPick, regionCode, organizationBody }) => {
    const categories = Object.keys(REGISTRATION_AUTHORITIES[authority]!.categories);
    const category = categories[categoryPick % categories.length]!;
    return composeCreditCode({ authority, category, regionCode, organizationBody });
  });

describe('统一社会信用代码 (GB 32100-2015)', () => {
  test('the standard’s own example and codes printed on real business licences pass', () => {
    // GB 32100-2015 example, and codes on public licences (Beijing, Shenzhen).
    for (const code of [
      '91350100M000100Y43',
      '914403001922038216',
      '91110000100010433L',
      '9144030071526726XG',
    ]) {
      expect(checkCreditCode(code), code).toMatchObject({ ok: true, code });
    }
  });

  test('the parts are read out: authority, category, region and organisation code', () => {
    const code = composeCreditCode({
      authority: '9',
      category: '1',
      regionCode: '152530',
      organizationBody: 'MA0N7Q2K',
    });
    expect(checkCreditCode(code)).toEqual({
      ok: true,
      code,
      registrationAuthority: { code: '9', name: '工商（市场监管）' },
      institutionCategory: { code: '1', name: '企业' },
      regionCode: '152530',
      organizationCode: `MA0N7Q2K${organizationCodeCheckCharacter('MA0N7Q2K')}`,
    });
  });

  test('the 18th character is 3^(i-1) mod 31 weighted MOD 31, and a 31 wraps to 0', () => {
    // Weights 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28: '91350100M000100Y4' sums to 1640 ≡ 28 (mod 31), so 31 − 28 = 3.
    expect(creditCodeCheckCharacter('91350100M000100Y4')).toBe('3');
    const prefixes = fc.sample(validCreditCode, 200).map((c) => c.slice(0, 17));
    for (const prefix of prefixes) expect(CREDIT_CODE_CHARSET).toContain(creditCodeCheckCharacter(prefix));
  });

  test('each wrong part is named in Chinese', () => {
    const valid = '91350100M000100Y43';
    const cases: [string, string, RegExp][] = [
      ['91350100M000100Y4', 'length', /应为18位，当前为17位/],
      ['91350100M000100I43', 'charset', /第16位字符“I”.*I、O、Z、S、V/],
      ['B1350100M000100Y43', 'registration-authority', /第1位登记管理部门码“B”/],
      [
        '94350100M000100Y43',
        'institution-category',
        /第2位机构类别码“4”不属于登记管理部门“工商（市场监管）”/,
      ],
      ['91990100M000100Y43', 'region', /第3–8位登记管理机关行政区划码“990100”/],
      ['91350100M000100Y53', 'organization-code', /主体标识码（组织机构代码）“M000100Y5”的校验码/],
      ['91350100M000100Y44', 'check-character', /第18位校验码“4”不正确/],
    ];
    expect(checkCreditCode(valid).ok).toBe(true);
    for (const [code, part, message] of cases) {
      const result = checkCreditCode(code);
      expect(result, code).toMatchObject({ ok: false, part });
      if (!result.ok) expect(result.message).toMatch(message);
    }
  });

  test('property: every constructed code passes', () => {
    fc.assert(fc.property(validCreditCode, (code) => checkCreditCode(code).ok));
  });

  test('property: any single substitution of any character is detected', () => {
    const anyOther = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz-* ');
    fc.assert(
      fc.property(validCreditCode, fc.nat({ max: 17 }), anyOther, (code, position, replacement) => {
        fc.pre(code[position] !== replacement);
        const corrupted = code.slice(0, position) + replacement + code.slice(position + 1);
        return !checkCreditCode(corrupted).ok;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('组织机构代码 check digit (GB 11714)', () => {
  test('letters count A=10…Z=35; a remainder of 10 is X and 11 is 0', () => {
    expect(organizationCodeCheckCharacter('M000100Y')).toBe('4');
    expect(organizationCodeCheckCharacter('19220382')).toBe('1');
    expect(organizationCodeCheckCharacter('71526726')).toBe('X');
    // 3·1 + 7·0 + 9·0 + 10·0 + 5·0 + 8·0 + 4·0 + 2·4 = 11 ≡ 0 → 11 - 0 = 11 → '0'
    expect(organizationCodeCheckCharacter('10000004')).toBe('0');
  });
});
