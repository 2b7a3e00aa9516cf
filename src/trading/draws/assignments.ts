import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { NotFound, RuleViolation } from '../../platform/errors.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import { CITATIONS, type DrawsContext, WITNESS, witness } from './context.ts';
import { findLot } from './deps.ts';
import { enqueueSupplementary, originWithRole } from './draws.ts';
import { assertExpert } from './policy.ts';
import * as store from './store.ts';
import type { AssignmentStatus, DrawGroup, DrawVenue } from './tables.ts';

export const ASSIGNMENT_STATUS_NAMES_ZH: Record<AssignmentStatus, string> = {
  notified: '待确认',
  confirmed: '已确认参加',
  declined: '已拒绝',
  'no-answer': '未按时答复',
  conflict: '已回避（作废）',
  cancelled: '抽取已取消',
};

/**
 * 抽取通知 of the signed-in expert: the project, the lot, the time and the venue — never the bidders
 * (the expert learns them at the evaluation, after declaring no conflict).
 */
export async function listMyAssignments(ctx: DrawsContext) {
  const { expertRef } = await assertExpert(ctx);
  const rows = await store.listAssignmentsOfExpert(ctx.db, expertRef);
  const lots = new Map<string, Awaited<ReturnType<typeof findLot>>>();
  const items = [];
  for (const r of rows) {
    if (!lots.has(r.lot_id)) lots.set(r.lot_id, await findLot(ctx.db, r.lot_id));
    const lot = lots.get(r.lot_id);
    const group = (r.groups as DrawGroup[])[r.group_index]!;
    const venue = (r.venues as DrawVenue[])[group.venueIndex]!;
    const now = ctx.clock.now().getTime();
    items.push({
      id: r.id,
      drawId: r.draw_id,
      round: r.round,
      projectName: lot?.projectName ?? '',
      projectCode: lot?.projectCode ?? '',
      lotName: lot?.name ?? '',
      lotCode: lot?.code ?? '',
      specialtyCode: group.specialtyCode,
      venue: { name: venue.name, role: venue.role, regionCode: venue.regionCode },
      evaluationStartsAt: r.evaluation_starts_at.toISOString(),
      evaluationEndsAt: r.evaluation_ends_at.toISOString(),
      respondBy: r.respond_by.toISOString(),
      status: r.status,
      statusNameZh: ASSIGNMENT_STATUS_NAMES_ZH[r.status],
      respondedAt: r.responded_at?.toISOString() ?? null,
      mayConfirm: r.status === 'notified' && now <= r.respond_by.getTime(),
      mayDecline: r.status === 'notified' && now <= r.respond_by.getTime(),
      mayDeclareConflict:
        (r.status === 'notified' || r.status === 'confirmed') && now < r.evaluation_ends_at.getTime(),
    });
  }
  return items;
}

async function lockOwn(
  tx: Parameters<typeof store.lockAssignment>[0],
  assignmentId: string,
  expertRef: string,
) {
  const a = await store.lockAssignment(tx, assignmentId);
  // Another expert's assignment is as unknown as a missing one.
  if (!a || a.expert_ref !== expertRef) {
    throw new NotFound('ASSIGNMENT_NOT_FOUND', { title: '抽取通知不存在' });
  }
  return a;
}

function windowClosed(respondBy: Date, now: Date): RuleViolation {
  return new RuleViolation('ASSIGNMENT_WINDOW_CLOSED', {
    title: '确认时限已过',
    detail: `确认时限为 ${formatShanghaiTime(respondBy)}，现在是 ${formatShanghaiTime(now)}；未按时答复视为不能参加，平台已自动补抽。`,
    citation: CITATIONS.replacement,
  });
}

type Answer = 'confirm' | 'decline' | 'conflict';

/**
 * The expert's answer: 确认参加 (declaring no conflict), 拒绝, or 回避 — a conflict declared after being
 * drawn voids the assignment (实施条例第四十八条) and a 补抽 follows, like a decline. Witnessed without
 * naming the expert.
 */
export async function answerAssignment(
  ctx: DrawsContext,
  assignmentId: string,
  answer: Answer,
  reason: string | null,
): Promise<{ id: string; status: AssignmentStatus }> {
  const { expertRef } = await assertExpert(ctx);
  const now = ctx.clock.now();
  const origin = originWithRole(sealedOrigin(ctx.origin), 'expert');
  return ctx.db.transaction().execute(async (tx) => {
    const a = await lockOwn(tx, assignmentId, expertRef);
    const draw = (await store.lockDraw(tx, a.draw_id))!;
    if (a.status === 'cancelled' || draw.status === 'cancelled') {
      throw new RuleViolation('DRAW_CANCELLED', {
        title: '该次抽取已取消',
        detail: '招标人已取消本次专家抽取，无需答复。',
      });
    }
    let status: AssignmentStatus;
    if (answer === 'conflict') {
      if (a.status !== 'notified' && a.status !== 'confirmed') {
        throw new RuleViolation('ASSIGNMENT_NOT_ACTIVE', {
          title: `该抽取通知${statusName(a.status)}`,
          detail: '只有待确认或已确认参加的抽取可以申报回避。',
        });
      }
      if (now.getTime() >= draw.evaluation_ends_at.getTime()) {
        throw new RuleViolation('ASSIGNMENT_EVALUATION_OVER', { title: '评标已结束' });
      }
      status = 'conflict';
    } else {
      // Silence past the window was already turned into 未答复 by the window job: the window is what closed.
      if (a.status === 'no-answer') throw windowClosed(a.respond_by, now);
      if (a.status !== 'notified') {
        throw new RuleViolation('ASSIGNMENT_ALREADY_ANSWERED', {
          title: `该抽取通知${statusName(a.status)}`,
          detail: '每个抽取通知只能答复一次；确认后如发现利害关系，请申报回避。',
        });
      }
      if (now.getTime() > a.respond_by.getTime()) throw windowClosed(a.respond_by, now);
      status = answer === 'confirm' ? 'confirmed' : 'declined';
    }
    await store.updateAssignment(tx, a.id, {
      status,
      responded_at: now,
      reason_sealed: reason
        ? ctx.deps.sealer.seal(reason, `expert-assignment-reason:${a.id}`)
        : a.reason_sealed,
    });
    const action =
      status === 'confirmed'
        ? 'expert-assignment.confirmed'
        : status === 'declined'
          ? 'expert-assignment.declined'
          : 'expert-assignment.conflict-declared';
    await witness(tx, now, origin, WITNESS.assignment, a.id, action, {
      drawId: a.draw_id,
      round: a.round,
      groupIndex: a.group_index,
      ...(status === 'confirmed' ? { declaredNoConflict: true } : { reason: 'sealed' }),
      ...(status === 'conflict'
        ? { voidedWork: a.status === 'confirmed', citation: CITATIONS.conflict }
        : {}),
    });
    if (status !== 'confirmed') await enqueueSupplementary(tx, a.draw_id, a.id, now);
    return { id: a.id, status };
  });
}

function statusName(status: AssignmentStatus): string {
  return ASSIGNMENT_STATUS_NAMES_ZH[status];
}
