import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type CalendarDate, type Clock, compareDates, shanghaiDateOf } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { appendWitnessEvent } from '../../platform/witness/index.ts';
import {
  checkCreditCode,
  checkIdNumber,
  findEntityByCreditCode,
  findEntityOfOrganization,
  maskIdNumber,
  normalizeCreditCode,
  normalizeIdNumber,
} from '../../service/entities/index.ts';
import { isKnownRegion } from '../../service/regions/index.ts';
import { findLot } from '../../trading/projects/index.ts';
import {
  assertSupervisorInScope,
  type CreditContext,
  type CreditDb,
  isOperator,
  isSupervisor,
  readerScope,
  requireActor,
} from './policy.ts';
import {
  BAN_BASES,
  banBasisOf,
  banLengthFits,
  HONEST_LIST_CITATION,
  isNegative,
  laterOf,
  negativeWindow,
  OTHER_BASIS,
  publicationDueOn,
  publicationRuleOn,
  RECORD_CONTENT_CITATION,
  RESTRICTION_KIND_NAMES_ZH,
  SUBJECT_CODE_CITATION,
} from './rules.ts';
import type { RecordInput, RestrictionInput, SubjectInput } from './schemas.ts';
import * as store from './store.ts';
import type { CreditRecordKind, CreditSubjectKind, CreditTables } from './tables.ts';
import { type PublicRecordViewT, type RecordViewT, toPublicRecordView, toRecordView } from './views.ts';

export const RECORD_WITNESS_TYPE = 'credit-record';

const todayOf = (clock: Clock) => shanghaiDateOf(clock.now());

// ---- subject (信用主体) ----

export interface ResolvedSubject {
  kind: CreditSubjectKind;
  name: string;
  creditCode: string | null;
  idNumber: string | null;
  organizationId: string | null;
}

function subjectInvalid(code: string, title: string, detail: string, field: string): InvalidInput {
  return new InvalidInput(code, { title, detail, citation: SUBJECT_CODE_CITATION, extensions: { field } });
}

/**
 * An organisation by its 统一社会信用代码 (GB 32100, checked), a natural person by ID number; linked to the
 * platform's market entity when it is one, so the subject's accounts can see and repair the record.
 */
export async function resolveSubject(
  db: Kysely<CreditDb>,
  input: SubjectInput,
  today: CalendarDate,
): Promise<ResolvedSubject> {
  let organizationId = input.organizationId?.trim() || null;
  if (input.kind === 'organization') {
    let code = input.creditCode ? normalizeCreditCode(input.creditCode) : null;
    if (organizationId) {
      const entity = await findEntityOfOrganization(db, organizationId);
      if (!entity || entity.kind === 'natural_person' || !entity.creditCode) {
        throw subjectInvalid(
          'CREDIT_SUBJECT_NOT_FOUND',
          '平台上没有该单位',
          '所选单位不是本平台登记的法人或非法人组织。',
          'subject.organizationId',
        );
      }
      if (code && code !== entity.creditCode) {
        throw subjectInvalid(
          'CREDIT_SUBJECT_MISMATCH',
          '统一社会信用代码与所选单位不一致',
          `所选单位“${entity.name}”的统一社会信用代码为 ${entity.creditCode}，填写的是 ${code}。`,
          'subject.creditCode',
        );
      }
      code = entity.creditCode;
    }
    if (!code) {
      throw subjectInvalid(
        'CREDIT_SUBJECT_CODE_REQUIRED',
        '请填写统一社会信用代码',
        '单位以统一社会信用代码标识。',
        'subject.creditCode',
      );
    }
    const check = checkCreditCode(code);
    if (!check.ok) {
      throw subjectInvalid(
        'CREDIT_CODE_INVALID',
        '统一社会信用代码不正确',
        check.message,
        'subject.creditCode',
      );
    }
    if (!organizationId) organizationId = (await findEntityByCreditCode(db, code))?.organizationId ?? null;
    return { kind: 'organization', name: input.name, creditCode: code, idNumber: null, organizationId };
  }
  const idNumber = input.idNumber ? normalizeIdNumber(input.idNumber) : '';
  if (!idNumber) {
    throw subjectInvalid(
      'CREDIT_SUBJECT_ID_REQUIRED',
      '请填写身份证号码',
      '自然人以居民身份证号码标识。',
      'subject.idNumber',
    );
  }
  const check = checkIdNumber(idNumber, today);
  if (!check.ok)
    throw subjectInvalid('CREDIT_ID_NUMBER_INVALID', '身份证号码不正确', check.message, 'subject.idNumber');
  if (organizationId) {
    const entity = await findEntityOfOrganization(db, organizationId);
    if (entity?.kind !== 'natural_person') {
      throw subjectInvalid(
        'CREDIT_SUBJECT_NOT_FOUND',
        '平台上没有该自然人',
        '所选主体不是本平台登记的自然人。',
        'subject.organizationId',
      );
    }
  }
  return { kind: 'person', name: input.name, creditCode: null, idNumber, organizationId };
}

