import { InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { isKnownRegion } from '../regions/index.ts';
import { checkCreditCode, normalizeCreditCode } from './credit-code.ts';
import { ENTITY_ROLE_INFO, ORGANIZATION_ONLY_ROLES } from './entity-roles.ts';
import { checkIdNumber, normalizeIdNumber } from './id-card.ts';
import type { EntityDetails, EntityUpdate, QualificationData } from './schemas.ts';
import { plainDecimal } from './views.ts';

/** What the credit code says about the organisation (法人机构类别), kept beside the code. */
export interface DerivedCategory {
  registrationAuthorityCode: string;
  institutionCategoryCode: string;
}

const CREDIT_CODE_TITLES: Record<string, string> = {
  'check-character': '统一社会信用代码校验码错误',
  'organization-code': '统一社会信用代码中的组织机构代码校验码错误',
  region: '统一社会信用代码中的行政区划码错误',
};

/**
 * Checks the declared details beyond their shape: the credit code (GB 32100-2015), identity numbers
 * (GB 11643), the region (GB/T 2260), which roles the kind of entity may hold, and date ranges.
 * Returns the details normalised (codes upper-cased, roles de-duplicated) as they will be stored.
 * On 修改 an ID number may be left out (it stays as stored, see `keepStoredIdNumbers`); one that is given
 * is checked like at registration.
 */
export function validateDetails(
  input: EntityDetails,
  today: string,
): { details: EntityDetails; category: DerivedCategory | null };
export function validateDetails(
  input: EntityUpdate,
  today: string,
): { details: EntityUpdate; category: DerivedCategory | null };
export function validateDetails(
  input: EntityUpdate,
  today: string,
): { details: EntityUpdate; category: DerivedCategory | null } {
  const roles = [...new Set(input.roles)];
  if (!isKnownRegion(input.regionCode)) {
    throw new InvalidInput('REGION_UNKNOWN', {
      title: '行政区划代码不存在',
      detail: `“${input.regionCode}”不是有效的 GB/T 2260 行政区划代码，请从行政区划列表中选择。`,
      extensions: { field: 'entity.regionCode' },
    });
  }

  if (input.kind === 'natural_person') {
    const forbidden = roles.filter((r) => ORGANIZATION_ONLY_ROLES[r] !== undefined);
    if (forbidden.length > 0) {
      throw new RuleViolation('ROLE_NOT_ALLOWED_FOR_PERSON', {
        title: '自然人不能登记为该主体角色',
        detail: `自然人不能登记为：${forbidden.map((r) => ENTITY_ROLE_INFO[r].name).join('、')}。`,
        citation: forbidden.map((r) => ORGANIZATION_ONLY_ROLES[r]).join('；'),
      });
    }
    const idNumber =
      input.idNumber === undefined
        ? undefined
        : checkedIdNumber(input.idType, input.idNumber, today, 'entity.idNumber', '身份证件号码');
    if (input.idValidUntil !== null && input.idValidUntil < today) {
      throw new InvalidInput('ID_EXPIRED', {
        title: '身份证件已过有效期',
        detail: `身份证件有效期至 ${input.idValidUntil}，已过期。`,
        extensions: { field: 'entity.idValidUntil' },
      });
    }
    return { details: { ...input, roles, idNumber }, category: null };
  }

  const creditCode = normalizeCreditCode(input.creditCode);
  const check = checkCreditCode(creditCode);
  if (!check.ok) {
    throw new InvalidInput('CREDIT_CODE_INVALID', {
      title: CREDIT_CODE_TITLES[check.part] ?? '统一社会信用代码格式不正确',
      detail: check.message,
      citation: 'GB 32100-2015《法人和其他组织统一社会信用代码编码规则》',
      extensions: { field: 'entity.creditCode', part: check.part },
    });
  }
  const representativeId =
    input.legalRepresentative.idNumber === undefined
      ? undefined
      : checkedIdNumber(
          input.legalRepresentative.idType,
          input.legalRepresentative.idNumber,
          today,
          'entity.legalRepresentative.idNumber',
          '法定代表人身份证件号码',
        );
  assertDateRange(input.licence.validFrom, input.licence.validUntil, 'entity.licence', '营业执照有效期');
  if (input.licence.validUntil !== null && input.licence.validUntil < today) {
    throw new InvalidInput('LICENCE_EXPIRED', {
      title: '营业执照已过有效期',
      detail: `营业执照有效期至 ${input.licence.validUntil}，已过期，请提供有效的营业执照信息。`,
      extensions: { field: 'entity.licence.validUntil' },
    });
  }
  return {
    details: {
      ...input,
      roles,
      creditCode,
      legalRepresentative: { ...input.legalRepresentative, idNumber: representativeId },
      registeredCapital: input.registeredCapital
        ? { ...input.registeredCapital, amount: plainDecimal(input.registeredCapital.amount) }
        : null,
    },
    category: {
      registrationAuthorityCode: check.registrationAuthority.code,
      institutionCategoryCode: check.institutionCategory.code,
    },
  };
}

const ID_NUMBER_REQUIRED = (field: string, label: string, detail: string) =>
  new InvalidInput('ID_NUMBER_REQUIRED', {
    title: `请填写${label}`,
    detail,
    extensions: { field },
  });

/**
 * 修改 without an ID number keeps the stored one: it is only ever shown masked, so nobody can be asked to
 * retype it to fix an address. A change of ID type needs the new document's number — the stored one
 * belongs to the other document. `stored` is the entity's current declared data (same kind).
 */
export function keepStoredIdNumbers(given: EntityUpdate, stored: EntityDetails): EntityDetails {
  if (given.kind === 'natural_person') {
    if (given.idNumber !== undefined) return { ...given, idNumber: given.idNumber };
    const kept = stored.kind === 'natural_person' ? stored : undefined;
    if (!kept?.idNumber || kept.idType !== given.idType) {
      throw ID_NUMBER_REQUIRED(
        'entity.idNumber',
        '身份证件号码',
        kept?.idNumber ? '证件类型已更改，请填写新证件的完整号码。' : '请填写完整的证件号码。',
      );
    }
    return { ...given, idNumber: kept.idNumber };
  }
  const representative = given.legalRepresentative;
  if (representative.idNumber !== undefined) {
    return { ...given, legalRepresentative: { ...representative, idNumber: representative.idNumber } };
  }
  const kept = stored.kind === 'natural_person' ? undefined : stored.legalRepresentative;
  // A new representative is a new person: the stored number is the previous one's, so it is not kept.
  const samePerson = kept?.name === representative.name && kept.idType === representative.idType;
  if (!kept?.idNumber || !samePerson) {
    throw ID_NUMBER_REQUIRED(
      'entity.legalRepresentative.idNumber',
      '法定代表人证件号码',
      !kept?.idNumber
        ? '请填写法定代表人完整的证件号码。'
        : kept.idType !== representative.idType
          ? '法定代表人证件类型已更改，请填写新证件的完整号码。'
          : '法定代表人已更改，请填写新法定代表人的完整证件号码。',
    );
  }
  return { ...given, legalRepresentative: { ...representative, idNumber: kept.idNumber } };
}

function checkedIdNumber(idType: string, raw: string, today: string, field: string, label: string): string {
  const idNumber = normalizeIdNumber(raw);
  if (idType === 'resident_id') {
    const check = checkIdNumber(idNumber, today);
    if (!check.ok) {
      throw new InvalidInput('ID_NUMBER_INVALID', {
        title: `${label}不正确`,
        detail: check.message,
        citation: 'GB 11643-1999《公民身份号码》',
        extensions: { field, part: check.part },
      });
    }
    return idNumber;
  }
  // Passports and permits have no public check digit; their shape is all that can be checked here.
  if (!/^[A-Z0-9-]{5,30}$/.test(idNumber)) {
    throw new InvalidInput('ID_NUMBER_INVALID', {
      title: `${label}不正确`,
      detail: '证件号码应为 5–30 位字母、数字或连字符。',
      extensions: { field },
    });
  }
  return idNumber;
}

function assertDateRange(from: string | null, until: string | null, field: string, label: string): void {
  if (from !== null && until !== null && from > until) {
    throw new InvalidInput('DATE_RANGE_INVALID', {
      title: `${label}不正确`,
      detail: `起始日期 ${from} 晚于截止日期 ${until}。`,
      extensions: { field },
    });
  }
}

export function validateQualification(q: QualificationData, field: string): QualificationData {
  assertDateRange(q.validFrom, q.validUntil, field, '资质有效期');
  return q;
}
