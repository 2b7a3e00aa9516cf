/**
 * 市场主体 in the browser: the Chinese names of the codes the registration form offers, the form's model,
 * and the conversions between the form and the server's shapes (src/service/entities/schemas.ts).
 *
 * The server exposes role, kind and ID-type names only inside its answers, not as a list to offer, so the
 * names are repeated here (as roles.ts repeats the platform roles). Nothing here decides anything: the
 * server checks codes, dates and which roles a kind may hold, and its answer is shown as it is.
 */
import type { EntityKind, EntityStatus, EntityView, Problem } from './api.ts';
import { fieldErrorsOf } from './api.ts';

export const ENTITY_KINDS: readonly { code: EntityKind; name: string; hint: string }[] = [
  { code: 'legal_person', name: '法人', hint: '企业、事业单位、社会团体等，持统一社会信用代码' },
  {
    code: 'other_organization',
    name: '非法人组织',
    hint: '个人独资企业、合伙企业、分支机构等，持统一社会信用代码',
  },
  { code: 'natural_person', name: '自然人', hint: '以本人身份参与交易，凭身份证件登记' },
];

export const ENTITY_STATUS_TAG: Record<
  EntityStatus,
  { text: string; type: 'warning' | 'danger' | 'success' }
> = {
  submitted: { text: '待受理', type: 'warning' },
  returned: { text: '退回补正', type: 'danger' },
  active: { text: '已受理', type: 'success' },
};

/** 主体角色 (src/service/entities/entity-roles.ts), grouped by the platform role each gives. */
export const ENTITY_ROLE_GROUPS: readonly {
  platformRole: 'initiator' | 'agency' | 'responder';
  title: string;
  roles: readonly { code: string; name: string }[];
}[] = [
  {
    platformRole: 'initiator',
    title: '交易发起方',
    roles: [
      { code: 'tenderer', name: '招标人' },
      { code: 'purchaser', name: '采购人' },
      { code: 'grantor', name: '出让人' },
      { code: 'transferor', name: '转让人' },
    ],
  },
  {
    platformRole: 'agency',
    title: '代理机构',
    roles: [
      { code: 'tender_agency', name: '招标代理机构' },
      { code: 'procurement_agency', name: '采购代理机构' },
    ],
  },
  {
    platformRole: 'responder',
    title: '交易参与方',
    roles: [
      { code: 'bidder', name: '投标人' },
      { code: 'supplier', name: '供应商' },
      { code: 'competitive_bidder', name: '竞买人' },
      { code: 'assignee', name: '受让人' },
    ],
  },
];

export function entityRoleName(code: string): string {
  for (const group of ENTITY_ROLE_GROUPS) {
    const role = group.roles.find((r) => r.code === code);
    if (role) return role.name;
  }
  return code;
}

export const ID_TYPES: readonly { code: string; name: string }[] = [
  { code: 'resident_id', name: '居民身份证' },
  { code: 'passport', name: '护照' },
  { code: 'hk_macao_permit', name: '港澳居民来往内地通行证' },
  { code: 'taiwan_permit', name: '台湾居民来往大陆通行证' },
  { code: 'foreign_permanent_resident', name: '外国人永久居留身份证' },
];

export function idTypeName(code: string | null | undefined): string {
  return ID_TYPES.find((t) => t.code === code)?.name ?? code ?? '—';
}

// ---- the form ----

export interface BankForm {
  bankName: string;
  branchCode: string;
  accountNumber: string;
  accountName: string;
}

/** One model for every kind; `toDetailsBody` sends the fields the kind has. Strings, as inputs hold them. */
export interface EntityForm {
  kind: EntityKind;
  name: string;
  creditCode: string;
  roles: string[];
  regionCode: string;
  address: string;
  zipCode: string;
  contact: { name: string; phone: string; email: string };
  legalRepresentative: { name: string; idType: string; idNumber: string; phone: string };
  /** 自然人 */
  idType: string;
  idNumber: string;
  idValidUntil: string;
  idLongTerm: boolean;
  /** 基本账户 (法人/非法人组织) or 银行账户 (自然人) */
  bank: BankForm;
  licence: { validFrom: string; validUntil: string; longTerm: boolean };
  /** 万元 */
  registeredCapital: string;
}

