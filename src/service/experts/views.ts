import { regionPathName } from '../regions/index.ts';
import { yearsBefore } from './common.ts';
import { FORMER_EMPLOYER_YEARS } from './rules.ts';
import {
  APPLICATION_STATUS_NAMES_ZH,
  EMPLOYER_KIND_NAMES_ZH,
  EXPERT_STATUS_NAMES_ZH,
  GENDER_NAMES_ZH,
  RECORD_KIND_NAMES_ZH,
  RELATIONSHIP_KIND_NAMES_ZH,
  TITLE_LEVEL_NAMES_ZH,
} from './schemas.ts';
import { specialtyByCode, specialtyPathName } from './specialties.ts';
import type * as store from './store.ts';

const regionName = (code: string) => regionPathName(code) || code;

function specialtyView(code: string, isMain: boolean) {
  return { code, name: specialtyByCode(code)?.name ?? code, path: specialtyPathName(code), isMain };
}

export function toExpertView(row: store.ExpertRow, specialties: store.SpecialtyRow[]) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    gender: row.gender,
    genderName: GENDER_NAMES_ZH[row.gender],
    idNumberMasked: row.id_number_masked,
    phoneMasked: row.phone_masked,
    employer: {
      name: row.employer_name,
      creditCode: row.employer_credit_code,
      organizationId: row.employer_organization_id,
      kind: row.employer_kind,
      kindName: EMPLOYER_KIND_NAMES_ZH[row.employer_kind],
    },
    regionCode: row.region_code,
    regionName: regionName(row.region_code),
    title: row.title,
    titleLevel: row.title_level,
    titleLevelName: TITLE_LEVEL_NAMES_ZH[row.title_level],
    education: row.education,
    yearsInField: row.years_in_field,
    status: row.status,
    statusName: EXPERT_STATUS_NAMES_ZH[row.status],
    statusReason: row.status_reason,
    suspendedUntil: row.suspended_until,
    admittedAt: row.admitted_at.toISOString(),
    hasAccount: row.account_id !== null,
    specialties: specialties.map((s) => specialtyView(s.code, s.is_main)),
    version: row.version,
  };
}
export type ExpertView = ReturnType<typeof toExpertView>;

export function toUnavailabilityView(row: store.UnavailabilityRow) {
  return { id: row.id, from: row.from_date, to: row.to_date, reason: row.reason };
}

export function toRelationshipView(row: store.RelationshipRow, today: string) {
  const expired =
    row.kind === 'former-employer' &&
    row.ended_on !== null &&
    row.ended_on < yearsBefore(today, FORMER_EMPLOYER_YEARS);
  return {
    id: row.id,
    kind: row.kind,
    kindName: RELATIONSHIP_KIND_NAMES_ZH[row.kind],
    organizationName: row.organization_name,
    creditCode: row.credit_code,
    organizationId: row.organization_id,
    endedOn: row.ended_on,
    note: row.note,
    appliedAutomatically: (row.credit_code !== null || row.organization_id !== null) && !expired,
  };
}

export function toRecordView(row: store.RecordRow) {
  return {
    id: row.id,
    kind: row.kind,
    kindName: RECORD_KIND_NAMES_ZH[row.kind],
    title: row.title,
    detail: row.detail,
    result: row.result,
    basis: row.basis,
    occurredOn: row.occurred_on,
    validUntil: row.valid_until,
    lotId: row.lot_id,
    recordedByName: row.recorded_by_name,
    createdAt: row.created_at.toISOString(),
  };
}

export function toApplicationView(row: store.ApplicationRow, expertCode: string | null) {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    gender: row.gender,
    genderName: GENDER_NAMES_ZH[row.gender],
    idNumberMasked: row.id_number_masked,
    phoneMasked: row.phone_masked,
    employerName: row.employer_name,
    employerCreditCode: row.employer_credit_code,
    employerKind: row.employer_kind,
    employerKindName: EMPLOYER_KIND_NAMES_ZH[row.employer_kind],
    regionCode: row.region_code,
    regionName: regionName(row.region_code),
    title: row.title,
    titleLevel: row.title_level,
    titleLevelName: TITLE_LEVEL_NAMES_ZH[row.title_level],
    education: row.education,
    yearsInField: row.years_in_field,
    specialties: row.specialty_codes.map((code) => {
      const { isMain: _main, ...rest } = specialtyView(code, false);
      return rest;
    }),
    statement: row.statement,
    status: row.status,
    statusName: APPLICATION_STATUS_NAMES_ZH[row.status],
    decisionReason: row.decision_reason,
    decidedByName: row.decided_by_name,
    decidedAt: row.decided_at ? row.decided_at.toISOString() : null,
    expertId: row.expert_id,
    expertCode,
    createdAt: row.created_at.toISOString(),
  };
}
export type ApplicationView = ReturnType<typeof toApplicationView>;
