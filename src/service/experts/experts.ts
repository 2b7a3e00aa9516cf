import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import {
  assertUsernameFormat,
  findOrganizationByCreditCode,
  preparePassword,
  recordAccount,
} from '../../platform/identity/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import { appendWitnessEvent, type WitnessOrigin } from '../../platform/witness/index.ts';
import { checkIdNumber, maskIdNumber, normalizeIdNumber } from '../entities/index.ts';
import { isKnownRegion } from '../regions/index.ts';
import {
  APPLICATION_WITNESS_TYPE,
  applicationIdNumberContext,
  applicationPhoneContext,
  EXPERT_WITNESS_TYPE,
  type ExpertsContext,
  type ExpertsDb,
  expertCode,
  ID_INDEX_LABEL,
  idNumberContext,
  maskPhone,
  phoneContext,
  regionPrefixOf,
  todayOf,
} from './common.ts';
import { assertPoolReader, assertSupervisor, requireSignedIn } from './policy.ts';
import type {
  ApplicationBody,
  ProfilePatch,
  QualificationsBody,
  RecordBody,
  RelationshipsBody,
  StatusBody,
  UnavailabilityBody,
} from './schemas.ts';
import { EXPERT_STATUS_NAMES_ZH } from './schemas.ts';
import { isKnownSpecialty, specialtyPathName } from './specialties.ts';
import * as store from './store.ts';
import {
  toApplicationView,
  toExpertView,
  toRecordView,
  toRelationshipView,
  toUnavailabilityView,
} from './views.ts';

type Tx = Transaction<ExpertsDb>;

/** The application context of the sealer: routes pass it with the use case context. */
export interface ExpertsDeps {
  sealer: FieldSealer;
}

const CITATION_33 = '《内蒙古自治区公共资源交易管理办法》第三十三条';
const CITATION_40 = '《内蒙古自治区公共资源交易管理办法》第四十条';

// ---- checks shared by the forms ----

function assertRegion(code: string, field = 'regionCode'): void {
  if (!isKnownRegion(code)) {
    throw new InvalidInput('EXPERT_REGION_UNKNOWN', {
      title: '行政区划代码不存在',
      detail: `行政区划代码 ${code} 不在行政区划代码表中。`,
      extensions: { field },
    });
  }
}

function assertSpecialties(codes: string[], field = 'specialtyCodes'): string[] {
  const distinct = [...new Set(codes)];
  const unknown = distinct.filter((c) => !isKnownSpecialty(c));
  if (unknown.length > 0) {
    throw new InvalidInput('EXPERT_SPECIALTY_UNKNOWN', {
      title: '评标专业代码不存在',
      detail: `专业代码 ${unknown.join('、')} 不在《公共资源交易评标专家专业分类标准》代码表中。`,
      extensions: { field },
    });
  }
  return distinct;
}

function checkedIdNumber(raw: string, today: string): string {
  const idNumber = normalizeIdNumber(raw);
  const check = checkIdNumber(idNumber, today);
  if (!check.ok) {
    throw new InvalidInput('EXPERT_ID_NUMBER_INVALID', {
      title: '身份证号不正确',
      detail: check.message,
      extensions: { field: 'idNumber' },
    });
  }
  return idNumber;
}

const ALREADY_IN_POOL = (code: string) =>
  new RuleViolation('EXPERT_ALREADY_IN_POOL', {
    title: '该人员已在专家库中',
    detail: `该身份证号对应的专家已在库（专家编号 ${code}），同一人不能重复入库。`,
  });

const APPLICATION_PENDING = () =>
  new RuleViolation('EXPERT_APPLICATION_PENDING', {
    title: '已有待审核的申请',
    detail: '该身份证号已有一份待行政监督部门审核的入库申请，请勿重复提交。',
  });

