/**
 * A realistic expert pool for the draw benchmark: `generateExpertPool(n, seed)` returns import rows with
 * the shape of a provincial pool — specialties weighted towards construction (工程施工, 造价, 监理), regions
 * weighted by the size of each 盟市, mostly senior titles, a few experts suspended or retired, about a
 * third with declared relationships (配偶/近亲属受聘、持股、三年内曾受聘) and a tenth with dates they cannot
 * serve. Deterministic for a seed, so two runs draw from the same pool.
 */
import { composeCreditCode, idNumberCheckCharacter } from '../src/service/entities/index.ts';
import { allSpecialties, type ExpertImportRow } from '../src/service/experts/index.ts';
import { INNER_MONGOLIA } from '../src/service/regions/index.ts';

/** mulberry32: a small seeded generator — the pool must be the same on every run, not secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weightedPicker<T>(items: readonly T[], weight: (item: T) => number, rnd: () => number) {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += weight(item);
    cumulative.push(total);
  }
  return (): T => {
    const x = rnd() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

/** Rough population weights of the 12 盟市 (呼和浩特、包头、赤峰、鄂尔多斯、通辽 largest). */
const PREFECTURE_WEIGHT: Record<string, number> = {
  '150100': 16,
  '150200': 15,
  '150300': 3,
  '150400': 17,
  '150500': 11,
  '150600': 13,
  '150700': 8,
  '150800': 6,
  '150900': 7,
  '152200': 6,
  '152500': 5,
  '152900': 2,
};

/** Construction-heavy, as a provincial pool is: 工程施工 and 造价 most, 货物 and 服务 fewer. */
function specialtyWeight(code: string): number {
  if (code.startsWith('A08')) return 6;
  if (code.startsWith('A06') || code.startsWith('A05')) return 4;
  if (code.startsWith('A')) return 2;
  return 1;
}

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志宏海燕红玉兰春梅巴特尔其木格乌兰格日勒图';
const TITLES: readonly (readonly [title: string, level: ExpertImportRow['titleLevel'], weight: number])[] = [
  ['正高级工程师', 'senior', 2],
  ['高级工程师', 'vice-senior', 6],
  ['高级经济师', 'vice-senior', 1],
  ['高级会计师', 'vice-senior', 1],
  ['教授', 'senior', 1],
  ['副教授', 'vice-senior', 1],
];

export interface GeneratedOrganization {
  name: string;
  creditCode: string;
}

/** Employers and related firms: `n` organisations with valid 统一社会信用代码. */
export function generateOrganizations(n: number, rnd: () => number): GeneratedOrganization[] {
  const counties = INNER_MONGOLIA.flatMap((p) => p.counties.map(([code]) => code));
  const out: GeneratedOrganization[] = [];
  for (let i = 0; i < n; i++) {
    const region = counties[Math.floor(rnd() * counties.length)]!;
    const body = `MA${String(i).padStart(6, '0')}`.slice(0, 8);
    out.push({
      name: `内蒙古${['建设', '工程咨询', '路桥', '水利', '设计研究', '监理', '造价', '设备'][i % 8]}有限公司第${i + 1}分公司`,
      creditCode: composeCreditCode({
        authority: '9',
        category: '1',
        regionCode: region,
        organizationBody: body,
      }),
    });
  }
  return out;
}

/** 行政监督部门: a few experts work there, and the rule 实施条例第四十六条 keeps them off their own projects. */
export const REGULATORS = [
  '内蒙古自治区住房和城乡建设厅',
  '内蒙古自治区交通运输厅',
  '内蒙古自治区水利厅',
  '呼和浩特市住房和城乡建设局',
  '包头市交通运输局',
] as const;

export interface ExpertPool {
  rows: ExpertImportRow[];
  /** The employers and related firms the rows name (bidders to avoid are taken from here). */
  organizations: GeneratedOrganization[];
  regulators: readonly string[];
}

