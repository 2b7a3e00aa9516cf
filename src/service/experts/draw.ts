import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { shanghaiDateOf } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { InvalidInput, NotFound } from '../../platform/errors.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import { isKnownRegion } from '../regions/index.ts';
import { EXPERT_WITNESS_TYPE, type ExpertsDb, phoneContext, regionPrefixOf, yearsBefore } from './common.ts';
import { type DrawRuleCode, FORMER_EMPLOYER_YEARS } from './rules.ts';
import { isKnownSpecialty } from './specialties.ts';
import * as store from './store.ts';
import type { ExpertStatus, ExpertsTables } from './tables.ts';

/** A 回避单位 of the draw. `reasonCode` '3' (主管部门) counts under the rule `regulator-staff`. */
export interface DrawAvoidEntry {
  creditCode: string | null;
  organizationId: string | null;
  name: string;
  /** 回避原因 (9547): 1 投标单位 · 2 招标单位 · 3 主管部门 · 4 招标代理机构 · 9 其他. Optional. */
  reasonCode?: string | undefined;
}

export interface DrawCandidateQuery {
  /** 专业代码 prefix: every expert holding a code that starts with it. */
  specialtyCode: string;
  /** The expert's region lies within this region (province 150000 covers 15xxxx, city 150100 covers 1501xx). */
  regionCode: string;
  /** The evaluation period; unavailability is by Asia/Shanghai date overlap. */
  period: { from: Date; to: Date };
  /** 回避单位. */
  avoid: DrawAvoidEntry[];
  /** The project's 行政监督部门 (employer name equal → regulator-staff), plus any avoid entry with reason 3. */
  regulatorName: string | null;
  /** For the 3-year former-employer window. */
  asOf: Date;
}

export interface DrawCandidate {
  expertId: string;
  code: string;
  regionCode: string;
  /** The FIRST rule (in DRAW_RULE_ORDER) that excludes the expert; null = eligible. */
  blockedBy: DrawRuleCode | null;
}

const clean = (values: (string | null | undefined)[]) => [
  ...new Set(values.map((v) => v?.trim()).filter((v): v is string => Boolean(v))),
];

/**
 * Every pool expert in the specialty and region, ordered by code, each with the first rule blocking it.
 * ONE indexed query (store.listDrawCandidateRows); a few milliseconds on a 100,000-expert pool.
 */
export async function listDrawCandidates(
  db: Kysely<ExpertsTables> | Db<ExpertsTables>,
  q: DrawCandidateQuery,
): Promise<DrawCandidate[]> {
  if (!isKnownSpecialty(q.specialtyCode)) {
    throw new InvalidInput('EXPERT_SPECIALTY_UNKNOWN', {
      title: '评标专业代码不存在',
      detail: `专业代码 ${q.specialtyCode} 不在《公共资源交易评标专家专业分类标准》代码表中。`,
      extensions: { field: 'specialtyCode' },
    });
  }
  if (!isKnownRegion(q.regionCode)) {
    throw new InvalidInput('EXPERT_REGION_UNKNOWN', {
      title: '行政区划代码不存在',
      detail: `行政区划代码 ${q.regionCode} 不在行政区划代码表中。`,
      extensions: { field: 'regionCode' },
    });
  }
  const to =
    q.period.to.getTime() > q.period.from.getTime() ? new Date(q.period.to.getTime() - 1) : q.period.to;
  const regulatorEntries = q.avoid.filter((a) => a.reasonCode === '3');
  const employerEntries = q.avoid.filter((a) => a.reasonCode !== '3');
  const rows = await store.listDrawCandidateRows(db, {
    specialtyPrefix: q.specialtyCode,
    regionPrefix: regionPrefixOf(q.regionCode),
    fromDate: shanghaiDateOf(q.period.from),
    toDate: shanghaiDateOf(to),
    employerCodes: clean(employerEntries.map((a) => a.creditCode?.toUpperCase())),
    employerOrgIds: clean(employerEntries.map((a) => a.organizationId)),
    employerNames: clean(employerEntries.map((a) => a.name)),
    relationCodes: clean(q.avoid.map((a) => a.creditCode?.toUpperCase())),
    relationOrgIds: clean(q.avoid.map((a) => a.organizationId)),
    formerEmployerSince: yearsBefore(shanghaiDateOf(q.asOf), FORMER_EMPLOYER_YEARS),
    regulatorNames: clean([q.regulatorName, ...regulatorEntries.map((a) => a.name)]),
    regulatorCodes: clean(regulatorEntries.map((a) => a.creditCode?.toUpperCase())),
    regulatorOrgIds: clean(regulatorEntries.map((a) => a.organizationId)),
  });
  return rows.map((r) => ({
    expertId: r.expert_id,
    code: r.code,
    regionCode: r.region_code,
    blockedBy: (r.blocked_by as DrawRuleCode | null) ?? null,
  }));
}

