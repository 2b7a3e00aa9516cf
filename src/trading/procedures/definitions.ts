import { RuleViolation } from '../../platform/errors.ts';

/**
 * Procedure types (交易方式) as configuration (DESIGN §4 "Legal rules are data"): what each one is called,
 * under which law it runs, the announcements it publishes, the stages it passes and how many responders
 * it needs. The time limits live in rules.ts; nothing here is copied into code paths per type.
 */

/** A procedure type (采购/招标方式) a lot (标段/包) is traded by. */
export type ProcedureType =
  | 'open-tender.works' // 公开招标（工程建设项目，招标投标法）
  | 'open-tender.gp' // 公开招标（政府采购）
  | 'invited-tender.works' // 邀请招标（工程建设项目）
  | 'invited-tender.gp' // 邀请招标（政府采购）
  | 'competitive-negotiation' // 竞争性谈判（政府采购）
  | 'competitive-consultation' // 竞争性磋商（政府采购）
  | 'inquiry' // 询价（政府采购）
  | 'single-source' // 单一来源采购（政府采购）
  | 'listing' // 挂牌（土地、矿业权、产权、环境权益等；挂牌期满转限时竞价）
  | 'auction' // 拍卖（网上拍卖：自由竞价 + 限时竞价）
  | 'online-bidding'; // 网络竞价（企业国有产权、农村牧区集体产权：自由报价期 + 限时报价期）

export const PROCEDURE_TYPES: readonly ProcedureType[] = [
  'open-tender.works',
  'open-tender.gp',
  'invited-tender.works',
  'invited-tender.gp',
  'competitive-negotiation',
  'competitive-consultation',
  'inquiry',
  'single-source',
  'listing',
  'auction',
  'online-bidding',
];

/** The procedure types of §10 (三)–(八): priced in the open by ascending bids, run by trading/auctions. */
export const AUCTION_PROCEDURE_TYPES: readonly ProcedureType[] = ['listing', 'auction', 'online-bidding'];

export function isAuctionProcedure(type: string): boolean {
  return (AUCTION_PROCEDURE_TYPES as readonly string[]).includes(type);
}

export function isProcedureType(value: string): value is ProcedureType {
  return (PROCEDURE_TYPES as readonly string[]).includes(value);
}

/**
 * The body of law a procedure runs under: 工程建设 (招标投标法及其实施条例), 政府采购 (政府采购法及其实施条例),
 * or 产权与资源类交易 'rights' (土地、矿业权、国有产权、农村产权、环境权益: 39号令, 矿业权交易规则, 32号令 …).
 */
export type ProcedureLaw = 'works' | 'gp' | 'rights';

/** Kinds of announcement (公告) the platform publishes; the result kinds are published by later stages. */
export type AnnouncementKind =
  | 'tender' // 招标公告
  | 'prequalification' // 资格预审公告
  | 'invitation' // 投标邀请书
  | 'change' // 变更/澄清公告
  | 'termination' // 终止公告
  | 'procurement' // 采购公告
  | 'correction' // 更正公告
  | 'single-source-notice' // 单一来源采购公示
  | 'candidates' // 中标候选人公示
  | 'result' // 中标（成交）结果公告
  | 'contract' // 合同公告
  | 'transfer-notice' // 出让（转让）公告 / 挂牌公告（拍卖、挂牌、网络竞价）
  | 'deal-publicity' // 成交公示（拍卖、挂牌、网络竞价）
  | 'no-deal' // 不成交公告（拍卖、挂牌、网络竞价：流拍）
  | 'extension'; // 延期公告（挂牌、网络竞价：延牌）

export const ANNOUNCEMENT_KINDS: readonly AnnouncementKind[] = [
  'tender',
  'prequalification',
  'invitation',
  'change',
  'termination',
  'procurement',
  'correction',
  'single-source-notice',
  'candidates',
  'result',
  'contract',
  'transfer-notice',
  'deal-publicity',
  'no-deal',
  'extension',
];

export const ANNOUNCEMENT_KIND_NAMES_ZH: Record<AnnouncementKind, string> = {
  tender: '招标公告',
  prequalification: '资格预审公告',
  invitation: '投标邀请书',
  change: '变更/澄清公告',
  termination: '终止公告',
  procurement: '采购公告',
  correction: '更正公告',
  'single-source-notice': '单一来源采购公示',
  candidates: '中标候选人公示',
  result: '中标（成交）结果公告',
  contract: '合同公告',
  'transfer-notice': '出让（转让）公告',
  'deal-publicity': '成交公示',
  'no-deal': '不成交公告',
  extension: '延期公告',
};

