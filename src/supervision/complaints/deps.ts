/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2): the lot and
 * its law, the trading stages' 异议/质疑 records (read ports), the suspension of a procedure, the
 * supervisor's scope, the market entities' names, uploaded files and the regions' names.
 */
export { type BlobTables, getBlobRecord } from '../../platform/blobs/index.ts';
export { type EntitiesTables, findEntityOfOrganization } from '../../service/entities/index.ts';
export { regionByCode, regionPath } from '../../service/regions/index.ts';
export { type AwardsTables, listResultObjectionsByOrganization } from '../../trading/awards/index.ts';
export { OPENING_WITNESS_TYPE, type OpeningTables, readOpeningOutcome } from '../../trading/opening/index.ts';
export {
  getProcedure,
  listSuspensions,
  type ProceduresTables,
  resumeLot,
  type Suspension,
  suspendLot,
  suspensionInForce,
  tenderLawOf,
} from '../../trading/procedures/index.ts';
export {
  assertMayActForLot,
  findLot,
  type LotSummary,
  type ProjectsTables,
} from '../../trading/projects/index.ts';
export {
  hasObtainedDocuments,
  listDocumentObjectionsByOrganization,
  type TendersTables,
} from '../../trading/tenders/index.ts';
export {
  assertInScope,
  covers,
  requireSupervisorScope,
  type ScopesTables,
  type SupervisorScope,
} from '../scopes/index.ts';
