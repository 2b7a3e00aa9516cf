/**
 * What the spot checks use of other modules, through their public faces only: lots and projects
 * (projects), organisations (entities), accounts (identity), supervisors' scopes (scopes) and the expert
 * draw's verifiable-randomness primitives (draws: `seedCommitment`, `listHash`, `replayDraw`).
 */

export {
  type EntitiesDb,
  findEntityByCreditCode,
  findEntityOfOrganization,
  searchPublicEntities,
} from '../../service/entities/index.ts';
export {
  type EligibleEntry,
  type GroupNeed,
  listHash,
  replayDraw,
  seedCommitment,
} from '../../trading/draws/index.ts';
export {
  findLot,
  type LotSummary,
  listLotsOfProject,
  listProjectsForStaff,
  type ProjectsDb,
} from '../../trading/projects/index.ts';
export {
  assertInScope,
  covers,
  getSupervisorScope,
  listSupervisorScopes,
  requireSupervisorScope,
  SCOPE_CITATION,
  type ScopesTables,
  type SupervisorScope,
} from '../scopes/index.ts';
