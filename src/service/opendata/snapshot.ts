import type { OpendataDeps } from './context.ts';
import {
  findEntityOfOrganization,
  findLot,
  findTradingCatalogItem,
  getAward,
  getDealOfLot,
  getProcedure,
  isProcedureType,
  listPublicAnnouncementsOfLot,
  readDrawnCommittee,
  readOpeningOutcome,
  readSignedContract,
} from './deps.ts';
import type { ProcessSnapshot, SnapshotAnnouncement, SnapshotParty } from './types.ts';

/** `<prefix>-<lot code>`: one OCDS contracting process per lot (标段/包), stable for its whole life. */
export function ocidOf(prefix: string, lotCode: string): string {
  return `${prefix}-${lotCode}`;
}

/** The body of law the procedure runs under, as the procedures module defines it ('other' for none). */
export function lawOf(procedureType: string): 'works' | 'gp' | 'other' {
  if (!isProcedureType(procedureType)) return 'other';
  const law = getProcedure(procedureType).law;
  return law === 'rights' ? 'other' : law;
}

const CANDIDATE_KINDS = new Set(['candidates', 'result']);
/** 中标（成交）结果公告, or an auction's 成交公示 (拍卖、挂牌、网络竞价). */
const RESULT_KINDS = new Set(['result', 'deal-publicity']);

/**
 * What is public of the lot's process at `at` (公开数据, §28): only what the law has already made public
 * by then — announcements published up to `at`, the opening record once published (bidders are secret
 * before the opening), candidates once their publicity is out, the winner and the expert draw's
 * reference once the result is announced (experts are secret before the result), the contract once
 * signed. Null for an unknown lot or one that nothing public names yet.
 */
export async function readProcessSnapshot(
  deps: Pick<OpendataDeps, 'db' | 'sealer' | 'ocidPrefix'>,
  lotId: string,
  at: Date,
): Promise<ProcessSnapshot | null> {
  const { db } = deps;
  const lot = await findLot(db, lotId);
  if (!lot) return null;
  const upTo = at.getTime();
  const announcements: SnapshotAnnouncement[] = (await listPublicAnnouncementsOfLot(db, lotId))
    .filter((a) => a.publishedAt.getTime() <= upTo)
    .map((a) => ({ ...a, url: `/announcements/${a.id}` }));
  if (announcements.length === 0) return null;
  const published = (kinds: Set<string>) => announcements.some((a) => kinds.has(a.kind));

  const [initiator, agency, category, opening, tenderAward, contract] = await Promise.all([
    partyOf(deps, lot.initiatorOrganizationId),
    lot.agencyOrganizationId ? partyOf(deps, lot.agencyOrganizationId) : Promise.resolve(null),
    findTradingCatalogItem(db, lot.catalogItemCode, lot.rulesAsOf),
    readOpeningOutcome(db, lotId),
    getAward(db, lotId),
    readSignedContract(db, lotId),
  ]);
  // An auction's deal (竞得人, 成交价), public once its 成交公示 is.
  const deal = published(new Set(['deal-publicity'])) ? await getDealOfLot(db, lotId) : null;
  const award =
    tenderAward ??
    (deal
      ? {
          status: 'dealt',
          candidates: [],
          winner: {
            bidderName: deal.winner.name,
            creditCode: deal.winner.creditCode,
            priceYuan: deal.priceYuan,
          },
          noticeIssuedAt: deal.noticeIssuedAt,
          failedAt: null,
          failureReason: null,
        }
      : null);

  const openingPublic =
    opening &&
    (opening.state === 'published' || opening.state === 'closed' || opening.state === 'failed') &&
    (opening.publishedAt === null || opening.publishedAt.getTime() <= upTo);
  const resultOut = published(RESULT_KINDS);
  const drawn = resultOut ? await readDrawnCommittee({ db, sealer: deps.sealer }, lotId) : null;
  const terminated = announcements.some((a) => a.kind === 'termination');
  const deposit = [...announcements].reverse().find((a) => a.depositYuan !== null)?.depositYuan ?? null;

  return {
    ocid: ocidOf(deps.ocidPrefix, lot.code),
    asOf: at,
    lot: {
      id: lot.id,
      code: lot.code,
      name: lot.name,
      projectId: lot.projectId,
      projectCode: lot.projectCode,
      tenderProjectCode: lot.tenderProjectCode,
      projectName: lot.projectName,
      catalogItemCode: lot.catalogItemCode,
      categoryCode: category?.categoryCode ?? lot.catalogItemCode.slice(0, 2),
      procedureType: lot.procedureType,
      law: lawOf(lot.procedureType),
      estimateYuan: lot.estimateYuan,
      regionCode: lot.regionCode,
      mandatoryTender: lot.mandatoryTender,
      regulator: lot.regulator,
      createdAt: new Date(`${lot.rulesAsOf}T00:00:00+08:00`),
    },
    initiator,
    agency,
    announcements,
    opening: openingPublic
      ? {
          publishedAt: opening.publishedAt ?? at,
          recordSm3: opening.recordSm3,
          failed: opening.state === 'failed',
          bids: opening.entries.map((e) => ({
            bidId: e.bidId,
            seq: e.seq,
            bidderName: e.bidderName,
            creditCode: e.creditCode,
            priceYuan: e.priceYuan,
          })),
        }
      : null,
    award: award
      ? {
          status: award.status,
          candidates: published(CANDIDATE_KINDS) ? award.candidates : [],
          winner:
            resultOut && award.winner
              ? {
                  bidderName: award.winner.bidderName,
                  creditCode: award.winner.creditCode,
                  priceYuan: award.winner.priceYuan,
                }
              : null,
          noticeIssuedAt: resultOut ? award.noticeIssuedAt : null,
          failedAt: terminated ? award.failedAt : null,
          failureReason: terminated ? award.failureReason : null,
        }
      : null,
    contract:
      contract && contract.signedAt.getTime() <= upTo
        ? {
            id: contract.id,
            title: contract.title,
            priceYuan: contract.priceYuan,
            signedAt: contract.signedAt,
            supplierName: contract.supplierName,
            supplierCreditCode: contract.supplierCreditCode,
          }
        : null,
    deposit: { requiredYuan: deposit },
    expertDraw: drawn ? { drawId: drawn.drawId } : null,
  };
}

async function partyOf(
  deps: Pick<OpendataDeps, 'db'>,
  organizationId: string,
): Promise<SnapshotParty | null> {
  const entity = await findEntityOfOrganization(deps.db, organizationId);
  if (!entity) return null;
  return {
    organizationId,
    name: entity.name,
    // 自然人 have no 统一社会信用代码; every initiator and agency here is an organisation.
    creditCode: entity.creditCode ?? '',
    regionCode: entity.regionCode ?? null,
  };
}
