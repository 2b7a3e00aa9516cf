import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  FEEDBACK_OVERDUE_JOB,
  type OversightContext,
  type OversightDb,
  SETTINGS_WITNESS_TYPE,
  VIOLATION_WITNESS_TYPE,
  witness,
} from './context.ts';
import {
  assertInScope,
  covers,
  findLot,
  getBlobRecord,
  listSupervisorScopes,
  requireSupervisorScope,
  type SupervisorScope,
} from './deps.ts';
import { CITATIONS, FEEDBACK_LIMIT_NOTE, feedbackDueAt } from './rules.ts';
import type { EvidenceInput, FeedbackInput, ReportInput, ViolationInput } from './schemas.ts';
import * as store from './store.ts';
import type { EvidenceFile, ViolationStatus } from './tables.ts';

export const VIOLATION_STATUS_NAMES_ZH: Record<ViolationStatus, string> = {
  recorded: '已记录（已制止纠正）',
  reported: '已报告行政监督部门，待确认',
  acknowledged: '行政监督部门已确认，待反馈',
  answered: '已反馈处理结果',
};

/** 当事人 in the terms of 《办法》第五十七条. */
export const PERSON_ROLE_NAMES_ZH: Record<string, string> = {
  initiator: '项目发起方',
  responder: '项目响应方',
  intermediary: '中介服务机构',
  expert: '评标评审专家',
  other: '其他人员',
};

export const EVIDENCE_KIND_NAMES_ZH: Record<string, string> = {
  photo: '照片',
  audio: '录音',
  video: '录像',
  document: '书面材料',
};

function requireOperator(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (!actor.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '现场管理记录由交易中心（平台运行服务机构）工作人员填写。',
      citation: CITATIONS.onSite,
    });
  }
  return actor;
}

/** Evidence by hash: each file must already be in the blob store (uploaded through /api/blobs). */
async function evidenceFiles(db: Kysely<OversightDb>, inputs: EvidenceInput[]): Promise<EvidenceFile[]> {
  const files: EvidenceFile[] = [];
  for (const input of inputs) {
    const blob = await getBlobRecord(db, input.sha256);
    if (!blob) {
      throw new InvalidInput('EVIDENCE_NOT_FOUND', {
        title: '证据文件不存在',
        detail: `未找到摘要为 ${input.sha256} 的文件，请先上传。`,
      });
    }
    if (!files.some((f) => f.sha256 === blob.sha256)) {
      files.push({
        sha256: blob.sha256,
        sm3: blob.sm3,
        size: blob.size,
        contentType: blob.contentType,
        filename: input.filename,
        kind: input.kind,
      });
    }
  }
  return files;
}

function evidenceView(files: EvidenceFile[]) {
  return files.map((f) => ({ ...f, kindNameZh: EVIDENCE_KIND_NAMES_ZH[f.kind] ?? f.kind }));
}

function reportView(report: store.ReportRow, now: Date) {
  return {
    id: report.id,
    department: report.department,
    suspicion: report.suspicion,
    reportedAt: report.reported_at.toISOString(),
    reportedBy: report.reported_by,
    timeLimitWorkingDays: report.time_limit_working_days,
    feedbackDueAt: report.feedback_due_at.toISOString(),
    acknowledgedAt: report.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: report.acknowledged_by,
    feedback: report.feedback,
    feedbackEvidence: evidenceView(report.feedback_evidence),
    feedbackAt: report.feedback_at?.toISOString() ?? null,
    feedbackBy: report.feedback_by,
    feedbackLate: report.feedback_late,
    overdue: report.feedback_at === null && now.getTime() > report.feedback_due_at.getTime(),
    overdueFlaggedAt: report.overdue_flagged_at?.toISOString() ?? null,
  };
}

