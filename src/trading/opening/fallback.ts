import {
  CryptoError,
  type EnvelopeRecipient,
  fromBase64Url,
  unwrapContentKey,
} from '../../platform/crypto/index.ts';
import { AppError, Forbidden, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import { announce, CITATIONS, OPENING_WITNESS_TYPE, type OpeningContext, witness } from './context.ts';
import { landDecryption, readSummaryFields, readSummaryPart } from './decryption.ts';
import { lockActiveHall } from './hall.ts';
import { requireSignedIn } from './policy.ts';
import * as store from './store.ts';

/**
 * 备用解密 (电子招标投标办法第三十一条: the tender may set a remedy for a decryption failure): for bids whose
 * failure the host recorded as not the bidder's, the custodians of the lot's opening key each decrypt
 * their share on their own machine and post it. The request that brings the count to the threshold
 * combines the key, opens those bids with it, and deletes every posted share — in one transaction — so
 * that the whole key never exists outside that request and no share lies around afterwards.
 */

function shareContext(lotId: string, index: number): string {
  return `opening-share:${lotId}:${index}`;
}

async function assertCustodian(ctx: OpeningContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const settings = await ctx.ports.bidSettings(ctx.db, lotId);
  const custodian = settings.openingKey?.custodians.find((c) => c.accountId === actor.accountId);
  if (!settings.openingKey || !custodian) {
    throw new Forbidden('NOT_CUSTODIAN', { title: '您不是本标段开标密钥的保管人' });
  }
  const shares = await ctx.ports.openingKeyShares(ctx.db, lotId);
  const mine = shares.find((s) => s.custodianAccountId === actor.accountId);
  if (!mine) throw new NotFound('SHARE_NOT_FOUND', { title: '未找到您保管的开标密钥分片' });
  return { actor, settings, openingKey: settings.openingKey, mine };
}

async function requireFallback(ctx: OpeningContext, lotId: string) {
  const hall = await store.findHall(ctx.db, lotId);
  if (hall?.state !== 'fallback') {
    throw new RuleViolation('NOT_FALLBACK_TIME', {
      title: '当前无需备用解密',
      detail: '只有主持人认定非投标人原因解密失败、且招标文件允许备用解密时，才使用开标密钥。',
      citation: CITATIONS.failures,
    });
  }
  return hall;
}

/** The custodian's own encrypted share (SM2 to its encryption certificate), to decrypt locally. */
export async function getMyShare(ctx: OpeningContext, lotId: string) {
  await requireFallback(ctx, lotId);
  const { mine, openingKey } = await assertCustodian(ctx, lotId);
  return {
    lotId,
    index: mine.index,
    encryptedShare: mine.encryptedShare,
    threshold: openingKey.threshold,
    openingKeyId: openingKey.keyId,
  };
}

export async function postShare(ctx: OpeningContext, lotId: string, input: { index: number; share: string }) {
  await requireFallback(ctx, lotId);
  const { actor, mine, openingKey } = await assertCustodian(ctx, lotId);
  if (input.index !== mine.index) {
    throw new Forbidden('NOT_YOUR_SHARE', { title: '只能提交您本人保管的分片' });
  }
  const bytes = fromBase64Url(input.share);
  if (!bytes || bytes.length < 2 || bytes.length > 1024) {
    throw new InvalidInput('SHARE_MALFORMED', { title: '分片格式错误', detail: '分片应为 base64url。' });
  }
  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (tx) => {
    const hall = await lockActiveHall(tx, lotId);
    if (hall.state !== 'fallback')
      throw new RuleViolation('NOT_FALLBACK_TIME', { title: '当前无需备用解密' });
    await store.upsertFallbackShare(tx, {
      lot_id: lotId,
      share_index: mine.index,
      custodian_account_id: actor.accountId,
      share_sealed: ctx.sealer.seal(input.share, shareContext(lotId, mine.index)),
      posted_at: now,
    });
    await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.share-posted', {
      index: mine.index,
    });
    const posted = await store.listFallbackShares(tx, lotId);
    if (posted.length < openingKey.threshold) {
      await store.updateHall(tx, lotId, {}, now);
      await announce(tx, lotId);
      return { combined: false, posted: posted.length, threshold: openingKey.threshold };
    }
    const shares = posted.map(
      (p) => fromBase64Url(ctx.sealer.open(p.share_sealed, shareContext(lotId, p.share_index)))!,
    );
    let key: Awaited<ReturnType<typeof ctx.ports.combineShares>>;
    try {
      key = await ctx.ports.combineShares(tx, lotId, shares);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // A wrong share: none of them can be trusted or kept; the custodians post again.
      await store.deleteFallbackShares(tx, lotId);
      await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.shares-rejected', {
        code: error.code,
      });
      await store.updateHall(tx, lotId, {}, now);
      await announce(tx, lotId);
      return { combined: false, posted: 0, threshold: openingKey.threshold, error: error.title };
    } finally {
      for (const s of shares) s.fill(0);
    }
    try {
      const waiting = (await store.listDecryptions(tx, lotId)).filter(
        (d) => d.status === 'awaiting-fallback',
      );
      const settings = await ctx.ports.bidSettings(tx, lotId);
      for (const d of waiting) {
        const parts = (await store.listParts(tx, d.bid_id)).filter((p) => p.status !== 'opened');
        const keys = new Map<number, Uint8Array>();
        try {
          for (const part of parts) {
            const recipients = (part.recipients as EnvelopeRecipient[]).filter(
              (r) => r.keyId === openingKey.keyId,
            );
            keys.set(
              part.no,
              unwrapContentKey(
                recipients.length ? recipients : (part.recipients as EnvelopeRecipient[]),
                key,
              ),
            );
          }
          const summaryPart = parts.find((p) => p.kind === 'summary');
          const summaryKey = summaryPart ? keys.get(summaryPart.no) : undefined;
          const summary =
            summaryPart && summaryKey
              ? readSummaryFields(await readSummaryPart(ctx, summaryPart, summaryKey), settings.summaryFields)
              : null;
          await landDecryption(ctx, tx, {
            hall,
            decryption: d,
            parts,
            keys,
            summary,
            via: 'opening-key',
            at: now,
            origin: ctx.origin,
          });
        } catch (error) {
          if (error instanceof AppError || error instanceof CryptoError) {
            const why = `开标密钥也未能解密（${(error as Error).message.slice(0, 200)}），视为撤回投标文件。`;
            await store.updateDecryption(tx, d.bid_id, { status: 'withdrawn', settled_reason: why });
            await ctx.ports.scheduleRefunds(tx, now, ctx.origin, {
              lotId,
              organizationIds: [d.organization_id],
              reason: 'withdrawn',
            });
          } else throw error;
        } finally {
          for (const k of keys.values()) k.fill(0);
        }
      }
    } finally {
      // The whole key lived only in this request: drop our reference to its scalar.
      (key as { scalarHex: string }).scalarHex = '';
    }
    await store.deleteFallbackShares(tx, lotId);
    await store.updateHall(tx, lotId, { state: 'decrypted' }, now);
    await store.insertStep(tx, {
      lot_id: lotId,
      step: 'fallback-completed',
      from_state: 'fallback',
      to_state: 'decrypted',
      account_id: actor.accountId,
      reason: null,
      at: now,
    });
    await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.fallback-completed', {
      sharesDeleted: posted.length,
      citation: CITATIONS.failures,
    });
    await announce(tx, lotId);
    return { combined: true, posted: posted.length, threshold: openingKey.threshold };
  });
  return result;
}
