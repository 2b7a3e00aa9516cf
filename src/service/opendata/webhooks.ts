import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import { sm3Hex, toBase64Url } from '../../platform/crypto/index.ts';
import { Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import {
  appendWitnessEvent,
  type CheckpointSigner,
  SYSTEM_ORIGIN,
  type WitnessTables,
} from '../../platform/witness/index.ts';
import { publicBaseOf, WEBHOOK_WITNESS_TYPE } from './context.ts';
import { PUBLISHER } from './feed.ts';
import { type OcdsRelease, releasePackage } from './ocds/index.ts';
import type { SubscriptionInput } from './schemas.ts';
import * as store from './store.ts';
import type { OpendataTables } from './tables.ts';

type WDb = OpendataTables & WitnessTables;
type SubscriptionRow = NonNullable<Awaited<ReturnType<typeof store.findSubscription>>>;

/** Releases per delivery; a subscriber gets them in feed order, a page at a time. */
export const DELIVERY_BATCH = 100;
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Retry after 10 s, doubling up to one hour; a failing subscriber keeps its position (nothing is lost). */
export function retryDelayMs(failures: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, failures - 1), 3_600_000);
}

/** Headers of a delivery; the signature is SM2 (GM/T 0009 default id) over `timestamp\nSM3(body)`. */
export const DELIVERY_HEADERS = {
  delivery: 'x-ggzy-delivery',
  timestamp: 'x-ggzy-timestamp',
  keyId: 'x-ggzy-key-id',
  signature: 'x-ggzy-signature',
  firstSeq: 'x-ggzy-first-seq',
  lastSeq: 'x-ggzy-last-seq',
} as const;

export function deliverySigningText(timestamp: string, body: string): string {
  return `${timestamp}\n${sm3Hex(new TextEncoder().encode(body))}`;
}

export const SUBSCRIPTION_STATUS_NAMES_ZH = { active: '推送中', disabled: '已停用' } as const;

function assertOperator(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  if (!actor.roles.includes('operator'))
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '只有交易中心工作人员可以管理数据推送订阅。',
    });
  return actor;
}

export function subscriptionView(row: SubscriptionRow) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    kinds: row.kinds,
    status: row.status,
    statusNameZh: SUBSCRIPTION_STATUS_NAMES_ZH[row.status],
    deliveredSeq: Number(row.delivered_seq),
    failures: row.failures,
    nextAttemptAt: row.next_attempt_at.toISOString(),
    lastError: row.last_error,
    lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** 新增数据推送订阅 (operator): from the start of the feed or from now on. */
export async function createSubscription(ctx: UseCaseContext<WDb>, input: SubscriptionInput) {
  const actor = assertOperator(ctx.actor);
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const from = input.fromStart ? 0 : await store.maxSeq(tx);
    await store.insertSubscription(tx, {
      id,
      name: input.name,
      url: input.url,
      kinds: JSON.stringify(input.kinds),
      status: 'active',
      delivered_seq: from,
      failures: 0,
      next_attempt_at: now,
      last_error: null,
      last_attempt_at: null,
      created_by: actor.accountId,
      created_at: now,
      updated_at: now,
    });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: WEBHOOK_WITNESS_TYPE,
      entityId: id,
      action: 'opendata-webhook.created',
      payload: { name: input.name, url: input.url, kinds: input.kinds, fromSeq: from },
    });
  });
  return subscriptionView((await store.findSubscription(ctx.db, id))!);
}

export async function setSubscriptionStatus(
  ctx: UseCaseContext<WDb>,
  id: string,
  status: 'active' | 'disabled',
) {
  assertOperator(ctx.actor);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const row = await store.findSubscription(tx, id);
    if (!row) throw new NotFound('WEBHOOK_NOT_FOUND', { title: '订阅不存在' });
    await store.updateSubscription(tx, id, {
      status,
      // Re-enabling retries at once; the position is kept, so nothing is skipped.
      ...(status === 'active' ? { next_attempt_at: now, failures: 0 } : {}),
      updated_at: now,
    });
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: WEBHOOK_WITNESS_TYPE,
      entityId: id,
      action: status === 'active' ? 'opendata-webhook.enabled' : 'opendata-webhook.disabled',
      payload: { deliveredSeq: Number(row.delivered_seq) },
    });
  });
  return subscriptionView((await store.findSubscription(ctx.db, id))!);
}

export async function listSubscriptionViews(ctx: UseCaseContext<WDb>) {
  assertOperator(ctx.actor);
  return (await store.listSubscriptions(ctx.db)).map(subscriptionView);
}