/** Who is asking about their own expert record: an applicant not yet admitted has none. */
async function requireOwnExpert(ctx: ExpertsContext) {
  const actor = requireSignedIn(ctx.actor);
  const expert = await store.findExpertOfAccount(ctx.db, actor.accountId);
  if (!expert) {
    const application = await store.findApplicationOfAccount(ctx.db, actor.accountId);
    throw new Forbidden('EXPERT_NOT_ADMITTED', {
      title: '尚未入库',
      detail: application
        ? `您的入库申请${application.status === 'rejected' ? '未通过' : '正在等待行政监督部门审核'}，入库后才能使用专家功能。`
        : '当前账号没有关联的评标专家信息。',
      citation: CITATION_33,
    });
  }
  return { actor, expert };
}

function witnessExpert(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  expertId: string,
  action: string,
  payload: unknown,
) {
  return appendWitnessEvent(tx, at, origin, {
    entityType: EXPERT_WITNESS_TYPE,
    entityId: expertId,
    action,
    payload,
  });
}

async function loadDetail(db: ExpertsContext['db'] | Tx, row: store.ExpertRow, today: string) {
  const [specialties, unavailability, relationships] = await Promise.all([
    store.listSpecialtiesOf(db, [row.id]),
    store.listUnavailabilityOf(db, row.id),
    store.listRelationshipsOf(db, row.id),
  ]);
  return {
    ...toExpertView(row, specialties),
    unavailability: unavailability.map(toUnavailabilityView),
    relationships: relationships.map((r) => toRelationshipView(r, today)),
  };
}

async function organizationIdOf(db: ExpertsContext['db'], creditCode: string | null): Promise<string | null> {
  if (!creditCode) return null;
  return (await findOrganizationByCreditCode(db, creditCode))?.id ?? null;
}

// ---- 面向社会公开征集 (public application) ----

/**
 * 面向社会公开征集: anyone applies to join the pool, choosing the username and password of the account this
 * creates (role `expert`). The account signs in at once but sees only its application until the regulator
 * admits it (§40). Account, application and their witness events commit together; the ID number and phone
 * are sealed, and never in a witness payload.
 */
export async function submitApplication(ctx: ExpertsContext, deps: ExpertsDeps, input: ApplicationBody) {
  const at = ctx.clock.now();
  const today = todayOf(at);
  const idNumber = checkedIdNumber(input.idNumber, today);
  assertRegion(input.regionCode);
  const specialtyCodes = assertSpecialties(input.specialtyCodes);
  assertUsernameFormat(input.account.username, { field: 'account.username' });
  const passwordHash = await preparePassword(input.account.password, { field: 'account.password' });
  const idIndex = deps.sealer.blindIndex(ID_INDEX_LABEL, idNumber);
  const [inPool] = await store.findExpertsByIdIndex(ctx.db, [idIndex]);
  if (inPool) throw ALREADY_IN_POOL(inPool.code);
  if (await store.findPendingApplicationByIdIndex(ctx.db, idIndex)) throw APPLICATION_PENDING();

  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const accountId = randomUUID();
      const id = randomUUID();
      // The applicant is anonymous until this transaction creates their account: the events name it.
      const origin: WitnessOrigin = { ...ctx.origin, accountId, organizationId: null, role: null };
      const account = await recordAccount(tx, at, origin, {
        id: accountId,
        username: input.account.username,
        displayName: input.name,
        passwordHash,
        roles: ['expert'],
        organizationId: null,
      });
      const row = await store.insertApplication(tx, {
        id,
        account_id: accountId,
        name: input.name,
        gender: input.gender,
        id_number_sealed: deps.sealer.seal(idNumber, applicationIdNumberContext(id)),
        id_number_index: idIndex,
        id_number_masked: maskIdNumber(idNumber),
        phone_sealed: deps.sealer.seal(input.phone, applicationPhoneContext(id)),
        phone_masked: maskPhone(input.phone),
        employer_name: input.employerName,
        employer_credit_code: input.employerCreditCode,
        employer_kind: input.employerKind,
        region_code: input.regionCode,
        title: input.title,
        title_level: input.titleLevel,
        education: input.education,
        years_in_field: input.yearsInField,
        specialty_codes: specialtyCodes,
        statement: input.statement,
        status: 'submitted',
        decision_reason: null,
        decided_by: null,
        decided_by_name: null,
        decided_at: null,
        expert_id: null,
        created_at: at,
        updated_at: at,
      });
      await appendWitnessEvent(tx, at, origin, {
        entityType: APPLICATION_WITNESS_TYPE,
        entityId: id,
        action: 'expert-application.submitted',
        payload: { accountId, regionCode: row.region_code, specialtyCodes, titleLevel: row.title_level },
      });
      return {
        application: toApplicationView(row, null),
        account: { id: account.id, username: account.username },
      };
    });
  } catch (error) {
    // Two applications of one person racing: the partial unique index answers for the slower one.
    const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
    if (code === '23505' && typeof constraint === 'string' && constraint.includes('pending_person')) {
      throw APPLICATION_PENDING();
    }
    throw error;
  }
}

