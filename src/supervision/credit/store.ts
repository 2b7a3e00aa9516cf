import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { CalendarDate } from '../../platform/clock/index.ts';
import type { Db as AnyDb } from '../../platform/db/index.ts';
import type {
  CreditChecksTable,
  CreditListEntriesTable,
  CreditListImportsTable,
  CreditRecordKind,
  CreditRecordsTable,
  CreditRepairApplicationsTable,
  CreditRestrictionsTable,
  CreditScoreRulesTable,
  CreditTables,
  RepairStatus,
} from './tables.ts';

type Db = AnyDb<CreditTables>;

export type RecordRow = Selectable<CreditRecordsTable>;
export type RestrictionRow = Selectable<CreditRestrictionsTable>;
export type RepairRow = Selectable<CreditRepairApplicationsTable>;
export type ImportRow = Selectable<CreditListImportsTable>;
export type EntryRow = Selectable<CreditListEntriesTable>;
export type CheckRow = Selectable<CreditChecksTable>;
export type ScoreRuleRow = Selectable<CreditScoreRulesTable>;

/** Supervisors see only what their scope covers (行业 × 地域). */
export interface ScopeFilter {
  regionPrefixes: string[];
  catalogPrefixes: string[];
}

const likeAny = (prefixes: string[]) => prefixes.map((p) => `${p}%`);

// ---- records ----

export async function nextRecordNumber(db: Db): Promise<number> {
  const { rows } = await sql<{ n: string }>`select nextval('credit_record_code_seq')::text as n`.execute(db);
  return Number(rows[0]!.n);
}

