import { RuleViolation } from '../../platform/errors.ts';
import type { EvaluationMethod, EvaluationPlan, PlanCriterion, StepCode } from './tables.ts';

/**
 * The legal rules of the evaluation (评标评审), as data with their citations, and the pure functions that
 * apply them. Nothing here touches the database: the benchmark and the unit tests call them directly.
 */
export const CITATIONS = {
  composition: '《中华人民共和国招标投标法》第三十七条',
  gpComposition: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十七条',
  gpChair: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十五条',
  criteriaOnly: '《中华人民共和国招标投标法实施条例》第四十九条',
  gpCriteriaOnly: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十五条',
  priceWeight: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十五条',
  arithmetic: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第五十九条',
  abnormallyLow: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十条',
  worksRejection: '《中华人民共和国招标投标法实施条例》第五十一条',
  gpRejection: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十三条',
  clarification: '《中华人民共和国招标投标法实施条例》第五十二条',
  afterAggregation: '《政府采购货物和服务招标投标管理办法》（财政部令第87号）第六十四条',
  report: '《中华人民共和国招标投标法实施条例》第五十三条',
  replacement: '《中华人民共和国招标投标法实施条例》第四十八条',
  secrecy: '《中华人民共和国招标投标法》第三十八条',
  planFrozen: '《中华人民共和国招标投标法》第十九条；《中华人民共和国招标投标法实施条例》第四十九条',
  minimum:
    '《中华人民共和国招标投标法》第四十二条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第四十四条',
} as const;

export const STEP_ORDER: readonly StepCode[] = ['qualification', 'preliminary', 'detailed'];
export const STEP_NAMES_ZH: Record<StepCode | 'price' | 'summary', string> = {
  qualification: '资格审查',
  preliminary: '初步评审',
  detailed: '详细评审',
  price: '价格评分',
  summary: '汇总',
};

export const METHOD_NAMES_ZH: Record<EvaluationMethod, string> = {
  'lowest-evaluated-price': '经评审的最低投标价法',
  comprehensive: '综合评估法（综合评分法）',
  'lowest-price': '最低评标价法',
};

export type Law = 'works' | 'gp';

export const METHODS_OF_LAW: Record<Law, readonly EvaluationMethod[]> = {
  works: ['lowest-evaluated-price', 'comprehensive'],
  gp: ['lowest-price', 'comprehensive'],
};

/** 否决投标 grounds (实施条例第五十一条) and 投标无效 grounds (87号令第六十三条, 第五十九条, 第六十条). */
export const REJECTION_GROUNDS: Record<Law, Record<string, string>> = {
  works: {
    unsigned: '投标文件未经投标单位盖章和单位负责人签字',
    'no-joint-agreement': '投标联合体没有提交共同投标协议',
    unqualified: '投标人不符合国家或者招标文件规定的资格条件',
    'multiple-bids': '同一投标人提交两个以上不同的投标文件或者投标报价（招标文件要求提交备选投标的除外）',
    'price-out-of-bounds': '投标报价低于成本或者高于招标文件设定的最高投标限价',
    'non-responsive': '投标文件没有对招标文件的实质性要求和条件作出响应',
    'collusion-fraud': '投标人有串通投标、弄虚作假、行贿等违法行为',
  },
  gp: {
    'no-deposit': '未按照招标文件的规定提交投标保证金',
    unsigned: '投标文件未按招标文件要求签署、盖章',
    unqualified: '不具备招标文件中规定的资格要求',
    'over-budget': '报价超过招标文件中规定的预算金额或者最高限价',
    'unacceptable-conditions': '投标文件含有采购人不能接受的附加条件',
    'other-legal': '法律、法规和招标文件规定的其他无效情形',
    'correction-not-confirmed': '投标人不确认修正后的报价（第五十九条）',
    'abnormally-low': '投标人不能证明其报价合理性（第六十条）',
  },
};

export function rejectionCitation(law: Law): string {
  return law === 'works' ? CITATIONS.worksRejection : CITATIONS.gpRejection;
}