async function expertCodeOf(db: ExpertsContext['db'], row: store.ApplicationRow): Promise<string | null> {
  if (!row.expert_id) return null;
  return (await store.findExpert(db, row.expert_id))?.code ?? null;
}

/** The signed-in applicant's own application (入库申请进度). */
export async function getMyApplication(ctx: ExpertsContext) {
  const actor = requireSignedIn(ctx.actor);
  const row = await store.findApplicationOfAccount(ctx.db, actor.accountId);
  if (!row) throw new NotFound('EXPERT_APPLICATION_NOT_FOUND', { title: '没有入库申请' });
  return toApplicationView(row, await expertCodeOf(ctx.db, row));
}

export async function listApplications(
  ctx: ExpertsContext,
  q: { status?: 'submitted' | 'admitted' | 'rejected' | undefined; page: number; pageSize: number },
) {
  assertPoolReader(ctx.actor);
  const rows = await store.listApplications(ctx.db, {
    status: q.status,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return Promise.all(rows.map(async (r) => toApplicationView(r, await expertCodeOf(ctx.db, r))));
}

async function lockSubmitted(tx: Tx, applicationId: string) {
  const row = await store.lockApplication(tx, applicationId);
  if (!row) throw new NotFound('EXPERT_APPLICATION_NOT_FOUND', { title: '入库申请不存在' });
  if (row.status !== 'submitted') {
    throw new RuleViolation('EXPERT_APPLICATION_DECIDED', {
      title: '该申请已处理',
      detail: `该申请的状态为“${row.status === 'admitted' ? '已入库' : '未通过'}”，不能再次处理。`,
    });
  }
  return row;
}

/**
 * 入库 (§40): the regulator admits an applicant. The expert record is created 在库 with a new 专家编号; the
 * ID number and phone move from the application's seal to the expert's. The platform records the
 * regulator's decision, with the regulator named in the witness log.
 */
export async function admitApplication(
  ctx: ExpertsContext,
  deps: ExpertsDeps,
  applicationId: string,
  reason: string | null,
) {
  const actor = assertSupervisor(ctx.actor);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const app = await lockSubmitted(tx, applicationId);
    const [inPool] = await store.findExpertsByIdIndex(tx, [app.id_number_index]);
    if (inPool) throw ALREADY_IN_POOL(inPool.code);
    const idNumber = deps.sealer.open(app.id_number_sealed, applicationIdNumberContext(app.id));
    const phone = deps.sealer.open(app.phone_sealed, applicationPhoneContext(app.id));
    const expertId = randomUUID();
    const [n] = await store.nextExpertNumbers(tx, 1);
    const code = expertCode(app.region_code, n!);
    await store.insertExperts(tx, [
      {
        id: expertId,
        code,
        account_id: app.account_id,
        application_id: app.id,
        name: app.name,
        gender: app.gender,
        id_number_sealed: deps.sealer.seal(idNumber, idNumberContext(expertId)),
        id_number_index: app.id_number_index,
        id_number_masked: app.id_number_masked,
        phone_sealed: deps.sealer.seal(phone, phoneContext(expertId)),
        phone_masked: app.phone_masked,
        employer_name: app.employer_name,
        employer_credit_code: app.employer_credit_code,
        employer_organization_id: await organizationIdOf(tx, app.employer_credit_code),
        employer_kind: app.employer_kind,
        region_code: app.region_code,
        title: app.title,
        title_level: app.title_level,
        education: app.education,
        years_in_field: app.years_in_field,
        status: 'active',
        status_reason: null,
        suspended_until: null,
        admitted_at: at,
        version: 1,
        created_at: at,
        updated_at: at,
      },
    ]);
    await store.insertSpecialties(
      tx,
      app.specialty_codes.map((c, i) => ({
        expert_id: expertId,
        code: c,
        is_main: i === 0,
      })),
    );
    const decided = await store.updateApplication(tx, app.id, {
      status: 'admitted',
      decision_reason: reason,
      decided_by: actor.accountId,
      decided_by_name: actor.displayName,
      decided_at: at,
      expert_id: expertId,
      updated_at: at,
    });
    await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: APPLICATION_WITNESS_TYPE,
      entityId: app.id,
      action: 'expert-application.admitted',
      payload: { expertId, code, reason },
    });
    await witnessExpert(tx, at, ctx.origin, expertId, 'expert.admitted', {
      code,
      applicationId: app.id,
      regionCode: app.region_code,
      specialtyCodes: app.specialty_codes,
    });
    return toApplicationView(decided, code);
  });
}

