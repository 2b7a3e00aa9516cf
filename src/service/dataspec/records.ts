import type { ProcessSnapshot, SnapshotAnnouncement, SnapshotParty } from '../opendata/index.ts';
import { isKnownRegion, regionPathName } from '../regions/index.ts';
import type { DataspecRecord, PlatformCodes, TableRecord } from './types.ts';

/**
 * 数据规范 records of one process (one lot) from its public snapshot: only what the snapshot holds, which
 * is only what the law has made public — no bidder before the opening record, no candidate before the
 * publicity, no winner before the result.
 *
 * Mandatory fields the platform does not keep as separate data (联系人, 项目负责人 …) are filled with a
 * pointer to the public document that holds them («见招标公告»); codes whose national tables the reference
 * lacks use the platform's own codes (codes.ts). docs/interface-spec.md §5 lists both.
 */

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** yyyyMMddHHmmss, Beijing time. */
export function dataspecTime(instant: Date): string {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace(/\D/g, '');
}

/** yyyyMMdd, Beijing time. */
export function dataspecDate(instant: Date): string {
  return dataspecTime(instant).slice(0, 8);
}

/**
 * 统一交易标识码 (40 characters) of a lot as this platform builds it, until the national rule (技术规范 附录B)
 * is adopted: 交易平台标识码 (11) + 标段（包）编号 (23) + the year and month the lot was created (6).
 */
export function unifiedDealCodeOf(codes: PlatformCodes, s: ProcessSnapshot): string {
  return `${codes.tradePlat}${s.lot.code}${dataspecTime(s.lot.createdAt).slice(0, 6)}`;
}

const cut = (value: string, max: number): string => {
  const chars = [...value];
  return chars.length > max ? chars.slice(0, max).join('') : value;
};

const NOTICE_KINDS = new Set([
  'tender',
  'prequalification',
  'invitation',
  'procurement',
  'single-source-notice',
]);
const CHANGE_KINDS = new Set(['change', 'correction']);
const SEE_NOTICE = '见招标公告';
const SEE_BID = '见投标文件';
const CNY = 'CNY';
const YUAN = '0';
const AMOUNT = '1';
const LEGAL_PERSON = '1';
const ROLE_INITIATOR = '01';
const ROLE_AGENCY = '02';
const ROLE_BIDDER = '03';
const PROPERTY_OTHER = '9';
const MARGIN_OTHER = '9';

function tenderModeOf(procedureType: string): string {
  if (procedureType.startsWith('open-tender')) return '1';
  if (procedureType.startsWith('invited-tender')) return '2';
  return '9';
}

const PURCHASE_MODES: Readonly<Record<string, string>> = {
  'open-tender.gp': '1',
  'invited-tender.gp': '2',
  'competitive-negotiation': '3',
  inquiry: '4',
  'single-source': '5',
  'competitive-consultation': '6',
};

function classifyCodeOf(s: ProcessSnapshot): string {
  if (s.lot.law === 'works') return 'A080000';
  if (s.lot.law === 'gp') return 'B000000';
  return s.lot.categoryCode === '03' ? 'E000000' : 'D000000';
}

/** The region of a 统一社会信用代码's registering authority (characters 3–8), when it is a known region. */
function regionOfCreditCode(creditCode: string, fallback: string): string {
  const region = creditCode.slice(2, 8);
  return /^\d{6}$/.test(region) && isKnownRegion(region) ? region : fallback;
}

