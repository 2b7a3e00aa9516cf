import type { ContractsContext } from './context.ts';
import { type AwardSummary, findLot, getAward, getDealOfLot } from './deps.ts';
import type { ContractLaw } from './rules.ts';

/**
 * What a contract is made from (合同依据): the 中标通知书 of a tendered lot (awards), or the 成交通知书 of a
 * lot sold by 拍卖、挂牌、网络竞价 (auctions). Both read as one shape, so drafting, signing and the deadline
 * work the same; `law` says which rules apply ('rights' = 出让（转让）合同 after an auction's deal).
 */

export type ContractBasis = Omit<AwardSummary, 'law' | 'candidates'> & {
  source: 'award' | 'deal';
  law: ContractLaw;
};

export async function findContractBasis(
  db: ContractsContext['db'],
  lotId: string,
): Promise<ContractBasis | null> {
  const award = await getAward(db, lotId);
  if (award) {
    const { candidates: _candidates, ...rest } = award;
    return { ...rest, source: 'award' };
  }
  const deal = await getDealOfLot(db, lotId);
  if (!deal) return null;
  const lot = await findLot(db, lotId);
  if (!lot) return null;
  return {
    source: 'deal',
    lotId,
    status: deal.status === 'dealt' ? 'notified' : 'failed',
    law: 'rights',
    lotCode: lot.code,
    lotName: lot.name,
    projectName: lot.projectName,
    procedureType: lot.procedureType,
    initiatorOrganizationId: lot.initiatorOrganizationId,
    agencyOrganizationId: lot.agencyOrganizationId,
    regulator: lot.regulator,
    winner: {
      organizationId: deal.winner.organizationId,
      bidderName: deal.winner.name,
      creditCode: deal.winner.creditCode,
      bidId: deal.winningBidRef,
      priceYuan: deal.priceYuan,
      fields: {},
    },
    noticeIssuedAt: deal.noticeIssuedAt,
    noticeSm3: deal.noticeSm3,
    contractDueAt: deal.contractDueAt,
    publicityPublishedAt: deal.noticeIssuedAt,
    failureReason: null,
    failedAt: null,
  };
}
