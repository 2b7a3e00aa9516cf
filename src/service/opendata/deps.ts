/**
 * What the open-data module reads of its neighbours, only through their index.ts (DESIGN §2): the lot,
 * its published announcements, the opening record, the award (or an auction's deal), the signed contract, the expert draw's
 * reference, the parties' names and codes, and the witness log it follows.
 */
export { type EntitiesDb, findEntityOfOrganization } from '../../service/entities/index.ts';
export {
  type ProcessFacts,
  type StatisticsTables,
  upsertProcessFacts,
} from '../../supervision/statistics/index.ts';
export { type AuctionsDb, getDealOfLot } from '../../trading/auctions/index.ts';
export { type AwardsDb, getAward } from '../../trading/awards/index.ts';
export { type ContractsDb, readSignedContract } from '../../trading/contracts/index.ts';
export { type DrawsDb, readDrawnCommittee } from '../../trading/draws/index.ts';
export { type OpeningDb, readOpeningOutcome } from '../../trading/opening/index.ts';
export { getProcedure, isProcedureType } from '../../trading/procedures/index.ts';
export { findLot, type ProjectsTables } from '../../trading/projects/index.ts';
export { listPublicAnnouncementsOfLot, type TendersDb } from '../../trading/tenders/index.ts';
export { findTradingCatalogItem } from '../catalogs/index.ts';