export interface ExpertForDraw {
  expertId: string;
  code: string;
  name: string;
  accountId: string | null;
  /** Opened from the seal: for the SMS/voice notice only, never shown in a list. */
  phone: string | null;
  phoneMasked: string | null;
  idNumberMasked: string;
  employerName: string;
  regionCode: string;
  title: string;
  titleLevel: string;
  status: ExpertStatus;
}

/** Name, masked ID, phone (opened from the seal) etc. for the drawing process, notifications and the supervisor. */
export async function getExpertsForDraw(
  db: Kysely<ExpertsTables> | Db<ExpertsTables>,
  sealer: FieldSealer,
  expertIds: string[],
): Promise<Map<string, ExpertForDraw>> {
  const rows = await store.expertsByIds(db, [...new Set(expertIds)]);
  return new Map(
    rows.map((r) => [
      r.id,
      {
        expertId: r.id,
        code: r.code,
        name: r.name,
        accountId: r.account_id,
        phone: sealer.open(r.phone_sealed, phoneContext(r.id)),
        phoneMasked: r.phone_masked,
        idNumberMasked: r.id_number_masked,
        employerName: r.employer_name,
        regionCode: r.region_code,
        title: r.title,
        titleLevel: r.title_level,
        status: r.status,
      },
    ]),
  );
}

/**
 * The expert record of a signed-in account: null if there is none, or (unless `includeInactive`) if the
 * expert is not 在库. An applicant not yet admitted has no record.
 */
export async function findExpertOfAccount(
  db: Kysely<ExpertsTables> | Db<ExpertsTables>,
  accountId: string,
  opts: { includeInactive?: boolean } = {},
): Promise<{ expertId: string; code: string; name: string; status: ExpertStatus } | null> {
  const row = await store.findExpertOfAccount(db, accountId);
  if (!row) return null;
  if (row.status !== 'active' && !opts.includeInactive) return null;
  return { expertId: row.id, code: row.code, name: row.name, status: row.status };
}

export interface PerformanceInput {
  expertId: string;
  /** 评标表现, e.g. '按时到场，独立评审，评审意见完整'. */
  title: string;
  detail?: string | null;
  /** 优 / 良 / 中 / 差 or the evaluation's own scale. */
  result?: string | null;
  lotId?: string | null;
  at: Date;
  origin: WitnessOrigin;
  recordedBy?: { accountId: string; name: string } | null;
}

/** Performance 评标表现 record (the evaluation module calls it), inside the caller's transaction. */
export async function recordExpertPerformance(
  tx: Db<ExpertsTables & WitnessTables>,
  input: PerformanceInput,
): Promise<void> {
  const expert = await store.findExpert(tx, input.expertId);
  if (!expert) throw new NotFound('EXPERT_NOT_FOUND', { title: '专家不存在' });
  const row = await store.insertRecord(tx, {
    id: randomUUID(),
    expert_id: expert.id,
    kind: 'performance',
    title: input.title,
    detail: input.detail ?? null,
    result: input.result ?? null,
    basis: null,
    occurred_on: shanghaiDateOf(input.at),
    valid_until: null,
    lot_id: input.lotId ?? null,
    recorded_by: input.recordedBy?.accountId ?? null,
    recorded_by_name: input.recordedBy?.name ?? null,
    created_at: input.at,
  });
  await appendWitnessEvent(tx, input.at, input.origin, {
    entityType: EXPERT_WITNESS_TYPE,
    entityId: expert.id,
    action: 'expert.record-added',
    payload: {
      recordId: row.id,
      kind: 'performance',
      title: row.title,
      result: row.result,
      lotId: row.lot_id,
    },
  });
}

export type { ExpertsDb };
