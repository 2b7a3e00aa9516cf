import type { DutyItem, DutyListKind } from './tables.ts';

/**
 * The initial lists drawn from 《内蒙古自治区公共资源交易管理办法》 (内政办发〔2022〕8号) itself: only what its
 * articles say, each item quoting its basis. Where the regulation sets no time limit or names no service
 * target, the field is empty — the 联席会议办公室 and the departments complete the lists (§37); the trading
 * centre edits and publishes new versions.
 */
export const REGULATION = '《内蒙古自治区公共资源交易管理办法》（内政办发〔2022〕8号）';

export const DUTY_LISTS_CITATION = `${REGULATION}第三十七条：自治区及各盟市公共资源交易管理工作联席会议办公室应当会同有关行政监督管理部门按照各司其职、互相协调、密切配合的要求，形成监管权力和责任清单、服务事项清单并向社会公开。监管权力和责任清单应明确监督事项、监督依据、衔接配合事项等。服务事项清单应明确服务事项、服务时限、服务对象和衔接配合事项等。`;

const REGULATOR_ACCOUNTABILITY =
  '行政监督管理部门及其工作人员不得有第四十七条所列行为；违反本办法有关规定或不按照规定履行职责，有第四十七条行为的，按照管理权限，由其所在单位或上级主管部门责令改正，并予以通报批评；涉嫌违纪的，送纪检监察机关追究相关人员责任；涉嫌违法犯罪的，移送司法机关处理（第四十七条、第五十四条）。';
const PLATFORM_ACCOUNTABILITY =
  '各级公共资源交易平台运行服务机构及其工作人员不得有第四十八条所列行为；有第四十八条行为的，按照管理权限，由其所在单位或上级主管部门责令改正，并予以通报批评；涉嫌违纪的，送纪检监察机关追究相关人员责任；涉嫌违法犯罪的，移送司法机关处理（第四十八条、第五十四条）。';
const JOINT_MEETING = '履行联席会议成员单位职责，完成联席会议办公室交办的各项工作（第五条第一款）';
const SECTOR_DEPARTMENTS =
  '各级工业和信息化、财政、自然资源、生态环境、住房城乡建设、交通运输、水利、农牧、商务、卫生健康、国资、能源、林草、医疗保障等部门（按照职责分工）';
const PLATFORM_ORGANS = '各级公共资源交易平台运行服务机构';
const PLATFORM_SERVED = '市场主体、社会公众、行政监督管理部门等（第二条第三款）';

const item = (
  fields: Partial<DutyItem> & Pick<DutyItem, 'code' | 'name' | 'type' | 'basis' | 'department'>,
) => ({
  process: null,
  timeLimit: null,
  serviceTarget: null,
  coordination: null,
  accountability: null,
  ...fields,
});

