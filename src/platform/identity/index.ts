export type { Actor, SessionLookup } from './actor.ts';
export { grant, hasGrant, revokeGrant } from './grants.ts';
export {
  createIdentity,
  type Identity,
  type IdentityDb,
  type IdentityDeps,
  requireActor,
} from './identity.ts';
export { identityMigrations } from './migrations.ts';
export { hashPassword, validatePasswordStrength } from './passwords.ts';
export { isRole, ROLE_NAMES_ZH, ROLES, type Role } from './roles.ts';
export { type IdentityRouteDeps, registerIdentityRoutes } from './routes.ts';
export type { IdentityTables } from './tables.ts';