export function isAnnouncementKind(value: string): value is AnnouncementKind {
  return (ANNOUNCEMENT_KINDS as readonly string[]).includes(value);
}

/** A stage of a lot's trading procedure, in the order the procedure passes them. */
export type ProcedureStage =
  | 'announced' // 公告已发布 / 邀请书已发出
  | 'documents-open' // 文件获取期
  | 'documents-closed' // 文件获取期结束，等待投标截止
  | 'bids-closed' // 投标（响应）截止
  | 'opening' // 开标
  | 'evaluation' // 评标（评审）
  | 'candidates-publicity' // 中标候选人公示
  | 'awarded' // 定标 / 确定成交
  | 'contracted' // 签订合同
  | 'bidding'; // 竞价（挂牌报价、自由竞价、限时竞价）

export const PROCEDURE_STAGE_NAMES_ZH: Record<ProcedureStage, string> = {
  announced: '公告发布',
  'documents-open': '文件获取',
  'documents-closed': '文件获取截止',
  'bids-closed': '投标（响应）截止',
  opening: '开标',
  evaluation: '评标（评审）',
  'candidates-publicity': '中标候选人公示',
  awarded: '定标（确定成交）',
  contracted: '签订合同',
  bidding: '竞价',
};

export interface ProcedureDefinition {
  type: ProcedureType;
  nameZh: string;
  law: ProcedureLaw;
  /** The announcement that starts the procedure (招标公告, 采购公告, 投标邀请书 …). */
  firstAnnouncementKind: AnnouncementKind;
  /** Every kind this procedure may publish. */
  announcementKinds: readonly AnnouncementKind[];
  /** Whether the first announcement needs the procurement documents uploaded before it is published. */
  requiresDocuments: boolean;
  /** Whether opening is a public session at the deadline (开标), rather than a negotiation or review. */
  hasPublicOpening: boolean;
  /** Responders needed to proceed, with the rule that says so. */
  minimumResponders: { count: number; citation: string };
  /**
   * 邀请招标: only the organisations the 投标邀请书 names take part, at least `minimumInvitees` of them
   * (the rule cited). Absent for procedures open to every registered responder.
   */
  invitation?: { minimumInvitees: number; citation: string };
  stages: readonly ProcedureStage[];
  /** The law the procedure rests on, for the screens. */
  basis: string;
  /** What the documents and responses are called under this procedure. */
  documentsNameZh: string;
  responseNameZh: string;
}

const WORKS_STAGES: readonly ProcedureStage[] = [
  'announced',
  'documents-open',
  'documents-closed',
  'bids-closed',
  'opening',
  'evaluation',
  'candidates-publicity',
  'awarded',
  'contracted',
];

const GP_TENDER_STAGES: readonly ProcedureStage[] = [
  'announced',
  'documents-open',
  'documents-closed',
  'bids-closed',
  'opening',
  'evaluation',
  'awarded',
  'contracted',
];

const GP_NON_TENDER_STAGES: readonly ProcedureStage[] = [
  'announced',
  'documents-open',
  'documents-closed',
  'bids-closed',
  'evaluation',
  'awarded',
  'contracted',
];

const WORKS_RESULT_KINDS: readonly AnnouncementKind[] = ['candidates', 'result'];
const GP_RESULT_KINDS: readonly AnnouncementKind[] = ['result', 'contract'];

const WORKS_MINIMUM = {
  count: 3,
  citation: '《中华人民共和国招标投标法实施条例》第四十四条第二款',
};
const GP_TENDER_MINIMUM = {
  count: 3,
  citation: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十一条',
};

const RIGHTS_STAGES: readonly ProcedureStage[] = ['announced', 'bidding', 'awarded', 'contracted'];
/** Published by trading/auctions itself (publishSystemAnnouncement), never drafted through the tender path. */
const RIGHTS_KINDS: readonly AnnouncementKind[] = [
  'transfer-notice',
  'extension',
  'termination',
  'deal-publicity',
  'no-deal',
];