export function insertRecord(db: Db, row: Insertable<CreditRecordsTable>) {
  return db.insertInto('credit_records').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateRecord(db: Db, id: string, changes: Updateable<CreditRecordsTable>) {
  return db
    .updateTable('credit_records')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findRecord(db: Db, id: string) {
  return db.selectFrom('credit_records').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockRecord(db: Db, id: string) {
  return db.selectFrom('credit_records').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface RecordFilter {
  kinds?: CreditRecordKind[] | undefined;
  /** Name, credit code, ID number or record code (fragment of the name; exact for codes). */
  q?: string | undefined;
  scope?: ScopeFilter | undefined;
  organizationId?: string | undefined;
}

function recordQuery(db: Db, f: RecordFilter) {
  let query = db.selectFrom('credit_records');
  if (f.kinds && f.kinds.length > 0) query = query.where('kind', 'in', f.kinds);
  if (f.organizationId) query = query.where('subject_organization_id', '=', f.organizationId);
  if (f.scope) {
    const { regionPrefixes, catalogPrefixes } = f.scope;
    query = query
      .where(sql<boolean>`region_code like any(${likeAny(regionPrefixes)}::text[])`)
      .where(sql<boolean>`catalog_item_code like any(${likeAny(catalogPrefixes)}::text[])`);
  }
  if (f.q) {
    const q = f.q;
    const upper = q.toUpperCase();
    query = query.where((eb) =>
      eb.or([
        eb('subject_name', 'like', `%${escapeLike(q)}%`),
        eb('subject_credit_code', '=', upper),
        eb('subject_id_number', '=', upper),
        eb('code', '=', upper),
        eb('decision_number', '=', q),
      ]),
    );
  }
  return query;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listRecords(db: Db, f: RecordFilter, page: { limit: number; offset: number }) {
  const [items, count] = await Promise.all([
    recordQuery(db, f)
      .selectAll()
      .orderBy('decision_date', 'desc')
      .orderBy('created_at', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    recordQuery(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/**
 * Records on the portal list on `today` (published, window not over, not repaired or withdrawn), or with
 * `lookup` every record ever published and neither repaired nor withdrawn (后台查询).
 */
function publicQuery(
  db: Db,
  f: { kinds: CreditRecordKind[]; q?: string | undefined; now: Date; today: CalendarDate; lookup: boolean },
) {
  let query = db
    .selectFrom('credit_records')
    .where('kind', 'in', f.kinds)
    .where('published_at', 'is not', null)
    .where('published_at', '<=', f.now)
    .where((eb) => eb.or([eb('repaired_on', 'is', null), eb('repaired_on', '>', f.today)]))
    .where((eb) => eb.or([eb('revoked_on', 'is', null), eb('revoked_on', '>', f.today)]));
  if (!f.lookup) query = query.where('publication_ends_on', '>=', f.today);
  if (f.q) {
    const q = f.q;
    const upper = q.toUpperCase();
    query = query.where((eb) =>
      eb.or([
        eb('subject_name', 'like', `%${escapeLike(q)}%`),
        eb('subject_credit_code', '=', upper),
        eb('subject_id_number', '=', upper),
        eb('code', '=', upper),
      ]),
    );
  }
  return query;
}

export async function listPublicRecords(
  db: Db,
  f: { kinds: CreditRecordKind[]; q?: string | undefined; now: Date; today: CalendarDate; lookup: boolean },
  page: { limit: number; offset: number },
) {
  const [items, count] = await Promise.all([
    publicQuery(db, f)
      .selectAll()
      .orderBy('published_at', 'desc')
      .orderBy('code', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    publicQuery(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

export interface SubjectKeys {
  organizationIds: string[];
  creditCodes: string[];
  idNumbers: string[];
}

function matchesSubject(keys: SubjectKeys) {
  return sql<boolean>`(subject_organization_id = any(${keys.organizationIds}::text[])
    or subject_credit_code = any(${keys.creditCodes}::text[])
    or subject_id_number = any(${keys.idNumbers}::text[]))`;
}

export function listRecordsOfSubject(db: Db, keys: SubjectKeys) {
  return db
    .selectFrom('credit_records')
    .selectAll()
    .where(matchesSubject(keys))
    .orderBy('decision_date', 'desc')
    .execute();
}

// ---- restrictions ----

export function insertRestriction(db: Db, row: Insertable<CreditRestrictionsTable>) {
  return db.insertInto('credit_restrictions').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listRestrictionsOf(db: Db, recordIds: string[]): Promise<RestrictionRow[]> {
  if (recordIds.length === 0) return [];
  return db
    .selectFrom('credit_restrictions')
    .selectAll()
    .where('record_id', 'in', recordIds)
    .orderBy('from_date')
    .orderBy('created_at')
    .execute();
}

/** Lifts, from `on`, every restriction of the record not already lifted and not already over. */
export function liftRestrictionsOf(db: Db, recordId: string, on: CalendarDate, reason: string) {
  return db
    .updateTable('credit_restrictions')
    .set({ lifted_on: on, lifted_reason: reason })
    .where('record_id', '=', recordId)
    .where('lifted_on', 'is', null)
    .where('to_date', '>=', on)
    .returningAll()
    .execute();
}

export type RestrictionWithRecord = RestrictionRow & {
  record_code: string;
  record_kind: CreditRecordKind;
  subject_name: string;
  subject_credit_code: string | null;
  subject_organization_id: string | null;
  decision_number: string;
  deciding_authority: string;
};

/** Restrictions of these subjects in force on `today` (from ≤ today ≤ to, not lifted). */
export function restrictionsInForce(
  db: Db,
  keys: SubjectKeys,
  today: CalendarDate,
): Promise<RestrictionWithRecord[]> {
  return db
    .selectFrom('credit_restrictions as x')
    .innerJoin('credit_records as r', 'r.id', 'x.record_id')
    .selectAll('x')
    .select([
      'r.code as record_code',
      'r.kind as record_kind',
      'r.subject_name',
      'r.subject_credit_code',
      'r.subject_organization_id',
      'r.decision_number',
      'r.deciding_authority',
    ])
    .where(
      sql<boolean>`(r.subject_organization_id = any(${keys.organizationIds}::text[])
        or r.subject_credit_code = any(${keys.creditCodes}::text[])
        or r.subject_id_number = any(${keys.idNumbers}::text[]))`,
    )
    .where('x.from_date', '<=', today)
    .where('x.to_date', '>=', today)
    .where((eb) => eb.or([eb('x.lifted_on', 'is', null), eb('x.lifted_on', '>', today)]))
    .orderBy('x.from_date')
    .execute();
}

// ---- repair ----

export function insertRepair(db: Db, row: Insertable<CreditRepairApplicationsTable>) {
  return db.insertInto('credit_repair_applications').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateRepair(db: Db, id: string, changes: Updateable<CreditRepairApplicationsTable>) {
  return db
    .updateTable('credit_repair_applications')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findRepair(db: Db, id: string) {
  return db.selectFrom('credit_repair_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockRepair(db: Db, id: string) {
  return db
    .selectFrom('credit_repair_applications')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function findPendingRepairOf(db: Db, recordId: string) {
  return db
    .selectFrom('credit_repair_applications')
    .selectAll()
    .where('record_id', '=', recordId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function listRepairsOf(db: Db, recordIds: string[]): Promise<RepairRow[]> {
  if (recordIds.length === 0) return [];
  return db
    .selectFrom('credit_repair_applications')
    .selectAll()
    .where('record_id', 'in', recordIds)
    .orderBy('submitted_at', 'desc')
    .execute();
}

export type RepairWithRecord = RepairRow & {
  record_code: string;
  subject_name: string;
  region_code: string;
  catalog_item_code: string;
};

function repairQuery(db: Db, f: { status?: RepairStatus | undefined; scope?: ScopeFilter | undefined }) {
  let query = db
    .selectFrom('credit_repair_applications as a')
    .innerJoin('credit_records as r', 'r.id', 'a.record_id');
  if (f.status) query = query.where('a.status', '=', f.status);
  if (f.scope) {
    query = query
      .where(sql<boolean>`r.region_code like any(${likeAny(f.scope.regionPrefixes)}::text[])`)
      .where(sql<boolean>`r.catalog_item_code like any(${likeAny(f.scope.catalogPrefixes)}::text[])`);
  }
  return query;
}

export async function listRepairs(
  db: Db,
  f: { status?: RepairStatus | undefined; scope?: ScopeFilter | undefined },
  page: { limit: number; offset: number },
): Promise<{ items: RepairWithRecord[]; total: number }> {
  const [items, count] = await Promise.all([
    repairQuery(db, f)
      .selectAll('a')
      .select(['r.code as record_code', 'r.subject_name', 'r.region_code', 'r.catalog_item_code'])
      .orderBy('a.submitted_at', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    repairQuery(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

// ---- external lists ----

export function insertImport(db: Db, row: Insertable<CreditListImportsTable>) {
  return db.insertInto('credit_list_imports').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertEntries(db: Db, rows: Insertable<CreditListEntriesTable>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('credit_list_entries')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export function findImport(db: Db, id: string) {
  return db.selectFrom('credit_list_imports').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listImports(db: Db, page: { limit: number; offset: number }) {
  const [items, count] = await Promise.all([
    db
      .selectFrom('credit_list_imports')
      .selectAll()
      .orderBy('imported_at', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    db.selectFrom('credit_list_imports').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

/**
 * The batch in force on `today` for each source and list kind: the latest as-of date not after today
 * (the later import when two share it). A later batch supersedes an earlier one from its as-of date.
 */
export function batchesInForce(db: Db, today: CalendarDate): Promise<ImportRow[]> {
  return db
    .selectFrom('credit_list_imports')
    .selectAll()
    .distinctOn(['source', 'list_kind'])
    .where('as_of', '<=', today)
    .orderBy('source')
    .orderBy('list_kind')
    .orderBy('as_of', 'desc')
    .orderBy('imported_at', 'desc')
    .execute();
}

/** The batch of the same source and kind that supersedes `batch` (the next as-of date), if any. */
export function supersedingBatch(db: Db, batch: ImportRow) {
  return db
    .selectFrom('credit_list_imports')
    .selectAll()
    .where('source', '=', batch.source)
    .where('list_kind', '=', batch.list_kind)
    .where('id', '!=', batch.id)
    .where((eb) =>
      eb.or([
        eb('as_of', '>', batch.as_of),
        eb.and([eb('as_of', '=', batch.as_of), eb('imported_at', '>', batch.imported_at)]),
      ]),
    )
    .orderBy('as_of')
    .orderBy('imported_at')
    .executeTakeFirst();
}

/** Rows of these batches naming one of these codes, in force on `today` by their own dates. */
export async function entriesInForce(
  db: Db,
  importIds: string[],
  creditCodes: string[],
  today: CalendarDate,
): Promise<EntryRow[]> {
  if (importIds.length === 0 || creditCodes.length === 0) return [];
  return db
    .selectFrom('credit_list_entries')
    .selectAll()
    .where('import_id', 'in', importIds)
    .where('credit_code', 'in', creditCodes)
    .where((eb) => eb.or([eb('restricted_from', 'is', null), eb('restricted_from', '<=', today)]))
    .where((eb) => eb.or([eb('restricted_until', 'is', null), eb('restricted_until', '>=', today)]))
    .orderBy('line')
    .execute();
}

export type EntryWithImport = EntryRow & {
  source: string;
  list_kind: string;
  as_of: CalendarDate;
  imported_at: Date;
};

/** Rows of any batch (history included) by name fragment or exact code. */
export function searchEntries(db: Db, q: string, limit: number): Promise<EntryWithImport[]> {
  const upper = q.toUpperCase();
  return db
    .selectFrom('credit_list_entries as e')
    .innerJoin('credit_list_imports as i', 'i.id', 'e.import_id')
    .selectAll('e')
    .select(['i.source', 'i.list_kind', 'i.as_of', 'i.imported_at'])
    .where((eb) =>
      eb.or([
        eb('e.name', 'like', `%${escapeLike(q)}%`),
        eb('e.credit_code', '=', upper),
        eb('e.id_number', '=', upper),
        eb('e.record_number', '=', q),
      ]),
    )
    .orderBy('i.as_of', 'desc')
    .orderBy('e.line')
    .limit(limit)
    .execute();
}

export function listEntriesOf(db: Db, importId: string, page: { limit: number; offset: number }) {
  return db
    .selectFrom('credit_list_entries')
    .selectAll()
    .where('import_id', '=', importId)
    .orderBy('line')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

// ---- checks ----

export function insertCheck(db: Db, row: Insertable<CreditChecksTable>) {
  return db.insertInto('credit_checks').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listChecksOfLot(db: Db, lotId: string) {
  return db
    .selectFrom('credit_checks')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('checked_at', 'desc')
    .execute();
}

function checkQuery(db: Db, f: { barredOnly: boolean; scope?: ScopeFilter | undefined }) {
  let query = db.selectFrom('credit_checks');
  if (f.barredOnly) query = query.where('barred', '=', true);
  if (f.scope) {
    query = query
      .where(sql<boolean>`region_code like any(${likeAny(f.scope.regionPrefixes)}::text[])`)
      .where(sql<boolean>`catalog_item_code like any(${likeAny(f.scope.catalogPrefixes)}::text[])`);
  }
  return query;
}

export async function listChecks(
  db: Db,
  f: { barredOnly: boolean; scope?: ScopeFilter | undefined },
  page: { limit: number; offset: number },
) {
  const [items, count] = await Promise.all([
    checkQuery(db, f)
      .selectAll()
      .orderBy('checked_at', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    checkQuery(db, f).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(count.n) };
}

// ---- score rules ----

export async function lockScoreRules(db: Db): Promise<void> {
  await sql`lock table credit_score_rules in exclusive mode`.execute(db);
}

export async function latestScoreRuleVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('credit_score_rules')
    .select(sql<number | null>`max(version)`.as('v'))
    .executeTakeFirstOrThrow();
  return Number(row.v ?? 0);
}

export function insertScoreRule(db: Db, row: Insertable<CreditScoreRulesTable>) {
  return db.insertInto('credit_score_rules').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listScoreRules(db: Db) {
  return db.selectFrom('credit_score_rules').selectAll().orderBy('version', 'desc').execute();
}

/** The version in force on `date`: the latest effective date not after it (the higher version on a tie). */
export function scoreRuleOn(db: Db, date: CalendarDate) {
  return db
    .selectFrom('credit_score_rules')
    .selectAll()
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .orderBy('version', 'desc')
    .executeTakeFirst();
}
