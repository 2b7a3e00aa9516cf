import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { sm3Hex } from '../../platform/crypto/index.ts';
import { Forbidden, NotFound, RuleViolation } from '../../platform/errors.ts';
import { requireActor } from '../../platform/identity/index.ts';
import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import {
  CITATIONS,
  type InspectionsContext,
  type InspectionsDeps,
  type ReadDb,
  WITNESS,
  witness,
} from './context.ts';
import { assertInScope, requireSupervisorScope } from './deps.ts';
import { assertRegionInScope, ITEM_KIND_NAMES_ZH, TARGET_KIND_NAMES_ZH } from './lists.ts';
import {
  assertSameDepartment,
  BATCH_STATUS_NAMES_ZH,
  batchHeader,
  batchNotFound,
  MEMBER_STATUS_NAMES_ZH,
  OUTCOME_NAMES_ZH,
} from './plans.ts';
import { RISK_LEVEL_NAMES_ZH } from './replay.ts';
import type { ResultInput } from './schemas.ts';
import * as store from './store.ts';
import type { ItemEntry } from './tables.ts';

async function assertTargetInScope(ctx: InspectionsContext, a: store.AssignmentRow) {
  if (a.catalog_item_code !== null) {
    await assertInScope(ctx.db, ctx.actor, {
      regionCode: a.region_code,
      catalogItemCode: a.catalog_item_code,
      label: `检查对象“${a.name}”`,
    });
  } else {
    assertRegionInScope(
      await requireSupervisorScope(ctx.db, ctx.actor),
      a.region_code,
      `检查对象“${a.name}”`,
    );
  }
}

/**
 * 检查结果: an inspector of the target's team (not recused) records what the inspection found; it may be
 * corrected until the batch's results are published. The target must lie in the inspector's scope.
 */
export async function recordResult(ctx: InspectionsContext, assignmentId: string, input: ResultInput) {
  const actor = requireActor(ctx);
  const assignment = await store.findAssignment(ctx.db, assignmentId);
  if (!assignment) throw new NotFound('SPOT_CHECK_ASSIGNMENT_NOT_FOUND', { title: '检查对象不存在' });
  const team = await store.listMembersOfAssignment(ctx.db, assignmentId);
  const me = team.find((m) => m.account_id === actor.accountId && m.status === 'active');
  if (!me) {
    throw new Forbidden('SPOT_CHECK_NOT_ON_TEAM', {
      title: '不是该检查对象的检查人员',
      detail: '只有被随机抽中且未回避的检查人员可以记录检查结果。',
      citation: CITATIONS.doubleRandom,
    });
  }
  await assertTargetInScope(ctx, assignment);
  const batch = await store.findBatch(ctx.db, assignment.batch_id);
  if (!batch) throw batchNotFound();
  if (batch.status !== 'drawn') {
    throw new RuleViolation('SPOT_CHECK_PUBLISHED', {
      title: '抽查结果已公示，不能再修改',
      detail: '公示后发现的问题请另行立案处理。',
    });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const locked = await store.lockBatch(tx, batch.id);
    if (locked?.status !== 'drawn')
      throw new RuleViolation('SPOT_CHECK_PUBLISHED', { title: '抽查结果已公示，不能再修改' });
    const row = await store.updateAssignment(tx, assignmentId, {
      outcome: input.outcome,
      findings: input.findings,
      attachments: JSON.stringify(input.attachments),
      recorded_by: actor.accountId,
      recorded_by_name: actor.displayName,
      recorded_at: now,
    });
    await witness(
      tx,
      now,
      ctx.origin,
      WITNESS.assignment,
      assignmentId,
      'spot-check-assignment.result-recorded',
      {
        batchId: batch.id,
        targetCode: row.target_code,
        outcome: input.outcome,
        findingsSm3: sm3Hex(input.findings),
        attachments: input.attachments,
        corrected: assignment.outcome !== null,
      },
    );
    return {
      id: row.id,
      outcome: row.outcome,
      outcomeName: row.outcome ? OUTCOME_NAMES_ZH[row.outcome] : null,
      recordedAt: now.toISOString(),
    };
  });
}

