import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type { InterfaceRecordsTable, InterfacesTables, ThirdPartySystemsTable } from './tables.ts';

type D = Db<InterfacesTables>;
export type SystemRow = Selectable<ThirdPartySystemsTable>;
export type StoredRecordRow = Selectable<InterfaceRecordsTable>;

// ---- systems ----

export async function insertSystem(db: D, row: Insertable<ThirdPartySystemsTable>) {
  return db
    .insertInto('third_party_systems')
    .values(row)
    .onConflict((oc) => oc.column('platform_code').where('status', '=', 'active').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function findSystem(db: D, id: string) {
  return db.selectFrom('third_party_systems').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The active credential of a platform code, else its latest revoked one (to say "revoked"). */
export function findSystemByCode(db: D, platformCode: string) {
  return db
    .selectFrom('third_party_systems')
    .selectAll()
    .where('platform_code', '=', platformCode)
    .orderBy('status', 'asc') // 'active' < 'revoked'
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listSystems(db: D) {
  return db.selectFrom('third_party_systems').selectAll().orderBy('created_at', 'desc').execute();
}

export function revokeSystem(db: D, id: string, reason: string, at: Date) {
  return db
    .updateTable('third_party_systems')
    .set({ status: 'revoked', revoke_reason: reason, revoked_at: at, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returningAll()
    .executeTakeFirst();
}

// ---- nonces ----

export async function claimNonce(db: D, systemId: string, nonce: string, expiresAt: Date, now: Date) {
  await db.deleteFrom('interface_nonces').where('expires_at', '<', now).execute();
  const inserted = await db
    .insertInto('interface_nonces')
    .values({ system_id: systemId, nonce, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['system_id', 'nonce']).doNothing())
    .returning('nonce')
    .executeTakeFirst();
  return inserted !== undefined;
}

// ---- records ----

/** Inserts the versions not stored yet; returns the ones inserted (the others are duplicates). */
export async function insertRecords(db: D, rows: Insertable<InterfaceRecordsTable>[]) {
  if (rows.length === 0) return [];
  return db
    .insertInto('interface_records')
    .values(rows)
    .onConflict((oc) => oc.columns(['system_id', 'table_name', 'record_key', 'version']).doNothing())
    .returning(['table_name', 'record_key', 'version'])
    .execute();
}

/** Region codes the system's stored records give for these deals and tender projects. */
export async function knownRegions(
  db: D,
  systemId: string,
  dealCodes: string[],
  tenderProjectCodes: string[],
): Promise<{ deals: Map<string, string>; tenderProjects: Map<string, string> }> {
  const deals = new Map<string, string>();
  const tenderProjects = new Map<string, string>();
  if (dealCodes.length > 0) {
    const rows = await db
      .selectFrom('interface_records')
      .select(['deal_code', 'region_code'])
      .where('system_id', '=', systemId)
      .where('deal_code', 'in', dealCodes)
      .where('region_code', 'is not', null)
      .execute();
    for (const r of rows) if (r.deal_code && r.region_code) deals.set(r.deal_code, r.region_code);
  }
  if (tenderProjectCodes.length > 0) {
    const rows = await db
      .selectFrom('interface_records')
      .select(['tender_project_code', 'region_code'])
      .where('system_id', '=', systemId)
      .where('tender_project_code', 'in', tenderProjectCodes)
      .where('region_code', 'is not', null)
      .execute();
    for (const r of rows) {
      if (r.tender_project_code && r.region_code) tenderProjects.set(r.tender_project_code, r.region_code);
    }
  }
  return { deals, tenderProjects };
}

/** Which of these 招标项目编号 the system has pushed a TENDER_PROJECT record for. */
export async function knownTenderProjects(db: D, systemId: string, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .selectFrom('interface_records')
    .select('tender_project_code')
    .distinct()
    .where('system_id', '=', systemId)
    .where('table_name', '=', 'TENDER_PROJECT')
    .where('tender_project_code', 'in', codes)
    .execute();
  return new Set(rows.map((r) => r.tender_project_code).filter((c): c is string => c !== null));
}

/** Every stored record of these deals (all versions), for folding into statistics. */
export function recordsOfDeals(db: D, systemId: string, dealCodes: string[]) {
  if (dealCodes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('interface_records')
    .select(['table_name', 'record_key', 'version', 'deal_code', 'region_code', 'data'])
    .where('system_id', '=', systemId)
    .where('deal_code', 'in', dealCodes)
    .execute();
}

export function listRecords(
  db: Kysely<InterfacesTables>,
  q: { systemId: string; table?: string | undefined; afterSeq: string | null; limit: number },
) {
  let query = db
    .selectFrom('interface_records')
    .selectAll()
    .where('system_id', '=', q.systemId)
    .orderBy('seq', 'asc')
    .limit(q.limit);
  if (q.table) query = query.where('table_name', '=', q.table);
  if (q.afterSeq !== null) query = query.where('seq', '>', q.afterSeq);
  return query.execute();
}

// ---- pushes ----

export function insertPush(db: D, row: Insertable<InterfacesTables['interface_pushes']>) {
  return db.insertInto('interface_pushes').values(row).execute();
}

export function listPushes(
  db: Kysely<InterfacesTables>,
  q: { systemId?: string | undefined; limit: number },
) {
  let query = db
    .selectFrom('interface_pushes')
    .innerJoin('third_party_systems', 'third_party_systems.id', 'interface_pushes.system_id')
    .selectAll('interface_pushes')
    .select(['third_party_systems.platform_code', 'third_party_systems.name'])
    .orderBy('interface_pushes.received_at', 'desc')
    .limit(q.limit);
  if (q.systemId) query = query.where('interface_pushes.system_id', '=', q.systemId);
  return query.execute();
}