function violationView(
  v: store.ViolationRow,
  report: store.ReportRow | null,
  now: Date,
  scope: SupervisorScope | null,
) {
  return {
    id: v.id,
    lotId: v.lot_id,
    lotCode: v.lot_code,
    lotName: v.lot_name,
    projectId: v.project_id,
    projectName: v.project_name,
    regionCode: v.region_code,
    catalogItemCode: v.catalog_item_code,
    venue: v.venue,
    occurredAt: v.occurred_at.toISOString(),
    persons: v.persons.map((p) => ({ ...p, roleNameZh: PERSON_ROLE_NAMES_ZH[p.role] ?? p.role })),
    description: v.description,
    ruleBreached: v.rule_breached,
    measure: v.measure,
    corrected: v.corrected,
    evidence: evidenceView(v.evidence),
    status: v.status,
    statusNameZh: VIOLATION_STATUS_NAMES_ZH[v.status],
    recordedAt: v.recorded_at.toISOString(),
    recordedBy: v.recorded_by,
    report: report ? reportView(report, now) : null,
    routedToMe: Boolean(scope && report && report.department === scope.department),
    citation: CITATIONS.onSite,
  };
}
export type ViolationView = ReturnType<typeof violationView>;

/**
 * 记录违反现场管理制度的行为 (§24): who, what, where, when, the rule it breaks, the evidence by hash and
 * what staff did to stop and correct it. Witnessed without the persons' names (they stay in the record).
 */
export async function recordViolation(ctx: OversightContext, input: ViolationInput): Promise<ViolationView> {
  const actor = requireOperator(ctx.actor);
  const now = ctx.clock.now();
  const occurredAt = new Date(input.occurredAt);
  if (occurredAt.getTime() > now.getTime()) {
    throw new InvalidInput('OCCURRED_IN_FUTURE', {
      title: '发生时间晚于当前时间',
      detail: '请填写违规行为实际发生的时间。',
    });
  }
  const lot = await findLot(ctx.db, input.lotId);
  if (!lot) throw new NotFound('LOT_NOT_FOUND', { title: '标段（包）不存在' });
  const evidence = await evidenceFiles(ctx.db, input.evidence);
  const id = randomUUID();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertViolation(tx, {
      id,
      lot_id: lot.id,
      project_id: lot.projectId,
      lot_code: lot.code,
      lot_name: lot.name,
      project_name: lot.projectName,
      region_code: lot.regionCode,
      catalog_item_code: lot.catalogItemCode,
      venue: input.venue,
      occurred_at: occurredAt,
      persons: JSON.stringify(input.persons),
      description: input.description,
      rule_breached: input.ruleBreached,
      measure: input.measure,
      corrected: input.corrected,
      evidence: JSON.stringify(evidence),
      status: 'recorded',
      recorded_by: actor.accountId,
      recorded_at: now,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, VIOLATION_WITNESS_TYPE, id, 'site-violation.recorded', {
      lotId: lot.id,
      venue: input.venue,
      occurredAt: occurredAt.toISOString(),
      corrected: input.corrected,
      evidence: evidence.map((f) => ({ sha256: f.sha256, sm3: f.sm3, kind: f.kind })),
      citation: CITATIONS.onSite,
    });
    return violationView(row, null, now, null);
  });
}

/**
 * The responsible regulator of a lot: among the supervisor scopes that cover the project, the department
 * the project registered as its 行政监督部门 (§5) when it is one of them, else the only one; with several
 * and none named, the trading centre chooses.
 */
export async function responsibleDepartment(
  db: Kysely<OversightDb>,
  subject: { regionCode: string; catalogItemCode: string; regulator: string },
  chosen: string | undefined,
): Promise<string> {
  const scopes = await listSupervisorScopes(db);
  const departments = [...new Set(scopes.filter((s) => covers(s, subject)).map((s) => s.department))].sort();
  if (departments.length === 0) {
    throw new RuleViolation('NO_REGULATOR_IN_SCOPE', {
      title: '没有负责该项目的行政监督部门账号',
      detail: `没有监管范围覆盖该项目（地域 ${subject.regionCode}，交易目录 ${subject.catalogItemCode}）的行政监督账号，请先在“监管范围”中配置。`,
      citation: CITATIONS.feedback,
    });
  }
  if (chosen !== undefined) {
    if (!departments.includes(chosen)) {
      throw new InvalidInput('DEPARTMENT_NOT_IN_SCOPE', {
        title: '所选部门不负责该项目',
        detail: `可选的行政监督部门：${departments.join('、')}。`,
        extensions: { departments },
      });
    }
    return chosen;
  }
  if (departments.includes(subject.regulator)) return subject.regulator;
  if (departments.length === 1) return departments[0]!;
  throw new InvalidInput('DEPARTMENT_REQUIRED', {
    title: '请选择报告的行政监督部门',
    detail: `有多个行政监督部门的监管范围覆盖该项目：${departments.join('、')}。`,
    extensions: { departments },
  });
}