// ---- restrictions (限制) ----

export interface CheckedRestriction {
  kind: RestrictionInput['kind'];
  basisCode: string;
  legalBasis: string;
  catalogPrefixes: string[];
  regionPrefixes: string[];
  fromDate: CalendarDate;
  toDate: CalendarDate;
}

const unique = (xs: string[]) => [...new Set(xs)].sort();

/** Checks a restriction against the ban table (§2A): the right kind for the statute, a lawful length. */
export function checkRestriction(
  input: RestrictionInput,
  decisionDate: CalendarDate,
  index: number,
): CheckedRestriction {
  const field = (name: string) => ({ field: `restrictions.${index}.${name}` });
  const fromDate = input.fromDate as CalendarDate;
  const toDate = input.toDate as CalendarDate;
  if (compareDates(toDate, fromDate) < 0) {
    throw new InvalidInput('CREDIT_RESTRICTION_PERIOD_INVALID', {
      title: '限制期间的结束日期早于开始日期',
      detail: `限制期间为 ${fromDate} 至 ${toDate}。`,
      extensions: field('toDate'),
    });
  }
  if (compareDates(fromDate, decisionDate) < 0) {
    throw new InvalidInput('CREDIT_RESTRICTION_BEFORE_DECISION', {
      title: '限制不能早于决定日期开始',
      detail: `决定日期为 ${decisionDate}，限制开始日期为 ${fromDate}。`,
      extensions: field('fromDate'),
    });
  }
  const base = {
    kind: input.kind,
    catalogPrefixes: unique(input.catalogPrefixes),
    regionPrefixes: unique(input.regionPrefixes),
    fromDate,
    toDate,
  };
  if (input.basisCode === OTHER_BASIS) {
    const legalBasis = input.legalBasis?.trim();
    if (!legalBasis) {
      throw new InvalidInput('CREDIT_LEGAL_BASIS_REQUIRED', {
        title: '请填写限制措施的法律依据',
        detail: '限制当事人资格须有法律、法规依据。',
        citation: RECORD_CONTENT_CITATION,
        extensions: field('legalBasis'),
      });
    }
    return { ...base, basisCode: OTHER_BASIS, legalBasis };
  }
  const basis = banBasisOf(input.basisCode);
  if (!basis) {
    throw new InvalidInput('CREDIT_BAN_BASIS_UNKNOWN', {
      title: '未知的限制依据',
      detail: `可选依据：${BAN_BASES.map((b) => `${b.code}（${b.legalBasis}）`).join('、')}，或 other（其他，须填写依据）。`,
      extensions: field('basisCode'),
    });
  }
  if (basis.restriction !== input.kind) {
    throw new RuleViolation('CREDIT_BAN_KIND_MISMATCH', {
      title: '限制内容与法律依据不符',
      detail: `${basis.legalBasis}规定的限制为“${RESTRICTION_KIND_NAMES_ZH[basis.restriction]}”，不是“${RESTRICTION_KIND_NAMES_ZH[input.kind]}”。`,
      citation: `${basis.legalBasis}：${basis.summary}`,
      extensions: field('kind'),
    });
  }
  if (!banLengthFits(basis, fromDate, toDate)) {
    throw new RuleViolation('CREDIT_BAN_LENGTH_UNLAWFUL', {
      title: '限制期限不符合法定幅度',
      detail: `${basis.legalBasis}规定的期限为 ${basis.minYears} 年至 ${basis.maxYears} 年，填写的限制期间为 ${fromDate} 至 ${toDate}。`,
      citation: `${basis.legalBasis}：${basis.summary}`,
      extensions: field('toDate'),
    });
  }
  return { ...base, basisCode: basis.code, legalBasis: input.legalBasis?.trim() || basis.legalBasis };
}

