import { randomUUID } from 'node:crypto';
import { Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { announce, CITATIONS, OPENING_WITNESS_TYPE, type OpeningContext, witness } from './context.ts';
import { lockActiveHall } from './hall.ts';
import { assertHost, requireSignedIn } from './policy.ts';
import { OBJECTION_STATES } from './states.ts';
import * as store from './store.ts';

/**
 * 开标异议 (条例第四十四条第三款: 投标人对开标有异议的，应当在开标现场提出，招标人应当当场作出答复，并制作记录):
 * a bidder raises it in the hall, the host answers it there; both go on the record and are shown live.
 */
function cleanText(text: string, what: string): string {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > 2000) {
    throw new InvalidInput('TEXT_INVALID', { title: `${what}应为 1–2000 个字符` });
  }
  return trimmed;
}

export async function raiseObjection(ctx: OpeningContext, lotId: string, text: string) {
  const actor = requireSignedIn(ctx.actor);
  const body = cleanText(text, '异议内容');
  if (!actor.organizationId || !actor.roles.includes('responder')) {
    throw new Forbidden('BIDDER_REQUIRED', { title: '开标异议由投标人提出', citation: CITATIONS.objection });
  }
  const bidder = await store.findDecryptionOfOrganization(ctx.db, lotId, actor.organizationId);
  if (!bidder) {
    throw new Forbidden('NO_BID_IN_LOT', {
      title: '本单位不是该标段已开标的投标人',
      citation: CITATIONS.objection,
    });
  }
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await lockActiveHall(tx, lotId);
    if (!OBJECTION_STATES.includes(hall.state)) {
      throw new RuleViolation('OBJECTION_CLOSED', {
        title: '当前不能提出开标异议',
        detail: '开标异议在开标现场（开标后、开标记录公布前）提出。',
        citation: CITATIONS.objection,
      });
    }
    const seq = await store.nextObjectionSeq(tx, lotId);
    await store.insertObjection(tx, {
      id,
      lot_id: lotId,
      seq,
      organization_id: actor.organizationId!,
      account_id: actor.accountId,
      bidder_name: bidder.bidder_name,
      text: body,
      raised_at: now,
      answer: null,
      answered_at: null,
      answered_by: null,
    });
    await store.updateHall(tx, lotId, {}, now);
    await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.objection-raised', {
      objectionId: id,
      seq,
      text: body,
    });
    await announce(tx, lotId);
  });
  return { id };
}

export async function answerObjection(
  ctx: OpeningContext,
  lotId: string,
  objectionId: string,
  answer: string,
) {
  const { actor } = await assertHost(ctx, lotId);
  const body = cleanText(answer, '答复内容');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await lockActiveHall(tx, lotId);
    if (!OBJECTION_STATES.includes(hall.state)) {
      throw new RuleViolation('OBJECTION_CLOSED', {
        title: '开标记录已公布，不能再答复异议',
        citation: CITATIONS.objection,
      });
    }
    const updated = await store.answerObjection(tx, lotId, objectionId, {
      answer: body,
      answeredAt: now,
      answeredBy: actor.accountId,
    });
    if (!updated) {
      const exists = await store.findObjection(tx, lotId, objectionId);
      if (!exists) throw new NotFound('OBJECTION_NOT_FOUND', { title: '异议不存在' });
      throw new RuleViolation('OBJECTION_ANSWERED', { title: '该异议已答复' });
    }
    await store.updateHall(tx, lotId, {}, now);
    await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.objection-answered', {
      objectionId,
      seq: updated.seq,
      answer: body,
    });
    await announce(tx, lotId);
  });
}
