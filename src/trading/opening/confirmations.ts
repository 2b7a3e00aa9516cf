import { randomUUID } from 'node:crypto';
import { fromBase64Url } from '../../platform/crypto/index.ts';
import { AppError, Forbidden, InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { announce, CITATIONS, OPENING_WITNESS_TYPE, type OpeningContext, witness } from './context.ts';
import {
  listBoundCertificatesOfOrganization,
  parseCertificateDer,
  parseCertificates,
  verifyDetached,
} from './deps.ts';
import { lockActiveHall } from './hall.ts';
import { requireSignedIn } from './policy.ts';
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