/** 87号令第五十九条: the correction rules, in the order they apply when several meet. */
export const CORRECTION_RULES: readonly { code: string; nameZh: string }[] = [
  {
    code: 'summary-over-document',
    nameZh: '开标一览表（报价表）内容与投标文件中相应内容不一致的，以开标一览表为准',
  },
  { code: 'words-over-figures', nameZh: '大写金额和小写金额不一致的，以大写金额为准' },
  {
    code: 'misplaced-decimal',
    nameZh: '单价金额小数点或者百分比有明显错位的，以开标一览表的总价为准，并修改单价',
  },
  { code: 'unit-prices-over-total', nameZh: '总价金额与按单价汇总金额不一致的，以单价金额计算结果为准' },
];

/** 87号令第六十四条: the only changes allowed after the aggregation. */
export const AFTER_AGGREGATION_GROUNDS: Record<string, string> = {
  'sum-error': '分值汇总计算错误',
  'out-of-range': '分项评分超出评分标准规定的分值范围',
  'objective-inconsistent': '评标委员会成员对客观评审因素评分不一致',
  'abnormal-score': '经评标委员会认定评分畸高、畸低',
};

/** The committee's size threshold for GP (87号令第四十七条): budget ≥ 1000万元 → at least 7 members. */
export const GP_LARGE_BUDGET_FEN = 1_000_000_000n;
export const GP_LARGE_COMMITTEE = 7;
/** Minutes after the evaluation's start a sign-in is still on time. */
export const LATE_GRACE_MINUTES = 15;
/** Minutes members have to sign the report before silence counts as agreement (实施条例第五十三条). */
export const REPORT_SIGNING_MINUTES = 60;
/** A member's total this far (as a fraction) from the committee's median is flagged (§40, §52). */
export const DEVIATION_FLAG = 0.3;

// --------------------------------------------------------------------------------------- composition

export interface CompositionProblem {
  code: string;
  message: string;
  citation: string;
}

/** 评标委员会 composition: ≥5, odd, experts ≥ 2/3 (招标投标法第三十七条); GP ≥7 when budget ≥ 1000万 (第四十七条). */
export function checkComposition(input: {
  law: Law;
  experts: number;
  representatives: number;
  estimateFen: bigint;
}): CompositionProblem[] {
  const total = input.experts + input.representatives;
  const cite = input.law === 'gp' ? CITATIONS.gpComposition : CITATIONS.composition;
  const problems: CompositionProblem[] = [];
  if (total < 5) {
    problems.push({ code: 'TOO_FEW', message: `评标委员会共 ${total} 人，应为五人以上单数`, citation: cite });
  }
  if (total % 2 === 0) {
    problems.push({ code: 'EVEN', message: `评标委员会共 ${total} 人，应为单数`, citation: cite });
  }
  if (input.experts * 3 < total * 2) {
    problems.push({
      code: 'EXPERTS_UNDER_TWO_THIRDS',
      message: `技术、经济等方面的专家 ${input.experts} 人，不得少于成员总数 ${total} 人的三分之二`,
      citation: cite,
    });
  }
  if (input.law === 'gp' && input.estimateFen >= GP_LARGE_BUDGET_FEN && total < GP_LARGE_COMMITTEE) {
    problems.push({
      code: 'GP_LARGE_BUDGET',
      message: `采购预算金额在1000万元以上，评标委员会应为七人以上单数（当前 ${total} 人）`,
      citation: CITATIONS.gpComposition,
    });
  }
  return problems;
}

// -------------------------------------------------------------------------------------------- plan

/** Goods or services (87号令第五十五条) from the catalog item: 0203 政府采购服务, everything else goods. */
export function gpCategoryOf(catalogItemCode: string): 'goods' | 'services' {
  return catalogItemCode.startsWith('0203') ? 'services' : 'goods';
}

export function toCenti(points: number): number {
  return Math.round(points * 100);
}