/**
 * 违法违规报告 (§24, §39): the centre reports a suspected violation, with its evidence, to the responsible
 * regulator, who must acknowledge it and feed back the handling result within the configured working days.
 */
export async function reportViolation(
  ctx: OversightContext,
  violationId: string,
  input: ReportInput,
): Promise<ViolationView> {
  const actor = requireOperator(ctx.actor);
  const now = ctx.clock.now();
  const violation = await store.findViolation(ctx.db, violationId);
  if (!violation) throw violationNotFound();
  const lot = await findLot(ctx.db, violation.lot_id);
  const department = await responsibleDepartment(
    ctx.db,
    {
      regionCode: lot?.regionCode ?? violation.region_code,
      catalogItemCode: lot?.catalogItemCode ?? violation.catalog_item_code,
      regulator: lot?.regulator ?? '',
    },
    input.department,
  );
  const added = await evidenceFiles(ctx.db, input.evidence);
  const settings = await store.readSettings(ctx.db);
  const dueAt = feedbackDueAt(now, settings.feedback_working_days);
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockViolation(tx, violationId);
    if (!current) throw violationNotFound();
    if (current.status !== 'recorded') {
      throw new RuleViolation('VIOLATION_ALREADY_REPORTED', {
        title: '该记录已报告',
        detail: '每条现场违规记录只向行政监督部门报告一次。',
      });
    }
    const evidence = [
      ...current.evidence,
      ...added.filter((f) => !current.evidence.some((e) => e.sha256 === f.sha256)),
    ];
    if (evidence.length === 0) {
      throw new RuleViolation('REPORT_EVIDENCE_REQUIRED', {
        title: '报告须附证据',
        detail: '报告违法违规行为前，请上传并附上现场照片、录音录像等证据。',
        citation: CITATIONS.onSite,
      });
    }
    const updated = await store.updateViolation(tx, violationId, {
      status: 'reported',
      evidence: JSON.stringify(evidence),
      updated_at: now,
    });
    const report = await store.insertReport(tx, {
      id: randomUUID(),
      violation_id: violationId,
      department,
      suspicion: input.suspicion,
      reported_by: actor.accountId,
      reported_at: now,
      time_limit_working_days: settings.feedback_working_days,
      feedback_due_at: dueAt,
      acknowledged_by: null,
      acknowledged_at: null,
      feedback: null,
      feedback_evidence: '[]',
      feedback_by: null,
      feedback_at: null,
      feedback_late: null,
      overdue_flagged_at: null,
    });
    // No lotId in the job: a suspended procedure does not stop the regulator's clock.
    await enqueueJob(tx, {
      type: FEEDBACK_OVERDUE_JOB,
      payload: { reportId: report.id },
      runAt: new Date(dueAt.getTime() + 1),
      dedupeKey: `${FEEDBACK_OVERDUE_JOB}:${report.id}`,
    });
    await witness(tx, now, ctx.origin, VIOLATION_WITNESS_TYPE, violationId, 'site-violation.reported', {
      lotId: violation.lot_id,
      reportId: report.id,
      department,
      feedbackDueAt: dueAt.toISOString(),
      timeLimitWorkingDays: settings.feedback_working_days,
      evidence: evidence.map((f) => ({ sha256: f.sha256, sm3: f.sm3, kind: f.kind })),
      citation: CITATIONS.feedback,
    });
    return violationView(updated, report, now, null);
  });
}

