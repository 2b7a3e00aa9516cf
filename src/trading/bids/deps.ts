/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2).
 * The deposits module does not import this one (its accepted forms reader is injected), so no cycle.
 */

export type { EntitiesTables } from '../../service/entities/index.ts';
export { findEntityOfOrganization } from '../../service/entities/index.ts';
export type { DepositsTables } from '../deposits/index.ts';
export { depositStatus, scheduleDepositRefunds } from '../deposits/index.ts';
export {
  assertLotNotSuspended,
  CREDIT_CITATION,
  type PartyEligibility,
  type ProceduresTables,
} from '../procedures/index.ts';
export type { ProjectsTables } from '../projects/index.ts';
export { assertMayActForLot, findLot, type LotSummary } from '../projects/index.ts';
export type { TendersTables } from '../tenders/index.ts';
export { getLotTimeline, hasObtainedDocuments, type LotTimeline } from '../tenders/index.ts';
