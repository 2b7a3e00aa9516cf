import type { Kysely } from 'kysely';
import { type Clock, shanghaiDateOf, shiftDate } from '../platform/clock/index.ts';
import type { FieldSealer } from '../platform/sealing/index.ts';
import { idNumberCheckCharacter } from '../service/entities/index.ts';
import { type ExpertImportRow, findExpertOfAccount, importExperts } from '../service/experts/index.ts';
import type { AllTables } from '../tables.ts';

/**
 * The demo expert pool: the demo account `zhuanjia` (吴华) as an expert 在库, and 120 more experts over
 * several specialties and Inner Mongolia regions — enough that a demo draw (土建 ×5, 造价 ×2 …) works under
 * every rule, and that each rule visibly removes someone: a few are suspended, some cannot serve in the
 * next weeks, some work for the demo bidders or have declared ties with them, a few work at the demo
 * regulator. Imported through the pool's own `importExperts` (one witnessed import), so every row passes
 * the checks an application would. Idempotent: nothing is imported when zhuanjia is already an expert.
 */
/**
 * The demo committee's other experts: each has a login (`zhuanjia2` …) and, like zhuanjia, the specialty
 * A080102 钢结构 that no other demo expert has — a draw for it (the end-to-end demo, the browser test)
 * draws from these five only, and every drawn expert can sign in and answer.
 */
export const DEMO_COMMITTEE_SPECIALTY = 'A080102';
export const DEMO_COMMITTEE_EXPERTS = [
  {
    username: 'zhuanjia2',
    name: '包玉林',
    title: '高级工程师',
    employer: '内蒙古工业大学建筑设计研究院（演示）',
  },
  {
    username: 'zhuanjia3',
    name: '乌云其其格',
    title: '正高级工程师',
    employer: '内蒙古建筑职业技术学院（演示）',
  },
  {
    username: 'zhuanjia4',
    name: '石磊',
    title: '高级工程师',
    employer: '呼和浩特市建筑工程质量检测中心（演示）',
  },
  {
    username: 'zhuanjia5',
    name: '邢丽娟',
    title: '高级经济师',
    employer: '内蒙古工程造价咨询研究院（演示）',
  },
] as const;

export interface DemoOrganizationRef {
  name: string;
  creditCode: string;
}

const SPECIALTIES: readonly string[][] = [
  ['A080101'], // 房屋建筑 土建
  ['A080101', 'A080104'],
  ['A080103'],
  ['A080201', 'A080203'], // 市政
  ['A0603', 'A0601'], // 造价
  ['A0601'],
  ['A0501'], // 监理
  ['A080301', 'A080302'], // 公路
  ['B0401', 'B0404'], // 信息技术设备
  ['C0201', 'C0202'], // 信息技术服务
];

const REGIONS = [
  '150102',
  '150103',
  '150104',
  '150105',
  '150121',
  '150202',
  '150203',
  '150207',
  '150602',
  '150603',
  '150402',
];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许';
const GIVEN = [
  '建国',
  '志强',
  '海峰',
  '丽华',
  '晓东',
  '文斌',
  '玉兰',
  '俊杰',
  '红梅',
  '永刚',
  '春燕',
  '立新',
];
const TITLES: [string, ExpertImportRow['titleLevel']][] = [
  ['正高级工程师', 'senior'],
  ['高级工程师', 'vice-senior'],
  ['高级经济师', 'vice-senior'],
  ['工程师', 'intermediate'],
];

function idNumberOf(i: number): string {
  const body = `150102${1960 + (i % 30)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(500 + i).padStart(3, '0')}`;
  return body + idNumberCheckCharacter(body);
}

