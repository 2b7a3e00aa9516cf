/**
 * 评标专家专业分类 (the national 《公共资源交易评标专家专业分类标准》, 发改法规〔2018〕316号) as DATA.
 *
 * Hierarchical codes: a top class (A 工程 · B 货物 · C 服务), then two digits per level —
 * `A` → `A08` 工程施工 → `A0801` 房屋建筑工程 → `A080101` 土建. A request for code X matches every expert
 * holding a code that starts with X, so the hierarchy is the prefix.
 *
 * Source and its limits (see docs/experts.md): the top classes and the first-level 工程 classes
 * (01 规划 … 10 工程总承包) follow the standard as quoted in the data specification (数据规范 §9.8.7); the
 * lower levels are those of the standard's predecessor 《评标专家专业分类标准（试行）》（发改法规〔2010〕1538号）
 * as published in open lookup tables, trimmed to the professions a provincial pool uses. The full 2018 list
 * was not available to us: before production, the 交易中心 replaces this table with the official one — a
 * data change, no code change (codes already held by experts must stay in the new table).
 */
export const SPECIALTY_TABLE_SOURCE =
  '《公共资源交易评标专家专业分类标准》（发改法规〔2018〕316号）；细目参照《评标专家专业分类标准（试行）》（发改法规〔2010〕1538号）整理';

