import type { Kysely } from 'kysely';
import type { EntitiesDb as EntitiesReadDb } from './entities.ts';

export {
  CREDIT_CODE_CHARSET,
  type CreditCodeCheck,
  type CreditCodePart,
  checkCreditCode,
  composeCreditCode,
  creditCodeCheckCharacter,
  normalizeCreditCode,
  organizationCodeCheckCharacter,
  REGISTRATION_AUTHORITIES,
} from './credit-code.ts';
export {
  acceptEntity,
  addMyQualification,
  ENTITY_WITNESS_TYPE,
  type EntitiesContext,
  type EntitiesDb,
  type EntityView,
  type ExpiredQualification,
  findEntityOfOrganization,
  flagExpiredQualifications,
  getEntityForStaff,
  getMyEntity,
  listEntitiesForStaff,
  listEntityVersionsForStaff,
  listExpiredQualifications,
  listMyVersions,
  type MyEntityView,
  type PublicEntityView,
  type RegistrationResult,
  registerEntity,
  removeMyQualification,
  resubmitMyEntity,
  returnEntity,
  searchPublicEntities,
  updateMyEntity,
  type VersionEntry,
} from './entities.ts';
export {
  ENTITY_PLATFORM_ROLES,
  ENTITY_ROLE_INFO,
  ENTITY_ROLES,
  type EntityPlatformRole,
  type EntityRole,
  isEntityRole,
  ORGANIZATION_ONLY_ROLES,
  platformRolesOf,
} from './entity-roles.ts';
export {
  checkIdNumber,
  type IdNumberCheck,
  idNumberCheckCharacter,
  maskIdNumber,
  normalizeIdNumber,
} from './id-card.ts';
export { entitiesMigrations } from './migrations.ts';
export {
  createOrganizationAccount,
  disableOrganizationAccount,
  listOrganizationAccounts,
  type OrganizationAccount,
} from './organization-accounts.ts';
export { isOrganizationAdmin, ORG_ADMIN_RELATION } from './policy.ts';
export { type EntityRouteDeps, registerEntityRoutes } from './routes.ts';
export type { EntityDetails, EntityUpdate, QualificationData, RegistrationInput } from './schemas.ts';
export { ENTITY_STATUS_NAMES_ZH } from './states.ts';
export type {
  EntitiesTables,
  EntityKind,
  EntityQualificationsTable,
  EntityStatus,
  EntityVersionsTable,
  IdType,
  MarketEntitiesTable,
} from './tables.ts';
export { ENTITY_KIND_NAMES_ZH } from './views.ts';

/**
 * The entity holding this 统一社会信用代码 — its organisation, status, roles and 基本账户 — or undefined
 * (the deposits module checks a guarantee's applicant and where a deposit came from).
 */
export async function findEntityByCreditCode(db: Kysely<EntitiesReadDb>, creditCode: string) {
  const row = await db
    .selectFrom('market_entities')
    .select([
      'id',
      'organization_id',
      'name',
      'credit_code',
      'roles',
      'status',
      'bank_name',
      'bank_account_number',
      'bank_account_name',
    ])
    .where('credit_code', '=', creditCode)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    creditCode: row.credit_code,
    roles: row.roles,
    status: row.status,
    basicAccount: {
      bankName: row.bank_name,
      accountNumber: row.bank_account_number,
      accountName: row.bank_account_name,
    },
  };
}