/** The supervisor may act on this report: in scope, and of the department it was routed to. */
async function assertResponsible(
  ctx: OversightContext,
  violation: store.ViolationRow,
  report: store.ReportRow,
): Promise<SupervisorScope> {
  const scope = await assertInScope(ctx.db, ctx.actor, {
    regionCode: violation.region_code,
    catalogItemCode: violation.catalog_item_code,
    label: `项目“${violation.project_name}”`,
  });
  if (scope.department !== report.department) {
    throw new Forbidden('NOT_RESPONSIBLE_DEPARTMENT', {
      title: '该报告不是报送本部门的',
      detail: `该报告报送“${report.department}”，本账号属于“${scope.department}”。`,
      citation: CITATIONS.feedback,
    });
  }
  return scope;
}

async function requireReport(ctx: OversightContext, violationId: string) {
  const violation = await store.findViolation(ctx.db, violationId);
  if (!violation) throw violationNotFound();
  const report = await store.findReportOfViolation(ctx.db, violationId);
  if (!report) {
    throw new RuleViolation('VIOLATION_NOT_REPORTED', {
      title: '该记录尚未报告行政监督部门',
      detail: '交易中心报告后，行政监督部门才能确认和反馈。',
    });
  }
  return { violation, report };
}

/** 确认收到: the regulator acknowledges the report (its deadline does not change). */
export async function acknowledgeReport(ctx: OversightContext, violationId: string): Promise<ViolationView> {
  const { violation, report } = await requireReport(ctx, violationId);
  const scope = await assertResponsible(ctx, violation, report);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockReport(tx, report.id);
    if (!current || current.acknowledged_at) {
      throw new RuleViolation('REPORT_ALREADY_ACKNOWLEDGED', { title: '该报告已确认收到' });
    }
    const updated = await store.updateReport(tx, report.id, {
      acknowledged_by: scope.accountId,
      acknowledged_at: now,
    });
    const v = await store.updateViolation(tx, violationId, { status: 'acknowledged', updated_at: now });
    await witness(tx, now, ctx.origin, VIOLATION_WITNESS_TYPE, violationId, 'site-violation.acknowledged', {
      lotId: violation.lot_id,
      reportId: report.id,
      department: report.department,
      feedbackDueAt: report.feedback_due_at.toISOString(),
      citation: CITATIONS.feedback,
    });
    return violationView(v, updated, now, scope);
  });
}

/** 反馈处理结果 (§39): the regulator's handling result; marked late when past the deadline. */
export async function giveFeedback(
  ctx: OversightContext,
  violationId: string,
  input: FeedbackInput,
): Promise<ViolationView> {
  const { violation, report } = await requireReport(ctx, violationId);
  const scope = await assertResponsible(ctx, violation, report);
  const evidence = await evidenceFiles(ctx.db, input.evidence);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockReport(tx, report.id);
    if (!current?.acknowledged_at) {
      throw new RuleViolation('REPORT_NOT_ACKNOWLEDGED', {
        title: '请先确认收到报告',
        detail: '行政监督部门确认收到报告后反馈处理结果。',
        citation: CITATIONS.feedback,
      });
    }
    if (current.feedback_at) throw new RuleViolation('FEEDBACK_ALREADY_GIVEN', { title: '处理结果已反馈' });
    const late = now.getTime() > current.feedback_due_at.getTime();
    const updated = await store.updateReport(tx, report.id, {
      feedback: input.result,
      feedback_evidence: JSON.stringify(evidence),
      feedback_by: scope.accountId,
      feedback_at: now,
      feedback_late: late,
    });
    const v = await store.updateViolation(tx, violationId, { status: 'answered', updated_at: now });
    await witness(tx, now, ctx.origin, VIOLATION_WITNESS_TYPE, violationId, 'site-violation.feedback-given', {
      lotId: violation.lot_id,
      reportId: report.id,
      department: report.department,
      late,
      feedbackDueAt: current.feedback_due_at.toISOString(),
      evidence: evidence.map((f) => ({ sha256: f.sha256, sm3: f.sm3, kind: f.kind })),
      citation: late ? CITATIONS.lateFeedback : CITATIONS.feedback,
    });
    return violationView(v, updated, now, scope);
  });
}

