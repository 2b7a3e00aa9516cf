import {
  addWorkingDays,
  endOfShanghaiDay,
  formatShanghaiTime,
  shanghaiDateOf,
  startOfShanghaiDay,
  workingDaysBetween,
} from '../../platform/clock/index.ts';
import { InvalidInput, RuleViolation } from '../../platform/errors.ts';
import { fenToYuan, yuanToFen } from '../../platform/money/index.ts';
import type {
  AuctionProcedureType,
  AuctionTerms,
  BidMode,
  Qualification,
  TimedEntry,
  TimedStart,
} from './tables.ts';

/**
 * The rules of 拍卖、挂牌、网络竞价 as data (DESIGN §4 "Legal rules are data"): per procedure type and per
 * catalog category the defaults, the bounds and the citation of each. A setup outside the bounds is refused
 * with the rule and its citation. Sources: ../shared/reference/auctions-supervision.md part 1 (✅ read in the
 * original, 🟡 secondary — the citations name what was read; local rules are named as local).
 */

/** The catalog categories whose rules differ (交易目录 §10 (三)–(八)). */
export type RuleCategory = 'land' | 'mining' | 'state-property' | 'rural-property' | 'environment' | 'other';

export function categoryOf(catalogItemCode: string): RuleCategory {
  if (catalogItemCode === '0302') return 'mining';
  if (catalogItemCode.startsWith('03')) return 'land';
  if (catalogItemCode === '0601') return 'state-property';
  if (catalogItemCode === '0602') return 'rural-property';
  if (catalogItemCode.startsWith('07')) return 'environment';
  return 'other';
}

export const RULE_CATEGORY_NAMES_ZH: Record<RuleCategory, string> = {
  land: '国有土地使用权及指标',
  mining: '矿业权',
  'state-property': '企业国有产权',
  'rural-property': '农村牧区集体产权',
  environment: '环境权益（排污权、碳排放权等）',
  other: '其他资产产权',
};

export const CITATIONS = {
  landAnnouncement:
    '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）第十条：至少在拍卖或者挂牌开始日前20日发布公告',
  miningAnnouncement: '《矿业权交易规则（试行）》（国土资发〔2011〕242号）：出让公告期不少于20日',
  stateDisclosure:
    '《企业国有资产交易监督管理办法》（国资委 财政部令第32号）第十三条；《企业国有产权交易操作规则》（国资发产权〔2009〕120号）：信息披露不少于20个工作日',
  otherAnnouncement:
    '《内蒙古自治区公共资源交易管理办法》第十六条（交易信息公开发布）；本类项目公告期按平台默认不少于10日，可按行业规则配置',
  listingPeriod:
    '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）第十九条：挂牌时间不得少于10日',
  listingClose:
    '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）第二十条：挂牌期限届满，只有一个竞买人报价且不低于底价的成交；两个以上报价的出价最高者为竞得人，报价相同的先提交报价单者为竞得人；无人报价或报价均低于底价的不成交；有两个以上竞买人愿意继续竞价的转入现场（限时）竞价',
  miningMinimum:
    '《矿业权交易规则（试行）》（国土资发〔2011〕242号）第十七条：拍卖的竞买人不得少于三人，少于三人的应当停止交易',
  minimumBidders: '最少竞买人数按项目类别确定（交易公告载明）',
  reserve:
    '《矿业权交易规则（试行）》（国土资发〔2011〕242号）第十八条：底价在交易活动结束前须保密且不得变更；《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）第十一条',
  timed:
    '各地土地、矿业权网上交易规则的限时竞价：每次有效报价后重新计时，计时届满无新报价即结束（倒计时时长按项目配置，常见3至5分钟）',
  bidGrid: '网络竞价出价规则：首次报价不得低于起始价，每次加价为加价幅度的整数倍',
  selfOutbid: '网络竞价出价规则：当前最高报价人不得自行加价（北京产权交易所网络竞价出价规则）',
  freeBidding: '网上拍卖：自由竞价期届满后转入限时竞价（交易公告载明）',
  priceCap: '土地出让“限地价”：报价达到最高限价后不再接受更高报价，转为一次报价（达到最高限价的竞买人参加）',
  singleBid: '网络竞价一次报价方式：每一竞买人在报价期内只能报价一次',
  extension:
    '《企业国有产权交易操作规则》（国资发产权〔2009〕120号）：未征集到意向受让方的可以延期，每次延长不少于5个工作日',
  relisting:
    '《企业国有产权交易操作规则》（国资发产权〔2009〕120号）：首次挂牌价不得低于经备案的评估结果；重新挂牌价低于评估结果90%的须重新报批',
  qualification:
    '内蒙古自治区旗县公共资源交易服务事项：预成交通知书 → 竞得人资格审核（2个工作日内）→ 成交通知书（资格后审）',
  preemptive:
    '《中华人民共和国公司法》第八十四条（股东优先购买权）；农村产权交易竞价优先权规则：优先权人可按当前最高价跟价成为最高报价人，同等优先权人同价的由系统摇号确定顺位',
  result:
    '《招标拍卖挂牌出让国有建设用地使用权规定》（国土资源部令第39号）：确定竞得人后签订成交确认书并公布出让结果；《企业国有资产交易监督管理办法》第二十九条：交易结果公示不少于5个工作日',
  deposit:
    '竞买保证金于交易结束后5个工作日内退还未竞得人，竞得人的保证金转为成交价款（《企业国有产权交易操作规则》；各地网上交易规则）',
  credit:
    '《内蒙古自治区公共资源交易管理办法》第四十三条：对失信主体采取限制或禁止参加公共资源交易活动等方式惩戒',
  contract: '成交通知书发出后10个工作日内签订出让（转让）合同，交易公告另有约定的从其约定',
  terminate:
    '《企业国有产权交易操作规则》（国资发产权〔2009〕120号）：中止、终结；出让人可在竞价开始前终止出让',
} as const;