export function generateExpertPool(
  n: number,
  seed = 20260,
  today: Date = new Date('2026-05-04T00:00:00.000Z'),
): ExpertPool {
  const rnd = seededRandom(seed);
  const organizations = generateOrganizations(Math.max(50, Math.floor(n / 5)), rnd);
  const codes = allSpecialties().map((s) => s.code);
  // Experts hold the most specific codes: those with no children in the table.
  const leaves = codes.filter((c) => !codes.some((other) => other !== c && other.startsWith(c)));
  const pickSpecialty = weightedPicker(leaves, specialtyWeight, rnd);
  const prefectures = INNER_MONGOLIA.filter((p) => p.counties.length > 0);
  const pickPrefecture = weightedPicker(prefectures, (p) => PREFECTURE_WEIGHT[p.code] ?? 3, rnd);
  const pickTitle = weightedPicker(TITLES, (t) => t[2], rnd);
  const pickOrganization = () => organizations[Math.floor(rnd() * organizations.length)]!;
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

  const rows: ExpertImportRow[] = [];
  for (let i = 0; i < n; i++) {
    const prefecture = pickPrefecture();
    const county = prefecture.counties[Math.floor(rnd() * prefecture.counties.length)]![0];
    const specialties = new Set<string>([pickSpecialty()]);
    const extra = rnd();
    if (extra < 0.5) specialties.add(pickSpecialty());
    if (extra < 0.2) specialties.add(pickSpecialty());
    const [title, titleLevel] = pickTitle();
    // About 1 % work for a regulator (government), the rest for firms.
    const atRegulator = rnd() < 0.01;
    const employer = atRegulator
      ? { name: REGULATORS[Math.floor(rnd() * REGULATORS.length)]!, creditCode: null }
      : pickOrganization();
    const birthYear = 1958 + Math.floor(rnd() * 30);
    // A unique serial per expert keeps ID numbers distinct (the pool refuses the same person twice).
    const serial = String(i % 1000).padStart(3, '0');
    const birth = `${birthYear}${String(1 + (Math.floor(i / 1000) % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 12_000) % 28)).padStart(2, '0')}`;
    const body = `${county}${birth}${serial}`;
    const relationships: NonNullable<ExpertImportRow['relationships']> = [];
    const r = rnd();
    if (r < 0.35) {
      const kinds = ['spouse-employer', 'relative-employer', 'shareholding', 'former-employer'] as const;
      const count = r < 0.1 ? 2 : 1;
      for (let k = 0; k < count; k++) {
        const kind = kinds[Math.floor(rnd() * kinds.length)]!;
        const org = pickOrganization();
        relationships.push({
          kind,
          organizationName: org.name,
          creditCode: org.creditCode,
          ...(kind === 'former-employer' ? { endedOn: day(-Math.floor(rnd() * 1500)) } : {}),
        });
      }
    }
    const unavailability =
      rnd() < 0.1
        ? [{ from: day(Math.floor(rnd() * 60)), to: day(60 + Math.floor(rnd() * 10)), reason: '出差' }]
        : [];
    const s = rnd();
    rows.push({
      name: SURNAMES[Math.floor(rnd() * SURNAMES.length)]! + GIVEN[Math.floor(rnd() * GIVEN.length)]!,
      gender: rnd() < 0.7 ? 'male' : 'female',
      idNumber: body + idNumberCheckCharacter(body),
      phone: `13${String(100_000_000 + i).slice(-9)}`,
      employerName: employer.name,
      employerCreditCode: employer.creditCode,
      employerKind: atRegulator ? 'government' : 'enterprise',
      regionCode: county,
      title,
      titleLevel,
      education: rnd() < 0.6 ? '本科' : '硕士研究生',
      yearsInField: 8 + Math.floor(rnd() * 25),
      specialtyCodes: [...specialties],
      status: s < 0.92 ? 'active' : s < 0.97 ? 'suspended' : 'retired',
      ...(s >= 0.92 ? { statusReason: s < 0.97 ? '年度考核暂停' : '本人申请退出' } : {}),
      relationships,
      unavailability,
    });
  }
  return { rows, organizations, regulators: REGULATORS };
}
