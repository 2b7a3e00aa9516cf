import { InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { AUCTION_WITNESS_TYPE, type AuctionContext, witness } from './context.ts';
import { assertLotNotSuspended } from './deps.ts';
import { assertOrganiser, auctionNotFound } from './policy.ts';
import { issueDeal, passToNextOrFail } from './results.ts';
import { CITATIONS } from './rules.ts';
import * as store from './store.ts';

/**
 * 资格审核 (资格后审) of the 预成交人 by the initiator or its agency, within 2 工作日: passed → the award-stage
 * credit check, then 成交通知书 + 成交公示 + deposits settled; failed → the next best or 不成交.
 */
export async function decideQualification(
  ctx: AuctionContext,
  auctionId: string,
  input: { passed: boolean; reason?: string | null | undefined },
) {
  const row = await store.findAuction(ctx.db, auctionId);
  if (!row) throw auctionNotFound();
  await assertOrganiser(ctx, row.lot_id);
  await assertLotNotSuspended(ctx.db, row.lot_id, ctx.clock.now());
  const notPending = () =>
    new RuleViolation('AUCTION_NOT_PRE_DEAL', {
      title: '当前没有待审核的预成交人',
      detail: `当前状态：${row.status}。`,
      citation: CITATIONS.qualification,
    });
  if (row.status !== 'pre-deal') throw notPending();
  const reason = input.reason?.trim() ?? '';
  if (!input.passed && reason.length < 4) {
    throw new InvalidInput('QUALIFICATION_REASON_REQUIRED', {
      title: '资格审核不通过的，请写明理由（不少于4个字）',
    });
  }
  const result = await store.findResult(ctx.db, auctionId);
  const now = ctx.clock.now();
  const barred =
    input.passed && result?.winner_organization_id
      ? await ctx.eligibility.barredReasons({
          organizationId: result.winner_organization_id,
          lotId: row.lot_id,
          stage: 'award',
          at: now,
        })
      : [];
  await ctx.db.transaction().execute(async (tx) => {
    const current = await store.lockAuction(tx, auctionId);
    if (current?.status !== 'pre-deal') throw notPending();
    const by = ctx.actor?.accountId ?? null;
    if (input.passed && barred.length === 0) {
      await store.updateResult(tx, auctionId, { qualified_at: now, qualification_reason: reason || null });
      await witness(tx, now, ctx.origin, AUCTION_WITNESS_TYPE, auctionId, 'auction.qualification-passed', {
        registrationId: result?.winner_registration_id ?? null,
        citation: CITATIONS.qualification,
      });
      await issueDeal(tx, current, now, ctx.origin, by);
      return;
    }
    const why = barred.length > 0 ? `竞得人被限制参加公共资源交易活动：${barred.join('；')}` : reason;
    await passToNextOrFail(tx, ctx, current, now, ctx.origin, why);
  });
  return store.findResult(ctx.db, auctionId);
}
