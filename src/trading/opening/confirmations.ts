import { randomUUID } from 'node:crypto';
import { fromBase64Url } from '../../platform/crypto/index.ts';
import { AppError, Forbidden, InvalidInput, RuleViolation } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { announce, CITATIONS, OPENING_WITNESS_TYPE, type OpeningContext, witness } from './context.ts';
import {
  listBoundCertificatesOfOrganization,
  parseCertificateDer,
  parseCertificates,
  verifyDetached,
} from './deps.ts';
import { lockActiveHall } from './hall.ts';
import { hostPartyOf, requireSignedIn } from './policy.ts';
import { confirmationMessage } from './record.ts';
import * as store from './store.ts';

/**
 * 投标人确认开标记录 (87号令第四十二条): from the CLI, an SM2 signature over the record's SM3 by the signing
 * certificate bound to the organisation (checked against the certs module's bindings and the trust store
 * now); from the browser, the signed-in session's confirmation, witnessed. Silence after the window is
 * acceptance (closeHall records it).
 */
export async function confirmRecord(
  ctx: OpeningContext,
  lotId: string,
  input: { signature?: string | undefined },
) {
  const actor = requireSignedIn(ctx.actor);
  if (await hostPartyOf(ctx, lotId)) return signAsHost(ctx, lotId, actor, input.signature);
  if (!actor.organizationId || !actor.roles.includes('responder')) {
    throw new Forbidden('BIDDER_REQUIRED', { title: '开标记录由投标人确认' });
  }
  const organizationId = actor.organizationId;
  const bidder = await store.findDecryptionOfOrganization(ctx.db, lotId, organizationId);
  if (!bidder) throw new Forbidden('NO_BID_IN_LOT', { title: '本单位不是该标段已开标的投标人' });
  const hall = await store.findHall(ctx.db, lotId);
  if (hall?.state !== 'published' || !hall.record_sm3) {
    throw new RuleViolation('RECORD_NOT_CONFIRMABLE', {
      title: '当前不能确认开标记录',
      detail: '开标记录公布后、确认截止前可以确认。',
      citation: CITATIONS.record,
    });
  }
  const recordSm3 = hall.record_sm3;
  let method: 'sm2-signature' | 'session' = 'session';
  let fingerprint: string | null = null;
  if (input.signature !== undefined) {
    const signature = fromBase64Url(input.signature);
    if (!signature || signature.length > 128) {
      throw new InvalidInput('SIGNATURE_MALFORMED', {
        title: '签名格式错误',
        detail: '签名应为 base64url 编码的 DER。',
      });
    }
    fingerprint = await verifyWithBoundCertificate(
      ctx,
      organizationId,
      confirmationMessage(lotId, recordSm3),
      signature,
    );
    method = 'sm2-signature';
  }
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const current = await lockActiveHall(tx, lotId);
    if (current.state !== 'published' || current.record_sm3 !== recordSm3) {
      throw new RuleViolation('RECORD_NOT_CONFIRMABLE', {
        title: '当前不能确认开标记录',
        citation: CITATIONS.record,
      });
    }
    if (current.confirm_until && now >= current.confirm_until) {
      throw new RuleViolation('CONFIRM_WINDOW_CLOSED', {
        title: '确认时间已截止',
        detail: '确认截止后未确认的，视同认可开标结果。',
        citation: CITATIONS.record,
      });
    }
    const created = await store.insertConfirmationIfAbsent(tx, {
      id: randomUUID(),
      lot_id: lotId,
      party: 'bidder',
      organization_id: organizationId,
      account_id: actor.accountId,
      method,
      record_sm3: recordSm3,
      signature: input.signature ?? null,
      certificate_fingerprint: fingerprint,
      confirmed_at: now,
    });
    if (!created) throw new RuleViolation('ALREADY_CONFIRMED', { title: '本单位已确认开标记录' });
    await store.updateHall(tx, lotId, {}, now);
    await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.record-confirmed', {
      organizationId,
      method,
      recordSm3,
      certificateFingerprint: fingerprint,
    });
    await announce(tx, lotId);
  });
  return { recordSm3, method };
}

/**
 * 主持人签名 (87号令第四十二条: 开标记录由主持人签字): publishing recorded the host's confirmation; the host then
 * signs the record's SM3 with the signing certificate bound to its organisation (CLI or browser), and the
 * confirmation becomes a signed one, witnessed.
 */
async function signAsHost(
  ctx: OpeningContext,
  lotId: string,
  actor: Actor,
  signatureText: string | undefined,
) {
  if (signatureText === undefined) {
    throw new InvalidInput('HOST_SIGNATURE_REQUIRED', {
      title: '请用签名证书签署开标记录',
      detail: '公布开标记录时已记录主持人的确认；主持人再用本单位已绑定的签名证书对开标记录的 SM3 签名。',
      citation: CITATIONS.record,
    });
  }
  const hall = await store.findHall(ctx.db, lotId);
  if (!hall?.record_sm3 || (hall.state !== 'published' && hall.state !== 'closed')) {
    throw new RuleViolation('RECORD_NOT_CONFIRMABLE', {
      title: '开标记录尚未公布',
      detail: '主持人在公布开标记录后签署。',
      citation: CITATIONS.record,
    });
  }
  const signature = fromBase64Url(signatureText);
  if (!signature || signature.length > 128 || !actor.organizationId) {
    throw new InvalidInput('SIGNATURE_MALFORMED', {
      title: '签名格式错误',
      detail: actor.organizationId
        ? '签名应为 base64url 编码的 DER。'
        : '账号不属于任何单位，无法核对签名证书。',
    });
  }
  const recordSm3 = hall.record_sm3;
  const fingerprint = await verifyWithBoundCertificate(
    ctx,
    actor.organizationId,
    confirmationMessage(lotId, recordSm3),
    signature,
  );
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const signed = await store.signHostConfirmation(tx, lotId, {
      recordSm3,
      signature: signatureText,
      fingerprint,
      accountId: actor.accountId,
      at: now,
    });
    if (!signed) throw new RuleViolation('ALREADY_CONFIRMED', { title: '主持人已签署开标记录' });
    await store.updateHall(tx, lotId, {}, now);
    await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.record-signed-by-host', {
      recordSm3,
      certificateFingerprint: fingerprint,
    });
    await announce(tx, lotId);
  });
  return { recordSm3, method: 'sm2-signature' as const };
}

async function verifyWithBoundCertificate(
  ctx: OpeningContext,
  organizationId: string,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<string> {
  const bound = await listBoundCertificatesOfOrganization(ctx.db, organizationId);
  for (const row of bound) {
    const cert = parseCertificateDer(row.signCertificateDer);
    if (!verifyDetached(cert, message, signature)) continue;
    try {
      await ctx.certs.trust.validate(cert, {
        purpose: 'signing',
        intermediates: row.chainPem ? parseCertificates(row.chainPem) : [],
      });
    } catch (error) {
      if (error instanceof AppError) {
        throw new Forbidden('CERTIFICATE_NOT_VALID', {
          title: '签名证书当前无效',
          detail: `签名证书已过期、被吊销或不受信任：${error.message.slice(0, 200)}`,
        });
      }
      throw error;
    }
    return row.signFingerprint;
  }
  throw new Forbidden('SIGNATURE_INVALID', {
    title: '签名验证失败',
    detail: '签名不是由本单位已绑定的签名证书对本开标记录的 SM3 作出的。',
    citation: CITATIONS.record,
  });
}
