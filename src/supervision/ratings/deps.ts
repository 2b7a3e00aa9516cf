/**
 * What the ratings use of other modules, through their public faces only: how a lot ended (awards), who
 * sat on its committee (draws), whose bids were opened (opening), the lot and its parties (projects), an
 * expert's account (experts) and supervisors' scopes (scopes).
 */

export { type ExpertsDb, findExpertOfAccount } from '../../service/experts/index.ts';
export { type AwardsDb, getAward } from '../../trading/awards/index.ts';
export { type DrawsDb, readDrawnCommittee } from '../../trading/draws/index.ts';
export { type OpeningDb, readOpeningOutcome } from '../../trading/opening/index.ts';
export { findLot, type ProjectsDb } from '../../trading/projects/index.ts';
export { covers, requireSupervisorScope, type ScopesTables, type SupervisorScope } from '../scopes/index.ts';