const RAW: readonly (readonly [code: string, name: string])[] = [
  ['A', '工程'],
  ['A01', '规划'],
  ['A0101', '国民经济和社会发展规划'],
  ['A010101', '总体规划'],
  ['A010102', '公路规划'],
  ['A010103', '铁路规划'],
  ['A010104', '城市轨道交通规划'],
  ['A010105', '水电规划'],
  ['A010106', '风电规划'],
  ['A010107', '太阳能发电规划'],
  ['A010108', '煤炭规划'],
  ['A010109', '水利规划'],
  ['A0102', '城乡规划'],
  ['A010201', '城镇体系规划'],
  ['A010202', '城市规划'],
  ['A010203', '镇规划'],
  ['A010204', '乡和村庄规划'],
  ['A0103', '土地利用总体规划'],
  ['A02', '投资策划与决策'],
  ['A0201', '项目建议书、可行性研究、评估及后评价'],
  ['A020101', '公路'],
  ['A020102', '铁路'],
  ['A020103', '民航'],
  ['A020104', '水电'],
  ['A020105', '火电'],
  ['A020106', '风电'],
  ['A020107', '太阳能发电'],
  ['A020108', '煤炭'],
  ['A020109', '石油天然气'],
  ['A020110', '化工、医药'],
  ['A020111', '农业、林业'],
  ['A020112', '水利'],
  ['A020113', '市政公用工程'],
  ['A020114', '建筑'],
  ['A020115', '生态建设和环境工程'],
  ['A020116', '通信信息'],
  ['A03', '勘察'],
  ['A0301', '岩土工程'],
  ['A030101', '岩土工程勘察'],
  ['A030102', '岩土工程设计'],
  ['A030103', '岩土工程物探测试检测监测'],
  ['A0302', '地质工程'],
  ['A030201', '地质灾害治理'],
  ['A030202', '地质环境保护'],
  ['A0303', '测绘工程'],
  ['A030301', '大地测量'],
  ['A030302', '工程测量'],
  ['A030303', '摄影测量与遥感'],
  ['A030304', '地籍测量与勘测定界'],
  ['A030305', '地理信息系统工程'],
  ['A0304', '水文气象勘察'],
  ['A030401', '陆地水文勘察'],
  ['A030402', '气象勘察'],
  ['A04', '设计'],
  ['A0401', '建筑工程'],
  ['A040101', '建筑总平面规划'],
  ['A040102', '建筑'],
  ['A040103', '结构'],
  ['A040104', '给水排水'],
  ['A040105', '暖通空调'],
  ['A040106', '电气、通信及弱电'],
  ['A040107', '装饰'],
  ['A040108', '园林景观'],
  ['A0402', '市政公用工程'],
  ['A040201', '给水工程'],
  ['A040202', '排水工程'],
  ['A040203', '城镇燃气工程'],
  ['A040204', '热力工程'],
  ['A040205', '道路工程'],
  ['A040206', '桥梁工程'],
  ['A040207', '城市隧道工程'],
  ['A040208', '环境卫生工程'],
  ['A0403', '公路工程'],
  ['A040301', '路基路面'],
  ['A040302', '桥梁'],
  ['A040303', '隧道'],
  ['A040304', '交通工程'],
  ['A0404', '水利工程'],
  ['A040401', '水工结构'],
  ['A040402', '水力机械'],
  ['A040403', '农田水利'],
  ['A0405', '电力工程'],
  ['A040501', '火力发电'],
  ['A040502', '风力发电'],
  ['A040503', '太阳能发电'],
  ['A040504', '送变电'],
  ['A0406', '煤炭工程'],
  ['A040601', '矿井'],
  ['A040602', '露天矿'],
  ['A040603', '选煤厂'],
  ['A0407', '化工石化医药工程'],
  ['A0408', '冶金工程'],
  ['A0409', '农林工程'],
  ['A040901', '农业工程'],
  ['A040902', '林业工程'],
  ['A040903', '草原生态工程'],
  ['A05', '监理'],
  ['A0501', '房屋建筑工程监理'],
  ['A0502', '市政公用工程监理'],
  ['A0503', '公路工程监理'],
  ['A0504', '水利工程监理'],
  ['A0505', '电力工程监理'],
  ['A0506', '矿山工程监理'],
  ['A0507', '铁路工程监理'],
  ['A0508', '通信工程监理'],
  ['A06', '工程造价'],
  ['A0601', '土建工程造价'],
  ['A0602', '安装工程造价'],
  ['A0603', '市政工程造价'],
  ['A0604', '公路工程造价'],
  ['A0605', '水利工程造价'],
  ['A0606', '园林绿化工程造价'],
  ['A07', '项目管理（含代建）'],
  ['A0701', '房屋建筑工程项目管理'],
  ['A0702', '市政公用工程项目管理'],
  ['A0703', '交通工程项目管理'],
  ['A08', '工程施工'],
  ['A0801', '房屋建筑工程'],
  ['A080101', '土建'],
  ['A080102', '钢结构'],
  ['A080103', '建筑装饰装修'],
  ['A080104', '建筑机电安装'],
  ['A080105', '建筑智能化'],
  ['A080106', '消防设施'],
  ['A080107', '幕墙'],
  ['A080108', '古建筑'],
  ['A0802', '市政公用工程'],
  ['A080201', '城市道路'],
  ['A080202', '城市桥梁'],
  ['A080203', '给水排水管网'],
  ['A080204', '燃气管网'],
  ['A080205', '供热管网'],
  ['A080206', '城市照明'],
  ['A080207', '园林绿化'],
  ['A080208', '垃圾、污水处理'],
  ['A0803', '公路工程'],
  ['A080301', '路基'],
  ['A080302', '路面'],
  ['A080303', '桥梁'],
  ['A080304', '隧道'],
  ['A080305', '交通安全设施'],
  ['A080306', '机电工程'],
  ['A0804', '铁路工程'],
  ['A0805', '水利水电工程'],
  ['A080501', '水工建筑物'],
  ['A080502', '河道整治、堤防'],
  ['A080503', '农田水利、灌区'],
  ['A080504', '水土保持'],
  ['A080505', '金属结构与机电安装'],
  ['A0806', '电力工程'],
  ['A080601', '火电'],
  ['A080602', '风电'],
  ['A080603', '光伏发电'],
  ['A080604', '输变电'],
  ['A080605', '配电网'],
  ['A0807', '矿山工程'],
  ['A080701', '煤矿'],
  ['A080702', '金属与非金属矿山'],
  ['A0808', '通信工程'],
  ['A0809', '民航机场工程'],
  ['A0810', '生态环境工程'],
  ['A081001', '荒漠化治理'],
  ['A081002', '造林绿化'],
  ['A081003', '草原生态修复'],
  ['A081004', '矿山生态修复'],
  ['A0811', '土地整治工程'],
  ['A0812', '农业工程'],
  ['A081201', '高标准农田建设'],
  ['A081202', '设施农业'],
  ['A09', '其他工程'],
  ['A0901', '工程咨询其他'],
  ['A10', '工程总承包及全过程工程咨询'],
  ['A1001', '工程总承包'],
  ['A1002', '全过程工程咨询'],

  ['B', '货物'],
  ['B01', '机械设备'],
  ['B0101', '通用机械'],
  ['B010101', '泵、风机、压缩机'],
  ['B010102', '起重运输设备'],
  ['B010103', '锅炉'],
  ['B0102', '工程机械'],
  ['B0103', '农业机械'],
  ['B0104', '矿山机械'],
  ['B0105', '环保设备'],
  ['B02', '电气设备'],
  ['B0201', '变压器、开关设备'],
  ['B0202', '电线电缆'],
  ['B0203', '发电设备'],
  ['B0204', '照明设备'],
  ['B0205', '电梯'],
  ['B03', '仪器仪表'],
  ['B0301', '分析仪器'],
  ['B0302', '计量检测仪器'],
  ['B0303', '教学实验仪器'],
  ['B04', '信息技术设备'],
  ['B0401', '计算机及网络设备'],
  ['B0402', '服务器与存储设备'],
  ['B0403', '信息安全设备'],
  ['B0404', '软件'],
  ['B0405', '通信设备'],
  ['B0406', '办公设备'],
  ['B05', '医疗设备'],
  ['B0501', '医学影像设备'],
  ['B0502', '检验设备'],
  ['B0503', '手术、急救设备'],
  ['B0504', '康复设备'],
  ['B06', '医药及医用耗材'],
  ['B0601', '药品'],
  ['B0602', '医用耗材'],
  ['B0603', '试剂'],
  ['B07', '交通运输设备'],
  ['B0701', '汽车'],
  ['B0702', '专用车辆'],
  ['B08', '建筑材料'],
  ['B0801', '钢材'],
  ['B0802', '水泥、混凝土'],
  ['B0803', '管材、管件'],
  ['B09', '家具、用具及被服'],
  ['B0901', '办公家具'],
  ['B0902', '学生课桌椅及宿舍家具'],
  ['B0903', '被服装具'],
  ['B10', '农林牧产品'],
  ['B1001', '种子、种苗'],
  ['B1002', '饲草饲料'],
  ['B1003', '农药、化肥'],
  ['B11', '能源及化工产品'],
  ['B1101', '煤炭'],
  ['B1102', '成品油'],
  ['B12', '图书、文体用品'],
  ['B1201', '图书'],
  ['B1202', '体育器材'],

  ['C', '服务'],
  ['C01', '工程咨询服务'],
  ['C0101', '工程造价咨询'],
  ['C0102', '招标代理'],
  ['C0103', '环境影响评价'],
  ['C0104', '安全评价'],
  ['C02', '信息技术服务'],
  ['C0201', '软件开发'],
  ['C0202', '信息系统集成'],
  ['C0203', '运行维护'],
  ['C0204', '数据处理'],
  ['C0205', '信息安全服务'],
  ['C03', '物业管理服务'],
  ['C0301', '物业管理'],
  ['C0302', '保洁'],
  ['C0303', '安保'],
  ['C04', '金融服务'],
  ['C0401', '银行服务'],
  ['C0402', '保险服务'],
  ['C0403', '资产评估'],
  ['C05', '会计审计服务'],
  ['C0501', '会计'],
  ['C0502', '审计'],
  ['C06', '法律服务'],
  ['C07', '医疗卫生服务'],
  ['C08', '教育培训服务'],
  ['C09', '交通运输及物流服务'],
  ['C10', '餐饮、印刷及会议服务'],
  ['C1001', '餐饮服务'],
  ['C1002', '印刷服务'],
  ['C1003', '会议、展览服务'],
  ['C11', '环境服务'],
  ['C1101', '垃圾清运处理'],
  ['C1102', '园林养护'],
  ['C1103', '环境监测'],
  ['C12', '测绘及地理信息服务'],
  ['C13', '规划及设计服务'],
  ['C14', '农林牧业服务'],
  ['C15', '产权交易及评估服务'],
  ['C1501', '土地评估'],
  ['C1502', '矿业权评估'],
  ['C1503', '企业国有产权评估'],
];

