import { Forbidden, InvalidInput } from '../../platform/errors.ts';
import { type DrawsContext, WITNESS, witness } from './context.ts';
import { isKnownRegion } from './deps.ts';
import { isSupervisor } from './policy.ts';
import { FREQUENCY_WINDOW_DAYS } from './rules.ts';
import * as store from './store.ts';

/** 抽取规则 per region: the frequency cap and the same-initiator interval (the supervisor sets them). */
export async function listDrawRuleSettings(ctx: DrawsContext) {
  return (await store.listDrawRules(ctx.db)).map((r) => ({
    regionCode: r.region_code,
    frequencyMax: r.frequency_max,
    frequencyWindowDays: FREQUENCY_WINDOW_DAYS,
    sameInitiatorDays: r.same_initiator_days,
    updatedAt: r.updated_at.toISOString(),
  }));
}

export async function setDrawRule(
  ctx: DrawsContext,
  regionCode: string,
  input: { frequencyMax: number; sameInitiatorDays: number },
) {
  if (!isSupervisor(ctx.actor))
    throw new Forbidden('SUPERVISOR_REQUIRED', { title: '仅限行政监督部门设定抽取规则' });
  if (!isKnownRegion(regionCode)) {
    throw new InvalidInput('DRAW_REGION_UNKNOWN', {
      title: '行政区划代码不存在',
      detail: `行政区划代码 ${regionCode} 不存在。`,
    });
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    await store.upsertDrawRule(tx, {
      region_code: regionCode,
      frequency_max: input.frequencyMax,
      same_initiator_days: input.sameInitiatorDays,
      updated_at: now,
      updated_by: ctx.actor?.accountId ?? null,
    });
    await witness(tx, now, ctx.origin, WITNESS.rule, regionCode, 'draw-rule.set', input);
  });
  return listDrawRuleSettings(ctx);
}