// ---- recording (登记信用记录) ----

function required(value: string | null | undefined, code: string, title: string, field: string): string {
  const v = value?.trim();
  if (!v) {
    throw new InvalidInput(code, {
      title,
      detail: '违法、失信记录须载明当事人名称、违法行为、处理依据、处理决定、处理时间和处理机关。',
      citation: RECORD_CONTENT_CITATION,
      extensions: { field },
    });
  }
  return v;
}

async function placeRecord(ctx: CreditContext, input: RecordInput) {
  if (input.lotId) {
    const lot = await findLot(ctx.db, input.lotId);
    if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
    return { lotId: lot.id, regionCode: lot.regionCode, catalogItemCode: lot.catalogItemCode };
  }
  if (!input.regionCode || !isKnownRegion(input.regionCode)) {
    throw new InvalidInput('CREDIT_REGION_REQUIRED', {
      title: '请选择行政区划',
      detail: '未关联标段（包）的记录须填写违法行为发生地或决定机关所在地的 6 位行政区划代码。',
      extensions: { field: 'regionCode' },
    });
  }
  if (!input.catalogItemCode) {
    throw new InvalidInput('CREDIT_CATALOG_REQUIRED', {
      title: '请选择交易目录',
      detail: '未关联标段（包）的记录须填写所属交易类别或事项（例如 01、0101）。',
      extensions: { field: 'catalogItemCode' },
    });
  }
  return { lotId: null, regionCode: input.regionCode, catalogItemCode: input.catalogItemCode };
}

/**
 * 登记信用记录: a supervisor records a decision about a subject in its scope. A 违法/失信 record names its
 * legal basis, the decision and the deciding authority (1531号 第八条) and may carry restrictions from the
 * ban table; it goes on the portal's 失信 list at once and stays there for its legal period (T20–T22).
 */
