import type { CalendarDate } from '../../platform/clock/index.ts';
import type { TradingMode } from './tables.ts';

/**
 * The initial content of the three catalogs (《内蒙古自治区公共资源交易管理办法》§8–13), written on every fresh
 * database by `seedCatalogs` (called at start-up). After that the trading catalog changes only through a
 * reviewed change request (§9 动态管理) and the other two through staff edits, each witnessed; editing this
 * file does not change a database that already holds version 1.
 */

/** The date the 办法 took effect (第五十九条: 自 2022 年 3 月 1 日起施行): version 1 of the trading catalog. */
export const INITIAL_CATALOG_EFFECTIVE_FROM: CalendarDate = '2022-03-01';

export const INITIAL_CATALOG_NOTE =
  '依据《内蒙古自治区公共资源交易管理办法》（内政办发〔2022〕8号）第十条编制的交易目录初始版本。';

/** §10 (一)…(九): the nine categories. Codes are fixed; other modules and tests rely on them. */
export const TRADING_CATEGORIES: readonly { code: string; name: string }[] = [
  { code: '01', name: '工程建设项目招标投标和机电产品国际招标' },
  { code: '02', name: '政府采购和医药集中采购' },
  { code: '03', name: '自然资源类交易' },
  { code: '04', name: '水权交易' },
  { code: '05', name: '林权交易' },
  { code: '06', name: '资产产权类交易' },
  { code: '07', name: '环境权类交易' },
  { code: '08', name: '数据资源类交易' },
  { code: '09', name: '其他公共资源交易' },
];

export interface InitialTradingItem {
  code: string;
  name: string;
  regulator: string;
  tradingModes: TradingMode[];
  splitThresholdYuan: string | null;
  splitThresholdCitation: string | null;
}

const WORKS_THRESHOLD = '4000000.00';
const WORKS_CITATION =
  '《必须招标的工程项目规定》（国家发展改革委令第16号）第五条：施工单项合同估算价在400万元人民币以上的，必须招标';
const GP_THRESHOLD = '4000000.00';
const GP_CITATION = '《内蒙古自治区政府集中采购目录及标准》：政府采购货物和服务公开招标数额标准为400万元';

const works = (code: string, name: string, regulator: string): InitialTradingItem => ({
  code,
  name,
  regulator,
  tradingModes: ['tender'],
  splitThresholdYuan: WORKS_THRESHOLD,
  splitThresholdCitation: WORKS_CITATION,
});

const item = (
  code: string,
  name: string,
  regulator: string,
  tradingModes: TradingMode[],
): InitialTradingItem => ({
  code,
  name,
  regulator,
  tradingModes,
  splitThresholdYuan: null,
  splitThresholdCitation: null,
});