/** 拍卖、挂牌、网络竞价: priced by open ascending bids; their parameters are in trading/auctions (rules.ts). */
const RIGHTS_PROCEDURES = {
  listing: {
    type: 'listing',
    nameZh: '挂牌',
    law: 'rights',
    firstAnnouncementKind: 'transfer-notice',
    announcementKinds: RIGHTS_KINDS,
    requiresDocuments: false,
    hasPublicOpening: false,
    minimumResponders: {
      count: 1,
      citation: '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）第十九条',
    },
    stages: RIGHTS_STAGES,
    basis: '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）；《矿业权交易规则》',
    documentsNameZh: '挂牌出让文件',
    responseNameZh: '报价单',
  },
  auction: {
    type: 'auction',
    nameZh: '拍卖',
    law: 'rights',
    firstAnnouncementKind: 'transfer-notice',
    announcementKinds: RIGHTS_KINDS,
    requiresDocuments: false,
    hasPublicOpening: false,
    minimumResponders: {
      count: 1,
      citation: '《中华人民共和国拍卖法》第五十条；最少竞买人数按项目类别另定（如矿业权3人）',
    },
    stages: RIGHTS_STAGES,
    basis: '《中华人民共和国拍卖法》；《招标拍卖挂牌出让国有建设用地使用权规定》；《矿业权交易规则》',
    documentsNameZh: '拍卖文件',
    responseNameZh: '竞买报价',
  },
  'online-bidding': {
    type: 'online-bidding',
    nameZh: '网络竞价',
    law: 'rights',
    firstAnnouncementKind: 'transfer-notice',
    announcementKinds: RIGHTS_KINDS,
    requiresDocuments: false,
    hasPublicOpening: false,
    minimumResponders: {
      count: 2,
      citation:
        '《企业国有资产交易监督管理办法》（国资委 财政部令第32号）第十九条（征集到两个及以上受让方的采取竞价）',
    },
    stages: RIGHTS_STAGES,
    basis: '《企业国有资产交易监督管理办法》（国资委 财政部令第32号）；《企业国有产权交易操作规则》',
    documentsNameZh: '转让文件',
    responseNameZh: '竞价报价',
  },
} satisfies Record<'listing' | 'auction' | 'online-bidding', ProcedureDefinition>;

