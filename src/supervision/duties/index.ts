export {
  DUTY_LIST_KINDS,
  DUTY_LIST_NAMES_ZH,
  DUTY_LIST_WITNESS_TYPE,
  type DutiesContext,
  type DutiesDb,
  type DutyListVersionView,
  discardDraft,
  publishDraft,
  readPublicLists,
  readPublishedVersion,
  saveDraft,
  seedRegulationDutyLists,
} from './duties.ts';
export { dutiesMigrations } from './migrations.ts';
export { DUTY_LISTS_CITATION, REGULATION_ITEMS } from './regulation.ts';
export { type DutyRouteDeps, registerDutyRoutes } from './routes.ts';
export type { DutiesTables, DutyItem, DutyListKind } from './tables.ts';
