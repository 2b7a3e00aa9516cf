/**
 * The OCDS 1.1 shapes the platform publishes (Open Contracting Data Standard, 开放合同数据标准): a release,
 * its packages and records, with the bids extension and the platform's private `ggzy` extension
 * (docs/ocds.md). Only the fields we emit are typed; the JSON schemas in ./schema are the authority.
 */

export type ReleaseTag =
  | 'planning'
  | 'planningUpdate'
  | 'tender'
  | 'tenderAmendment'
  | 'tenderUpdate'
  | 'tenderCancellation'
  | 'award'
  | 'awardUpdate'
  | 'awardCancellation'
  | 'contract'
  | 'contractUpdate'
  | 'contractAmendment'
  | 'implementation'
  | 'implementationUpdate'
  | 'contractTermination'
  | 'compiled';

/** Money: always 人民币, amount in 元 as a JSON number. */
export interface OcdsValue {
  amount: number;
  currency: 'CNY';
}

export interface OcdsPeriod {
  startDate?: string;
  endDate?: string;
}

export interface OcdsIdentifier {
  /** 'CN-USCC': 统一社会信用代码 (Unified Social Credit Code, GB 32100). */
  scheme: string;
  id: string;
  legalName: string;
}

export type PartyRole = 'buyer' | 'procuringEntity' | 'tenderer' | 'supplier';

export interface OcdsOrganization {
  id: string;
  name: string;
  identifier: OcdsIdentifier;
  address?: { region?: string; countryName?: string };
  roles: PartyRole[];
}

export interface OcdsOrganizationReference {
  id: string;
  name: string;
}

export interface OcdsDocument {
  id: string;
  documentType: string;
  title: string;
  url?: string;
  datePublished: string;
  format: string;
  language: string;
}

export interface OcdsAmendment {
  id: string;
  date: string;
  rationale: string;
  description?: string;
}

export interface OcdsTender {
  id: string;
  title: string;
  status: 'active' | 'cancelled' | 'unsuccessful' | 'complete';
  procuringEntity?: OcdsOrganizationReference;
  value: OcdsValue;
  procurementMethod: 'open' | 'selective' | 'limited' | 'direct';
  procurementMethodDetails: string;
  mainProcurementCategory?: 'goods' | 'works' | 'services';
  submissionMethod: string[];
  tenderPeriod?: OcdsPeriod;
  awardPeriod?: OcdsPeriod;
  numberOfTenderers?: number;
  tenderers?: OcdsOrganizationReference[];
  documents?: OcdsDocument[];
  amendments?: OcdsAmendment[];
}

export interface OcdsBid {
  id: string;
  date?: string;
  status: 'pending' | 'valid' | 'disqualified' | 'withdrawn';
  tenderers: OcdsOrganizationReference[];
  value?: OcdsValue;
}

export interface OcdsBidsStatistic {
  id: string;
  measure: string;
  value: number;
  date?: string;
}

export interface OcdsBids {
  statistics: OcdsBidsStatistic[];
  details: OcdsBid[];
}

export interface OcdsAward {
  id: string;
  title: string;
  status: 'pending' | 'active' | 'cancelled' | 'unsuccessful';
  date?: string;
  /** Absent for an auction's award: its 竞得人 and price are in the 成交公示 (the award's document). */
  value?: OcdsValue;
  suppliers?: OcdsOrganizationReference[];
  documents?: OcdsDocument[];
  relatedBid?: string;
}

export interface OcdsContract {
  id: string;
  awardID: string;
  title: string;
  status: 'pending' | 'active' | 'cancelled' | 'terminated';
  value: OcdsValue;
  dateSigned: string;
  documents?: OcdsDocument[];
}

/** The private extension: what OCDS has no field for (docs/ocds.md, schema/ggzy-extension). */
export interface GgzyExtension {
  /** 标段（包）编号 (23). */
  lotCode: string;
  /** 项目编号 (17). */
  projectCode: string;
  /** 招标项目编号 (20). */
  tenderProjectCode: string;
  projectName: string;
  /** 统一交易标识码, once the platform assigns one. */
  unifiedDealCode?: string;
  /** 交易目录 category ('01'…'09') and item. */
  categoryCode: string;
  catalogItemCode: string;
  /** The platform's procedure type (open-tender.works …). */
  procedureType: string;
  /** works 招标投标法 · gp 政府采购法 · other. */
  law: 'works' | 'gp' | 'other';
  /** 行政区划代码 (GB/T 2260). */
  regionCode: string;
  /** 依法必须招标. */
  mandatoryTender: boolean;
  /** 行政监督部门. */
  regulator: string;
  /** 招标文件获取时间. */
  documentsPeriod?: OcdsPeriod;
  /** 投标保证金. */
  deposit: { required: OcdsValue | null };
  /** 开标记录: its publication, SM3 digest, and whether the opening failed (不足三家等). */
  opening?: { publishedAt: string; recordSm3: string | null; failed: boolean };
  /** 中标候选人 with rank and score, as the publicity names them. */
  candidates?: { rank: number; partyId: string; name: string; value: OcdsValue; score: number | null }[];
  /** 流标/终止. */
  failure?: { date: string | null; reason: string | null };
  /** 专家抽取记录 reference, only once the result is public. */
  expertDraw?: { drawId: string; url?: string };
  /** What made this release: the trigger and its 见证事件 (witness event). */
  trigger: { kind: string; witnessEventId: number; announcementId: string | null };
}

export interface OcdsRelease {
  ocid: string;
  id: string;
  date: string;
  tag: ReleaseTag[];
  initiationType: 'tender';
  language: string;
  parties: OcdsOrganization[];
  buyer?: OcdsOrganizationReference;
  tender: OcdsTender;
  bids?: OcdsBids;
  awards?: OcdsAward[];
  contracts?: OcdsContract[];
  ggzy: GgzyExtension;
}

export interface OcdsPublisher {
  name: string;
  scheme?: string;
  uid?: string;
  uri?: string;
}

export interface PackageMeta {
  /** The URI of this package (absolute). */
  uri: string;
  publishedDate: Date | string;
  publisher: OcdsPublisher;
  /** Extension URLs (default: the bids extension and the ggzy extension under the package's origin). */
  extensions?: string[];
  license?: string;
  publicationPolicy?: string;
}

export interface OcdsReleasePackage {
  uri: string;
  version: '1.1';
  extensions: string[];
  publishedDate: string;
  publisher: OcdsPublisher;
  license?: string;
  publicationPolicy?: string;
  releases: OcdsRelease[];
}

export interface LinkedRelease {
  url: string;
  date: string;
  tag: ReleaseTag[];
}

export interface OcdsRecord {
  ocid: string;
  releases: OcdsRelease[] | LinkedRelease[];
  compiledRelease: OcdsRelease;
}

export interface OcdsRecordPackage {
  uri: string;
  version: '1.1';
  extensions: string[];
  publishedDate: string;
  publisher: OcdsPublisher;
  license?: string;
  publicationPolicy?: string;
  packages?: string[];
  records: OcdsRecord[];
}