/** 不予入库: the regulator rejects an application, with its reason (the applicant sees it). */
export async function rejectApplication(ctx: ExpertsContext, applicationId: string, reason: string) {
  const actor = assertSupervisor(ctx.actor);
  const at = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const app = await lockSubmitted(tx, applicationId);
    const decided = await store.updateApplication(tx, app.id, {
      status: 'rejected',
      decision_reason: reason,
      decided_by: actor.accountId,
      decided_by_name: actor.displayName,
      decided_at: at,
      updated_at: at,
    });
    await appendWitnessEvent(tx, at, ctx.origin, {
      entityType: APPLICATION_WITNESS_TYPE,
      entityId: app.id,
      action: 'expert-application.rejected',
      payload: { reason },
    });
    return toApplicationView(decided, null);
  });
}

// ---- the expert's own profile ----

export async function getMyProfile(ctx: ExpertsContext) {
  const { expert } = await requireOwnExpert(ctx);
  return loadDetail(ctx.db, expert, todayOf(ctx.clock.now()));
}

/**
 * The expert keeps contact, employer and education up to date; specialties, titles and status are the
 * regulator's. Each change is a new version, witnessed by the names of the fields changed (no values:
 * the phone is personal, and sealed).
 */
export async function updateMyProfile(ctx: ExpertsContext, deps: ExpertsDeps, patch: ProfilePatch) {
  const { expert } = await requireOwnExpert(ctx);
  const at = ctx.clock.now();
  const creditCode =
    patch.employerCreditCode === undefined ? expert.employer_credit_code : patch.employerCreditCode;
  const organizationId =
    creditCode === expert.employer_credit_code
      ? expert.employer_organization_id
      : await organizationIdOf(ctx.db, creditCode);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockExpert(tx, expert.id);
    if (!current) throw new NotFound('EXPERT_NOT_FOUND', { title: '专家不存在' });
    const changes: Parameters<typeof store.updateExpert>[2] = {};
    const fields: string[] = [];
    if (
      patch.phone !== undefined &&
      patch.phone !== deps.sealer.open(current.phone_sealed, phoneContext(current.id))
    ) {
      changes.phone_sealed = deps.sealer.seal(patch.phone, phoneContext(current.id));
      changes.phone_masked = maskPhone(patch.phone);
      fields.push('phone');
    }
    if (patch.employerName !== undefined && patch.employerName !== current.employer_name) {
      changes.employer_name = patch.employerName;
      fields.push('employerName');
    }
    if (creditCode !== current.employer_credit_code) {
      changes.employer_credit_code = creditCode;
      changes.employer_organization_id = organizationId;
      fields.push('employerCreditCode');
    }
    if (patch.employerKind !== undefined && patch.employerKind !== current.employer_kind) {
      changes.employer_kind = patch.employerKind;
      fields.push('employerKind');
    }
    if (patch.education !== undefined && patch.education !== current.education) {
      changes.education = patch.education;
      fields.push('education');
    }
    if (fields.length === 0) return loadDetail(tx, current, todayOf(at));
    const updated = await store.updateExpert(tx, current.id, {
      ...changes,
      version: current.version + 1,
      updated_at: at,
    });
    await witnessExpert(tx, at, ctx.origin, current.id, 'expert.profile-updated', {
      version: updated.version,
      changedFields: fields,
    });
    return loadDetail(tx, updated, todayOf(at));
  });
}

