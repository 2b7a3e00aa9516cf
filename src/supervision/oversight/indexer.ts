import type { Insertable, Kysely } from 'kysely';
import type { Clock } from '../../platform/clock/index.ts';
import { listSequencedEvents } from '../../platform/witness/index.ts';
import type { ReadDb, Tx } from './context.ts';
import { findLot, type LotSummary, listLotsOfProject, type ProjectsTables } from './deps.ts';
import { resolveSubject, type SubjectLookup } from './mapping.ts';
import * as store from './store.ts';
import type {
  OversightEntityLinksTable,
  OversightEventsTable,
  OversightLotsTable,
  OversightProjectsTable,
} from './tables.ts';

export interface IndexResult {
  /** Events looked at by this call. */
  read: number;
  /** Of those, events tied to a project. */
  indexed: number;
  indexedThrough: number;
  /** Another instance was indexing; this call did nothing. */
  busy: boolean;
}

/** The lookups of one batch, cached: a lot's project never changes, so it is asked once. */
class BatchLookup implements SubjectLookup {
  readonly lots = new Map<string, LotSummary | null>();
  readonly projectLots = new Map<string, LotSummary | null>();
  readonly #tx: Tx;
  /** The same transaction as the projects module's functions type it. */
  readonly #projects: Kysely<ProjectsTables>;
  readonly #links = new Map<string, { projectId: string; lotId: string | null }>();

  constructor(tx: Tx) {
    this.#tx = tx;
    this.#projects = tx as unknown as Kysely<ProjectsTables>;
  }

