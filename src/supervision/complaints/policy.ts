import { Forbidden, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import { CITATIONS } from './rules.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

/** 投诉人 / 质疑供应商: a 投标人 (供应商) or 其他利害关系人 account acting for its organisation. */
export function requireResponder(actor: Actor | null): Actor & { organizationId: string } {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('responder') || !signedIn.organizationId) {
    throw new Forbidden('COMPLAINANT_REQUIRED', {
      title: '只有投标人（供应商）或其他利害关系人可以提出质疑、投诉',
      detail: '请使用已登记的投标人（供应商）单位账号办理。',
      citation: CITATIONS.worksWho,
    });
  }
  return signedIn as Actor & { organizationId: string };
}

export function isSupervisor(actor: Actor | null): boolean {
  return actor?.roles.includes('supervisor') ?? false;
}