/** 不可参加评标的日期: replaces the expert's whole calendar (a draw reads it by date overlap). */
export async function replaceMyUnavailability(ctx: ExpertsContext, input: UnavailabilityBody) {
  const { expert } = await requireOwnExpert(ctx);
  const at = ctx.clock.now();
  input.items.forEach((item, i) => {
    if (item.to < item.from) {
      throw new InvalidInput('EXPERT_UNAVAILABILITY_INVALID', {
        title: '不可参加日期不正确',
        detail: `第 ${i + 1} 段的结束日期 ${item.to} 早于开始日期 ${item.from}。`,
        extensions: { field: `items/${i}/to` },
      });
    }
  });
  return ctx.db.transaction().execute(async (tx) => {
    await store.lockExpert(tx, expert.id);
    await store.replaceUnavailability(
      tx,
      expert.id,
      input.items.map((item) => ({
        id: randomUUID(),
        expert_id: expert.id,
        from_date: item.from,
        to_date: item.to,
        reason: item.reason,
        created_at: at,
      })),
    );
    // The dates themselves are not personal; the reasons may be, and stay out of the public log.
    await witnessExpert(tx, at, ctx.origin, expert.id, 'expert.unavailability-updated', {
      periods: input.items.map((item) => ({ from: item.from, to: item.to })),
    });
    return (await store.listUnavailabilityOf(tx, expert.id)).map(toUnavailabilityView);
  });
}

/**
 * 利害关系申报 (政府采购法实施条例第九条, 评标委员会和评标方法暂行规定第十二条): replaces the expert's declared
 * relationships. A former employer needs the date it ended (it counts for three years); a row without a
 * credit code is kept and shown, but only rows with one are applied by the draw automatically.
 */