/**
 * 一公开: the batch's targets, inspectors and outcomes go to the portal. Every target needs its result
 * and must lie in the publishing supervisor's scope. Publication after the deadline is allowed and shown
 * as late.
 */
export async function publishBatch(ctx: InspectionsContext, batchId: string) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const batch = await store.findBatch(ctx.db, batchId);
  if (!batch) throw batchNotFound();
  assertSameDepartment(scope, batch.department);
  if (batch.status !== 'drawn') {
    throw new RuleViolation('SPOT_CHECK_NOT_PUBLISHABLE', {
      title: batch.status === 'published' ? '该批次已经公示' : '该批次尚未抽取',
    });
  }
  const assignments = await store.listAssignments(ctx.db, batchId);
  for (const a of assignments) await assertTargetInScope(ctx, a);
  const open = assignments.filter((a) => a.outcome === null);
  if (open.length > 0) {
    throw new RuleViolation('SPOT_CHECK_RESULTS_INCOMPLETE', {
      title: '尚有检查对象未记录检查结果',
      detail: `未记录：${open.map((a) => a.name).join('、')}。`,
      citation: CITATIONS.publication,
    });
  }
  const now = ctx.clock.now();
  const late = batch.publish_due_at !== null && now.getTime() > batch.publish_due_at.getTime();
  return ctx.db.transaction().execute(async (tx) => {
    const locked = await store.lockBatch(tx, batchId);
    if (locked?.status !== 'drawn')
      throw new RuleViolation('SPOT_CHECK_NOT_PUBLISHABLE', { title: '该批次已经公示' });
    const row = await store.updateBatch(tx, batchId, {
      status: 'published',
      published_at: now,
      published_by: scope.accountId,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, WITNESS.batch, batchId, 'spot-check-batch.published', {
      targets: assignments.length,
      dueAt: batch.publish_due_at?.toISOString() ?? null,
      late,
      citation: CITATIONS.publication,
    });
    return batchHeader(row, now);
  });
}

/** The job at the publication deadline: a batch not yet published is flagged overdue (witnessed), once. */
export async function flagPublicationOverdue(deps: Pick<InspectionsDeps, 'db' | 'clock'>, batchId: string) {
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    const batch = await store.lockBatch(tx, batchId);
    if (!batch || batch.published_at !== null || batch.overdue_flagged_at !== null || !batch.publish_due_at)
      return;
    if (now.getTime() <= batch.publish_due_at.getTime()) return;
    await store.updateBatch(tx, batchId, { overdue_flagged_at: now, updated_at: now });
    await witness(tx, now, SYSTEM_ORIGIN, WITNESS.batch, batchId, 'spot-check-batch.publication-overdue', {
      dueAt: batch.publish_due_at.toISOString(),
      publishWorkingDays: batch.publish_working_days,
      detail: `抽查结果应于 ${formatShanghaiTime(batch.publish_due_at)} 前公示，至今未公示。`,
    });
  });
}

/** The inspector's own tasks: targets drawn for this account, with the team status and the result. */
export async function listMyInspections(ctx: InspectionsContext) {
  const actor = requireActor(ctx);
  const rows = await store.listMembershipsOfAccount(ctx.db, actor.accountId);
  return {
    items: rows.map((r) => ({
      memberId: r.member_id,
      memberStatus: r.member_status,
      memberStatusName: MEMBER_STATUS_NAMES_ZH[r.member_status],
      recusalReason: r.recusal_reason,
      assignmentId: r.id,
      batchId: r.batch_id,
      batchName: r.batch_name,
      batchStatus: r.batch_status,
      batchStatusName: BATCH_STATUS_NAMES_ZH[r.batch_status],
      publishDueAt: r.publish_due_at?.toISOString() ?? null,
      targetCode: r.target_code,
      targetKindName: TARGET_KIND_NAMES_ZH[r.target_kind],
      name: r.name,
      reference: r.reference,
      riskLevelName: RISK_LEVEL_NAMES_ZH[r.risk_level],
      itemCode: r.item_code,
      outcome: r.outcome,
      outcomeName: r.outcome ? OUTCOME_NAMES_ZH[r.outcome] : null,
      findings: r.findings,
      recordedAt: r.recorded_at?.toISOString() ?? null,
    })),
  };
}