export interface QualificationForm {
  category: string;
  name: string;
  level: string;
  certificateNumber: string;
  issuingAuthority: string;
  validFrom: string;
  validUntil: string;
  longTerm: boolean;
}

export function emptyEntityForm(): EntityForm {
  return {
    kind: 'legal_person',
    name: '',
    creditCode: '',
    roles: [],
    regionCode: '',
    address: '',
    zipCode: '',
    contact: { name: '', phone: '', email: '' },
    legalRepresentative: { name: '', idType: 'resident_id', idNumber: '', phone: '' },
    idType: 'resident_id',
    idNumber: '',
    idValidUntil: '',
    idLongTerm: false,
    bank: { bankName: '', branchCode: '', accountNumber: '', accountName: '' },
    licence: { validFrom: '', validUntil: '', longTerm: true },
    registeredCapital: '',
  };
}

export function emptyQualification(): QualificationForm {
  return {
    category: '',
    name: '',
    level: '',
    certificateNumber: '',
    issuingAuthority: '',
    validFrom: '',
    validUntil: '',
    longTerm: false,
  };
}

/**
 * The form filled from what the server shows. ID numbers come back masked and are never shown in full,
 * so they stay empty: left empty, the edit keeps the stored number (`toDetailsBody` leaves it out).
 */
export function entityFormOf(view: EntityView): EntityForm {
  const form = emptyEntityForm();
  form.kind = view.kind;
  form.name = view.name;
  form.creditCode = view.creditCode ?? '';
  form.roles = view.roles.map((r) => r.code);
  form.regionCode = view.region.code;
  form.address = view.address;
  form.zipCode = view.zipCode ?? '';
  form.contact = { name: view.contact.name, phone: view.contact.phone, email: view.contact.email ?? '' };
  if (view.legalRepresentative) {
    form.legalRepresentative = {
      name: view.legalRepresentative.name,
      idType: view.legalRepresentative.idType,
      idNumber: '',
      phone: view.legalRepresentative.phone ?? '',
    };
  }
  if (view.person) {
    form.idType = view.person.idType;
    form.idValidUntil = view.person.idValidUntil ?? '';
    form.idLongTerm = view.person.idValidUntil === null;
  }
  form.bank = {
    bankName: view.basicAccount.bankName,
    branchCode: view.basicAccount.branchCode ?? '',
    accountNumber: view.basicAccount.accountNumber,
    accountName: view.basicAccount.accountName,
  };
  if (view.licence) {
    form.licence = {
      validFrom: view.licence.validFrom ?? '',
      validUntil: view.licence.validUntil ?? '',
      longTerm: view.licence.validUntil === null,
    };
  }
  form.registeredCapital = view.registeredCapital?.amount ?? '';
  return form;
}

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** An ID number left empty is not sent: on 修改 the server keeps the stored one (registration requires it). */
const idNumberOf = (value: string): { idNumber?: string } =>
  value.trim() === '' ? {} : { idNumber: value.trim() };

/** The declared details as `EntityDetailsInput` wants them (PUT /api/my/entity, registration's `entity`). */
export function toDetailsBody(f: EntityForm): Record<string, unknown> {
  const common = {
    kind: f.kind,
    name: f.name.trim(),
    roles: [...f.roles],
    regionCode: f.regionCode,
    address: f.address.trim(),
    zipCode: orNull(f.zipCode),
    contact: { name: f.contact.name.trim(), phone: f.contact.phone.trim(), email: orNull(f.contact.email) },
  };
  const bank = {
    bankName: f.bank.bankName.trim(),
    branchCode: orNull(f.bank.branchCode),
    accountNumber: f.bank.accountNumber,
    accountName: f.bank.accountName.trim(),
  };
  if (f.kind === 'natural_person') {
    return {
      ...common,
      idType: f.idType,
      ...idNumberOf(f.idNumber),
      idValidUntil: f.idLongTerm ? null : f.idValidUntil,
      bankAccount: bank,
    };
  }
  return {
    ...common,
    creditCode: f.creditCode.trim(),
    legalRepresentative: {
      name: f.legalRepresentative.name.trim(),
      idType: f.legalRepresentative.idType,
      ...idNumberOf(f.legalRepresentative.idNumber),
      phone: orNull(f.legalRepresentative.phone),
    },
    basicAccount: bank,
    licence: {
      validFrom: orNull(f.licence.validFrom),
      validUntil: f.licence.longTerm ? null : f.licence.validUntil,
    },
    registeredCapital: orNull(f.registeredCapital) ? { amount: f.registeredCapital.trim() } : null,
  };
}

