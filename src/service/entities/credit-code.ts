import { isKnownProvincePrefix } from '../regions/index.ts';

/**
 * 统一社会信用代码 (unified social credit code), GB 32100-2015《法人和其他组织统一社会信用代码编码规则》:
 *
 *   position  1      登记管理部门码 (registration authority)
 *   position  2      机构类别码 (institution category, per authority)
 *   positions 3–8    登记管理机关行政区划码 (GB/T 2260 code of the registering office)
 *   positions 9–17   主体标识码 = 组织机构代码 (GB 11714), whose 9th character is its own check digit
 *   position  18     校验码, ISO 7064-style MOD 31 over positions 1–17 with weights 3^(i-1) mod 31
 *
 * Characters come from 0-9 and the capital letters without I, O, Z, S, V (they read as 1, 0, 2, 5, U).
 */
export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** 登记管理部门 and the 机构类别 each may assign (GB 32100-2015 表1 and its amendments). */
export const REGISTRATION_AUTHORITIES: Readonly<
  Record<string, { name: string; categories: Readonly<Record<string, string>> }>
> = {
  '1': {
    name: '机构编制',
    categories: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    categories: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商（市场监管）', categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业',
    categories: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { name: '其他', categories: { '1': '其他' } },
};

/** Which part of the code is wrong, so the message can point at it. */
export type CreditCodePart =
  | 'length'
  | 'charset'
  | 'registration-authority'
  | 'institution-category'
  | 'region'
  | 'organization-code'
  | 'check-character';

export type CreditCodeCheck =
  | {
      ok: true;
      code: string;
      registrationAuthority: { code: string; name: string };
      institutionCategory: { code: string; name: string };
      regionCode: string;
      organizationCode: string;
    }
  | { ok: false; part: CreditCodePart; message: string };

// 3^(i-1) mod 31 for i = 1..17 (GB 32100-2015 §5).
const CREDIT_CODE_WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

// GB 11714-1997 组织机构代码 weights for its 8 body characters.
const ORGANIZATION_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The 18th character for a 17-character prefix; throws on a character outside the charset. */
export function creditCodeCheckCharacter(prefix17: string): string {
  if (prefix17.length !== 17) throw new RangeError('credit code prefix must be 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_CHARSET.indexOf(prefix17[i]!);
    if (value < 0) throw new RangeError(`character outside the credit code charset: ${prefix17[i]}`);
    sum += value * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

/**
 * GB 11714 value of a body character: digits are themselves, letters count A = 10 … Z = 35 over the whole
 * alphabet (not the credit-code charset — the organisation code predates it).
 */
function organizationCodeValue(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
  return -1;
}

/** The 9th character of a 组织机构代码 for its 8-character body (GB 11714-1997): a digit or X. */
export function organizationCodeCheckCharacter(body8: string): string {
  if (body8.length !== 8) throw new RangeError('organization code body must be 8 characters');
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const value = organizationCodeValue(body8[i]!);
    if (value < 0) throw new RangeError(`invalid organization code character: ${body8[i]}`);
    sum += value * ORGANIZATION_CODE_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/** Trims and upper-cases what a person typed; the check itself is strict. */
export function normalizeCreditCode(input: string): string {
  return input.trim().toUpperCase();
}

/**
 * Checks a 统一社会信用代码 part by part and says, in Chinese, which part is wrong. The region part is
 * checked to its province (the first two digits) — `10` stands for the central registration offices.
 */
export function checkCreditCode(code: string): CreditCodeCheck {
  const fail = (part: CreditCodePart, message: string): CreditCodeCheck => ({ ok: false, part, message });
  if (code.length !== 18) {
    return fail('length', `统一社会信用代码应为18位，当前为${code.length}位。`);
  }
  for (let i = 0; i < 18; i++) {
    const ch = code[i]!;
    if (!CREDIT_CODE_CHARSET.includes(ch)) {
      return fail(
        'charset',
        `第${i + 1}位字符“${ch}”不是统一社会信用代码允许的字符（只能是数字或除 I、O、Z、S、V 以外的大写字母）。`,
      );
    }
  }
  const authorityCode = code[0]!;
  const authority = REGISTRATION_AUTHORITIES[authorityCode];
  if (!authority) {
    return fail(
      'registration-authority',
      `第1位登记管理部门码“${authorityCode}”无效，应为 1–9、A、N、Y 之一。`,
    );
  }
  const categoryCode = code[1]!;
  const categoryName = authority.categories[categoryCode];
  if (!categoryName) {
    const allowed = Object.entries(authority.categories)
      .map(([c, n]) => `${c} ${n}`)
      .join('、');
    return fail(
      'institution-category',
      `第2位机构类别码“${categoryCode}”不属于登记管理部门“${authority.name}”（可用：${allowed}）。`,
    );
  }
  const regionCode = code.slice(2, 8);
  if (
    !/^\d{6}$/.test(regionCode) ||
    !(regionCode.startsWith('10') || isKnownProvincePrefix(regionCode.slice(0, 2)))
  ) {
    return fail(
      'region',
      `第3–8位登记管理机关行政区划码“${regionCode}”无效，应为 GB/T 2260 六位数字行政区划代码。`,
    );
  }
  const organizationCode = code.slice(8, 17);
  const expectedOrgCheck = organizationCodeCheckCharacter(organizationCode.slice(0, 8));
  if (organizationCode[8] !== expectedOrgCheck) {
    return fail(
      'organization-code',
      `第9–17位主体标识码（组织机构代码）“${organizationCode}”的校验码（第17位“${organizationCode[8]}”）不正确（GB 11714）。`,
    );
  }
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) {
    return fail(
      'check-character',
      `第18位校验码“${code[17]}”不正确，与前17位计算出的校验码不符，请核对后重新输入。`,
    );
  }
  return {
    ok: true,
    code,
    registrationAuthority: { code: authorityCode, name: authority.name },
    institutionCategory: { code: categoryCode, name: categoryName },
    regionCode,
    organizationCode,
  };
}

/** Builds a valid code from its parts (tests, demo data): computes both check characters. */
export function composeCreditCode(parts: {
  authority: string;
  category: string;
  regionCode: string;
  organizationBody: string;
}): string {
  const organizationCode = parts.organizationBody + organizationCodeCheckCharacter(parts.organizationBody);
  const prefix = `${parts.authority}${parts.category}${parts.regionCode}${organizationCode}`;
  return prefix + creditCodeCheckCharacter(prefix);
}
