import type { Kysely } from 'kysely';
import { listSequencedEvents, type SequencedEvent } from '../../platform/witness/index.ts';
import type { OpendataDb, OpendataDeps } from './context.ts';
import { upsertProcessFacts } from './deps.ts';
import { factsOfSnapshot } from './facts.ts';
import { buildRelease } from './ocds/index.ts';
import { readProcessSnapshot } from './snapshot.ts';
import * as store from './store.ts';
import type { ReleaseTrigger, ReleaseTriggerKind } from './types.ts';

/** The witness actions that make something of a process public (公开数据, §28). */
export const PUBLIC_ACTIONS = [
  'announcement.published',
  'opening.record-published',
  'opening.failed',
  'contract.signed',
] as const;

const ANNOUNCEMENT_TRIGGERS: Record<string, ReleaseTriggerKind> = {
  tender: 'tender',
  procurement: 'tender',
  prequalification: 'tender',
  invitation: 'tender',
  'single-source-notice': 'tender',
  change: 'amendment',
  correction: 'amendment',
  termination: 'cancellation',
  candidates: 'candidates',
  result: 'award',
  contract: 'contract',
  // 拍卖、挂牌、网络竞价 (published by trading/auctions through the tenders module).
  'transfer-notice': 'tender',
  extension: 'amendment',
  'deal-publicity': 'award',
  'no-deal': 'cancellation',
};

interface PublicEvent {
  lotId: string;
  trigger: ReleaseTrigger;
}

function parsePayload(event: SequencedEvent): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(event.payload);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** What a witness event publishes, or null when it publishes nothing this feed carries. */
export function publicEventOf(event: SequencedEvent): PublicEvent | null {
  const payload = parsePayload(event);
  const base = { at: event.occurredAt, eventId: event.id };
  switch (event.action) {
    case 'announcement.published': {
      const kind = ANNOUNCEMENT_TRIGGERS[String(payload.kind)];
      if (!kind || typeof payload.lotId !== 'string') return null;
      return { lotId: payload.lotId, trigger: { ...base, kind, announcementId: event.entityId } };
    }
    case 'opening.record-published':
      return { lotId: event.entityId, trigger: { ...base, kind: 'opening', announcementId: null } };
    case 'opening.failed':
      return { lotId: event.entityId, trigger: { ...base, kind: 'opening-failed', announcementId: null } };
    case 'contract.signed':
      if (typeof payload.lotId !== 'string') return null;
      return { lotId: payload.lotId, trigger: { ...base, kind: 'contract', announcementId: null } };
    default:
      return null;
  }
}

export interface ProjectionResult {
  /** Witness events read. */
  events: number;
  /** Releases appended to the feed. */
  releases: number;
}

/**
 * Follows the witness log (sequenced, so in commit order) and appends a release for each event that made
 * something public, under the projection row's lock: one projector at a time across instances, each
 * release numbered after the last, the position moved in the same transaction — so the feed has no gap,
 * no duplicate, and the order of the log. A release describes the process as it was public at the event
 * (`readProcessSnapshot(…, event time)`), so a late run publishes nothing earlier than the law allows.
 */
export async function projectOpenData(
  deps: Pick<OpendataDeps, 'db' | 'sealer' | 'ocidPrefix' | 'clock'> & { publicUrl?: string | null },
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<ProjectionResult> {
  const batchSize = opts.batchSize ?? 200;
  const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  const result: ProjectionResult = { events: 0, releases: 0 };
  for (let batch = 0; batch < maxBatches; batch++) {
    const done = await deps.db.transaction().execute(async (tx) => {
      const last = await store.lockProjection(tx);
      const events = await listSequencedEvents(tx as unknown as Kysely<never>, {
        after: last,
        limit: batchSize,
        actions: PUBLIC_ACTIONS,
      });
      if (events.length === 0) return true;
      let seq = await store.maxSeq(tx);
      const txDeps = { ...deps, db: tx as unknown as Kysely<OpendataDb> };
      for (const event of events) {
        result.events++;
        const found = publicEventOf(event);
        if (!found) continue;
        const snapshot = await readProcessSnapshot(txDeps, found.lotId, found.trigger.at);
        if (!snapshot) continue;
        // An announcement the disclosure catalog does not list (投标邀请书) publishes nothing.
        if (
          found.trigger.announcementId &&
          !snapshot.announcements.some((a) => a.id === found.trigger.announcementId)
        )
          continue;
        const release = buildRelease(snapshot, found.trigger, undefined, {
          ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
        });
        seq++;
        await store.insertRelease(tx, {
          seq,
          release_id: release.id,
          ocid: snapshot.ocid,
          lot_id: snapshot.lot.id,
          trigger_kind: found.trigger.kind,
          witness_event_id: event.id,
          published_at: found.trigger.at,
          release: JSON.stringify(release),
        });
        // The process's latest public state is read now (what the law has made public so far).
        const latest = (await readProcessSnapshot(txDeps, found.lotId, deps.clock.now())) ?? snapshot;
        await store.upsertProcess(tx, {
          lot_id: snapshot.lot.id,
          ocid: snapshot.ocid,
          snapshot: JSON.stringify(latest),
          updated_at: deps.clock.now(),
        });
        await upsertProcessFacts(tx, [factsOfSnapshot(latest)]);
        result.releases++;
      }
      await store.setLastLeafIndex(tx, events[events.length - 1]!.leafIndex, deps.clock.now());
      return events.length < batchSize;
    });
    if (done) break;
  }
  return result;
}
