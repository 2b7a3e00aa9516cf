import type { Kysely, Transaction } from 'kysely';
import type { BlobStore } from '../../platform/blobs/index.ts';
import type { CertsTables, TrustStore } from '../../platform/certs/index.ts';
import type { Clock } from '../../platform/clock/index.ts';
import type { UseCaseContext } from '../../platform/context.ts';
import type { IdentityTables } from '../../platform/identity/index.ts';
import type { JobTables } from '../../platform/jobs/index.ts';
import type { FieldSealer } from '../../platform/sealing/index.ts';
import type { WitnessTables } from '../../platform/witness/index.ts';
import type {
  DepositsTables,
  EntitiesTables,
  PartyEligibility,
  ProceduresTables,
  ProjectsTables,
  TendersTables,
} from './deps.ts';
import type { ReceiptService } from './receipts.ts';
import type { BidsTables } from './tables.ts';

export type BidsDb = BidsTables &
  WitnessTables &
  JobTables &
  IdentityTables &
  CertsTables &
  EntitiesTables &
  ProjectsTables &
  TendersTables &
  ProceduresTables &
  DepositsTables;

export type Tx = Transaction<BidsDb>;
export type ReadDb = Kysely<BidsDb>;

/** 投标人资格限制: the credit gate (supervision/credit through main.ts) — reasons the bidder is barred now. */
export type BidderEligibility = PartyEligibility;

/** Everything the bids use cases share (one per platform instance). */
export interface BidsDeps {
  db: ReadDb;
  clock: Clock;
  sealer: FieldSealer;
  blobs: BlobStore;
  /** `<dataDir>`: uploads are staged under `<dataDir>/bid-staging/<uploadId>/<no>`. */
  dataDir: string;
  trust: Pick<TrustStore, 'validate'>;
  eligibility: BidderEligibility;
  receipts: ReceiptService;
}

export type BidsContext = UseCaseContext<BidsDb> & { deps: BidsDeps };

/** Largest chunk a PATCH may carry. */
export const MAX_CHUNK_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_PART_BYTES = 2 ** 31;
export const DEADLINE_JOB = 'bids.deadline';

/** Citations of the rules this module enforces. */
export const CITATIONS = {
  encrypted: '《电子招标投标办法》第二十五条',
  intake: '《电子招标投标办法》第二十六条',
  deadline: '《中华人民共和国招标投标法》第二十八条；《电子招标投标办法》第二十六条',
  modifyWithdraw: '《中华人民共和国招标投标法》第二十九条；《电子招标投标办法》第二十六条',
  receipt: '《电子招标投标办法》第二十七条',
  secrecy: '《电子招标投标办法》第二十七条；《中华人民共和国招标投标法》第二十二条',
  fallback: '《电子招标投标办法》第三十一条',
  registered: '《内蒙古自治区公共资源交易管理办法》第三十条',
  documents: '《中华人民共和国招标投标法实施条例》第十六条',
  deposit: '《中华人民共和国招标投标法实施条例》第二十六条',
  certificate: '《电子招标投标办法》第十二条；《中华人民共和国电子签名法》第十三条',
  suspended: '《中华人民共和国招标投标法实施条例》第二十二条',
} as const;