export const INITIAL_TRADING_ITEMS: readonly InitialTradingItem[] = [
  works('0101', '房屋建筑和市政基础设施工程', '内蒙古自治区住房和城乡建设厅'),
  works('0102', '交通工程', '内蒙古自治区交通运输厅'),
  works('0103', '水利工程', '内蒙古自治区水利厅'),
  works('0104', '能源工程', '内蒙古自治区能源局'),
  works('0105', '信息网络工程', '内蒙古自治区通信管理局'),
  works('0106', '民航、铁路、林业等其他工程', '内蒙古自治区发展和改革委员会'),
  item('0107', '机电产品国际招标', '内蒙古自治区商务厅', ['tender']),
  {
    ...item('0201', '政府采购货物', '内蒙古自治区财政厅', ['procurement', 'tender']),
    splitThresholdYuan: GP_THRESHOLD,
    splitThresholdCitation: GP_CITATION,
  },
  item('0202', '政府采购工程', '内蒙古自治区财政厅', ['procurement', 'tender']),
  {
    ...item('0203', '政府采购服务', '内蒙古自治区财政厅', ['procurement', 'tender']),
    splitThresholdYuan: GP_THRESHOLD,
    splitThresholdCitation: GP_CITATION,
  },
  item('0204', '医药集中采购', '内蒙古自治区医疗保障局', ['procurement']),
  item('0301', '国有土地使用权出让', '内蒙古自治区自然资源厅', ['tender', 'auction', 'listing']),
  item('0302', '矿业权出让', '内蒙古自治区自然资源厅', ['tender', 'auction', 'listing']),
  item('0303', '补充耕地指标', '内蒙古自治区自然资源厅', ['listing', 'other']),
  item('0304', '地质勘查基金项目', '内蒙古自治区自然资源厅', ['tender']),
  item('0305', '城乡建设用地增减挂钩结余指标', '内蒙古自治区自然资源厅', ['listing', 'other']),
  item('0401', '区域水权', '内蒙古自治区水利厅', ['listing', 'other']),
  item('0402', '取水权', '内蒙古自治区水利厅', ['listing', 'auction']),
  item('0403', '区域水权有偿配置', '内蒙古自治区水利厅', ['other']),
  item('0501', '国有林地使用权、租赁权和林木所有权', '内蒙古自治区林业和草原局', ['auction', 'listing']),
  item('0502', '集体林地经营权和林木所有权', '内蒙古自治区林业和草原局', ['auction', 'listing']),
  item('0601', '企业国有产权', '内蒙古自治区人民政府国有资产监督管理委员会', ['listing', 'auction']),
  item('0602', '农村牧区集体产权', '内蒙古自治区农牧厅', ['listing', 'auction']),
  item('0603', '行政事业单位资产', '内蒙古自治区财政厅', ['auction', 'listing']),
  item('0604', '无形资产', '有关行业主管部门', ['listing', 'auction']),
  item('0605', '涉诉资产', '人民法院（委托方）', ['auction', 'listing']),
  item('0701', '排污权', '内蒙古自治区生态环境厅', ['auction', 'listing']),
  item('0702', '碳排放权', '内蒙古自治区生态环境厅', ['listing', 'other']),
  item('0703', '用能权', '内蒙古自治区发展和改革委员会', ['listing', 'other']),
  item('0801', '数据资源', '内蒙古自治区政务服务与数据管理局', ['listing', 'other']),
  item('0901', '其他', '有关行业主管部门', ['other']),
];

export type PlatformKind = 'regional-centre' | 'city-centre' | 'third-party';

export interface InitialPlatform {
  code: string;
  name: string;
  kind: PlatformKind;
  regionCode: string;
  website: string | null;
}

/**
 * 平台目录 (§12). A platform code has 11 characters like the data specification's TRADE_PLAT: the kind
 * ('P' 公共资源交易平台, 'T' 第三方交易系统), the 6-digit region code (GB/T 2260) and a 4-digit sequence.
 * (The national assignment rule is in the technical specification, which we could not read; this scheme
 * keeps the length and makes the region visible.)
 */
const centre = (regionCode: string, city: string): InitialPlatform => ({
  code: `P${regionCode}0001`,
  name: `${city}公共资源交易中心`,
  kind: 'city-centre',
  regionCode,
  website: null,
});

export const INITIAL_PLATFORMS: readonly InitialPlatform[] = [
  {
    code: 'P1500000001',
    name: '内蒙古自治区公共资源交易中心',
    kind: 'regional-centre',
    regionCode: '150000',
    website: 'http://ggzyjy.nmg.gov.cn/',
  },
  centre('150100', '呼和浩特市'),
  centre('150200', '包头市'),
  centre('150700', '呼伦贝尔市'),
  centre('152200', '兴安盟'),
  centre('150500', '通辽市'),
  centre('150400', '赤峰市'),
  centre('152500', '锡林郭勒盟'),
  centre('150900', '乌兰察布市'),
  centre('150600', '鄂尔多斯市'),
  centre('150800', '巴彦淖尔市'),
  centre('150300', '乌海市'),
  centre('152900', '阿拉善盟'),
];

export interface InitialDisclosureItem {
  code: string;
  name: string;
  content: string;
  basis: string;
  timeLimit: string;
  publisher: string;
  channel: string;
  audience: string;
  manner: string;
  announcementKind: string | null;
  isPublic: boolean;
}

