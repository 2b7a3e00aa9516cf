import type { Db } from '../../platform/db/index.ts';
import { Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import { type Actor, hasGrant, type IdentityTables } from '../../platform/identity/index.ts';
import * as store from './store.ts';
import type { EntitiesTables } from './tables.ts';

/**
 * 机构管理员 (organisation administrator): the account that registered the entity. Recorded as an identity
 * grant `org-admin` on the organisation, so the kernel's grant table — witnessed and revocable — is the one
 * place that says who administers what.
 */
export const ORG_ADMIN_RELATION = 'org-admin';

type PolicyDb = Db<EntitiesTables & IdentityTables>;

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export function assertOperator(actor: Actor | null): Actor {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '只有交易中心工作人员可以受理或退回市场主体登记。',
    });
  }
  return signedIn;
}

/** The market entity the signed-in account belongs to. */
export async function requireOwnEntity(db: PolicyDb, actor: Actor | null) {
  const signedIn = requireSignedIn(actor);
  const entity = signedIn.organizationId
    ? await store.findEntityByOrganization(db, signedIn.organizationId)
    : undefined;
  if (!entity) {
    throw new NotFound('ENTITY_NOT_FOUND', {
      title: '未找到本单位的市场主体信息',
      detail: '当前账号不属于任何已登记的市场主体。',
    });
  }
  return { actor: signedIn, entity };
}

export async function isOrganizationAdmin(db: PolicyDb, actor: Actor): Promise<boolean> {
  if (!actor.organizationId) return false;
  return hasGrant(db, actor, ORG_ADMIN_RELATION, { type: 'organization', id: actor.organizationId });
}

/** Own entity, and the actor administers it: only the administrator changes the entity and its accounts. */
export async function requireOrganizationAdmin(db: PolicyDb, actor: Actor | null) {
  const own = await requireOwnEntity(db, actor);
  if (!(await isOrganizationAdmin(db, own.actor))) {
    throw new Forbidden('ORG_ADMIN_REQUIRED', {
      title: '需要机构管理员权限',
      detail: '只有本单位的机构管理员可以修改主体信息或管理本单位账号。',
    });
  }
  return own;
}