export async function replaceMyRelationships(ctx: ExpertsContext, input: RelationshipsBody) {
  const { expert } = await requireOwnExpert(ctx);
  const at = ctx.clock.now();
  const today = todayOf(at);
  input.items.forEach((item, i) => {
    if (item.kind === 'former-employer' && !item.endedOn) {
      throw new InvalidInput('EXPERT_RELATIONSHIP_ENDED_ON_REQUIRED', {
        title: '请填写离职日期',
        detail: `第 ${i + 1} 条为曾受聘单位，须填写离职日期（三年内的曾受聘单位须回避）。`,
        citation: '《中华人民共和国政府采购法实施条例》第九条',
        extensions: { field: `items/${i}/endedOn` },
      });
    }
    if (item.endedOn && item.endedOn > today) {
      throw new InvalidInput('EXPERT_RELATIONSHIP_ENDED_ON_FUTURE', {
        title: '离职日期不能晚于今天',
        detail: `第 ${i + 1} 条的离职日期为 ${item.endedOn}。`,
        extensions: { field: `items/${i}/endedOn` },
      });
    }
  });
  const organizations = new Map<string, string | null>();
  for (const item of input.items) {
    if (item.creditCode && !organizations.has(item.creditCode)) {
      organizations.set(item.creditCode, await organizationIdOf(ctx.db, item.creditCode));
    }
  }
  return ctx.db.transaction().execute(async (tx) => {
    await store.lockExpert(tx, expert.id);
    await store.replaceRelationships(
      tx,
      expert.id,
      input.items.map((item, position) => ({
        id: randomUUID(),
        expert_id: expert.id,
        position,
        kind: item.kind,
        organization_name: item.organizationName,
        credit_code: item.creditCode,
        organization_id: item.creditCode ? (organizations.get(item.creditCode) ?? null) : null,
        ended_on: item.kind === 'former-employer' ? item.endedOn : null,
        note: item.note,
        created_at: at,
      })),
    );
    // Which organisations an expert must avoid is the draw's secret as much as the expert's: the log
    // records that the declaration changed, and its size, not its content.
    await witnessExpert(tx, at, ctx.origin, expert.id, 'expert.relationships-updated', {
      count: input.items.length,
      kinds: input.items.map((i) => i.kind).sort(),
    });
    return (await store.listRelationshipsOf(tx, expert.id)).map((r) => toRelationshipView(r, today));
  });
}

export async function listMyRecords(ctx: ExpertsContext) {
  const { expert } = await requireOwnExpert(ctx);
  return (await store.listRecordsOf(ctx.db, expert.id)).map(toRecordView);
}

// ---- staff and supervisors ----

