import { Forbidden, NotFound, RuleViolation } from '../../platform/errors.ts';
import {
  accountsHoldingGrant,
  assertUsernameFormat,
  checkRoles,
  disableAccountRecord,
  findAccountById,
  isRole,
  listAccountsOfOrganization,
  preparePassword,
  ROLE_NAMES_ZH,
  recordAccount,
} from '../../platform/identity/index.ts';
import type { EntitiesContext } from './entities.ts';
import { ENTITY_PLATFORM_ROLES, type EntityPlatformRole, platformRolesOf } from './entity-roles.ts';
import { ORG_ADMIN_RELATION, requireOrganizationAdmin } from './policy.ts';

/** 本单位账号 as its administrator sees them. */
export interface OrganizationAccount {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  status: 'active' | 'disabled';
  isAdmin: boolean;
  createdAt: string;
}

export async function listOrganizationAccounts(ctx: EntitiesContext): Promise<OrganizationAccount[]> {
  const { entity } = await requireOrganizationAdmin(ctx.db, ctx.actor);
  const [accounts, admins] = await Promise.all([
    listAccountsOfOrganization(ctx.db, entity.organization_id),
    accountsHoldingGrant(ctx.db, ORG_ADMIN_RELATION, { type: 'organization', id: entity.organization_id }),
  ]);
  return accounts.map((a) => ({
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    roles: a.roles,
    status: a.status,
    isAdmin: admins.includes(a.id),
    createdAt: a.createdAt.toISOString(),
  }));
}

function roleName(role: string): string {
  return isRole(role) ? `${ROLE_NAMES_ZH[role]}（${role}）` : role;
}

/**
 * 机构管理员创建本单位账号. Only for an accepted organisation, only in its own organisation, and only with
 * the market roles the entity itself holds — never operator, supervisor, auditor or expert accounts, which
 * are the trading centre's and the supervisors' to create.
 */
export async function createOrganizationAccount(
  ctx: EntitiesContext,
  input: { username: string; displayName: string; password: string; roles: string[] },
): Promise<{ id: string; username: string }> {
  const { entity } = await requireOrganizationAdmin(ctx.db, ctx.actor);
  if (entity.kind === 'natural_person') {
    throw new RuleViolation('PERSON_HAS_NO_STAFF', {
      title: '自然人主体不能创建下属账号',
      detail: '自然人以本人账号参与交易。',
    });
  }
  if (entity.status !== 'active') {
    throw new RuleViolation('ENTITY_NOT_ACTIVE', {
      title: '登记尚未受理',
      detail: '市场主体登记经交易中心受理后，机构管理员才能创建本单位账号。',
    });
  }
  const requested = [...new Set(input.roles)];
  const notDelegable = requested.filter((r) => !(ENTITY_PLATFORM_ROLES as readonly string[]).includes(r));
  if (notDelegable.length > 0) {
    throw new Forbidden('ROLE_NOT_DELEGABLE', {
      title: '不能创建该角色的账号',
      detail: `机构管理员只能创建本单位的招标人（initiator）、代理机构（agency）、投标人（responder）账号，不能创建：${notDelegable.map(roleName).join('、')}。`,
    });
  }
  const held = platformRolesOf(entity.roles);
  const notHeld = requested.filter((r) => !held.includes(r as EntityPlatformRole));
  if (notHeld.length > 0) {
    throw new Forbidden('ROLE_NOT_HELD', {
      title: '本单位未登记该主体角色',
      detail: `本单位未登记为${notHeld.map(roleName).join('、')}，不能创建该角色的账号。`,
    });
  }
  // Who may create the account is decided above (this module's rule); identity checks the account itself
  // — username, roles, password — and records it with its witness event.
  assertUsernameFormat(input.username);
  const roles = checkRoles(requested, { atLeastOne: true });
  const passwordHash = await preparePassword(input.password);
  const account = await ctx.db.transaction().execute((tx) =>
    recordAccount(tx, ctx.clock.now(), ctx.origin, {
      username: input.username,
      displayName: input.displayName,
      passwordHash,
      roles,
      organizationId: entity.organization_id,
    }),
  );
  return { id: account.id, username: account.username };
}

/** 停用本单位账号: the account is disabled and every session it has ends at once. */
export async function disableOrganizationAccount(
  ctx: EntitiesContext,
  accountId: string,
): Promise<{ sessionsEnded: number }> {
  const { actor, entity } = await requireOrganizationAdmin(ctx.db, ctx.actor);
  const target = await findAccountById(ctx.db, accountId);
  // Another organisation's account is "not found": an administrator learns nothing about other units.
  if (!target || target.organizationId !== entity.organization_id) {
    throw new NotFound('ACCOUNT_NOT_FOUND', { title: '本单位没有该账号' });
  }
  // The origin names the administrator, so identity refuses the administrator disabling itself.
  const origin = { ...ctx.origin, accountId: actor.accountId };
  const { sessionsEnded } = await ctx.db
    .transaction()
    .execute((tx) =>
      disableAccountRecord(tx, ctx.clock.now(), origin, accountId, { context: { by: ORG_ADMIN_RELATION } }),
    );
  return { sessionsEnded };
}