const PORTAL = '内蒙古自治区公共资源交易网（http://ggzyjy.nmg.gov.cn/）';
const INITIATOR = '项目发起方或其委托的代理机构';
const EVERYONE = '全社会';
const ACTIVE = '主动公开';

/** 信息公开目录 (§13): 公开事项、内容、依据、时限、主体、渠道和载体、对象、方式. */
export const INITIAL_DISCLOSURE_ITEMS: readonly InitialDisclosureItem[] = [
  {
    code: 'D01',
    name: '公共资源交易目录',
    content: '交易目录的类别、事项、行政监督部门、交易方式及其版本和施行日期',
    basis: '《内蒙古自治区公共资源交易管理办法》第九条、第十条',
    timeLimit: '目录修订批准后自施行之日起公开',
    publisher: '内蒙古自治区公共资源交易中心',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: null,
    isPublic: true,
  },
  {
    code: 'D02',
    name: '公共资源交易平台目录',
    content: '全区各级各类公共资源交易平台及第三方交易系统的名称、标识码、所属地区和状态',
    basis: '《内蒙古自治区公共资源交易管理办法》第十二条',
    timeLimit: '平台目录调整后及时公开',
    publisher: '内蒙古自治区公共资源交易中心',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: null,
    isPublic: true,
  },
  {
    code: 'D03',
    name: '招标公告',
    content:
      '招标项目名称、内容、范围、规模、资金来源、投标资格能力要求、获取招标文件的时间和方式、投标截止时间等',
    basis: '《招标公告和公示信息发布管理办法》第五条、第六条',
    timeLimit: '招标人或其代理机构确认后1个工作日内发布',
    publisher: INITIATOR,
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'tender',
    isPublic: true,
  },
  {
    code: 'D04',
    name: '资格预审公告',
    content: '招标项目概况、资格预审文件获取的时间和方式、资格预审申请文件提交截止时间、资格条件等',
    basis: '《招标投标法实施条例》第十五条；《招标公告和公示信息发布管理办法》第五条',
    timeLimit: '招标人或其代理机构确认后1个工作日内发布',
    publisher: INITIATOR,
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'prequalification',
    isPublic: true,
  },
  {
    code: 'D05',
    name: '投标邀请书',
    content: '邀请招标项目向特定投标人发出的投标邀请',
    basis: '《招标投标法》第十七条',
    timeLimit: '邀请招标时向被邀请人发出',
    publisher: INITIATOR,
    channel: '平台站内通知',
    audience: '被邀请的潜在投标人',
    manner: '定向送达，不向社会公开',
    announcementKind: 'invitation',
    isPublic: false,
  },
  {
    code: 'D06',
    name: '变更（澄清）公告',
    content: '对已发布公告或招标文件的澄清、修改内容及调整后的时间安排',
    basis: '《招标投标法实施条例》第二十一条',
    timeLimit: '澄清或修改发出时同步发布',
    publisher: INITIATOR,
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'change',
    isPublic: true,
  },
  {
    code: 'D07',
    name: '终止公告',
    content: '终止招标（采购）或拍卖、挂牌、网络竞价的项目、原因和后续安排',
    basis: '《招标投标法实施条例》第三十一条',
    timeLimit: '决定终止后及时发布',
    publisher: INITIATOR,
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'termination',
    isPublic: true,
  },
  {
    code: 'D08',
    name: '政府采购公告',
    content: '采购人、采购项目名称、预算金额、采购需求、供应商资格要求、获取采购文件的时间和方式等',
    basis: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十三条',
    timeLimit: '公告期限为5个工作日',
    publisher: '采购人或其委托的采购代理机构',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'procurement',
    isPublic: true,
  },
  {
    code: 'D09',
    name: '更正公告',
    content: '对已发布采购公告或采购文件的更正事项、内容和日期',
    basis: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第二十七条',
    timeLimit: '在原公告发布媒体上发布，不足15日的顺延投标截止时间',
    publisher: '采购人或其委托的采购代理机构',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'correction',
    isPublic: true,
  },
  {
    code: 'D10',
    name: '中标候选人公示',
    content: '中标候选人名称、排序、投标报价、质量、工期以及评标情况',
    basis: '《招标投标法实施条例》第五十四条',
    timeLimit: '收到评标报告之日起3日内公示，公示期不少于3日',
    publisher: INITIATOR,
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'candidates',
    isPublic: true,
  },
  {
    code: 'D11',
    name: '中标（成交）结果公告',
    content: '中标（成交）人名称、地址、中标（成交）金额及主要标的',
    basis:
      '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十九条；《招标公告和公示信息发布管理办法》第六条',
    timeLimit: '中标（成交）人确定之日起2个工作日内',
    publisher: INITIATOR,
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'result',
    isPublic: true,
  },
  {
    code: 'D12',
    name: '合同公告',
    content: '政府采购合同的主要条款',
    basis: '《政府采购法实施条例》第五十条',
    timeLimit: '合同签订之日起2个工作日内',
    publisher: '采购人',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'contract',
    isPublic: true,
  },
  {
    code: 'D13',
    name: '单一来源采购公示',
    content: '采购项目信息、拟定供应商、采用单一来源方式的原因及相关说明、专业人员论证意见',
    basis: '《政府采购法实施条例》第三十八条',
    timeLimit: '公示期不少于5个工作日',
    publisher: '采购人或其委托的采购代理机构',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'single-source-notice',
    isPublic: true,
  },
  // 拍卖、挂牌、网络竞价 (trading/auctions): the platform publishes each public notice as an announcement.
  {
    code: 'D15',
    name: '出让（转让）公告',
    content:
      '土地、矿业权、国有产权等以拍卖、挂牌或网络竞价方式交易的标的、起始价、加价幅度、竞买保证金、竞买申请截止和竞价时间、延期条件等',
    basis:
      '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）第十条；《企业国有资产交易监督管理办法》（国资委 财政部令第32号）第十三条',
    timeLimit: '竞价开始前按规定期限发布（土地、矿业权不少于20日，国有产权不少于20个工作日）',
    publisher: '出让（转让）人或其委托的代理机构',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'transfer-notice',
    isPublic: true,
  },
  {
    code: 'D16',
    name: '延期公告',
    content: '竞买人不足时按出让（转让）公告载明的条件延期：延期后的竞买申请截止、保证金缴纳截止和竞价时间',
    basis: '《企业国有产权交易操作规则》（国资发产权〔2009〕120号）',
    timeLimit: '延期时即时发布',
    publisher: '内蒙古自治区公共资源交易中心（平台自动发布）',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'extension',
    isPublic: true,
  },
  {
    code: 'D17',
    name: '成交公示',
    content: '拍卖、挂牌、网络竞价的竞得人名称、统一社会信用代码、成交价和公示期',
    basis:
      '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）；《企业国有资产交易监督管理办法》（国资委 财政部令第32号）第二十九条',
    timeLimit: '发出成交通知书时同步公示',
    publisher: '出让（转让）人或其委托的代理机构',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'deal-publicity',
    isPublic: true,
  },
  {
    code: 'D18',
    name: '不成交公告',
    content: '拍卖、挂牌、网络竞价不成交（流拍）的标的、原因和保证金退还安排',
    basis:
      '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）第二十条；《矿业权交易规则（试行）》第十七条',
    timeLimit: '确定不成交后即时发布',
    publisher: '内蒙古自治区公共资源交易中心（平台自动发布）',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: 'no-deal',
    isPublic: true,
  },
  {
    code: 'D14',
    name: '市场主体信息',
    content: '已受理市场主体的名称、统一社会信用代码、主体角色和资质（不含证件号码、银行账户等非公开信息）',
    basis: '《内蒙古自治区公共资源交易管理办法》第三十条',
    timeLimit: '受理后即时公开',
    publisher: '内蒙古自治区公共资源交易中心',
    channel: PORTAL,
    audience: EVERYONE,
    manner: ACTIVE,
    announcementKind: null,
    isPublic: true,
  },
];
