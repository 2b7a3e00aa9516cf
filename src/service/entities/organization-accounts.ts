import { Forbidden, NotFound, RuleViolation } from '../../platform/errors.ts';
import { type Identity, isRole, ROLE_NAMES_ZH } from '../../platform/identity/index.ts';
import { appendWitnessEvent } from '../../platform/witness/index.ts';
import type { EntitiesContext } from './entities.ts';
import { ENTITY_PLATFORM_ROLES, type EntityPlatformRole, platformRolesOf } from './entity-roles.ts';
import { ORG_ADMIN_RELATION, requireOrganizationAdmin } from './policy.ts';
import * as store from './store.ts';

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
  const [rows, admins] = await Promise.all([
    store.listOrganizationAccounts(ctx.db, entity.organization_id),
    store.accountsWithGrant(ctx.db, entity.organization_id, ORG_ADMIN_RELATION),
  ]);
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles,
    status: r.status,
    isAdmin: admins.includes(r.id),
    createdAt: r.created_at.toISOString(),
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
  identity: Pick<Identity, 'createAccount'>,
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
  // identity.createAccount admits only operators when given an actor; the organisation-admin check above
  // is this module's, so the call runs as the system would, while the witness origin still names the
  // administrator who asked for it.
  const account = await identity.createAccount(
    { db: ctx.db, clock: ctx.clock, actor: null, origin: ctx.origin },
    { ...input, roles: requested, organizationId: entity.organization_id },
  );
  return { id: account.id, username: account.username };
}

/** 停用本单位账号: the account is disabled and every session it has ends at once. */
export async function disableOrganizationAccount(
  ctx: EntitiesContext,
  accountId: string,
): Promise<{ sessionsEnded: number }> {
  const { actor, entity } = await requireOrganizationAdmin(ctx.db, ctx.actor);
  const target = await store.findAccount(ctx.db, accountId);
  // Another organisation's account is "not found": an administrator learns nothing about other units.
  if (!target || target.organization_id !== entity.organization_id) {
    throw new NotFound('ACCOUNT_NOT_FOUND', { title: '本单位没有该账号' });
  }
  if (target.id === actor.accountId) {
    throw new RuleViolation('CANNOT_DISABLE_SELF', { title: '不能停用自己的账号' });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const disabled = await store.disableAccount(tx, accountId);
    if (!disabled) throw new RuleViolation('ACCOUNT_ALREADY_DISABLED', { title: '该账号已停用' });
    const sessionsEnded = await store.revokeSessionsOfAccount(tx, accountId, now);
    await appendWitnessEvent(tx, now, ctx.origin, {
      entityType: 'account',
      entityId: accountId,
      action: 'account.disabled',
      payload: { sessionsEnded, by: ORG_ADMIN_RELATION },
    });
    return { sessionsEnded };
  });
}