export function toQualificationBody(q: QualificationForm): Record<string, unknown> {
  return {
    category: q.category.trim(),
    name: q.name.trim(),
    level: orNull(q.level),
    certificateNumber: q.certificateNumber.trim(),
    issuingAuthority: q.issuingAuthority.trim(),
    validFrom: orNull(q.validFrom),
    validUntil: q.longTerm ? null : q.validUntil,
  };
}

// ---- the server's answer, field by field ----

/** Problems the server answers without naming a field, and the field they are about. */
const FIELD_OF_CODE: Record<string, string> = {
  USERNAME_TAKEN: 'account.username',
  PASSWORD_TOO_WEAK: 'account.password',
  ENTITY_ALREADY_REGISTERED: 'entity.creditCode',
  PERSON_ALREADY_REGISTERED: 'entity.idNumber',
  ROLE_NOT_ALLOWED_FOR_PERSON: 'entity.roles',
  ENTITY_KIND_LOCKED: 'entity.kind',
};

/** Server paths that differ from the form's: both bank accounts are one `bank` here; ranges sit on "until". */
function formPathOf(serverPath: string): string {
  return serverPath
    .replace(/^entity\.(basicAccount|bankAccount)(?=\.|$)/, 'entity.bank')
    .replace(/^entity\.licence$/, 'entity.licence.validUntil')
    .replace(/^qualifications\.(\d+)$/, 'qualifications.$1.validUntil')
    .replace(/^entity\.bank$/, 'entity.bank.bankName')
    .replace(/^(entity\.legalRepresentative|entity\.contact)$/, '$1.name');
}

/**
 * The problem's messages keyed by the form's field paths (`entity.creditCode`, `qualifications.0.name`).
 * A message whose field is not known is left to the summary above the form.
 */
export function formErrorsOf(
  problem: Problem,
  options: { prefix?: string; wholeBody?: string } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  const fields = fieldErrorsOf(problem);
  if (fields.length === 0 && FIELD_OF_CODE[problem.code]) {
    fields.push({ field: FIELD_OF_CODE[problem.code]!, message: problem.detail ?? problem.title });
  }
  for (const { field, message } of fields) {
    // A problem about the whole body (a date range of the qualification sent alone) goes where it is told.
    const local = formPathOf(field) || options.wholeBody;
    if (!local) continue;
    const path = (options.prefix ?? '') + local;
    out[path] = out[path] ? `${out[path]}；${message}` : message;
  }
  return out;
}

// ---- versions ----

const DETAIL_LABELS: Record<string, string> = {
  kind: '主体类型',
  name: '名称',
  creditCode: '统一社会信用代码',
  roles: '主体角色',
  regionCode: '所在地区',
  address: '地址',
  zipCode: '邮政编码',
  contact: '联系人',
  legalRepresentative: '法定代表人',
  basicAccount: '基本账户',
  bankAccount: '银行账户',
  licence: '营业执照有效期',
  registeredCapital: '注册资本',
  idType: '证件类型',
  idNumber: '证件号码',
  idValidUntil: '证件有效期',
};

function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/** What one version changed against the one before it, in Chinese (`名称、地址、资质`). */
export function changedLabels(previous: unknown, current: unknown): string[] {
  const p = (previous ?? {}) as { details?: Record<string, unknown>; qualifications?: unknown };
  const c = (current ?? {}) as { details?: Record<string, unknown>; qualifications?: unknown };
  const keys = new Set([...Object.keys(p.details ?? {}), ...Object.keys(c.details ?? {})]);
  const labels: string[] = [];
  for (const key of keys) {
    if (stable(p.details?.[key]) !== stable(c.details?.[key])) labels.push(DETAIL_LABELS[key] ?? key);
  }
  if (stable(p.qualifications) !== stable(c.qualifications)) labels.push('资质');
  return labels;
}
