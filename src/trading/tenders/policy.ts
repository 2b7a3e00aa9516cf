import type { Kysely } from 'kysely';
import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { CITATIONS, type TendersDb } from './context.ts';
import { findEntityOfOrganization } from './deps.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

/** 主体角色 that respond to a tender (投标人/供应商/竞买人/受让人). */
const RESPONDER_ENTITY_ROLES = new Set(['bidder', 'supplier', 'competitive_bidder', 'assignee']);

/**
 * A registered potential bidder: an account in the responder role whose organisation is a market entity
 * accepted (受理) by the trading centre in a responding role. Only they may obtain tender documents.
 */
export async function assertRegisteredResponder(db: Kysely<TendersDb>, actor: Actor | null) {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('responder') || !signedIn.organizationId) {
    throw new Forbidden('RESPONDER_REQUIRED', {
      title: '仅限已登记的投标人（供应商）',
      detail: '获取招标文件、提出异议需以投标人（供应商）身份登录。',
      citation: CITATIONS.responderRegistered,
    });
  }
  const entity = await findEntityOfOrganization(db, signedIn.organizationId);
  if (entity?.status !== 'active' || !entity.roles.some((r) => RESPONDER_ENTITY_ROLES.has(r))) {
    throw new Forbidden('RESPONDER_NOT_REGISTERED', {
      title: '本单位尚未完成市场主体登记',
      detail: '只有经交易中心受理、登记为投标人（供应商）的市场主体才能获取招标文件。',
      citation: CITATIONS.responderRegistered,
    });
  }
  return { actor: signedIn, organizationId: signedIn.organizationId, entity };
}
