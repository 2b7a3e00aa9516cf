import { type Insertable, type Selectable, sql, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  AlertStatus,
  MonitoringAlertStepsTable,
  MonitoringAlertsTable,
  MonitoringCommitteesTable,
  MonitoringLotScansTable,
  MonitoringPricePairsTable,
  MonitoringRuleVersionsTable,
  MonitoringRunsTable,
  MonitoringTables,
  MonitoringWinnersTable,
} from './tables.ts';

type D = Db<MonitoringTables>;
export type RuleVersionRow = Selectable<MonitoringRuleVersionsTable>;
export type AlertRow = Selectable<MonitoringAlertsTable>;
export type AlertStepRow = Selectable<MonitoringAlertStepsTable>;
export type RunRow = Selectable<MonitoringRunsTable>;
export type LotScanRow = Selectable<MonitoringLotScansTable>;

// ---- rule versions ----

/** For each rule, the latest version in force at `at` (effective_from ≤ at). */
export function listVersionsInForce(db: D, at: Date) {
  return db
    .selectFrom('monitoring_rule_versions')
    .selectAll()
    .distinctOn('code')
    .where('effective_from', '<=', at)
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
}

/** Every rule's latest version, in force or scheduled. */
export function listLatestVersions(db: D) {
  return db
    .selectFrom('monitoring_rule_versions')
    .selectAll()
    .distinctOn('code')
    .orderBy('code')
    .orderBy('version', 'desc')
    .execute();
}

export function listVersionsOf(db: D, code: string) {
  return db
    .selectFrom('monitoring_rule_versions')
    .selectAll()
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .execute();
}

