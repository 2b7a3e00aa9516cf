import { randomUUID } from 'node:crypto';
import { Forbidden, InvalidInput, NotFound } from '../../platform/errors.ts';
import { type InspectionsContext, WITNESS, witness } from './context.ts';
import { requireSupervisorScope, type SupervisorScope } from './deps.ts';
import { ITEM_KIND_NAMES_ZH, TARGET_KIND_NAMES_ZH } from './lists.ts';
import { RISK_LEVEL_NAMES_ZH } from './replay.ts';
import type { BatchInput, PlanInput } from './schemas.ts';
import * as store from './store.ts';
import type {
  BatchStatus,
  DrawGroupInfo,
  ExcludedTarget,
  InspectionOutcome,
  ItemEntry,
  MemberStatus,
} from './tables.ts';

export const BATCH_STATUS_NAMES_ZH: Record<BatchStatus, string> = {
  planned: '待抽取',
  committed: '抽取中',
  drawn: '已抽取（检查中）',
  published: '已公示',
};

export const OUTCOME_NAMES_ZH: Record<InspectionOutcome, string> = {
  'no-issues': '未发现问题',
  rectification: '发现问题，已责令改正',
  referred: '发现问题，已移交处理或立案查处',
  unreachable: '无法检查（对象不存在或无法联系等）',
};

export const MEMBER_STATUS_NAMES_ZH: Record<MemberStatus, string> = { active: '在组', recused: '已回避' };

export function batchNotFound() {
  return new NotFound('SPOT_CHECK_BATCH_NOT_FOUND', { title: '抽查批次不存在' });
}

/** A batch belongs to its department: other departments' supervisors do not see or act on it. */
export function assertSameDepartment(scope: SupervisorScope, department: string): void {
  if (scope.department !== department) {
    throw new Forbidden('SPOT_CHECK_OTHER_DEPARTMENT', {
      title: '不是本部门的抽查计划',
      detail: `该抽查属于${department}，本账号属于${scope.department}。`,
    });
  }
}

function planView(row: store.PlanRow) {
  return {
    id: row.id,
    department: row.department,
    year: row.year,
    name: row.name,
    note: row.note,
    createdAt: row.created_at.toISOString(),
  };
}

export function isOverdue(row: store.BatchRow, now: Date): boolean {
  return (
    row.publish_due_at !== null &&
    (row.published_at === null
      ? now.getTime() > row.publish_due_at.getTime()
      : row.published_at.getTime() > row.publish_due_at.getTime())
  );
}

export function batchHeader(row: store.BatchRow, now: Date) {
  return {
    id: row.id,
    planId: row.plan_id,
    department: row.department,
    seq: row.seq,
    name: row.name,
    itemCodes: row.item_codes,
    inspectorsPerTarget: row.inspectors_per_target,
    exclusionYears: row.exclusion_years,
    publishWorkingDays: row.publish_working_days,
    scheduledOn: row.scheduled_on,
    status: row.status,
    statusName: BATCH_STATUS_NAMES_ZH[row.status],
    drawnAt: row.drawn_at?.toISOString() ?? null,
    publishDueAt: row.publish_due_at?.toISOString() ?? null,
    publishedAt: row.published_at?.toISOString() ?? null,
    overdue: isOverdue(row, now),
    overdueFlaggedAt: row.overdue_flagged_at?.toISOString() ?? null,
  };
}

/** 年度抽查计划 of the supervisor's department. */
export async function createPlan(ctx: InspectionsContext, input: PlanInput) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const row = await store.insertPlan(tx, {
      id: randomUUID(),
      department: scope.department,
      year: input.year,
      name: input.name,
      note: input.note,
      created_by: scope.accountId,
      created_at: now,
    });
    await witness(tx, now, ctx.origin, WITNESS.plan, row.id, 'spot-check-plan.created', {
      department: row.department,
      year: row.year,
      name: row.name,
    });
    return planView(row);
  });
}

/** A batch of the plan: its items (from the item list in force) and its draw settings. */
export async function addBatch(ctx: InspectionsContext, planId: string, input: BatchInput) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const plan = await store.findPlan(ctx.db, planId);
  if (!plan) throw new NotFound('SPOT_CHECK_PLAN_NOT_FOUND', { title: '抽查计划不存在' });
  assertSameDepartment(scope, plan.department);
  const items = await store.latestVersion(ctx.db, scope.department, 'items');
  const known = new Set(((items?.entries ?? []) as ItemEntry[]).map((e) => e.code));
  const unknown = input.itemCodes.filter((c) => !known.has(c));
  if (unknown.length > 0) {
    throw new InvalidInput('SPOT_CHECK_ITEM_UNKNOWN', {
      title: '抽查事项不在现行抽查事项清单中',
      detail: `未找到事项：${unknown.join('、')}。请先在抽查事项清单中登记。`,
    });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    await store.lockPlan(tx, planId);
    const row = await store.insertBatch(tx, {
      id: randomUUID(),
      plan_id: planId,
      department: plan.department,
      seq: await store.nextBatchSeq(tx, planId),
      name: input.name,
      item_codes: [...new Set(input.itemCodes)],
      inspectors_per_target: input.inspectorsPerTarget,
      exclusion_years: input.exclusionYears,
      publish_working_days: input.publishWorkingDays,
      scheduled_on: input.scheduledOn,
      status: 'planned',
      items_version_id: null,
      targets_version_id: null,
      inspectors_version_id: null,
      groups: '[]',
      excluded: '[]',
      scope_region_prefixes: [],
      scope_catalog_prefixes: [],
      drawn_by: null,
      drawn_at: null,
      publish_due_at: null,
      published_at: null,
      published_by: null,
      overdue_flagged_at: null,
      created_by: scope.accountId,
      created_at: now,
      updated_at: now,
    });
    await witness(tx, now, ctx.origin, WITNESS.batch, row.id, 'spot-check-batch.created', {
      planId,
      seq: row.seq,
      name: row.name,
      itemCodes: row.item_codes,
      inspectorsPerTarget: row.inspectors_per_target,
      exclusionYears: row.exclusion_years,
      publishWorkingDays: row.publish_working_days,
    });
    return batchHeader(row, now);
  });
}