export async function createRecord(ctx: CreditContext, input: RecordInput): Promise<RecordViewT> {
  const actor = requireActor(ctx.actor);
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const kind = input.kind;
  const decisionDate = input.decisionDate as CalendarDate;

  // What the law requires of the record's content, before anything else.
  let legalBasis: string | null = null;
  let penalty: string | null = null;
  if (isNegative(kind)) {
    legalBasis = required(
      input.legalBasis,
      'CREDIT_LEGAL_BASIS_REQUIRED',
      '违法失信记录须载明法律依据',
      'legalBasis',
    );
    penalty = required(input.penalty, 'CREDIT_PENALTY_REQUIRED', '违法失信记录须载明处理决定', 'penalty');
    if (!input.severity) {
      throw new InvalidInput('CREDIT_SEVERITY_REQUIRED', {
        title: '请选择失信程度（轻微、一般、严重）',
        detail: '公示期限和信用修复的最短期限按失信程度确定。',
        citation: publicationRuleOn(decisionDate).citation,
        extensions: { field: 'severity' },
      });
    }
  } else if (input.restrictions.length > 0) {
    throw new InvalidInput('CREDIT_RESTRICTION_NOT_ALLOWED', {
      title: '只有违法、失信记录可以附限制措施',
      extensions: { field: 'restrictions' },
    });
  }
  if (kind === 'performance' && !input.performanceRating) {
    throw new InvalidInput('CREDIT_RATING_REQUIRED', {
      title: '请选择履约评价结果',
      extensions: { field: 'performanceRating' },
    });
  }
  if (kind === 'commendation' && !input.validUntil) {
    throw new InvalidInput('CREDIT_VALID_UNTIL_REQUIRED', {
      title: '请填写守信信息的公示截止日期',
      detail: '守信名单按表彰奖励决定确定的有效期公示。',
      citation: HONEST_LIST_CITATION,
      extensions: { field: 'validUntil' },
    });
  }
  if (compareDates(decisionDate, today) > 0) {
    throw new InvalidInput('CREDIT_DECISION_IN_FUTURE', {
      title: '决定日期不能晚于今天',
      detail: `决定日期为 ${decisionDate}，今天是 ${today}。`,
      extensions: { field: 'decisionDate' },
    });
  }
  const restrictions = input.restrictions.map((r, i) => checkRestriction(r, decisionDate, i));

  const place = await placeRecord(ctx, input);
  const subject = await resolveSubject(ctx.db, input.subject, today);
  await assertSupervisorInScope(ctx, { ...place, label: `对“${subject.name}”的信用记录` });

  // Publication (T20–T22).
  let publish = kind !== 'performance' && input.publish;
  let endsOn: CalendarDate | null = null;
  let repairEarliestOn: CalendarDate | null = null;
  let rule: string | null = null;
  if (isNegative(kind)) {
    const severity = input.severity!;
    const publicationRule = publicationRuleOn(decisionDate);
    const mayOmit = publicationRule.bySeverity?.[severity].mayOmit ?? false;
    if (!publish && !mayOmit) {
      throw new RuleViolation('CREDIT_PUBLICATION_REQUIRED', {
        title: '该记录应当公示',
        detail: '只有轻微失信信息（2026年4月1日起作出的决定）可以不予公示。',
        citation: publicationRule.citation,
        extensions: { field: 'publish' },
      });
    }
    const restrictionsEnd = restrictions.reduce<CalendarDate | null>(
      (end, r) => laterOf(r.toDate, end),
      null,
    );
    const window = negativeWindow(severity, decisionDate, restrictionsEnd);
    endsOn = publish ? window.endsOn : null;
    repairEarliestOn = window.repairEarliestOn;
    rule = window.rule;
  } else if (kind === 'commendation') {
    const validUntil = input.validUntil as CalendarDate;
    if (compareDates(validUntil, decisionDate) <= 0) {
      throw new InvalidInput('CREDIT_VALID_UNTIL_INVALID', {
        title: '公示截止日期须晚于决定日期',
        extensions: { field: 'validUntil' },
      });
    }
    endsOn = publish ? validUntil : null;
    rule = HONEST_LIST_CITATION;
  } else {
    publish = false;
  }
  const dueOn = publish ? publicationDueOn(decisionDate) : null;

  return ctx.db.transaction().execute(async (tx) => {
    const number = await store.nextRecordNumber(tx);
    const row = await store.insertRecord(tx, {
      id: randomUUID(),
      code: `XYJL-${today.slice(0, 4)}-${String(number).padStart(6, '0')}`,
      kind,
      subject_kind: subject.kind,
      subject_name: subject.name,
      subject_credit_code: subject.creditCode,
      subject_id_number: subject.idNumber,
      subject_organization_id: subject.organizationId,
      region_code: place.regionCode,
      catalog_item_code: place.catalogItemCode,
      lot_id: place.lotId,
      severity: isNegative(kind) ? (input.severity ?? null) : null,
      facts: input.facts,
      legal_basis: legalBasis ?? (input.legalBasis?.trim() || null),
      penalty: penalty ?? (input.penalty?.trim() || null),
      deciding_authority: input.decidingAuthority,
      decision_number: input.decisionNumber,
      decision_date: decisionDate,
      performance_rating: kind === 'performance' ? (input.performanceRating ?? null) : null,
      publish,
      published_at: publish ? now : null,
      publication_due_on: dueOn,
      publication_ends_on: endsOn,
      repair_earliest_on: repairEarliestOn,
      publication_rule: rule,
      repaired_on: null,
      revoked_on: null,
      revoke_reason: null,
      created_by: actor.accountId,
      created_by_name: actor.displayName,
      created_at: now,
      updated_at: now,
    });
    const restrictionRows: store.RestrictionRow[] = [];
    for (const r of restrictions)
      restrictionRows.push(await insertRestrictionRow(tx, row.id, r, actor.accountId, now));
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: RECORD_WITNESS_TYPE,
      entityId: row.id,
      action: 'credit-record.recorded',
      payload: {
        code: row.code,
        kind,
        subject: witnessSubject(subject),
        regionCode: row.region_code,
        catalogItemCode: row.catalog_item_code,
        lotId: row.lot_id,
        severity: row.severity,
        legalBasis: row.legal_basis,
        penalty: row.penalty,
        decidingAuthority: row.deciding_authority,
        decisionNumber: row.decision_number,
        decisionDate,
        performanceRating: row.performance_rating,
        restrictions: restrictionRows.map(witnessRestriction),
        publication: { publish, publishedAt: row.published_at, dueOn, endsOn, repairEarliestOn },
      },
    });
    return toRecordView(row, restrictionRows, [], now);
  });
}