// ---- the portal (public) ----

export async function listPublishedSpotChecks(
  deps: { db: ReadDb; clock: InspectionsDeps['clock'] },
  page: { limit: number; offset: number },
) {
  const { total, rows } = await store.listPublishedBatches(deps.db, page);
  const now = deps.clock.now();
  const counts = await Promise.all(rows.map((r) => store.listAssignments(deps.db, r.id)));
  return {
    total,
    items: rows.map((r, i) => ({
      ...publicHeader(r, now),
      planName: r.plan_name,
      planYear: r.plan_year,
      targets: counts[i]?.length ?? 0,
      withIssues: (counts[i] ?? []).filter((a) => a.outcome === 'rectification' || a.outcome === 'referred')
        .length,
    })),
  };
}

function publicHeader(row: store.BatchRow, now: Date) {
  const h = batchHeader(row, now);
  return {
    id: h.id,
    department: h.department,
    name: h.name,
    drawnAt: h.drawnAt,
    publishDueAt: h.publishDueAt,
    publishedAt: h.publishedAt,
    late: h.overdue,
  };
}

/** One published batch: the items, the targets drawn, their inspectors (names, department) and outcomes. */
export async function getPublishedSpotCheck(
  deps: { db: ReadDb; clock: InspectionsDeps['clock'] },
  batchId: string,
) {
  const row = await store.findBatch(deps.db, batchId);
  if (!row || row.published_at === null) {
    throw new NotFound('SPOT_CHECK_BATCH_NOT_FOUND', { title: '抽查结果不存在或尚未公示' });
  }
  const [plan, assignments, members, items] = await Promise.all([
    store.findPlan(deps.db, row.plan_id),
    store.listAssignments(deps.db, batchId),
    store.listMembersOfBatch(deps.db, batchId),
    store.findVersion(deps.db, row.items_version_id ?? ''),
  ]);
  const itemEntries = (items?.entries ?? []) as ItemEntry[];
  return {
    ...publicHeader(row, deps.clock.now()),
    plan: plan ? { name: plan.name, year: plan.year } : null,
    items: row.item_codes.map((code) => {
      const item = itemEntries.find((e) => e.code === code);
      return {
        code,
        name: item?.name ?? code,
        kindName: item ? ITEM_KIND_NAMES_ZH[item.kind] : null,
        basis: item?.basis ?? null,
      };
    }),
    targets: assignments.map((a) => ({
      name: a.name,
      reference: a.reference,
      kindName: TARGET_KIND_NAMES_ZH[a.target_kind],
      riskLevelName: RISK_LEVEL_NAMES_ZH[a.risk_level],
      itemCode: a.item_code,
      inspectors: members
        .filter((m) => m.assignment_id === a.id && m.status === 'active')
        .map((m) => ({ name: m.name, department: m.department })),
      outcome: a.outcome,
      outcomeName: a.outcome ? OUTCOME_NAMES_ZH[a.outcome] : null,
      findings: a.findings,
      recordedAt: a.recorded_at?.toISOString() ?? null,
    })),
    recordUrl: `/api/public/spot-checks/${row.id}/record`,
    verifyUrl: `/api/public/spot-checks/${row.id}/verify`,
  };
}

/** Every department's item list in force (抽查事项清单 are public and kept up to date). */
export async function listPublicItemLists(db: ReadDb) {
  const rows = await store.latestItemLists(db);
  return {
    items: rows.map((r) => ({
      department: r.department,
      version: r.version,
      updatedAt: r.created_at.toISOString(),
      entries: (r.entries as ItemEntry[]).map((e) => ({
        code: e.code,
        name: e.name,
        kindName: ITEM_KIND_NAMES_ZH[e.kind],
        targetKindName: TARGET_KIND_NAMES_ZH[e.targetKind],
        basis: e.basis,
        ratioPercent: e.ratioPercent,
        ratioByRisk: e.ratioByRisk,
      })),
    })),
  };
}
