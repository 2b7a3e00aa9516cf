/**
 * 代码表 of the data specification, as data with their source:
 *  - 'reference': the values listed in reference/standards.md §4 (the provincial 数据规范 4.0/4.1 as
 *    implemented in lishanling/GGZY): PRICE_UNIT, PRICE_FORM_CODE, RELATE_CODE, TRUE_OR_FALSE,
 *    EXCEPITON_TYPE, 10001, 10003, 10004, 10005, 9547, and the structure of 5001 (标段分类代码);
 *  - 'platform': domains whose national values are not in the reference (they are in the NDRC
 *    specification's annex, which the project could not read). Here the table holds the codes this
 *    platform itself emits, so that every record it exports validates; a pushed record is held to the same
 *    values. Replace them with the national table when it is adopted (docs/interface-spec.md §5).
 * A domain not listed here (e.g. 2007 专家类别, 7 证件类型) is checked for length and format only.
 */
export interface CodeTable {
  /** dom=N number or EnumMatch type name. */
  id: string;
  nameZh: string;
  source: 'reference' | 'platform';
  values: Readonly<Record<string, string>>;
}

const table = (
  id: string,
  nameZh: string,
  source: CodeTable['source'],
  values: Record<string, string>,
): CodeTable => ({ id, nameZh, source, values });

export const CODE_TABLES: readonly CodeTable[] = [
  // ---- from reference/standards.md §4 ----
  table('PRICE_UNIT', '价格单位', 'reference', { '0': '元', '1': '万元' }),
  table('PRICE_FORM_CODE', '价款形式代码', 'reference', {
    '1': '金额',
    '2': '费率/比率/优惠率/合格率',
    '3': '单价',
    '9': '其他',
  }),
  table('RELATE_CODE', '项目类别关联代码', 'reference', { '0': '非固定资产类', '1': '固定资产类' }),
  table('TRUE_OR_FALSE', '是否', 'reference', { '0': '否', '1': '是' }),
  table('EXCEPITON_TYPE', '招标异常类型', 'reference', {
    '1': '流标',
    '2': '终止开标',
    '3': '公告撤销',
    '9': '其他',
  }),
  table('10001', '投标资格要求类型', 'reference', {
    '1': '资质',
    '2': '业绩',
    '3': '项目负责人证书',
    '4': '职称',
    '5': '项目负责人业绩',
    '9': '其他',
  }),
  table('10003', '异议类型', 'reference', { '1': '招标文件', '2': '开标', '3': '评标结果' }),
  table('10004', '异议处理状态', 'reference', { '1': '已回复', '2': '澄清修改', '9': '其他' }),
  table('10005', '企业性质', 'reference', {
    '1': '国企',
    '2': '集体',
    '3': '联营',
    '4': '三资',
    '5': '私营',
    '6': '事业单位',
    '9': '其他',
  }),
  table('9547', '回避原因', 'reference', {
    '1': '投标单位',
    '2': '招标单位',
    '3': '主管部门',
    '4': '招标代理机构',
    '9': '其他',
  }),
  // ---- the codes this platform emits (national values not in the reference) ----
  table('10', '招标项目类型', 'platform', { A01: '工程建设项目', G01: '政府采购项目', Z99: '其他交易项目' }),
  table('2001', '主体类别', 'platform', { '1': '法人（统一社会信用代码）' }),
  table('26', '主体角色', 'platform', {
    '01': '招标人/采购人',
    '02': '招标代理机构/采购代理机构',
    '03': '投标人/供应商',
  }),
  table('1000', '招标方式', 'platform', { '1': '公开招标', '2': '邀请招标', '9': '其他' }),
  // 2 = 非自行招标 (委托) is from the reference (GGZY's validator: 2 ⇒ agency fields mandatory).
  table('21', '招标组织形式', 'platform', { '1': '自行招标', '2': '委托招标' }),
  table('20', '公告性质', 'platform', { '1': '正常公告', '2': '更正公告' }),
  table('32', '公告类型', 'platform', {
    '1': '招标公告',
    '2': '资格预审公告',
    '3': '投标邀请',
    '4': '中标结果公告',
    '9': '其他公告',
  }),
  table('13', '公示类型', 'platform', { '1': '中标候选人公示' }),
  // 7 = 保险保函 is from the reference; the others are the platform's deposit forms (现金, 电子保函).
  table('29', '保证金缴纳方式', 'platform', {
    '1': '现金（转账）',
    '2': '银行保函',
    '7': '保险保函',
    '9': '其他',
  }),
  table('43', '采购方式', 'platform', {
    '1': '公开招标',
    '2': '邀请招标',
    '3': '竞争性谈判',
    '4': '询价',
    '5': '单一来源',
    '6': '竞争性磋商',
    '9': '其他',
  }),
  table('44', '采购组织形式', 'platform', { '1': '委托代理机构采购', '2': '自行采购' }),
];

const byId = new Map(CODE_TABLES.map((t) => [t.id, t]));

export function codeTable(id: string): CodeTable | undefined {
  return byId.get(id);
}

/**
 * 5001 标段（包）分类代码 (reference/standards.md §4, data-spec §9.8.7 as quoted in GGZY): 7 characters —
 * A 工程 / B 货物 / C 服务 / D 产权 / E 土地, then the two-digit 评标专家专业 一级类别 (01–10, 00 unspecified),
 * then four further characters.
 */
export const CLASSIFY_CODE_PATTERN = /^[A-E](0\d|10)[0-9A-Z]{4}$/;
