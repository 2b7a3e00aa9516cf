import { blobsMigrations } from './platform/blobs/index.ts';
import { certsMigrations } from './platform/certs/index.ts';
import type { SqlMigration } from './platform/db/index.ts';
import { identityMigrations } from './platform/identity/index.ts';
import { jobsMigrations } from './platform/jobs/index.ts';
import { witnessMigrations } from './platform/witness/index.ts';
import { catalogsMigrations } from './service/catalogs/index.ts';
import { entitiesMigrations } from './service/entities/index.ts';
import { expertsMigrations } from './service/experts/index.ts';
import { interfacesMigrations } from './service/interfaces/index.ts';
import { opendataMigrations } from './service/opendata/index.ts';
import { venuesMigrations } from './service/venues/index.ts';
import { complaintsMigrations } from './supervision/complaints/index.ts';
import { creditMigrations } from './supervision/credit/index.ts';
import { dutiesMigrations } from './supervision/duties/index.ts';
import { inspectionsMigrations } from './supervision/inspections/index.ts';
import { monitoringMigrations } from './supervision/monitoring/index.ts';
import { oversightMigrations } from './supervision/oversight/index.ts';
import { ratingsMigrations } from './supervision/ratings/index.ts';
import { scopesMigrations } from './supervision/scopes/index.ts';
import { statisticsMigrations } from './supervision/statistics/index.ts';
import { auctionsMigrations } from './trading/auctions/index.ts';
import { awardsMigrations } from './trading/awards/index.ts';
import { bidsMigrations } from './trading/bids/index.ts';
import { contractsMigrations } from './trading/contracts/index.ts';
import { depositsMigrations } from './trading/deposits/index.ts';
import { drawsMigrations } from './trading/draws/index.ts';
import { evaluationMigrations } from './trading/evaluation/index.ts';
import { openingMigrations } from './trading/opening/index.ts';
import { proceduresMigrations } from './trading/procedures/index.ts';
import { projectsMigrations } from './trading/projects/index.ts';
import { tendersMigrations } from './trading/tenders/index.ts';

/** Every module's migrations, in the order they run (names sort the same way). */
export const allMigrations: SqlMigration[] = [
  ...identityMigrations,
  ...witnessMigrations,
  ...jobsMigrations,
  ...blobsMigrations,
  ...entitiesMigrations,
  ...catalogsMigrations,
  ...venuesMigrations,
  ...certsMigrations,
  ...projectsMigrations,
  ...tendersMigrations,
  ...bidsMigrations,
  ...depositsMigrations,
  ...openingMigrations,
  ...drawsMigrations,
  ...evaluationMigrations,
  ...awardsMigrations,
  ...contractsMigrations,
  ...expertsMigrations,
  ...opendataMigrations,
  ...statisticsMigrations,
  ...interfacesMigrations,
  ...proceduresMigrations,
  ...scopesMigrations,
  ...monitoringMigrations,
  ...complaintsMigrations,
  ...oversightMigrations,
  ...dutiesMigrations,
  ...inspectionsMigrations,
  ...ratingsMigrations,
  ...creditMigrations,
  ...auctionsMigrations,
].sort((a, b) => a.name.localeCompare(b.name));
