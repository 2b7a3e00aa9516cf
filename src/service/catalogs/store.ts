import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  CatalogsTables,
  ChangeRequestStatus,
  DisclosureCatalogTable,
  PlatformCatalogTable,
  TradingCatalogChangeRequestsTable,
  TradingCatalogItemsTable,
} from './tables.ts';

type CatalogsDb = Db<CatalogsTables>;

export type CatalogItemRow = Selectable<TradingCatalogItemsTable> & {
  category_name: string;
  effective_from: string;
};
export type ChangeRequestRow = Selectable<TradingCatalogChangeRequestsTable>;
export type PlatformRow = Selectable<PlatformCatalogTable>;
export type DisclosureRow = Selectable<DisclosureCatalogTable>;

// ---- categories and versions ----

export function listCategories(db: CatalogsDb) {
  return db.selectFrom('trading_catalog_categories').selectAll().orderBy('sort_order').execute();
}

export function insertCategories(db: CatalogsDb, rows: { code: string; name: string; sort_order: number }[]) {
  return db
    .insertInto('trading_catalog_categories')
    .values(rows)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

/** The version in force on `date`: the highest version whose effective date is on or before it. */
export function findVersionInForce(db: CatalogsDb, date: string) {
  return db
    .selectFrom('trading_catalog_versions')
    .selectAll()
    .where('effective_from', '<=', date)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findLatestVersion(db: CatalogsDb) {
  return db
    .selectFrom('trading_catalog_versions')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Locks the newest version row: two approvals make versions N+1 and N+2, one after the other. */
export function lockLatestVersion(db: CatalogsDb) {
  return db
    .selectFrom('trading_catalog_versions')
    .selectAll()
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export function listVersions(db: CatalogsDb) {
  return db
    .selectFrom('trading_catalog_versions as v')
    .selectAll('v')
    .select((eb) =>
      eb
        .selectFrom('trading_catalog_items as i')
        .whereRef('i.version', '=', 'v.version')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('item_count'),
    )
    .orderBy('v.version', 'desc')
    .execute();
}

/** Inserts a version unless it exists; returns whether this call inserted it. */
export async function insertVersion(
  db: CatalogsDb,
  row: {
    version: number;
    effective_from: string;
    note: string;
    change_request_id: string | null;
    created_at: Date;
  },
): Promise<boolean> {
  const inserted = await db
    .insertInto('trading_catalog_versions')
    .values(row)
    .onConflict((oc) => oc.column('version').doNothing())
    .returning('version')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function insertItems(db: CatalogsDb, rows: Insertable<TradingCatalogItemsTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('trading_catalog_items').values(rows).execute();
}

function itemsQuery(db: CatalogsDb) {
  return db
    .selectFrom('trading_catalog_items as i')
    .innerJoin('trading_catalog_categories as c', 'c.code', 'i.category_code')
    .innerJoin('trading_catalog_versions as v', 'v.version', 'i.version')
    .selectAll('i')
    .select(['c.name as category_name', 'v.effective_from']);
}

export function listItems(db: CatalogsDb, version: number): Promise<CatalogItemRow[]> {
  return itemsQuery(db).where('i.version', '=', version).orderBy('i.code').execute();
}

export function findItem(db: CatalogsDb, version: number, code: string): Promise<CatalogItemRow | undefined> {
  return itemsQuery(db).where('i.version', '=', version).where('i.code', '=', code).executeTakeFirst();
}

/** Whether an item code was ever used, in any version (a retired code is never given to another item). */
export async function codeEverUsed(db: CatalogsDb, code: string): Promise<boolean> {
  const row = await db
    .selectFrom('trading_catalog_items')
    .select('code')
    .where('code', '=', code)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---- change requests ----

export function insertChangeRequest(db: CatalogsDb, row: Insertable<TradingCatalogChangeRequestsTable>) {
  return db
    .insertInto('trading_catalog_change_requests')
    .values(row)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findChangeRequest(db: CatalogsDb, id: string) {
  return db.selectFrom('trading_catalog_change_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockChangeRequest(db: CatalogsDb, id: string) {
  return db
    .selectFrom('trading_catalog_change_requests')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Settles a pending request; undefined when it was no longer pending (someone else decided first). */
export function settleChangeRequest(
  db: CatalogsDb,
  id: string,
  changes: Updateable<TradingCatalogChangeRequestsTable> & { status: ChangeRequestStatus },
) {
  return db
    .updateTable('trading_catalog_change_requests')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

export function listChangeRequests(db: CatalogsDb, status?: ChangeRequestStatus) {
  let query = db.selectFrom('trading_catalog_change_requests').selectAll();
  if (status) query = query.where('status', '=', status);
  return query.orderBy('drafted_at', 'desc').orderBy('id').limit(200).execute();
}

// ---- platform catalog ----

export function insertPlatform(db: CatalogsDb, row: Insertable<PlatformCatalogTable>) {
  return db
    .insertInto('platform_catalog')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updatePlatform(db: CatalogsDb, code: string, changes: Updateable<PlatformCatalogTable>) {
  return db
    .updateTable('platform_catalog')
    .set(changes)
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
}

export function findPlatform(db: CatalogsDb, code: string) {
  return db.selectFrom('platform_catalog').selectAll().where('code', '=', code).executeTakeFirst();
}

export function lockPlatform(db: CatalogsDb, code: string) {
  return db
    .selectFrom('platform_catalog')
    .selectAll()
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

export function listPlatforms(db: CatalogsDb) {
  // The regional centre first, then the 盟市 by region code, then third-party systems.
  return db
    .selectFrom('platform_catalog')
    .selectAll()
    .orderBy((eb) =>
      eb
        .case()
        .when('kind', '=', 'regional-centre')
        .then(0)
        .when('kind', '=', 'city-centre')
        .then(1)
        .else(2)
        .end(),
    )
    .orderBy('region_code')
    .orderBy('code')
    .execute();
}

// ---- disclosure catalog ----

export function insertDisclosure(db: CatalogsDb, row: Insertable<DisclosureCatalogTable>) {
  return db
    .insertInto('disclosure_catalog')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateDisclosure(db: CatalogsDb, code: string, changes: Updateable<DisclosureCatalogTable>) {
  return db
    .updateTable('disclosure_catalog')
    .set(changes)
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirst();
}

export function findDisclosure(db: CatalogsDb, code: string) {
  return db.selectFrom('disclosure_catalog').selectAll().where('code', '=', code).executeTakeFirst();
}

export function findDisclosureByKind(db: CatalogsDb, kind: string) {
  return db
    .selectFrom('disclosure_catalog')
    .selectAll()
    .where('announcement_kind', '=', kind)
    .executeTakeFirst();
}

export function listDisclosure(db: CatalogsDb, opts: { publicOnly: boolean }) {
  let query = db.selectFrom('disclosure_catalog').selectAll();
  if (opts.publicOnly) query = query.where('is_public', '=', true);
  return query.orderBy('code').execute();
}

export async function listDisclosedKinds(db: CatalogsDb): Promise<string[]> {
  const rows = await db
    .selectFrom('disclosure_catalog')
    .select('announcement_kind')
    .where('is_public', '=', true)
    .where('announcement_kind', 'is not', null)
    .orderBy('code')
    .execute();
  return rows.map((r) => r.announcement_kind).filter((k): k is string => k !== null);
}
