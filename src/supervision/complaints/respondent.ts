import { formatShanghaiTime } from '../../platform/clock/index.ts';
import { Forbidden, NotFound, RuleViolation } from '../../platform/errors.ts';
import { COMPLAINT_WITNESS_TYPE, type ComplaintsContext, witness } from './context.ts';
import { resolveMaterials } from './materials.ts';
import { requireSignedIn } from './policy.ts';
import { CITATIONS } from './rules.ts';
import type { ExplanationInput } from './schemas.ts';
import { assertCan } from './states.ts';
import * as store from './store.ts';
import { toComplaintView } from './views.ts';

/**
 * 被投诉人的书面说明 (94号令第二十二条: within 5 个工作日 of receiving the copy, with its evidence). Only an
 * organisation named as respondent, once the copy was delivered to it; a late one is accepted and shown late.
 */
export async function submitExplanation(
  ctx: ComplaintsContext,
  complaintId: string,
  input: { text: string; materials: ExplanationInput['materials'] },
) {
  const actor = requireSignedIn(ctx.actor);
  const row = await store.findComplaint(ctx.db, complaintId);
  const isRespondent =
    row !== undefined &&
    actor.organizationId !== null &&
    actor.roles.some((r) => r === 'initiator' || r === 'agency') &&
    row.respondents.some((p) => p.organizationId === actor.organizationId);
  if (!row || !isRespondent) throw new NotFound('COMPLAINT_NOT_FOUND', { title: '投诉不存在' });
  assertCan(row.status, 'explain');
  if (!row.copies_sent_at) {
    throw new Forbidden('COPY_NOT_RECEIVED', {
      title: '尚未收到投诉书副本',
      detail: '收到投诉答复通知书及投诉书副本后方可提交书面说明。',
    });
  }
  const materials = await resolveMaterials(ctx.db, input.materials);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockComplaint(tx, complaintId);
    if (!current) throw new NotFound('COMPLAINT_NOT_FOUND', { title: '投诉不存在' });
    assertCan(current.status, 'explain');
    if (current.explanation_at) {
      throw new RuleViolation('EXPLANATION_ALREADY_SUBMITTED', {
        title: '书面说明已提交',
        detail: `已于 ${formatShanghaiTime(current.explanation_at)} 提交。`,
      });
    }
    const late = current.explanation_due_at !== null && now.getTime() > current.explanation_due_at.getTime();
    const updated = await store.updateComplaint(tx, current.id, {
      explanation_at: now,
      explanation_text: input.text,
      explanation_materials: JSON.stringify(materials),
      explanation_organization_id: actor.organizationId,
      updated_at: now,
    });
    await witness(
      tx,
      now,
      ctx.origin,
      COMPLAINT_WITNESS_TYPE,
      current.id,
      'complaint.explanation-submitted',
      {
        organizationId: actor.organizationId,
        late,
        materials: materials.map((m) => ({ sha256: m.sha256, sm3: m.sm3 })),
        citation: CITATIONS.gpExplanation,
      },
    );
    return toComplaintView(tx, updated, 'respondent', now, actor.organizationId);
  });
}