export interface DayRule {
  days: number;
  counting: 'calendar' | 'working';
  citation: string;
}

export interface BoundedRule {
  default: number;
  min: number;
  max: number;
  citation: string;
}

/** What applies to one auction: defaults, bounds and citations. */
export interface AuctionRules {
  category: RuleCategory;
  announcementLead: DayRule;
  listingPeriod: DayRule;
  minBidders: { default: number; min: number; citation: string };
  countdownMinutes: BoundedRule;
  confirmMinutes: BoundedRule;
  freeBiddingMinutes: BoundedRule;
  sealedMinutes: BoundedRule;
  qualificationWorkingDays: number;
  /** 延牌: each extension at least `min` working days; at most `maxExtensions.max` extensions. */
  extension: { minWorkingDays: number; maxExtensions: BoundedRule; citation: string };
  relistingFloorPercent: number;
  publicityWorkingDays: number;
  defaultTimedEntry: TimedEntry;
  defaultQualification: Qualification;
  /** 一次报价 is a 网络竞价 mode only. */
  singleBidAllowed: boolean;
  /** 优先受让权 (原股东、集体经济组织成员) exists for property transfers. */
  preemptiveAllowed: boolean;
}

export function rulesFor(procedureType: AuctionProcedureType, catalogItemCode: string): AuctionRules {
  const category = categoryOf(catalogItemCode);
  const announcementLead: DayRule =
    category === 'land'
      ? { days: 20, counting: 'calendar', citation: CITATIONS.landAnnouncement }
      : category === 'mining'
        ? { days: 20, counting: 'calendar', citation: CITATIONS.miningAnnouncement }
        : category === 'state-property'
          ? { days: 20, counting: 'working', citation: CITATIONS.stateDisclosure }
          : { days: 10, counting: 'calendar', citation: CITATIONS.otherAnnouncement };
  const miningAuction = category === 'mining' && procedureType === 'auction';
  return {
    category,
    announcementLead,
    listingPeriod: { days: 10, counting: 'calendar', citation: CITATIONS.listingPeriod },
    minBidders: miningAuction
      ? { default: 3, min: 3, citation: CITATIONS.miningMinimum }
      : { default: 1, min: 1, citation: CITATIONS.minimumBidders },
    countdownMinutes: { default: 5, min: 1, max: 30, citation: CITATIONS.timed },
    confirmMinutes: { default: 5, min: 1, max: 30, citation: CITATIONS.timed },
    freeBiddingMinutes: { default: 60, min: 5, max: 24 * 60, citation: CITATIONS.freeBidding },
    sealedMinutes: { default: 10, min: 1, max: 120, citation: CITATIONS.priceCap },
    qualificationWorkingDays: 2,
    extension: {
      minWorkingDays: 5,
      maxExtensions: { default: 1, min: 1, max: 10, citation: CITATIONS.extension },
      citation: CITATIONS.extension,
    },
    relistingFloorPercent: 90,
    publicityWorkingDays: 5,
    defaultTimedEntry: procedureType === 'listing' ? 'listed-bid' : 'automatic',
    defaultQualification: category === 'land' || category === 'mining' ? 'post' : 'pre',
    singleBidAllowed: procedureType === 'online-bidding',
    preemptiveAllowed: category === 'state-property' || category === 'rural-property',
  };
}

