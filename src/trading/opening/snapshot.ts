import { CITATIONS, CONFIRM_WINDOW_MINUTES, type OpeningContext } from './context.ts';
import { getLotTimeline } from './deps.ts';
import { ensureHall } from './hall.ts';
import type { Viewer } from './policy.ts';
import { allowedSteps, HALL_STATE_NAMES_ZH, type HostStep, isRevealed, STEP_NAMES_ZH } from './states.ts';
import * as store from './store.ts';

const DECRYPTION_STATUS_NAMES_ZH: Record<store.DecryptionRow['status'], string> = {
  pending: '待解密',
  decrypted: '已解密',
  'awaiting-fallback': '待备用解密',
  'fallback-decrypted': '已备用解密',
  revoked: '视为撤销',
  withdrawn: '视为撤回',
};

/**
 * What one viewer sees of the hall, now. Before the reveal it holds nothing about who has bid or how
 * many: the hall's state and times, and the viewer's own sign-in — for everyone, host included.
 */
export async function buildSnapshot(ctx: OpeningContext, lotId: string, viewer: Viewer) {
  const now = ctx.clock.now();
  const hall = await ensureHall(ctx, lotId);
  if (!hall) {
    const timeline = await getLotTimeline(ctx.db, lotId);
    return {
      lotId,
      serverTime: now.toISOString(),
      version: 0,
      hall: {
        state: 'scheduled' as const,
        stateNameZh: HALL_STATE_NAMES_ZH.scheduled,
        openingAt: timeline?.openingAt.toISOString() ?? null,
        lotCode: timeline?.lotCode ?? null,
        lotName: null,
        paused: false,
        pauseReason: null,
        decryptUntil: null,
        confirmUntil: null,
      },
      viewer: {
        kind: viewer.kind,
        signedIn: false,
        nextSteps: [] as { step: HostStep; nameZh: string }[],
        ownBidId: null,
      },
      revealed: null,
      citations: CITATIONS,
    };
  }
  const attendance =
    viewer.kind === 'bidder' ? await store.findAttendance(ctx.db, lotId, viewer.organizationId) : undefined;
  const revealed = isRevealed(hall.state);
  const decryptions = revealed ? await store.listDecryptions(ctx.db, lotId) : [];
  const confirmations = revealed ? await store.listConfirmations(ctx.db, lotId) : [];
  const own =
    viewer.kind === 'bidder'
      ? decryptions.find((d) => d.organization_id === viewer.organizationId)
      : undefined;

  let nextSteps: HostStep[] = [];
  if (viewer.kind === 'host') {
    nextSteps = allowedSteps(hall.state, hall.paused).filter((step) => {
      if (step === 'close-decryption') {
        return (
          (hall.decrypt_until !== null && now >= hall.decrypt_until) ||
          decryptions.every((d) => d.status !== 'pending')
        );
      }
      if (step === 'close-hall') {
        const confirmed = new Set(
          confirmations.filter((c) => c.party === 'bidder').map((c) => c.organization_id),
        );
        return (
          (hall.confirm_until !== null && now >= hall.confirm_until) ||
          decryptions.every((d) => confirmed.has(d.organization_id))
        );
      }
      return true;
    });
  }

  return {
    lotId,
    serverTime: now.toISOString(),
    version: hall.version,
    hall: {
      state: hall.state,
      stateNameZh: HALL_STATE_NAMES_ZH[hall.state],
      openingAt: hall.opening_at.toISOString(),
      lotCode: hall.lot_code,
      lotName: hall.lot_name,
      paused: hall.paused,
      pauseReason: hall.pause_reason,
      decryptUntil: hall.decrypt_until?.toISOString() ?? null,
      confirmUntil: hall.confirm_until?.toISOString() ?? null,
    },
    viewer: {
      kind: viewer.kind,
      signedIn: Boolean(attendance),
      nextSteps: nextSteps.map((step) => ({ step, nameZh: STEP_NAMES_ZH[step] })),
      ownBidId: own?.bid_id ?? null,
    },
    revealed: revealed ? await revealedPart(ctx, hall, decryptions, confirmations) : null,
    citations: CITATIONS,
  };
}

async function revealedPart(
  ctx: OpeningContext,
  hall: store.HallRow,
  decryptions: store.DecryptionRow[],
  confirmations: Awaited<ReturnType<typeof store.listConfirmations>>,
) {
  const lotId = hall.lot_id;
  const [attendance, entries, objections, parts, steps] = await Promise.all([
    store.listAttendance(ctx.db, lotId),
    store.listEntries(ctx.db, lotId),
    store.listObjections(ctx.db, lotId),
    store.listPartsOfLot(ctx.db, lotId),
    store.listSteps(ctx.db, lotId),
  ]);
  const signedIn = new Set(attendance.map((a) => a.organization_id));
  const confirmedBy = new Map(
    confirmations.filter((c) => c.party === 'bidder').map((c) => [c.organization_id, c]),
  );
  const partsOf = new Map<string, typeof parts>();
  for (const p of parts) partsOf.set(p.bid_id, [...(partsOf.get(p.bid_id) ?? []), p]);
  return {
    bidCount: hall.bid_count,
    minimum: hall.minimum_bids,
    minimumCitation: hall.minimum_citation,
    failedReason: hall.failed_reason,
    confirmWindowMinutes: CONFIRM_WINDOW_MINUTES,
    bidders: decryptions.map((d) => {
      const own = partsOf.get(d.bid_id) ?? [];
      return {
        seq: d.seq,
        bidId: d.bid_id,
        bidderName: d.bidder_name,
        creditCode: d.credit_code,
        signedIn: signedIn.has(d.organization_id),
        status: d.status,
        statusNameZh: DECRYPTION_STATUS_NAMES_ZH[d.status],
        attempts: d.attempts,
        lastError: d.last_error,
        notBidderCause: d.not_bidder_cause,
        causeReason: d.cause_reason,
        settledReason: d.settled_reason,
        parts: own.map((p) => ({ no: p.no, kind: p.kind, name: p.name, status: p.status, error: p.error })),
        confirmation: confirmedBy.get(d.organization_id)?.method ?? null,
      };
    }),
    entries: entries.map((e) => ({
      seq: e.seq,
      bidId: e.bid_id,
      bidderName: e.bidder_name,
      creditCode: e.credit_code,
      priceYuan: e.price_yuan,
      fields: e.fields as Record<string, string>,
      decryptedVia: e.decrypted_via,
      recordedAt: e.recorded_at.toISOString(),
      voidReason: e.void_reason,
    })),
    objections: objections.map((o) => ({
      id: o.id,
      seq: o.seq,
      bidderName: o.bidder_name,
      text: o.text,
      raisedAt: o.raised_at.toISOString(),
      answer: o.answer,
      answeredAt: o.answered_at?.toISOString() ?? null,
    })),
    record: hall.record_sm3
      ? {
          sm3: hall.record_sm3,
          keyId: hall.record_key_id,
          publishedAt: hall.published_at?.toISOString() ?? null,
        }
      : null,
    hostConfirmed: confirmations.some((c) => c.party === 'host'),
    hostSigned: confirmations.some((c) => c.party === 'host' && c.method === 'sm2-signature'),
    steps: steps.map((s) => ({
      step: s.step,
      from: s.from_state,
      to: s.to_state,
      at: s.at.toISOString(),
      reason: s.reason,
    })),
  };
}

export type OpeningSnapshot = Awaited<ReturnType<typeof buildSnapshot>>;