export async function seedDemoExperts(
  deps: { db: Kysely<AllTables>; sealer: FieldSealer; clock: Clock },
  input: {
    expertAccountId: string;
    /** The accounts of DEMO_COMMITTEE_EXPERTS, by username. */
    committeeAccountIds: ReadonlyMap<string, string>;
    bidders: DemoOrganizationRef[];
    regulatorName: string;
  },
): Promise<void> {
  if (await findExpertOfAccount(deps.db, input.expertAccountId, { includeInactive: true })) return;
  const today = shanghaiDateOf(deps.clock.now());
  const rows: ExpertImportRow[] = [
    {
      name: '吴华',
      gender: 'male',
      idNumber: idNumberOf(0),
      phone: '13904710000',
      employerName: '内蒙古建筑科学研究院（演示）',
      employerKind: 'public-institution',
      regionCode: '150102',
      title: '正高级工程师',
      titleLevel: 'senior',
      education: '硕士研究生',
      yearsInField: 22,
      specialtyCodes: ['A080101', 'A0601', DEMO_COMMITTEE_SPECIALTY],
      accountId: input.expertAccountId,
      unavailability: [{ from: shiftDate(today, 40), to: shiftDate(today, 42), reason: '外地出差' }],
    },
    ...DEMO_COMMITTEE_EXPERTS.map(
      (e, i): ExpertImportRow => ({
        name: e.name,
        gender: i % 2 === 0 ? 'male' : 'female',
        idNumber: idNumberOf(200 + i),
        phone: `13904719${String(100 + i)}`,
        employerName: e.employer,
        employerKind: 'public-institution',
        regionCode: '150102',
        title: e.title,
        titleLevel: e.title.startsWith('正高级') ? 'senior' : 'vice-senior',
        education: '本科',
        yearsInField: 15 + i,
        specialtyCodes: [DEMO_COMMITTEE_SPECIALTY],
        accountId: input.committeeAccountIds.get(e.username) ?? null,
      }),
    ),
  ];
  for (let i = 1; i <= 120; i++) {
    const [title, titleLevel] = TITLES[i % TITLES.length]!;
    const bidder = input.bidders[i % input.bidders.length]!;
    const row: ExpertImportRow = {
      name: `${SURNAMES[i % SURNAMES.length]}${GIVEN[i % GIVEN.length]}`,
      gender: i % 3 === 0 ? 'female' : 'male',
      idNumber: idNumberOf(i),
      phone: `139047${String(10000 + i).slice(-5)}`,
      employerName: `内蒙古第${(i % 40) + 1}工程咨询有限公司（演示）`,
      employerKind: 'enterprise',
      regionCode: REGIONS[i % REGIONS.length]!,
      title,
      titleLevel,
      education: i % 2 === 0 ? '本科' : '硕士研究生',
      yearsInField: 8 + (i % 25),
      specialtyCodes: SPECIALTIES[i % SPECIALTIES.length]!,
    };
    // Each rule of the draw has someone to remove in the demo.
    if (i % 23 === 0) Object.assign(row, { status: 'suspended', statusReason: '年度考核不合格（演示）' });
    if (i % 29 === 0) Object.assign(row, { status: 'retired', statusReason: '本人申请退出（演示）' });
    if (i % 7 === 0)
      row.unavailability = [
        { from: shiftDate(today, i % 20), to: shiftDate(today, (i % 20) + 6), reason: null },
      ];
    if (i % 17 === 0)
      Object.assign(row, { employerName: bidder.name, employerCreditCode: bidder.creditCode });
    if (i % 11 === 0) {
      row.relationships = [
        {
          kind: i % 2 === 0 ? 'spouse-employer' : 'former-employer',
          organizationName: bidder.name,
          creditCode: bidder.creditCode,
          endedOn: i % 2 === 0 ? null : shiftDate(today, -400),
        },
      ];
    }
    if (i % 31 === 0) Object.assign(row, { employerName: input.regulatorName, employerKind: 'government' });
    rows.push(row);
  }
  await importExperts(deps.db, deps.sealer, deps.clock, rows, { reason: '演示数据：评标专家库' });
}
