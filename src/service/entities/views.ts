import { regionByCode, regionPathName } from '../regions/index.ts';
import { REGISTRATION_AUTHORITIES } from './credit-code.ts';
import { ENTITY_ROLE_INFO, type EntityRole } from './entity-roles.ts';
import { maskIdNumber } from './id-card.ts';
import type { EntityDetails, QualificationData } from './schemas.ts';
import { ENTITY_STATUS_NAMES_ZH } from './states.ts';
import type { EntityRow, QualificationRow } from './store.ts';
import type { EntityKind } from './tables.ts';

export const ENTITY_KIND_NAMES_ZH: Record<EntityKind, string> = {
  legal_person: '法人',
  other_organization: '非法人组织',
  natural_person: '自然人',
};

export const VERSION_ACTION_NAMES_ZH: Record<string, string> = {
  registered: '注册登记',
  updated: '修改信息',
  'qualification-added': '新增资质',
  'qualification-removed': '删除资质',
};

/** numeric(20,6) comes back padded ('1000.000000'); show it as entered ('1000'). */
export function plainDecimal(value: string | number): string {
  const text = String(value);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

function regionRef(code: string) {
  return { code, name: regionByCode(code)?.name ?? code, pathName: regionPathName(code) || code };
}

function roleViews(roles: readonly EntityRole[]) {
  return roles.map((code) => ({
    code,
    name: ENTITY_ROLE_INFO[code].name,
    platformRole: ENTITY_ROLE_INFO[code].platformRole,
  }));
}

/** A certificate whose last valid day is before today (Asia/Shanghai) has expired. */
export function isExpired(validUntil: string | null, today: string): boolean {
  return validUntil !== null && validUntil < today;
}

export function toQualificationView(row: QualificationRow, today: string) {
  return {
    id: row.id,
    category: row.category,
    name: row.name,
    level: row.level,
    certificateNumber: row.certificate_number,
    issuingAuthority: row.issuing_authority,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    expired: isExpired(row.valid_until, today),
    expiredFlaggedAt: row.expired_flagged_at?.toISOString() ?? null,
  };
}

function categoryOf(row: EntityRow) {
  const authority = row.registration_authority_code
    ? REGISTRATION_AUTHORITIES[row.registration_authority_code]
    : undefined;
  const categoryName =
    authority && row.institution_category_code
      ? authority.categories[row.institution_category_code]
      : undefined;
  if (!authority || !categoryName || !row.registration_authority_code || !row.institution_category_code)
    return null;
  return {
    registrationAuthority: { code: row.registration_authority_code, name: authority.name },
    institutionCategory: { code: row.institution_category_code, name: categoryName },
  };
}

/** The entity as it and the trading centre see it: complete, except that ID numbers are masked. */
export function toEntityView(row: EntityRow, qualifications: QualificationRow[], today: string) {
  return {
    id: row.id,
    organizationId: row.organization_id,
    kind: row.kind,
    kindName: ENTITY_KIND_NAMES_ZH[row.kind],
    name: row.name,
    creditCode: row.credit_code,
    category: categoryOf(row),
    roles: roleViews(row.roles),
    legalRepresentative:
      row.representative_name && row.representative_id_type && row.representative_id_number
        ? {
            name: row.representative_name,
            idType: row.representative_id_type,
            idNumberMasked: maskIdNumber(row.representative_id_number),
            phone: row.representative_phone,
          }
        : null,
    person:
      row.person_id_type && row.person_id_number
        ? {
            idType: row.person_id_type,
            idNumberMasked: maskIdNumber(row.person_id_number),
            idValidUntil: row.person_id_valid_until,
          }
        : null,
    basicAccount: {
      bankName: row.bank_name,
      branchCode: row.bank_branch_code,
      accountNumber: row.bank_account_number,
      accountName: row.bank_account_name,
    },
    region: regionRef(row.region_code),
    address: row.address,
    zipCode: row.zip_code,
    contact: { name: row.contact_name, phone: row.contact_phone, email: row.contact_email },
    licence:
      row.kind === 'natural_person'
        ? null
        : { validFrom: row.licence_valid_from, validUntil: row.licence_valid_until },
    registeredCapital:
      row.registered_capital !== null
        ? {
            amount: plainDecimal(row.registered_capital),
            currency: row.registered_capital_currency ?? 'CNY',
            unit: '万元' as const,
          }
        : null,
    qualifications: qualifications.map((q) => toQualificationView(q, today)),
    status: row.status,
    statusName: ENTITY_STATUS_NAMES_ZH[row.status],
    returnReason: row.return_reason,
    acceptedVersion: row.accepted_version,
    acceptedAt: row.accepted_at?.toISOString() ?? null,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * What anyone may see. Built from an allow-list of fields, and the route's response schema strips anything
 * else again: ID numbers, bank accounts, phones and e-mail addresses never leave here.
 */
export function toPublicEntityView(row: EntityRow, qualifications: QualificationRow[], today: string) {
  return {
    id: row.id,
    name: row.name,
    creditCode: row.credit_code,
    kindName: ENTITY_KIND_NAMES_ZH[row.kind],
    region: regionRef(row.region_code),
    roles: row.roles.map((code) => ({ code, name: ENTITY_ROLE_INFO[code].name })),
    status: row.status,
    statusName: ENTITY_STATUS_NAMES_ZH[row.status],
    qualifications: qualifications.map((q) => ({
      category: q.category,
      name: q.name,
      level: q.level,
      validUntil: q.valid_until,
      expired: isExpired(q.valid_until, today),
    })),
  };
}

export function toEntityListItem(row: EntityRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    kindName: ENTITY_KIND_NAMES_ZH[row.kind],
    creditCode: row.credit_code,
    region: regionRef(row.region_code),
    roles: roleViews(row.roles),
    status: row.status,
    statusName: ENTITY_STATUS_NAMES_ZH[row.status],
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  };
}

// ---- snapshots (entity_versions) ----

/** The declared data of one version: the details as entered (normalised) and the qualifications. */
export interface EntitySnapshot {
  details: EntityDetails;
  qualifications: (QualificationData & { id: string })[];
}

/** Rebuilds the declared details from a row, in the shape of the registration form. */
export function detailsOfRow(row: EntityRow): EntityDetails {
  const common = {
    name: row.name,
    roles: row.roles,
    regionCode: row.region_code,
    address: row.address,
    zipCode: row.zip_code,
    contact: { name: row.contact_name, phone: row.contact_phone, email: row.contact_email },
  };
  if (row.kind === 'natural_person') {
    return {
      kind: 'natural_person',
      ...common,
      idType: row.person_id_type ?? 'resident_id',
      idNumber: row.person_id_number ?? '',
      idValidUntil: row.person_id_valid_until,
      bankAccount: {
        bankName: row.bank_name,
        branchCode: row.bank_branch_code,
        accountNumber: row.bank_account_number,
        accountName: row.bank_account_name,
      },
    };
  }
  return {
    kind: row.kind,
    ...common,
    creditCode: row.credit_code ?? '',
    legalRepresentative: {
      name: row.representative_name ?? '',
      idType: row.representative_id_type ?? 'resident_id',
      idNumber: row.representative_id_number ?? '',
      phone: row.representative_phone,
    },
    basicAccount: {
      bankName: row.bank_name,
      branchCode: row.bank_branch_code,
      accountNumber: row.bank_account_number,
      accountName: row.bank_account_name,
    },
    licence: { validFrom: row.licence_valid_from, validUntil: row.licence_valid_until },
    registeredCapital:
      row.registered_capital !== null
        ? { amount: plainDecimal(row.registered_capital), currency: row.registered_capital_currency ?? 'CNY' }
        : null,
  };
}

export function snapshotOf(row: EntityRow, qualifications: QualificationRow[]): EntitySnapshot {
  return {
    details: detailsOfRow(row),
    qualifications: qualifications.map((q) => ({
      id: q.id,
      category: q.category,
      name: q.name,
      level: q.level,
      certificateNumber: q.certificate_number,
      issuingAuthority: q.issuing_authority,
      validFrom: q.valid_from,
      validUntil: q.valid_until,
    })),
  };
}

/** A stored snapshot for display: ID numbers masked like everywhere else. */
export function maskSnapshot(snapshot: EntitySnapshot): EntitySnapshot {
  const details = snapshot.details;
  if (details.kind === 'natural_person') {
    return { ...snapshot, details: { ...details, idNumber: maskIdNumber(details.idNumber) } };
  }
  return {
    ...snapshot,
    details: {
      ...details,
      legalRepresentative: {
        ...details.legalRepresentative,
        idNumber: maskIdNumber(details.legalRepresentative.idNumber),
      },
    },
  };
}
