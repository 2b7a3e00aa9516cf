import { randomUUID } from 'node:crypto';
import { AppError, InvalidInput, NotFound, RuleViolation } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { enqueueJob } from '../../platform/jobs/index.ts';
import { sealedOrigin } from '../../platform/sealing/index.ts';
import { type CheckpointSigner, SYSTEM_ORIGIN, type WitnessOrigin } from '../../platform/witness/index.ts';
import {
  announce,
  audienceOf,
  CITATIONS,
  CONFIRM_WINDOW_END_JOB,
  CONFIRM_WINDOW_MINUTES,
  DECRYPT_WINDOW_END_JOB,
  INLINE_VERIFY_BYTES,
  OPENING_WITNESS_TYPE,
  type OpeningContext,
  type SystemContext,
  type Tx,
  witness,
} from './context.ts';
import {
  assertLotNotSuspended,
  findLot,
  getLotTimeline,
  minimumResponders,
  type ProcedureType,
} from './deps.ts';
import { assertHost, hasLiveBid, requireSignedIn, viewerOf } from './policy.ts';
import { buildRecord, loadRecordSigner, signRecord } from './record.ts';
import { assertStep, type HostStep, SIGN_IN_STATES } from './states.ts';
import * as store from './store.ts';
import type { HallState } from './tables.ts';

const MINUTE = 60_000;

/**
 * The hall of a lot: null before openingAt (nothing to show but the time); created at the first visit
 * from openingAt on, in 签到 (电子招标投标办法第二十九条: the opening is online, at the time the tender set).
 */
export async function ensureHall(ctx: SystemContext, lotId: string): Promise<store.HallRow | null> {
  const existing = await store.findHall(ctx.db, lotId);
  if (existing) return existing;
  const timeline = await getLotTimeline(ctx.db, lotId);
  if (!timeline) {
    throw new NotFound('OPENING_NOT_SCHEDULED', {
      title: '该标段尚未发布招标公告',
      detail: '没有开标时间，开标大厅不存在。',
    });
  }
  const now = ctx.clock.now();
  if (now < timeline.openingAt) return null;
  if (timeline.terminatedAt) {
    throw new RuleViolation('LOT_TERMINATED', { title: '该标段的招标已终止', detail: '不再开标。' });
  }
  const lot = await findLot(ctx.db, lotId);
  await ctx.db.transaction().execute(async (tx) => {
    const created = await store.insertHallIfAbsent(tx, {
      lot_id: lotId,
      lot_code: timeline.lotCode,
      lot_name: lot?.name ?? timeline.lotCode,
      procedure_type: timeline.procedureType,
      opening_at: timeline.openingAt,
      state: 'check-in',
      paused: false,
      paused_at: null,
      pause_reason: null,
      paused_total_ms: 0,
      decrypt_window_minutes: null,
      decrypt_until: null,
      confirm_until: null,
      revealed_at: null,
      bid_count: null,
      minimum_bids: null,
      minimum_citation: null,
      failed_reason: null,
      allow_fallback: false,
      fallback_threshold: null,
      opening_key_id: null,
      record_json: null,
      record_sm3: null,
      record_signature: null,
      record_key_id: null,
      published_at: null,
      closed_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    });
    if (!created) return;
    await store.insertStep(tx, {
      lot_id: lotId,
      step: 'open-hall',
      from_state: null,
      to_state: 'check-in',
      account_id: null,
      reason: null,
      at: now,
    });
    await witness(tx, now, SYSTEM_ORIGIN, OPENING_WITNESS_TYPE, lotId, 'opening.hall-opened', {
      openingAt: timeline.openingAt.toISOString(),
    });
    await announce(tx, lotId);
  });
  return (await store.findHall(ctx.db, lotId)) ?? null;
}

async function requireHall(ctx: SystemContext, lotId: string): Promise<store.HallRow> {
  const hall = await ensureHall(ctx, lotId);
  if (!hall) {
    throw new RuleViolation('OPENING_NOT_YET', {
      title: '未到开标时间',
      detail: '开标大厅在招标文件确定的开标时间开放。',
      citation: CITATIONS.remoteOpening,
    });
  }
  return hall;
}