function witnessSubject(s: ResolvedSubject) {
  return {
    kind: s.kind,
    name: s.name,
    creditCode: s.creditCode,
    idNumber: s.idNumber ? maskIdNumber(s.idNumber) : null,
    organizationId: s.organizationId,
  };
}

function witnessRestriction(r: store.RestrictionRow) {
  return {
    id: r.id,
    kind: r.kind,
    catalogPrefixes: r.catalog_prefixes,
    regionPrefixes: r.region_prefixes,
    fromDate: r.from_date,
    toDate: r.to_date,
    basisCode: r.basis_code,
    legalBasis: r.legal_basis,
  };
}

function insertRestrictionRow(
  tx: Db<CreditTables>,
  recordId: string,
  r: CheckedRestriction,
  by: string,
  now: Date,
) {
  return store.insertRestriction(tx, {
    id: randomUUID(),
    record_id: recordId,
    kind: r.kind,
    catalog_prefixes: r.catalogPrefixes,
    region_prefixes: r.regionPrefixes,
    from_date: r.fromDate,
    to_date: r.toDate,
    basis_code: r.basisCode,
    legal_basis: r.legalBasis,
    lifted_on: null,
    lifted_reason: null,
    created_by: by,
    created_at: now,
  });
}

export function assertRecordActive(row: store.RecordRow, today: CalendarDate, what: string): void {
  if (row.revoked_on && compareDates(row.revoked_on, today) <= 0) {
    throw new RuleViolation('CREDIT_RECORD_REVOKED', {
      title: `该记录已撤销，不能${what}`,
      detail: `撤销日期：${row.revoked_on}。`,
    });
  }
  if (row.repaired_on && compareDates(row.repaired_on, today) <= 0) {
    throw new RuleViolation('CREDIT_RECORD_REPAIRED', {
      title: `该记录已信用修复，不能${what}`,
      detail: `修复日期：${row.repaired_on}。`,
    });
  }
}

export async function findRecordOrThrow(db: Db<CreditTables>, id: string): Promise<store.RecordRow> {
  const row = await store.findRecord(db, id);
  if (!row) throw new NotFound('CREDIT_RECORD_NOT_FOUND', { title: '信用记录不存在' });
  return row;
}

export const labelOf = (row: store.RecordRow) => `信用记录 ${row.code}（${row.subject_name}）`;