export const PROCEDURES: Record<ProcedureType, ProcedureDefinition> = {
  ...RIGHTS_PROCEDURES,
  'open-tender.works': {
    type: 'open-tender.works',
    nameZh: '公开招标（工程建设）',
    law: 'works',
    firstAnnouncementKind: 'tender',
    announcementKinds: ['tender', 'prequalification', 'change', 'termination', ...WORKS_RESULT_KINDS],
    requiresDocuments: true,
    hasPublicOpening: true,
    minimumResponders: WORKS_MINIMUM,
    stages: WORKS_STAGES,
    basis: '《中华人民共和国招标投标法》《中华人民共和国招标投标法实施条例》',
    documentsNameZh: '招标文件',
    responseNameZh: '投标文件',
  },
  'invited-tender.works': {
    type: 'invited-tender.works',
    nameZh: '邀请招标（工程建设）',
    law: 'works',
    firstAnnouncementKind: 'invitation',
    announcementKinds: ['invitation', 'change', 'termination', ...WORKS_RESULT_KINDS],
    requiresDocuments: true,
    hasPublicOpening: true,
    minimumResponders: WORKS_MINIMUM,
    invitation: { minimumInvitees: 3, citation: '《中华人民共和国招标投标法》第十七条' },
    stages: WORKS_STAGES,
    basis: '《中华人民共和国招标投标法》第十七条；《中华人民共和国招标投标法实施条例》第八条',
    documentsNameZh: '招标文件',
    responseNameZh: '投标文件',
  },
  'open-tender.gp': {
    type: 'open-tender.gp',
    nameZh: '公开招标（政府采购）',
    law: 'gp',
    firstAnnouncementKind: 'procurement',
    announcementKinds: ['procurement', 'prequalification', 'correction', 'termination', ...GP_RESULT_KINDS],
    requiresDocuments: true,
    hasPublicOpening: true,
    minimumResponders: GP_TENDER_MINIMUM,
    stages: GP_TENDER_STAGES,
    basis: '《中华人民共和国政府采购法》《政府采购货物和服务招标投标管理办法》（财政部令第87号）',
    documentsNameZh: '招标文件',
    responseNameZh: '投标文件',
  },
  'invited-tender.gp': {
    type: 'invited-tender.gp',
    nameZh: '邀请招标（政府采购）',
    law: 'gp',
    firstAnnouncementKind: 'invitation',
    announcementKinds: ['prequalification', 'invitation', 'correction', 'termination', ...GP_RESULT_KINDS],
    requiresDocuments: true,
    hasPublicOpening: true,
    minimumResponders: GP_TENDER_MINIMUM,
    invitation: {
      minimumInvitees: 3,
      citation:
        '《中华人民共和国政府采购法》第三十四条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十四条',
    },
    stages: GP_TENDER_STAGES,
    basis: '《中华人民共和国政府采购法》第二十九条、第三十四条；财政部令第87号第十四条',
    documentsNameZh: '招标文件',
    responseNameZh: '投标文件',
  },
  'competitive-negotiation': {
    type: 'competitive-negotiation',
    nameZh: '竞争性谈判',
    law: 'gp',
    firstAnnouncementKind: 'procurement',
    announcementKinds: ['procurement', 'correction', 'termination', ...GP_RESULT_KINDS],
    requiresDocuments: true,
    hasPublicOpening: false,
    minimumResponders: {
      count: 3,
      citation: '《政府采购非招标采购方式管理办法》（财政部令第74号）第二十七条',
    },
    stages: GP_NON_TENDER_STAGES,
    basis: '《中华人民共和国政府采购法》第三十条、第三十八条；财政部令第74号',
    documentsNameZh: '谈判文件',
    responseNameZh: '响应文件',
  },
  'competitive-consultation': {
    type: 'competitive-consultation',
    nameZh: '竞争性磋商',
    law: 'gp',
    firstAnnouncementKind: 'procurement',
    announcementKinds: ['procurement', 'correction', 'termination', ...GP_RESULT_KINDS],
    requiresDocuments: true,
    hasPublicOpening: false,
    minimumResponders: {
      count: 3,
      citation: '《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第三条',
    },
    stages: GP_NON_TENDER_STAGES,
    basis: '《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）',
    documentsNameZh: '磋商文件',
    responseNameZh: '响应文件',
  },
  inquiry: {
    type: 'inquiry',
    nameZh: '询价',
    law: 'gp',
    firstAnnouncementKind: 'procurement',
    announcementKinds: ['procurement', 'correction', 'termination', ...GP_RESULT_KINDS],
    requiresDocuments: true,
    hasPublicOpening: false,
    minimumResponders: {
      count: 3,
      citation: '《政府采购非招标采购方式管理办法》（财政部令第74号）第四十八条',
    },
    stages: GP_NON_TENDER_STAGES,
    basis: '《中华人民共和国政府采购法》第三十二条、第四十条；财政部令第74号',
    documentsNameZh: '询价通知书',
    responseNameZh: '响应文件',
  },
  'single-source': {
    type: 'single-source',
    nameZh: '单一来源采购',
    law: 'gp',
    firstAnnouncementKind: 'single-source-notice',
    announcementKinds: ['single-source-notice', 'correction', 'termination', ...GP_RESULT_KINDS],
    requiresDocuments: false,
    hasPublicOpening: false,
    minimumResponders: {
      count: 1,
      citation: '《中华人民共和国政府采购法》第三十一条',
    },
    stages: ['announced', 'bids-closed', 'evaluation', 'awarded', 'contracted'],
    basis:
      '《中华人民共和国政府采购法》第三十一条、第三十九条；《中华人民共和国政府采购法实施条例》第三十八条',
    documentsNameZh: '单一来源采购文件',
    responseNameZh: '响应文件',
  },
};

export function getProcedure(type: ProcedureType): ProcedureDefinition {
  return PROCEDURES[type];
}

/** The law of a tendered (招标/采购) procedure; for a lot traded by 拍卖/挂牌/网络竞价 the tender path refuses. */
export function tenderLawOf(type: ProcedureType): 'works' | 'gp' {
  const procedure = PROCEDURES[type];
  if (procedure.law === 'rights') {
    throw new RuleViolation('LOT_TRADES_BY_AUCTION', {
      title: '该标的以拍卖、挂牌或网络竞价方式交易',
      detail: `交易方式为“${procedure.nameZh}”，不适用招标投标（政府采购）程序，请在“竞价交易”中办理。`,
      citation: '《内蒙古自治区公共资源交易管理办法》第十条',
    });
  }
  return procedure.law;
}
