export { scopesMigrations } from './migrations.ts';
export { registerScopeRoutes, type ScopeRouteDeps } from './routes.ts';
export { ScopeInput, ScopeView } from './schemas.ts';
export {
  assertInScope,
  covers,
  getSupervisorScope,
  listSupervisorScopes,
  requireSupervisorScope,
  SCOPE_CITATION,
  type ScopeSubject,
  type ScopesContext,
  type ScopesDb,
  type SupervisorScope,
  setSupervisorScope,
} from './scopes.ts';
export type { ScopesTables } from './tables.ts';
