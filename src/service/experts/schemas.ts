import { z } from 'zod';
import { isCalendarDate } from '../../platform/clock/index.ts';

const text = (max: number, label: string) =>
  z.string().trim().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字`);
const optionalText = (max: number, label: string) =>
  z.string().trim().max(max, `${label}不能超过 ${max} 个字`).nullable().default(null);

const CalendarDateString = z
  .string()
  .refine((v: string): boolean => isCalendarDate(v), { message: '日期应为 YYYY-MM-DD 格式的有效日期' });

export const GENDER_NAMES_ZH = { male: '男', female: '女' } as const;
export const TITLE_LEVEL_NAMES_ZH = {
  senior: '正高级',
  'vice-senior': '副高级',
  intermediate: '中级',
  other: '其他',
} as const;
export const EMPLOYER_KIND_NAMES_ZH = {
  enterprise: '企业',
  government: '机关',
  'public-institution': '事业单位',
  university: '高等院校',
  other: '其他',
} as const;
export const EXPERT_STATUS_NAMES_ZH = { active: '在库', suspended: '暂停', retired: '退出' } as const;
export const APPLICATION_STATUS_NAMES_ZH = {
  submitted: '待审核',
  admitted: '已入库',
  rejected: '未通过',
} as const;
export const RELATIONSHIP_KIND_NAMES_ZH = {
  'spouse-employer': '配偶受聘单位',
  'relative-employer': '近亲属受聘单位',
  shareholding: '持股单位',
  director: '担任董事、监事等职务的单位',
  'former-employer': '曾受聘单位（三年内）',
  other: '其他利害关系单位',
} as const;
export const RECORD_KIND_NAMES_ZH = {
  training: '培训',
  assessment: '考核',
  performance: '评标表现',
  credit: '信用',
} as const;

const Gender = z.enum(['male', 'female']);
const TitleLevel = z.enum(['senior', 'vice-senior', 'intermediate', 'other']);
const EmployerKind = z.enum(['enterprise', 'government', 'public-institution', 'university', 'other']);
const RelationshipKind = z.enum([
  'spouse-employer',
  'relative-employer',
  'shareholding',
  'director',
  'former-employer',
  'other',
]);

const Mobile = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '联系电话应为 11 位手机号码或带区号的固定电话');
const CreditCodeInput = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '统一社会信用代码应为 18 位')
  .nullable()
  .default(null);
const RegionCode = z.string().regex(/^\d{6}$/, '行政区划代码应为 6 位数字');
const SpecialtyCode = z.string().regex(/^[ABC](\d{2}){0,3}$/, '评标专业代码格式不正确，例如 A080101');

/** The employer and what the expert may edit of it. */
const EmployerFields = {
  employerName: text(200, '工作单位'),
  employerCreditCode: CreditCodeInput,
  employerKind: EmployerKind,
};

/** 面向社会公开征集: the public application form (also creates the applicant's account). */
export const ApplicationBody = z.strictObject({
  account: z.strictObject({
    username: z.string().trim().min(1, '请填写用户名').max(64),
    password: z.string().min(1, '请填写密码').max(128),
  }),
  name: text(50, '姓名'),
  gender: Gender,
  idNumber: text(30, '身份证号'),
  phone: Mobile,
  ...EmployerFields,
  regionCode: RegionCode,
  title: text(50, '职称'),
  titleLevel: TitleLevel,
  education: optionalText(50, '学历'),
  yearsInField: z.number().int().min(0).max(80),
  specialtyCodes: z.array(SpecialtyCode).min(1, '至少选择一个评标专业').max(5, '评标专业最多 5 个'),
  statement: optionalText(2000, '个人简介'),
});
export type ApplicationBody = z.infer<typeof ApplicationBody>;

export const ProfilePatch = z.strictObject({
  phone: Mobile.optional(),
  employerName: text(200, '工作单位').optional(),
  employerCreditCode: CreditCodeInput.optional(),
  employerKind: EmployerKind.optional(),
  education: optionalText(50, '学历').optional(),
});
export type ProfilePatch = z.infer<typeof ProfilePatch>;

export const UnavailabilityBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        from: CalendarDateString,
        to: CalendarDateString,
        reason: optionalText(200, '原因'),
      }),
    )
    .max(100, '不可参加日期最多 100 段'),
});
export type UnavailabilityBody = z.infer<typeof UnavailabilityBody>;

export const RelationshipsBody = z.strictObject({
  items: z
    .array(
      z.strictObject({
        kind: RelationshipKind,
        organizationName: text(200, '单位名称'),
        creditCode: CreditCodeInput,
        endedOn: CalendarDateString.nullable().default(null),
        note: optionalText(500, '说明'),
      }),
    )
    .max(50, '利害关系最多 50 条'),
});
export type RelationshipsBody = z.infer<typeof RelationshipsBody>;

export const DecisionBody = z.strictObject({ reason: text(500, '理由') });
export const AdmitBody = z.strictObject({ reason: optionalText(500, '说明') });

export const StatusBody = z.strictObject({
  status: z.enum(['active', 'suspended', 'retired']),
  reason: text(500, '理由'),
  until: CalendarDateString.nullable().default(null),
});
export type StatusBody = z.infer<typeof StatusBody>;

export const RecordBody = z.strictObject({
  kind: z.enum(['training', 'assessment', 'credit']),
  title: text(200, '标题'),
  detail: optionalText(2000, '内容'),
  result: optionalText(100, '结果'),
  basis: optionalText(500, '依据'),
  occurredOn: CalendarDateString,
  validUntil: CalendarDateString.nullable().default(null),
});
export type RecordBody = z.infer<typeof RecordBody>;

export const QualificationsBody = z.strictObject({
  specialtyCodes: z.array(SpecialtyCode).min(1, '至少一个评标专业').max(10),
  title: text(50, '职称'),
  titleLevel: TitleLevel,
  yearsInField: z.number().int().min(0).max(80),
  regionCode: RegionCode,
});
export type QualificationsBody = z.infer<typeof QualificationsBody>;

export const PoolQuery = z.object({
  specialtyCode: SpecialtyCode.optional(),
  regionCode: RegionCode.optional(),
  status: z.enum(['active', 'suspended', 'retired']).optional(),
  name: z.string().trim().max(50).optional(),
  code: z.string().trim().max(20).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type PoolQuery = z.infer<typeof PoolQuery>;

export const ApplicationQuery = z.object({
  status: z.enum(['submitted', 'admitted', 'rejected']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const ExpertIdParams = z.object({ expertId: z.string().uuid('专家编号格式不正确') });
export const ApplicationIdParams = z.object({ applicationId: z.string().uuid('申请编号格式不正确') });

// ---- views ----

const SpecialtyView = z.object({ code: z.string(), name: z.string(), path: z.string(), isMain: z.boolean() });

export const ExpertView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  gender: Gender,
  genderName: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
  employer: z.object({
    name: z.string(),
    creditCode: z.string().nullable(),
    organizationId: z.string().nullable(),
    kind: EmployerKind,
    kindName: z.string(),
  }),
  regionCode: z.string(),
  regionName: z.string(),
  title: z.string(),
  titleLevel: TitleLevel,
  titleLevelName: z.string(),
  education: z.string().nullable(),
  yearsInField: z.number(),
  status: z.enum(['active', 'suspended', 'retired']),
  statusName: z.string(),
  statusReason: z.string().nullable(),
  suspendedUntil: z.string().nullable(),
  admittedAt: z.string(),
  hasAccount: z.boolean(),
  specialties: z.array(SpecialtyView),
  version: z.number(),
});

export const UnavailabilityView = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string().nullable(),
});

export const RelationshipView = z.object({
  id: z.string(),
  kind: RelationshipKind,
  kindName: z.string(),
  organizationName: z.string(),
  creditCode: z.string().nullable(),
  organizationId: z.string().nullable(),
  endedOn: z.string().nullable(),
  note: z.string().nullable(),
  /** False when the row cannot be applied automatically (no credit code, or a former employer > 3 years ago). */
  appliedAutomatically: z.boolean(),
});

export const RecordView = z.object({
  id: z.string(),
  kind: z.enum(['training', 'assessment', 'performance', 'credit']),
  kindName: z.string(),
  title: z.string(),
  detail: z.string().nullable(),
  result: z.string().nullable(),
  basis: z.string().nullable(),
  occurredOn: z.string(),
  validUntil: z.string().nullable(),
  lotId: z.string().nullable(),
  recordedByName: z.string().nullable(),
  createdAt: z.string(),
});

export const ExpertDetailView = ExpertView.extend({
  unavailability: z.array(UnavailabilityView),
  relationships: z.array(RelationshipView),
});

export const ApplicationView = z.object({
  id: z.string(),
  accountId: z.string(),
  name: z.string(),
  gender: Gender,
  genderName: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string(),
  employerName: z.string(),
  employerCreditCode: z.string().nullable(),
  employerKind: EmployerKind,
  employerKindName: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  title: z.string(),
  titleLevel: TitleLevel,
  titleLevelName: z.string(),
  education: z.string().nullable(),
  yearsInField: z.number(),
  specialties: z.array(z.object({ code: z.string(), name: z.string(), path: z.string() })),
  statement: z.string().nullable(),
  status: z.enum(['submitted', 'admitted', 'rejected']),
  statusName: z.string(),
  decisionReason: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  expertId: z.string().nullable(),
  expertCode: z.string().nullable(),
  createdAt: z.string(),
});