export interface Specialty {
  code: string;
  name: string;
  /** 1 = 工程/货物/服务, 2 = 一级类别, … */
  level: number;
  parentCode: string | null;
}

export interface SpecialtyNode {
  code: string;
  name: string;
  children?: SpecialtyNode[];
}

/** A specialty code's parent: the code without its last two digits (`A08` → `A`). */
function parentOf(code: string): string | null {
  if (code.length === 1) return null;
  return code.length === 3 ? code.slice(0, 1) : code.slice(0, -2);
}

const BY_CODE: ReadonlyMap<string, Specialty> = new Map(
  RAW.map(([code, name]) => [
    code,
    { code, name, level: code.length === 1 ? 1 : (code.length - 1) / 2 + 1, parentCode: parentOf(code) },
  ]),
);

// The table is data typed by hand: a broken parent link is a bug to find at start-up, not in a draw.
for (const s of BY_CODE.values()) {
  if (!/^[ABC](\d{2}){0,3}$/.test(s.code)) throw new Error(`specialty code ${s.code} is malformed`);
  if (s.parentCode && !BY_CODE.has(s.parentCode)) throw new Error(`specialty ${s.code} has no parent`);
}

export function specialtyByCode(code: string): Specialty | undefined {
  return BY_CODE.get(code);
}

export function isKnownSpecialty(code: string): boolean {
  return BY_CODE.has(code);
}

/** `工程 / 工程施工 / 房屋建筑工程 / 土建` for a code, or the code itself when unknown. */
export function specialtyPathName(code: string, separator = ' / '): string {
  const names: string[] = [];
  let current: string | null = code;
  while (current) {
    const s = BY_CODE.get(current);
    if (!s) return code;
    names.unshift(s.name);
    current = s.parentCode;
  }
  return names.join(separator);
}

export function allSpecialties(): Specialty[] {
  return [...BY_CODE.values()];
}

let tree: SpecialtyNode[] | undefined;

/** The whole table as a tree (for the cascader): children in code order. */
export function specialtyTree(): SpecialtyNode[] {
  if (tree) return tree;
  const nodes = new Map<string, SpecialtyNode>();
  const roots: SpecialtyNode[] = [];
  for (const s of [...BY_CODE.values()].sort((a, b) => (a.code < b.code ? -1 : 1))) {
    const node: SpecialtyNode = { code: s.code, name: s.name };
    nodes.set(s.code, node);
    const parent = s.parentCode ? nodes.get(s.parentCode) : undefined;
    if (!parent) roots.push(node);
    else if (parent.children) parent.children.push(node);
    else parent.children = [node];
  }
  tree = roots;
  return tree;
}
