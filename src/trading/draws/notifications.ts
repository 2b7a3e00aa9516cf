import { SYSTEM_ORIGIN } from '../../platform/witness/index.ts';
import { type DrawsDeps, WITNESS, witness } from './context.ts';
import * as store from './store.ts';

/** Attempts per SMS notice before it is marked 发送失败 (the job retries with backoff in between). */
export const SMS_MAX_ATTEMPTS = 5;
const TIMEOUT_MS = 10_000;

/**
 * 短信/语音通知: each pending SMS notice of the draw is POSTed as JSON to GGZY_SMS_GATEWAY_URL —
 * `{ "notificationId", "to", "message", "kind": "expert-draw" }`; any 2xx is 已发送. A failure counts an
 * attempt; after SMS_MAX_ATTEMPTS the notice is 发送失败 (the supervisor sees it). Returns how many are
 * still pending, so the job retries while there are.
 */
export async function sendPendingSms(deps: DrawsDeps, drawId: string): Promise<number> {
  const url = deps.smsGatewayUrl;
  if (!url) return 0;
  let stillPending = 0;
  for (const n of await store.listPendingSms(deps.db, drawId)) {
    const to = n.recipient_sealed
      ? deps.sealer.open(n.recipient_sealed, `expert-notification-phone:${n.id}`)
      : null;
    let error: string | null = null;
    if (!to) {
      error = '专家未登记手机号';
    } else {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ notificationId: n.id, to, message: n.message, kind: 'expert-draw' }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        // The body is not needed; drain it so the connection is released.
        await res.arrayBuffer();
        if (!res.ok) error = `短信网关返回 HTTP ${res.status}`;
      } catch (e) {
        error = `短信网关不可达：${(e as Error).message}`;
      }
    }
    const attempts = n.attempts + 1;
    const now = deps.clock.now();
    const status = error === null ? 'sent' : attempts >= SMS_MAX_ATTEMPTS || !to ? 'failed' : 'pending';
    if (status === 'pending') stillPending++;
    await deps.db.transaction().execute(async (tx) => {
      await store.updateNotification(tx, n.id, {
        status,
        attempts,
        last_error: error,
        sent_at: status === 'sent' ? now : null,
      });
      if (status !== 'pending') {
        await witness(tx, now, SYSTEM_ORIGIN, WITNESS.notification, n.id, `expert-notification.${status}`, {
          drawId,
          assignmentId: n.assignment_id,
          channel: 'sms',
          attempts,
        });
      }
    });
  }
  return stillPending;
}
