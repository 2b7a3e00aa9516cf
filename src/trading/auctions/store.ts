import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { AuctionsTables } from './tables.ts';

/** SQL on this module's own tables, and only here. */
type D = Db<AuctionsTables>;

export type AuctionRow = Selectable<AuctionsTables['auctions']>;
export type RegistrationRow = Selectable<AuctionsTables['auction_registrations']>;
export type BidRow = Selectable<AuctionsTables['auction_bids']>;
export type ResultRow = Selectable<AuctionsTables['auction_results']>;
export type NoticeRow = Selectable<AuctionsTables['auction_notices']>;
export type StepChangeRow = Selectable<AuctionsTables['auction_step_changes']>;

export function findAuction(db: D, id: string): Promise<AuctionRow | undefined> {
  return db.selectFrom('auctions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAuctionByLot(db: D, lotId: string): Promise<AuctionRow | undefined> {
  return db.selectFrom('auctions').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

/** The per-auction writer lock: every change of an auction's state is made holding it. */
export function lockAuction(db: D, id: string): Promise<AuctionRow | undefined> {
  return db.selectFrom('auctions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The writer locks of several auctions (the bid writer's batch), taken in id order so that batches never deadlock. */
export function lockAuctions(db: D, ids: string[]): Promise<AuctionRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('auctions').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export async function insertAuction(db: D, row: Insertable<AuctionsTables['auctions']>): Promise<void> {
  await db.insertInto('auctions').values(row).execute();
}

export async function updateAuction(
  db: D,
  id: string,
  patch: Updateable<AuctionsTables['auctions']>,
): Promise<void> {
  await db.updateTable('auctions').set(patch).where('id', '=', id).execute();
}

/** An auction's price state after a bid writer's batch. */
export type AuctionBidState = Pick<
  AuctionRow,
  | 'id'
  | 'current_price_yuan'
  | 'leader_registration_id'
  | 'floor_yuan'
  | 'seq'
  | 'chain_head'
  | 'phase'
  | 'phase_ends_at'
  | 'countdown_ends_at'
  | 'version'
  | 'updated_at'
>;

/** Writes the price state of several auctions with one statement (`update … from (values …)`). */
export async function updateAuctionBidStates(db: D, states: AuctionBidState[]): Promise<void> {
  if (states.length === 0) return;
  const values = states.map(
    (s) =>
      sql`(${s.id}, ${s.current_price_yuan}::numeric, ${s.leader_registration_id}::text, ${s.floor_yuan}::numeric, ${s.seq}::integer, ${s.chain_head}, ${s.phase}::text, ${s.phase_ends_at}::timestamptz, ${s.countdown_ends_at}::timestamptz, ${s.version}::integer, ${s.updated_at}::timestamptz)`,
  );
  await sql`
    update auctions as a set
      current_price_yuan = v.current_price_yuan, leader_registration_id = v.leader_registration_id,
      floor_yuan = v.floor_yuan, seq = v.seq, chain_head = v.chain_head, phase = v.phase,
      phase_ends_at = v.phase_ends_at, countdown_ends_at = v.countdown_ends_at, version = v.version,
      updated_at = v.updated_at
    from (values ${sql.join(values)}) as v(id, current_price_yuan, leader_registration_id, floor_yuan, seq,
      chain_head, phase, phase_ends_at, countdown_ends_at, version, updated_at)
    where a.id = v.id`.execute(db);
}

export function findRegistrationByRef(
  db: D,
  auctionId: string,
  bidderRef: string,
): Promise<RegistrationRow | undefined> {
  return db
    .selectFrom('auction_registrations')
    .selectAll()
    .where('auction_id', '=', auctionId)
    .where('bidder_ref', '=', bidderRef)
    .executeTakeFirst();
}

/** Registrations by (auction, bidder_ref), keyed `${auctionId}\u0000${bidderRef}`. */
export async function findRegistrationsByRef(
  db: D,
  keys: { auctionId: string; bidderRef: string }[],
): Promise<Map<string, RegistrationRow>> {
  const out = new Map<string, RegistrationRow>();
  if (keys.length === 0) return out;
  const rows = await db
    .selectFrom('auction_registrations')
    .selectAll()
    .where('auction_id', 'in', [...new Set(keys.map((k) => k.auctionId))])
    .where('bidder_ref', 'in', [...new Set(keys.map((k) => k.bidderRef))])
    .execute();
  for (const row of rows) out.set(`${row.auction_id}\u0000${row.bidder_ref}`, row);
  return out;
}

export function findRegistration(db: D, id: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('auction_registrations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertRegistration(
  db: D,
  row: Insertable<AuctionsTables['auction_registrations']>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('auction_registrations')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function updateRegistration(
  db: D,
  id: string,
  patch: Updateable<AuctionsTables['auction_registrations']>,
): Promise<void> {
  await db.updateTable('auction_registrations').set(patch).where('id', '=', id).execute();
}

export function listRegistrations(db: D, auctionId: string): Promise<RegistrationRow[]> {
  return db
    .selectFrom('auction_registrations')
    .selectAll()
    .where('auction_id', '=', auctionId)
    .orderBy('registered_at')
    .orderBy('id')
    .execute();
}

export function listRegistrationsOfOrganization(db: D, organizationRef: string) {
  return db
    .selectFrom('auction_registrations as r')
    .innerJoin('auctions as a', 'a.id', 'r.auction_id')
    .select([
      'r.id as registration_id',
      'r.pseudonym',
      'r.status as registration_status',
      'r.registered_at',
      'a.id',
      'a.lot_id',
      'a.title',
      'a.status',
      'a.phase',
      'a.procedure_type',
      'a.bidding_starts_at',
      'a.countdown_ends_at',
      'a.phase_ends_at',
      'a.current_price_yuan',
    ])
    .where('r.organization_ref', '=', organizationRef)
    .orderBy('r.registered_at', 'desc')
    .limit(500)
    .execute();
}

export function listAuctionsOfOrganization(db: D, organizationId: string): Promise<AuctionRow[]> {
  return db
    .selectFrom('auctions')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('initiator_organization_id', '=', organizationId),
        eb('agency_organization_id', '=', organizationId),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
}

export function listAllAuctions(db: D): Promise<AuctionRow[]> {
  return db.selectFrom('auctions').selectAll().orderBy('created_at', 'desc').limit(500).execute();
}

export async function insertBid(db: D, row: Insertable<AuctionsTables['auction_bids']>): Promise<void> {
  await db.insertInto('auction_bids').values(row).execute();
}

export async function insertBids(db: D, rows: Insertable<AuctionsTables['auction_bids']>[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('auction_bids').values(rows).execute();
}

/** Bids after `sinceSeq` (all when null), at most `limit`, the latest ones when there are more. */
export async function listBids(
  db: D,
  auctionId: string,
  sinceSeq: number | null,
  limit: number,
): Promise<BidRow[]> {
  let q = db.selectFrom('auction_bids').selectAll().where('auction_id', '=', auctionId);
  if (sinceSeq !== null) q = q.where('seq', '>', sinceSeq);
  const rows = await q.orderBy('seq', 'desc').limit(limit).execute();
  return rows.reverse();
}

/** Bids with their pseudonyms, for the room (see listBids). */
export async function listPublicBids(db: D, auctionId: string, sinceSeq: number | null, limit: number) {
  let q = db
    .selectFrom('auction_bids as b')
    .innerJoin('auction_registrations as r', 'r.id', 'b.registration_id')
    .select(['b.seq', 'b.amount_yuan', 'b.at', 'b.phase', 'b.kind', 'r.pseudonym'])
    .where('b.auction_id', '=', auctionId);
  if (sinceSeq !== null) q = q.where('b.seq', '>', sinceSeq);
  const rows = await q.orderBy('b.seq', 'desc').limit(limit).execute();
  return rows.reverse();
}

export function listBidsOfRegistration(db: D, auctionId: string, registrationId: string): Promise<BidRow[]> {
  return db
    .selectFrom('auction_bids')
    .selectAll()
    .where('auction_id', '=', auctionId)
    .where('registration_id', '=', registrationId)
    .orderBy('seq')
    .execute();
}

export function listAllBids(db: D, auctionId: string): Promise<BidRow[]> {
  return db
    .selectFrom('auction_bids')
    .selectAll()
    .where('auction_id', '=', auctionId)
    .orderBy('seq')
    .execute();
}

export async function hasBid(
  db: D,
  auctionId: string,
  registrationId: string,
  kind?: string,
): Promise<boolean> {
  let q = db
    .selectFrom('auction_bids')
    .select('seq')
    .where('auction_id', '=', auctionId)
    .where('registration_id', '=', registrationId);
  if (kind) q = q.where('kind', '=', kind as 'bid');
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/** Registrations that placed at least one bid (of the given kinds). */
export async function registrationsWithBids(db: D, auctionId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('auction_bids')
    .select('registration_id')
    .distinct()
    .where('auction_id', '=', auctionId)
    .where('kind', '!=', 'sealed')
    .execute();
  return new Set(rows.map((r) => r.registration_id));
}

export async function insertResult(db: D, row: Insertable<AuctionsTables['auction_results']>): Promise<void> {
  await db.insertInto('auction_results').values(row).execute();
}

export function findResult(db: D, auctionId: string): Promise<ResultRow | undefined> {
  return db.selectFrom('auction_results').selectAll().where('auction_id', '=', auctionId).executeTakeFirst();
}

export async function updateResult(
  db: D,
  auctionId: string,
  patch: Updateable<AuctionsTables['auction_results']>,
): Promise<void> {
  await db.updateTable('auction_results').set(patch).where('auction_id', '=', auctionId).execute();
}

export async function insertNotice(db: D, row: Insertable<AuctionsTables['auction_notices']>): Promise<void> {
  await db.insertInto('auction_notices').values(row).execute();
}

/** The portal announcement of the auction's 出让（转让）公告: the one its later public notices refer to. */
export async function findTransferAnnouncementId(db: D, auctionId: string): Promise<string | null> {
  const row = await db
    .selectFrom('auction_notices')
    .select('announcement_id')
    .where('auction_id', '=', auctionId)
    .where('kind', '=', 'transfer-notice')
    .where('announcement_id', 'is not', null)
    .orderBy('published_at')
    .executeTakeFirst();
  return row?.announcement_id ?? null;
}

export function listNotices(db: D, auctionId: string, publicOnly: boolean): Promise<NoticeRow[]> {
  let q = db.selectFrom('auction_notices').selectAll().where('auction_id', '=', auctionId);
  if (publicOnly) q = q.where('public', '=', true);
  return q.orderBy('published_at').orderBy('id').execute();
}

export async function insertStepChange(
  db: D,
  row: Insertable<AuctionsTables['auction_step_changes']>,
): Promise<void> {
  await db.insertInto('auction_step_changes').values(row).execute();
}

export function listStepChanges(db: D, auctionId: string): Promise<StepChangeRow[]> {
  return db
    .selectFrom('auction_step_changes')
    .selectAll()
    .where('auction_id', '=', auctionId)
    .orderBy('at')
    .orderBy('after_seq')
    .execute();
}

export interface PublicFilter {
  status?: string | undefined;
  catalog?: string | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

/** The public listing (anything announced, never a draft), newest first. */
export async function listPublicAuctions(db: D, filter: PublicFilter) {
  let q = db.selectFrom('auctions').where('status', '!=', 'draft');
  if (filter.status) q = q.where('status', '=', filter.status as 'announced');
  if (filter.catalog) q = q.where('catalog_item_code', 'like', `${filter.catalog.replace(/[%_]/g, '')}%`);
  if (filter.q) q = q.where('title', 'like', `%${filter.q.replace(/[%_\\]/g, '')}%`);
  const [rows, total] = await Promise.all([
    q
      .selectAll()
      .orderBy('bidding_starts_at', 'desc')
      .orderBy('id')
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize)
      .execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirst(),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}
