import type { BlobTables } from './platform/blobs/index.ts';
import type { CertsTables } from './platform/certs/index.ts';
import type { IdentityTables } from './platform/identity/index.ts';
import type { JobTables } from './platform/jobs/index.ts';
import type { WitnessTables } from './platform/witness/index.ts';
import type { CatalogsTables } from './service/catalogs/index.ts';
import type { EntitiesTables } from './service/entities/index.ts';
import type { ExpertsTables } from './service/experts/index.ts';
import type { InterfacesTables } from './service/interfaces/index.ts';
import type { OpendataTables } from './service/opendata/index.ts';
import type { VenuesTables } from './service/venues/index.ts';
import type { ComplaintsTables } from './supervision/complaints/index.ts';
import type { CreditTables } from './supervision/credit/index.ts';
import type { DutiesTables } from './supervision/duties/index.ts';
import type { InspectionsTables } from './supervision/inspections/index.ts';
import type { MonitoringTables } from './supervision/monitoring/index.ts';
import type { OversightTables } from './supervision/oversight/index.ts';
import type { RatingsTables } from './supervision/ratings/index.ts';
import type { ScopesTables } from './supervision/scopes/index.ts';
import type { StatisticsTables } from './supervision/statistics/index.ts';
import type { AuctionsTables } from './trading/auctions/index.ts';
import type { AwardsTables } from './trading/awards/index.ts';
import type { BidsTables } from './trading/bids/index.ts';
import type { ContractsTables } from './trading/contracts/index.ts';
import type { DepositsTables } from './trading/deposits/index.ts';
import type { DrawsTables } from './trading/draws/index.ts';
import type { EvaluationTables } from './trading/evaluation/index.ts';
import type { OpeningTables } from './trading/opening/index.ts';
import type { ProceduresTables } from './trading/procedures/index.ts';
import type { ProjectsTables } from './trading/projects/index.ts';
import type { TendersTables } from './trading/tenders/index.ts';

/** The whole database as Kysely sees it: every module's own tables. */
export interface AllTables
  extends IdentityTables,
    WitnessTables,
    JobTables,
    BlobTables,
    EntitiesTables,
    CatalogsTables,
    VenuesTables,
    CertsTables,
    ProjectsTables,
    TendersTables,
    BidsTables,
    DepositsTables,
    OpeningTables,
    DrawsTables,
    EvaluationTables,
    AwardsTables,
    ContractsTables,
    ExpertsTables,
    OpendataTables,
    StatisticsTables,
    InterfacesTables,
    ProceduresTables,
    ScopesTables,
    MonitoringTables,
    ComplaintsTables,
    OversightTables,
    DutiesTables,
    InspectionsTables,
    RatingsTables,
    CreditTables,
    AuctionsTables {}
