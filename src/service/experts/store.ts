import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  ExpertApplicationsTable,
  ExpertRecordKind,
  ExpertRecordsTable,
  ExpertRelationshipsTable,
  ExpertSpecialtiesTable,
  ExpertStatus,
  ExpertsTable,
  ExpertsTables,
  ExpertUnavailabilityTable,
} from './tables.ts';

type ExpertsDb = Db<ExpertsTables>;

export type ExpertRow = Selectable<ExpertsTable>;
export type SpecialtyRow = Selectable<ExpertSpecialtiesTable>;
export type UnavailabilityRow = Selectable<ExpertUnavailabilityTable>;
export type RelationshipRow = Selectable<ExpertRelationshipsTable>;
export type ApplicationRow = Selectable<ExpertApplicationsTable>;
export type RecordRow = Selectable<ExpertRecordsTable>;

/** Rows per bulk INSERT: each column travels as ONE array parameter, so a batch is one short statement. */
const BATCH = 5000;

async function inBatches<T>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/** An upper bound for a prefix range over "C"-collated ASCII codes: every code starting with p is < p~. */
const upper = (prefix: string) => `${prefix}~`;

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : d);

// ---- experts ----

/** `n` fresh numbers for 专家编号 from the sequence (never reused, even after a rollback). */
export async function nextExpertNumbers(db: ExpertsDb, n: number): Promise<number[]> {
  if (n === 0) return [];
  const { rows } = await sql<{ n: number }>`
    select nextval('expert_code_seq')::int8 as n from generate_series(1, ${n}::int4)`.execute(db);
  return rows.map((r) => Number(r.n));
}

/**
 * Bulk inserts: `insert … select from unnest(array, array, …)`. A multi-row VALUES of 100,000 experts would
 * be 2.7 million bound parameters, built one by one; arrays are one parameter a column, the same on pg
 * and PGlite (the witness sequencer writes its batches this way too).
 */
export function insertExperts(db: ExpertsDb, rows: Insertable<ExpertsTable>[]) {
  return inBatches(rows, async (chunk) => {
    const col = <K extends keyof Insertable<ExpertsTable>>(k: K) => chunk.map((r) => r[k] ?? null);
    await sql`
      insert into experts (id, code, account_id, application_id, name, gender, id_number_sealed, id_number_index,
        id_number_masked, phone_sealed, phone_masked, employer_name, employer_credit_code, employer_organization_id,
        employer_kind, region_code, title, title_level, education, years_in_field, status, status_reason,
        suspended_until, admitted_at, version, created_at, updated_at)
      select * from unnest(${col('id')}::text[], ${col('code')}::text[], ${col('account_id')}::text[],
        ${col('application_id')}::text[], ${col('name')}::text[], ${col('gender')}::text[],
        ${col('id_number_sealed')}::text[], ${col('id_number_index')}::text[], ${col('id_number_masked')}::text[],
        ${col('phone_sealed')}::text[], ${col('phone_masked')}::text[], ${col('employer_name')}::text[],
        ${col('employer_credit_code')}::text[], ${col('employer_organization_id')}::text[],
        ${col('employer_kind')}::text[], ${col('region_code')}::text[], ${col('title')}::text[],
        ${col('title_level')}::text[], ${col('education')}::text[], ${col('years_in_field')}::int4[],
        ${col('status')}::text[], ${col('status_reason')}::text[], ${col('suspended_until')}::text[],
        ${chunk.map((r) => iso(r.admitted_at))}::timestamptz[], ${col('version')}::int4[],
        ${chunk.map((r) => iso(r.created_at))}::timestamptz[], ${chunk.map((r) => iso(r.updated_at))}::timestamptz[])`.execute(
      db,
    );
  });
}

/** A specialty row as written; the rest of expert_specialties is copied from the expert (below). */
export type SpecialtyInsert = Pick<Insertable<ExpertSpecialtiesTable>, 'expert_id' | 'code' | 'is_main'>;

/** The experts columns the draw's index repeats (expert_specialties): kept equal on every write. */
const COPIED_COLUMNS = [
  'region_code',
  'code',
  'status',
  'suspended_until',
  'employer_credit_code',
  'employer_organization_id',
  'employer_name',
] as const;

