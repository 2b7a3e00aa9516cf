import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/index.ts';
import { ENTITY_ROLES } from './entity-roles.ts';

const CalendarDateString = z
  .string()
  .refine((v: string): boolean => isCalendarDate(v), { message: '日期应为 YYYY-MM-DD 格式的有效日期' });

const Text = (max: number) => z.string().trim().min(1).max(max);

const Phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-() ]{5,20}$/, { message: '电话号码只能包含数字、空格和 + - ( )，5–20 位' });

export const IdTypeSchema = z.enum([
  'resident_id', // 居民身份证
  'passport', // 护照
  'hk_macao_permit', // 港澳居民来往内地通行证
  'taiwan_permit', // 台湾居民来往大陆通行证
  'foreign_permanent_resident', // 外国人永久居留身份证
]);

export const ContactInput = z.strictObject({
  name: Text(50),
  phone: Phone,
  email: z.email({ message: '电子邮箱格式不正确' }).max(100).nullable().default(null),
});

/** 基本账户 — deposits are refunded to it, so it is asked for at registration. */
export const BankAccountInput = z.strictObject({
  bankName: Text(200),
  branchCode: Text(50).nullable().default(null),
  accountNumber: z
    .string()
    .transform((v) => v.replace(/\s+/g, ''))
    .pipe(z.string().regex(/^[0-9]{6,40}$/, { message: '银行账号应为 6–40 位数字' })),
  accountName: Text(200),
});

const CommonDetails = {
  name: Text(200),
  roles: z.array(z.enum(ENTITY_ROLES)).min(1).max(ENTITY_ROLES.length),
  regionCode: z.string().trim().min(1).max(12),
  address: Text(300),
  zipCode: z
    .string()
    .regex(/^\d{6}$/, { message: '邮政编码应为 6 位数字' })
    .nullable()
    .default(null),
  contact: ContactInput,
};

/**
 * An ID number as entered. On 修改 (PUT /api/my/entity) it may be left out: it is only ever shown masked,
 * so asking for it again to fix an address would make every edit retype it. Left out = unchanged.
 */
const IdNumber = Text(30);
const IdNumberOnUpdate = IdNumber.optional().describe(
  '证件号码：不修改请省略（保留原号码）；填写则按 GB 11643 等规则重新校验并替换。',
);

const representative = <T extends z.ZodType>(idNumber: T) =>
  z.strictObject({
    name: Text(50),
    idType: IdTypeSchema.default('resident_id'),
    idNumber,
    phone: Phone.nullable().default(null),
  });

const OrganizationFields = {
  kind: z.enum(['legal_person', 'other_organization']),
  ...CommonDetails,
  creditCode: z.string().min(1).max(40),
};

const OrganizationTail = {
  basicAccount: BankAccountInput,
  licence: z.strictObject({
    validFrom: CalendarDateString.nullable().default(null),
    /** null = 长期 */
    validUntil: CalendarDateString.nullable(),
  }),
  registeredCapital: z
    .strictObject({
      /** 万元 */
      amount: z.string().regex(/^\d{1,14}(\.\d{1,6})?$/, { message: '注册资本应为数字（单位：万元）' }),
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .default('CNY'),
    })
    .nullable()
    .default(null),
};

/** 法人 / 非法人组织 (数据规范 V4 100 LEGAL_PERSON_BASE). */
export const OrganizationDetails = z.strictObject({
  ...OrganizationFields,
  legalRepresentative: representative(IdNumber),
  ...OrganizationTail,
});

const PersonFields = {
  kind: z.literal('natural_person'),
  ...CommonDetails,
  idType: IdTypeSchema.default('resident_id'),
};

const PersonTail = {
  /** null = 长期 */
  idValidUntil: CalendarDateString.nullable(),
  bankAccount: BankAccountInput,
};

/** 自然人 (数据规范 V4 114 INDIVIDUAL_BASE). */
export const PersonDetails = z.strictObject({ ...PersonFields, idNumber: IdNumber, ...PersonTail });

/** 注册登记: every field, ID numbers included. */
export const EntityDetailsInput = z.discriminatedUnion('kind', [OrganizationDetails, PersonDetails]);
export type EntityDetails = z.output<typeof EntityDetailsInput>;
export type OrganizationDetailsData = z.output<typeof OrganizationDetails>;
export type PersonDetailsData = z.output<typeof PersonDetails>;

/** 修改 (PUT /api/my/entity): the same, except that an ID number left out stays as stored. */
export const EntityUpdateInput = z.discriminatedUnion('kind', [
  z.strictObject({
    ...OrganizationFields,
    legalRepresentative: representative(IdNumberOnUpdate),
    ...OrganizationTail,
  }),
  z.strictObject({ ...PersonFields, idNumber: IdNumberOnUpdate, ...PersonTail }),
]);
export type EntityUpdate = z.output<typeof EntityUpdateInput>;

/** 资质 (数据规范 V4 102/103/106: QUAL_TYPE, QUAL_NAME, QUAL_LEVEL, QUAL_CERT_NO, QUAL_CERT_END_DATE). */
export const QualificationInput = z.strictObject({
  category: Text(50),
  name: Text(100),
  level: Text(50).nullable().default(null),
  certificateNumber: Text(50),
  issuingAuthority: Text(100),
  validFrom: CalendarDateString.nullable().default(null),
  /** null = 长期有效 */
  validUntil: CalendarDateString.nullable(),
});
export type QualificationData = z.output<typeof QualificationInput>;

