import type { Kysely } from 'kysely';
import { type CalendarDate, shanghaiDateOf } from '../../platform/clock/index.ts';
import type { Db } from '../../platform/db/index.ts';
import { Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { EntitiesDb, EntityRole } from '../../service/entities/index.ts';
import { findEntityOfOrganization } from '../../service/entities/index.ts';
import type { ProjectParty } from './states.ts';
import type { AuthorisationRow, ProjectRow } from './store.ts';
import * as store from './store.ts';
import type { ProjectsTables } from './tables.ts';

/** Entity roles that make an organisation an initiator (项目发起方) or an agency (代理机构). */
export const INITIATOR_ENTITY_ROLES: readonly EntityRole[] = [
  'tenderer',
  'purchaser',
  'grantor',
  'transferor',
];
export const AGENCY_ENTITY_ROLES: readonly EntityRole[] = ['tender_agency', 'procurement_agency'];

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export function assertOperator(actor: Actor | null): Actor {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('operator')) {
    throw new Forbidden('ROLE_FORBIDDEN', {
      title: '无权执行此操作',
      detail: '只有交易中心工作人员可以受理项目登记或退回补正。',
    });
  }
  return signedIn;
}

export function isStaffReader(actor: Actor): boolean {
  return actor.roles.includes('operator') || actor.roles.includes('supervisor');
}

/**
 * The initiator's own market entity, accepted (受理) with a 招标人/采购人/出让人/转让人 role: only such an
 * organisation registers projects.
 */
export async function requireAcceptedInitiator(db: Kysely<EntitiesDb>, actor: Actor | null) {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('initiator') || !signedIn.organizationId) {
    throw new Forbidden('INITIATOR_ROLE_REQUIRED', {
      title: '只有招标人/采购人账号可以登记项目',
      detail: '请使用本单位招标人（采购人）账号登记项目；代理机构须在招标人委托后代为办理。',
    });
  }
  const entity = await findEntityOfOrganization(db, signedIn.organizationId);
  if (entity?.status !== 'active' || !entity.roles.some((r) => INITIATOR_ENTITY_ROLES.includes(r))) {
    throw new Forbidden('INITIATOR_NOT_ACCEPTED', {
      title: '本单位尚未完成招标人/采购人市场主体登记',
      detail:
        '登记项目前，本单位须以招标人、采购人（或出让人、转让人）角色完成市场主体注册并经交易中心受理。',
    });
  }
  return { actor: signedIn, entity };
}

/** An authorisation is current on `today` when active and within its validity. */
export function isCurrentAuthorisation(a: AuthorisationRow, today: CalendarDate | null): boolean {
  if (a.status !== 'active') return false;
  if (today === null) return true;
  return a.valid_from <= today && (a.valid_until === null || a.valid_until >= today);
}

/**
 * Which party the actor acts as on this project: the initiator's own accounts, or an agency account whose
 * organisation holds a current authorisation on record. `at` null checks the record's status only.
 */
export async function partyOf(
  db: Db<ProjectsTables>,
  actor: Actor,
  project: ProjectRow,
  at: Date | null,
): Promise<ProjectParty | null> {
  if (!actor.organizationId) return null;
  if (actor.roles.includes('initiator') && actor.organizationId === project.initiator_organization_id) {
    return 'initiator';
  }
  if (actor.roles.includes('agency')) {
    const auth = await store.findActiveAuthorisation(db, project.id);
    if (
      auth &&
      auth.agency_organization_id === actor.organizationId &&
      isCurrentAuthorisation(auth, at ? shanghaiDateOf(at) : null)
    ) {
      return 'agency';
    }
  }
  return null;
}

export function notAuthorised(actor: Actor, project: Pick<ProjectRow, 'code' | 'name'>): Forbidden {
  if (actor.roles.includes('agency')) {
    return new Forbidden('AGENCY_NOT_AUTHORISED', {
      title: '代理机构未获委托',
      detail: `本机构没有项目“${project.name}”（${project.code}）现行有效的委托代理记录，不能代为办理。请招标人（采购人）先在平台登记委托。`,
      citation: '《中华人民共和国招标投标法》第十五条（招标代理机构应当在招标人委托的范围内办理招标事宜）',
    });
  }
  return new Forbidden('NOT_PROJECT_PARTY', {
    title: '无权办理该项目',
    detail: `只有项目“${project.name}”（${project.code}）的招标人（采购人）或其委托的代理机构可以办理。`,
  });
}

/** Throws unless the actor is the project's initiator or its currently authorised agency. */
export async function assertProjectParty(
  db: Db<ProjectsTables>,
  actor: Actor | null,
  project: ProjectRow,
  at: Date | null,
): Promise<{ actor: Actor; party: ProjectParty }> {
  const signedIn = requireSignedIn(actor);
  const party = await partyOf(db, signedIn, project, at);
  if (!party) throw notAuthorised(signedIn, project);
  return { actor: signedIn, party };
}

export function projectNotFound(): NotFound {
  return new NotFound('PROJECT_NOT_FOUND', { title: '项目不存在' });
}