/** Adds a restriction decided later to a 违法/失信 record; publication extends to its end (1531号 第九条). */
export async function addRestriction(
  ctx: CreditContext,
  recordId: string,
  input: RestrictionInput,
): Promise<RecordViewT> {
  const actor = requireActor(ctx.actor);
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const record = await findRecordOrThrow(ctx.db, recordId);
  await assertSupervisorInScope(ctx, {
    regionCode: record.region_code,
    catalogItemCode: record.catalog_item_code,
    label: labelOf(record),
  });
  if (!isNegative(record.kind)) {
    throw new RuleViolation('CREDIT_RESTRICTION_NOT_ALLOWED', { title: '只有违法、失信记录可以附限制措施' });
  }
  assertRecordActive(record, today, '增加限制措施');
  const restriction = checkRestriction(input, record.decision_date, 0);
  return ctx.db.transaction().execute(async (tx) => {
    const locked = (await store.lockRecord(tx, recordId))!;
    assertRecordActive(locked, today, '增加限制措施');
    const inserted = await insertRestrictionRow(tx, recordId, restriction, actor.accountId, now);
    const endsOn = locked.publication_ends_on
      ? laterOf(locked.publication_ends_on, restriction.toDate)
      : null;
    const row = await store.updateRecord(tx, recordId, { publication_ends_on: endsOn, updated_at: now });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: RECORD_WITNESS_TYPE,
      entityId: recordId,
      action: 'credit-record.restriction-added',
      payload: { restriction: witnessRestriction(inserted), publicationEndsOn: endsOn },
    });
    const restrictions = await store.listRestrictionsOf(tx, [recordId]);
    const repairs = await store.listRepairsOf(tx, [recordId]);
    return toRecordView(row, restrictions, repairs, now);
  });
}

/**
 * 撤销: the decision was withdrawn (行政复议, 诉讼, or corrected): the record leaves the list and every
 * restriction is lifted from today; a pending repair application is closed. Witnessed with the reason
 * (1531号 第十条至第十三条: changes and withdrawals are recorded with their reasons).
 */
export async function revokeRecord(
  ctx: CreditContext,
  recordId: string,
  reason: string,
): Promise<RecordViewT> {
  const actor = requireActor(ctx.actor);
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const record = await findRecordOrThrow(ctx.db, recordId);
  await assertSupervisorInScope(ctx, {
    regionCode: record.region_code,
    catalogItemCode: record.catalog_item_code,
    label: labelOf(record),
  });
  assertRecordActive(record, today, '撤销');
  return ctx.db.transaction().execute(async (tx) => {
    const locked = (await store.lockRecord(tx, recordId))!;
    assertRecordActive(locked, today, '撤销');
    const row = await store.updateRecord(tx, recordId, {
      revoked_on: today,
      revoke_reason: reason,
      updated_at: now,
    });
    const lifted = await store.liftRestrictionsOf(tx, recordId, today, `记录撤销：${reason}`);
    const pending = await store.findPendingRepairOf(tx, recordId);
    if (pending) {
      await store.updateRepair(tx, pending.id, {
        status: 'rejected',
        decided_at: now,
        decided_by: actor.accountId,
        decided_by_name: actor.displayName,
        decision_reason: '信用记录已撤销，无需修复。',
      });
    }
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: RECORD_WITNESS_TYPE,
      entityId: recordId,
      action: 'credit-record.revoked',
      payload: {
        revokedOn: today,
        reason,
        liftedRestrictions: lifted.map((r) => r.id),
        closedRepair: pending?.id ?? null,
      },
    });
    const restrictions = await store.listRestrictionsOf(tx, [recordId]);
    const repairs = await store.listRepairsOf(tx, [recordId]);
    return toRecordView(row, restrictions, repairs, now);
  });
}

// ---- reading (workspace) ----

async function withDetails(db: Db<CreditTables>, rows: store.RecordRow[], now: Date): Promise<RecordViewT[]> {
  const ids = rows.map((r) => r.id);
  const [restrictions, repairs] = await Promise.all([
    store.listRestrictionsOf(db, ids),
    store.listRepairsOf(db, ids),
  ]);
  return rows.map((r) => toRecordView(r, restrictions, repairs, now));
}

export async function listRecordsForStaff(
  ctx: CreditContext,
  q: { kind?: CreditRecordKind | undefined; q?: string | undefined; limit: number; offset: number },
) {
  const scope = await readerScope(ctx);
  const { items, total } = await store.listRecords(
    ctx.db,
    { kinds: q.kind ? [q.kind] : undefined, q: q.q || undefined, scope },
    q,
  );
  return { total, items: await withDetails(ctx.db, items, ctx.clock.now()) };
}

