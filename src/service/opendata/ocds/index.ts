/**
 * OCDS 1.1 publication (开放合同数据标准): releases built from public process snapshots, compiled
 * releases, release and record packages, and validation against the official schemas (docs/ocds.md).
 */
export {
  CREDIT_CODE_SCHEME,
  isoDate,
  mainProcurementCategoryOf,
  money,
  partyId,
  procurementMethodOf,
} from './mapping.ts';
export { compileReleases } from './merge.ts';
export {
  BIDS_EXTENSION_URL,
  GGZY_EXTENSION_PATH,
  GGZY_EXTENSION_SCHEMA_PATH,
  ggzyExtensionMetadata,
  recordOf,
  recordPackage,
  releasePackage,
} from './packages.ts';
export { type BuildReleaseOptions, buildRelease } from './release.ts';
export type * from './types.ts';
export {
  extendedReleaseSchema,
  ggzyExtensionReleaseSchema,
  type OcdsDocumentKind,
  type OcdsSchemaSet,
  type OcdsValidation,
  validateOcds,
} from './validate.ts';