export function findVersion(db: D, id: number) {
  return db.selectFrom('monitoring_rule_versions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Serialises the changes of one rule: the latest version, locked until the transaction ends. */
export function lockLatestVersion(db: Transaction<MonitoringTables>, code: string) {
  return db
    .selectFrom('monitoring_rule_versions')
    .selectAll()
    .where('code', '=', code)
    .orderBy('version', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Inserts a version; returns undefined when that (code, version) already exists (seeding twice). */
export function insertVersion(db: D, row: Insertable<MonitoringRuleVersionsTable>) {
  return db
    .insertInto('monitoring_rule_versions')
    .values(row)
    .onConflict((oc) => oc.columns(['code', 'version']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function codesWithVersions(db: D): Promise<Set<string>> {
  const rows = await db.selectFrom('monitoring_rule_versions').select('code').distinct().execute();
  return new Set(rows.map((r) => r.code));
}

// ---- alerts ----

/** Inserts the alert unless the same (rule, subject, evidence key) was raised before. */
export function insertAlertIfNew(db: D, row: Insertable<MonitoringAlertsTable>) {
  return db
    .insertInto('monitoring_alerts')
    .values(row)
    .onConflict((oc) => oc.columns(['rule_code', 'subject_type', 'subject_id', 'evidence_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findAlert(db: D, id: string) {
  return db.selectFrom('monitoring_alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function lockAlert(db: Transaction<MonitoringTables>, id: string) {
  return db.selectFrom('monitoring_alerts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function updateAlert(db: D, id: string, changes: Updateable<MonitoringAlertsTable>) {
  return db
    .updateTable('monitoring_alerts')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertStep(db: D, row: Insertable<MonitoringAlertStepsTable>) {
  return db.insertInto('monitoring_alert_steps').values(row).execute();
}

export function listSteps(db: D, alertId: string) {
  return db
    .selectFrom('monitoring_alert_steps')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('id')
    .execute();
}

export interface AlertFilter {
  /** A supervisor's scope (行业 × 地域 prefixes); none for the trading centre. */
  scope?: { regionPrefixes: string[]; catalogPrefixes: string[] };
  status?: AlertStatus | undefined;
  level?: string | undefined;
  ruleCodes?: string[] | undefined;
  lotId?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  /** Searched in the subject, the summary and the lot code. */
  q?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

const patterns = (prefixes: string[]) => prefixes.map((p) => `${p.replace(/[\\%_]/g, '\\$&')}%`);

function filtered(db: D, f: AlertFilter) {
  let query = db.selectFrom('monitoring_alerts');
  if (f.scope) {
    // covers(scope, subject) in SQL: the region and the catalog item each start with one of the prefixes.
    query = query
      .where(sql<boolean>`region_code like any(${patterns(f.scope.regionPrefixes)}::text[])`)
      .where(sql<boolean>`catalog_item_code like any(${patterns(f.scope.catalogPrefixes)}::text[])`);
  }
  if (f.status) query = query.where('status', '=', f.status);
  if (f.level) query = query.where('level', '=', f.level as never);
  if (f.ruleCodes && f.ruleCodes.length > 0) query = query.where('rule_code', 'in', f.ruleCodes);
  if (f.lotId) query = query.where('lot_id', '=', f.lotId);
  if (f.subjectType) query = query.where('subject_type', '=', f.subjectType as never);
  if (f.subjectId) query = query.where('subject_id', '=', f.subjectId);
  if (f.from) query = query.where('raised_at', '>=', f.from);
  if (f.to) query = query.where('raised_at', '<', f.to);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) =>
      eb.or([
        eb('subject_label', 'like', like),
        eb('summary', 'like', like),
        eb('lot_code', 'like', like),
        eb('title', 'like', like),
      ]),
    );
  }
  return query;
}

export async function listAlerts(db: D, f: AlertFilter, page: { limit: number; offset: number }) {
  const query = filtered(db, f);
  const [rows, total] = await Promise.all([
    query
      .selectAll()
      .orderBy('raised_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Counts by level, status and rule of the alerts the filter selects (the dashboard). */
export async function countAlerts(db: D, f: AlertFilter) {
  const query = filtered(db, f);
  const group = (column: 'level' | 'status' | 'rule_code') =>
    query
      .select([column, (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(column)
      .execute() as Promise<{ n: string; [k: string]: string }[]>;
  const [byLevel, byStatus, byRule, open] = await Promise.all([
    group('level'),
    group('status'),
    group('rule_code'),
    query
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', 'in', ['new', 'acknowledged', 'investigating'])
      .executeTakeFirstOrThrow(),
  ]);
  return { byLevel, byStatus, byRule, open: Number(open.n) };
}

// ---- the follower's cursor ----

export async function lockCursor(tx: Transaction<MonitoringTables>): Promise<number> {
  const row = await tx
    .selectFrom('monitoring_cursor')
    .select('last_leaf_index')
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return Number(row.last_leaf_index);
}

export function setCursor(db: D, leafIndex: number, at: Date) {
  return db
    .updateTable('monitoring_cursor')
    .set({ last_leaf_index: leafIndex, updated_at: at })
    .where('id', '=', 1)
    .where('last_leaf_index', '<', leafIndex)
    .execute();
}

export async function readCursor(db: D): Promise<{ lastLeafIndex: number; updatedAt: Date }> {
  const row = await db
    .selectFrom('monitoring_cursor')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { lastLeafIndex: Number(row.last_leaf_index), updatedAt: row.updated_at };
}

// ---- read models ----

/** Replaces the lot's price pairs (a rerun computes the same rows). */
export async function replacePricePairs(db: D, lotId: string, rows: Insertable<MonitoringPricePairsTable>[]) {
  await db.deleteFrom('monitoring_price_pairs').where('lot_id', '=', lotId).execute();
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('monitoring_price_pairs')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** Other lots where the same two bidders' prices stood in the same ratio. */
export function findSameRatioPairs(
  db: D,
  lotId: string,
  pairs: { organization_a: string; organization_b: string; ratio: string }[],
) {
  if (pairs.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('monitoring_price_pairs')
    .selectAll()
    .where('lot_id', '!=', lotId)
    .where((eb) =>
      eb.or(
        pairs.map((p) =>
          eb.and([
            eb('organization_a', '=', p.organization_a),
            eb('organization_b', '=', p.organization_b),
            eb('ratio', '=', p.ratio),
          ]),
        ),
      ),
    )
    .orderBy('recorded_at')
    .execute();
}

export async function replaceCommittee(db: D, lotId: string, rows: Insertable<MonitoringCommitteesTable>[]) {
  await db.deleteFrom('monitoring_committees').where('lot_id', '=', lotId).execute();
  if (rows.length > 0) await db.insertInto('monitoring_committees').values(rows).execute();
}

export function listCommittee(db: D, lotId: string) {
  return db.selectFrom('monitoring_committees').selectAll().where('lot_id', '=', lotId).execute();
}

/** The committees an expert served on in [from, to]. */
export function listCommitteesOfExpert(db: D, expertId: string, from: Date, to: Date) {
  return db
    .selectFrom('monitoring_committees')
    .selectAll()
    .where('expert_id', '=', expertId)
    .where('reported_at', '>=', from)
    .where('reported_at', '<=', to)
    .orderBy('reported_at')
    .execute();
}

export function upsertWinner(db: D, row: Insertable<MonitoringWinnersTable>) {
  return db
    .insertInto('monitoring_winners')
    .values(row)
    .onConflict((oc) =>
      oc.column('lot_id').doUpdateSet({
        winner_organization_id: row.winner_organization_id,
        winner_name: row.winner_name,
        initiator_organization_id: row.initiator_organization_id,
        procedure_type: row.procedure_type,
      }),
    )
    .execute();
}

/** Lots awarded to `winner` in [from, to] whose committee had `expertId`. */
export function listWinsWithExpert(db: D, expertId: string, winner: string, from: Date, to: Date) {
  return db
    .selectFrom('monitoring_winners as w')
    .innerJoin('monitoring_committees as c', 'c.lot_id', 'w.lot_id')
    .select(['w.lot_id', 'w.winner_name', 'w.awarded_at', 'c.expert_name'])
    .where('c.expert_id', '=', expertId)
    .where('w.winner_organization_id', '=', winner)
    .where('w.awarded_at', '>=', from)
    .where('w.awarded_at', '<=', to)
    .orderBy('w.awarded_at')
    .execute();
}

/** Single-source lots of an initiator awarded to the same supplier in [from, to]. */
export function listSingleSourceAwards(db: D, initiator: string, winner: string, from: Date, to: Date) {
  return db
    .selectFrom('monitoring_winners')
    .selectAll()
    .where('initiator_organization_id', '=', initiator)
    .where('winner_organization_id', '=', winner)
    .where('procedure_type', '=', 'single-source')
    .where('awarded_at', '>=', from)
    .where('awarded_at', '<=', to)
    .orderBy('awarded_at')
    .execute();
}

export function upsertLotScan(db: D, row: Insertable<MonitoringLotScansTable>) {
  return db
    .insertInto('monitoring_lot_scans')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['lot_id', 'stage']).doUpdateSet({
        scanned_at: row.scanned_at,
        duration_ms: row.duration_ms,
        alerts_raised: row.alerts_raised,
      }),
    )
    .execute();
}

export function findLotScan(db: D, lotId: string, stage: string) {
  return db
    .selectFrom('monitoring_lot_scans')
    .selectAll()
    .where('lot_id', '=', lotId)
    .where('stage', '=', stage as never)
    .executeTakeFirst();
}

// ---- runs ----

export function insertRun(db: D, row: Insertable<MonitoringRunsTable>) {
  return db.insertInto('monitoring_runs').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateRun(db: D, id: string, changes: Updateable<MonitoringRunsTable>) {
  return db
    .updateTable('monitoring_runs')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export function findRun(db: D, id: string) {
  return db.selectFrom('monitoring_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listRuns(db: D, limit: number) {
  return db.selectFrom('monitoring_runs').selectAll().orderBy('requested_at', 'desc').limit(limit).execute();
}