/** One record: the trading centre, a supervisor whose scope covers it, or the subject itself. */
export async function getRecord(ctx: CreditContext, recordId: string): Promise<RecordViewT> {
  const actor = requireActor(ctx.actor);
  const record = await findRecordOrThrow(ctx.db, recordId);
  const own = actor.organizationId !== null && actor.organizationId === record.subject_organization_id;
  if (!own && !isOperator(actor)) {
    if (!isSupervisor(actor)) throw new NotFound('CREDIT_RECORD_NOT_FOUND', { title: '信用记录不存在' });
    await assertSupervisorInScope(ctx, {
      regionCode: record.region_code,
      catalogItemCode: record.catalog_item_code,
      label: labelOf(record),
    });
  }
  return (await withDetails(ctx.db, [record], ctx.clock.now()))[0]!;
}

/** 我的信用记录: the records about the actor's own organisation (to see them and apply for repair). */
export async function listMyRecords(ctx: CreditContext): Promise<RecordViewT[]> {
  const actor = requireActor(ctx.actor);
  if (!actor.organizationId) {
    throw new Forbidden('NO_ORGANIZATION', { title: '本账号不属于任何单位' });
  }
  const rows = await store.listRecordsOfSubject(ctx.db, {
    organizationIds: [actor.organizationId],
    creditCodes: [],
    idNumbers: [],
  });
  return withDetails(ctx.db, rows, ctx.clock.now());
}

// ---- the portal (信用信息公示) ----

export interface PublicDeps {
  db: Kysely<CreditDb>;
  clock: Clock;
}

const DISHONEST_KINDS: CreditRecordKind[] = ['violation', 'dishonest'];

async function publicViews(
  db: Db<CreditTables>,
  rows: store.RecordRow[],
  now: Date,
): Promise<PublicRecordViewT[]> {
  const restrictions = await store.listRestrictionsOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toPublicRecordView(r, restrictions, now));
}

/** 失信名单 / 守信名单: what is on the list today. */
export async function listPublicList(
  deps: PublicDeps,
  list: 'dishonest' | 'honest',
  q: { q?: string | undefined; limit: number; offset: number },
) {
  const now = deps.clock.now();
  const { items, total } = await store.listPublicRecords(
    deps.db,
    {
      kinds: list === 'dishonest' ? DISHONEST_KINDS : ['commendation'],
      q: q.q || undefined,
      now,
      today: shanghaiDateOf(now),
      lookup: false,
    },
    q,
  );
  return { total, items: await publicViews(deps.db, items, now) };
}

/**
 * 后台查询: by name or code, every record ever published that was neither repaired nor withdrawn — also
 * after its publication period (1531号 第九条: 公告期满后转入后台保存，依申请查询).
 */
export async function searchPublicRecords(deps: PublicDeps, q: { q: string; limit: number; offset: number }) {
  const now = deps.clock.now();
  const { items, total } = await store.listPublicRecords(
    deps.db,
    { kinds: [...DISHONEST_KINDS, 'commendation'], q: q.q, now, today: shanghaiDateOf(now), lookup: true },
    q,
  );
  return { total, items: await publicViews(deps.db, items, now) };
}

/** A published record's detail; a repaired or withdrawn record is no longer shown (终止公示). */
export async function getPublicRecord(deps: PublicDeps, recordId: string): Promise<PublicRecordViewT> {
  const now = deps.clock.now();
  const today = todayOf(deps.clock);
  const row = await store.findRecord(deps.db, recordId);
  const gone =
    !row ||
    row.kind === 'performance' ||
    !row.published_at ||
    row.published_at.getTime() > now.getTime() ||
    (row.repaired_on !== null && compareDates(row.repaired_on, today) <= 0) ||
    (row.revoked_on !== null && compareDates(row.revoked_on, today) <= 0);
  if (gone) throw new NotFound('CREDIT_RECORD_NOT_FOUND', { title: '信用信息不存在或已停止公示' });
  return (await publicViews(deps.db, [row], now))[0]!;
}