/** 监管权力和责任清单: 监督事项、监督依据、衔接配合事项 (§37). */
const POWER_ITEMS: DutyItem[] = [
  item({
    code: 'JG-01',
    name: '指导和协调招标投标工作',
    type: '指导协调',
    basis: `${REGULATION}第五条第一款：“各级发展改革部门指导和协调招标投标工作”。`,
    department: '各级发展改革部门',
    coordination: JOINT_MEETING,
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-02',
    name: '监督本行业交易活动，查处交易主体违法违规行为',
    type: '行政监督',
    basis: `${REGULATION}第五条第一款：“各级工业和信息化、财政、自然资源、生态环境、住房城乡建设、交通运输、水利、农牧、商务、卫生健康、国资、能源、林草、医疗保障等部门按照职责分工，依法履行本行业交易活动的监督职责，查处交易主体违法违规行为。”`,
    department: SECTOR_DEPARTMENTS,
    coordination: JOINT_MEETING,
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-03',
    name: '落实本行业公共资源项目进入平台交易，制定完善本行业交易规则和监督标准',
    type: '行政监督',
    basis: `${REGULATION}第五条第二款：“各行政监督管理部门负责落实本行业公共资源项目进入平台交易，参与建设全区统一的公共资源交易电子系统，制定完善本行业交易规则和监督标准。”`,
    department: '各行政监督管理部门',
    coordination: '参与建设全区统一的公共资源交易电子系统（第五条第二款）',
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-04',
    name: '依法处理投诉，畅通异议、质疑、投诉在线办理渠道',
    type: '投诉处理',
    basis: `${REGULATION}第二十六条：“……行政监督管理部门依法对投诉事项作出处理。行政监督管理部门应畅通异议、质疑、投诉在线办理渠道，依法公开相关信息，实现数据同步共享，接受社会监督。”`,
    department: '各行政监督管理部门',
    process: '依法对投诉事项作出处理；依法公开相关信息，实现数据同步共享，接受社会监督',
    coordination: '项目发起方或其授权委托的代理机构依法对异议、质疑作出答复（第二十六条第一款）',
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-05',
    name: '监督交易过程和履约行为，“双随机、一公开”抽查检查',
    type: '行政检查',
    basis: `${REGULATION}第三十八条：“各行政监督管理部门应按照部门职责加强对各类公共资源交易过程和履约行为的监督，采用“双随机、一公开”工作模式对交易项目进行抽查检查，发现问题及时处理。”`,
    department: '各行政监督管理部门',
    process: '采用“双随机、一公开”工作模式对交易项目进行抽查检查，发现问题及时处理',
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-06',
    name: '查办平台运行服务机构报告的事项并反馈处理结果',
    type: '行政监督',
    basis: `${REGULATION}第三十九条：“自治区公共资源交易实行行业监督和场内管理相结合的协同监管模式。各级公共资源交易平台运行服务机构做好现场记录、组织见证、违法违规报告、调查协助等场内管理工作。各行政监督管理部门应及时查办报告事项并反馈处理结果。”`,
    department: '各行政监督管理部门',
    process: '查办报告事项并反馈处理结果',
    timeLimit: '及时（《办法》未规定具体天数）',
    coordination:
      '平台运行服务机构对发现的违法违规行为及时提醒、记录、保存证据，并立即通知有关行政监督管理部门（第二十四条第二款），做好调查协助（第三十九条）',
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-07',
    name: '本行业评标评审专家的入库、培训、考核评价、退出和监督管理',
    type: '行政监督',
    basis: `${REGULATION}第四十条：“各行政监督管理部门负责本行业专家的入库、培训、考核评价、退出和监督管理。……”`,
    department: '各行政监督管理部门',
    coordination:
      '各级公共资源交易平台运行服务机构配合对评标评审专家履行职责情况进行记录评价，并将记录评价结果定期反馈各行政监督管理部门（第四十条）',
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-08',
    name: '完善中介机构管理制度，监督本行业项目的中介服务机构依法执业',
    type: '行政监督',
    basis: `${REGULATION}第四十一条：“各行政监督管理部门应完善中介机构管理制度，规范代理行为，监督本行业项目的中介服务机构依法执业。……”`,
    department: '各行政监督管理部门',
    coordination:
      '各级公共资源交易平台配合对中介服务机构进场服务情况组织评价，并将记录评价结果定期反馈各行政监督管理部门（第四十一条）',
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-09',
    name: '建立健全公共资源交易信用体系，公开守信和失信名单',
    type: '信用监管',
    basis: `${REGULATION}第四十三条：“自治区各行政监督管理部门应会同自治区公共资源交易中心，建立健全全区公共资源交易信用体系，……通过自治区公共资源交易平台向社会公开交易过程中的守信和失信名单。……”`,
    department: '自治区各行政监督管理部门',
    coordination: '会同自治区公共资源交易中心（第四十三条）',
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-10',
    name: '查处市场主体、评标评审专家、系统开发运维机构违反本办法的行为',
    type: '行政处罚',
    basis: `${REGULATION}第五十五条：“公共资源交易市场主体、评标评审专家、系统开发运维机构违反本办法有关规定，由行政监督管理部门依法查处。涉嫌违纪的，送纪检监察机关追究相关人员责任。涉嫌违法犯罪的，移送司法机关处理。”`,
    department: '各行政监督管理部门',
    coordination: '涉嫌违纪的，送纪检监察机关；涉嫌违法犯罪的，移送司法机关（第五十五条）',
    accountability: REGULATOR_ACCOUNTABILITY,
  }),
  item({
    code: 'JG-11',
    name: '建立电子监管系统，实现交易全过程在线动态监督',
    type: '电子监管',
    basis: `${REGULATION}第四十二条：“自治区公共资源交易中心应会同相关行政监督管理部门建立全区统一的公共资源交易电子监管系统，按分级属地管理原则实现交易全过程在线动态监督。……”`,
    department: '自治区公共资源交易中心会同相关行政监督管理部门',
    process: '按分级属地管理原则实现交易全过程在线动态监督',
  }),
];

