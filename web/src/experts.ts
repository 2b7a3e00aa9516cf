/**
 * Types and helpers of the expert pool (综合评标评审专家库) as the browser sees them — the server's views
 * under /api/experts. The draw pages (专家抽取) use the specialty tree too.
 */
import { api } from './api.ts';

export interface SpecialtyNode {
  code: string;
  name: string;
  children?: SpecialtyNode[];
}

let specialtyTree: Promise<{ source: string; items: SpecialtyNode[] }> | null = null;

/** The 评标专家专业分类 table, fetched once per page load (it changes only with a release). */
export function loadSpecialties(): Promise<{ source: string; items: SpecialtyNode[] }> {
  specialtyTree ??= api
    .get<{ source: string; items: SpecialtyNode[] }>('/api/experts/specialties')
    .catch((error: unknown) => {
      specialtyTree = null;
      throw error;
    });
  return specialtyTree;
}

/** The codes from the top class down to `code` (A → A08 → A0801), for a cascader's value. */
export function specialtyPathOf(code: string): string[] {
  if (!code) return [];
  const path = [code.slice(0, 1)];
  for (let i = 3; i <= code.length; i += 2) path.push(code.slice(0, i));
  return path;
}

export type ExpertStatus = 'active' | 'suspended' | 'retired';

export interface ExpertSpecialty {
  code: string;
  name: string;
  path: string;
  isMain: boolean;
}

export interface Expert {
  id: string;
  code: string;
  name: string;
  gender: 'male' | 'female';
  genderName: string;
  idNumberMasked: string;
  phoneMasked: string;
  employer: {
    name: string;
    creditCode: string | null;
    organizationId: string | null;
    kind: string;
    kindName: string;
  };
  regionCode: string;
  regionName: string;
  title: string;
  titleLevel: string;
  titleLevelName: string;
  education: string | null;
  yearsInField: number;
  status: ExpertStatus;
  statusName: string;
  statusReason: string | null;
  suspendedUntil: string | null;
  admittedAt: string;
  hasAccount: boolean;
  specialties: ExpertSpecialty[];
  version: number;
}

export interface Unavailability {
  id?: string;
  from: string;
  to: string;
  reason: string | null;
}

export type RelationshipKind =
  | 'spouse-employer'
  | 'relative-employer'
  | 'shareholding'
  | 'director'
  | 'former-employer'
  | 'other';

export interface Relationship {
  id?: string;
  kind: RelationshipKind;
  kindName?: string;
  organizationName: string;
  creditCode: string | null;
  endedOn: string | null;
  note: string | null;
  appliedAutomatically?: boolean;
}

export interface ExpertRecord {
  id: string;
  kind: 'training' | 'assessment' | 'performance' | 'credit';
  kindName: string;
  title: string;
  detail: string | null;
  result: string | null;
  basis: string | null;
  occurredOn: string;
  validUntil: string | null;
  lotId: string | null;
  recordedByName: string | null;
  createdAt: string;
}

export interface ExpertDetail extends Expert {
  unavailability: Unavailability[];
  relationships: Relationship[];
  records?: ExpertRecord[];
}

export interface ExpertApplication {
  id: string;
  name: string;
  genderName: string;
  idNumberMasked: string;
  phoneMasked: string;
  employerName: string;
  employerCreditCode: string | null;
  employerKindName: string;
  regionCode: string;
  regionName: string;
  title: string;
  titleLevelName: string;
  education: string | null;
  yearsInField: number;
  specialties: { code: string; name: string; path: string }[];
  statement: string | null;
  status: 'submitted' | 'admitted' | 'rejected';
  statusName: string;
  decisionReason: string | null;
  decidedByName: string | null;
  decidedAt: string | null;
  expertId: string | null;
  expertCode: string | null;
  createdAt: string;
}

export const RELATIONSHIP_KIND_OPTIONS: { value: RelationshipKind; label: string }[] = [
  { value: 'spouse-employer', label: '配偶受聘单位' },
  { value: 'relative-employer', label: '近亲属受聘单位' },
  { value: 'shareholding', label: '持股单位' },
  { value: 'director', label: '担任董事、监事等职务的单位' },
  { value: 'former-employer', label: '曾受聘单位（三年内）' },
  { value: 'other', label: '其他利害关系单位' },
];

export const TITLE_LEVEL_OPTIONS = [
  { value: 'senior', label: '正高级' },
  { value: 'vice-senior', label: '副高级' },
  { value: 'intermediate', label: '中级' },
  { value: 'other', label: '其他' },
];

export const EMPLOYER_KIND_OPTIONS = [
  { value: 'enterprise', label: '企业' },
  { value: 'government', label: '机关' },
  { value: 'public-institution', label: '事业单位' },
  { value: 'university', label: '高等院校' },
  { value: 'other', label: '其他' },
];

export const STATUS_TAG: Record<ExpertStatus, 'success' | 'warning' | 'info'> = {
  active: 'success',
  suspended: 'warning',
  retired: 'info',
};
