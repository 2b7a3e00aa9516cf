/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2). The lot's
 * bidders are read only through the bids module's function, inside the drawing process.
 */
export type { EntitiesTables } from '../../service/entities/index.ts';
export { findEntityOfOrganization } from '../../service/entities/index.ts';
export {
  DRAW_RULE_CITATIONS,
  DRAW_RULE_NAMES_ZH,
  DRAW_RULE_ORDER,
  type DrawAvoidEntry,
  type DrawCandidate,
  type DrawCandidateQuery,
  type DrawRuleCode,
  type ExpertsDb,
  findExpertOfAccount,
  getExpertsForDraw,
  isKnownSpecialty,
  listDrawCandidates,
} from '../../service/experts/index.ts';
export { isKnownRegion } from '../../service/regions/index.ts';
export { type BidsDb, listBidderOrganizationsForDraw } from '../bids/index.ts';
export type { ProjectsTables } from '../projects/index.ts';
export { assertMayActForLot, findLot, type LotSummary } from '../projects/index.ts';
export { getLotTimeline } from '../tenders/index.ts';