/** Locks the hall and re-checks it is not paused (every state change starts here). */
export async function lockActiveHall(tx: Tx, lotId: string): Promise<store.HallRow> {
  const hall = await store.lockHall(tx, lotId);
  if (!hall) throw new NotFound('OPENING_NOT_FOUND', { title: '开标大厅不存在' });
  if (hall.paused) {
    throw new RuleViolation('OPENING_PAUSED', {
      title: '开标已暂停',
      detail: `暂停原因：${hall.pause_reason ?? ''}。恢复前不能进行任何操作。`,
      citation: CITATIONS.emergency,
    });
  }
  return hall;
}

async function step(
  tx: Tx,
  input: {
    lotId: string;
    step: string;
    from: HallState | null;
    to: HallState;
    actor: Actor | null;
    reason: string | null;
    at: Date;
    origin: WitnessOrigin;
    payload?: Record<string, unknown>;
  },
): Promise<void> {
  await store.insertStep(tx, {
    lot_id: input.lotId,
    step: input.step,
    from_state: input.from,
    to_state: input.to,
    account_id: input.actor?.accountId ?? null,
    reason: input.reason,
    at: input.at,
  });
  await witness(tx, input.at, input.origin, OPENING_WITNESS_TYPE, input.lotId, `opening.${input.step}`, {
    from: input.from,
    to: input.to,
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.payload ?? {}),
  });
  await announce(tx, input.lotId);
}

// ---- 签到 ----

/** 签到: a bidder with a live bid signs in. Before the reveal only it learns that it did. */
export async function signIn(ctx: OpeningContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  const organizationId = actor.organizationId;
  if (!actor.roles.includes('responder') || !organizationId) {
    throw new InvalidInput('RESPONDER_REQUIRED', { title: '仅投标人需要签到' });
  }
  const hall = await requireHall(ctx, lotId);
  if (!SIGN_IN_STATES.includes(hall.state)) {
    throw new RuleViolation('SIGN_IN_CLOSED', { title: '签到已结束', detail: '开标已进入后续环节。' });
  }
  if (!(await hasLiveBid(ctx, lotId, organizationId))) {
    throw new RuleViolation('NO_BID_IN_LOT', {
      title: '本单位在该标段没有有效的投标文件',
      detail: '只有递交了投标文件（且未撤回）的投标人需要签到。',
    });
  }
  const now = ctx.clock.now();
  const id = randomUUID();
  await ctx.db.transaction().execute(async (tx) => {
    const current = await lockActiveHall(tx, lotId);
    const created = await store.insertAttendanceIfAbsent(tx, {
      id,
      lot_id: lotId,
      organization_id: organizationId,
      account_id: actor.accountId,
      signed_in_at: now,
    });
    if (!created) return;
    const revealed = current.state !== 'check-in';
    // Before the reveal, the event names nobody and is not filed under the lot (the public log must not
    // count the sign-ins of a lot); the attendance row has the facts.
    await witness(
      tx,
      now,
      revealed ? ctx.origin : sealedOrigin(ctx.origin),
      revealed ? OPENING_WITNESS_TYPE : 'opening-attendance',
      revealed ? lotId : id,
      'opening.signed-in',
      revealed ? { organizationId, late: true } : {},
    );
    if (revealed) {
      await store.updateHall(tx, lotId, {}, now);
      await announce(tx, lotId);
    } else {
      await announce(tx, lotId, audienceOf(ctx.sealer, lotId, organizationId));
    }
  });
  const row = await store.findAttendance(ctx.db, lotId, organizationId);
  return { signedInAt: row?.signed_in_at ?? now };
}

// ---- host steps ----

export async function takeStep(
  ctx: OpeningContext,
  lotId: string,
  hostStep: HostStep,
  reason: string | null,
) {
  const { actor } = await assertHost(ctx, lotId);
  await assertLotNotSuspended(ctx.db, lotId, ctx.clock.now());
  const hall = await requireHall(ctx, lotId);
  assertStep(hall.state, hall.paused, hostStep);
  switch (hostStep) {
    case 'pause':
      return pauseHall(ctx, lotId, actor, reason);
    case 'resume':
      return resumeHall(ctx, lotId, actor, reason);
    case 'start-opening':
      return startOpening(ctx, lotId, actor);
    case 'start-decryption':
      return startDecryption(ctx, lotId, actor);
    case 'close-decryption':
      return closeDecryption(ctx, lotId, { actor, origin: ctx.origin });
    case 'abandon-fallback':
      return abandonFallback(ctx, lotId, actor, reason);
    case 'publish-record':
      return publishRecord(ctx, lotId, actor);
    case 'close-hall':
      return closeHall(ctx, lotId, { actor, origin: ctx.origin });
  }
}