/** What the initiator (or its agency) sends to set an auction up (PUT /api/lots/:lotId/auction). */
export interface AuctionSetupInput {
  title: string;
  description?: string | undefined;
  startPriceYuan: string;
  stepYuan: string;
  depositYuan: string;
  announcementAt: Date;
  registrationUntil: Date;
  depositDeadline: Date;
  biddingStartsAt: Date;
  listingEndsAt?: Date | null | undefined;
  listingDaysCounting?: 'calendar' | 'working' | undefined;
  freeBiddingMinutes?: number | null | undefined;
  countdownMinutes?: number | undefined;
  timedEntry?: TimedEntry | undefined;
  confirmMinutes?: number | null | undefined;
  timedStart?: TimedStart | undefined;
  minBidders?: number | undefined;
  priceCapYuan?: string | null | undefined;
  sealedMinutes?: number | null | undefined;
  bidMode?: BidMode | undefined;
  qualification?: Qualification | undefined;
  qualificationFallback?: 'next-best' | 'no-deal' | undefined;
  valuationYuan?: string | null | undefined;
  relisting?: boolean | undefined;
  reapprovalDocument?: string | null | undefined;
  preemptiveHolders?: { creditCode: string; rank: number }[] | undefined;
  autoExtend?: boolean | undefined;
  extensionWorkingDays?: number | null | undefined;
  maxExtensions?: number | null | undefined;
}

function violation(code: string, title: string, detail: string, citation?: string): RuleViolation {
  return new RuleViolation(code, { title, detail, ...(citation ? { citation } : {}) });
}

function bounded(name: string, value: number | null | undefined, rule: BoundedRule): number {
  const v = value ?? rule.default;
  if (!Number.isInteger(v) || v < rule.min || v > rule.max) {
    throw violation(
      'AUCTION_TERM_OUT_OF_BOUNDS',
      `${name}须在${rule.min}至${rule.max}分钟之间`,
      `${name}为 ${v} 分钟，超出允许范围 ${rule.min}–${rule.max} 分钟。`,
      rule.citation,
    );
  }
  return v;
}