export async function listSubscriptionAttempts(ctx: UseCaseContext<WDb>, id: string) {
  assertOperator(ctx.actor);
  if (!(await store.findSubscription(ctx.db, id)))
    throw new NotFound('WEBHOOK_NOT_FOUND', { title: '订阅不存在' });
  return (await store.listAttempts(ctx.db, id, 50)).map((a) => ({
    firstSeq: Number(a.first_seq),
    lastSeq: Number(a.last_seq),
    attemptedAt: a.attempted_at.toISOString(),
    statusCode: a.status_code,
    ok: a.ok,
    error: a.error,
  }));
}

export interface DeliveryDeps {
  db: Kysely<WDb>;
  clock: Clock;
  signer: () => Promise<CheckpointSigner>;
  publicUrl: string | null;
  /** The HTTP client (Node's fetch; a test may pass one that records). */
  fetch?: typeof fetch;
}

/**
 * 数据推送: each due subscriber gets the next page of releases after its position as an OCDS release
 * package, SM2-signed. A 2xx moves its position (compare-and-set, so two instances never move it twice);
 * anything else is retried later with back-off, and the position stays — delivery is in order and at
 * least once (receivers dedupe by release id). Each attempt is recorded and witnessed.
 */
export async function deliverWebhooks(deps: DeliveryDeps): Promise<{ delivered: number; failed: number }> {
  const doFetch = deps.fetch ?? fetch;
  const due = await store.listDueSubscriptionIds(deps.db, deps.clock.now());
  let delivered = 0;
  let failed = 0;
  for (const { id } of due) {
    const sub = await store.findSubscription(deps.db, id);
    if (sub?.status !== 'active') continue;
    const from = Number(sub.delivered_seq);
    const rows = await store.listReleasesAfter(deps.db, from, DELIVERY_BATCH, sub.kinds);
    if (rows.length === 0) continue;
    const firstSeq = Number(rows[0]!.seq);
    const lastSeq = Number(rows[rows.length - 1]!.seq);
    const now = deps.clock.now();
    const body = JSON.stringify(
      releasePackage(
        rows.map((r) => JSON.parse(r.release) as OcdsRelease),
        {
          uri: new URL('/api/open/ocds/releases', publicBaseOf(deps.publicUrl)).toString(),
          publishedDate: now.toISOString(),
          publisher: PUBLISHER,
        },
      ),
    );
    const signer = await deps.signer();
    const timestamp = String(now.getTime());
    const deliveryId = randomUUID();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await doFetch(sub.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [DELIVERY_HEADERS.delivery]: deliveryId,
          [DELIVERY_HEADERS.timestamp]: timestamp,
          [DELIVERY_HEADERS.keyId]: signer.keyId,
          [DELIVERY_HEADERS.signature]: toBase64Url(
            signer.sign(new TextEncoder().encode(deliverySigningText(timestamp, body))),
          ),
          [DELIVERY_HEADERS.firstSeq]: String(firstSeq),
          [DELIVERY_HEADERS.lastSeq]: String(lastSeq),
        },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      statusCode = response.status;
      await response.body?.cancel();
      if (!response.ok) error = `接收方返回 HTTP ${response.status}`;
    } catch (e) {
      error = `无法送达：${e instanceof Error ? e.message : String(e)}`.slice(0, 500);
    }
    const ok = error === null;
    const at = deps.clock.now();
    await deps.db.transaction().execute(async (tx) => {
      const locked = await store.lockSubscription(tx, id);
      // Another instance moved it meanwhile: its delivery stands, this one was a duplicate.
      if (!locked || Number(locked.delivered_seq) !== from) return;
      await store.insertAttempt(tx, {
        subscription_id: id,
        first_seq: firstSeq,
        last_seq: lastSeq,
        attempted_at: at,
        status_code: statusCode,
        ok,
        error,
      });
      const failures = ok ? 0 : locked.failures + 1;
      await store.updateSubscription(tx, id, {
        ...(ok ? { delivered_seq: lastSeq } : {}),
        failures,
        next_attempt_at: ok ? at : new Date(at.getTime() + retryDelayMs(failures)),
        last_error: error,
        last_attempt_at: at,
        updated_at: at,
      });
      await appendWitnessEvent(tx, at, SYSTEM_ORIGIN, {
        entityType: WEBHOOK_WITNESS_TYPE,
        entityId: id,
        action: ok ? 'opendata-webhook.delivered' : 'opendata-webhook.failed',
        payload: {
          deliveryId,
          firstSeq,
          lastSeq,
          bodySm3: sm3Hex(new TextEncoder().encode(body)),
          statusCode,
          error,
        },
      });
    });
    if (ok) delivered++;
    else failed++;
  }
  return { delivered, failed };
}
