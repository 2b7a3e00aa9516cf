/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2), gathered in
 * one place so the rest of the module reads the same names whichever neighbour provides them.
 */

export type { CatalogsTables } from '../../service/catalogs/index.ts';
export {
  disclosedAnnouncementKinds,
  findTradingCatalogItem,
} from '../../service/catalogs/index.ts';
export type { EntitiesTables } from '../../service/entities/index.ts';
export {
  checkCreditCode,
  findEntityOfOrganization,
  normalizeCreditCode,
} from '../../service/entities/index.ts';
export type { VenuesTables } from '../../service/venues/index.ts';
export { shiftLotBookings } from '../../service/venues/index.ts';
export {
  ANNOUNCEMENT_KIND_NAMES_ZH,
  ANNOUNCEMENT_KINDS,
  type AnnouncementKind,
  assertDeposit,
  assertTimeline,
  CREDIT_CITATION,
  checkTimeline,
  clarificationEffect,
  getProcedure,
  objectionAnswerDue,
  objectionWindow,
  type PartyEligibility,
  type ProceduresTables,
  type ProcedureType,
  type Timeline,
  tenderLawOf,
} from '../procedures/index.ts';
export type { ProjectsTables } from '../projects/index.ts';
export {
  assertLotReceived,
  assertMayActForLot,
  findLot,
  type LotSummary,
} from '../projects/index.ts';
