export {
  APPLICATION_WITNESS_TYPE,
  EXPERT_WITNESS_TYPE,
  type ExpertsContext,
  type ExpertsDb,
  IMPORT_WITNESS_TYPE,
} from './common.ts';
export {
  type DrawAvoidEntry,
  type DrawCandidate,
  type DrawCandidateQuery,
  type ExpertForDraw,
  findExpertOfAccount,
  getExpertsForDraw,
  listDrawCandidates,
  type PerformanceInput,
  recordExpertPerformance,
} from './draw.ts';
export {
  type ExpertImportRow,
  type ExpertRelationshipInput,
  type ExpertUnavailabilityInput,
  importExperts,
} from './import.ts';
export { expertsMigrations } from './migrations.ts';
export { type ExpertRouteDeps, registerExpertRoutes } from './routes.ts';
export {
  DRAW_RULE_CITATIONS,
  DRAW_RULE_NAMES_ZH,
  DRAW_RULE_ORDER,
  type DrawRuleCode,
  FORMER_EMPLOYER_YEARS,
} from './rules.ts';
export {
  allSpecialties,
  isKnownSpecialty,
  SPECIALTY_TABLE_SOURCE,
  type Specialty,
  type SpecialtyNode,
  specialtyByCode,
  specialtyPathName,
  specialtyTree,
} from './specialties.ts';
export type {
  ApplicationStatus,
  EmployerKind,
  ExpertRecordKind,
  ExpertStatus,
  ExpertsTables,
  Gender,
  RelationshipKind,
  TitleLevel,
} from './tables.ts';
