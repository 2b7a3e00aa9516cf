/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2): the lot and
 * its parties (projects), suspensions and the credit gate's port (procedures), the deposit terms, status and
 * settlement (deposits), the entities' credit codes (pre-emptive right holders), supervisors' scopes, and the
 * portal's platform-signed announcements (tenders) that every public notice is published as.
 */
export {
  type EntitiesDb,
  type EntitiesTables,
  findEntityOfOrganization,
} from '../../service/entities/index.ts';
export { assertInScope, type ScopesTables } from '../../supervision/scopes/index.ts';
export { scheduleContractDeadline } from '../awards/index.ts';
export {
  type DepositsDb,
  type DepositsTables,
  depositStatus,
  setDepositTerms,
  settleAuctionDeposits,
} from '../deposits/index.ts';
export {
  assertLotNotSuspended,
  CREDIT_CITATION,
  getProcedure,
  isAuctionProcedure,
  listSuspensions,
  type PartyEligibility,
  type ProceduresTables,
  suspendedLots,
  suspensionInForce,
} from '../procedures/index.ts';
export {
  assertLotReceived,
  assertMayActForLot,
  findLot,
  type LotSummary,
  type ProjectsDb,
  type ProjectsTables,
} from '../projects/index.ts';
export { publishSystemAnnouncement, type SystemAnnouncementInput, type TendersDb } from '../tenders/index.ts';