export function dataspecRecordsOf(s: ProcessSnapshot, codes: PlatformCodes): TableRecord[] {
  const out: TableRecord[] = [];
  const lot = s.lot;
  const deal = unifiedDealCodeOf(codes, s);
  const exchange: DataspecRecord = {
    PLATFORM_CODE: codes.platformCode,
    PUB_SERVICE_PLAT_CODE: codes.pubServicePlatCode,
    TRADE_PLAT: codes.tradePlat,
    PUB_SERVICE_PLAT: codes.pubServicePlat,
    DATA_TIMESTAMP: dataspecTime(s.asOf),
  };
  const emit = (table: string, record: DataspecRecord) => {
    const clean: DataspecRecord = {};
    for (const [k, v] of Object.entries(record)) if (v !== '') clean[k] = v;
    out.push({ table, record: { ...clean, ...exchange } });
  };

  const initiator: SnapshotParty = s.initiator ?? {
    organizationId: '',
    name: lot.regulator,
    creditCode: '',
    regionCode: lot.regionCode,
  };
  // 自行招标: the initiator organises the tender itself and stands in the agency's fields.
  const organiser = s.agency ?? initiator;
  const initiatorCode = initiator.creditCode || SEE_NOTICE;
  const organiserCode = organiser.creditCode || SEE_NOTICE;
  const initiatorRegion = initiator.regionCode ?? lot.regionCode;
  const organiserRegion = organiser.regionCode ?? lot.regionCode;
  const notices = s.announcements.filter((a) => NOTICE_KINDS.has(a.kind));
  const firstNotice = notices[0] ?? null;
  const url = (a: SnapshotAnnouncement) => cut(a.url, 500);
  const deadlineOf = (a: SnapshotAnnouncement | null) =>
    a?.bidDeadline ?? firstNotice?.bidDeadline ?? firstNotice?.publishedAt ?? lot.createdAt;
  const openingAtOf = (a: SnapshotAnnouncement | null) =>
    a?.openingAt ?? firstNotice?.openingAt ?? deadlineOf(a);
  const media = cut(`${codes.centreName}网站`, 1000);
  const duty = cut(organiser.name, 50);
  const examiner = cut(codes.centreName, 50);
  const recordUrl = cut(`/api/open/ocds/records/${s.ocid}`, 500);
  const candidatesNotice = s.announcements.find((a) => a.kind === 'candidates') ?? null;
  const resultNotice = s.announcements.find((a) => a.kind === 'result') ?? null;
  const termination = s.announcements.find((a) => a.kind === 'termination') ?? null;
  const marginPaid = s.deposit.requiredYuan && Number(s.deposit.requiredYuan) > 0 ? '1' : '0';

  if (lot.law === 'gp') {
    const section = {
      PURCHASE_PROJECT_CODE: lot.tenderProjectCode,
      PURCHASE_SECTION_CODE: lot.code,
      UNIFIED_DEAL_CODE: deal,
    };
    emit('PURCHASE_PROJECT', {
      ...section,
      PURCHASE_PROJECT_NAME: cut(lot.projectName, 600),
      RELATE_CODE: '0',
      TENDER_PROJECT_TYPE: 'G01',
      PURCHASER_NAME: cut(initiator.name, 2000),
      PURCHASER_CODE: initiatorCode,
      PURCHASER_ROLE: ROLE_INITIATOR,
      PRICE_FORM_CODE: AMOUNT,
      PROGRAM_BUDGET: lot.estimateYuan,
      BUDGET_CURRENCY: CNY,
      UNIT_BUDGET: YUAN,
      PURCHASER_MODE: PURCHASE_MODES[lot.procedureType] ?? '9',
      PURCHASER_CONTENT: lot.name,
      PURCHASER_ORGANIZE_FORM: s.agency ? '1' : '2',
      PURCHASER_AGENCY_NAME: cut(organiser.name, 200),
      PURCHASER_AGENCY_CODE: cut(organiserCode, 18),
      PURCHASER_AGENCY_ROLE: s.agency ? ROLE_AGENCY : ROLE_INITIATOR,
      PURCHASE_SECTION_NAME: cut(lot.name, 600),
      REGION_CODE: lot.regionCode,
      TRA_PLACE_CODE: lot.regionCode,
      CREATE_TIME: dataspecTime(lot.createdAt),
    });
    for (const a of s.announcements) {
      if (NOTICE_KINDS.has(a.kind)) {
        emit('PURCHASE_QUALI_INQUERY_ANN', {
          ...section,
          PURCHASE_PROJECT_NAME: cut(lot.projectName, 600),
          BULLETIN_BID_NUM: '1',
          BULLETIN_TITLE: cut(a.title, 200),
          BULLETIN_CONTENT: a.body,
          BULLETIN_START_TIME: dataspecTime(a.publishedAt),
          BULLETIN_MEDIA: media,
          URL: url(a),
          BID_CLOSING_TIME: dataspecTime(deadlineOf(a)),
        });
      } else if (CHANGE_KINDS.has(a.kind) || a.kind === 'termination') {
        const postponed =
          a.bidDeadline !== null &&
          firstNotice?.bidDeadline != null &&
          a.bidDeadline.getTime() !== firstNotice.bidDeadline.getTime();
        emit('CORRECTION_ITEM', {
          ...section,
          PURCHASE_PROJECT_NAME: cut(lot.projectName, 600),
          TERMINATION_BULLETIN_TITLE: cut(a.title, 50),
          TERMINATION_BULLETIN_CONTENT: a.body,
          MODIFICATION_START_TIME: dataspecTime(a.publishedAt),
          IS_POSTPONE: postponed ? '1' : '0',
          POST_BID_CLOSING_TIME: postponed && a.bidDeadline ? dataspecTime(a.bidDeadline) : '',
          URL: url(a),
        });
      }
    }
    if (s.opening) {
      emit('PURCHASE_BIDDING_RECORD', {
        ...section,
        PURCHASE_SECTION_CODE: lot.code,
        NOTICE_NAME: cut(`${lot.name}开标记录`, 600),
        BID_OPENING_ACTOR: cut(openingActors(s), 500),
        BID_OPENING_CONTENT: openingContent(s),
        BID_OPENING_ADDRESS: '本平台网上开标大厅（不见面开标）',
        BID_OPENING_TIME: dataspecTime(openingAtOf(firstNotice)),
        URL: recordUrl,
      });
      for (const bid of s.opening.bids) {
        emit('PURCHASE_TENDER_LIST', {
          ...section,
          BIDDER_NAME: cut(bid.bidderName, 200),
          IS_LOST: '0',
          BIDDER_CODE_TYPE: LEGAL_PERSON,
          BIDDER_ORG_CODE: cut(bid.creditCode, 18),
          BIDDER_ROLE: ROLE_BIDDER,
          IS_COMMIT_MARGIN: marginPaid,
          MARGIN_PAY_FORM: MARGIN_OTHER,
          PRICE_FORM_CODE: AMOUNT,
          MARGIN_RECEIVE_TIME: dataspecTime(deadlineOf(firstNotice)),
          BID_PRICE: bid.priceYuan ?? '',
          PRICE_CURRENCY: bid.priceYuan ? CNY : '',
          PRICE_UNIT: bid.priceYuan ? YUAN : '',
        });
      }
    }
    const winner = s.award?.winner ?? null;
    if (resultNotice && winner) {
      emit('BID_DEAL_ANNOUNCE', {
        ...section,
        PURCHASE_PROJECT_NAME: cut(lot.projectName, 600),
        REGION_CODE: lot.regionCode,
        TRA_PLACE_CODE: lot.regionCode,
        PURCHASER_AGENCY_NAME: cut(organiser.name, 200),
        PURCHASER_AGENCY_CODE: cut(organiserCode, 18),
        WIN_BID_BULLETIN_TITLE: cut(resultNotice.title, 200),
        WIN_BID_BULLETIN_CONTENT: resultNotice.body,
        WIN_BID_BULLETIN_START_TIME: dataspecTime(resultNotice.publishedAt),
        URL: url(resultNotice),
        WINNINGBIDDER_NAME: cut(winner.bidderName, 2000),
        WINNINGBIDDER_TYPE: LEGAL_PERSON,
        WINNINGBIDDER_CODE: winner.creditCode,
        PRICE_FORM_CODE: AMOUNT,
        WIN_BID_PRICE: winner.priceYuan,
        CURRENCY_CODE: CNY,
        PRICE_UNIT: YUAN,
        CREATOR: examiner,
      });
    }
    if (s.contract) {
      emit('PURCHASE_CONTRACT', {
        ...section,
        PURCHASE_PROJECT_NAME: cut(lot.projectName, 600),
        CONTRACT_NAME: cut(s.contract.title, 600),
        PURCHASER_NAME: cut(initiator.name, 2000),
        PURCHASER_CODE: initiatorCode,
        LEGAL_ROLE: ROLE_INITIATOR,
        SUPPLIER_NAME: cut(s.contract.supplierName, 2000),
        SUPPLIER_CODE: s.contract.supplierCreditCode,
        PRICE_FORM_CODE: AMOUNT,
        CONTRACT_AMOUNT: s.contract.priceYuan,
        CURRENCY_CODE: CNY,
        PRICE_UNIT: YUAN,
        SIGNING_TIME: dataspecTime(s.contract.signedAt),
        URL: recordUrl,
      });
    }
    return out;
  }

  // ---- 工程建设项目 (and other tenders): PROJECT → TENDER_PROJECT → SECTION → … ----
  const tenderProject = { TENDER_PROJECT_CODE: lot.tenderProjectCode };
  emit('PROJECT', {
    PROJECT_CODE: lot.projectCode,
    PROJECT_NAME: cut(lot.projectName, 600),
    REGION_CODE: lot.regionCode,
    RELATE_CODE: lot.law === 'works' ? '1' : '0',
    ADDRESS: cut(regionPathName(lot.regionCode) || lot.regionCode, 2000),
    LEGAL_PERSON: cut(initiator.name, 200),
    CLASS_VER_CODE: '1',
    INDUSTRIES_TYPE: lot.law === 'works' ? 'E48' : 'Z99',
    FUND_SOURCE: SEE_NOTICE,
    PROJECT_SCALE: `估算价 ${lot.estimateYuan} 元`,
    CONTACTOR: cut(initiator.name, 100),
    CONTACT_INFORMATION: SEE_NOTICE,
    APPROVAL_NAME: SEE_NOTICE,
    CREATE_TIME: dataspecTime(lot.createdAt),
    OPERATION_NAME: cut(codes.centreName, 200),
  });
  emit('TENDER_PROJECT', {
    PROJECT_CODE: lot.projectCode,
    ...tenderProject,
    UNIFIED_DEAL_CODE: deal,
    IS_TO_LAW: lot.mandatoryTender ? '1' : '0',
    TENDER_PROJECT_NAME: cut(lot.projectName, 600),
    TENDER_PROJECT_TYPE: lot.law === 'works' ? 'A01' : 'Z99',
    REGION_CODE: lot.regionCode,
    TENDER_CONTENT: lot.name,
    TENDERER_NAME: cut(initiator.name, 2000),
    TENDERER_CODE_TYPE: LEGAL_PERSON,
    TENDERER_CODE: initiatorCode,
    ISUNION: '0',
    TENDERER_ROLE: ROLE_INITIATOR,
    TENDER_AGENCY_NAME: cut(organiser.name, 200),
    TENDER_AGENCY_CODE_TYPE: LEGAL_PERSON,
    TENDER_AGENCY_CODE: cut(organiserCode, 18),
    TENDER_AGENCY_ROLE: s.agency ? ROLE_AGENCY : ROLE_INITIATOR,
    TENDER_MODE: tenderModeOf(lot.procedureType),
    TENDER_ORGANIZE_FORM: s.agency ? '2' : '1',
    CREATE_TIME: dataspecTime(lot.createdAt),
    SUPERVISE_DEPT_NAME: cut(lot.regulator, 200),
    APPROVE_DEPT_NAME: cut(lot.regulator, 200),
    REPORT_DUTY: cut(initiator.name, 200),
    TENDERER_REGION_CODE: initiatorRegion,
    TENDERER_PROPERTY: PROPERTY_OTHER,
    TENDER_AGENCY_REGION_CODE: organiserRegion,
    TENDER_AGENCY_PROPERTY: PROPERTY_OTHER,
    OPERATION_NAME: cut(codes.centreName, 200),
    TRADE_SYSTEM_NO: codes.tradeSystemNo,
    // The platform charges nothing for its trading system (§ free service).
    TRADE_SYSTEM_FEE: '0',
  });
  emit('SECTION', {
    ...tenderProject,
    BID_SECTION_CODE: lot.code,
    BID_SECTION_NAME: cut(lot.name, 500),
    BID_ECTION_NUM: '1',
    UNIFIED_DEAL_CODE: deal,
    BID_TENDER_MODE: tenderModeOf(lot.procedureType),
    REGION_CODE: lot.regionCode,
    TRA_PLACE_CODE: lot.regionCode,
    BID_SECTION_CONTENT: lot.name,
    TENDER_PROJECT_CLASSIFY_CODE: classifyCodeOf(s),
    CONTRACT_RECKON_PRICE: lot.estimateYuan,
    CURRENCY_CODE: CNY,
    PRICE_UNIT: YUAN,
    BID_QUALIFICATION: SEE_NOTICE,
    CREATE_TIME: dataspecTime(lot.createdAt),
  });
  for (const a of s.announcements) {
    const isNotice = NOTICE_KINDS.has(a.kind);
    if (!isNotice && !CHANGE_KINDS.has(a.kind)) continue;
    const original = isNotice ? a : firstNotice;
    const bulletinType =
      original?.kind === 'prequalification' ? '2' : original?.kind === 'invitation' ? '3' : '1';
    emit('TENDER_ANN_QUA_INQUERY_ANN', {
      ...tenderProject,
      NOTICE_BID_NUM: '1',
      BID_SECTION_CODES: lot.code,
      TRAD_CENTER_NAME: cut(codes.centreName, 2000),
      UNIFIED_DEAL_CODES: deal,
      TENDER_SELF_CODE: lot.tenderProjectCode,
      NOTICE_NAME: cut(a.title, 600),
      NOTICE_CONTENT: a.body,
      NOTICE_SEND_TIME: dataspecTime(a.publishedAt),
      NOTICE_MEDIA: media,
      URL: url(a),
      NOTICE_NATURE: isNotice ? '1' : '2',
      BULLETIN_TYPE: bulletinType,
      DOC_GET_START_TIME: dataspecTime(a.documentsFrom ?? original?.documentsFrom ?? a.publishedAt),
      DOC_GET_END_TIME: dataspecTime(a.documentsUntil ?? original?.documentsUntil ?? deadlineOf(a)),
      TENDER_DOC_GET_METHOD: '在本平台网上获取电子招标文件',
      BID_DOC_REFER_END_TIME: dataspecTime(deadlineOf(a)),
      IS_POSTPONE:
        !isNotice && a.bidDeadline && firstNotice?.bidDeadline
          ? a.bidDeadline.getTime() !== firstNotice.bidDeadline.getTime()
            ? '1'
            : '0'
          : '',
      BID_OPEN_TIME: dataspecTime(openingAtOf(a)),
      DOC_PRICE: '0',
      DOC_PRICE_CURRENCY: CNY,
      DOC_PRICE_UNIT: YUAN,
      BID_DOC_REFER_METHOD: '通过本平台递交加密的电子投标文件',
      SYNDICATED_FLAG: '0',
      TENDERER_CODE: cut(initiatorCode, 18),
      TENDERER_NAME: cut(initiator.name, 200),
      TENDERER_ADDRESS: SEE_NOTICE,
      TENDERER_CONTACTOR: SEE_NOTICE,
      TENDERER_PHONE_NUMBER: SEE_NOTICE,
      TENDERER_EMAIL: SEE_NOTICE,
      TENDER_AGENCY_CODE: s.agency ? cut(organiserCode, 18) : '',
      TENDER_AGENCY_NAME: s.agency ? cut(s.agency.name, 200) : '',
      BULLETIN_DUTY: duty,
      BULLETIN_DUTY_CODE_TYPE: examiner,
    });
  }
  if (s.opening) {
    emit('BID_OPENING_RECORD', {
      ...tenderProject,
      BID_SECTION_CODES: lot.code,
      UNIFIED_DEAL_CODES: deal,
      NOTICE_NAME: cut(`${lot.name}开标记录`, 600),
      BID_OPENING_ACTOR: cut(openingActors(s), 500),
      BID_OPENING_CONTENT: openingContent(s),
      BID_OPENING_ADDRESS: '本平台网上开标大厅（不见面开标）',
      BID_OPENING_TIME: dataspecTime(openingAtOf(firstNotice)),
      URL: recordUrl,
      OPEN_COMPERE: cut(organiser.name, 600),
      TENDER_AGENCY_PERSON: cut(organiser.name, 600),
      TENDERER_PERSON: cut(initiator.name, 600),
    });
    for (const bid of s.opening.bids) {
      emit('TENDER_LIST', {
        ...tenderProject,
        BID_SECTION_CODE: lot.code,
        UNIFIED_DEAL_CODE: deal,
        BIDDER_NAME: cut(bid.bidderName, 300),
        IS_LOST: '0',
        BIDDER_CODE_TYPE: LEGAL_PERSON,
        BIDDER_ORG_CODE: bid.creditCode,
        BIDDER_ROLE: ROLE_BIDDER,
        BID_MANAGER: SEE_BID,
        PM_CODE: SEE_BID,
        PM_CERTIFICATES: SEE_BID,
        IS_COMMIT_MARGIN: marginPaid,
        MARGIN_PAY_FORM: MARGIN_OTHER,
        PRICE_FORM_CODE: AMOUNT,
        MARGIN_RECEIVE_TIME: dataspecTime(deadlineOf(firstNotice)),
        BID_PRICE: bid.priceYuan ?? '',
        PRICE_CURRENCY: bid.priceYuan ? CNY : '',
        PRICE_UNIT: bid.priceYuan ? YUAN : '',
        CHECKIN_TIME: dataspecTime(deadlineOf(firstNotice)),
        BIDDER_REGION_CODE: regionOfCreditCode(bid.creditCode, lot.regionCode),
        BIDDER_PROPERTY: PROPERTY_OTHER,
        BIDDER_OPERATION_PERSON: SEE_BID,
        BIDDER_OPERATION_PERSON_CON: SEE_BID,
      });
    }
  }
  const candidates = s.award?.candidates ?? [];
  if (candidatesNotice && candidates.length > 0) {
    const byRank = (rank: number) => candidates.find((c) => c.rank === rank);
    const [first, second, third] = [byRank(1), byRank(2), byRank(3)];
    emit('TENDER_CANDIDATE_ANNOUNCE', {
      ...tenderProject,
      BID_SECTION_CODES: lot.code,
      UNIFIED_DEAL_CODE: deal,
      PUBLICITY_NAME: cut(candidatesNotice.title, 600),
      PUBLICITY_CONTENT: candidatesNotice.body,
      PUBLICITY_REFER_TIME: dataspecTime(candidatesNotice.publishedAt),
      NOTICE_MEDIA: media,
      URL: url(candidatesNotice),
      PUBLICITY_TYPE: '1',
      PUBLICITY_START_TIME: dataspecTime(candidatesNotice.publishedAt),
      // 《招标投标法实施条例》第五十四条: 公示期不得少于3日.
      PUBLICITY_END_TIME: dataspecTime(new Date(candidatesNotice.publishedAt.getTime() + 3 * DAY_MS)),
      OBJECTION_METHOD: '公示期内通过本平台在线提出异议',
      BULLETIN_DUTY: duty,
      EXAMINER_NAME: examiner,
      FIRST_BIDDER_NAME: first ? cut(first.bidderName, 200) : '',
      FIRST_BIDDER_CODE: first?.creditCode ?? '',
      SECOND_BIDDER_NAME: second ? cut(second.bidderName, 200) : '',
      SECOND_BIDDER_CODE: second?.creditCode ?? '',
      THIRD_BIDDER_NAME: third ? cut(third.bidderName, 200) : '',
      THIRD_BIDDER_CODE: third?.creditCode ?? '',
    });
  }
  const winner = s.award?.winner ?? null;
  if (resultNotice && winner) {
    emit('WIN_RESULT_ANNO', {
      ...tenderProject,
      BID_SECTION_CODE: lot.code,
      UNIFIED_DEAL_CODE: deal,
      REGION_CODE: lot.regionCode,
      TRA_PLACE_CODE: lot.regionCode,
      TENDER_AGENCY_NAME: s.agency ? cut(s.agency.name, 200) : '',
      TENDER_AGENCY_CODE: organiserCode,
      NOTICE_NAME: cut(resultNotice.title, 600),
      NOTICE_CONTENT: resultNotice.body,
      NOTICE_SEND_TIME: dataspecTime(resultNotice.publishedAt),
      NOTICE_MEDIA: media,
      URL: url(resultNotice),
      NOTICE_NATURE: '1',
      BULLETIN_TYPE: '4',
      WIN_BIDDER_NAME: cut(winner.bidderName, 200),
      BIDDER_CODE_TYPE: LEGAL_PERSON,
      WIN_BIDDER_CODE: winner.creditCode,
      BIDDER_ROLE: ROLE_BIDDER,
      PRICE_FORM_CODE: AMOUNT,
      BID_AMOUNT: winner.priceYuan,
      BID_CURRENCY: CNY,
      PRICE_UNIT: YUAN,
      BULLETIN_DUTY: duty,
      EXAMINER_NAME: examiner,
      BIDDER_REGION_CODE: regionOfCreditCode(winner.creditCode, lot.regionCode),
      BIDDER_PROPERTY: PROPERTY_OTHER,
      PROJECT_LEAD: '见中标结果公告',
      PROJECT_LEAD_ID: '见中标结果公告',
    });
  }
  if (s.contract) {
    emit('CONTRACT_PERFORMANCE', {
      ...tenderProject,
      BID_SECTION_CODE: lot.code,
      UNIFIED_DEAL_CODE: deal,
      CONTRACT_NAME: cut(s.contract.title, 600),
      TENDERER_NAME: cut(initiator.name, 2000),
      TENDER_CODE: initiatorCode,
      BIDDER_NAME: cut(s.contract.supplierName, 2000),
      BIDDER_CODE: s.contract.supplierCreditCode,
      CONTRACT_PRICE: s.contract.priceYuan,
      PRICE_CURRENCY: CNY,
      PRICE_UNIT: YUAN,
      PRICE_FORM_CODE: AMOUNT,
      CONTRACT_CONTENT: '见合同文本',
      SUBMIT_TIME: dataspecTime(s.contract.signedAt),
      CONTRACT_SIGN_TIME: dataspecTime(s.contract.signedAt),
      CONTRACT_CODE: cut(s.contract.id, 600),
    });
  }
  const failedAt = s.award?.failedAt ?? (s.opening?.failed ? s.opening.publishedAt : null);
  if (failedAt || termination) {
    const at = termination?.publishedAt ?? failedAt ?? s.asOf;
    emit('TENDER_ABNORMITY_REPORT', {
      ...tenderProject,
      BID_SECTION_CODE: lot.code,
      UNIFIED_DEAL_CODE: deal,
      EXCEPITON_NAME: cut(termination?.title ?? `${lot.name}流标情况报告`, 600),
      EXCEPITON_INFOR: termination?.body ?? s.award?.failureReason ?? '开标失败',
      APPROVAL_RESULT: termination ? '招标人终止招标' : '招标人确认流标，依法重新招标或另行组织采购',
      APPROVAL_TIME: dataspecTime(at),
      EXCEPITON_TYPE: termination ? '3' : '1',
    });
  }
  return out;
}

function openingActors(s: ProcessSnapshot): string {
  const n = s.opening?.bids.length ?? 0;
  return `${s.agency?.name ?? s.initiator?.name ?? s.lot.regulator}；投标人 ${n} 家`;
}

function openingContent(s: ProcessSnapshot): string {
  if (!s.opening) return '';
  const lines = s.opening.bids.map(
    (b) =>
      `${b.seq}. ${b.bidderName}（${b.creditCode}）投标报价：${b.priceYuan === null ? '见开标记录' : `${b.priceYuan} 元`}`,
  );
  if (s.opening.failed) lines.push('开标失败（有效投标人不足3家或其他原因），依法不得继续评标。');
  if (s.opening.recordSm3) lines.push(`开标记录 SM3：${s.opening.recordSm3}`);
  return lines.join('\n') || '无投标人';
}