export async function listPool(
  ctx: ExpertsContext,
  q: {
    specialtyCode?: string | undefined;
    regionCode?: string | undefined;
    status?: 'active' | 'suspended' | 'retired' | undefined;
    name?: string | undefined;
    code?: string | undefined;
    page: number;
    pageSize: number;
  },
) {
  assertPoolReader(ctx.actor);
  if (q.specialtyCode) assertSpecialties([q.specialtyCode], 'specialtyCode');
  if (q.regionCode) assertRegion(q.regionCode);
  const { rows, total } = await store.listExperts(ctx.db, {
    specialtyCode: q.specialtyCode,
    regionPrefix: q.regionCode ? regionPrefixOf(q.regionCode) : undefined,
    status: q.status,
    name: q.name || undefined,
    code: q.code || undefined,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const specialties = await store.listSpecialtiesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) =>
      toExpertView(
        r,
        specialties.filter((s) => s.expert_id === r.id),
      ),
    ),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

async function requireExpert(db: ExpertsContext['db'] | Tx, expertId: string, lock = false) {
  const row = lock ? await store.lockExpert(db, expertId) : await store.findExpert(db, expertId);
  if (!row) throw new NotFound('EXPERT_NOT_FOUND', { title: '专家不存在' });
  return row;
}

/** One expert for staff and supervisors: ID number masked (never unmasked over the API), records included. */
export async function getExpertForStaff(ctx: ExpertsContext, expertId: string) {
  assertPoolReader(ctx.actor);
  const row = await requireExpert(ctx.db, expertId);
  const detail = await loadDetail(ctx.db, row, todayOf(ctx.clock.now()));
  const records = (await store.listRecordsOf(ctx.db, row.id)).map(toRecordView);
  return { ...detail, records };
}

/**
 * 暂停 / 恢复 / 退出 (§40), decided by the regulator with its reason. A suspension may name the date it
 * ends (inclusive); 退出 is final.
 */
export async function changeExpertStatus(ctx: ExpertsContext, expertId: string, input: StatusBody) {
  assertSupervisor(ctx.actor);
  const at = ctx.clock.now();
  const today = todayOf(at);
  if (input.status === 'suspended' && input.until !== null && input.until < today) {
    throw new InvalidInput('EXPERT_SUSPENSION_UNTIL_PAST', {
      title: '暂停截止日期不能早于今天',
      detail: `暂停截止日期为 ${input.until}，今天是 ${today}。`,
      extensions: { field: 'until' },
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const current = await requireExpert(tx, expertId, true);
    if (current.status === 'retired') {
      throw new RuleViolation('EXPERT_RETIRED', {
        title: '专家已退出专家库',
        detail: `专家 ${current.code} 已退出专家库，状态不能再变更；如需重新入库，请重新申请。`,
        citation: CITATION_40,
      });
    }
    if (current.status === input.status && input.status === 'active') {
      throw new RuleViolation('EXPERT_STATUS_UNCHANGED', {
        title: '状态未变化',
        detail: `专家 ${current.code} 已是“${EXPERT_STATUS_NAMES_ZH[current.status]}”状态。`,
      });
    }
    const updated = await store.updateExpert(tx, current.id, {
      status: input.status,
      status_reason: input.reason,
      suspended_until: input.status === 'suspended' ? input.until : null,
      version: current.version + 1,
      updated_at: at,
    });
    await witnessExpert(tx, at, ctx.origin, current.id, 'expert.status-changed', {
      from: current.status,
      to: input.status,
      reason: input.reason,
      until: updated.suspended_until,
    });
    return loadDetail(tx, updated, today);
  });
}

/** 培训 · 考核 · 信用 records added by the regulator (评标表现 comes from the evaluation, `recordExpertPerformance`). */
export async function addExpertRecord(ctx: ExpertsContext, expertId: string, input: RecordBody) {
  const actor = assertSupervisor(ctx.actor);
  const at = ctx.clock.now();
  if (input.validUntil !== null && input.validUntil < input.occurredOn) {
    throw new InvalidInput('EXPERT_RECORD_PERIOD_INVALID', {
      title: '有效期不正确',
      detail: `截止日期 ${input.validUntil} 早于发生日期 ${input.occurredOn}。`,
      extensions: { field: 'validUntil' },
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const expert = await requireExpert(tx, expertId, true);
    const row = await store.insertRecord(tx, {
      id: randomUUID(),
      expert_id: expert.id,
      kind: input.kind,
      title: input.title,
      detail: input.detail,
      result: input.result,
      basis: input.basis,
      occurred_on: input.occurredOn,
      valid_until: input.validUntil,
      lot_id: null,
      recorded_by: actor.accountId,
      recorded_by_name: actor.displayName,
      created_at: at,
    });
    await witnessExpert(tx, at, ctx.origin, expert.id, 'expert.record-added', {
      recordId: row.id,
      kind: row.kind,
      title: row.title,
      result: row.result,
      occurredOn: row.occurred_on,
      validUntil: row.valid_until,
    });
    return toRecordView(row);
  });
}

/** 专业、职称、地区 — the regulator's to change (the expert's own edits stop at contact and employer). */
export async function updateExpertQualifications(
  ctx: ExpertsContext,
  expertId: string,
  input: QualificationsBody,
) {
  assertSupervisor(ctx.actor);
  const at = ctx.clock.now();
  const codes = assertSpecialties(input.specialtyCodes);
  assertRegion(input.regionCode);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await requireExpert(tx, expertId, true);
    await store.replaceSpecialties(
      tx,
      current.id,
      codes.map((code, i) => ({
        expert_id: current.id,
        code,
        is_main: i === 0,
      })),
    );
    const updated = await store.updateExpert(tx, current.id, {
      title: input.title,
      title_level: input.titleLevel,
      years_in_field: input.yearsInField,
      region_code: input.regionCode,
      version: current.version + 1,
      updated_at: at,
    });
    await witnessExpert(tx, at, ctx.origin, current.id, 'expert.qualifications-updated', {
      specialtyCodes: codes,
      specialties: codes.map((c) => specialtyPathName(c)),
      title: input.title,
      titleLevel: input.titleLevel,
      yearsInField: input.yearsInField,
      regionCode: input.regionCode,
    });
    return loadDetail(tx, updated, todayOf(at));
  });
}