function requireReason(reason: string | null, what: string): string {
  const trimmed = reason?.trim() ?? '';
  if (!trimmed) throw new InvalidInput('REASON_REQUIRED', { title: `请填写${what}原因` });
  return trimmed;
}

async function pauseHall(ctx: OpeningContext, lotId: string, actor: Actor, reason: string | null) {
  const why = requireReason(reason, '暂停');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await store.lockHall(tx, lotId);
    if (!hall) throw new NotFound('OPENING_NOT_FOUND', { title: '开标大厅不存在' });
    assertStep(hall.state, hall.paused, 'pause');
    await store.updateHall(tx, lotId, { paused: true, paused_at: now, pause_reason: why }, now);
    await step(tx, {
      lotId,
      step: 'paused',
      from: hall.state,
      to: hall.state,
      actor,
      reason: why,
      at: now,
      origin: ctx.origin,
      payload: { citation: CITATIONS.emergency },
    });
  });
}

/** Resumes from the recorded state; the running window is extended by the time spent paused (§35). */
async function resumeHall(ctx: OpeningContext, lotId: string, actor: Actor, reason: string | null) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await store.lockHall(tx, lotId);
    if (!hall) throw new NotFound('OPENING_NOT_FOUND', { title: '开标大厅不存在' });
    assertStep(hall.state, hall.paused, 'resume');
    const pausedMs = Math.max(0, now.getTime() - (hall.paused_at ?? now).getTime());
    const shift = (d: Date | null) => (d ? new Date(d.getTime() + pausedMs) : null);
    const decryptUntil = hall.state === 'decrypting' ? shift(hall.decrypt_until) : hall.decrypt_until;
    const confirmUntil = hall.state === 'published' ? shift(hall.confirm_until) : hall.confirm_until;
    await store.updateHall(
      tx,
      lotId,
      {
        paused: false,
        paused_at: null,
        pause_reason: null,
        paused_total_ms: Number(hall.paused_total_ms) + pausedMs,
        decrypt_until: decryptUntil,
        confirm_until: confirmUntil,
      },
      now,
    );
    if (hall.state === 'decrypting' && decryptUntil)
      await scheduleWindowEnd(tx, DECRYPT_WINDOW_END_JOB, lotId, decryptUntil);
    if (hall.state === 'published' && confirmUntil)
      await scheduleWindowEnd(tx, CONFIRM_WINDOW_END_JOB, lotId, confirmUntil);
    await step(tx, {
      lotId,
      step: 'resumed',
      from: hall.state,
      to: hall.state,
      actor,
      reason: reason?.trim() || null,
      at: now,
      origin: ctx.origin,
      payload: {
        pausedMs,
        decryptUntil: decryptUntil?.toISOString() ?? null,
        confirmUntil: confirmUntil?.toISOString() ?? null,
      },
    });
  });
}

function scheduleWindowEnd(tx: Tx, type: string, lotId: string, at: Date) {
  return enqueueJob(tx, {
    type,
    payload: { lotId },
    runAt: at,
    dedupeKey: `${type}:${lotId}:${at.toISOString()}`,
  });
}

/**
 * 开标: the platform takes out the bids (revealed now, not before) and counts them. Fewer than the
 * procedure's minimum: no opening — 流标 with its citation, deposits refunded, in one transaction.
 */
