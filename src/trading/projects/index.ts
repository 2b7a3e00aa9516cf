export { authoriseAgency, revokeAuthorisation } from './authorisations.ts';
export {
  LOT_CODE_LENGTH,
  lotCodeOf,
  PROJECT_CODE_LENGTH,
  PROJECT_CODE_PREFIX,
  TENDER_PROJECT_CODE_LENGTH,
  tenderProjectCodeOf,
} from './codes.ts';
export {
  assertLotReceived,
  assertMayActForLot,
  assertMayActForProject,
  findLot,
  type LotSummary,
  listLotsOfProject,
} from './lots.ts';
export { projectsMigrations } from './migrations.ts';
export { AGENCY_ENTITY_ROLES, INITIATOR_ENTITY_ROLES } from './policy.ts';
export {
  addLot,
  getProject,
  LOT_WITNESS_TYPE,
  type LotView,
  listAgencyProjects,
  listMyProjects,
  listProjectsForStaff,
  PROJECT_WITNESS_TYPE,
  type ProjectsContext,
  type ProjectsDb,
  type ProjectView,
  receiveProject,
  registerProject,
  resubmitProject,
  returnProject,
  updateProject,
} from './projects.ts';
export { type ProjectRouteDeps, registerProjectRoutes } from './routes.ts';
export type { LotData, ProjectRegistrationInput } from './schemas.ts';
export { SPLIT_CITATION, splitWindowFrom } from './split-flags.ts';
export {
  AUTHORISATION_STATUS_NAMES_ZH,
  LOT_STATUS_NAMES_ZH,
  PROJECT_STATUS_NAMES_ZH,
  PROJECT_TRANSITIONS,
} from './states.ts';
export type {
  AgencyAuthorisationsTable,
  ApprovalDocument,
  AuthorisationStatus,
  LotStatus,
  LotsTable,
  ProjectStatus,
  ProjectsTable,
  ProjectsTables,
  SplitFlagsTable,
} from './tables.ts';
