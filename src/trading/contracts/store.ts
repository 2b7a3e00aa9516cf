import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/index.ts';
import type {
  ContractAlertsTable,
  ContractSignaturesTable,
  ContractsTable,
  ContractsTables,
} from './tables.ts';

// SQL for this module's own tables, and only those.
type CDb = Db<ContractsTables>;

export type ContractRow = Selectable<ContractsTable>;
export type SignatureRow = Selectable<ContractSignaturesTable>;
export type AlertRow = Selectable<ContractAlertsTable>;

export async function insertContract(db: CDb, row: Insertable<ContractsTable>) {
  await db.insertInto('contracts').values(row).execute();
}

export function findContract(db: CDb, id: string) {
  return db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findContractOfLot(db: CDb, lotId: string) {
  return db.selectFrom('contracts').selectAll().where('lot_id', '=', lotId).executeTakeFirst();
}

export function lockContract(db: CDb, id: string) {
  return db.selectFrom('contracts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function lockContractOfLot(db: CDb, lotId: string) {
  return db.selectFrom('contracts').selectAll().where('lot_id', '=', lotId).forUpdate().executeTakeFirst();
}

export async function updateContract(db: CDb, id: string, changes: Updateable<ContractsTable>) {
  await db.updateTable('contracts').set(changes).where('id', '=', id).execute();
}

export function listContractsOfOrganization(db: CDb, organizationId: string) {
  return db
    .selectFrom('contracts')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('initiator_organization_id', '=', organizationId),
        eb('agency_organization_id', '=', organizationId),
        eb('supplier_organization_id', '=', organizationId),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(200)
    .execute();
}

/** True when this party had not signed yet. */
export async function insertSignatureIfAbsent(db: CDb, row: Insertable<ContractSignaturesTable>) {
  const inserted = await db
    .insertInto('contract_signatures')
    .values(row)
    .onConflict((oc) => oc.columns(['contract_id', 'party']).doNothing())
    .returning('party')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function listSignatures(db: CDb, contractId: string) {
  return db
    .selectFrom('contract_signatures')
    .selectAll()
    .where('contract_id', '=', contractId)
    .orderBy('signed_at')
    .execute();
}

/** True when the alert was new (one per lot, kind and days-before). */
export async function insertAlertIfAbsent(db: CDb, row: Insertable<ContractAlertsTable>) {
  const inserted = await db
    .insertInto('contract_alerts')
    .values(row)
    .onConflict((oc) => oc.columns(['lot_id', 'kind', 'days_before']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function listAlertsOfLot(db: CDb, lotId: string) {
  return db
    .selectFrom('contract_alerts')
    .selectAll()
    .where('lot_id', '=', lotId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export function listRegulatorAlerts(db: CDb, limit: number) {
  return db
    .selectFrom('contract_alerts')
    .selectAll()
    .where('audience', '=', 'regulator')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
}