export function centiText(centi: number): string {
  const negative = centi < 0;
  const abs = Math.abs(centi);
  return `${negative ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function planProblem(detail: string, citation?: string): RuleViolation {
  return new RuleViolation('PLAN_INVALID', {
    title: '评标办法不符合规定',
    detail,
    ...(citation ? { citation } : {}),
  });
}

/** Checks a plan against the law of the lot; throws PLAN_INVALID with the rule it breaks. */
export function assertValidPlan(plan: EvaluationPlan, lot: { law: Law; catalogItemCode: string }): void {
  if (!METHODS_OF_LAW[lot.law].includes(plan.method)) {
    const allowed = METHODS_OF_LAW[lot.law].map((m) => METHOD_NAMES_ZH[m]).join('、');
    throw planProblem(
      `本项目可采用的评标方法为：${allowed}。`,
      lot.law === 'gp' ? CITATIONS.gpCriteriaOnly : undefined,
    );
  }
  const ids = new Set<string>();
  const grounds = REJECTION_GROUNDS[lot.law];
  let scoredMax = 0;
  for (const c of plan.criteria) {
    if (ids.has(c.id)) throw planProblem(`评审因素编号“${c.id}”重复。`);
    ids.add(c.id);
    if (c.kind === 'pass-fail') {
      if (c.step === 'detailed' && plan.method === 'comprehensive') {
        throw planProblem(`综合评估法的详细评审为打分项，“${c.name}”不能为合格制。`);
      }
      if (!c.ground || !(c.ground in grounds)) {
        throw planProblem(
          `合格制评审因素“${c.name}”须注明不合格对应的法定否决（无效）情形。`,
          rejectionCitation(lot.law),
        );
      }
    } else {
      if (plan.method !== 'comprehensive' || c.step !== 'detailed') {
        throw planProblem(`打分项“${c.name}”只能用于综合评估法的详细评审。`);
      }
      if (
        c.min === null ||
        c.max === null ||
        !(c.min >= 0) ||
        !(c.max > c.min) ||
        !twoDecimals(c.min) ||
        !twoDecimals(c.max)
      ) {
        throw planProblem(`打分项“${c.name}”的分值范围应为 0 ≤ 最低分 < 最高分，最多两位小数。`);
      }
      scoredMax += toCenti(c.max);
    }
  }
  if (plan.method === 'comprehensive') {
    if (plan.priceWeight === null || !(plan.priceWeight > 0) || !twoDecimals(plan.priceWeight)) {
      throw planProblem('综合评估法须设定价格分权重（分值）。');
    }
    if (scoredMax + toCenti(plan.priceWeight) !== 10000) {
      throw planProblem(
        `各评审因素最高分之和（${centiText(scoredMax)}）加价格分（${plan.priceWeight}）应为 100 分。`,
        lot.law === 'gp' ? CITATIONS.priceWeight : undefined,
      );
    }
    if (lot.law === 'gp') {
      const category = gpCategoryOf(lot.catalogItemCode);
      const minimum = category === 'goods' ? 30 : 10;
      if (plan.priceWeight < minimum) {
        throw planProblem(
          `政府采购${category === 'goods' ? '货物' : '服务'}项目采用综合评分法的，价格分值占总分值的比重不得低于${minimum}%。`,
          CITATIONS.priceWeight,
        );
      }
    }
    if (!plan.criteria.some((c) => c.kind === 'scored')) throw planProblem('综合评估法至少应有一个打分项。');
  } else if (plan.priceWeight !== null) {
    throw planProblem(`${METHOD_NAMES_ZH[plan.method]}以价格排序，不设价格分权重。`);
  }
  if (!(plan.abnormalLowPercent > 0 && plan.abnormalLowPercent < 100)) {
    throw planProblem('异常低价的判定比例应在 0 与 100 之间。');
  }
  if (!Number.isInteger(plan.candidateCount) || plan.candidateCount < 1 || plan.candidateCount > 3) {
    throw planProblem('推荐的中标候选人应为 1 至 3 名。', CITATIONS.report);
  }
}

function twoDecimals(n: number): boolean {
  return Number.isFinite(n) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;
}

/** The steps members score under a plan, in order (a step without criteria is skipped). */
export function stepsOf(plan: EvaluationPlan): StepCode[] {
  return STEP_ORDER.filter((s) => plan.criteria.some((c) => c.step === s));
}

export function criteriaOf(plan: EvaluationPlan, step: StepCode): PlanCriterion[] {
  return plan.criteria.filter((c) => c.step === step);
}

// --------------------------------------------------------------------------------------- prices

/** GP 低价优先法: 评标基准价 / 投标报价 × weight (points), in hundredths of a point, rounded half up. */
export function priceScoreCenti(baseFen: bigint, priceFen: bigint, weightCenti: number): number {
  if (priceFen <= 0n) return 0;
  const scaled = baseFen * BigInt(weightCenti) * 2n;
  return Number((scaled / priceFen + 1n) / 2n);
}

/**
 * Flags abnormally low prices (87号令第六十条): a price below `percent`% of the average of the other
 * qualified prices. Only meaningful with at least two prices.
 */
export function abnormallyLow(prices: { bidId: string; priceFen: bigint }[], percent: number): Set<string> {
  const flagged = new Set<string>();
  if (prices.length < 2) return flagged;
  const total = prices.reduce((s, p) => s + p.priceFen, 0n);
  const pct = BigInt(Math.round(percent * 100));
  for (const p of prices) {
    const othersSum = total - p.priceFen;
    const others = BigInt(prices.length - 1);
    // p < pct/10000 × othersSum/others  ⇔  p × others × 10000 < pct × othersSum
    if (p.priceFen * others * 10000n < pct * othersSum) flagged.add(p.bidId);
  }
  return flagged;
}

// ---------------------------------------------------------------------------------- aggregation

export interface AggregationBid {
  bidId: string;
  seq: number;
  /** The price after the committee's corrections (87号令第五十九条); null when the record had none. */
  priceFen: bigint | null;
}

export interface PassFailMark {
  memberId: string;
  bidId: string;
  criterionId: string;
  passed: boolean;
}

export interface ScoreMark {
  memberId: string;
  bidId: string;
  criterionId: string;
  centi: number;
}

export interface AggregationInput {
  plan: EvaluationPlan;
  law: Law;
  memberIds: string[];
  bids: AggregationBid[];
  /** Explicit committee rejections (bidId → ground). */
  rejected: Map<string, string>;
  passFail: PassFailMark[];
  scores: ScoreMark[];
  /** The procedure's minimum of qualified bids (procedures index `minimumResponders`). */
  minimumQualified: number;
}

export interface AggregatedBidder {
  bidId: string;
  /** Why the bid is out: the explicit rejection's ground, or the pass/fail criterion a majority failed. */
  rejection: { ground: string; criterionId: string | null } | null;
  priceFen: bigint | null;
  priceScoreCenti: number | null;
  /** Per member: subjective points + price score (comprehensive), in hundredths. */
  memberTotals: { memberId: string; centi: number }[];
  /** The committee's score: the average of the members' totals (no dropping, 87号令第五十五条). */
  scoreCenti: number | null;
  rank: number | null;
}

export interface AggregationResult {
  bidders: AggregatedBidder[];
  /** In rank order. */
  ranking: string[];
  candidates: string[];
  failed: boolean;
  failedReason: string | null;
}

/**
 * 汇总: pass/fail items by majority (少数服从多数), the price score from the corrected prices, each
 * member's total, the committee's average, the ranking and the candidates. Pure and linear in the number of
 * marks: the benchmark runs it on 9 × 200 × 60.
 */
export function aggregate(input: AggregationInput): AggregationResult {
  const { plan } = input;
  const majority = Math.floor(input.memberIds.length / 2) + 1;
  const criteria = new Map(plan.criteria.map((c) => [c.id, c]));
  const failCounts = new Map<string, Map<string, number>>();
  for (const m of input.passFail) {
    if (m.passed) continue;
    let perBid = failCounts.get(m.bidId);
    if (!perBid) {
      perBid = new Map();
      failCounts.set(m.bidId, perBid);
    }
    perBid.set(m.criterionId, (perBid.get(m.criterionId) ?? 0) + 1);
  }
  const order = new Map(plan.criteria.map((c, i) => [c.id, i]));
  const rejectionOf = (bidId: string): AggregatedBidder['rejection'] => {
    const explicit = input.rejected.get(bidId);
    if (explicit) return { ground: explicit, criterionId: null };
    const fails = failCounts.get(bidId);
    if (!fails) return null;
    const failed = [...fails.entries()]
      .filter(([, n]) => n >= majority)
      .sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0));
    const first = failed[0];
    if (!first) return null;
    return { ground: criteria.get(first[0])?.ground ?? 'non-responsive', criterionId: first[0] };
  };

  const bidders: AggregatedBidder[] = input.bids.map((b) => ({
    bidId: b.bidId,
    rejection: rejectionOf(b.bidId),
    priceFen: b.priceFen,
    priceScoreCenti: null,
    memberTotals: [],
    scoreCenti: null,
    rank: null,
  }));
  for (const b of bidders) {
    if (!b.rejection && b.priceFen === null) b.rejection = { ground: 'non-responsive', criterionId: null };
  }
  const qualified = bidders.filter((b) => !b.rejection);
  const seqOf = new Map(input.bids.map((b) => [b.bidId, b.seq]));

  if (qualified.length < input.minimumQualified) {
    return {
      bidders,
      ranking: [],
      candidates: [],
      failed: true,
      failedReason: `经评审，合格投标仅 ${qualified.length} 家，不足 ${input.minimumQualified} 家，缺乏竞争，评标委员会否决全部投标（流标）。`,
    };
  }

  if (plan.method === 'comprehensive') {
    const weightCenti = toCenti(plan.priceWeight ?? 0);
    const baseFen = qualified.reduce<bigint | null>(
      (min, b) => (b.priceFen !== null && (min === null || b.priceFen < min) ? b.priceFen : min),
      null,
    );
    const subjective = new Map<string, number>(); // `${memberId}\u0000${bidId}` → centi
    const scored = new Set(plan.criteria.filter((c) => c.kind === 'scored').map((c) => c.id));
    for (const s of input.scores) {
      if (!scored.has(s.criterionId)) continue;
      const key = `${s.memberId}\u0000${s.bidId}`;
      subjective.set(key, (subjective.get(key) ?? 0) + s.centi);
    }
    for (const b of qualified) {
      b.priceScoreCenti =
        baseFen === null || b.priceFen === null ? 0 : priceScoreCenti(baseFen, b.priceFen, weightCenti);
      let sum = 0;
      for (const memberId of input.memberIds) {
        const centi = (subjective.get(`${memberId}\u0000${b.bidId}`) ?? 0) + b.priceScoreCenti;
        b.memberTotals.push({ memberId, centi });
        sum += centi;
      }
      b.scoreCenti = input.memberIds.length > 0 ? Math.round(sum / input.memberIds.length) : 0;
    }
    // 87号令第五十五条: by score, high to low; equal scores by price, low to high.
    qualified.sort(
      (a, b) =>
        (b.scoreCenti ?? 0) - (a.scoreCenti ?? 0) ||
        comparePrice(a.priceFen, b.priceFen) ||
        (seqOf.get(a.bidId) ?? 0) - (seqOf.get(b.bidId) ?? 0),
    );
  } else {
    // 最低评标价法 / 经评审的最低投标价法: by (corrected) price, low to high.
    qualified.sort(
      (a, b) => comparePrice(a.priceFen, b.priceFen) || (seqOf.get(a.bidId) ?? 0) - (seqOf.get(b.bidId) ?? 0),
    );
  }
  qualified.forEach((b, i) => {
    b.rank = i + 1;
  });
  const ranking = qualified.map((b) => b.bidId);
  return {
    bidders,
    ranking,
    candidates: ranking.slice(0, Math.min(plan.candidateCount, 3)),
    failed: false,
    failedReason: null,
  };
}

function comparePrice(a: bigint | null, b: bigint | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * Members whose total for some bid lies ≥30% from the committee's median total for that bid (§40, §52
 * 评标专家考核): the bids concerned, per member.
 */
export function scoreDeviations(bidders: AggregatedBidder[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const b of bidders) {
    if (b.memberTotals.length < 2) continue;
    const sorted = b.memberTotals.map((t) => t.centi).sort((x, y) => x - y);
    const mid = Math.floor(sorted.length / 2);
    const median =
      sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
    if (median <= 0) continue;
    for (const t of b.memberTotals) {
      if (Math.abs(t.centi - median) / median >= DEVIATION_FLAG) {
        const list = out.get(t.memberId) ?? [];
        list.push(b.bidId);
        out.set(t.memberId, list);
      }
    }
  }
  return out;
}