/** Inserts specialties of experts that exist, with the copies of the experts' columns taken from them. */
export function insertSpecialties(db: ExpertsDb, rows: SpecialtyInsert[]) {
  return inBatches(rows, async (chunk) => {
    await sql`
      insert into expert_specialties (expert_id, code, is_main, region_code, expert_code, status, suspended_until,
        employer_credit_code, employer_organization_id, employer_name)
      select u.expert_id, u.code, u.is_main, e.region_code, e.code, e.status, e.suspended_until,
        e.employer_credit_code, e.employer_organization_id, e.employer_name
      from unnest(${chunk.map((r) => r.expert_id)}::text[], ${chunk.map((r) => r.code)}::text[],
        ${chunk.map((r) => r.is_main)}::bool[]) as u(expert_id, code, is_main)
      join experts e on e.id = u.expert_id`.execute(db);
  });
}

/** Re-copies the expert's columns into its specialty rows (after the expert changed). */
function syncSpecialtyCopies(db: ExpertsDb, expertId: string) {
  return sql`
    update expert_specialties s
    set region_code = e.region_code, expert_code = e.code, status = e.status, suspended_until = e.suspended_until,
        employer_credit_code = e.employer_credit_code, employer_organization_id = e.employer_organization_id,
        employer_name = e.employer_name
    from experts e
    where e.id = ${expertId} and s.expert_id = e.id`.execute(db);
}

export function insertUnavailability(db: ExpertsDb, rows: Insertable<ExpertUnavailabilityTable>[]) {
  return inBatches(rows, async (chunk) => {
    await sql`
      insert into expert_unavailability (id, expert_id, from_date, to_date, reason, created_at)
      select * from unnest(${chunk.map((r) => r.id)}::text[], ${chunk.map((r) => r.expert_id)}::text[],
        ${chunk.map((r) => r.from_date)}::text[], ${chunk.map((r) => r.to_date)}::text[],
        ${chunk.map((r) => r.reason ?? null)}::text[], ${chunk.map((r) => iso(r.created_at))}::timestamptz[])`.execute(
      db,
    );
  });
}

export function insertRelationships(db: ExpertsDb, rows: Insertable<ExpertRelationshipsTable>[]) {
  return inBatches(rows, async (chunk) => {
    await sql`
      insert into expert_relationships
        (id, expert_id, kind, organization_name, credit_code, organization_id, ended_on, note, position, created_at)
      select * from unnest(${chunk.map((r) => r.id)}::text[], ${chunk.map((r) => r.expert_id)}::text[],
        ${chunk.map((r) => r.kind)}::text[], ${chunk.map((r) => r.organization_name)}::text[],
        ${chunk.map((r) => r.credit_code ?? null)}::text[], ${chunk.map((r) => r.organization_id ?? null)}::text[],
        ${chunk.map((r) => r.ended_on ?? null)}::text[], ${chunk.map((r) => r.note ?? null)}::text[],
        ${chunk.map((r) => r.position ?? 0)}::int4[], ${chunk.map((r) => iso(r.created_at))}::timestamptz[])`.execute(
      db,
    );
  });
}

