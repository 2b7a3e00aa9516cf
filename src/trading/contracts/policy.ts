import { Forbidden, NotFound, Unauthenticated } from '../../platform/errors.ts';
import type { Actor } from '../../platform/identity/index.ts';
import type { ContractsContext } from './context.ts';
import { assertMayActForLot } from './deps.ts';
import type * as store from './store.ts';
import type { ContractParty } from './tables.ts';

export function requireSignedIn(actor: Actor | null): Actor {
  if (!actor) throw new Unauthenticated('AUTH_REQUIRED', { title: '请先登录' });
  return actor;
}

export function contractNotFound(): NotFound {
  return new NotFound('CONTRACT_NOT_FOUND', { title: '合同不存在' });
}

/** The initiator or its authorised agency. */
export async function assertActsForLot(ctx: ContractsContext, lotId: string) {
  const actor = requireSignedIn(ctx.actor);
  return assertMayActForLot(ctx.db, actor, lotId, ctx.clock.now());
}

/** Which party of the contract the actor's organisation is: the initiator (招标人/采购人) or the winner. */
export function partyOf(actor: Actor, contract: store.ContractRow): ContractParty | null {
  if (!actor.organizationId) return null;
  if (actor.organizationId === contract.initiator_organization_id && actor.roles.includes('initiator')) {
    return 'initiator';
  }
  if (actor.organizationId === contract.supplier_organization_id && actor.roles.includes('responder')) {
    return 'supplier';
  }
  return null;
}

export function assertParty(actor: Actor, contract: store.ContractRow): ContractParty {
  const party = partyOf(actor, contract);
  if (!party) {
    throw new Forbidden('CONTRACT_PARTY_ONLY', {
      title: '只有合同当事人可以签署',
      detail: '合同由招标人（采购人）与中标人各自用本单位的签名证书签署；代理机构不能代为签署。',
    });
  }
  return party;
}

/** Sees the contract: either party, or the initiator's agency. */
export async function assertMaySee(ctx: ContractsContext, contract: store.ContractRow): Promise<void> {
  const actor = requireSignedIn(ctx.actor);
  if (partyOf(actor, contract)) return;
  await assertActsForLot(ctx, contract.lot_id);
}