/** The department's plans, each with its batches. */
export async function listPlans(ctx: InspectionsContext) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const plans = await store.listPlans(ctx.db, scope.department);
  const batches = await store.listBatchesOfPlans(
    ctx.db,
    plans.map((p) => p.id),
  );
  const now = ctx.clock.now();
  return {
    department: scope.department,
    items: plans.map((p) => ({
      ...planView(p),
      batches: batches.filter((b) => b.plan_id === p.id).map((b) => batchHeader(b, now)),
    })),
  };
}

function assignmentView(a: store.AssignmentRow, members: store.MemberRow[]) {
  return {
    id: a.id,
    targetCode: a.target_code,
    targetKind: a.target_kind,
    targetKindName: TARGET_KIND_NAMES_ZH[a.target_kind],
    name: a.name,
    reference: a.reference,
    regionCode: a.region_code,
    catalogItemCode: a.catalog_item_code,
    riskLevel: a.risk_level,
    riskLevelName: RISK_LEVEL_NAMES_ZH[a.risk_level],
    itemCode: a.item_code,
    outcome: a.outcome,
    outcomeName: a.outcome ? OUTCOME_NAMES_ZH[a.outcome] : null,
    findings: a.findings,
    attachments: a.attachments,
    recordedByName: a.recorded_by_name,
    recordedAt: a.recorded_at?.toISOString() ?? null,
    team: members
      .filter((m) => m.assignment_id === a.id)
      .map((m) => ({
        memberId: m.id,
        accountId: m.account_id,
        name: m.name,
        department: m.department,
        round: m.round,
        status: m.status,
        statusName: MEMBER_STATUS_NAMES_ZH[m.status],
        recusalReason: m.recusal_reason,
      })),
  };
}

/** The whole batch for its department's supervisors: groups, exclusions, rounds, targets, teams, results. */
export async function getBatch(ctx: InspectionsContext, batchId: string) {
  const scope = await requireSupervisorScope(ctx.db, ctx.actor);
  const row = await store.findBatch(ctx.db, batchId);
  if (!row) throw batchNotFound();
  assertSameDepartment(scope, row.department);
  return batchDetail(ctx, row);
}

export async function batchDetail(ctx: Pick<InspectionsContext, 'db' | 'clock'>, row: store.BatchRow) {
  const [plan, rounds, assignments, members, items] = await Promise.all([
    store.findPlan(ctx.db, row.plan_id),
    store.listRounds(ctx.db, row.id),
    store.listAssignments(ctx.db, row.id),
    store.listMembersOfBatch(ctx.db, row.id),
    row.items_version_id
      ? store.findVersion(ctx.db, row.items_version_id)
      : store.latestVersion(ctx.db, row.department, 'items'),
  ]);
  const itemEntries = (items?.entries ?? []) as ItemEntry[];
  const views = assignments.map((a) => assignmentView(a, members));
  return {
    ...batchHeader(row, ctx.clock.now()),
    plan: plan ? planView(plan) : null,
    items: row.item_codes.map((code) => {
      const item = itemEntries.find((e) => e.code === code);
      return {
        code,
        name: item?.name ?? code,
        kind: item?.kind ?? null,
        kindName: item ? ITEM_KIND_NAMES_ZH[item.kind] : null,
        targetKind: item?.targetKind ?? null,
        basis: item?.basis ?? null,
      };
    }),
    versions: {
      items: row.items_version_id,
      targets: row.targets_version_id,
      inspectors: row.inspectors_version_id,
    },
    groups: (row.groups as DrawGroupInfo[]).map((g) => ({
      ...g,
      riskLevelName: g.riskLevel ? RISK_LEVEL_NAMES_ZH[g.riskLevel] : '全部风险等级',
    })),
    excluded: row.excluded as ExcludedTarget[],
    rounds: rounds.map((r) => ({
      round: r.round,
      kind: r.kind,
      kindName: r.kind === 'initial' ? '首次抽取' : '回避后补抽',
      targetCode: r.target_code,
      status: r.status,
      seedCommitment: r.seed_commitment,
      committedAt: r.committed_at.toISOString(),
      drawnAt: r.drawn_at?.toISOString() ?? null,
    })),
    assignments: views,
    shortTeams: views
      .filter((a) => a.team.filter((m) => m.status === 'active').length < row.inspectors_per_target)
      .map((a) => a.targetCode),
    resultsRecorded: views.filter((a) => a.outcome !== null).length,
  };
}