/** 服务事项清单: 服务事项、服务时限、服务对象和衔接配合事项 (§37). */
const SERVICE_ITEMS: DutyItem[] = [
  item({
    code: 'FW-01',
    name: '政策法规咨询',
    type: '公共服务',
    basis: `${REGULATION}第七条：“……为公共资源交易活动提供政策法规咨询、场所管理、信息发布、专家抽取、交易见证、档案管理等公共服务，组织政府集中采购。……”`,
    department: PLATFORM_ORGANS,
    serviceTarget: PLATFORM_SERVED,
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-02',
    name: '项目登记、场地预约的在线受理和分类管理',
    type: '公共服务',
    basis: `${REGULATION}第十五条：“项目发起方需通过公共资源交易平台进行项目登记、场地预约，各级公共资源交易平台在线受理、分类管理。……”`,
    department: '各级公共资源交易平台',
    process: '项目发起方通过平台进行项目登记、场地预约，平台在线受理、分类管理',
    serviceTarget: '项目发起方（第十五条）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-03',
    name: '交易信息发布',
    type: '公共服务',
    basis: `${REGULATION}第七条（信息发布）；第十六条第一款：“内蒙古自治区公共资源交易网（http://ggzyjy.nmg.gov.cn/）为全区公共资源交易信息主要发布媒介。”`,
    department: PLATFORM_ORGANS,
    serviceTarget: '项目发起方（第十六条第二款）',
    coordination:
      '项目发起方在各媒介发布的交易信息应当与内蒙古自治区公共资源交易网发布的信息保持一致（第十六条第二款）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-04',
    name: '评标评审专家抽取',
    type: '公共服务',
    basis: `${REGULATION}第七条（专家抽取）；第十九条：“交易项目需要评标评审的，由项目发起方从全区统一的综合评标评审专家库中随机抽取所需专家。”`,
    department: PLATFORM_ORGANS,
    process: '由项目发起方从全区统一的综合评标评审专家库中随机抽取所需专家',
    serviceTarget: '项目发起方（第十九条）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-05',
    name: '交易见证',
    type: '公共服务',
    basis: `${REGULATION}第七条（交易见证）；第二十四条第一款：“各级公共资源交易平台运行服务机构应对项目交易全过程实时见证，填写见证记录。”`,
    department: PLATFORM_ORGANS,
    process: '对项目交易全过程实时见证，填写见证记录',
    timeLimit: '交易全过程实时见证（第二十四条第一款）',
    coordination:
      '对发现的违法违规行为，应及时提醒、记录、保存证据，并立即通知有关行政监督管理部门（第二十四条第二款）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-06',
    name: '场所管理与现场管理',
    type: '公共服务',
    basis: `${REGULATION}第七条（场所管理）；第十四条：“……评标评审专家等候区和评标评审区域应与其他区域隔离。……”；第二十四条第二款：“对违反现场管理制度的行为应及时记录、制止和纠正”。`,
    department: PLATFORM_ORGANS,
    process: '对违反现场管理制度的行为记录、制止和纠正',
    timeLimit: '及时（第二十四条第二款）',
    coordination: '做好现场记录、组织见证、违法违规报告、调查协助等场内管理工作（第三十九条）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-07',
    name: '交易档案管理',
    type: '公共服务',
    basis: `${REGULATION}第七条（档案管理）；第二十五条第一款：“……各级公共资源交易平台运行服务机构对交易全过程产生的电子文件、元数据、音视频分类整理归档存储，存储期限应符合相关法律法规规定。”`,
    department: PLATFORM_ORGANS,
    timeLimit: '存储期限应符合相关法律法规规定（第二十五条第一款）',
    coordination:
      '配合行政监督管理部门、审计和纪检监察部门以及司法、仲裁机关，依法调取相关档案资料（第二十五条第二款）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-08',
    name: '组织政府集中采购',
    type: '公共服务',
    basis: `${REGULATION}第七条：“……组织政府集中采购。……”`,
    department: PLATFORM_ORGANS,
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-09',
    name: '保证金代收代管',
    type: '公共服务',
    basis: `${REGULATION}第十八条第二款：“各级公共资源交易平台运行服务机构可根据工作需要提供保证金代收代管服务。”`,
    department: PLATFORM_ORGANS,
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-10',
    name: '不见面电子开标',
    type: '公共服务',
    basis: `${REGULATION}第二十条：“项目开标一般采用不见面电子开标方式，按照交易文件确定的时间，在各级公共资源交易平台在线进行，涉及国家公共利益、公共安全等特殊要求的项目除外。”`,
    department: '各级公共资源交易平台',
    timeLimit: '按照交易文件确定的时间（第二十条）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-11',
    name: '合同在线签订或上传',
    type: '公共服务',
    basis: `${REGULATION}第二十三条第一款：“交易双方应当在法定期限内通过各级公共资源交易平台签订合同，或上传已签订的合同，不得私下签订背离合同实质性内容的其他协议。”`,
    department: '各级公共资源交易平台',
    timeLimit: '法定期限内（第二十三条第一款）',
    serviceTarget: '交易双方（第二十三条第一款）',
    coordination: '行政监督管理部门对合同备案另有规定的从其规定（第二十三条第二款）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-12',
    name: '交易数据汇总分析和风险监测预警',
    type: '公共服务',
    basis: `${REGULATION}第七条：“……对交易数据进行汇总分析和风险监测预警。……”；第三十一条第二款：“各级公共资源交易平台负责本行政区域公共资源交易数据的归集、整理分析和上报等工作……”`,
    department: PLATFORM_ORGANS,
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-13',
    name: '评标评审专家履职情况记录评价',
    type: '公共服务',
    basis: `${REGULATION}第四十条：“……各级公共资源交易平台运行服务机构应配合各行业监督管理部门对评标评审专家履行职责情况进行记录评价，并将记录评价结果定期反馈各行政监督管理部门。”`,
    department: PLATFORM_ORGANS,
    timeLimit: '定期反馈（第四十条）',
    serviceTarget: '各行政监督管理部门（第四十条）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-14',
    name: '中介服务机构进场服务情况评价',
    type: '公共服务',
    basis: `${REGULATION}第四十一条：“……各级公共资源交易平台应配合各行业监督管理部门对中介服务机构进场服务情况组织评价，并将记录评价结果定期反馈各行政监督管理部门。”`,
    department: '各级公共资源交易平台',
    timeLimit: '定期反馈（第四十一条）',
    serviceTarget: '各行政监督管理部门（第四十一条）',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
  item({
    code: 'FW-15',
    name: '平台服务质量综合评价和服务满意度调查',
    type: '公共服务',
    basis: `${REGULATION}第四十六条第二款：“各级公共资源交易平台应构建平台综合服务能力评价机制，采用自评价和外部评价相互结合的方式开展平台服务质量综合评价和服务满意度调查，评价结果向社会公开。”`,
    department: '各级公共资源交易平台',
    process: '采用自评价和外部评价相互结合的方式开展，评价结果向社会公开',
    accountability: PLATFORM_ACCOUNTABILITY,
  }),
];

export const REGULATION_ITEMS: Readonly<Record<DutyListKind, readonly DutyItem[]>> = {
  power: POWER_ITEMS,
  service: SERVICE_ITEMS,
};

export const REGULATION_NOTE =
  '依据《内蒙古自治区公共资源交易管理办法》条文整理的初始清单：各事项只写明《办法》条文所规定的内容，依据均引自原文；《办法》未规定的服务时限、服务对象等，待联席会议办公室会同有关行政监督管理部门明确（第三十七条）。';