  async lot(lotId: string): Promise<LotSummary | null> {
    if (!this.lots.has(lotId)) this.lots.set(lotId, await findLot(this.#projects, lotId));
    return this.lots.get(lotId) ?? null;
  }

  async projectOfLot(lotId: string): Promise<string | null> {
    return (await this.lot(lotId))?.projectId ?? null;
  }

  /** A project is known by any of its lots (region and 交易目录 live on the project, read through a lot). */
  async anyLotOfProject(projectId: string): Promise<LotSummary | null> {
    if (!this.projectLots.has(projectId)) {
      const first = (await listLotsOfProject(this.#projects, projectId))[0];
      this.projectLots.set(projectId, first ? await this.lot(first.id) : null);
    }
    return this.projectLots.get(projectId) ?? null;
  }

  async projectExists(projectId: string): Promise<boolean> {
    return (await this.anyLotOfProject(projectId)) !== null;
  }

  remember(entityType: string, entityId: string, link: { projectId: string; lotId: string | null }) {
    this.#links.set(`${entityType}\u0000${entityId}`, link);
  }

  async linkOf(entityType: string, entityId: string) {
    const local = this.#links.get(`${entityType}\u0000${entityId}`);
    if (local) return local;
    const row = await store.findLink(this.#tx, entityType, entityId);
    return row ? { projectId: row.project_id, lotId: row.lot_id } : null;
  }

  async linkOfAnyId(entityIds: string[]) {
    for (const [key, link] of this.#links) {
      if (entityIds.includes(key.slice(key.indexOf('\u0000') + 1))) return link;
    }
    const row = await store.findLinkByIds(this.#tx, entityIds);
    return row ? { projectId: row.project_id, lotId: row.lot_id } : null;
  }
}

/** Types whose id is the lot's or the project's: no link is needed to find them again. */
const SELF_KEYED = new Set(['project', 'lot', 'tender', 'bid-settings', 'opening', 'evaluation', 'award']);

/**
 * Follows the sequenced witness log from the index's position and records each event that concerns a
 * project, with the project's and lot's current names and scope. One indexer at a time across instances
 * (the cursor row's lock; a second caller returns at once as `busy`); each batch moves the position in
 * the same transaction as its rows, so the index never has a gap or a double. Safe to call from a read
 * path: with nothing new it is one locked read.
 */
export async function catchUpIndex(
  db: ReadDb,
  clock: Clock,
  opts: { batchSize?: number; maxBatches?: number } = {},
): Promise<IndexResult> {
  const batchSize = opts.batchSize ?? 500;
  const maxBatches = opts.maxBatches ?? Number.POSITIVE_INFINITY;
  const result: IndexResult = { read: 0, indexed: 0, indexedThrough: -1, busy: false };
  for (let batch = 0; batch < maxBatches; batch++) {
    const done = await db.transaction().execute(async (tx) => {
      const after = await store.lockCursor(tx);
      if (after === null) {
        result.busy = true;
        return true;
      }
      result.indexedThrough = after;
      const events = await listSequencedEvents(tx as unknown as Kysely<never>, {
        ...(after >= 0 ? { after } : {}),
        limit: batchSize,
      });
      if (events.length === 0) return true;

      const lookup = new BatchLookup(tx);
      const rows: Insertable<OversightEventsTable>[] = [];
      const links: Insertable<OversightEntityLinksTable>[] = [];
      const touchedLots = new Map<string, { leafIndex: number; at: Date }>();
      const touchedProjects = new Set<string>();
      for (const event of events) {
        const subject = await resolveSubject(event, lookup);
        if (!subject) continue;
        rows.push({
          leaf_index: event.leafIndex,
          event_id: event.id,
          project_id: subject.projectId,
          lot_id: subject.lotId,
          occurred_at: event.occurredAt,
          entity_type: event.entityType,
          entity_id: event.entityId,
          action: event.action,
          actor_role: event.actorRole,
          actor_organization_id: event.actorOrganizationId,
          payload: event.payload,
          mapped_by: subject.mappedBy,
        });
        touchedProjects.add(subject.projectId);
        if (subject.lotId)
          touchedLots.set(subject.lotId, { leafIndex: event.leafIndex, at: event.occurredAt });
        if (!SELF_KEYED.has(event.entityType)) {
          const link = { projectId: subject.projectId, lotId: subject.lotId };
          lookup.remember(event.entityType, event.entityId, link);
          links.push({
            entity_type: event.entityType,
            entity_id: event.entityId,
            project_id: subject.projectId,
            lot_id: subject.lotId,
          });
        }
      }

      // Projects and lots as they are now: a reclassification (受理 may change the 交易目录 item) moves
      // the whole history into the new scope.
      const now = clock.now();
      const projects: Insertable<OversightProjectsTable>[] = [];
      for (const projectId of touchedProjects) {
        const lot = await lookup.anyLotOfProject(projectId);
        if (!lot) continue;
        projects.push({
          project_id: projectId,
          project_code: lot.projectCode,
          project_name: lot.projectName,
          region_code: lot.regionCode,
          catalog_item_code: lot.catalogItemCode,
          regulator: lot.regulator,
          updated_at: now,
        });
      }
      const lots: Insertable<OversightLotsTable>[] = [];
      for (const [lotId, last] of touchedLots) {
        const lot = await lookup.lot(lotId);
        if (!lot) continue;
        lots.push({
          lot_id: lotId,
          project_id: lot.projectId,
          lot_code: lot.code,
          lot_name: lot.name,
          procedure_type: lot.procedureType,
          last_leaf_index: last.leafIndex,
          last_event_at: last.at,
        });
      }
      await store.upsertProjects(tx, projects);
      await store.upsertLots(tx, lots);
      await store.insertEvents(tx, rows);
      await store.insertLinks(tx, dedupeLinks(links));
      const through = events[events.length - 1]!.leafIndex;
      await store.setCursor(tx, through, now);
      result.read += events.length;
      result.indexed += rows.length;
      result.indexedThrough = through;
      return events.length < batchSize;
    });
    if (done) break;
  }
  if (result.indexedThrough < 0 && result.busy) result.indexedThrough = await store.readCursor(db);
  return result;
}

function dedupeLinks(links: Insertable<OversightEntityLinksTable>[]) {
  const seen = new Map<string, Insertable<OversightEntityLinksTable>>();
  for (const link of links) {
    const key = `${link.entity_type}\u0000${link.entity_id}`;
    if (!seen.has(key)) seen.set(key, link);
  }
  return [...seen.values()];
}
