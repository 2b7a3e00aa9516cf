import { randomUUID } from 'node:crypto';
import { compareDates, shanghaiDateOf } from '../../platform/clock/index.ts';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { appendWitnessEvent } from '../../platform/witness/index.ts';
import {
  assertSupervisorInScope,
  type CreditContext,
  isSupervisor,
  readerScope,
  requireActor,
} from './policy.ts';
import { assertRecordActive, findRecordOrThrow, labelOf } from './records.ts';
import { isNegative, publicationRuleOn } from './rules.ts';
import type { RepairApplicationInput } from './schemas.ts';
import * as store from './store.ts';
import type { RepairStatus } from './tables.ts';
import { type RepairViewT, toRepairView } from './views.ts';

export const REPAIR_WITNESS_TYPE = 'credit-repair';

/**
 * 信用修复申请: the subject applies after correcting its conduct (58号令 第二条、第三条; 《信用修复管理办法》),
 * online from one of its own accounts. A paper application is registered by a supervisor in scope (线下申请).
 */
export async function applyForRepair(
  ctx: CreditContext,
  recordId: string,
  input: RepairApplicationInput,
): Promise<RepairViewT> {
  const actor = requireActor(ctx.actor);
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const record = await findRecordOrThrow(ctx.db, recordId);
  const own = actor.organizationId !== null && actor.organizationId === record.subject_organization_id;
  let channel: 'online' | 'offline';
  let applicantName: string;
  if (own) {
    channel = 'online';
    applicantName = `${record.subject_name}（${actor.displayName}）`;
  } else if (isSupervisor(actor)) {
    await assertSupervisorInScope(ctx, {
      regionCode: record.region_code,
      catalogItemCode: record.catalog_item_code,
      label: labelOf(record),
    });
    if (!input.applicantName) {
      throw new InvalidInput('CREDIT_REPAIR_APPLICANT_REQUIRED', {
        title: '请填写线下申请的申请人',
        extensions: { field: 'applicantName' },
      });
    }
    channel = 'offline';
    applicantName = input.applicantName;
  } else {
    throw new Forbidden('CREDIT_REPAIR_NOT_SUBJECT', {
      title: '只有信用主体本身可以申请信用修复',
      detail: '请以被记录单位的账号提出申请。',
      citation: publicationRuleOn(record.decision_date).repairCitation,
    });
  }
  if (!isNegative(record.kind)) {
    throw new RuleViolation('CREDIT_REPAIR_NOT_APPLICABLE', { title: '只有违法、失信记录需要信用修复' });
  }
  assertRecordActive(record, today, '申请信用修复');
  return ctx.db.transaction().execute(async (tx) => {
    await store.lockRecord(tx, recordId);
    if (await store.findPendingRepairOf(tx, recordId)) {
      throw new RuleViolation('CREDIT_REPAIR_PENDING', {
        title: '已有待决定的修复申请',
        detail: '同一记录的上一份申请作出决定前，不能再次申请。',
      });
    }
    const row = await store.insertRepair(tx, {
      id: randomUUID(),
      record_id: recordId,
      status: 'pending',
      channel,
      applicant_account_id: actor.accountId,
      applicant_name: applicantName,
      statement: input.statement,
      commitment: input.commitment,
      evidence: JSON.stringify(input.evidence),
      submitted_at: now,
      decided_at: null,
      decided_by: null,
      decided_by_name: null,
      decision_reason: null,
      effective_on: null,
    });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: REPAIR_WITNESS_TYPE,
      entityId: row.id,
      action: 'credit-repair.applied',
      payload: { recordId, recordCode: record.code, channel, applicantName, evidence: input.evidence },
    });
    return toRepairView({ ...row, record_code: record.code, subject_name: record.subject_name });
  });
}

/**
 * The regulator decides. Granted, the repair ends publication and lifts every restriction on the day of
 * the decision; it may not be granted before the minimum publication period (T22).
 */
export async function decideRepair(
  ctx: CreditContext,
  applicationId: string,
  input: { approve: boolean; reason: string },
): Promise<RepairViewT> {
  const actor = requireActor(ctx.actor);
  const now = ctx.clock.now();
  const today = shanghaiDateOf(now);
  const application = await store.findRepair(ctx.db, applicationId);
  if (!application) throw new NotFound('CREDIT_REPAIR_NOT_FOUND', { title: '修复申请不存在' });
  const record = await findRecordOrThrow(ctx.db, application.record_id);
  await assertSupervisorInScope(ctx, {
    regionCode: record.region_code,
    catalogItemCode: record.catalog_item_code,
    label: labelOf(record),
  });
  const rule = publicationRuleOn(record.decision_date);
  if (input.approve && record.repair_earliest_on && compareDates(today, record.repair_earliest_on) < 0) {
    throw new RuleViolation('CREDIT_REPAIR_TOO_EARLY', {
      title: '尚未届满最短公示期，不能准予信用修复',
      detail: `该记录决定日期为 ${record.decision_date}，自 ${record.repair_earliest_on} 起（最短公示期届满）方可准予信用修复。`,
      citation: rule.repairCitation,
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const locked = (await store.lockRepair(tx, applicationId))!;
    if (locked.status !== 'pending') {
      throw new RuleViolation('CREDIT_REPAIR_DECIDED', { title: '该申请已作出决定' });
    }
    const current = (await store.lockRecord(tx, record.id))!;
    assertRecordActive(current, today, '信用修复');
    const status: RepairStatus = input.approve ? 'approved' : 'rejected';
    const row = await store.updateRepair(tx, applicationId, {
      status,
      decided_at: now,
      decided_by: actor.accountId,
      decided_by_name: actor.displayName,
      decision_reason: input.reason,
      effective_on: input.approve ? today : null,
    });
    let lifted: string[] = [];
    if (input.approve) {
      await store.updateRecord(tx, record.id, { repaired_on: today, updated_at: now });
      lifted = (await store.liftRestrictionsOf(tx, record.id, today, `信用修复：${input.reason}`)).map(
        (r) => r.id,
      );
    }
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: REPAIR_WITNESS_TYPE,
      entityId: applicationId,
      action: input.approve ? 'credit-repair.approved' : 'credit-repair.rejected',
      payload: {
        recordId: record.id,
        recordCode: record.code,
        reason: input.reason,
        effectiveOn: input.approve ? today : null,
        liftedRestrictions: lifted,
        citation: rule.repairCitation,
      },
    });
    return toRepairView({ ...row, record_code: record.code, subject_name: record.subject_name });
  });
}

export async function listRepairs(
  ctx: CreditContext,
  q: { status?: RepairStatus | undefined; limit: number; offset: number },
) {
  const scope = await readerScope(ctx);
  const { items, total } = await store.listRepairs(ctx.db, { status: q.status, scope }, q);
  return { total, items: items.map((r) => toRepairView(r)) };
}