/**
 * The overdue job: a report without feedback after its deadline is flagged once (witnessed) and shown as
 * overdue to the centre and the regulator. Idempotent.
 */
export async function flagOverdueFeedback(db: Kysely<OversightDb>, clock: Clock, reportId: string) {
  const now = clock.now();
  await db.transaction().execute(async (tx) => {
    const report = await store.lockReport(tx, reportId);
    if (!report || report.feedback_at || report.overdue_flagged_at) return;
    if (now.getTime() <= report.feedback_due_at.getTime()) return;
    await store.updateReport(tx, reportId, { overdue_flagged_at: now });
    const violation = await store.findViolation(tx, report.violation_id);
    await witness(
      tx,
      now,
      SYSTEM_ORIGIN,
      VIOLATION_WITNESS_TYPE,
      report.violation_id,
      'site-violation.feedback-overdue',
      {
        lotId: violation?.lot_id ?? null,
        reportId,
        department: report.department,
        feedbackDueAt: report.feedback_due_at.toISOString(),
        citation: CITATIONS.lateFeedback,
      },
    );
  });
}

async function viewerScope(ctx: OversightContext): Promise<SupervisorScope | null> {
  const actor = ctx.actor;
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (actor.roles.includes('operator')) return null;
  return requireSupervisorScope(ctx.db, actor);
}

/** The centre sees every record; a supervisor those of its scope. */
export async function listViolations(
  ctx: OversightContext,
  query: { status?: ViolationStatus; lotId?: string; overdue: boolean; limit: number; offset: number },
) {
  const scope = await viewerScope(ctx);
  const now = ctx.clock.now();
  const { rows, total } = await store.listViolations(ctx.db, {
    ...(query.status ? { status: query.status } : {}),
    ...(query.lotId ? { lotId: query.lotId } : {}),
    ...(query.overdue ? { overdueAt: now } : {}),
    ...(scope ? { scope } : {}),
    limit: query.limit,
    offset: query.offset,
  });
  return { total, items: rows.map((row) => violationView(row, row.report, now, scope)) };
}

export async function getViolation(ctx: OversightContext, violationId: string): Promise<ViolationView> {
  const scope = await viewerScope(ctx);
  const violation = await store.findViolation(ctx.db, violationId);
  if (!violation) throw violationNotFound();
  if (scope) {
    await assertInScope(ctx.db, ctx.actor, {
      regionCode: violation.region_code,
      catalogItemCode: violation.catalog_item_code,
      label: `项目“${violation.project_name}”`,
    });
  }
  const report = await store.findReportOfViolation(ctx.db, violationId);
  return violationView(violation, report, ctx.clock.now(), scope);
}

function settingsView(row: { feedback_working_days: number; updated_at: Date }) {
  return {
    feedbackWorkingDays: row.feedback_working_days,
    updatedAt: row.updated_at.toISOString(),
    note: FEEDBACK_LIMIT_NOTE,
    citation: CITATIONS.feedback,
  };
}

export async function getSettings(db: Kysely<OversightDb>) {
  return settingsView(await store.readSettings(db));
}

/** The centre sets the feedback limit (working days); reports already made keep theirs. */
export async function updateSettings(ctx: OversightContext, input: { feedbackWorkingDays: number }) {
  const actor = requireOperator(ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const before = await store.readSettings(tx);
    const row = await store.updateSettings(tx, input.feedbackWorkingDays, now, actor.accountId);
    await witness(
      tx,
      now,
      ctx.origin,
      SETTINGS_WITNESS_TYPE,
      'site-management',
      'oversight-settings.updated',
      {
        feedbackWorkingDays: { from: before.feedback_working_days, to: row.feedback_working_days },
      },
    );
    return settingsView(row);
  });
}

function violationNotFound() {
  return new NotFound('VIOLATION_NOT_FOUND', { title: '现场违规记录不存在' });
}
