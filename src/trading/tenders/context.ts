import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { BlobStore, BlobTables } from '../../platform/blobs/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import { enqueueJob, type JobTables } from '../../platform/jobs/index.ts';
import { appendWitnessEvent, type WitnessOrigin, type WitnessTables } from '../../platform/witness/index.ts';
import type {
  CatalogsTables,
  EntitiesTables,
  PartyEligibility,
  ProceduresTables,
  ProcedureType,
  ProjectsTables,
  VenuesTables,
} from './deps.ts';
import { getProcedure, tenderLawOf } from './deps.ts';
import * as store from './store.ts';
import type { TendersTables } from './tables.ts';

export type TendersDb = TendersTables &
  WitnessTables &
  JobTables &
  BlobTables &
  IdentityTables &
  EntitiesTables &
  ProjectsTables &
  ProceduresTables &
  CatalogsTables &
  VenuesTables;

export type Tx = Transaction<TendersDb>;
export type TendersContext = UseCaseContext<TendersDb> & {
  blobs: BlobStore;
  /** The credit gate (§43), consulted when a party obtains the documents; the routes always pass it. */
  eligibility?: PartyEligibility;
};

/** Witness events about a lot's tender carry this entity type and the lot id. */
export const TENDER_WITNESS_TYPE = 'tender';
export const ANNOUNCEMENT_WITNESS_TYPE = 'announcement';

export function witness(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  entityType: string,
  entityId: string,
  action: string,
  payload: unknown,
) {
  return appendWitnessEvent(tx, at, origin, { entityType, entityId, action, payload });
}

/** The job that moves a lot's timeline; one per deadline instant (dedupe), harmless if it runs again. */
export const TIMELINE_TICK_JOB = 'tenders.timeline-tick';
export const OBJECTION_OVERDUE_JOB = 'tenders.objection-overdue';

export async function scheduleTimelineTicks(tx: Tx, lotId: string, instants: Date[]): Promise<void> {
  for (const at of instants) {
    await enqueueJob(tx, {
      type: TIMELINE_TICK_JOB,
      payload: { lotId },
      runAt: at,
      dedupeKey: `${TIMELINE_TICK_JOB}:${lotId}:${at.toISOString()}`,
    });
  }
}

/**
 * Notices to organisations (a row each), witnessed as one event that names neither the organisations nor
 * their number: before the opening, who obtained the documents is secret even in the log.
 */
export async function notifyOrganizations(
  tx: Tx,
  at: Date,
  origin: WitnessOrigin,
  input: {
    lotId: string;
    organizationIds: string[];
    kind: string;
    title: string;
    body: string;
    referenceId: string | null;
  },
): Promise<number> {
  const rows = [...new Set(input.organizationIds)].map((organizationId) => ({
    id: randomUUID(),
    lot_id: input.lotId,
    organization_id: organizationId,
    kind: input.kind,
    title: input.title,
    body: input.body,
    reference_id: input.referenceId,
    created_at: at,
  }));
  await store.insertNotifications(tx, rows);
  await witness(tx, at, origin, TENDER_WITNESS_TYPE, input.lotId, 'tender.notified', {
    kind: input.kind,
    referenceId: input.referenceId,
  });
  return rows.length;
}

export type Law = 'works' | 'gp';

export function lawOf(type: ProcedureType): Law {
  return tenderLawOf(type);
}

/** Citations of the rules this module enforces itself (the time limits are the procedures module's). */
export const CITATIONS = {
  documentsPeriod: {
    works: '《中华人民共和国招标投标法实施条例》第十六条',
    gp: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十八条',
  },
  downloadersSecret: {
    works: '《中华人民共和国招标投标法》第二十二条',
    gp: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十八条',
  },
  termination: {
    works: '《中华人民共和国招标投标法实施条例》第三十一条',
    gp: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十九条',
  },
  clarification: {
    works: '《中华人民共和国招标投标法实施条例》第二十一条',
    gp: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十七条',
  },
  objection: '《中华人民共和国招标投标法实施条例》第二十二条',
  documentsOnline: '《电子招标投标办法》第十八条',
  immutable: '《内蒙古自治区公共资源交易管理办法》第十六条；《中华人民共和国招标投标法实施条例》第二十一条',
  responderRegistered: '《内蒙古自治区公共资源交易管理办法》第三十条',
} as const;

export type ReadDb = Kysely<TendersDb>;
