import type { ProcessSnapshot, ReleaseTrigger, ReleaseTriggerKind, SnapshotAnnouncement } from '../types.ts';
import {
  AMENDMENT_KINDS,
  CREDIT_CODE_SCHEME,
  documentTypeOf,
  ENDING_KINDS,
  isoDate as formatIsoDate,
  mainProcurementCategoryOf,
  money,
  partyId,
  procurementMethodOf,
  TENDER_NOTICE_KINDS,
} from './mapping.ts';
import type {
  GgzyExtension,
  OcdsAmendment,
  OcdsAward,
  OcdsBids,
  OcdsContract,
  OcdsDocument,
  OcdsOrganization,
  OcdsOrganizationReference,
  OcdsRelease,
  OcdsTender,
  PartyRole,
  ReleaseTag,
} from './types.ts';

export interface BuildReleaseOptions {
  /**
   * The portal's public address (GGZY_PUBLIC_URL, e.g. https://ggzy.nmg.gov.cn). Documents link to the
   * announcements under it; without it documents carry no `url` (OCDS wants absolute URIs).
   */
  publicUrl?: string;
}

/**
 * The stage a trigger reaches: a release carries nothing from a later stage, even if the snapshot it is
 * built from already knows more. Amendments and cancellations carry everything the snapshot holds (they
 * can come at any time, and the snapshot holds only what the law has made public).
 */
const STAGE: Record<ReleaseTriggerKind, number> = {
  tender: 0,
  opening: 1,
  'opening-failed': 1,
  candidates: 2,
  award: 3,
  contract: 4,
  amendment: 4,
  cancellation: 4,
};

function tagOf(s: ProcessSnapshot, kind: ReleaseTriggerKind): ReleaseTag[] {
  switch (kind) {
    case 'tender':
      return ['tender'];
    case 'amendment':
      return ['tenderAmendment'];
    case 'cancellation':
      return ['tenderCancellation'];
    case 'opening':
    case 'opening-failed':
      return ['tenderUpdate'];
    case 'candidates':
      return ['award'];
    case 'award':
      // 中标结果 after a 中标候选人公示 updates the pending awards; without one it is the first award.
      return s.award && s.award.candidates.length > 0 ? ['awardUpdate'] : ['award'];
    case 'contract':
      return ['contract'];
  }
}

/**
 * One OCDS release for what `t` made public, built from `s` (which holds only what is public by law at
 * `t.at`). `id` is stable: `<ocid>-<trigger kind>-<witness event id>`. `prefix` replaces the ocid
 * prefix (GGZY_OCID_PREFIX) of the snapshot.
 */
