/**
 * Which project (and lot) a witness event concerns — the rules, in order (docs/oversight.md §映射规则):
 *
 *   1. platform records (accounts, catalogs, experts, certificates …) concern no project: skipped unread;
 *   2. ('project', id): the project itself;
 *   3. types whose entity id IS the lot's id ('lot', 'tender', 'bid-settings', 'opening', 'evaluation',
 *      'award' — each module's witness type for its per-lot record);
 *   4. a `lotId` in the payload (announcements, bookings, objections, draws, contracts, clarifications,
 *      this module's violations, and most events of later modules); then a `projectId` in the payload;
 *   5. an earlier event of the same record already tied to a lot (a draw's `expert-draw.committed` after
 *      its `expert-draw.requested`; a contract's signatures after `contract.drafted`);
 *   6. a reference in the payload (`drawId`, `contractId`, `announcementId` … any top-level `…Id`) to a
 *      record already tied to a lot (an expert assignment through its draw);
 *   7. a type not known here whose entity id happens to be a lot's id.
 *
 * Records sealed before the opening are deliberately NOT tied to a lot, whatever their payload says (bids,
 * uploads, deposit accounts and transfers, document downloads, sign-ins before the reveal, credit checks
 * of registering or bidding parties): their modules keep the lot out of the log so that nobody — the live
 * view included — learns who or how many obtained the documents or bid before the opening (招标投标法第
 * 二十二条). What they lead to appears on the timeline with the opening.
 */

/** Never about one project: skipped without a lookup. */
export const PLATFORM_TYPES: ReadonlySet<string> = new Set([
  'account',
  'organization',
  'session',
  'grant',
  'cert-binding',
  'trusted-ca',
  'blob',
  'job',
  'platform',
  'platform-catalog',
  'trading-catalog',
  'trading-catalog-change',
  'disclosure-catalog',
  'market-entity',
  'expert',
  'expert-import',
  'expert-application',
  'third-party-system',
  'interface-push',
  'opendata-webhook',
  'supervisor-scope',
  'venue-room',
  'draw-rule',
  'deposit-institution',
  'duty-list',
  'oversight-settings',
]);

/** The entity id of these types is the lot's id. */
export const LOT_ID_TYPES: ReadonlySet<string> = new Set([
  'lot',
  'tender',
  'bid-settings',
  'opening',
  'evaluation',
  'award',
]);

/** Sealed before the opening: the log does not tie them to a lot, and neither does this index. */
export const SEALED_TYPES: ReadonlySet<string> = new Set([
  'bid',
  'bid-upload',
  'deposit-account',
  'deposit-transfer',
  'deposit-guarantee',
  'deposit-refund',
  'deposit-signal',
  'tender-download',
  'tender-invitation',
  'opening-attendance',
  // A credit check at registration or bid time names the parties and the lot; it is not shown on a lot's
  // live view or timeline (the credit module's own screens show the checks to whoever may see them).
  'credit-check',
  // 竞买申请: how many have registered for an auction is secret until its close (the auction's own host
  // view counts them without names; the result names the winner).
  'auction-registration',
]);

/** Payload ids that name a party or a key, never a record of a lot. */
const NOT_REFERENCES: ReadonlySet<string> = new Set([
  'organizationId',
  'accountId',
  'institutionId',
  'keyId',
  'winnerOrganizationId',
  'memberId',
  'candidateId',
  'bidId',
  'lotId',
  'projectId',
]);

export type MappedBy =
  | 'project-entity'
  | 'lot-entity'
  | 'payload-lot'
  | 'payload-project'
  | 'entity-link'
  | 'payload-reference'
  | 'entity-is-lot';

export interface EventSubject {
  projectId: string;
  lotId: string | null;
  mappedBy: MappedBy;
}

export interface MappableEvent {
  entityType: string;
  entityId: string;
  payload: string;
}

/** What the rules look up (cached by the indexer). */
export interface SubjectLookup {
  /** The project of a lot, or null when there is no such lot. */
  projectOfLot(lotId: string): Promise<string | null>;
  projectExists(projectId: string): Promise<boolean>;
  /** A record already tied to a project/lot. */
  linkOf(entityType: string, entityId: string): Promise<{ projectId: string; lotId: string | null } | null>;
  /** Any record with one of these ids already tied to a project/lot. */
  linkOfAnyId(entityIds: string[]): Promise<{ projectId: string; lotId: string | null } | null>;
}

function parse(payload: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(payload);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch (error) {
    if (error instanceof SyntaxError) return {};
    throw error;
  }
}

const ID_SHAPE = /^[A-Za-z0-9-]{8,64}$/;

export async function resolveSubject(
  event: MappableEvent,
  lookup: SubjectLookup,
): Promise<EventSubject | null> {
  const { entityType, entityId } = event;
  if (PLATFORM_TYPES.has(entityType)) return null;

  if (entityType === 'project') {
    return (await lookup.projectExists(entityId))
      ? { projectId: entityId, lotId: null, mappedBy: 'project-entity' }
      : null;
  }
  if (LOT_ID_TYPES.has(entityType)) {
    const projectId = await lookup.projectOfLot(entityId);
    if (projectId) return { projectId, lotId: entityId, mappedBy: 'lot-entity' };
  }

  // What is sealed before the opening stays untied, whatever its payload says.
  if (SEALED_TYPES.has(entityType)) return null;

  const payload = parse(event.payload);
  if (typeof payload.lotId === 'string') {
    const projectId = await lookup.projectOfLot(payload.lotId);
    if (projectId) return { projectId, lotId: payload.lotId, mappedBy: 'payload-lot' };
  }
  if (typeof payload.projectId === 'string' && (await lookup.projectExists(payload.projectId))) {
    return { projectId: payload.projectId, lotId: null, mappedBy: 'payload-project' };
  }
  const linked = await lookup.linkOf(entityType, entityId);
  if (linked) return { ...linked, mappedBy: 'entity-link' };

  const references = Object.entries(payload)
    .filter(([key, value]) => key.endsWith('Id') && !NOT_REFERENCES.has(key) && typeof value === 'string')
    .map(([, value]) => value as string)
    .filter((value) => ID_SHAPE.test(value));
  if (references.length > 0) {
    const referenced = await lookup.linkOfAnyId(references);
    if (referenced) return { ...referenced, mappedBy: 'payload-reference' };
  }

  if (!LOT_ID_TYPES.has(entityType) && ID_SHAPE.test(entityId)) {
    const projectId = await lookup.projectOfLot(entityId);
    if (projectId) return { projectId, lotId: entityId, mappedBy: 'entity-is-lot' };
  }
  return null;
}