export const RegistrationBody = z.strictObject({
  entity: EntityDetailsInput,
  qualifications: z.array(QualificationInput).max(50).default([]),
  /** The first account, which becomes the organisation's administrator. */
  account: z.strictObject({
    username: z.string().min(1).max(64),
    displayName: Text(100),
    password: z.string().min(1).max(256),
  }),
});
export type RegistrationInput = z.output<typeof RegistrationBody>;

export const AcceptBody = z.strictObject({
  /** The version the operator checked; a later edit makes the 受理 fail instead of accepting unseen data. */
  reviewedVersion: z.number().int().min(1),
});

export const ReturnBody = z.strictObject({
  reason: Text(1000),
  reviewedVersion: z.number().int().min(1).optional(),
});

export const CreateOrganizationAccountBody = z.strictObject({
  username: z.string().min(1).max(64),
  displayName: Text(100),
  password: z.string().min(1).max(256),
  roles: z.array(z.string().min(1).max(32)).min(1).max(7),
});

// Lenient ids on purpose: the access policy answers first, and a malformed id is simply not found.
export const EntityIdParams = z.strictObject({ entityId: z.string().min(1).max(64) });
export const QualificationIdParams = z.strictObject({ qualificationId: z.string().min(1).max(64) });
export const AccountIdParams = z.strictObject({ accountId: z.string().min(1).max(64) });

export const EntityStatusSchema = z.enum(['submitted', 'returned', 'active']);

export const AdminEntityQuery = z.strictObject({
  status: EntityStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const PublicEntityQuery = z.strictObject({
  q: z.string().trim().min(2, { message: '请输入至少 2 个字符的名称或完整的统一社会信用代码' }).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

// ---- responses ----

const RegionRef = z.object({ code: z.string(), name: z.string(), pathName: z.string() });
const RoleView = z.object({ code: z.string(), name: z.string(), platformRole: z.string() });

export const QualificationView = z.object({
  id: z.string(),
  category: z.string(),
  name: z.string(),
  level: z.string().nullable(),
  certificateNumber: z.string(),
  issuingAuthority: z.string(),
  validFrom: z.string().nullable(),
  validUntil: z.string().nullable(),
  expired: z.boolean(),
  expiredFlaggedAt: z.string().nullable(),
});

/** What the entity itself and the trading centre see: ID numbers masked, everything else in full. */
export const EntityView = z.object({
  id: z.string(),
  organizationId: z.string(),
  kind: z.enum(['legal_person', 'other_organization', 'natural_person']),
  kindName: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  category: z
    .object({
      registrationAuthority: z.object({ code: z.string(), name: z.string() }),
      institutionCategory: z.object({ code: z.string(), name: z.string() }),
    })
    .nullable(),
  roles: z.array(RoleView),
  legalRepresentative: z
    .object({
      name: z.string(),
      idType: z.string(),
      idNumberMasked: z.string(),
      phone: z.string().nullable(),
    })
    .nullable(),
  person: z
    .object({ idType: z.string(), idNumberMasked: z.string(), idValidUntil: z.string().nullable() })
    .nullable(),
  basicAccount: z.object({
    bankName: z.string(),
    branchCode: z.string().nullable(),
    accountNumber: z.string(),
    accountName: z.string(),
  }),
  region: RegionRef,
  address: z.string(),
  zipCode: z.string().nullable(),
  contact: z.object({ name: z.string(), phone: z.string(), email: z.string().nullable() }),
  licence: z.object({ validFrom: z.string().nullable(), validUntil: z.string().nullable() }).nullable(),
  registeredCapital: z
    .object({ amount: z.string(), currency: z.string(), unit: z.literal('万元') })
    .nullable(),
  qualifications: z.array(QualificationView),
  status: EntityStatusSchema,
  statusName: z.string(),
  returnReason: z.string().nullable(),
  acceptedVersion: z.number().nullable(),
  acceptedAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** GET /api/my/entity and the administrator's edits: the entity, and whether the caller administers it. */
export const MyEntityView = EntityView.extend({
  /** The caller holds the grant `org-admin` on the organisation: may edit the entity and its accounts. */
  isOrganizationAdmin: z.boolean(),
});

/** What anyone may see (§16 公开): never ID numbers, bank accounts, phones or e-mail addresses. */
export const PublicEntityView = z.object({
  id: z.string(),
  name: z.string(),
  creditCode: z.string().nullable(),
  kindName: z.string(),
  region: RegionRef,
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  status: EntityStatusSchema,
  statusName: z.string(),
  qualifications: z.array(
    z.object({
      category: z.string(),
      name: z.string(),
      level: z.string().nullable(),
      validUntil: z.string().nullable(),
      expired: z.boolean(),
    }),
  ),
});

export const EntityListItem = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  kindName: z.string(),
  creditCode: z.string().nullable(),
  region: RegionRef,
  roles: z.array(RoleView),
  status: EntityStatusSchema,
  statusName: z.string(),
  version: z.number(),
  updatedAt: z.string(),
});

export const VersionView = z.object({
  version: z.number(),
  action: z.string(),
  actionName: z.string(),
  changedBy: z.string().nullable(),
  /** The display name of the account that made the change (null: no longer known). */
  changedByName: z.string().nullable(),
  changedAt: z.string(),
  snapshotSm3: z.string(),
  /** The declared data of that version, ID numbers masked. */
  snapshot: z.unknown(),
});

export const OrganizationAccountView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  status: z.enum(['active', 'disabled']),
  isAdmin: z.boolean(),
  createdAt: z.string(),
});