async function startOpening(ctx: OpeningContext, lotId: string, actor: Actor) {
  const signer = await loadRecordSigner(ctx.db, ctx.clock);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await lockActiveHall(tx, lotId);
    assertStep(hall.state, hall.paused, 'start-opening');
    const bids = await ctx.ports.revealBids(tx, lotId);
    const minimum = minimumResponders(hall.procedure_type as ProcedureType);
    if (bids.length < minimum.count) {
      const reason = `递交投标文件的投标人少于${minimum.count}个（实际${bids.length}个），不得开标，本标段流标，应依法重新招标（采购）。`;
      await store.updateHall(
        tx,
        lotId,
        {
          state: 'failed',
          revealed_at: now,
          bid_count: bids.length,
          minimum_bids: minimum.count,
          minimum_citation: minimum.citation,
          failed_reason: reason,
          closed_at: now,
        },
        now,
      );
      await ctx.ports.scheduleRefunds(tx, now, ctx.origin, {
        lotId,
        organizationIds: bids.map((b) => b.organizationId),
        reason: 'lot-failed',
      });
      await step(tx, {
        lotId,
        step: 'failed',
        from: 'check-in',
        to: 'failed',
        actor,
        reason,
        at: now,
        origin: ctx.origin,
        payload: { bidCount: bids.length, minimum: minimum.count, citation: minimum.citation },
      });
      const failed = await store.lockHall(tx, lotId);
      if (failed) await publishRecordIn(tx, signer, failed, now);
      return;
    }
    const settings = await ctx.ports.bidSettings(tx, lotId);
    const ordered = [...bids].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
    await store.insertDecryptions(
      tx,
      ordered.map((bid, i) => ({
        bid_id: bid.bidId,
        lot_id: lotId,
        seq: i + 1,
        organization_id: bid.organizationId,
        account_id: bid.accountId,
        bidder_name: bid.manifest.bidder.name,
        credit_code: bid.manifest.bidder.creditCode,
        submitted_at: bid.submittedAt,
        manifest_sm3: bid.manifestSm3,
        status: 'pending' as const,
        attempts: 0,
        last_error: null,
        not_bidder_cause: false,
        cause_reason: null,
        cause_recorded_by: null,
        decrypted_at: null,
        settled_reason: null,
      })),
    );
    await store.insertParts(
      tx,
      ordered.flatMap((bid) =>
        bid.parts.map((part) => ({
          bid_id: bid.bidId,
          no: part.no,
          lot_id: lotId,
          kind: part.kind,
          name: part.name,
          algorithm: part.algorithm,
          sealed_sha256: part.sealedSha256,
          sealed_sm3: part.sealedSm3,
          sealed_length: part.sealedLength,
          recipients: JSON.stringify(part.recipients),
          status: 'sealed' as const,
          content_key_sealed: null,
          plaintext_sha256: null,
          plaintext_sm3: null,
          plaintext_size: null,
          error: null,
          updated_at: now,
        })),
      ),
    );
    await store.updateHall(
      tx,
      lotId,
      {
        state: 'revealed',
        revealed_at: now,
        bid_count: bids.length,
        minimum_bids: minimum.count,
        minimum_citation: minimum.citation,
        decrypt_window_minutes: settings.decryptWindowMinutes,
        allow_fallback: settings.allowFallback && settings.openingKey !== null,
        fallback_threshold: settings.openingKey?.threshold ?? null,
        opening_key_id: settings.openingKey?.keyId ?? null,
      },
      now,
    );
    await step(tx, {
      lotId,
      step: 'opened',
      from: 'check-in',
      to: 'revealed',
      actor,
      reason: null,
      at: now,
      origin: ctx.origin,
      payload: {
        bidCount: bids.length,
        bids: ordered.map((b) => ({
          bidId: b.bidId,
          organizationId: b.organizationId,
          manifestSm3: b.manifestSm3,
        })),
      },
    });
  });
}

async function startDecryption(ctx: OpeningContext, lotId: string, actor: Actor) {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await lockActiveHall(tx, lotId);
    assertStep(hall.state, hall.paused, 'start-decryption');
    const minutes = hall.decrypt_window_minutes ?? 30;
    const until = new Date(now.getTime() + minutes * MINUTE);
    await store.updateHall(tx, lotId, { state: 'decrypting', decrypt_until: until }, now);
    await scheduleWindowEnd(tx, DECRYPT_WINDOW_END_JOB, lotId, until);
    await step(tx, {
      lotId,
      step: 'decryption-started',
      from: 'revealed',
      to: 'decrypting',
      actor,
      reason: null,
      at: now,
      origin: ctx.origin,
      payload: { decryptUntil: until.toISOString(), minutes, citation: CITATIONS.decryption },
    });
  });
}

