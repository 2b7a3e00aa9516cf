/**
 * What this module uses of its neighbours, imported only through their index.ts (DESIGN §2): the lot and
 * its parties (projects), the deadline (tenders), the opening record (opening), the drawn experts (draws),
 * the expert pool's performance records (experts), the procedure's minimum (procedures).
 */
export type { BlobStore } from '../../platform/blobs/index.ts';
export type { CertsModule, CertsTables } from '../../platform/certs/index.ts';
export {
  findBoundCertificatesOfAccount,
  parseCertificateDer,
  parseCertificates,
  verifyDetached,
} from '../../platform/certs/index.ts';
export type { EntitiesTables } from '../../service/entities/index.ts';
export type { ExpertsTables } from '../../service/experts/index.ts';
export { type ExpertsDb, recordExpertPerformance } from '../../service/experts/index.ts';
export { type DrawnCommittee, type DrawnMember, type DrawsDb, readDrawnCommittee } from '../draws/index.ts';
export { type OpeningOutcome, type OpeningTables, readOpeningOutcome } from '../opening/index.ts';
export {
  assertLotNotSuspended,
  getProcedure,
  minimumResponders,
  type ProceduresTables,
  type ProcedureType,
  tenderLawOf,
} from '../procedures/index.ts';
export { assertMayActForLot, findLot, type LotSummary, type ProjectsTables } from '../projects/index.ts';
export { getLotTimeline, type TendersTables } from '../tenders/index.ts';