/** Days the law counts from `from` to `to` (开始当天不计入), calendar or working. */
export function daysBetween(from: Date, to: Date, counting: 'calendar' | 'working'): number {
  const a = shanghaiDateOf(from);
  const b = shanghaiDateOf(to);
  if (counting === 'working') return workingDaysBetween(a, b);
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The end (23:59:59.999 Shanghai) of the n-th working day after `from`. */
export function workingDaysAfter(from: Date, n: number): Date {
  return endOfShanghaiDay(addWorkingDays(shanghaiDateOf(from), n));
}

/**
 * Checks a setup against the rules and returns the terms with every default filled in. Malformed input is
 * the schema's job (400); what a rule forbids is a 409 with the rule and its citation.
 */
export function checkSetup(
  input: AuctionSetupInput,
  lot: { procedureType: AuctionProcedureType; catalogItemCode: string },
): AuctionTerms {
  const rules = rulesFor(lot.procedureType, lot.catalogItemCode);
  const start = yuanToFen(input.startPriceYuan);
  const step = yuanToFen(input.stepYuan);
  if (step <= 0n) {
    throw new InvalidInput('AUCTION_STEP_INVALID', { title: '加价幅度须大于零' });
  }
  const t = {
    announcement: input.announcementAt.getTime(),
    registration: input.registrationUntil.getTime(),
    deposit: input.depositDeadline.getTime(),
    start: input.biddingStartsAt.getTime(),
  };
  if (!(t.announcement < t.start)) {
    throw violation('AUCTION_SCHEDULE_INVALID', '公告时间须早于竞价开始时间', '请检查时间安排。');
  }
  if (t.registration <= t.announcement || t.deposit <= t.announcement) {
    throw violation(
      'AUCTION_SCHEDULE_INVALID',
      '竞买申请截止和保证金缴纳截止须晚于公告时间',
      '公告发布后方可接受竞买申请和缴纳保证金。',
    );
  }
  const leadDays = daysBetween(input.announcementAt, input.biddingStartsAt, rules.announcementLead.counting);
  if (leadDays < rules.announcementLead.days) {
    throw leadTimeViolation(rules, leadDays);
  }

  let listingEndsAt: Date | null = null;
  let freeBiddingMinutes: number | null = null;
  const listingDaysCounting = input.listingDaysCounting ?? rules.listingPeriod.counting;
  if (lot.procedureType === 'listing') {
    if (!input.listingEndsAt) {
      throw new InvalidInput('AUCTION_LISTING_END_REQUIRED', { title: '挂牌须填写挂牌截止时间' });
    }
    listingEndsAt = input.listingEndsAt;
    const days = daysBetween(input.biddingStartsAt, listingEndsAt, listingDaysCounting);
    if (days < rules.listingPeriod.days) {
      throw violation(
        'AUCTION_LISTING_TOO_SHORT',
        `挂牌时间不得少于${rules.listingPeriod.days}${listingDaysCounting === 'working' ? '个工作日' : '日'}`,
        `挂牌自 ${formatShanghaiTime(input.biddingStartsAt)} 至 ${formatShanghaiTime(listingEndsAt)}，仅 ${days} ${listingDaysCounting === 'working' ? '个工作日' : '日'}。`,
        rules.listingPeriod.citation,
      );
    }
    // 保证金到账截止 and 竞买申请 close before the listing does (the bidder must be cleared to bid).
    if (t.registration > listingEndsAt.getTime() || t.deposit > listingEndsAt.getTime()) {
      throw violation(
        'AUCTION_SCHEDULE_INVALID',
        '竞买申请截止和保证金缴纳截止须早于挂牌截止时间',
        `挂牌截止时间为 ${formatShanghaiTime(listingEndsAt)}。`,
      );
    }
  } else {
    freeBiddingMinutes = bounded('自由竞价期', input.freeBiddingMinutes, rules.freeBiddingMinutes);
    if (t.registration > t.start || t.deposit > t.start) {
      throw violation(
        'AUCTION_SCHEDULE_INVALID',
        '竞买申请截止和保证金缴纳截止须不晚于竞价开始时间',
        `竞价开始时间为 ${formatShanghaiTime(input.biddingStartsAt)}。`,
      );
    }
  }

  const countdownMinutes = bounded('限时竞价倒计时', input.countdownMinutes, rules.countdownMinutes);
  const timedEntry = input.timedEntry ?? rules.defaultTimedEntry;
  const confirmMinutes = bounded('限时竞价确认时间', input.confirmMinutes, rules.confirmMinutes);
  const sealedMinutes = bounded('一次报价时间', input.sealedMinutes, rules.sealedMinutes);

  const minBidders = input.minBidders ?? rules.minBidders.default;
  if (!Number.isInteger(minBidders) || minBidders < rules.minBidders.min) {
    throw violation(
      'AUCTION_MIN_BIDDERS_TOO_LOW',
      `最少竞买人数不得少于${rules.minBidders.min}人`,
      `设置为 ${minBidders} 人。`,
      rules.minBidders.citation,
    );
  }

  let priceCapYuan: string | null = null;
  if (input.priceCapYuan) {
    const cap = yuanToFen(input.priceCapYuan);
    if (cap <= start || (cap - start) % step !== 0n) {
      throw violation(
        'AUCTION_PRICE_CAP_INVALID',
        '最高限价须高于起始价且为起始价加整数个加价幅度',
        `起始价 ${fenToYuan(start)} 元，加价幅度 ${fenToYuan(step)} 元，最高限价 ${fenToYuan(cap)} 元。`,
        CITATIONS.priceCap,
      );
    }
    priceCapYuan = fenToYuan(cap);
  }

  const bidMode = input.bidMode ?? 'multiple';
  if (bidMode === 'single' && !rules.singleBidAllowed) {
    throw violation(
      'AUCTION_SINGLE_BID_NOT_ALLOWED',
      '一次报价方式仅适用于网络竞价',
      `“${lot.procedureType === 'listing' ? '挂牌' : '拍卖'}”按多次报价（价高者得）进行。`,
      CITATIONS.singleBid,
    );
  }

  const relisting = input.relisting ?? false;
  let valuationYuan: string | null = null;
  if (input.valuationYuan) {
    const valuation = yuanToFen(input.valuationYuan);
    valuationYuan = fenToYuan(valuation);
    const floor = relisting ? (valuation * BigInt(rules.relistingFloorPercent)) / 100n : valuation;
    if (start < floor && !input.reapprovalDocument) {
      throw violation(
        'AUCTION_START_BELOW_VALUATION',
        relisting
          ? `重新挂牌价低于评估结果的${rules.relistingFloorPercent}%，须经重新批准`
          : '首次挂牌价不得低于评估结果',
        `评估结果 ${valuationYuan} 元，起始价 ${fenToYuan(start)} 元，最低 ${fenToYuan(floor)} 元；如已重新批准，请填写批准文件。`,
        CITATIONS.relisting,
      );
    }
  }

  const preemptiveHolders = input.preemptiveHolders ?? [];
  if (preemptiveHolders.length > 0 && !rules.preemptiveAllowed) {
    throw violation(
      'AUCTION_PREEMPTIVE_NOT_ALLOWED',
      '本类项目不设优先受让权',
      `优先受让（购买）权适用于企业国有产权、农村牧区集体产权交易；本项目类别为“${RULE_CATEGORY_NAMES_ZH[rules.category]}”。`,
      CITATIONS.preemptive,
    );
  }

  const autoExtend = input.autoExtend ?? false;
  const extensionWorkingDays = input.extensionWorkingDays ?? rules.extension.minWorkingDays;
  if (!Number.isInteger(extensionWorkingDays) || extensionWorkingDays < rules.extension.minWorkingDays) {
    throw violation(
      'AUCTION_EXTENSION_TOO_SHORT',
      `每次延期不得少于${rules.extension.minWorkingDays}个工作日`,
      `设置为 ${extensionWorkingDays} 个工作日。`,
      rules.extension.citation,
    );
  }
  const { maxExtensions: maxRule } = rules.extension;
  const maxExtensions = autoExtend ? (input.maxExtensions ?? maxRule.default) : 0;
  if (
    autoExtend &&
    (!Number.isInteger(maxExtensions) || maxExtensions < maxRule.min || maxExtensions > maxRule.max)
  ) {
    throw violation(
      'AUCTION_TERM_OUT_OF_BOUNDS',
      `最多延期次数须在${maxRule.min}至${maxRule.max}次之间`,
      `设置为 ${maxExtensions} 次。`,
      maxRule.citation,
    );
  }

  return {
    title: input.title,
    description: input.description ?? '',
    startPriceYuan: fenToYuan(start),
    stepYuan: fenToYuan(step),
    depositYuan: fenToYuan(yuanToFen(input.depositYuan)),
    announcementAt: input.announcementAt.toISOString(),
    registrationUntil: input.registrationUntil.toISOString(),
    depositDeadline: input.depositDeadline.toISOString(),
    biddingStartsAt: input.biddingStartsAt.toISOString(),
    listingEndsAt: listingEndsAt?.toISOString() ?? null,
    listingDaysCounting,
    freeBiddingMinutes,
    countdownMinutes,
    timedEntry,
    confirmMinutes,
    timedStart: input.timedStart ?? 'highest-plus-step',
    minBidders,
    priceCapYuan,
    sealedMinutes,
    bidMode,
    qualification: input.qualification ?? rules.defaultQualification,
    qualificationFallback: input.qualificationFallback ?? 'no-deal',
    valuationYuan,
    relisting,
    reapprovalDocument: input.reapprovalDocument ?? null,
    preemptiveHolders,
    autoExtend,
    extensionWorkingDays,
    maxExtensions,
  };
}

/** The same Shanghai time of day `n` working days later (延牌 moves each date of the schedule this way). */
export function workingDaysLater(instant: Date, n: number): Date {
  const day = shanghaiDateOf(instant);
  const shift = startOfShanghaiDay(addWorkingDays(day, n)).getTime() - startOfShanghaiDay(day).getTime();
  return new Date(instant.getTime() + shift);
}

export function leadTimeViolation(rules: AuctionRules, actualDays: number): RuleViolation {
  const unit = rules.announcementLead.counting === 'working' ? '个工作日' : '日';
  return violation(
    'AUCTION_ANNOUNCEMENT_TOO_LATE',
    `公告须在竞价开始前至少${rules.announcementLead.days}${unit}发布`,
    `自公告发布至竞价开始仅 ${actualDays} ${unit}。`,
    rules.announcementLead.citation,
  );
}

/** The next `count` valid amounts (fen) given the state: from the floor (k ≥ 0), else current + k×step (k ≥ 1). */
export function nextValidFen(
  state: {
    floorFen: bigint | null;
    currentFen: bigint | null;
    startFen: bigint;
    stepFen: bigint;
    capFen: bigint | null;
  },
  count = 3,
): bigint[] {
  const base =
    state.floorFen ?? (state.currentFen === null ? state.startFen : state.currentFen + state.stepFen);
  const out: bigint[] = [];
  for (let k = 0n; out.length < count; k += 1n) {
    const amount = base + k * state.stepFen;
    if (state.capFen !== null && amount > state.capFen) break;
    out.push(amount);
  }
  return out;
}