/**
 * 结束解密 (by the host once every bid is decrypted or the window is over, or by the job at its end).
 * Each bid not decrypted is settled per 电子招标投标办法第三十一条: the bidder's cause → 撤销 (deposit may be
 * forfeited); not the bidder's cause (recorded by the host with a reason) → the opening-key fallback
 * when the tender allows it, else 撤回 (deposit refunded). The other bids open regardless.
 */
export async function closeDecryption(
  ctx: SystemContext,
  lotId: string,
  by: { actor: Actor | null; origin: WitnessOrigin },
): Promise<'closed' | 'not-yet' | 'parts-verifying'> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const hall = await store.lockHall(tx, lotId);
    if (!hall) throw new NotFound('OPENING_NOT_FOUND', { title: '开标大厅不存在' });
    if (!by.actor && (hall.state !== 'decrypting' || hall.paused)) return 'not-yet';
    assertStep(hall.state, hall.paused, 'close-decryption');
    const decryptions = await store.listDecryptions(tx, lotId);
    const partsOf = new Map<string, store.PartRow[]>();
    for (const d of decryptions) partsOf.set(d.bid_id, await store.listParts(tx, d.bid_id));
    const incomplete = (d: store.DecryptionRow) =>
      d.status === 'pending' ||
      (d.status === 'decrypted' && (partsOf.get(d.bid_id) ?? []).some((p) => p.status === 'key-rejected'));
    const windowOver = hall.decrypt_until !== null && now >= hall.decrypt_until;
    if (!windowOver && decryptions.some(incomplete)) {
      if (!by.actor) return 'not-yet';
      throw new RuleViolation('DECRYPT_WINDOW_OPEN', {
        title: '解密时间尚未结束',
        detail: `仍有投标人未完成解密；解密截止时间为 ${hall.decrypt_until?.toISOString() ?? ''}。`,
        citation: CITATIONS.decryption,
      });
    }
    // Small parts were verified with the same key while the bidder waited; only large ones still pending
    // their job's MAC check hold the close (their plaintext is stored later either way).
    const unverified = (p: store.PartRow) =>
      p.status === 'verifying' && Number(p.sealed_length) > INLINE_VERIFY_BYTES;
    if (decryptions.some((d) => (partsOf.get(d.bid_id) ?? []).some(unverified))) {
      if (!by.actor) return 'parts-verifying';
      throw new RuleViolation('PARTS_STILL_VERIFYING', {
        title: '投标文件仍在校验',
        detail: '部分投标文件的解密密钥正在校验，请稍后再结束解密。',
      });
    }
    const revoked: string[] = [];
    const withdrawn: string[] = [];
    let awaiting = 0;
    for (const d of decryptions.filter(incomplete)) {
      let status: 'revoked' | 'withdrawn' | 'awaiting-fallback';
      let why: string;
      if (!d.not_bidder_cause) {
        status = 'revoked';
        why = '因投标人原因未能在解密时间内解密，视为撤销投标文件。';
        revoked.push(d.organization_id);
      } else if (hall.allow_fallback) {
        status = 'awaiting-fallback';
        why = `非投标人原因未能解密（${d.cause_reason ?? ''}），按招标文件约定以开标密钥备用解密。`;
        awaiting += 1;
      } else {
        status = 'withdrawn';
        why = `非投标人原因未能解密（${d.cause_reason ?? ''}），视为撤回投标文件。`;
        withdrawn.push(d.organization_id);
      }
      await store.updateDecryption(tx, d.bid_id, { status, settled_reason: why });
      if (status !== 'awaiting-fallback') await store.voidEntry(tx, d.bid_id, why);
      await witness(tx, now, by.origin, OPENING_WITNESS_TYPE, lotId, 'opening.decryption-settled', {
        bidId: d.bid_id,
        organizationId: d.organization_id,
        status,
        citation: CITATIONS.failures,
      });
    }
    if (revoked.length) {
      await ctx.ports.scheduleRefunds(tx, now, by.origin, {
        lotId,
        organizationIds: revoked,
        reason: 'withdrawn',
        forfeit: true,
      });
    }
    if (withdrawn.length) {
      await ctx.ports.scheduleRefunds(tx, now, by.origin, {
        lotId,
        organizationIds: withdrawn,
        reason: 'withdrawn',
      });
    }
    const to: HallState = awaiting > 0 ? 'fallback' : 'decrypted';
    await store.updateHall(tx, lotId, { state: to }, now);
    await step(tx, {
      lotId,
      step: 'decryption-closed',
      from: 'decrypting',
      to,
      actor: by.actor,
      reason: null,
      at: now,
      origin: by.origin,
      payload: { revoked: revoked.length, withdrawn: withdrawn.length, awaitingFallback: awaiting },
    });
    return 'closed';
  });
}