export function buildRelease(
  s: ProcessSnapshot,
  t: ReleaseTrigger,
  prefix?: string,
  options: BuildReleaseOptions = {},
): OcdsRelease {
  const ocid = prefix ? `${prefix}-${s.lot.code}` : s.ocid;
  const stage = STAGE[t.kind];
  const base = options.publicUrl?.replace(/\/+$/, '');
  // The same instants recur many times in one release (the opening in bids, periods, the extension).
  const isoCache = new Map<number, string>();
  const isoDate = (d: Date): string => {
    const ms = d.getTime();
    let text = isoCache.get(ms);
    if (text === undefined) {
      text = formatIsoDate(d);
      isoCache.set(ms, text);
    }
    return text;
  };
  const documents = new Map<SnapshotAnnouncement, OcdsDocument>();
  const document = (a: SnapshotAnnouncement): OcdsDocument => {
    let doc = documents.get(a);
    if (!doc) {
      doc = {
        id: a.id,
        documentType: documentTypeOf(a.kind),
        title: a.title,
        datePublished: isoDate(a.publishedAt),
        format: 'text/html',
        language: 'zh',
      };
      if (base) doc.url = `${base}${a.url}`;
      documents.set(a, doc);
    }
    return doc;
  };

  const parties = new Map<string, OcdsOrganization>();
  const party = (name: string, creditCode: string, role: PartyRole): OcdsOrganizationReference => {
    const id = partyId(creditCode);
    const known = parties.get(id);
    if (known) {
      if (!known.roles.includes(role)) known.roles.push(role);
    } else {
      parties.set(id, {
        id,
        name,
        identifier: { scheme: CREDIT_CODE_SCHEME, id: creditCode, legalName: name },
        roles: [role],
      });
    }
    return { id, name };
  };

  const buyer = s.initiator ? party(s.initiator.name, s.initiator.creditCode, 'buyer') : undefined;
  const procuringEntity = s.agency
    ? party(s.agency.name, s.agency.creditCode, 'procuringEntity')
    : s.initiator
      ? party(s.initiator.name, s.initiator.creditCode, 'procuringEntity')
      : undefined;

  // ----------------------------------------------------------------------------------------- tender
  const tenderNotices = s.announcements.filter((a) => TENDER_NOTICE_KINDS.has(a.kind));
  const amendmentNotices = s.announcements.filter((a) => AMENDMENT_KINDS.has(a.kind));
  const terminations = s.announcements.filter((a) => ENDING_KINDS.has(a.kind));
  // An auction (拍卖、挂牌、网络竞价) ends in a 成交公示 or a 不成交公告; it has no award module behind it.
  const dealPublicity = s.announcements.findLast((a) => a.kind === 'deal-publicity');
  const noDeal = s.announcements.findLast((a) => a.kind === 'no-deal');
  const periodSources = s.announcements.filter(
    (a) => TENDER_NOTICE_KINDS.has(a.kind) || AMENDMENT_KINDS.has(a.kind),
  );
  const first = tenderNotices[0];
  // A change announcement (澄清或者修改) may move the deadline: the latest published one counts.
  const lastDeadline = periodSources.findLast((a) => a.bidDeadline)?.bidDeadline ?? null;
  const documentsFrom = periodSources.find((a) => a.documentsFrom)?.documentsFrom ?? null;
  const documentsUntil = periodSources.findLast((a) => a.documentsUntil)?.documentsUntil ?? null;
  const depositYuan = periodSources.findLast((a) => a.depositYuan)?.depositYuan ?? s.deposit.requiredYuan;

  const method = procurementMethodOf(s.lot.procedureType);
  const category = mainProcurementCategoryOf(s.lot);
  const tender: OcdsTender = {
    id: s.lot.code,
    title: `${s.lot.projectName} ${s.lot.name}`,
    status: 'active',
    ...(procuringEntity ? { procuringEntity } : {}),
    value: money(s.lot.estimateYuan),
    procurementMethod: method.method,
    procurementMethodDetails: method.detailsZh,
    ...(category ? { mainProcurementCategory: category } : {}),
    submissionMethod: ['electronicSubmission'],
  };
  if (first || lastDeadline) {
    tender.tenderPeriod = {
      ...(first ? { startDate: isoDate(first.documentsFrom ?? first.publishedAt) } : {}),
      ...(lastDeadline ? { endDate: isoDate(lastDeadline) } : {}),
    };
  }
  const tenderDocuments = [...tenderNotices, ...amendmentNotices, ...terminations]
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())
    .map(document);
  if (tenderDocuments.length > 0) tender.documents = tenderDocuments;
  if (amendmentNotices.length > 0) {
    tender.amendments = amendmentNotices.map(
      (a): OcdsAmendment => ({
        id: a.id,
        date: isoDate(a.publishedAt),
        rationale: a.kindNameZh,
        description: a.title,
      }),
    );
  }

  // ------------------------------------------------------------------- bids (only after the opening)
  // Bidders are confidential until the opening record is public (招标投标法第二十二条).
  const opening = stage >= 1 ? s.opening : null;
  const bidIdByCreditCode = new Map<string, string>();
  let bids: OcdsBids | undefined;
  if (opening) {
    bids = { statistics: [], details: [] };
    const tenderers = new Map<string, OcdsOrganizationReference>();
    const candidateCodes = new Set(stage >= 2 && s.award ? s.award.candidates.map((c) => c.creditCode) : []);
    for (const b of opening.bids) {
      const ref = party(b.bidderName, b.creditCode, 'tenderer');
      tenderers.set(ref.id, ref);
      const id = `${ocid}-bid-${b.seq}`;
      bidIdByCreditCode.set(b.creditCode, id);
      bids.details.push({
        id,
        // Opened, not yet evaluated; a 中标候选人 has passed evaluation.
        status: candidateCodes.has(b.creditCode) ? 'valid' : 'pending',
        tenderers: [ref],
        ...(b.priceYuan === null ? {} : { value: money(b.priceYuan) }),
      });
    }
    const date = isoDate(opening.publishedAt);
    bids.statistics.push(
      { id: 'bids', measure: 'bids', value: opening.bids.length, date },
      { id: 'electronicBids', measure: 'electronicBids', value: opening.bids.length, date },
      { id: 'bidders', measure: 'bidders', value: tenderers.size, date },
    );
    tender.numberOfTenderers = tenderers.size;
    tender.tenderers = [...tenderers.values()];
    tender.awardPeriod = { startDate: date };
  }

  // ----------------------------------------------------------------------------------------- awards
  const award = stage >= 2 ? s.award : null;
  const candidatesNotice = s.announcements.findLast((a) => a.kind === 'candidates');
  const resultNotice = s.announcements.findLast((a) => a.kind === 'result' || a.kind === 'deal-publicity');
  const winner = stage >= 3 ? (award?.winner ?? null) : null;
  const awardId = (creditCode: string) => `${ocid}-award-${creditCode}`;
  const isTender = s.lot.procedureType.includes('tender');
  const winnerTitle = isTender ? '中标人' : dealPublicity ? '竞得人' : '成交供应商';
  const awards: OcdsAward[] = [];
  if (award) {
    for (const c of award.candidates) {
      const ref = party(c.bidderName, c.creditCode, 'tenderer');
      const relatedBid = bidIdByCreditCode.get(c.creditCode);
      awards.push({
        id: awardId(c.creditCode),
        title: `第${c.rank}中标候选人`,
        status: winner
          ? c.creditCode === winner.creditCode
            ? 'active'
            : 'unsuccessful'
          : award.failedAt
            ? 'cancelled'
            : 'pending',
        ...(candidatesNotice ? { date: isoDate(candidatesNotice.publishedAt) } : {}),
        value: money(c.priceYuan),
        suppliers: [ref],
        ...(candidatesNotice ? { documents: [document(candidatesNotice)] } : {}),
        ...(relatedBid ? { relatedBid } : {}),
      });
    }
    if (winner) {
      const ref = party(winner.bidderName, winner.creditCode, 'supplier');
      const date = award.noticeIssuedAt ?? resultNotice?.publishedAt ?? t.at;
      const existing = awards.find((a) => a.id === awardId(winner.creditCode));
      const documents = [
        ...(candidatesNotice && existing ? [document(candidatesNotice)] : []),
        ...(resultNotice ? [document(resultNotice)] : []),
      ];
      const relatedBid = bidIdByCreditCode.get(winner.creditCode);
      const active: OcdsAward = {
        id: awardId(winner.creditCode),
        title: winnerTitle,
        status: 'active',
        date: isoDate(date),
        value: money(winner.priceYuan),
        suppliers: [ref],
        ...(documents.length > 0 ? { documents } : {}),
        ...(relatedBid ? { relatedBid } : {}),
      };
      if (existing) Object.assign(existing, active);
      else awards.push(active);
      if (tender.awardPeriod) tender.awardPeriod.endDate = isoDate(date);
    }
  }

  // An auction's deal the snapshot could not read: the award still carries its 成交公示.
  if (stage >= 3 && !winner && dealPublicity) {
    awards.push({
      id: `${ocid}-award-${dealPublicity.id}`,
      title: '竞得人',
      status: 'active',
      date: isoDate(dealPublicity.publishedAt),
      documents: [document(dealPublicity)],
    });
  }

  // -------------------------------------------------------------------------------------- contracts
  const contract = stage >= 4 && winner ? s.contract : null;
  const contracts: OcdsContract[] = [];
  if (contract) {
    party(contract.supplierName, contract.supplierCreditCode, 'supplier');
    const contractNotice = s.announcements.findLast((a) => a.kind === 'contract');
    contracts.push({
      id: `${ocid}-contract-${contract.id}`,
      awardID: awardId(contract.supplierCreditCode),
      title: contract.title,
      status: 'active',
      value: money(contract.priceYuan),
      dateSigned: isoDate(contract.signedAt),
      ...(contractNotice ? { documents: [document(contractNotice)] } : {}),
    });
  }

  // ----------------------------------------------------------------------------------------- status
  const failedAt = award?.failedAt ?? null;
  const openingFailed = opening?.failed ?? false;
  const auctionDealt = stage >= 3 && dealPublicity !== undefined;
  if (openingFailed || failedAt || noDeal) tender.status = 'unsuccessful';
  else if (
    (t.kind === 'cancellation' || terminations.length > 0 || award?.status === 'terminated') &&
    !auctionDealt
  )
    tender.status = 'cancelled';
  else if (winner || auctionDealt) tender.status = 'complete';

  // ------------------------------------------------------------------------------- private extension
  const ggzy: GgzyExtension = {
    lotCode: s.lot.code,
    projectCode: s.lot.projectCode,
    tenderProjectCode: s.lot.tenderProjectCode,
    projectName: s.lot.projectName,
    categoryCode: s.lot.categoryCode,
    catalogItemCode: s.lot.catalogItemCode,
    procedureType: s.lot.procedureType,
    law: s.lot.law,
    regionCode: s.lot.regionCode,
    mandatoryTender: s.lot.mandatoryTender,
    regulator: s.lot.regulator,
    ...(documentsFrom || documentsUntil
      ? {
          documentsPeriod: {
            ...(documentsFrom ? { startDate: isoDate(documentsFrom) } : {}),
            ...(documentsUntil ? { endDate: isoDate(documentsUntil) } : {}),
          },
        }
      : {}),
    deposit: { required: depositYuan ? money(depositYuan) : null },
    trigger: { kind: t.kind, witnessEventId: t.eventId, announcementId: t.announcementId },
  };
  if (opening) {
    ggzy.opening = {
      publishedAt: isoDate(opening.publishedAt),
      recordSm3: opening.recordSm3,
      failed: opening.failed,
    };
  }
  if (award && award.candidates.length > 0) {
    ggzy.candidates = award.candidates.map((c) => ({
      rank: c.rank,
      partyId: partyId(c.creditCode),
      name: c.bidderName,
      value: money(c.priceYuan),
      score: c.score === null ? null : Number(c.score),
    }));
  }
  if (openingFailed || failedAt) {
    ggzy.failure = {
      date: isoDate(failedAt ?? opening?.publishedAt ?? t.at),
      reason: award?.failureReason ?? (openingFailed ? 'opening-failed' : null),
    };
  } else if (noDeal) {
    ggzy.failure = { date: isoDate(noDeal.publishedAt), reason: 'no-deal' };
  }
  // Experts are confidential until the result is public (实施条例第四十六条); the snapshot gives the
  // reference only then, and a release before the award stage never carries it.
  if (s.expertDraw && stage >= 3 && winner) {
    ggzy.expertDraw = {
      drawId: s.expertDraw.drawId,
      ...(base ? { url: `${base}/expert-draws/${s.expertDraw.drawId}` } : {}),
    };
  }
  return {
    ocid,
    id: `${ocid}-${t.kind}-${t.eventId}`,
    date: isoDate(t.at),
    tag: tagOf(s, t.kind),
    initiationType: 'tender',
    language: 'zh',
    parties: [...parties.values()],
    ...(buyer ? { buyer } : {}),
    tender,
    ...(bids ? { bids } : {}),
    ...(awards.length > 0 ? { awards } : {}),
    ...(contracts.length > 0 ? { contracts } : {}),
    ggzy,
  };
}
