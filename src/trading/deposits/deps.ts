/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2). The bids
 * module imports this module, so the accepted deposit forms come in through an injected reader instead of
 * an import (no cycle).
 */
export type { EntitiesDb } from '../../service/entities/index.ts';
export {
  findEntityByCreditCode,
  findEntityOfOrganization,
  normalizeCreditCode,
} from '../../service/entities/index.ts';
export {
  assertInScope,
  covers,
  requireSupervisorScope,
  type ScopesTables,
} from '../../supervision/scopes/index.ts';
export { getProcedure, type ProcedureType } from '../procedures/index.ts';
export type { ProjectsTables } from '../projects/index.ts';
export { assertMayActForLot, findLot, type LotSummary } from '../projects/index.ts';
export type { TendersTables } from '../tenders/index.ts';
export { getLotTimeline, type LotTimeline } from '../tenders/index.ts';