/** The host ends a fallback that cannot complete: the bids waiting for it count as 撤回 (第三十一条). */
async function abandonFallback(ctx: OpeningContext, lotId: string, actor: Actor, reason: string | null) {
  const why = requireReason(reason, '终止备用解密');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await lockActiveHall(tx, lotId);
    assertStep(hall.state, hall.paused, 'abandon-fallback');
    const waiting = (await store.listDecryptions(tx, lotId)).filter((d) => d.status === 'awaiting-fallback');
    for (const d of waiting) {
      const settled = `备用解密未能完成（${why}），视为撤回投标文件。`;
      await store.updateDecryption(tx, d.bid_id, { status: 'withdrawn', settled_reason: settled });
      await store.voidEntry(tx, d.bid_id, settled);
    }
    if (waiting.length) {
      await ctx.ports.scheduleRefunds(tx, now, ctx.origin, {
        lotId,
        organizationIds: waiting.map((d) => d.organization_id),
        reason: 'withdrawn',
      });
    }
    // Shares posted so far are useless now and must not linger.
    await store.deleteFallbackShares(tx, lotId);
    await store.updateHall(tx, lotId, { state: 'decrypted' }, now);
    await step(tx, {
      lotId,
      step: 'fallback-abandoned',
      from: 'fallback',
      to: 'decrypted',
      actor,
      reason: why,
      at: now,
      origin: ctx.origin,
      payload: { withdrawn: waiting.length },
    });
  });
}

/** 公布开标记录: the record is fixed, hashed (SM3) and signed by the platform; the host's confirmation is on it. */
async function publishRecord(ctx: OpeningContext, lotId: string, actor: Actor) {
  const signer = await loadRecordSigner(ctx.db, ctx.clock);
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await lockActiveHall(tx, lotId);
    assertStep(hall.state, hall.paused, 'publish-record');
    const until = new Date(now.getTime() + CONFIRM_WINDOW_MINUTES * MINUTE);
    await store.updateHall(tx, lotId, { state: 'published', confirm_until: until }, now);
    const published = await store.lockHall(tx, lotId);
    if (!published) throw new NotFound('OPENING_NOT_FOUND', { title: '开标大厅不存在' });
    const recordSm3 = await publishRecordIn(tx, signer, published, now);
    await store.insertConfirmationIfAbsent(tx, {
      id: randomUUID(),
      lot_id: lotId,
      party: 'host',
      organization_id: actor.organizationId ?? 'operator',
      account_id: actor.accountId,
      method: 'session',
      record_sm3: recordSm3,
      signature: null,
      certificate_fingerprint: null,
      confirmed_at: now,
    });
    await scheduleWindowEnd(tx, CONFIRM_WINDOW_END_JOB, lotId, until);
    await step(tx, {
      lotId,
      step: 'record-published',
      from: 'decrypted',
      to: 'published',
      actor,
      reason: null,
      at: now,
      origin: ctx.origin,
      payload: { recordSm3, confirmUntil: until.toISOString(), citation: CITATIONS.record },
    });
  });
}

async function publishRecordIn(
  tx: Tx,
  signer: CheckpointSigner,
  hall: store.HallRow,
  now: Date,
): Promise<string> {
  const record = await buildRecord(tx, hall, now);
  const signed = signRecord(signer, record);
  await store.updateHall(
    tx,
    hall.lot_id,
    {
      record_json: signed.json,
      record_sm3: signed.sm3,
      record_signature: signed.signature,
      record_key_id: signed.keyId,
      published_at: now,
    },
    now,
  );
  return signed.sm3;
}

/**
 * 结束开标 at the confirmation window's end: a bidder that has not confirmed is taken to accept the
 * record (87号令第四十二条: 投标人未参加开标的，视同认可开标结果), recorded as such.
 */
