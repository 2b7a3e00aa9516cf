export type { Actor, SessionLookup } from './actor.ts';
export { accountsHoldingGrant, type GrantInput, grant, hasGrant, revokeGrant } from './grants.ts';
export {
  createIdentity,
  type Identity,
  type IdentityDb,
  type IdentityDeps,
  requireActor,
} from './identity.ts';
export { identityMigrations } from './migrations.ts';
export { hashPassword, validatePasswordStrength } from './passwords.ts';
export {
  type AccountRecord,
  assertUsernameFormat,
  checkRoles,
  disableAccountRecord,
  findAccountById,
  findAccountByUsername,
  findOrganizationByCreditCode,
  findOrganizationById,
  type IdentityTx,
  listAccountsOfOrganization,
  type OrganizationRecord,
  type PreparedPassword,
  preparePassword,
  recordAccount,
  recordOrganization,
  setAccountRoles,
  updateOrganizationRecord,
} from './records.ts';
export { isRole, ROLE_NAMES_ZH, ROLES, type Role } from './roles.ts';
export { type IdentityRouteDeps, registerIdentityRoutes } from './routes.ts';
export type { IdentityTables } from './tables.ts';
