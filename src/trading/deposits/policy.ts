import type { Kysely } from 'kysely';
import { Forbidden, RuleViolation, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { ReadDb } from './context.ts';
import {
  assertInScope,
  assertMayActForLot,
  findEntityOfOrganization,
  findLot,
  type ScopesTables,
} from './deps.ts';
import { CITATIONS, type Law } from './rules.ts';

/** 主体角色 that respond to a tender (投标人/供应商/竞买人/受让人). */
const RESPONDER_ENTITY_ROLES = new Set(['bidder', 'supplier', 'competitive_bidder', 'assignee']);

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

/** A responder account of an accepted (受理) responding market entity; its own deposit only. */
export async function assertResponder(db: ReadDb, actor: Actor | null) {
  const signedIn = requireSignedIn(actor);
  if (!signedIn.roles.includes('responder') || !signedIn.organizationId) {
    throw new Forbidden('RESPONDER_REQUIRED', {
      title: '仅限已登记的投标人（供应商）',
      detail: '缴纳、查询投标保证金需以投标人（供应商）身份登录。',
    });
  }
  const entity = await findEntityOfOrganization(db, signedIn.organizationId);
  if (entity?.status !== 'active' || !entity.roles.some((r) => RESPONDER_ENTITY_ROLES.has(r))) {
    throw new Forbidden('RESPONDER_NOT_REGISTERED', {
      title: '本单位尚未完成市场主体登记',
      detail: '只有经交易中心受理、登记为投标人（供应商）的市场主体才能缴纳投标保证金。',
      citation: '《内蒙古自治区公共资源交易管理办法》第三十条',
    });
  }
  return { actor: signedIn, organizationId: signedIn.organizationId, entity };
}

export function isResponderEntity(roles: readonly string[]): boolean {
  return roles.some((r) => RESPONDER_ENTITY_ROLES.has(r));
}

/**
 * The supervisors' scopes (supervision/scopes), read through the module's own connection: every platform
 * database has the table, but the deposits module's table type leaves it out so that the modules which
 * pass their transactions in (bids, opening) need not carry it.
 */
export function scopesOf(db: ReadDb): Kysely<ScopesTables> {
  return db as unknown as Kysely<ScopesTables>;
}

/**
 * Who may see a lot's deposits once they may be revealed (开标 / the end of the bidding): the trading centre
 * (operator), a supervisor whose scope (行业 × 地域) covers the lot, and the lot's initiator or authorised
 * agency. Before that nobody may (secrecy).
 */
export async function assertMayListLotDeposits(
  db: ReadDb,
  actor: Actor | null,
  lotId: string,
  revealAt: Date,
  now: Date,
  law: Law = 'works',
): Promise<{ supervisor: boolean }> {
  const signedIn = requireSignedIn(actor);
  if (now.getTime() < revealAt.getTime()) {
    throw new RuleViolation(
      'DEPOSITS_SEALED',
      law === 'rights'
        ? {
            title: '竞价结束前不公开保证金缴纳情况',
            detail: '竞价结束前，任何人不得查看竞买人的保证金缴纳情况及竞买人数量。',
            citation:
              '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）；《企业国有产权交易操作规则》',
          }
        : {
            title: '投标截止前不公开保证金缴纳情况',
            detail: '投标截止时间前，任何人不得查看其他投标人的保证金缴纳情况及数量。',
            citation:
              '《中华人民共和国招标投标法》第二十二条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十八条',
          },
    );
  }
  if (signedIn.roles.includes('operator')) return { supervisor: false };
  if (signedIn.roles.includes('supervisor')) {
    const lot = await findLot(db, lotId);
    if (lot) {
      await assertInScope(scopesOf(db), signedIn, {
        regionCode: lot.regionCode,
        catalogItemCode: lot.catalogItemCode,
        label: `标段 ${lot.code}`,
      });
    }
    return { supervisor: true };
  }
  await assertMayActForLot(db, signedIn, lotId, now);
  return { supervisor: false };
}

export { CITATIONS };