export async function closeHall(
  ctx: SystemContext,
  lotId: string,
  by: { actor: Actor | null; origin: WitnessOrigin },
): Promise<'closed' | 'not-yet'> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const hall = await store.lockHall(tx, lotId);
    if (!hall) throw new NotFound('OPENING_NOT_FOUND', { title: '开标大厅不存在' });
    if (!by.actor && (hall.state !== 'published' || hall.paused)) return 'not-yet';
    assertStep(hall.state, hall.paused, 'close-hall');
    const decryptions = await store.listDecryptions(tx, lotId);
    const confirmed = new Set(
      (await store.listConfirmations(tx, lotId))
        .filter((c) => c.party === 'bidder')
        .map((c) => c.organization_id),
    );
    const open = decryptions.filter((d) => !confirmed.has(d.organization_id));
    if (hall.confirm_until && now < hall.confirm_until && open.length > 0) {
      if (!by.actor) return 'not-yet';
      throw new RuleViolation('CONFIRM_WINDOW_OPEN', {
        title: '确认时间尚未结束',
        detail: `仍有投标人未确认开标记录；确认截止时间为 ${hall.confirm_until.toISOString()}。`,
        citation: CITATIONS.record,
      });
    }
    for (const d of open) {
      await store.insertConfirmationIfAbsent(tx, {
        id: randomUUID(),
        lot_id: lotId,
        party: 'bidder',
        organization_id: d.organization_id,
        account_id: null,
        method: 'silence',
        record_sm3: hall.record_sm3 ?? '',
        signature: null,
        certificate_fingerprint: null,
        confirmed_at: now,
      });
    }
    await store.updateHall(tx, lotId, { state: 'closed', closed_at: now }, now);
    await step(tx, {
      lotId,
      step: 'closed',
      from: 'published',
      to: 'closed',
      actor: by.actor,
      reason: null,
      at: now,
      origin: by.origin,
      payload: { acceptedBySilence: open.length, citation: CITATIONS.record },
    });
    return 'closed';
  });
}

/** The host records that a bid's failure to decrypt is not the bidder's fault (第三十一条), with a reason. */
export async function recordNotBidderCause(
  ctx: OpeningContext,
  lotId: string,
  bidId: string,
  reason: string,
) {
  const { actor } = await assertHost(ctx, lotId);
  const why = requireReason(reason, '非投标人原因');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (tx) => {
    const hall = await lockActiveHall(tx, lotId);
    if (hall.state !== 'decrypting') {
      throw new RuleViolation('OPENING_STEP_OUT_OF_ORDER', {
        title: '只能在解密阶段认定解密失败原因',
        citation: CITATIONS.failures,
      });
    }
    const d = await store.lockDecryption(tx, bidId);
    if (!d || d.lot_id !== lotId) throw new NotFound('BID_NOT_FOUND', { title: '投标文件不存在' });
    if (d.status !== 'pending' && d.status !== 'decrypted') {
      throw new RuleViolation('DECRYPTION_SETTLED', { title: '该投标文件的解密已有结论' });
    }
    await store.updateDecryption(tx, bidId, {
      not_bidder_cause: true,
      cause_reason: why,
      cause_recorded_by: actor.accountId,
    });
    await store.updateHall(tx, lotId, {}, now);
    await witness(tx, now, ctx.origin, OPENING_WITNESS_TYPE, lotId, 'opening.not-bidder-cause', {
      bidId,
      organizationId: d.organization_id,
      reason: why,
      citation: CITATIONS.failures,
    });
    await announce(tx, lotId);
  });
}

export { requireHall };

/** The recent halls this account may enter (the page's lot picker), newest opening first. */
export async function listMyHalls(ctx: OpeningContext) {
  requireSignedIn(ctx.actor);
  const out = [];
  for (const hall of await store.listHalls(ctx.db, 100)) {
    try {
      const viewer = await viewerOf(ctx, hall.lot_id);
      out.push({
        lotId: hall.lot_id,
        lotCode: hall.lot_code,
        lotName: hall.lot_name,
        openingAt: hall.opening_at.toISOString(),
        state: hall.state,
        viewer: viewer.kind,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
    if (out.length >= 30) break;
  }
  return out;
}