export function findExpert(db: ExpertsDb, id: string) {
  return db.selectFrom('experts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockExpert(db: ExpertsDb, id: string) {
  return db.selectFrom('experts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findExpertOfAccount(db: ExpertsDb, accountId: string) {
  return db.selectFrom('experts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
}

/** Experts whose ID-number blind index is one of these (the same person twice). */
export function findExpertsByIdIndex(db: ExpertsDb, indexes: string[]) {
  if (indexes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('experts')
    .select(['id', 'code', 'id_number_index'])
    .where('id_number_index', 'in', indexes)
    .execute();
}

export function findExpertsByAccounts(db: ExpertsDb, accountIds: string[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('experts')
    .select(['id', 'account_id'])
    .where('account_id', 'in', accountIds)
    .execute();
}

export async function updateExpert(db: ExpertsDb, id: string, changes: Updateable<ExpertsTable>) {
  const row = await db
    .updateTable('experts')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (COPIED_COLUMNS.some((c) => c in changes)) await syncSpecialtyCopies(db, id);
  return row;
}

export interface PoolFilter {
  specialtyCode?: string | undefined;
  regionCode?: string | undefined;
  /** How many leading digits of the region code to match (2 province, 4 prefecture, 6 county). */
  regionPrefix?: string | undefined;
  status?: ExpertStatus | undefined;
  name?: string | undefined;
  code?: string | undefined;
  limit: number;
  offset: number;
}

function filtered(db: ExpertsDb, f: PoolFilter) {
  let query = db.selectFrom('experts as e');
  if (f.specialtyCode) {
    const prefix = f.specialtyCode;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('expert_specialties as s')
          .select(sql<number>`1`.as('one'))
          .whereRef('s.expert_id', '=', 'e.id')
          .where('s.code', '>=', prefix)
          .where('s.code', '<', upper(prefix)),
      ),
    );
  }
  if (f.regionPrefix) {
    query = query
      .where('e.region_code', '>=', f.regionPrefix)
      .where('e.region_code', '<', upper(f.regionPrefix));
  }
  if (f.status) query = query.where('e.status', '=', f.status);
  if (f.name) query = query.where('e.name', 'like', `%${f.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.code) query = query.where('e.code', '=', f.code);
  return query;
}

export async function listExperts(
  db: ExpertsDb,
  f: PoolFilter,
): Promise<{ rows: ExpertRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, f).selectAll('e').orderBy('e.code').limit(f.limit).offset(f.offset).execute(),
    filtered(db, f)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

export function listSpecialtiesOf(db: ExpertsDb, expertIds: string[]) {
  if (expertIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('expert_specialties')
    .selectAll()
    .where('expert_id', 'in', expertIds)
    .orderBy('expert_id')
    .orderBy('is_main', 'desc')
    .orderBy('code')
    .execute();
}

export async function replaceSpecialties(db: ExpertsDb, expertId: string, rows: SpecialtyInsert[]) {
  await db.deleteFrom('expert_specialties').where('expert_id', '=', expertId).execute();
  await insertSpecialties(db, rows);
}

export function listUnavailabilityOf(db: ExpertsDb, expertId: string) {
  return db
    .selectFrom('expert_unavailability')
    .selectAll()
    .where('expert_id', '=', expertId)
    .orderBy('from_date')
    .execute();
}

export async function replaceUnavailability(
  db: ExpertsDb,
  expertId: string,
  rows: Insertable<ExpertUnavailabilityTable>[],
) {
  await db.deleteFrom('expert_unavailability').where('expert_id', '=', expertId).execute();
  await insertUnavailability(db, rows);
}

export function listRelationshipsOf(db: ExpertsDb, expertId: string) {
  return db
    .selectFrom('expert_relationships')
    .selectAll()
    .where('expert_id', '=', expertId)
    .orderBy('position')
    .orderBy('organization_name')
    .execute();
}

export async function replaceRelationships(
  db: ExpertsDb,
  expertId: string,
  rows: Insertable<ExpertRelationshipsTable>[],
) {
  await db.deleteFrom('expert_relationships').where('expert_id', '=', expertId).execute();
  await insertRelationships(db, rows);
}

// ---- records ----

export function insertRecord(db: ExpertsDb, row: Insertable<ExpertRecordsTable>) {
  return db.insertInto('expert_records').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listRecordsOf(db: ExpertsDb, expertId: string, kind?: ExpertRecordKind) {
  let query = db.selectFrom('expert_records').selectAll().where('expert_id', '=', expertId);
  if (kind) query = query.where('kind', '=', kind);
  return query.orderBy('occurred_on', 'desc').orderBy('created_at', 'desc').execute();
}

// ---- applications ----

export function insertApplication(db: ExpertsDb, row: Insertable<ExpertApplicationsTable>) {
  return db.insertInto('expert_applications').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findApplication(db: ExpertsDb, id: string) {
  return db.selectFrom('expert_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockApplication(db: ExpertsDb, id: string) {
  return db.selectFrom('expert_applications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function findApplicationOfAccount(db: ExpertsDb, accountId: string) {
  return db
    .selectFrom('expert_applications')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
}

export function findPendingApplicationByIdIndex(db: ExpertsDb, index: string) {
  return db
    .selectFrom('expert_applications')
    .select(['id'])
    .where('id_number_index', '=', index)
    .where('status', '=', 'submitted')
    .executeTakeFirst();
}

export function listApplications(
  db: ExpertsDb,
  q: { status?: string | undefined; limit: number; offset: number },
) {
  let query = db.selectFrom('expert_applications').selectAll();
  if (q.status) query = query.where('status', '=', q.status as ExpertApplicationsTable['status']);
  return query.orderBy('created_at', 'desc').orderBy('id').limit(q.limit).offset(q.offset).execute();
}

export function updateApplication(db: ExpertsDb, id: string, changes: Updateable<ExpertApplicationsTable>) {
  return db
    .updateTable('expert_applications')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- the draw ----

export interface CandidateParams {
  specialtyPrefix: string;
  regionPrefix: string;
  fromDate: string;
  toDate: string;
  /** 回避单位 other than 主管部门: employment there blocks (rule `employer`). */
  employerCodes: string[];
  employerOrgIds: string[];
  employerNames: string[];
  /** Every 回避单位 (主管部门 included): a declared relationship with one blocks (rule `relationship`). */
  relationCodes: string[];
  relationOrgIds: string[];
  /** Former employment that ended on or after this date still counts. */
  formerEmployerSince: string;
  /** 行政监督部门 (by name; credit codes / organisations of 主管部门 avoid entries). */
  regulatorNames: string[];
  regulatorCodes: string[];
  regulatorOrgIds: string[];
}

export interface CandidateRow {
  expert_id: string;
  code: string;
  region_code: string;
  blocked_by: string | null;
}

export async function listDrawCandidateRows(db: ExpertsDb, p: CandidateParams): Promise<CandidateRow[]> {
  return (await drawCandidatesQuery(p).execute(db)).rows;
}

/**
 * ONE statement for the draw. `slice` is every expert holding a code under the specialty prefix in the
 * region: one range of expert_specialties_code_idx, which carries the expert's code, status and employer
 * (copied, see insertSpecialties), so no expert row is fetched; de-duplicated, an expert with two matching
 * codes appears once. The rules then probe only that
 * slice: unavailability through the per-expert index, relationships through the credit-code and
 * organisation indexes from the few avoided organisations. Every expert of the slice comes back once, in
 * code order, with the first rule that excludes it.
 */
export function drawCandidatesQuery(p: CandidateParams) {
  return sql<CandidateRow>`
    with slice as materialized (
      select distinct on (s.expert_code) s.expert_id as id, s.expert_code as code, s.region_code, s.status,
             s.suspended_until, s.employer_credit_code, s.employer_organization_id, s.employer_name
      from expert_specialties s
      where s.code >= ${p.specialtyPrefix} and s.code < ${upper(p.specialtyPrefix)}
        and s.region_code >= ${p.regionPrefix} and s.region_code < ${upper(p.regionPrefix)}
      order by s.expert_code
    ),
    unavailable as (
      select distinct u.expert_id from slice c
      join expert_unavailability u on u.expert_id = c.id
      where u.to_date >= ${p.fromDate} and u.from_date <= ${p.toDate}
    ),
    related as (
      select r.expert_id from expert_relationships r
      where (r.credit_code = any(${p.relationCodes}::text[]) or r.organization_id = any(${p.relationOrgIds}::text[]))
        and (r.kind <> 'former-employer' or r.ended_on is null or r.ended_on >= ${p.formerEmployerSince})
    )
    select c.id as expert_id, c.code, c.region_code,
      case
        when not (c.status = 'active'
                  or (c.status = 'suspended' and c.suspended_until is not null and c.suspended_until < ${p.fromDate}))
          then 'status'
        when c.id in (select expert_id from unavailable) then 'unavailable'
        when c.employer_credit_code = any(${p.employerCodes}::text[])
          or c.employer_organization_id = any(${p.employerOrgIds}::text[])
          or c.employer_name = any(${p.employerNames}::text[])
          then 'employer'
        when c.id in (select expert_id from related) then 'relationship'
        when c.employer_name = any(${p.regulatorNames}::text[])
          or c.employer_credit_code = any(${p.regulatorCodes}::text[])
          or c.employer_organization_id = any(${p.regulatorOrgIds}::text[])
          then 'regulator-staff'
        else null
      end as blocked_by
    from slice c
    order by c.code`;
}

export function expertsByIds(db: ExpertsDb, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('experts').selectAll().where('id', 'in', ids).execute();
}
